//! The smallest edits that turn a manifest value into the live one: mappings key by key, lists
//! item by item, scalars replaced, so that a changed ring timeout is one line, not the
//! whole bullseye.

use serde_json::{Map, Value};
use switchboard_manifest::edit::Edit;

use crate::locate::pointer;

/// Edits that make the manifest value `have` at `at` (a pointer) read as `want`. `keep`
/// says which keys the manifest may leave out although the org has them (a default the plan
/// fills in); `Err` when the value changes shape (a list where a single value was).
pub(crate) fn adopt(
    at: &str,
    have: &Value,
    want: &Value,
    keep: &dyn Fn(&str, &str, &Value) -> bool,
    edits: &mut Vec<Edit>,
) -> Result<(), String> {
    if same(have, want) {
        return Ok(());
    }
    match (have, want) {
        (Value::Object(have), Value::Object(want)) => {
            for (key, wanted) in want {
                let child = format!("{at}{}", pointer(&[key]));
                match have.get(key).filter(|v| !v.is_null()) {
                    Some(had) => adopt(&child, had, wanted, keep, edits)?,
                    None if keep(at, key, wanted) || is_empty(wanted) => {}
                    None => edits.push(Edit::Insert {
                        pointer: at.to_string(),
                        key: key.clone(),
                        value: wanted.clone(),
                    }),
                }
            }
            for (key, had) in have {
                if !want.contains_key(key) && !is_empty(had) {
                    edits.push(Edit::RemoveKey {
                        pointer: format!("{at}{}", pointer(&[key])),
                    });
                }
            }
        }
        (Value::Array(have), Value::Array(want)) => {
            for (i, (had, wanted)) in have.iter().zip(want).enumerate() {
                adopt(&format!("{at}/{i}"), had, wanted, keep, edits)?;
            }
            for wanted in want.iter().skip(have.len()) {
                edits.push(Edit::Add {
                    pointer: at.to_string(),
                    value: wanted.clone(),
                    after: None,
                });
            }
            // From the end, so each pointer still names its item when its turn comes.
            for i in (want.len()..have.len()).rev() {
                edits.push(Edit::RemoveItem {
                    pointer: format!("{at}/{i}"),
                });
            }
        }
        (Value::Array(_) | Value::Object(_), _) | (_, Value::Array(_) | Value::Object(_)) => {
            return Err(format!(
                "{at} is a {} in the manifest and a {} in the org",
                shape(have),
                shape(want)
            ));
        }
        _ => edits.push(Edit::Replace {
            pointer: at.to_string(),
            value: want.clone(),
        }),
    }
    Ok(())
}

fn shape(value: &Value) -> &'static str {
    match value {
        Value::Array(_) => "list",
        Value::Object(_) => "mapping",
        _ => "single value",
    }
}

/// Whether two values mean the same to the plan: nulls, empty lists and mappings are
/// absent, and `15.0` is `15`.
fn same(a: &Value, b: &Value) -> bool {
    normal(a) == normal(b)
}

fn is_empty(value: &Value) -> bool {
    normal(value).is_null()
}

/// One comparable form, as the plan compares (`Null` for anything empty).
fn normal(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let map: Map<String, Value> = map
                .iter()
                .map(|(k, v)| (k.clone(), normal(v)))
                .filter(|(_, v)| !v.is_null())
                .collect();
            if map.is_empty() {
                Value::Null
            } else {
                Value::Object(map)
            }
        }
        Value::Array(items) if items.is_empty() => Value::Null,
        Value::Array(items) => Value::Array(items.iter().map(normal).collect()),
        Value::Number(n) => whole(n).unwrap_or_else(|| value.clone()),
        other => other.clone(),
    }
}

/// A whole float as the integer it is (`4.0` → `4`), as the plan and export write numbers.
fn whole(n: &serde_json::Number) -> Option<Value> {
    let f = n.as_f64().filter(|_| n.is_f64())?;
    if f.fract() != 0.0 || f.abs() >= 9.0e15 {
        return None;
    }
    // Whole and well inside i64.
    #[allow(clippy::cast_possible_truncation)]
    Some(Value::from(f as i64))
}

/// `value` with whole floats written as integers, everywhere in it.
pub(crate) fn whole_numbers(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, whole_numbers(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(whole_numbers).collect()),
        Value::Number(n) => whole(&n).unwrap_or(Value::Number(n)),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use serde_json::json;

    use super::*;

    fn edits(have: Value, want: Value) -> Vec<Edit> {
        let mut edits = Vec::new();
        adopt("/q", &have, &want, &|_, _, _| false, &mut edits).unwrap();
        edits
    }

    #[test]
    fn only_what_differs_is_edited() {
        assert_eq!(edits(json!({"a": 15.0, "b": []}), json!({"a": 15})), vec![]);
        assert_eq!(
            edits(
                json!({"rings": [{"t": 15}, {"t": 30}, {}]}),
                json!({"rings": [{"t": 15}, {"t": 45}, {}, {}]})
            ),
            vec![
                Edit::Replace {
                    pointer: "/q/rings/1/t".into(),
                    value: json!(45)
                },
                Edit::Add {
                    pointer: "/q/rings".into(),
                    value: json!({}),
                    after: None
                },
            ]
        );
        assert_eq!(
            edits(
                json!({"a": 1, "b": 2, "c": [1, 2, 3]}),
                json!({"a": 1, "d": 4, "c": [1]})
            ),
            vec![
                Edit::RemoveItem {
                    pointer: "/q/c/2".into()
                },
                Edit::RemoveItem {
                    pointer: "/q/c/1".into()
                },
                Edit::Insert {
                    pointer: "/q".into(),
                    key: "d".into(),
                    value: json!(4)
                },
                Edit::RemoveKey {
                    pointer: "/q/b".into()
                },
            ]
        );
    }
}
