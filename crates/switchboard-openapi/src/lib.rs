//! A strict validator of JSON bodies and query strings against a Swagger 2.0 description.
//!
//! Two users: the conformance suite checks the bodies our client sends and our simulator returns
//! against the vendor's description (`shared/genesys/openapi.json`, found by
//! [`Spec::locate`]); the simulator checks the bodies it receives, and in debug builds the
//! bodies it answers, against that description cut down to the operations it serves by
//! [`served_subset`] and committed as a derived file.
//!
//! Choices:
//! - **Closed objects.** A key that a definition does not declare is a violation; that is what
//!   catches invented and renamed fields. Only free-form maps (`type: object` with
//!   `additionalProperties`, or with no `properties`) accept any key, and their values are checked
//!   against `additionalProperties` when it is a schema.
//! - **Null.** Swagger 2.0 has no `nullable` and the spec uses no `x-nullable`, so it says nothing
//!   either way; Genesys does emit `null` for unset fields. JSON `null` is therefore accepted as the
//!   value of any declared property and of any map value, in every mode but
//!   [`ValidationMode::Served`] (what our simulator answers), and a `null` required field counts as
//!   missing. `null` is *not* accepted as an array item (except in
//!   [`ValidationMode::Received`]), and `Value::Null` as a whole body means "no body".
//! - **`required`** depends on [`ValidationMode`]: requests enforce every list at every depth;
//!   responses enforce it on the resource itself but not on embedded references (see
//!   [`ValidationMode::Response`]).
//! - **Numbers.** `integer` needs a JSON integer (`1.0` fails); `int32`/`int64` ranges are not
//!   checked because the spec does not distinguish them, except in [`ValidationMode::Received`],
//!   which holds an `int32` field to 32 bits as the server's binding does. `number` accepts any
//!   JSON number.
//! - **Formats.** `date-time` must be RFC 3339 and `date` must be `YYYY-MM-DD`; other formats are
//!   not checked.
//! - **Order.** Violations come depth first in the value's key order; an object's missing
//!   required fields come after its own fields' violations.
//! - **Unknown operations** are always a violation, never silently accepted.

mod schema;
mod subset;
mod violation;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

pub use schema::ValidationMode;
use schema::{Schema, Validator, compile, strings};
pub use subset::{request_subset, served_subset};
pub use violation::{JsonType, Violation, ViolationKind};

/// Why the spec could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    /// The file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not JSON.
    #[error("{} is not JSON: {source}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// The parse error.
        source: serde_json::Error,
    },
    /// The spec uses a feature this validator does not support, or is malformed.
    #[error("unsupported or malformed spec at {at}: {problem}")]
    Unsupported {
        /// JSON pointer into the spec.
        at: String,
        /// What is wrong.
        problem: String,
    },
    /// An operation asked for is not in the description.
    #[error("{method} {template} is not an operation of the description")]
    NoSuchOperation {
        /// Upper-case HTTP method.
        method: String,
        /// The path template.
        template: String,
    },
}

fn unsupported(at: &str, problem: impl Into<String>) -> SpecError {
    SpecError::Unsupported {
        at: at.to_owned(),
        problem: problem.into(),
    }
}

#[derive(Debug)]
enum Segment {
    Literal(String),
    Param,
}

#[derive(Debug)]
struct PathItem {
    segments: Vec<Segment>,
    /// Keyed by lower-case method.
    operations: BTreeMap<String, Operation>,
}

#[derive(Debug)]
struct Operation {
    method: String,
    template: String,
    operation_id: String,
    body: Option<(Schema, bool)>,
    query: BTreeMap<String, QueryParam>,
    /// Path parameter → its `enum`, for the parameters that have one.
    path_enums: BTreeMap<String, Vec<String>>,
    /// Status code (or `default`) → response schema, `None` when the response has no body.
    responses: BTreeMap<String, Option<Schema>>,
}

impl Operation {
    fn label(&self) -> String {
        format!("{} {}", self.method, self.template)
    }
}

#[derive(Debug)]
struct QueryParam {
    kind: QueryKind,
    required: bool,
}

#[derive(Debug)]
enum QueryKind {
    Integer,
    Boolean(Option<Vec<bool>>),
    String(Option<Vec<String>>),
    /// `collectionFormat: multi`: the parameter is repeated, one item per occurrence.
    Multi(Box<QueryKind>),
}

/// A matched operation.
#[derive(Debug, Clone, Copy)]
pub struct OperationRef<'a> {
    op: &'a Operation,
}

impl<'a> OperationRef<'a> {
    /// Upper-case HTTP method.
    pub fn method(&self) -> &'a str {
        &self.op.method
    }
    /// The path template, e.g. `/api/v2/routing/queues/{queueId}/members`.
    pub fn template(&self) -> &'a str {
        &self.op.template
    }
    /// The spec's `operationId`.
    pub fn operation_id(&self) -> &'a str {
        &self.op.operation_id
    }
    /// The values a path parameter's `enum` allows; `None` when the parameter has no `enum` (or
    /// the operation no such parameter).
    pub fn path_parameter_enum(&self, name: &str) -> Option<&'a [String]> {
        self.op.path_enums.get(name).map(Vec::as_slice)
    }

    /// Whether `name` is an array (`type: array`) query parameter of the operation: one that
    /// carries a list of values.
    pub fn is_array_query_parameter(&self, name: &str) -> bool {
        self.op
            .query
            .get(name)
            .is_some_and(|p| matches!(p.kind, QueryKind::Multi(_)))
    }
}

