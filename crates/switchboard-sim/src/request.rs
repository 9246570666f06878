//! Request extractors (query parameters, JSON bodies, the calling client) and the reply
//! type, all answering bad input with the API's error bodies.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::api_error::ApiError;
use crate::audit::Actor;
use crate::context::SimContext;
use crate::queue_rules::strip_nulls;
use crate::served_spec;

/// A successful answer: JSON with 200, or no content (204) for void operations, or 200 with
/// no body for a `HEAD`.
// The spec lists `200` without a schema for void operations and API-FACTS says the real
// codes are unverifiable; 204 tells clients plainly that there is no body.
#[derive(Debug)]
pub(crate) enum Reply {
    Json(Value),
    Empty,
    /// 200 without a body: what a `HEAD` answers when what it asks about is there ("Returns
    /// a 200 OK if channel exists", the description of `HEAD .../channels/{channelId}`).
    Exists,
}

/// The JSON a [`Reply::Json`] answered, kept beside its text in debug builds so that the
/// response check (`crate::response_check`) need not parse it back.
#[derive(Debug, Clone)]
pub(crate) struct AnsweredJson(pub Value);

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        match self {
            Reply::Json(v) => {
                let mut response = (
                    StatusCode::OK,
                    [(header::CONTENT_TYPE, "application/json")],
                    v.to_string(),
                )
                    .into_response();
                if cfg!(debug_assertions) {
                    response.extensions_mut().insert(AnsweredJson(v));
                }
                response
            }
            Reply::Empty => StatusCode::NO_CONTENT.into_response(),
            Reply::Exists => StatusCode::OK.into_response(),
        }
    }
}

/// A handler's result.
pub(crate) type ApiResult = Result<Reply, ApiError>;

/// The OAuth client making an API request, put in the request by the gateway.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    pub client_id: String,
    pub token: String,
}

impl Caller {
    pub(crate) fn actor(&self) -> Actor {
        Actor::Client {
            id: self.client_id.clone(),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Caller, ApiError> {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or_else(ApiError::authentication_required)
    }
}

/// The query string as ordered pairs, one per value: an array parameter holds one pair per
/// item, whether the client repeated it (`?id=a&id=b`, Swagger `multi`, as switchboard's client
/// sends) or joined its items with commas (`?id=a,b`, as the vendor's Python SDK sends).
#[derive(Debug, Clone, Default)]
pub(crate) struct QueryParams(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for QueryParams {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<QueryParams, ApiError> {
        let operation = served_spec::operation(parts.method.as_str(), parts.uri.path());
        Ok(QueryParams::parse_lists(
            parts.uri.query().unwrap_or(""),
            |name| operation.is_some_and(|op| op.is_array_query_parameter(name)),
        ))
    }
}

impl QueryParams {
    /// The pairs of a query string, as sent.
    pub(crate) fn parse(raw: &str) -> QueryParams {
        QueryParams::parse_lists(raw, |_| false)
    }

    /// The pairs of a query string, with the comma-joined values of the parameters `is_list`
    /// names (the operation's array parameters) split into one pair per item. Empty items
    /// name nothing and are dropped. Other parameters keep their commas: a `name` filter may
    /// hold one.
    // The split comes after decoding: the Python SDK joins a list's items with commas before
    // URL-encoding the query, so they may arrive as `%2C`. unverified: whether the API has any
    // way to carry a comma inside an item; none is documented, so the simulator has none.
    pub(crate) fn parse_lists(raw: &str, is_list: impl Fn(&str) -> bool) -> QueryParams {
        let mut pairs = Vec::new();
        for (k, v) in url::form_urlencoded::parse(raw.as_bytes()) {
            if is_list(&k) {
                pairs.extend(
                    v.split(',')
                        .filter(|item| !item.is_empty())
                        .map(|item| (k.to_string(), item.to_string())),
                );
            } else {
                pairs.push((k.into_owned(), v.into_owned()));
            }
        }
        QueryParams(pairs)
    }

    /// The last value of a parameter.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of an array parameter, repeated or comma-joined.
    pub(crate) fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// An integer parameter (`bad.request` when it is not one).
    pub(crate) fn int(&self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.get(name) {
            None | Some("") => Ok(None),
            Some(v) => v.parse::<i64>().map(Some).map_err(|_| {
                ApiError::bad_request(format!(
                    "Query parameter {name} must be an integer, not [{v}]."
                ))
            }),
        }
    }

    /// A boolean parameter.
    pub(crate) fn bool(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.get(name) {
            None | Some("") => Ok(None),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(v) => Err(ApiError::bad_request(format!(
                "Query parameter {name} must be true or false, not [{v}]."
            ))),
        }
    }

    /// A parameter that must be one of `allowed` (compared case-insensitively).
    pub(crate) fn choice(&self, name: &str, allowed: &[&str]) -> Result<Option<String>, ApiError> {
        match self.get(name) {
            None | Some("") => Ok(None),
            Some(v) => allowed
                .iter()
                .find(|a| a.eq_ignore_ascii_case(v))
                .map(|a| Some(a.to_string()))
                .ok_or_else(|| {
                    ApiError::invalid_value(
                        name,
                        format!(
                            "Value [{v}] is not valid for field type [{name}]. Allowable values are: {}",
                            allowed.join(", ")
                        ),
                    )
                }),
        }
    }

    /// `sortOrder`: true when descending. Accepts asc/desc/ascending/descending in any case
    /// (the spec's enums differ per endpoint and the SDK documents `ASC` as a default).
    pub(crate) fn descending(&self) -> Result<bool, ApiError> {
        Ok(matches!(
            self.choice("sortOrder", &["asc", "desc", "ascending", "descending"])?
                .as_deref(),
            Some("desc" | "descending")
        ))
    }

    /// The raw query minus paging parameters, for the listing URIs.
    pub(crate) fn without_paging(&self) -> Vec<(String, String)> {
        self.0
            .iter()
            .filter(|(k, _)| k != "pageNumber" && k != "pageSize")
            .cloned()
            .collect()
    }
}

/// A JSON request body (400 `bad.request` when malformed, 415 when not JSON), with every
/// `null` left out: the API's JSON binding reads `null` as absent (`ValidationMode::Received`),
/// and what a handler keeps of a body must not come back as a `null` in an answer.
#[derive(Debug)]
pub(crate) struct JsonBody(pub Value);

impl JsonBody {
    /// Checks a body against an array of a spec definition and returns its items.
    pub(crate) fn array_of(&self, definition: &str) -> Result<Vec<Value>, ApiError> {
        crate::request_definitions::check_array_of(definition, &self.0)?;
        Ok(self.0.as_array().cloned().unwrap_or_default())
    }

    /// Checks a body against a spec definition.
    pub(crate) fn object_of(&self, definition: &str) -> Result<&Value, ApiError> {
        if !self.0.is_object() {
            return Err(ApiError::bad_request(format!(
                "The body must be a {definition} JSON object."
            )));
        }
        crate::request_definitions::check(definition, &self.0)?;
        Ok(&self.0)
    }
}

impl FromRequest<Arc<SimContext>> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &Arc<SimContext>) -> Result<JsonBody, ApiError> {
        let json_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                let essence = v.split(';').next().unwrap_or("").trim();
                essence.eq_ignore_ascii_case("application/json") || essence.ends_with("+json")
            });
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| ApiError::malformed_body())?;
        if bytes.is_empty() {
            return Err(ApiError::bad_request("A request body is required."));
        }
        if json_type != Some(true) {
            return Err(ApiError::unsupported_media_type());
        }
        let mut value: Value =
            serde_json::from_slice(&bytes).map_err(|_| ApiError::malformed_body())?;
        strip_nulls(&mut value);
        Ok(JsonBody(value))
    }
}

