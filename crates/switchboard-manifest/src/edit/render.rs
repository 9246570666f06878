//! JSON values written as YAML text for an edit: scalars in the style of the value they
//! replace where that style can hold them, new entries and items as block or flow lines like
//! their siblings.
//!
//! Whether a plain scalar reads back as the same string is decided by reading it back with
//! [`crate::yaml::parse`], not by a list of rules, so `yes`, `017` or `a: b` are quoted.

use saphyr_parser::ScalarStyle;
use serde_json::{Map, Value};

use crate::yaml::{self, Limits};

/// Keys written first in a new mapping, in this order; the rest follow alphabetically. They
/// are the ones a person looks for first: what the object is, then how it is reconciled.
const FIRST_KEYS: [&str; 6] = [
    "name",
    "user",
    "renamedFrom",
    "mode",
    "description",
    "division",
];

/// A scalar as YAML text in `style` when it can hold the value, else double-quoted.
/// `None` for a sequence or mapping.
pub(crate) fn scalar(value: &Value, style: ScalarStyle, flow: bool) -> Option<String> {
    Some(match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => match style {
            ScalarStyle::SingleQuoted if single_quotable(s) => {
                format!("'{}'", s.replace('\'', "''"))
            }
            ScalarStyle::Plain if plain(s, flow) => s.clone(),
            _ => double_quoted(s),
        },
        Value::Array(_) | Value::Object(_) => return None,
    })
}

/// A mapping key: plain when it reads back as itself, else double-quoted.
pub(crate) fn key(name: &str, flow: bool) -> String {
    if plain(name, flow) && !name.contains(':') {
        name.to_string()
    } else {
        double_quoted(name)
    }
}

/// JSON's string syntax is YAML's double-quoted syntax for every escape serde_json writes.
fn double_quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{}\"", s.escape_default()))
}

fn single_quotable(s: &str) -> bool {
    !s.chars().any(char::is_control)
}

/// Whether `s` can be written unquoted and read back as the same string.
fn plain(s: &str, flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let reserved = "-?:,[]{}#&*!|>'\"%@`";
    if reserved.contains(first)
        || s.chars().any(char::is_control)
        || s.trim() != s
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || (flow && s.chars().any(|c| ",[]{}".contains(c)))
    {
        return false;
    }
    matches!(
        yaml::parse(s, &Limits::default()),
        Ok(Some(yaml::Spanned { value: yaml::Value::String(read), .. })) if read == s
    )
}

/// The keys of `map` in writing order (see [`FIRST_KEYS`]).
fn ordered(map: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    entries.sort_by_key(|(key, _)| {
        (
            FIRST_KEYS
                .iter()
                .position(|k| k == key)
                .unwrap_or(FIRST_KEYS.len()),
            (*key).clone(),
        )
    });
    entries
}

/// A value in flow style: `{ a: 1, b: [x, y] }`; `spaced` puts spaces inside braces.
pub(crate) fn flow(value: &Value, spaced: bool) -> String {
    match value {
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(|item| flow(item, spaced)).collect();
            format!("[{}]", inner.join(", "))
        }
        Value::Object(map) if map.is_empty() => "{}".to_string(),
        Value::Object(map) => {
            let inner: Vec<String> = ordered(map)
                .into_iter()
                .map(|(k, v)| format!("{}: {}", key(k, true), flow(v, spaced)))
                .collect();
            if spaced {
                format!("{{ {} }}", inner.join(", "))
            } else {
                format!("{{{}}}", inner.join(", "))
            }
        }
        scalar_value => scalar(scalar_value, ScalarStyle::Plain, true).unwrap_or_default(),
    }
}

/// How new block lines are laid out.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Block {
    /// How far a nested mapping is indented under its key.
    pub step: usize,
    /// How far a sequence's dashes are indented under its key (0 or more).
    pub sequence: usize,
}

impl Block {
    /// `key: value` at `indent`, nested values below it, as lines without line breaks.
    pub fn entry(self, name: &str, value: &Value, indent: usize) -> Vec<String> {
        let head = format!("{}{}:", " ".repeat(indent), key(name, false));
        match value {
            Value::Object(map) if !map.is_empty() => {
                let mut lines = vec![head];
                lines.extend(self.mapping(map, indent + self.step));
                lines
            }
            Value::Array(items) if !items.is_empty() => {
                let mut lines = vec![head];
                for item in items {
                    lines.extend(self.item(item, indent + self.sequence));
                }
                lines
            }
            other => vec![format!("{head} {}", inline(other))],
        }
    }

    /// A mapping's entries at `indent`.
    pub fn mapping(self, map: &Map<String, Value>, indent: usize) -> Vec<String> {
        ordered(map)
            .into_iter()
            .flat_map(|(k, v)| self.entry(k, v, indent))
            .collect()
    }

    /// A sequence item whose dash is at `dash`; a mapping starts on the dash's line and its
    /// other keys line up under the first.
    pub fn item(self, value: &Value, dash: usize) -> Vec<String> {
        match value {
            Value::Object(map) if !map.is_empty() => {
                let content = dash + 2;
                let mut lines = self.mapping(map, content);
                if let Some(first) = lines.first_mut() {
                    let key = first.get(content..).unwrap_or(first.as_str()).to_string();
                    *first = format!("{}- {key}", " ".repeat(dash));
                }
                lines
            }
            other => vec![format!("{}- {}", " ".repeat(dash), inline(other))],
        }
    }
}

/// A value on one line: a scalar plain where possible, a collection in flow style.
fn inline(value: &Value) -> String {
    match value {
        Value::Array(_) | Value::Object(_) => flow(value, true),
        other => scalar(other, ScalarStyle::Plain, false).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use serde_json::json;

    use super::*;

    #[test]
    fn plain_only_when_it_reads_back_as_the_same_string() {
        let plain = |s: &str| scalar(&json!(s), ScalarStyle::Plain, false).unwrap();
        assert_eq!(plain("Billing EN"), "Billing EN");
        assert_eq!(plain("ana@example.com"), "ana@example.com");
        assert_eq!(plain("yes"), "yes");
        assert_eq!(plain("017"), "\"017\"");
        assert_eq!(plain("true"), "\"true\"");
        assert_eq!(plain("a: b"), "\"a: b\"");
        assert_eq!(plain("x #y"), "\"x #y\"");
        assert_eq!(plain(" padded"), "\" padded\"");
        assert_eq!(plain("two\nlines"), "\"two\\nlines\"");
        assert_eq!(
            scalar(&json!("a, b"), ScalarStyle::Plain, true).unwrap(),
            "\"a, b\""
        );
        assert_eq!(
            scalar(&json!("it's"), ScalarStyle::SingleQuoted, false).unwrap(),
            "'it''s'"
        );
    }

    #[test]
    fn blocks_put_identity_keys_first_and_nest_by_the_files_steps() {
        let block = Block {
            step: 2,
            sequence: 0,
        };
        let value = json!({"skillsToRemove": ["A"], "name": "Q", "acw": {"timeoutMs": 1}});
        assert_eq!(
            block.item(&value, 2),
            vec![
                "  - name: Q",
                "    acw:",
                "      timeoutMs: 1",
                "    skillsToRemove:",
                "    - A",
            ]
        );
        assert_eq!(
            flow(&json!({"user": "a@b.c", "ring": 2}), true),
            "{ user: a@b.c, ring: 2 }"
        );
    }
}
