//! Schema compilation and validation for exactly the Swagger 2.0 schema subset the routing spec
//! uses: `type` (string, integer, number, boolean, array, object), `format`, string `enum`,
//! `items`, `$ref` (to `#/definitions/X`, siblings limited to `description`), `properties`,
//! `required` and `additionalProperties`. Any other keyword fails [`crate::Spec::load`], so a
//! spec that starts using e.g. `allOf` or `readOnly` is noticed instead of being half-checked.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::{JsonType, SpecError, Violation, ViolationKind, unsupported};

/// How `required` lists, `null` and integer ranges are judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValidationMode {
    /// Every `required` list is enforced at every depth: what our client sends must be complete.
    Request,
    /// `required` is enforced on the resource itself: the root object, the items of a root
    /// array, and the items of the root object's `entities` / `results` array (entity listings,
    /// search results). It is not enforced deeper, on embedded references such as
    /// `User.manager`, `QueueMember.user`, `User.groups[]` or `TokenInfo.OAuthClient`: Genesys
    /// returns those as partial shapes (`{id, selfUri}`), while the spec's `required` lists come
    /// from SDK typings describing the full resource (`User.version`, `Group.type`, ...).
    Response,
    /// A request body as the server receives it, which is how the simulator checks what it is
    /// sent: [`ValidationMode::Request`], except that `null` counts as absent everywhere (as an
    /// array item too; the API's JSON binding reads it that way), and an `int32` integer must
    /// fit in 32 bits. A `null` *whole* value is still refused.
    Received,
    /// A response body as the simulator answers it: [`ValidationMode::Response`], except that
    /// `null` is refused as the value of a declared property or of a map whose values have a
    /// schema. The description declares a type (integer, number, string, boolean, object,
    /// array) for each; the simulator leaves an unset field out rather than answering `null`
    /// for it. Values inside a free-form map (`type: object` alone) are not looked at.
    Served,
}

impl ValidationMode {
    /// Whether `required` is judged as for a response (on the resource only).
    fn is_response(self) -> bool {
        matches!(self, ValidationMode::Response | ValidationMode::Served)
    }

    /// Whether `null` passes as the value of a declared property or a map value.
    fn null_is_absent(self) -> bool {
        self != ValidationMode::Served
    }
}

/// A compiled schema.
#[derive(Debug)]
pub(crate) enum Schema {
    /// `$ref: "#/definitions/<name>"`.
    Ref(String),
    String {
        format: StrFormat,
        allowed: Option<Vec<String>>,
    },
    Integer {
        /// `format: int32`; its range is checked in [`ValidationMode::Received`] only.
        int32: bool,
    },
    Number,
    Boolean,
    Array(Box<Schema>),
    Object {
        /// The definition name, for messages; `None` for inline objects.
        name: Option<String>,
        properties: BTreeMap<String, Schema>,
        required: Vec<String>,
        extra: Extra,
    },
}

/// What an object does with keys that are not in `properties`.
#[derive(Debug)]
pub(crate) enum Extra {
    /// A closed object: undeclared keys are violations.
    Forbidden,
    /// A free-form map without a value schema (`type: object` and nothing else).
    Any,
    /// A map whose values must match this schema (`additionalProperties: {...}`).
    Values(Box<Schema>),
}

/// The string formats that are checked; others (`uri`, ...) are accepted as plain strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StrFormat {
    Plain,
    DateTime,
    Date,
}

/// The schema keywords that are validated. `description` and `x-*` keys are documentation and
/// are allowed beside them; anything else is unsupported.
pub(crate) const KEYWORDS: &[&str] = &[
    "type",
    "format",
    "enum",
    "items",
    "$ref",
    "properties",
    "required",
    "additionalProperties",
];

/// Whether a schema key is documentation only.
pub(crate) fn is_documentation(key: &str) -> bool {
    key == "description" || key.starts_with("x-")
}

/// `values` as strings (an `enum`'s); `None` when one is not a string.
pub(crate) fn strings(values: &[Value]) -> Option<Vec<String>> {
    values
        .iter()
        .map(|x| x.as_str().map(str::to_owned))
        .collect()
}

