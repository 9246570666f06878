//! The manifest's JSON schema, generated from the types, and the structural check against it.

use std::sync::LazyLock;

use serde_json::Value as Json;

use crate::diagnostic::{Diagnostic, Finding};
use crate::model::Manifest;
use crate::names::closest;

/// The JSON schema of a manifest (what `schemas/manifest.schema.json` holds).
///
/// Optional keys are simply not required: `null` is not an accepted value (leave the key
/// out instead), which also keeps every finding at the key it is about.
pub fn json_schema() -> Json {
    let mut schema = serde_json::to_value(schemars::schema_for!(Manifest)).unwrap_or(Json::Null);
    without_null(&mut schema);
    schema
}

/// The schema of one file of a manifest split across files, or of an environment overlay:
/// the same as [`json_schema`] but with no top-level key required (`version` and `org` may
/// live in another file). `schemas/manifest-fragment.schema.json` holds it.
pub fn fragment_schema() -> Json {
    let mut schema = json_schema();
    if let Json::Object(root) = &mut schema {
        root.remove("required");
        root.insert("title".into(), Json::from("switchboard manifest fragment"));
        root.insert(
            "description".into(),
            Json::from("One file of a manifest split across files, or an environments/<env>.yaml overlay. The whole must still have `version` and `org`."),
        );
    }
    schema
}

/// [`fragment_schema`] as the committed file holds it.
pub fn fragment_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&fragment_schema()).unwrap_or_default();
    text.push('\n');
    text
}

/// Removes `null` as an accepted value: `anyOf: [T, {type: null}]` becomes `T`, and
/// `type: [x, "null"]` becomes `type: x`.
fn without_null(schema: &mut Json) {
    match schema {
        Json::Object(object) => {
            if let Some(Json::Array(types)) = object.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    object.insert("type".into(), only);
                }
            }
            if let Some(Json::Array(branches)) = object.get("anyOf") {
                let kept: Vec<Json> = branches
                    .iter()
                    .filter(|b| b.get("type") != Some(&Json::from("null")))
                    .cloned()
                    .collect();
                if kept.len() == 1 && kept.len() < branches.len() {
                    object.remove("anyOf");
                    if let Some(Json::Object(inner)) = kept.into_iter().next() {
                        for (key, value) in inner {
                            object.entry(key).or_insert(value);
                        }
                    }
                }
            }
            if object.get("default") == Some(&Json::Null) {
                object.remove("default");
            }
            object.values_mut().for_each(without_null);
        }
        Json::Array(items) => items.iter_mut().for_each(without_null),
        _ => {}
    }
}

/// The schema as the committed file holds it: pretty-printed, with a final newline.
pub fn json_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&json_schema()).unwrap_or_default();
    text.push('\n');
    text
}

/// The schema, generated once.
static SCHEMA: LazyLock<Json> = LazyLock::new(json_schema);

static VALIDATOR: LazyLock<Option<jsonschema::Validator>> =
    LazyLock::new(|| jsonschema::validator_for(&SCHEMA).ok());

/// Checks `instance` against the schema: unknown keys, types, required keys, enums, ranges.
pub(crate) fn check(instance: &Json) -> Vec<Finding> {
    let Some(validator) = VALIDATOR.as_ref() else {
        return vec![Finding::new(
            "",
            Diagnostic::error("", "internal error: the manifest schema does not compile"),
        )];
    };
    let mut findings: Vec<Finding> = validator
        .iter_errors(instance)
        .flat_map(|error| describe(&error))
        .collect();
    findings.sort_by(|a, b| {
        a.pointer
            .cmp(&b.pointer)
            .then(a.diagnostic.message.cmp(&b.diagnostic.message))
    });
    findings
        .dedup_by(|a, b| a.pointer == b.pointer && a.diagnostic.message == b.diagnostic.message);
    findings
}

