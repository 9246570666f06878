//! Reading the recipes' CI files: what the GitHub and GitLab runners share.

use serde_yaml_ng::{Mapping, Value};

/// The YAML file `docs/recipes/<dir>/<file>`, parsed.
pub fn load(dir: &str, file: &str) -> Mapping {
    let path = super::session::repo_root()
        .join("docs/recipes")
        .join(dir)
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The value under `name`.
pub fn key<'a>(map: &'a Mapping, name: &str) -> Option<&'a Value> {
    map.get(Value::String(name.into()))
}

/// A scalar as the runner passes it on: text.
pub fn string(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => panic!("expected a scalar, found {other:?}"),
    }
}