/// Compiles the schema at `at` (a JSON pointer into the spec, for errors).
pub(crate) fn compile(v: &Value, name: Option<&str>, at: &str) -> Result<Schema, SpecError> {
    let obj = v
        .as_object()
        .ok_or_else(|| unsupported(at, "schema is not an object"))?;
    if let Some(k) = obj
        .keys()
        .find(|k| !KEYWORDS.contains(&k.as_str()) && !is_documentation(k))
    {
        return Err(unsupported(at, format!("unsupported schema keyword `{k}`")));
    }
    if let Some(r) = obj.get("$ref") {
        if let Some(k) = obj
            .keys()
            .find(|k| k.as_str() != "$ref" && !is_documentation(k))
        {
            return Err(unsupported(at, format!("`{k}` beside `$ref`")));
        }
        let target = r
            .as_str()
            .and_then(|s| s.strip_prefix("#/definitions/"))
            .ok_or_else(|| unsupported(at, format!("unsupported $ref {r}")))?;
        return Ok(Schema::Ref(target.to_owned()));
    }
    let ty = obj
        .get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| unsupported(at, "schema has neither `type` nor `$ref`"))?;
    if obj.contains_key("enum") && ty != "string" {
        return Err(unsupported(at, format!("`enum` on type {ty}")));
    }
    Ok(match ty {
        "string" => Schema::String {
            format: match obj.get("format").and_then(Value::as_str) {
                Some("date-time") => StrFormat::DateTime,
                Some("date") => StrFormat::Date,
                _ => StrFormat::Plain,
            },
            allowed: obj
                .get("enum")
                .map(|e| {
                    e.as_array()
                        .and_then(|a| strings(a))
                        .ok_or_else(|| unsupported(at, "`enum` is not a list of strings"))
                })
                .transpose()?,
        },
        "integer" => Schema::Integer {
            int32: obj.get("format").and_then(Value::as_str) == Some("int32"),
        },
        "number" => Schema::Number,
        "boolean" => Schema::Boolean,
        "array" => {
            let items = obj
                .get("items")
                .ok_or_else(|| unsupported(at, "array without `items`"))?;
            Schema::Array(Box::new(compile(items, None, &format!("{at}/items"))?))
        }
        "object" => compile_object(obj, name, at)?,
        other => return Err(unsupported(at, format!("unsupported type `{other}`"))),
    })
}

fn compile_object(
    obj: &serde_json::Map<String, Value>,
    name: Option<&str>,
    at: &str,
) -> Result<Schema, SpecError> {
    let mut properties = BTreeMap::new();
    if let Some(props) = obj.get("properties") {
        let props = props
            .as_object()
            .ok_or_else(|| unsupported(at, "`properties` is not an object"))?;
        for (k, p) in props {
            properties.insert(
                k.clone(),
                compile(p, None, &format!("{at}/properties/{k}"))?,
            );
        }
    }
    let mut required = Vec::new();
    if let Some(r) = obj.get("required") {
        for k in r.as_array().into_iter().flatten() {
            let k = k
                .as_str()
                .ok_or_else(|| unsupported(at, "`required` is not a list of strings"))?;
            if !properties.contains_key(k) {
                return Err(unsupported(at, format!("required `{k}` is not a property")));
            }
            required.push(k.to_owned());
        }
    }
    let extra = match obj.get("additionalProperties") {
        None if obj.contains_key("properties") => Extra::Forbidden,
        None | Some(Value::Bool(true)) => Extra::Any,
        Some(Value::Bool(false)) => Extra::Forbidden,
        Some(s) => Extra::Values(Box::new(compile(
            s,
            None,
            &format!("{at}/additionalProperties"),
        )?)),
    };
    Ok(Schema::Object {
        name: name.map(str::to_owned),
        properties,
        required,
        extra,
    })
}