fn describe(error: &jsonschema::ValidationError<'_>) -> Vec<Finding> {
    use jsonschema::error::ValidationErrorKind as Kind;
    let pointer = error.instance_path().as_str().to_string();
    let found = |pointer: String, message: String, hint: Option<String>, at_key: bool| {
        let mut diagnostic = Diagnostic::error("", message);
        if let Some(hint) = hint {
            diagnostic = diagnostic.with_hint(hint);
        }
        Finding {
            pointer,
            at_key,
            diagnostic,
        }
    };
    match error.kind() {
        Kind::AdditionalProperties { unexpected } => unexpected
            .iter()
            .map(|key| {
                let allowed = allowed_keys(&pointer);
                let hint = closest(key, allowed.iter().map(String::as_str))
                    .map(|near| format!("did you mean `{near}`?"))
                    .or_else(|| {
                        (!allowed.is_empty())
                            .then(|| format!("allowed here: {}", allowed.join(", ")))
                    });
                let child = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                found(child, format!("unknown key `{key}`"), hint, true)
            })
            .collect(),
        Kind::Required { property } => {
            let name = property.as_str().unwrap_or("?");
            let child = format!("{pointer}/{}", name.replace('~', "~0").replace('/', "~1"));
            let allowed = allowed_values(&child);
            let hint = if pointer.is_empty() && name == "org" {
                Some(
                    "add an org guard (`org: {name: ..., region: ...}`), or pass --env to use one from environments/"
                        .to_string(),
                )
            } else if allowed.is_empty() {
                None
            } else {
                // A key whose values are a closed set: say them.
                Some(format!("add `{name}:`, one of {}", allowed.join(", ")))
            };
            vec![found(
                pointer,
                format!("missing required key `{name}`"),
                hint,
                false,
            )]
        }
        kind => {
            // Name the field the value belongs to ("`ring`: 9 is greater than the maximum of
            // 6") and never echo a long value back.
            let field = pointer
                .rsplit('/')
                .find(|segment| segment.parse::<usize>().is_err())
                .unwrap_or_default();
            let field = field.replace("~1", "/").replace("~0", "~");
            let value = error.instance();
            let what = match kind {
                Kind::Type { kind } => format!(
                    "should be {}, not {}",
                    type_name(&format!("{kind:?}")),
                    json_type(value)
                ),
                Kind::MaxItems { limit } => {
                    format!("has {}; at most {limit} are allowed", items(len(value)))
                }
                Kind::MinItems { limit } => {
                    format!("has {}; at least {limit} are needed", items(len(value)))
                }
                Kind::MaxLength { limit } => format!("is longer than {limit} characters"),
                Kind::MinLength { limit } => format!("is shorter than {limit} character(s)"),
                Kind::Enum { .. }
                | Kind::OneOfNotValid { .. }
                | Kind::AnyOf { .. }
                | Kind::Constant { .. } => {
                    let allowed = allowed_values(&pointer);
                    if allowed.is_empty() {
                        format!("{} is not allowed here", short(value))
                    } else {
                        format!("{} is not one of {}", short(value), allowed.join(", "))
                    }
                }
                Kind::Pattern { pattern } => match PATTERNS.iter().find(|(p, _)| p == pattern) {
                    Some((_, what)) => format!("{} is not {what}", short(value)),
                    None => error.to_string(),
                },
                _ => error.to_string(),
            };
            let message = if field.is_empty() {
                what
            } else {
                format!("`{field}`: {what}")
            };
            vec![found(pointer, message, None, false)]
        }
    }
}

/// The manifest's patterns, each with what a value must look like, for messages that say it
/// in words rather than quote the pattern.
const PATTERNS: [(&str, &str); 3] = [
    (
        crate::model::UUID_PATTERN,
        "an id (a UUID such as 3d6f1b8e-92a4-4c17-b5e0-6a8c2f4d9e13)",
    ),
    (
        crate::model::EMAIL_ADDRESS_PATTERN,
        "an email address (pattern@domain)",
    ),
    (
        crate::model::LANGUAGE_CODE_PATTERN,
        "a language code such as en-US",
    ),
];

/// A value in a message: itself when short, its kind when long.
fn short(value: &Json) -> String {
    let text = value.to_string();
    if text.chars().count() <= 40 {
        text
    } else {
        format!("this {}", json_type(value))
    }
}

fn items(count: usize) -> String {
    if count == 1 {
        "1 item".into()
    } else {
        format!("{count} items")
    }
}

fn len(value: &Json) -> usize {
    value.as_array().map_or(0, Vec::len)
}

fn json_type(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(n) if n.is_f64() => "a decimal number",
        Json::Number(_) => "a whole number",
        Json::String(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "a mapping",
    }
}

/// `Single(Integer)`-style debug names as words.
fn type_name(kind: &str) -> String {
    let words: Vec<&str> = [
        "Integer", "Number", "String", "Boolean", "Array", "Object", "Null",
    ]
    .into_iter()
    .filter(|t| kind.contains(t))
    .map(|t| match t {
        "Integer" => "a whole number",
        "Number" => "a number",
        "String" => "a string",
        "Boolean" => "true or false",
        "Array" => "a list",
        "Object" => "a mapping",
        _ => "null",
    })
    .collect();
    if words.is_empty() {
        "another type".into()
    } else {
        words.join(" or ")
    }
}

