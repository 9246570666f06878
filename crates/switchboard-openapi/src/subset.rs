//! A description cut down to some operations: what a server that checks the bodies it receives
//! (and, optionally, the bodies it answers) needs, small enough to commit as a derived file.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::schema::KEYWORDS;
use crate::{Spec, SpecError, unsupported};

/// The parameter keys that are kept: what validation reads. The rest (`description`, `default`,
/// `x-*`, ...) is documentation.
const PARAMETER_KEYS: &[&str] = &[
    "name",
    "in",
    "required",
    "type",
    "format",
    "enum",
    "items",
    "collectionFormat",
];

/// Which sides of the operations a cut keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sides {
    /// Parameters and request bodies.
    Request,
    /// Parameters, request bodies and responses.
    Both,
}

/// The request side of the description `doc` for `operations`, given as `(method, path
/// template)` pairs: a Swagger 2.0 document with those operations only (their `operationId`
/// and their path, query and body parameters; no responses), and only the definitions their
/// body schemas reach through `$ref`, `properties`, `items` and `additionalProperties`.
/// Documentation (`description`, `example`, `default`, `summary`, `x-*`, ...) is dropped and
/// object keys are sorted, so the result is stable to commit; it loads with
/// [`Spec::from_value`].
pub fn request_subset(doc: &Value, operations: &[(&str, &str)]) -> Result<Value, SpecError> {
    cut(doc, operations, Sides::Request)
}

/// Both sides of the description `doc` for `operations`: [`request_subset`], plus each
/// operation's `responses` (every status code and `default`, each with its schema when it has
/// one), and the definitions those response schemas reach. What a server needs to check the
/// bodies it receives and the bodies it answers.
pub fn served_subset(doc: &Value, operations: &[(&str, &str)]) -> Result<Value, SpecError> {
    cut(doc, operations, Sides::Both)
}

fn cut(doc: &Value, operations: &[(&str, &str)], sides: Sides) -> Result<Value, SpecError> {
    // Compiling the whole description first refuses any keyword the validator does not
    // support, so keeping only the known keywords below never drops a rule silently.
    let spec = Spec::from_value(doc)?;
    let mut paths: BTreeMap<&str, Map<String, Value>> = BTreeMap::new();
    let mut pending: Vec<&str> = Vec::new();
    for &(method, template) in operations {
        let method = method.to_ascii_lowercase();
        let upper = method.to_ascii_uppercase();
        let missing = || SpecError::NoSuchOperation {
            method: upper.clone(),
            template: template.to_owned(),
        };
        let raw = doc
            .get("paths")
            .and_then(|p| p.get(template))
            .and_then(|item| item.get(&method))
            .ok_or_else(missing)?;
        let compiled = spec
            .paths
            .iter()
            .flat_map(|p| p.operations.values())
            .find(|op| op.template == template && op.method == upper)
            .ok_or_else(missing)?;
        if let Some((schema, _)) = &compiled.body {
            schema.each_ref(&mut |name| pending.push(name));
        }
        let parameters = raw
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(parameter)
            .collect();
        let mut kept = Map::new();
        if let Some(id) = raw.get("operationId") {
            kept.insert("operationId".to_owned(), id.clone());
        }
        kept.insert("parameters".to_owned(), Value::Array(parameters));
        if sides == Sides::Both {
            compiled
                .responses
                .values()
                .flatten()
                .for_each(|s| s.each_ref(&mut |name| pending.push(name)));
            let responses = raw
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(code, r)| {
                    let mut response = Map::new();
                    if let Some(body) = r.get("schema") {
                        response.insert("schema".to_owned(), schema(body));
                    }
                    (code.clone(), Value::Object(response))
                })
                .collect();
            kept.insert("responses".to_owned(), Value::Object(responses));
        }
        paths
            .entry(template)
            .or_default()
            .insert(method, Value::Object(kept));
    }
    let mut definitions = Map::new();
    while let Some(name) = pending.pop() {
        if definitions.contains_key(name) {
            continue;
        }
        let raw = doc.get("definitions").and_then(|d| d.get(name));
        let (Some(compiled), Some(raw)) = (spec.definitions.get(name), raw) else {
            // `Spec::from_value` has checked every `$ref`; this only keeps the cut total.
            return Err(unsupported(
                "/definitions",
                format!("$ref to missing definition `{name}`"),
            ));
        };
        compiled.each_ref(&mut |target| pending.push(target));
        definitions.insert(name.to_owned(), schema(raw));
    }
    let mut out = Map::new();
    out.insert("swagger".to_owned(), Value::String("2.0".to_owned()));
    out.insert(
        "paths".to_owned(),
        Value::Object(
            paths
                .into_iter()
                .map(|(t, item)| (t.to_owned(), Value::Object(item)))
                .collect(),
        ),
    );
    out.insert("definitions".to_owned(), Value::Object(definitions));
    let out = sorted(Value::Object(out));
    // The cut must stand on its own.
    Spec::from_value(&out)?;
    Ok(out)
}