impl Schema {
    /// Calls `f` with every `$ref` target in this schema.
    pub(crate) fn each_ref<'a>(&'a self, f: &mut dyn FnMut(&'a str)) {
        match self {
            Schema::Ref(t) => f(t),
            Schema::Array(items) => items.each_ref(f),
            Schema::Object {
                properties, extra, ..
            } => {
                properties.values().for_each(|p| p.each_ref(f));
                if let Extra::Values(v) = extra {
                    v.each_ref(f);
                }
            }
            _ => {}
        }
    }
}

/// Where a value sits, for the [`ValidationMode::Response`] `required` rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pos {
    Root,
    /// The root object's `entities` / `results` array.
    Listing,
    /// An item of a root array or of a listing.
    Item,
    Nested,
}

/// Walks a value against a schema, collecting violations.
#[derive(Debug)]
pub(crate) struct Validator<'s> {
    defs: &'s BTreeMap<String, Schema>,
    mode: ValidationMode,
    operation: &'s str,
    found: Vec<Violation>,
}

impl<'s> Validator<'s> {
    /// Validates `value` against `schema` and returns every violation found, labelled with
    /// `operation`. Each object reports its own fields (in the value's key order, depth first)
    /// before the required fields it lacks.
    pub(crate) fn run(
        defs: &'s BTreeMap<String, Schema>,
        mode: ValidationMode,
        operation: &'s str,
        schema: &'s Schema,
        value: &Value,
    ) -> Vec<Violation> {
        let mut v = Validator {
            defs,
            mode,
            operation,
            found: Vec::new(),
        };
        v.check(schema, value, "", Pos::Root);
        v.found
    }

    fn push(&mut self, ptr: &str, kind: ViolationKind, problem: String) {
        self.found.push(Violation {
            operation: self.operation.to_owned(),
            location: ptr.to_owned(),
            problem,
            kind,
        });
    }