/// The values the schema allows at `pointer` (enum values and `const` branches).
fn allowed_values(pointer: &str) -> Vec<String> {
    let schema: &Json = &SCHEMA;
    let Some(node) = schema_at(schema, pointer) else {
        return Vec::new();
    };
    let node = resolve(schema, node);
    let mut values: Vec<String> = node
        .get("enum")
        .and_then(Json::as_array)
        .map(|values| {
            values
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    for branch in node
        .get("oneOf")
        .or_else(|| node.get("anyOf"))
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        let branch = resolve(schema, branch);
        if let Some(value) = branch.get("const").and_then(Json::as_str) {
            values.push(value.to_string());
        }
        if let Some(more) = branch.get("enum").and_then(Json::as_array) {
            values.extend(more.iter().filter_map(|v| v.as_str().map(str::to_string)));
        }
    }
    values
}

/// The schema node that describes the value at `pointer`.
fn schema_at<'a>(schema: &'a Json, pointer: &str) -> Option<&'a Json> {
    let mut node = schema;
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        node = resolve(schema, node);
        node = if segment.parse::<usize>().is_ok() && node.get("items").is_some() {
            node.get("items")?
        } else if let Some(property) = node.get("properties").and_then(|p| p.get(&segment)) {
            property
        } else {
            node.get("additionalProperties")?
        };
    }
    Some(node)
}

/// The keys the schema allows for the object at `pointer` (for "did you mean").
fn allowed_keys(pointer: &str) -> Vec<String> {
    let schema: &Json = &SCHEMA;
    let Some(node) = schema_at(schema, pointer) else {
        return Vec::new();
    };
    resolve(schema, node)
        .get("properties")
        .and_then(Json::as_object)
        .map(|properties| properties.keys().cloned().collect())
        .unwrap_or_default()
}

/// Follows `$ref`, and `anyOf`/`oneOf` with exactly one branch that is not `null`.
fn resolve<'a>(schema: &'a Json, mut node: &'a Json) -> &'a Json {
    for _ in 0..8 {
        if let Some(reference) = node.get("$ref").and_then(Json::as_str) {
            match reference.strip_prefix('#').and_then(|p| schema.pointer(p)) {
                Some(target) => node = target,
                None => return node,
            }
            continue;
        }
        let branches = node
            .get("anyOf")
            .or_else(|| node.get("oneOf"))
            .and_then(Json::as_array);
        let mut real = branches
            .into_iter()
            .flatten()
            .filter(|b| b.get("type") != Some(&Json::from("null")));
        match (real.next(), real.next()) {
            (Some(only), None) => node = only,
            _ => return node,
        }
    }
    node
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use serde_json::json;

    #[test]
    fn every_pattern_of_the_schema_is_said_in_words() {
        fn patterns<'a>(node: &'a Json, out: &mut Vec<&'a str>) {
            match node {
                Json::Object(map) => {
                    if let Some(Json::String(pattern)) = map.get("pattern") {
                        out.push(pattern);
                    }
                    map.values().for_each(|v| patterns(v, out));
                }
                Json::Array(items) => items.iter().for_each(|v| patterns(v, out)),
                _ => {}
            }
        }
        let mut found = Vec::new();
        patterns(&SCHEMA, &mut found);
        assert!(found.len() >= 3, "{found:?}");
        for pattern in found {
            assert!(
                PATTERNS.iter().any(|(p, _)| *p == pattern),
                "the pattern {pattern} has no words in PATTERNS"
            );
        }
    }

    #[test]
    fn the_schema_compiles_and_documents_fields() {
        assert!(VALIDATOR.is_some());
        let text = json_schema_text();
        assert!(
            text.contains("The org this manifest is for"),
            "doc comments become descriptions"
        );
        assert!(
            text.contains("\"additionalProperties\": false"),
            "unknown keys are refused"
        );
    }

    #[test]
    fn unknown_keys_suggest_the_closest_allowed_one() {
        let findings = check(&json!({
            "version": 1,
            "org": {"name": "A", "region": "mypurecloud.ie"},
            "queues": [{"name": "Q", "mediaSetings": {}}]
        }));
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].pointer, "/queues/0/mediaSetings");
        assert_eq!(findings[0].diagnostic.message, "unknown key `mediaSetings`");
        assert_eq!(
            findings[0].diagnostic.hint.as_deref(),
            Some("did you mean `mediaSettings`?")
        );
    }

    #[test]
    fn ranges_and_enums_come_from_api_facts() {
        let findings = check(&json!({
            "version": 1,
            "org": {"name": "A", "region": "mypurecloud.ie"},
            "queues": [{
                "name": "Q",
                "mediaSettings": {"call": {"alertingTimeoutSeconds": 5, "serviceLevel": {"percentage": 1.5, "durationMs": 20000}}},
                "acwSettings": {"wrapupPrompt": "SOMETIMES", "timeoutMs": 10},
                "members": {"mode": "additive", "users": [{"user": "a@b.c", "ring": 7}]}
            }]
        }));
        let pointers: Vec<&str> = findings.iter().map(|f| f.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            vec![
                "/queues/0/acwSettings/timeoutMs",
                "/queues/0/acwSettings/wrapupPrompt",
                "/queues/0/mediaSettings/call/alertingTimeoutSeconds",
                "/queues/0/mediaSettings/call/serviceLevel/percentage",
                "/queues/0/members/users/0/ring",
            ]
        );
    }
}