/// The parsed spec: operations indexed by path template, and compiled definitions.
#[derive(Debug)]
pub struct Spec {
    paths: Vec<PathItem>,
    definitions: BTreeMap<String, Schema>,
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch", "head", "options"];

impl Spec {
    /// Where the vendor's spec is: `$SWITCHBOARD_OPENAPI`, else
    /// `../shared/genesys/openapi.json` relative to the repository root (two levels above
    /// this package's `CARGO_MANIFEST_DIR`). `None` when the file is absent.
    pub fn locate() -> Option<PathBuf> {
        let path = match std::env::var_os("SWITCHBOARD_OPENAPI") {
            Some(p) if !p.is_empty() => PathBuf::from(p),
            _ => Path::new(env!("CARGO_MANIFEST_DIR"))
                .parent()?
                .parent()?
                .join("../shared/genesys/openapi.json"),
        };
        path.is_file().then_some(path)
    }

    /// Reads and compiles the spec at `path`.
    pub fn load(path: &Path) -> Result<Spec, SpecError> {
        let text = std::fs::read_to_string(path).map_err(|source| SpecError::Read {
            path: path.to_owned(),
            source,
        })?;
        let doc: Value = serde_json::from_str(&text).map_err(|source| SpecError::Json {
            path: path.to_owned(),
            source,
        })?;
        Spec::from_value(&doc)
    }

    /// Compiles an already parsed spec document.
    pub fn from_value(doc: &Value) -> Result<Spec, SpecError> {
        if doc.get("swagger").and_then(Value::as_str) != Some("2.0") {
            return Err(unsupported("/swagger", "not a Swagger 2.0 document"));
        }
        let mut definitions = BTreeMap::new();
        for (name, d) in doc
            .get("definitions")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            definitions.insert(
                name.clone(),
                compile(d, Some(name), &format!("/definitions/{name}"))?,
            );
        }
        let mut paths = Vec::new();
        let path_map = doc
            .get("paths")
            .and_then(Value::as_object)
            .ok_or_else(|| unsupported("/paths", "missing"))?;
        for (template, item) in path_map {
            paths.push(compile_path(template, item)?);
        }
        let spec = Spec { paths, definitions };
        let mut missing = None;
        let mut note = |t: &str| {
            if !spec.definitions.contains_key(t) {
                missing.get_or_insert_with(|| t.to_owned());
            }
        };
        for s in spec.definitions.values() {
            s.each_ref(&mut note);
        }
        for op in spec.paths.iter().flat_map(|p| p.operations.values()) {
            if let Some((s, _)) = &op.body {
                s.each_ref(&mut note);
            }
            op.responses
                .values()
                .flatten()
                .for_each(|s| s.each_ref(&mut note));
        }
        match missing {
            Some(t) => Err(unsupported(
                "/",
                format!("$ref to missing definition `{t}`"),
            )),
            None => Ok(spec),
        }
    }