    fn resolve(&mut self, mut schema: &'s Schema, ptr: &str) -> Option<&'s Schema> {
        // Each value level resolves at most a chain of refs, so recursive definitions (User.manager
        // → User) are bounded by the value's depth; this bound only guards a `$ref` cycle.
        for _ in 0..=self.defs.len() {
            match schema {
                Schema::Ref(name) => match self.defs.get(name) {
                    Some(d) => schema = d,
                    None => {
                        self.push(
                            ptr,
                            ViolationKind::BrokenSpec,
                            format!("spec error: unresolved $ref `{name}`"),
                        );
                        return None;
                    }
                },
                other => return Some(other),
            }
        }
        self.push(
            ptr,
            ViolationKind::BrokenSpec,
            "spec error: $ref cycle".to_owned(),
        );
        None
    }

    /// A value of the wrong type; `what` names the expected one (`MemberGroup object`).
    fn mismatch(&mut self, expected: JsonType, what: &str, value: &Value, ptr: &str) {
        self.push(
            ptr,
            ViolationKind::WrongType { expected },
            format!("expected {what}, found {}", describe(value)),
        );
    }

    fn check(&mut self, schema: &'s Schema, value: &Value, ptr: &str, pos: Pos) {
        let Some(schema) = self.resolve(schema, ptr) else {
            return;
        };
        match schema {
            Schema::Ref(_) => {}
            Schema::String { format, allowed } => {
                let Some(s) = value.as_str() else {
                    return self.mismatch(JsonType::String, "string", value, ptr);
                };
                if let Some(allowed) = allowed
                    && !allowed.iter().any(|a| a == s)
                {
                    self.push(
                        ptr,
                        ViolationKind::NotInEnum {
                            value: s.to_owned(),
                            allowed: allowed.clone(),
                        },
                        format!("{s:?} is not one of {allowed:?}"),
                    );
                }
                match format {
                    StrFormat::DateTime if !is_rfc3339_date_time(s) => self.push(
                        ptr,
                        ViolationKind::BadFormat {
                            format: "date-time",
                        },
                        format!("{s:?} is not an RFC 3339 date-time"),
                    ),
                    StrFormat::Date if !is_full_date(s.as_bytes()) => self.push(
                        ptr,
                        ViolationKind::BadFormat { format: "date" },
                        format!("{s:?} is not a YYYY-MM-DD date"),
                    ),
                    _ => {}
                }
            }
            Schema::Integer { int32 } => match value {
                Value::Number(n) if n.is_i64() || n.is_u64() => {
                    let fits = n.as_i64().and_then(|i| i32::try_from(i).ok()).is_some();
                    if *int32 && self.mode == ValidationMode::Received && !fits {
                        self.push(
                            ptr,
                            ViolationKind::WrongType {
                                expected: JsonType::Integer,
                            },
                            format!("{n} is outside the int32 range"),
                        );
                    }
                }
                _ => self.mismatch(JsonType::Integer, "integer", value, ptr),
            },
            Schema::Number => {
                if !value.is_number() {
                    self.mismatch(JsonType::Number, "number", value, ptr);
                }
            }
            Schema::Boolean => {
                if !value.is_boolean() {
                    self.mismatch(JsonType::Boolean, "boolean", value, ptr);
                }
            }
            Schema::Array(items) => {
                let Some(arr) = value.as_array() else {
                    return self.mismatch(JsonType::Array, "array", value, ptr);
                };
                let item_pos = match pos {
                    Pos::Root | Pos::Listing => Pos::Item,
                    Pos::Item | Pos::Nested => Pos::Nested,
                };
                for (i, item) in arr.iter().enumerate() {
                    if item.is_null() && self.mode == ValidationMode::Received {
                        continue;
                    }
                    self.check(items, item, &format!("{ptr}/{i}"), item_pos);
                }
            }
            Schema::Object {
                name,
                properties,
                required,
                extra,
            } => {
                let Some(map) = value.as_object() else {
                    let expected = name
                        .as_deref()
                        .map_or("object".to_owned(), |n| format!("{n} object"));
                    return self.mismatch(JsonType::Object, &expected, value, ptr);
                };
                let what = name.as_deref().unwrap_or("this object");
                for (k, v) in map {
                    let child = format!("{ptr}/{}", escape(k));
                    match properties.get(k) {
                        // Null is accepted for any declared property or map value (see the crate
                        // documentation), except in what the simulator serves.
                        Some(_) if v.is_null() && self.mode.null_is_absent() => {}
                        Some(p) => {
                            let child_pos =
                                if pos == Pos::Root && (k == "entities" || k == "results") {
                                    Pos::Listing
                                } else {
                                    Pos::Nested
                                };
                            self.check(p, v, &child, child_pos);
                        }
                        None => match extra {
                            Extra::Forbidden => self.push(
                                &child,
                                ViolationKind::UnknownField,
                                format!("`{k}` is not a field of {what}"),
                            ),
                            Extra::Any => {}
                            Extra::Values(_) if v.is_null() && self.mode.null_is_absent() => {}
                            Extra::Values(s) => self.check(s, v, &child, Pos::Nested),
                        },
                    }
                }
                if !self.mode.is_response() || matches!(pos, Pos::Root | Pos::Item) {
                    for r in required {
                        if map.get(r).is_none_or(Value::is_null) {
                            self.push(
                                &format!("{ptr}/{}", escape(r)),
                                ViolationKind::MissingRequired,
                                format!("required field `{r}` of {what} is missing"),
                            );
                        }
                    }
                }
            }
        }
    }
}

/// Escapes one JSON-pointer token (RFC 6901).
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("boolean {b}"),
        Value::Number(n) => format!("number {n}"),
        Value::String(s) if s.chars().count() > 40 => {
            format!("string {:?}…", s.chars().take(40).collect::<String>())
        }
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "array".to_owned(),
        Value::Object(_) => "object".to_owned(),
    }
}

