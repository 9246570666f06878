//! The API's error answers: an HTTP status and an `ErrorBody`.
//!
//! Codes and messages, and where they come from:
//! - `not.found` "The requested resource was not found.", `bad.request`, `invalid.value`,
//!   `invalid.date`, `unsupported.media.type`, `service.unavailable`, `request.timeout`,
//!   `internal.server.error`, `authentication.required` (401, no bearer token) and
//!   `bad.credentials` "Invalid login credentials." (401, unknown or expired token): the
//!   error catalogue of the third-party Go `purecloud` package (a PureCloud client with
//!   `APIError` constants), corroborated for 404 by the JavaScript SDK README's example error
//!   (MyPureCloud/platform-client-sdk-javascript, "Error Responses") and for 401 by the
//!   generated SDK docs ("No authentication bearer token specified in authorization header.")
//!   and a Genesys app's test of a real `bad.credentials` payload.
//! - `required.field.missing`, `duplicate.name`, `general.conflict`, `max.user.ids`,
//!   `notification.invalid.topic`, `notification.subscription.too.many.subscriptions`: the
//!   2018 spec's `x-inin-error-codes` (API-FACTS §4).
//! - `too.many.requests.retry.after` and its message: the normalised 429 (API-FACTS §3).
//!
//! The body's `contextId` equals the `ININ-Correlation-Id` header; the gateway fills it in,
//! so an `ApiError` travels in the response extensions until then.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use switchboard_openapi::{Violation, ViolationKind};

/// One `details[]` entry of an `ErrorBody`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ErrorDetail {
    pub error_code: String,
    pub field_name: String,
}

/// An API error answer, rendered by the gateway as an `ErrorBody`. Boxed: errors travel
/// through many `Result`s and are rare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError(Box<ErrorFields>);

/// The parts of an [`ApiError`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ErrorFields {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    pub entity_id: Option<String>,
    pub entity_name: Option<String>,
    pub details: Vec<ErrorDetail>,
    pub retry_after: Option<u64>,
}

impl std::ops::Deref for ApiError {
    type Target = ErrorFields;

    fn deref(&self) -> &ErrorFields {
        &self.0
    }
}