/// A parameter without its documentation; a body parameter's schema is cut like a definition.
fn parameter(p: &Value) -> Value {
    let mut kept = keep(p, PARAMETER_KEYS);
    if let Some(items) = p.get("items") {
        kept.insert(
            "items".to_owned(),
            Value::Object(keep(items, PARAMETER_KEYS)),
        );
    }
    if let Some(body) = p.get("schema") {
        kept.insert("schema".to_owned(), schema(body));
    }
    Value::Object(kept)
}

/// A schema with only the validated keywords, at every depth.
fn schema(s: &Value) -> Value {
    let Some(obj) = s.as_object() else {
        // `additionalProperties: true/false`.
        return s.clone();
    };
    let mut kept = keep(s, KEYWORDS);
    if let Some(Value::Object(properties)) = obj.get("properties") {
        let properties = properties
            .iter()
            .map(|(name, p)| (name.clone(), schema(p)))
            .collect();
        kept.insert("properties".to_owned(), Value::Object(properties));
    }
    for key in ["items", "additionalProperties"] {
        if let Some(inner) = obj.get(key) {
            kept.insert(key.to_owned(), schema(inner));
        }
    }
    Value::Object(kept)
}

/// The listed keys of an object, cloned.
fn keep(v: &Value, keys: &[&str]) -> Map<String, Value> {
    keys.iter()
        .filter_map(|&k| v.get(k).map(|x| (k.to_owned(), x.clone())))
        .collect()
}