/// A string field of a body object.
pub(crate) fn str_field<'a>(v: &'a Value, name: &str) -> Option<&'a str> {
    v.get(name).and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The values of `name` in `query` as an operation of the served description reads them.
    fn read(method: &str, path: &str, query: &str, name: &str) -> Vec<String> {
        let operation = served_spec::operation(method, path);
        QueryParams::parse_lists(query, |n| {
            operation.is_some_and(|op| op.is_array_query_parameter(n))
        })
        .all(name)
        .into_iter()
        .map(str::to_owned)
        .collect()
    }

    #[test]
    fn array_parameters_read_repeated_and_comma_joined_alike() {
        let users = "/api/v2/users";
        for (query, name, want) in [
            ("id=a&id=b", "id", &["a", "b"][..]),
            ("id=a,b", "id", &["a", "b"]),
            ("id=a%2Cb&id=c", "id", &["a", "b", "c"]),
            ("id=a,,b,", "id", &["a", "b"]),
            ("id=", "id", &[]),
            (
                "expand=skills,languages",
                "expand",
                &["skills", "languages"],
            ),
            // Not an array parameter: one value, commas and all.
            ("state=active,inactive", "state", &["active,inactive"]),
        ] {
            assert_eq!(read("GET", users, query, name), want, "{query}");
        }
        let queues = "/api/v2/routing/queues";
        assert_eq!(
            read("GET", queues, "divisionId=d1,d2", "divisionId"),
            ["d1", "d2"]
        );
        assert_eq!(read("GET", queues, "name=a,%20b", "name"), ["a, b"]);
        // A path the simulator does not serve splits nothing.
        assert_eq!(read("GET", "/api/v2/nothing", "id=a,b", "id"), ["a,b"]);
        assert_eq!(QueryParams::parse("id=a,b").all("id"), ["a,b"]);
    }
}