impl std::ops::DerefMut for ApiError {
    fn deref_mut(&mut self) -> &mut ErrorFields {
        &mut self.0
    }
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: &str, message: impl Into<String>) -> ApiError {
        ApiError(Box::new(ErrorFields {
            status,
            code: code.to_string(),
            message: message.into(),
            entity_id: None,
            entity_name: None,
            details: Vec::new(),
            retry_after: None,
        }))
    }

    /// 404 `not.found`, for unknown routes and unknown ids in a path.
    pub(crate) fn not_found() -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not.found",
            "The requested resource was not found.",
        )
    }

    /// 404 `not.found` naming the id that was not found.
    pub(crate) fn not_found_id(id: &str) -> ApiError {
        ApiError::not_found().entity(id, None)
    }

    /// 400 `bad.request` with a specific message.
    pub(crate) fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad.request", message)
    }

    /// 400 `bad.request` for a body that is not JSON.
    pub(crate) fn malformed_body() -> ApiError {
        ApiError::bad_request(
            "The request could not be understood by the server due to malformed syntax.",
        )
    }

    /// 400 `invalid.value` for a value out of range or otherwise refused.
    pub(crate) fn invalid_value(field: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid.value", message)
            .detail("invalid.value", field)
    }

    /// 400 `required.field.missing`.
    pub(crate) fn required_missing(field: &str) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "required.field.missing",
            format!("A required field is missing a value: {field}"),
        )
        .detail("required.field.missing", field)
    }

    /// 400 `duplicate.name` with the vendor's message for the kind.
    pub(crate) fn duplicate_name(message: &str) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "duplicate.name", message)
    }

    /// 409 `general.conflict`.
    pub(crate) fn conflict(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, "general.conflict", message)
    }

    /// 401 `authentication.required`: no bearer token.
    pub(crate) fn authentication_required() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "authentication.required",
            "No authentication bearer token specified in authorization header.",
        )
    }

    /// 401 `bad.credentials`: an unknown, revoked or expired token.
    pub(crate) fn bad_credentials() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "bad.credentials",
            "Invalid login credentials.",
        )
    }

    /// The normalised 429 (API-FACTS §3), with `Retry-After`.
    pub(crate) fn too_many_requests(retry_after_secs: u64) -> ApiError {
        let secs = retry_after_secs.max(1);
        let mut e = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too.many.requests.retry.after",
            format!("Rate limit exceeded the maximum. Retry the request in [{secs}] seconds"),
        );
        e.retry_after = Some(secs);
        e
    }

    /// 415 for a body that is not `application/json`.
    pub(crate) fn unsupported_media_type() -> ApiError {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported.media.type",
            "Unsupported Media Type - Unsupported or incorrect media type, such as an incorrect Content-Type value in the header.",
        )
    }

    /// A plausible error for any status, used by injected faults.
    pub(crate) fn for_status(status: StatusCode, retry_after: Option<u64>) -> ApiError {
        let mut e = match status.as_u16() {
            429 => return ApiError::too_many_requests(retry_after.unwrap_or(1)),
            400 => ApiError::malformed_body(),
            401 => ApiError::bad_credentials(),
            403 => ApiError::new(
                status,
                "not.authorized",
                "You are not authorized to perform the requested action.",
            ),
            404 => ApiError::not_found(),
            500 => ApiError::new(
                status,
                "internal.server.error",
                "The server encountered an unexpected condition which prevented it from fulfilling the request.",
            ),
            // unverified: no documented code for a 502 from the API gateway; this mirrors
            // the dotted style of the others.
            502 => ApiError::new(status, "bad.gateway", "Bad Gateway"),
            503 => ApiError::new(
                status,
                "service.unavailable",
                "Service Unavailable - The server is currently unavailable (because it is overloaded or down for maintenance).",
            ),
            504 => ApiError::new(status, "request.timeout", "The request timed out."),
            // unverified: a generic code for any other injected status.
            _ => ApiError::new(
                status,
                "general.error",
                status.canonical_reason().unwrap_or("Error").to_string(),
            ),
        };
        e.retry_after = retry_after;
        e
    }

    /// The error for a schema violation of a request `body`; fields are named the way the
    /// API's messages name them (`mediaSettings.call.alertingTimeoutSeconds`, `[1].id`).
    pub(crate) fn from_violation(v: &Violation, body: &Value) -> ApiError {
        let path = field_path(&v.location, body);
        match &v.kind {
            ViolationKind::MissingRequired => ApiError::required_missing(&path),
            ViolationKind::NotInEnum { value, allowed } => ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid.value",
                format!(
                    "Value [{value}] is not valid for field type [{path}]. Allowable values are: {}",
                    allowed.join(", ")
                ),
            )
            .detail("invalid.value", &path),
            ViolationKind::BadFormat { .. } => ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid.date",
                format!(
                    "field \"{path}\": dates must be specified as ISO-8601 strings. For example: yyyy-MM-ddTHH:mm:ss.SSSZ"
                ),
            )
            .detail("invalid.date", &path),
            ViolationKind::UnknownField => {
                ApiError::bad_request(format!("unrecognized field \"{path}\""))
                    .detail("bad.request", &path)
            }
            ViolationKind::WrongType { expected } => {
                ApiError::bad_request(format!("field \"{path}\" must be of type {expected}"))
                    .detail("bad.request", &path)
            }
            // Query-string and operation-level kinds; a body checked against a definition has
            // none of them.
            ViolationKind::Repeated | ViolationKind::Malformed | ViolationKind::UnexpectedBody => {
                ApiError::bad_request(v.problem.clone()).detail("bad.request", &path)
            }
            ViolationKind::NotInSpec | ViolationKind::BrokenSpec => ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal.server.error",
                v.to_string(),
            ),
        }
    }

    pub(crate) fn entity(mut self, id: &str, name: Option<&str>) -> ApiError {
        self.entity_id = Some(id.to_string());
        self.entity_name = name.map(str::to_string);
        self
    }

    pub(crate) fn detail(mut self, code: &str, field: &str) -> ApiError {
        self.details.push(ErrorDetail {
            error_code: code.to_string(),
            field_name: field.to_string(),
        });
        self
    }

    /// The `ErrorBody` JSON, with `contextId` set to the correlation id.
    pub(crate) fn body(&self, context_id: &str) -> Value {
        let mut body = json!({
            "message": self.message,
            "code": self.code,
            "status": self.status.as_u16(),
            "contextId": context_id,
            "details": self.details.iter().map(|d| json!({
                "errorCode": d.error_code,
                "fieldName": d.field_name,
            })).collect::<Vec<_>>(),
            "errors": [],
        });
        if let Some(id) = &self.entity_id {
            body["entityId"] = Value::String(id.clone());
        }
        if let Some(name) = &self.entity_name {
            body["entityName"] = Value::String(name.clone());
        }
        body
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // The body is written by the gateway, which knows the correlation id.
        let mut response = (self.status, self.body("").to_string()).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        response.extensions_mut().insert(self);
        response
    }
}

/// The API's name for the field at a JSON pointer into `body`: dotted keys and bracketed
/// indices (`/mediaSettings/call/x` → `mediaSettings.call.x`, `/1/id` → `[1].id`). The body
/// tells an array index from an object key named with digits.
fn field_path(pointer: &str, body: &Value) -> String {
    let mut path = String::new();
    let mut at = Some(body);
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        if let Some(Value::Array(items)) = at {
            path.push_str(&format!("[{token}]"));
            at = token.parse::<usize>().ok().and_then(|i| items.get(i));
        } else {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(&token);
            at = at.and_then(|v| v.get(token.as_str()));
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_paths_name_keys_and_indices() {
        let body = json!({"a": {"b": [{"c": 1}], "0": {"d": 2}}, "x/y": 1});
        assert_eq!(field_path("", &body), "");
        assert_eq!(field_path("/a/b/0/c", &body), "a.b[0].c");
        assert_eq!(field_path("/a/0/d", &body), "a.0.d");
        assert_eq!(field_path("/x~1y", &body), "x/y");
        assert_eq!(field_path("/a/missing", &body), "a.missing");
        assert_eq!(field_path("/1/idx", &json!([{}, {"idx": 1}])), "[1].idx");
    }

    #[test]
    fn the_429_body_is_the_normalised_one() {
        let body = ApiError::too_many_requests(42).body("ctx");
        assert_eq!(
            body,
            json!({"message":"Rate limit exceeded the maximum. Retry the request in [42] seconds",
                   "code":"too.many.requests.retry.after","status":429,"contextId":"ctx",
                   "details":[],"errors":[]})
        );
    }
}