/// `v` with every object's keys in sorted order (whatever order `serde_json::Map` keeps).
fn sorted(v: Value) -> Value {
    match v {
        Value::Object(map) => {
            let entries: BTreeMap<String, Value> =
                map.into_iter().map(|(k, x)| (k, sorted(x))).collect();
            Value::Object(entries.into_iter().collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A small description with documentation everywhere and one unreachable definition.
    fn doc() -> Value {
        json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "v2"},
            "paths": {
                "/things/{kind}": {
                    "x-note": "dropped",
                    "post": {
                        "operationId": "postThing",
                        "summary": "dropped",
                        "description": "dropped",
                        "parameters": [
                            {"name": "kind", "in": "path", "required": true, "type": "string",
                             "enum": ["A", "B"], "description": "dropped"},
                            {"name": "tag", "in": "query", "required": false, "type": "array",
                             "collectionFormat": "multi", "default": "x",
                             "items": {"type": "string", "enum": ["x", "y"]}},
                            {"name": "body", "in": "body", "required": true,
                             "schema": {"type": "array", "items": {"$ref": "#/definitions/Thing"}}}
                        ],
                        "responses": {"200": {"schema": {"$ref": "#/definitions/Answer"}}}
                    },
                    "get": {"parameters": [], "responses": {}}
                }
            },
            "definitions": {
                "Thing": {"type": "object", "description": "dropped", "x-source": "dropped",
                    "required": ["name"],
                    "properties": {
                        "name": {"type": "string", "description": "dropped"},
                        "description": {"type": "string"},
                        "parts": {"type": "object",
                                  "additionalProperties": {"$ref": "#/definitions/Part"}}
                    }},
                "Part": {"type": "object", "properties": {
                    "next": {"$ref": "#/definitions/Part", "description": "dropped"}}},
                "Answer": {"type": "object", "properties": {"id": {"type": "string"}}}
            }
        })
    }

    #[test]
    fn keeps_the_request_side_of_the_listed_operations_only() {
        let cut = request_subset(&doc(), &[("POST", "/things/{kind}")]).unwrap();
        let want = json!({
            "swagger": "2.0",
            "paths": {"/things/{kind}": {"post": {
                "operationId": "postThing",
                "parameters": [
                    {"enum": ["A", "B"], "in": "path", "name": "kind", "required": true,
                     "type": "string"},
                    {"collectionFormat": "multi", "in": "query",
                     "items": {"enum": ["x", "y"], "type": "string"}, "name": "tag",
                     "required": false, "type": "array"},
                    {"in": "body", "name": "body", "required": true,
                     "schema": {"items": {"$ref": "#/definitions/Thing"}, "type": "array"}}
                ]
            }}},
            "definitions": {
                "Part": {"properties": {"next": {"$ref": "#/definitions/Part"}}, "type": "object"},
                "Thing": {"properties": {
                    "description": {"type": "string"},
                    "name": {"type": "string"},
                    "parts": {"additionalProperties": {"$ref": "#/definitions/Part"},
                              "type": "object"}
                }, "required": ["name"], "type": "object"}
            }
        });
        assert_eq!(cut, want);
        let text = serde_json::to_string_pretty(&cut).unwrap();
        assert!(
            text.find("\"definitions\"").unwrap() < text.find("\"paths\"").unwrap(),
            "keys are sorted"
        );
        let spec = Spec::from_value(&cut).unwrap();
        let op = spec.operation("POST", "/things/B").unwrap();
        assert_eq!(
            op.path_parameter_enum("kind"),
            Some(&["A".to_owned(), "B".to_owned()][..])
        );
        assert!(spec.validate_query("POST", "/things/A", "tag=z").is_err());
        assert!(
            spec.validate_request_body("POST", "/things/A", &json!([{"name": "n"}]))
                .is_ok()
        );
    }

    #[test]
    fn the_served_subset_keeps_the_responses_too() {
        let mut doc = doc();
        doc["paths"]["/things/{kind}"]["post"]["responses"]["default"] =
            json!({"description": "dropped", "schema": {"$ref": "#/definitions/Oops"}});
        doc["paths"]["/things/{kind}"]["post"]["responses"]["204"] =
            json!({"description": "no body"});
        doc["definitions"]["Oops"] = json!({"type": "object", "properties": {
            "code": {"type": "string", "description": "dropped"}}});
        let cut = served_subset(&doc, &[("POST", "/things/{kind}")]).unwrap();
        let request_side = request_subset(&doc, &[("POST", "/things/{kind}")]).unwrap();
        let post = &cut["paths"]["/things/{kind}"]["post"];
        assert_eq!(
            post["parameters"],
            request_side["paths"]["/things/{kind}"]["post"]["parameters"]
        );
        assert_eq!(
            post["responses"],
            json!({
                "200": {"schema": {"$ref": "#/definitions/Answer"}},
                "204": {},
                "default": {"schema": {"$ref": "#/definitions/Oops"}}
            })
        );
        assert_eq!(
            cut["definitions"]
                .as_object()
                .unwrap()
                .keys()
                .collect::<Vec<_>>(),
            ["Answer", "Oops", "Part", "Thing"]
        );
        assert_eq!(
            cut["definitions"]["Oops"],
            json!({"properties": {"code": {"type": "string"}}, "type": "object"})
        );
        let spec = Spec::from_value(&cut).unwrap();
        assert!(
            spec.validate_response_body("POST", "/things/A", 200, &json!({"id": "x"}))
                .is_ok()
        );
        assert!(
            spec.validate_response_body("POST", "/things/A", 200, &json!({"id": 1}))
                .is_err()
        );
        assert!(
            spec.validate_response_body("POST", "/things/A", 404, &json!({"code": "x"}))
                .is_ok()
        );
        assert!(
            spec.validate_response_body("POST", "/things/A", 204, &Value::Null)
                .is_ok()
        );
        // The request side alone has no responses to check against.
        assert!(
            Spec::from_value(&request_side)
                .unwrap()
                .validate_response_body("POST", "/things/A", 200, &json!({"id": "x"}))
                .is_err()
        );
    }

    #[test]
    fn an_operation_not_in_the_description_is_an_error() {
        let err = request_subset(&doc(), &[("PUT", "/things/{kind}")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "PUT /things/{kind} is not an operation of the description"
        );
        assert!(request_subset(&doc(), &[("post", "/nothing")]).is_err());
        assert!(served_subset(&doc(), &[("post", "/nothing")]).is_err());
    }
}
