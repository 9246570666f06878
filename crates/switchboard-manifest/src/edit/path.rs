//! JSON pointers as segments, kept pointing at the same values while earlier edits insert and
//! remove sequence items.

use serde_json::Value;

/// A JSON pointer (RFC 6901), split and unescaped.
pub(crate) type Path = Vec<String>;

/// `"/queues/0/name"` → `["queues", "0", "name"]`; `None` when it does not start with `/`
/// (the root, `""`, is the empty path).
pub(crate) fn parse(pointer: &str) -> Option<Path> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let rest = pointer.strip_prefix('/')?;
    Some(
        rest.split('/')
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
            .collect(),
    )
}

/// The pointer of a path.
pub(crate) fn pointer(path: &[String]) -> String {
    path.iter()
        .map(|s| format!("/{}", s.replace('~', "~0").replace('/', "~1")))
        .collect()
}

/// What a sequence edit did to the indexes after it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Shift {
    /// An item was inserted at this index.
    Inserted(usize),
    /// The item at this index was removed.
    Removed(usize),
}

/// Moves `path` to where its value is after `shift` in the sequence at `seq`; `None` when the
/// value was inside the removed item.
pub(crate) fn shifted(path: &[String], seq: &[String], shift: Shift) -> Option<Path> {
    if path.len() <= seq.len() || !path.starts_with(seq) {
        return Some(path.to_vec());
    }
    let Ok(index) = path[seq.len()].parse::<usize>() else {
        return Some(path.to_vec());
    };
    let moved = match shift {
        Shift::Inserted(at) if index >= at => index + 1,
        Shift::Removed(at) if index == at => return None,
        Shift::Removed(at) if index > at => index - 1,
        _ => index,
    };
    let mut path = path.to_vec();
    path[seq.len()] = moved.to_string();
    Some(path)
}

/// The value at `path`.
pub(crate) fn get<'a>(json: &'a Value, path: &[String]) -> Option<&'a Value> {
    json.pointer(&pointer(path))
}

/// What `json` becomes when the value at `path` (which must exist) is replaced.
pub(crate) fn replaced(json: &Value, path: &[String], value: Value) -> Option<Value> {
    let mut json = json.clone();
    *json.pointer_mut(&pointer(path))? = value;
    Some(json)
}

/// What `json` becomes with `key: value` added to the mapping at `path`.
pub(crate) fn inserted(json: &Value, path: &[String], key: &str, value: Value) -> Option<Value> {
    let mut json = json.clone();
    json.pointer_mut(&pointer(path))?
        .as_object_mut()?
        .insert(key.to_string(), value);
    Some(json)
}

/// What `json` becomes with `value` inserted at `index` of the sequence at `path`.
pub(crate) fn added(json: &Value, path: &[String], index: usize, value: Value) -> Option<Value> {
    let mut json = json.clone();
    let items = json.pointer_mut(&pointer(path))?.as_array_mut()?;
    if index > items.len() {
        return None;
    }
    items.insert(index, value);
    Some(json)
}

/// What `json` becomes without the value at `path` (a sequence item or a mapping entry).
pub(crate) fn removed(json: &Value, path: &[String]) -> Option<Value> {
    let (last, parent) = path.split_last()?;
    let mut json = json.clone();
    match json.pointer_mut(&pointer(parent))? {
        Value::Array(items) => {
            let index: usize = last.parse().ok()?;
            if index >= items.len() {
                return None;
            }
            items.remove(index);
        }
        Value::Object(map) => {
            map.remove(last)?;
        }
        _ => return None,
    }
    Some(json)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn pointers_round_trip_and_shift_with_their_sequence() {
        let path = parse("/queues/2/a~1b~0c").unwrap();
        assert_eq!(path, vec!["queues", "2", "a/b~c"]);
        assert_eq!(pointer(&path), "/queues/2/a~1b~0c");
        let seq = parse("/queues").unwrap();
        assert_eq!(
            shifted(&path, &seq, Shift::Removed(0)).unwrap(),
            vec!["queues", "1", "a/b~c"]
        );
        assert_eq!(shifted(&path, &seq, Shift::Removed(2)), None);
        assert_eq!(
            shifted(&path, &seq, Shift::Inserted(2)).unwrap(),
            vec!["queues", "3", "a/b~c"]
        );
        assert_eq!(shifted(&path, &seq, Shift::Inserted(3)).unwrap(), path);
    }
}
