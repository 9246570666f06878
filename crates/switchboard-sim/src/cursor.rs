//! Cursor paging (API-FACTS-LOOKUPS L1.2 "cursor"): `pageSize` plus `after` or `before`, and a
//! listing of only `entities, nextUri, previousUri, selfUri`: no total and no page number.
//! `nextUri` is there while entities follow the page, `previousUri` while entities precede it.
//!
//! A cursor names the entity it follows or precedes by its sort key (name, then id), so it
//! stays good when that entity is deleted between two requests.
// unverified: the real cursors are opaque and their lifetime is not documented; the
// simulator's are URL-safe base64 of the entity's name and id.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use crate::api_error::ApiError;
use crate::listing::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use crate::org::name_key;
use crate::request::QueryParams;

/// An entity of a cursor listing: its name, its id, and what renders it.
pub(crate) struct Entry<T> {
    pub name: String,
    pub id: String,
    pub item: T,
}

fn encode<T>(e: &Entry<T>) -> String {
    URL_SAFE_NO_PAD.encode(json!([e.name, e.id]).to_string())
}

/// The sort key a cursor names.
fn decode(parameter: &str, cursor: &str) -> Result<(String, String, String), ApiError> {
    let bad = || {
        ApiError::invalid_value(
            parameter,
            format!(
                "Value [{cursor}] is not valid for field [{parameter}]: it is not a cursor this listing gave"
            ),
        )
    };
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let parts: (String, String) = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    Ok(name_key(&parts.0, &parts.1))
}

fn uri(path: &str, size: u64, cursor: Option<(&str, String)>, rest: &[(String, String)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    s.append_pair("pageSize", &size.to_string());
    if let Some((name, value)) = cursor {
        s.append_pair(name, &value);
    }
    for (k, v) in rest {
        s.append_pair(k, v);
    }
    format!("{path}?{}", s.finish())
}

/// One page of `entries` (in any order; they are sorted by name, then id), each rendered by
/// `render`, as a cursor listing of `path`. `pageSize` is 1–500 (default 25); `after` and
/// `before` together are refused.
// unverified: no maximum pageSize is documented for these listings; the simulator's page
// listings' 500 is used.
pub(crate) fn cursor_listing<T>(
    path: &str,
    q: &QueryParams,
    mut entries: Vec<Entry<T>>,
    render: impl FnMut(T) -> Value,
) -> Result<Value, ApiError> {
    let size = q.int("pageSize")?.unwrap_or(DEFAULT_PAGE_SIZE as i64);
    if !(1..=MAX_PAGE_SIZE as i64).contains(&size) {
        return Err(ApiError::invalid_value(
            "pageSize",
            format!(
                "Value [{size}] is not valid for field [pageSize]: it must be between 1 and {MAX_PAGE_SIZE}"
            ),
        ));
    }
    let size = size as usize;
    let after = q.get("after").filter(|s| !s.is_empty());
    let before = q.get("before").filter(|s| !s.is_empty());
    if after.is_some() && before.is_some() {
        return Err(ApiError::bad_request(
            "Only one of the query parameters after and before may be given.",
        ));
    }
    entries.sort_by_cached_key(|e| name_key(&e.name, &e.id));
    let keys: Vec<_> = entries.iter().map(|e| name_key(&e.name, &e.id)).collect();
    let (start, end) = match (after, before) {
        (Some(c), _) => {
            let key = decode("after", c)?;
            let start = keys.partition_point(|k| *k <= key);
            (start, (start + size).min(entries.len()))
        }
        (None, Some(c)) => {
            let key = decode("before", c)?;
            let end = keys.partition_point(|k| *k < key);
            (end.saturating_sub(size), end)
        }
        (None, None) => (0, size.min(entries.len())),
    };
    let rest: Vec<(String, String)> =
        q.0.iter()
            .filter(|(k, _)| !matches!(k.as_str(), "pageSize" | "after" | "before" | "pageNumber"))
            .cloned()
            .collect();
    let own = after
        .map(|c| ("after", c.to_string()))
        .or(before.map(|c| ("before", c.to_string())));
    let size = size as u64;
    let mut v = json!({"selfUri": uri(path, size, own, &rest)});
    if start < end {
        if end < entries.len() {
            v["nextUri"] = json!(uri(
                path,
                size,
                Some(("after", encode(&entries[end - 1]))),
                &rest
            ));
        }
        if start > 0 {
            v["previousUri"] = json!(uri(
                path,
                size,
                Some(("before", encode(&entries[start]))),
                &rest
            ));
        }
    }
    let page: Vec<Value> = entries
        .drain(start..end)
        .map(|e| e.item)
        .map(render)
        .collect();
    v["entities"] = Value::Array(page);
    Ok(v)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn entries(n: usize) -> Vec<Entry<usize>> {
        (0..n)
            .map(|i| Entry {
                name: format!("T{i:02}"),
                id: format!("id{i}"),
                item: i,
            })
            .collect()
    }

    fn cursor_listing(
        path: &str,
        q: &QueryParams,
        entries: Vec<Entry<usize>>,
    ) -> Result<Value, ApiError> {
        super::cursor_listing(path, q, entries, |i| json!(i))
    }

    fn query_of(uri: &Value) -> QueryParams {
        QueryParams::parse(uri.as_str().unwrap().split_once('?').unwrap().1)
    }

    #[test]
    fn forward_to_the_end_and_back() {
        let first =
            cursor_listing("/t", &QueryParams::parse("pageSize=2&name=t"), entries(5)).unwrap();
        assert_eq!(first["entities"], json!([0, 1]));
        assert!(first.get("previousUri").is_none());
        let second = cursor_listing("/t", &query_of(&first["nextUri"]), entries(5)).unwrap();
        assert_eq!(second["entities"], json!([2, 3]));
        assert!(second["nextUri"].as_str().unwrap().contains("name=t"));
        let last = cursor_listing("/t", &query_of(&second["nextUri"]), entries(5)).unwrap();
        assert_eq!(last["entities"], json!([4]));
        assert!(last.get("nextUri").is_none());
        let back = cursor_listing("/t", &query_of(&last["previousUri"]), entries(5)).unwrap();
        assert_eq!(back["entities"], json!([2, 3]));
        let front = cursor_listing("/t", &query_of(&back["previousUri"]), entries(5)).unwrap();
        assert_eq!(front["entities"], json!([0, 1]));
        assert!(front.get("previousUri").is_none());
    }

    #[test]
    fn bad_cursors_and_sizes_are_refused() {
        for q in [
            "after=%%%",
            "after=bm9wZQ",
            "pageSize=0",
            "pageSize=501",
            "after=a&before=b",
        ] {
            assert!(
                cursor_listing("/t", &QueryParams::parse(q), entries(1)).is_err(),
                "{q}"
            );
        }
    }
}