    /// Match a concrete request to an operation: method + concrete path like
    /// `/api/v2/routing/queues/abc-123/members` matched against templates like
    /// `/api/v2/routing/queues/{queueId}/members`. Literal segments win over parameters, so
    /// `/api/v2/routing/queues/divisionviews` matches its own template. The path is matched first
    /// and the method then, as a server router does: `DELETE /api/v2/authorization/divisions/home`
    /// is not `DELETE .../{divisionId}`. Anything after `?` is ignored.
    pub fn operation(&self, method: &str, path: &str) -> Option<OperationRef<'_>> {
        let path = path.split_once('?').map_or(path, |(p, _)| p);
        let segs: Vec<&str> = path.split('/').collect();
        let item = self
            .paths
            .iter()
            .filter(|p| {
                p.segments.len() == segs.len()
                    && p.segments.iter().zip(&segs).all(|(t, s)| match t {
                        Segment::Literal(l) => l == s,
                        Segment::Param => !s.is_empty(),
                    })
            })
            .max_by_key(|p| {
                p.segments
                    .iter()
                    .map(|s| matches!(s, Segment::Literal(_)))
                    .collect::<Vec<_>>()
            })?;
        let op = item.operations.get(&method.to_ascii_lowercase())?;
        Some(OperationRef { op })
    }

    fn find(&self, method: &str, path: &str) -> Result<&Operation, Vec<Violation>> {
        self.operation(method, path).map(|o| o.op).ok_or_else(|| {
            vec![Violation {
                operation: format!("{} {path}", method.to_ascii_uppercase()),
                location: String::new(),
                problem: "operation is not in the spec".to_owned(),
                kind: ViolationKind::NotInSpec,
            }]
        })
    }

    fn run(
        &self,
        label: &str,
        schema: &Schema,
        value: &Value,
        mode: ValidationMode,
    ) -> Result<(), Vec<Violation>> {
        let found = Validator::run(&self.definitions, mode, label, schema, value);
        if found.is_empty() { Ok(()) } else { Err(found) }
    }

    /// Validates a request body in [`ValidationMode::Request`]. `Value::Null` means "no body":
    /// fine when the operation takes none or its body is optional.
    pub fn validate_request_body(
        &self,
        method: &str,
        path: &str,
        body: &Value,
    ) -> Result<(), Vec<Violation>> {
        let op = self.find(method, path)?;
        let fail = |kind: ViolationKind, problem: &str| {
            Err(vec![Violation {
                operation: op.label(),
                location: String::new(),
                problem: problem.to_owned(),
                kind,
            }])
        };
        match (&op.body, body) {
            (None, Value::Null) | (Some((_, false)), Value::Null) => Ok(()),
            (None, _) => fail(
                ViolationKind::UnexpectedBody,
                "the spec declares no request body for this operation",
            ),
            (Some(_), Value::Null) => {
                fail(ViolationKind::MissingRequired, "a request body is required")
            }
            (Some((schema, _)), body) => {
                self.run(&op.label(), schema, body, ValidationMode::Request)
            }
        }
    }

    /// Validates a response body in [`ValidationMode::Response`]; see
    /// [`Spec::validate_response_body_with`].
    pub fn validate_response_body(
        &self,
        method: &str,
        path: &str,
        status: u16,
        body: &Value,
    ) -> Result<(), Vec<Violation>> {
        self.validate_response_body_with(method, path, status, body, ValidationMode::Response)
    }

    /// Validates a response body. A 2xx status uses the response declared for that exact code,
    /// else `200`, else the first declared 2xx; any other status uses the exact code if declared,
    /// else `default` (`ErrorBody`). A response the spec declares without a schema must have no
    /// body (`Value::Null`).
    pub fn validate_response_body_with(
        &self,
        method: &str,
        path: &str,
        status: u16,
        body: &Value,
        mode: ValidationMode,
    ) -> Result<(), Vec<Violation>> {
        let op = self.find(method, path)?;
        let code = status.to_string();
        let response = if (200..300).contains(&status) {
            op.responses
                .get(&code)
                .or_else(|| op.responses.get("200"))
                .or_else(|| {
                    op.responses
                        .iter()
                        .find(|(c, _)| c.starts_with('2'))
                        .map(|(_, r)| r)
                })
        } else {
            op.responses
                .get(&code)
                .or_else(|| op.responses.get("default"))
        };
        let fail = |kind: ViolationKind, problem: String| {
            Err(vec![Violation {
                operation: op.label(),
                location: String::new(),
                problem,
                kind,
            }])
        };
        match (response, body) {
            (None, _) => fail(
                ViolationKind::NotInSpec,
                format!("the spec declares no response for status {status}"),
            ),
            (Some(None), Value::Null) => Ok(()),
            (Some(None), _) => fail(
                ViolationKind::UnexpectedBody,
                format!("the spec declares no body for status {status}, but one was returned"),
            ),
            (Some(Some(schema)), body) => self.run(&op.label(), schema, body, mode),
        }
    }

    /// Validates `value` against `#/definitions/<name>` in [`ValidationMode::Request`].
    pub fn validate_definition(&self, name: &str, value: &Value) -> Result<(), Vec<Violation>> {
        self.validate_definition_with(name, value, ValidationMode::Request)
    }

    /// Validates `value` against `#/definitions/<name>` in the given mode.
    pub fn validate_definition_with(
        &self,
        name: &str,
        value: &Value,
        mode: ValidationMode,
    ) -> Result<(), Vec<Violation>> {
        let label = format!("definition {name}");
        match self.definitions.get(name) {
            Some(schema) => self.run(&label, schema, value, mode),
            None => Err(vec![no_such_definition(label)]),
        }
    }

    /// Validates `value` as a JSON array whose items are `#/definitions/<name>`, in the given
    /// mode (a top-level array body such as `[WritableEntity]`). Locations start with the item
    /// index (`/1/id`).
    pub fn validate_array_of(
        &self,
        name: &str,
        value: &Value,
        mode: ValidationMode,
    ) -> Result<(), Vec<Violation>> {
        let label = format!("definition {name}[]");
        if !self.definitions.contains_key(name) {
            return Err(vec![no_such_definition(label)]);
        }
        let schema = Schema::Array(Box::new(Schema::Ref(name.to_owned())));
        self.run(&label, &schema, value, mode)
    }

    /// Query parameters: each name must be declared for the operation, enum values must be
    /// allowed, integers and booleans must parse, only `multi` array parameters may repeat, and
    /// required parameters must be present. `raw_query` is the part after `?` (a leading `?` is
    /// ignored), `application/x-www-form-urlencoded` encoded.
    pub fn validate_query(
        &self,
        method: &str,
        path: &str,
        raw_query: &str,
    ) -> Result<(), Vec<Violation>> {
        let op = self.find(method, path)?;
        let mut found = Vec::new();
        let mut push = |location: String, kind: ViolationKind, problem: String| {
            found.push(Violation {
                operation: op.label(),
                location,
                problem,
                kind,
            });
        };
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        let raw = raw_query.strip_prefix('?').unwrap_or(raw_query);
        for pair in raw.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let (Some(name), Some(value)) = (percent_decode(k), percent_decode(v)) else {
                push(
                    format!("?{k}"),
                    ViolationKind::Malformed,
                    format!("malformed percent-encoding in {pair:?}"),
                );
                continue;
            };
            let location = format!("?{name}");
            let Some(param) = op.query.get(&name) else {
                push(
                    location,
                    ViolationKind::UnknownField,
                    format!("`{name}` is not a query parameter of this operation"),
                );
                continue;
            };
            let count = seen.entry(name.clone()).or_default();
            *count += 1;
            if *count == 2 && !matches!(param.kind, QueryKind::Multi(_)) {
                push(
                    location.clone(),
                    ViolationKind::Repeated,
                    format!("`{name}` is repeated but is not an array parameter"),
                );
            }
            if let Some((kind, problem)) = check_query_value(&param.kind, &value) {
                push(location, kind, problem);
            }
        }
        for (name, param) in &op.query {
            if param.required && !seen.contains_key(name) {
                push(
                    format!("?{name}"),
                    ViolationKind::MissingRequired,
                    format!("required query parameter `{name}` is missing"),
                );
            }
        }
        if found.is_empty() { Ok(()) } else { Err(found) }
    }
}

