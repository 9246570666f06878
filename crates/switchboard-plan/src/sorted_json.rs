//! JSON with object keys sorted at every level, whatever order a map holds them in: the
//! writer behind rendered values (inline or pretty). Fingerprints write their canonical form
//! straight from `Serialize` (`crate::canonical`).

use std::fmt::Write;

use serde_json::Value;

/// How the JSON is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// One line, `, ` and `: ` between items.
    Inline,
    /// Two-space indent, one item per line, starting at this level.
    Pretty(usize),
}

/// `value` as JSON in `layout`.
pub(crate) fn to_string(value: &Value, layout: Layout) -> String {
    let mut out = String::new();
    write(&mut out, value, layout);
    out
}

fn write(out: &mut String, value: &Value, layout: Layout) {
    let (comma, colon) = match layout {
        Layout::Inline => (", ", ": "),
        Layout::Pretty(_) => (",", ": "),
    };
    let inner = match layout {
        Layout::Pretty(level) => Layout::Pretty(level + 1),
        other => other,
    };
    let newline = |out: &mut String, layout: Layout| {
        if let Layout::Pretty(level) = layout {
            out.push('\n');
            out.push_str(&"  ".repeat(level));
        }
    };
    match value {
        Value::Array(items) if !items.is_empty() => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(comma);
                }
                newline(out, inner);
                write(out, item, inner);
            }
            newline(out, layout);
            out.push(']');
        }
        Value::Object(map) if !map.is_empty() => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            // serde_json's map keeps keys sorted unless its `preserve_order` feature is on;
            // checking is cheaper than sorting again.
            if !entries.is_sorted_by(|a, b| a.0 <= b.0) {
                entries.sort_by(|a, b| a.0.cmp(b.0));
            }
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(comma);
                }
                newline(out, inner);
                // serde_json escapes the key (as it does string values, below).
                out.push_str(&serde_json::to_string(key.as_str()).unwrap_or_default());
                out.push_str(colon);
                write(out, item, inner);
            }
            newline(out, layout);
            out.push('}');
        }
        // Scalars, `[]` and `{}`: serde_json escapes strings.
        _ => {
            let _ = write!(out, "{value}");
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn every_layout_sorts_keys() {
        let value = json!({"b": [1, {}], "a": {"d": [], "c": "x"}});
        assert_eq!(
            to_string(&value, Layout::Inline),
            r#"{"a": {"c": "x", "d": []}, "b": [1, {}]}"#
        );
        assert_eq!(
            to_string(&value, Layout::Pretty(0)),
            "{\n  \"a\": {\n    \"c\": \"x\",\n    \"d\": []\n  },\n  \"b\": [\n    1,\n    {}\n  ]\n}"
        );
    }
}