fn two_digits(b: &[u8]) -> Option<u32> {
    match b {
        [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => {
            Some(u32::from(a - b'0') * 10 + u32::from(b - b'0'))
        }
        _ => None,
    }
}

/// `YYYY-MM-DD` with a real day-of-month (RFC 3339 `full-date`).
pub(crate) fn is_full_date(b: &[u8]) -> bool {
    let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = b else {
        return false;
    };
    let (Some(hi), Some(lo), Some(m), Some(d)) = (
        two_digits(&[*y0, *y1]),
        two_digits(&[*y2, *y3]),
        two_digits(&[*m0, *m1]),
        two_digits(&[*d0, *d1]),
    ) else {
        return false;
    };
    let y = hi * 100 + lo;
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// RFC 3339 `date-time`: `full-date "T" HH:MM:SS[.frac] ("Z" / ±HH:MM)`, `T`/`Z` in either case.
pub(crate) fn is_rfc3339_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 20 || !is_full_date(&b[..10]) || !matches!(b[10], b'T' | b't') {
        return false;
    }
    let t = &b[11..];
    let (Some(h), Some(m), Some(sec)) = (
        two_digits(&t[0..2]),
        two_digits(&t[3..5]),
        two_digits(&t[6..8]),
    ) else {
        return false;
    };
    if t[2] != b':' || t[5] != b':' || h > 23 || m > 59 || sec > 60 {
        return false;
    }
    let mut rest = &t[8..];
    if let Some(frac) = rest.strip_prefix(b".") {
        let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    match rest {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h0, h1, b':', m0, m1] => {
            two_digits(&[*h0, *h1]).is_some_and(|h| h <= 23)
                && two_digits(&[*m0, *m1]).is_some_and(|m| m <= 59)
        }
        _ => false,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn date_time_check() {
        for ok in [
            "2024-02-29T23:59:60Z",
            "2026-01-01T00:00:00.000Z",
            "2026-01-01t00:00:00z",
            "2026-01-01T00:00:00+05:30",
            "2026-01-01T00:00:00.123456-08:00",
        ] {
            assert!(is_rfc3339_date_time(ok), "{ok}");
        }
        for bad in [
            "",
            "2026-01-01",
            "2026-01-01 00:00:00Z",
            "2026-01-01T00:00:00",
            "2026-01-01T24:00:00Z",
            "2023-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-01-01T00:00:00.Z",
            "2026-01-01T00:00:00+0530",
            "2026-01-01T00:00:00Zjunk",
            "1700000000",
        ] {
            assert!(!is_rfc3339_date_time(bad), "{bad}");
        }
        assert!(is_full_date(b"2000-02-29"));
        assert!(!is_full_date(b"1900-02-29"));
    }

    #[test]
    fn rejects_unsupported_keywords() {
        let err = compile(&json!({"allOf": []}), None, "/definitions/X").unwrap_err();
        assert!(err.to_string().contains("allOf"), "{err}");
        let err = compile(&json!({"type": "integer", "enum": [1]}), None, "/x").unwrap_err();
        assert!(err.to_string().contains("enum"), "{err}");
        let err = compile(
            &json!({"type": "object", "properties": {}, "required": ["a"]}),
            None,
            "/x",
        )
        .unwrap_err();
        assert!(err.to_string().contains("`a`"), "{err}");
    }

    #[test]
    fn recursive_definitions_terminate_and_ref_cycles_are_reported() {
        let mut defs = BTreeMap::new();
        let node = json!({"type": "object", "properties": {
            "next": {"$ref": "#/definitions/Node"}, "n": {"type": "integer"}}});
        defs.insert(
            "Node".to_owned(),
            compile(&node, Some("Node"), "/Node").unwrap(),
        );
        defs.insert("A".to_owned(), Schema::Ref("B".to_owned()));
        defs.insert("B".to_owned(), Schema::Ref("A".to_owned()));
        let root = Schema::Ref("Node".to_owned());
        let value = json!({"next": {"next": {"next": {"n": "x"}}}});
        let found = Validator::run(&defs, ValidationMode::Request, "t", &root, &value);
        let found: Vec<(&str, &str)> = found
            .iter()
            .map(|v| (v.location.as_str(), v.problem.as_str()))
            .collect();
        assert_eq!(
            found,
            [("/next/next/next/n", "expected integer, found string \"x\"")]
        );
        let cyc = Schema::Ref("A".to_owned());
        let found = Validator::run(&defs, ValidationMode::Request, "t", &cyc, &json!({}));
        assert_eq!(found.len(), 1);
        assert!(found[0].problem.contains("cycle"));
        assert_eq!(found[0].kind, ViolationKind::BrokenSpec);
    }

    #[test]
    fn served_mode_refuses_null_where_a_type_is_declared() {
        let mut defs = BTreeMap::new();
        defs.insert(
            "Ref".to_owned(),
            compile(
                &json!({"type": "object", "required": ["id"], "properties": {
                    "id": {"type": "string"}}}),
                Some("Ref"),
                "/Ref",
            )
            .unwrap(),
        );
        let schema = compile(
            &json!({"type": "object", "properties": {
                "n": {"type": "integer", "format": "int32"},
                "x": {"type": "number"},
                "s": {"type": "string"},
                "b": {"type": "boolean"},
                "o": {"$ref": "#/definitions/Ref"},
                "a": {"type": "array", "items": {"type": "string"}},
                "m": {"type": "object", "additionalProperties": {"type": "integer"}},
                "free": {"type": "object"}}}),
            Some("T"),
            "/T",
        )
        .unwrap();
        let run = |mode, value: &Value| -> Vec<(String, ViolationKind)> {
            Validator::run(&defs, mode, "t", &schema, value)
                .into_iter()
                .map(|v| (v.location, v.kind))
                .collect()
        };
        let nulls = json!({"n": null, "x": null, "s": null, "b": null, "o": null, "a": null,
                           "m": {"k": null}, "free": {"anything": null}});
        assert!(run(ValidationMode::Response, &nulls).is_empty());
        let wrong = |expected| ViolationKind::WrongType { expected };
        assert_eq!(
            run(ValidationMode::Served, &nulls),
            [
                ("/a".to_owned(), wrong(JsonType::Array)),
                ("/b".to_owned(), wrong(JsonType::Boolean)),
                ("/m/k".to_owned(), wrong(JsonType::Integer)),
                ("/n".to_owned(), wrong(JsonType::Integer)),
                ("/o".to_owned(), wrong(JsonType::Object)),
                ("/s".to_owned(), wrong(JsonType::String)),
                ("/x".to_owned(), wrong(JsonType::Number)),
            ]
        );
        // Otherwise as a response: `required` only on the resource itself.
        let nested = json!({"o": {}});
        assert!(run(ValidationMode::Served, &nested).is_empty());
        assert_eq!(run(ValidationMode::Request, &nested).len(), 1);
    }

    #[test]
    fn received_mode_takes_null_items_as_absent_and_checks_int32() {
        let defs = BTreeMap::new();
        let schema = compile(
            &json!({"type": "object", "required": ["name"], "properties": {
                "name": {"type": "string"},
                "n": {"type": "integer", "format": "int32"},
                "big": {"type": "integer"},
                "list": {"type": "array", "items": {"type": "string"}}}}),
            Some("T"),
            "/T",
        )
        .unwrap();
        let run = |mode, value: &Value| -> Vec<(String, ViolationKind)> {
            Validator::run(&defs, mode, "t", &schema, value)
                .into_iter()
                .map(|v| (v.location, v.kind))
                .collect()
        };
        let integer = ViolationKind::WrongType {
            expected: JsonType::Integer,
        };
        let value = json!({"n": 3_000_000_000_i64, "big": 3_000_000_000_i64, "list": [null, "a"]});
        // Each object's own fields come before the required fields it lacks.
        let missing = ("/name".to_owned(), ViolationKind::MissingRequired);
        assert_eq!(
            run(ValidationMode::Received, &value),
            [("/n".to_owned(), integer.clone()), missing.clone()]
        );
        let string = ViolationKind::WrongType {
            expected: JsonType::String,
        };
        assert_eq!(
            run(ValidationMode::Request, &value),
            [("/list/0".to_owned(), string), missing]
        );
        let object = ViolationKind::WrongType {
            expected: JsonType::Object,
        };
        for mode in [
            ValidationMode::Request,
            ValidationMode::Response,
            ValidationMode::Received,
            ValidationMode::Served,
        ] {
            assert_eq!(
                run(mode, &Value::Null),
                [(String::new(), object.clone())],
                "{mode:?}"
            );
            assert!(run(mode, &json!({"name": "a", "n": -5})).is_empty());
        }
    }
}