fn no_such_definition(label: String) -> Violation {
    Violation {
        operation: label,
        location: String::new(),
        problem: "no such definition in the spec".to_owned(),
        kind: ViolationKind::NotInSpec,
    }
}

fn not_in_enum<T: ToString + std::fmt::Debug>(
    value: &str,
    allowed: &[T],
) -> (ViolationKind, String) {
    (
        ViolationKind::NotInEnum {
            value: value.to_owned(),
            allowed: allowed.iter().map(ToString::to_string).collect(),
        },
        format!("{value:?} is not one of {allowed:?}"),
    )
}

fn check_query_value(kind: &QueryKind, value: &str) -> Option<(ViolationKind, String)> {
    let wrong =
        |expected: JsonType, problem: String| (ViolationKind::WrongType { expected }, problem);
    match kind {
        QueryKind::Integer => value
            .parse::<i64>()
            .is_err()
            .then(|| wrong(JsonType::Integer, format!("{value:?} is not an integer"))),
        QueryKind::Boolean(allowed) => match value {
            "true" | "false" => {
                let b = value == "true";
                allowed
                    .as_ref()
                    .filter(|a| !a.contains(&b))
                    .map(|a| not_in_enum(value, a))
            }
            _ => Some(wrong(
                JsonType::Boolean,
                format!("{value:?} is not a boolean (true/false)"),
            )),
        },
        QueryKind::String(allowed) => allowed
            .as_ref()
            .filter(|a| !a.iter().any(|x| x == value))
            .map(|a| not_in_enum(value, a)),
        QueryKind::Multi(item) => check_query_value(item, value),
    }
}

/// Decodes `application/x-www-form-urlencoded` text (`+` is a space); `None` when malformed.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = b.get(i + 1..i + 3)?;
                if !hex.iter().all(u8::is_ascii_hexdigit) {
                    return None;
                }
                out.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

fn compile_path(template: &str, item: &Value) -> Result<PathItem, SpecError> {
    let at = format!("/paths/{template}");
    let item = item
        .as_object()
        .ok_or_else(|| unsupported(&at, "path item is not an object"))?;
    let segments = template
        .split('/')
        .map(|s| {
            if s.starts_with('{') && s.ends_with('}') {
                Segment::Param
            } else {
                Segment::Literal(s.to_owned())
            }
        })
        .collect();
    let mut operations = BTreeMap::new();
    for (method, op) in item {
        if method.starts_with("x-") {
            continue;
        }
        if !METHODS.contains(&method.as_str()) {
            return Err(unsupported(
                &at,
                format!("unsupported path item key `{method}`"),
            ));
        }
        let at = format!("{at}/{method}");
        operations.insert(
            method.clone(),
            compile_operation(method, template, op, &at)?,
        );
    }
    Ok(PathItem {
        segments,
        operations,
    })
}

fn compile_operation(
    method: &str,
    template: &str,
    op: &Value,
    at: &str,
) -> Result<Operation, SpecError> {
    let mut body = None;
    let mut query = BTreeMap::new();
    let mut path_enums = BTreeMap::new();
    for (i, p) in op
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let at = format!("{at}/parameters/{i}");
        let name = p
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| unsupported(&at, "parameter without a name"))?;
        let required = p.get("required").and_then(Value::as_bool).unwrap_or(false);
        match p.get("in").and_then(Value::as_str) {
            Some("path") => {
                if let Some(values) = p.get("enum") {
                    let values = values
                        .as_array()
                        .and_then(|e| strings(e))
                        .ok_or_else(|| unsupported(&at, "`enum` is not a list of strings"))?;
                    path_enums.insert(name.to_owned(), values);
                }
            }
            Some("query") => {
                let kind = query_kind(p, &at, true)?;
                query.insert(name.to_owned(), QueryParam { kind, required });
            }
            Some("body") => {
                let schema = p
                    .get("schema")
                    .ok_or_else(|| unsupported(&at, "body parameter without a schema"))?;
                body = Some((compile(schema, None, &format!("{at}/schema"))?, required));
            }
            other => {
                return Err(unsupported(
                    &at,
                    format!("unsupported parameter location {other:?}"),
                ));
            }
        }
    }
    let mut responses = BTreeMap::new();
    for (code, r) in op
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let schema = r
            .get("schema")
            .map(|s| compile(s, None, &format!("{at}/responses/{code}/schema")))
            .transpose()?;
        responses.insert(code.clone(), schema);
    }
    Ok(Operation {
        method: method.to_ascii_uppercase(),
        template: template.to_owned(),
        operation_id: op
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        body,
        query,
        path_enums,
        responses,
    })
}

fn query_kind(p: &Value, at: &str, top: bool) -> Result<QueryKind, SpecError> {
    let enumeration = p.get("enum").and_then(Value::as_array);
    Ok(match p.get("type").and_then(Value::as_str) {
        Some("integer") if enumeration.is_none() => QueryKind::Integer,
        Some("boolean") => QueryKind::Boolean(
            enumeration
                .map(|e| e.iter().map(Value::as_bool).collect::<Option<Vec<_>>>())
                .map(|e| e.ok_or_else(|| unsupported(at, "non-boolean enum value")))
                .transpose()?,
        ),
        Some("string") => QueryKind::String(
            enumeration
                .map(|e| strings(e).ok_or_else(|| unsupported(at, "non-string enum value")))
                .transpose()?,
        ),
        Some("array") if top => {
            let format = p.get("collectionFormat").and_then(Value::as_str);
            if format != Some("multi") {
                return Err(unsupported(at, format!("collectionFormat {format:?}")));
            }
            let items = p
                .get("items")
                .ok_or_else(|| unsupported(at, "array parameter without items"))?;
            QueryKind::Multi(Box::new(query_kind(items, &format!("{at}/items"), false)?))
        }
        other => {
            return Err(unsupported(
                at,
                format!("unsupported query parameter type {other:?}"),
            ));
        }
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The real spec, or `None` after a loud skip notice.
    fn spec() -> Option<Spec> {
        let Some(path) = Spec::locate() else {
            eprintln!(
                "\n!!!!!! SKIPPED: openapi.json not found (set SWITCHBOARD_OPENAPI); \
                 the OpenAPI conformance checks did NOT run !!!!!!\n"
            );
            return None;
        };
        Some(Spec::load(&path).unwrap_or_else(|e| panic!("{e}")))
    }

    /// Asserts exactly one violation, at `location`, whose problem contains `needle`.
    fn one(result: Result<(), Vec<Violation>>, location: &str, needle: &str) {
        let v = result.expect_err("expected a violation");
        assert_eq!(v.len(), 1, "{v:#?}");
        assert_eq!(v[0].location, location, "{}", v[0]);
        assert!(v[0].problem.contains(needle), "{}", v[0]);
    }

    fn ok(result: Result<(), Vec<Violation>>) {
        if let Err(v) = result {
            let lines: Vec<String> = v.iter().map(ToString::to_string).collect();
            panic!("unexpected violations:\n{}", lines.join("\n"));
        }
    }

    fn queue_request() -> Value {
        json!({
            "name": "Support",
            "description": null,
            "division": {"id": "div-1"},
            "mediaSettings": {
                "call": {"alertingTimeoutSeconds": 8, "serviceLevel": {"percentage": 0.8, "durationMs": 20000},
                         "enableAutoAnswer": false, "autoAnswerAlertToneSeconds": 1.5},
                "email": {"alertingTimeoutSeconds": 300}
            },
            "skillEvaluationMethod": "BEST",
            "acwSettings": {"wrapupPrompt": "OPTIONAL", "timeoutMs": 30000},
            "queueFlow": {"id": "flow-1"},
            "defaultScripts": {"CALL": {"id": "script-1", "name": "Default"}},
            "enableTranscription": true
        })
    }

    const QUEUE: &str = "/api/v2/routing/queues/abc-123";

    #[test]
    fn loads_the_whole_spec() {
        let Some(spec) = spec() else { return };
        assert_eq!(spec.paths.len(), 77);
        assert_eq!(spec.definitions.len(), 250);
        assert_eq!(
            spec.paths.iter().map(|p| p.operations.len()).sum::<usize>(),
            130
        );
    }

    #[test]
    fn valid_queue_request_passes() {
        let Some(spec) = spec() else { return };
        ok(spec.validate_request_body("PUT", QUEUE, &queue_request()));
        ok(spec.validate_request_body("post", "/api/v2/routing/queues", &queue_request()));
    }

    #[test]
    fn renamed_mistyped_invented_and_bad_enum_fields_fail_precisely() {
        let Some(spec) = spec() else { return };
        let mut renamed = queue_request();
        let call = renamed["mediaSettings"]["call"].as_object_mut().unwrap();
        let t = call.remove("alertingTimeoutSeconds").unwrap();
        call.insert("alertingTimeout".into(), t);
        one(
            spec.validate_request_body("PUT", QUEUE, &renamed),
            "/mediaSettings/call/alertingTimeout",
            "`alertingTimeout` is not a field of MediaSettings",
        );

        let member = "/api/v2/routing/queues/q1/members/m1";
        one(
            spec.validate_request_body("PATCH", member, &json!({"ringNumber": "1"})),
            "/ringNumber",
            "expected integer, found string \"1\"",
        );
        one(
            spec.validate_request_body("PATCH", member, &json!({"ringNumber": 1.0})),
            "/ringNumber",
            "expected integer",
        );
        ok(spec.validate_request_body("PATCH", member, &json!({"ringNumber": 2, "joined": true})));

        one(
            spec.validate_request_body(
                "PATCH",
                "/api/v2/routing/queues/q1/members",
                &json!([{"id": "u1", "joined": true}, {"id": "u2", "score": 0.5}]),
            ),
            "/1/score",
            "`score` is not a field of QueueMember",
        );

        let mut bad_enum = queue_request();
        bad_enum["skillEvaluationMethod"] = json!("BEST_EFFORT");
        one(
            spec.validate_request_body("PUT", QUEUE, &bad_enum),
            "/skillEvaluationMethod",
            "\"BEST_EFFORT\" is not one of [\"NONE\", \"BEST\", \"ALL\"]",
        );
    }

    #[test]
    fn reports_every_violation_with_display() {
        let Some(spec) = spec() else { return };
        let body = json!({
            "description": "no name",
            "mediaSettings": {"call": {"alertingTimeoutSeconds": "8"}, "sms": {}},
            "dateCreated": "yesterday",
            "defaultScripts": {"CALL": {"id": 7}},
            "memberGroups": [null]
        });
        let v = spec.validate_request_body("PUT", QUEUE, &body).unwrap_err();
        let mut got: Vec<String> = v.iter().map(ToString::to_string).collect();
        got.sort();
        let want = [
            "PUT /api/v2/routing/queues/{queueId} /dateCreated: \"yesterday\" is not an RFC 3339 date-time",
            "PUT /api/v2/routing/queues/{queueId} /defaultScripts/CALL/id: expected string, found number 7",
            "PUT /api/v2/routing/queues/{queueId} /mediaSettings/call/alertingTimeoutSeconds: expected integer, found string \"8\"",
            "PUT /api/v2/routing/queues/{queueId} /mediaSettings/sms: `sms` is not a field of QueueMediaSettings",
            "PUT /api/v2/routing/queues/{queueId} /memberGroups/0: expected MemberGroup object, found null",
            "PUT /api/v2/routing/queues/{queueId} /name: required field `name` of QueueRequest is missing",
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn free_form_maps_check_their_values() {
        let Some(spec) = spec() else { return };
        let util = "/api/v2/routing/users/u1/utilization";
        ok(spec.validate_request_body(
            "PUT",
            util,
            &json!({"utilization": {"call": {"maximumCapacity": 1}, "anyMediaType": null}}),
        ));
        one(
            spec.validate_request_body(
                "PUT",
                util,
                &json!({"utilization": {"call": {"maximumCapacity": "1"}}}),
            ),
            "/utilization/call/maximumCapacity",
            "expected integer",
        );
        ok(spec.validate_definition(
            "Organization",
            &json!({"version": 3, "features": {"anything": true}}),
        ));
        one(
            spec.validate_definition(
                "Organization",
                &json!({"version": 3, "features": {"x": "yes"}}),
            ),
            "/features/x",
            "expected boolean",
        );
        one(
            spec.validate_definition("NoSuchThing", &json!({})),
            "",
            "no such definition",
        );
    }

    #[test]
    fn path_matching_prefers_literals() {
        let Some(spec) = spec() else { return };
        let t = |m: &str, p: &str| spec.operation(m, p).map(|o| o.template().to_owned());
        assert_eq!(
            t("GET", "/api/v2/routing/queues/divisionviews").as_deref(),
            Some("/api/v2/routing/queues/divisionviews")
        );
        assert_eq!(
            t("GET", "/api/v2/routing/queues/divisionviews/all").as_deref(),
            Some("/api/v2/routing/queues/divisionviews/all")
        );
        assert_eq!(
            t("GET", "/api/v2/routing/queues/abc-123").as_deref(),
            Some("/api/v2/routing/queues/{queueId}")
        );
        assert_eq!(
            t("GET", "/api/v2/authorization/divisions/home").as_deref(),
            Some("/api/v2/authorization/divisions/home")
        );
        assert_eq!(
            t("GET", "/api/v2/authorization/divisions/d-1").as_deref(),
            Some("/api/v2/authorization/divisions/{divisionId}")
        );
        assert_eq!(
            t("get", "/api/v2/routing/queues/abc-123/members?pageSize=100").as_deref(),
            Some("/api/v2/routing/queues/{queueId}/members")
        );
        assert_eq!(
            t("GET", "/api/v2/users/search").as_deref(),
            Some("/api/v2/users/search")
        );
        assert_eq!(
            t("GET", "/api/v2/users/u-1").as_deref(),
            Some("/api/v2/users/{userId}")
        );
        let op = spec.operation("PUT", QUEUE).unwrap();
        assert_eq!((op.method(), op.operation_id()), ("PUT", "putRoutingQueue"));
        // The literal template wins even when only the parameter template has the method.
        assert!(
            spec.operation("DELETE", "/api/v2/authorization/divisions/home")
                .is_none()
        );
        assert!(spec.operation("GET", "/api/v2/queues").is_none());
        assert!(spec.operation("GET", "/api/v2/routing/queues/").is_none());
        assert!(
            spec.operation("GET", "/api/v2/routing/queues/a/b/c/d")
                .is_none()
        );
        assert!(spec.operation("PATCH", QUEUE).is_none());
    }

    #[test]
    fn top_level_arrays() {
        let Some(spec) = spec() else { return };
        let members = "/api/v2/routing/queues/q1/members";
        ok(spec.validate_request_body("POST", members, &json!([{"id": "u1"}, {"id": "u2"}])));
        ok(spec.validate_request_body("POST", members, &json!([])));
        one(
            spec.validate_request_body("POST", members, &json!([{"id": "u1"}, {"userId": "u2"}])),
            "/1/userId",
            "`userId` is not a field of WritableEntity",
        );
        one(
            spec.validate_request_body("POST", members, &json!({"id": "u1"})),
            "",
            "expected array, found object",
        );
        ok(spec.validate_request_body(
            "PUT",
            "/api/v2/users/u1/routingskills/bulk",
            &json!([{"id": "s1", "proficiency": 4.5}]),
        ));
        one(
            spec.validate_request_body(
                "PUT",
                "/api/v2/users/u1/routingskills/bulk",
                &json!([{"id": "s1"}]),
            ),
            "/0/proficiency",
            "required field `proficiency` of UserRoutingSkillPost is missing",
        );
        ok(spec.validate_response_body(
            "POST",
            "/api/v2/routing/queues/q1/wrapupcodes",
            200,
            &json!([{"id": "w1", "name": "Done"}]),
        ));
    }

    #[test]
    fn query_validation() {
        let Some(spec) = spec() else { return };
        let queues = "/api/v2/routing/queues";
        ok(spec.validate_query("GET", queues, ""));
        ok(spec.validate_query(
            "GET",
            queues,
            "?sortOrder=asc&pageSize=100&pageNumber=2&name=Sup%20port*",
        ));
        ok(spec.validate_query(
            "GET",
            queues,
            "id=a&id=b&divisionId=d&expand=identityresolution&hasPeer=false",
        ));
        one(
            spec.validate_query("GET", queues, "sortOrder=bogus"),
            "?sortOrder",
            "\"bogus\" is not one of [\"asc\", \"desc\"]",
        );
        one(
            spec.validate_query("GET", queues, "sort_order=asc"),
            "?sort_order",
            "is not a query parameter",
        );
        one(
            spec.validate_query("GET", queues, "pageSize=ten"),
            "?pageSize",
            "not an integer",
        );
        one(
            spec.validate_query("GET", queues, "hasPeer=yes"),
            "?hasPeer",
            "not a boolean",
        );
        one(
            spec.validate_query("GET", queues, "expand=identityresolution&expand=x"),
            "?expand",
            "\"x\" is not one of",
        );
        one(
            spec.validate_query("GET", queues, "sortOrder=asc&sortOrder=desc"),
            "?sortOrder",
            "repeated",
        );
        one(
            spec.validate_query("GET", queues, "name=%zz"),
            "?name",
            "malformed",
        );
        // Wrap-up codes spell the same parameter differently.
        ok(spec.validate_query("GET", "/api/v2/routing/wrapupcodes", "sortOrder=ascending"));
        one(
            spec.validate_query("GET", "/api/v2/routing/wrapupcodes", "sortOrder=asc"),
            "?sortOrder",
            "not one of",
        );
        ok(spec.validate_query("POST", "/api/v2/routing/queues/q1/members", "delete=true"));
        one(
            spec.validate_query("GET", "/api/v2/users/search", ""),
            "?q64",
            "required query parameter",
        );
        let all = spec
            .validate_query("GET", queues, "a=1&b=2&pageSize=x")
            .unwrap_err();
        assert_eq!(all.len(), 3, "{all:#?}");
    }

    #[test]
    fn responses() {
        let Some(spec) = spec() else { return };
        let error = json!({
            "message": "Queue not found", "code": "not.found", "status": 404,
            "messageParams": {"id": "abc"}, "contextId": "c-1", "details": [], "errors": [
                {"message": "nested", "code": "x", "status": 404}
            ]
        });
        ok(spec.validate_response_body("GET", QUEUE, 404, &error));
        ok(spec.validate_response_body(
            "PUT",
            QUEUE,
            409,
            &json!({"status": 409, "code": "general.conflict"}),
        ));
        one(
            spec.validate_response_body(
                "GET",
                QUEUE,
                429,
                &json!({"status": 429, "retryAfter": 3}),
            ),
            "/retryAfter",
            "not a field of ErrorBody",
        );
        let queue = json!({"id": "abc-123", "name": "Support", "memberCount": 3,
            "division": {"id": "d", "name": "Home", "selfUri": "/api/v2/authorization/divisions/d"},
            "dateModified": "2026-01-01T00:00:00.000Z", "selfUri": "/api/v2/routing/queues/abc-123"});
        ok(spec.validate_response_body("GET", QUEUE, 200, &queue));
        one(
            spec.validate_response_body("GET", QUEUE, 200, &json!({"id": 1})),
            "/id",
            "expected string",
        );
        one(
            spec.validate_response_body("GET", QUEUE, 200, &Value::Null),
            "",
            "found null",
        );
        let listing = json!({"entities": [queue], "pageSize": 25, "pageNumber": 1, "total": 1, "pageCount": 1});
        ok(spec.validate_response_body("GET", "/api/v2/routing/queues", 200, &listing));
        // Void operations: any 2xx, no body.
        ok(spec.validate_response_body("DELETE", QUEUE, 204, &Value::Null));
        ok(spec.validate_response_body("DELETE", QUEUE, 200, &Value::Null));
        one(
            spec.validate_response_body("DELETE", QUEUE, 200, &json!({})),
            "",
            "no body",
        );
    }

    #[test]
    fn required_in_response_mode_applies_to_the_resource_not_embedded_refs() {
        let Some(spec) = spec() else { return };
        let user = "/api/v2/users/u1";
        let manager = json!({"id": "m1", "selfUri": "/api/v2/users/m1"});
        let body =
            json!({"id": "u1", "name": "A", "version": 2, "manager": manager, "state": "active"});
        ok(spec.validate_response_body("GET", user, 200, &body));
        one(
            spec.validate_response_body_with("GET", user, 200, &body, ValidationMode::Request),
            "/manager/version",
            "required field `version` of User is missing",
        );
        one(
            spec.validate_response_body("GET", user, 200, &json!({"id": "u1", "manager": manager})),
            "/version",
            "required field `version` of User is missing",
        );
        // Listing items are resources too; deep recursion through User.manager terminates.
        let deep = json!({"id": "a", "manager": {"manager": {"manager": {"manager": {"id": 5}}}}});
        let v = spec
            .validate_response_body("GET", "/api/v2/users", 200, &json!({"entities": [deep]}))
            .unwrap_err();
        let got: Vec<&str> = v.iter().map(|v| v.location.as_str()).collect();
        // An object's own fields come before the required fields it lacks.
        assert_eq!(
            got,
            [
                "/entities/0/manager/manager/manager/manager/id",
                "/entities/0/version"
            ]
        );
        one(
            spec.validate_response_body(
                "GET",
                "/api/v2/users/search",
                200,
                &json!({"total": 0, "pageCount": 0, "pageSize": 25, "pageNumber": 1, "types": ["users"]}),
            ),
            "/results",
            "required field `results`",
        );
    }

    #[test]
    fn unknown_operations_fail() {
        let Some(spec) = spec() else { return };
        let body = json!({"name": "x"});
        for v in [
            spec.validate_request_body("POST", "/api/v2/queues", &body),
            spec.validate_request_body("PATCH", QUEUE, &body),
            spec.validate_response_body("GET", "/api/v2/routing/queue", 200, &body),
            spec.validate_query("GET", "/api/v2/organizations/skills", ""),
        ] {
            let v = v.unwrap_err();
            assert_eq!(v.len(), 1);
            assert!(v[0].problem.contains("not in the spec"), "{}", v[0]);
        }
        // Bodies where the spec has none, and missing required bodies.
        one(
            spec.validate_request_body("GET", QUEUE, &body),
            "",
            "no request body",
        );
        ok(spec.validate_request_body("GET", QUEUE, &Value::Null));
        one(
            spec.validate_request_body("PUT", QUEUE, &Value::Null),
            "",
            "required",
        );
    }

    #[test]
    fn received_bodies_as_the_simulator_checks_them() {
        let Some(spec) = spec() else { return };
        let received = ValidationMode::Received;
        // `null` is absent everywhere, array items included; a whole `null` is not a body.
        let members = json!([null, {"id": "u1"}]);
        ok(spec.validate_array_of("WritableEntity", &members, received));
        let v = spec
            .validate_array_of("WritableEntity", &members, ValidationMode::Request)
            .unwrap_err();
        assert_eq!(
            (v[0].location.as_str(), &v[0].kind),
            (
                "/0",
                &ViolationKind::WrongType {
                    expected: JsonType::Object
                }
            )
        );
        one(
            spec.validate_array_of("WritableEntity", &Value::Null, received),
            "",
            "expected array, found null",
        );
        one(
            spec.validate_array_of(
                "WritableEntity",
                &json!([{"id": "a"}, {"idx": 1}]),
                received,
            ),
            "/1/idx",
            "`idx` is not a field of WritableEntity",
        );
        one(
            spec.validate_array_of("NoSuchThing", &json!([]), received),
            "",
            "no such definition",
        );
        // `int32` is held to 32 bits only here.
        let big = json!({"ringNumber": 3_000_000_000_u64});
        ok(spec.validate_definition("QueueMember", &big));
        one(
            spec.validate_definition_with("QueueMember", &big, received),
            "/ringNumber",
            "outside the int32 range",
        );
        // The kinds carry what an error body needs.
        let body = json!({"name": "A", "bogus": 1, "skillEvaluationMethod": "SOME",
                          "mediaSettings": {"call": {"alertingTimeoutSeconds": "8"}}});
        let kinds: Vec<(String, ViolationKind)> = spec
            .validate_definition_with("QueueRequest", &body, received)
            .unwrap_err()
            .into_iter()
            .map(|v| (v.location, v.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                ("/bogus".to_owned(), ViolationKind::UnknownField),
                (
                    "/mediaSettings/call/alertingTimeoutSeconds".to_owned(),
                    ViolationKind::WrongType {
                        expected: JsonType::Integer
                    }
                ),
                (
                    "/skillEvaluationMethod".to_owned(),
                    ViolationKind::NotInEnum {
                        value: "SOME".to_owned(),
                        allowed: vec!["NONE".to_owned(), "BEST".to_owned(), "ALL".to_owned()]
                    }
                ),
            ]
        );
        let v = spec
            .validate_definition_with("QueueRequest", &json!({"description": null}), received)
            .unwrap_err();
        assert_eq!(
            (v[0].location.as_str(), &v[0].kind),
            ("/name", &ViolationKind::MissingRequired)
        );
        let v = spec
            .validate_definition_with(
                "QueueRequest",
                &json!({"name": "a", "dateCreated": "yesterday"}),
                received,
            )
            .unwrap_err();
        assert_eq!(
            v[0].kind,
            ViolationKind::BadFormat {
                format: "date-time"
            }
        );
    }

    #[test]
    fn path_parameter_enums() {
        let Some(spec) = spec() else { return };
        let op = spec
            .operation("POST", "/api/v2/authorization/divisions/d1/objects/QUEUE")
            .unwrap();
        let allowed = op.path_parameter_enum("objectType").unwrap();
        assert!(allowed.iter().any(|a| a == "QUEUE") && allowed.iter().any(|a| a == "USER"));
        assert_eq!(op.path_parameter_enum("divisionId"), None);
        assert_eq!(op.path_parameter_enum("nope"), None);
    }

    #[test]
    fn array_query_parameters() {
        let Some(spec) = spec() else { return };
        let users = spec.operation("GET", "/api/v2/users").unwrap();
        assert!(users.is_array_query_parameter("id"));
        assert!(users.is_array_query_parameter("expand"));
        assert!(!users.is_array_query_parameter("state"));
        assert!(!users.is_array_query_parameter("pageSize"));
        assert!(!users.is_array_query_parameter("nope"));
        let queues = spec.operation("GET", "/api/v2/routing/queues").unwrap();
        assert!(queues.is_array_query_parameter("divisionId"));
        assert!(!queues.is_array_query_parameter("name"));
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a+b%2Fc").as_deref(), Some("a b/c"));
        assert_eq!(percent_decode("%C3%A9").as_deref(), Some("é"));
        assert_eq!(percent_decode("%4"), None);
        assert_eq!(percent_decode("%+1"), None);
        assert_eq!(percent_decode("%FF"), None);
    }
}
