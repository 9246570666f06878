//! Every answer to an `/api/v2` request checked against the vendor's description before it
//! leaves, in debug builds (tests, `cargo run`): the body of the operation's response for that
//! status (`ErrorBody` for errors, no body where the description declares none), held to
//! [`ValidationMode::Served`] (a response, with no `null` where a type is declared). An answer
//! that departs from it becomes a 500 `internal.server.error` whose message names the
//! violation, and is logged, so that any test that meets it fails loudly.
//!
//! Release builds (the benchmark's large org, `switchboard sim` as shipped) skip it. In debug
//! builds it costs one walk of each answer: a [`Reply::Json`] hands over the value it
//! serialized ([`AnsweredJson`]), so nothing is parsed back.
//!
//! Answers that faults alter or replace on purpose (`status`, `raw`, `mutate`, ...) are not
//! checked: the gateway checks what the handler answered, before any fault alters it.
//!
//! [`Reply::Json`]: crate::request::Reply::Json

use axum::body::{Body, to_bytes};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use switchboard_openapi::{ValidationMode, Violation};

use crate::api_error::ApiError;
use crate::request::AnsweredJson;
use crate::served_spec;

/// The answer to `method path`, or a 500 naming how it departs from the description.
pub(crate) async fn check(method: &str, path: &str, response: Response) -> Response {
    let status = response.status();
    let (response, body) = match answered_body(response).await {
        Ok(found) => found,
        Err(problem) => return refuse(method, path, status, &problem),
    };
    match violations(method, path, status, &body) {
        None => response,
        Some(problem) => refuse(method, path, status, &problem),
    }
}

/// The body as the client will read it: an error's `ErrorBody` (as the gateway renders it),
/// the JSON a handler answered, or `Null` for none.
async fn answered_body(mut response: Response) -> Result<(Response, Value), String> {
    let status = response.status();
    let error = response
        .extensions()
        .get::<ApiError>()
        .cloned()
        .or_else(|| {
            // The gateway turns any other error answer (an extractor's rejection) into this.
            (status.is_client_error() || status.is_server_error())
                .then(|| ApiError::for_status(status, None))
        });
    if let Some(error) = error {
        return Ok((response, error.body("")));
    }
    if let Some(AnsweredJson(value)) = response.extensions_mut().remove::<AnsweredJson>() {
        return Ok((response, value));
    }
    let (parts, body) = response.into_parts();
    // The simulator's own answers are in memory, so reading them cannot fail.
    let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let value = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .map_err(|e| format!("the body is not JSON ({e}): every /api/v2 answer is"))?
    };
    Ok((Response::from_parts(parts, Body::from(bytes)), value))
}

/// How an answer departs from the description, as a sentence; `None` when it does not.
fn violations(method: &str, path: &str, status: StatusCode, body: &Value) -> Option<String> {
    let spec = match served_spec::spec() {
        Ok(spec) => spec,
        Err(e) => {
            return Some(format!(
                "the served operations' description does not load: {e}"
            ));
        }
    };
    let code = status.as_u16();
    let checked = if spec.operation(method, path).is_some() {
        spec.validate_response_body_with(method, path, code, body, ValidationMode::Served)
    } else if status.is_client_error() || status.is_server_error() {
        // No operation (a 404 for a path or method the simulator does not serve, a 401 before
        // routing): the answer is still an `ErrorBody`.
        spec.validate_definition_with("ErrorBody", body, ValidationMode::Served)
    } else {
        return Some(format!(
            "{method} {path} is not an operation the simulator serves, yet it answered {code}"
        ));
    };
    let found = checked.err()?;
    let shown: Vec<String> = found.iter().take(3).map(Violation::to_string).collect();
    let more = match found.len() {
        n if n > 3 => format!(" (and {} more)", n - 3),
        _ => String::new(),
    };
    Some(format!("{}{more}", shown.join("; ")))
}

/// The 500 that replaces a non-conforming answer.
fn refuse(method: &str, path: &str, status: StatusCode, problem: &str) -> Response {
    tracing::error!(
        %method,
        %path,
        status = status.as_u16(),
        %problem,
        "the simulator's answer does not conform to the API description"
    );
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal.server.error",
        format!(
            "simulator bug: its {} answer to {method} {path} does not conform to the API description: {problem}",
            status.as_u16()
        ),
    )
    .into_response()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::request::Reply;

    /// The status and body that leave for an answer, as the gateway would render it.
    async fn checked(method: &str, path: &str, response: Response) -> (u16, Value) {
        let response = check(method, path, response).await;
        let status = response.status().as_u16();
        let body = match response.extensions().get::<ApiError>() {
            Some(e) => e.body(""),
            None => {
                let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap();
                if bytes.is_empty() {
                    Value::Null
                } else {
                    serde_json::from_slice(&bytes).unwrap()
                }
            }
        };
        (status, body)
    }

    #[tokio::test]
    async fn conforming_answers_pass_unchanged() {
        let utilization =
            json!({"utilization": {"call": {"maximumCapacity": 1}}, "maxInboundCalls": 2});
        let answer = Reply::Json(utilization.clone()).into_response();
        assert_eq!(
            checked("GET", "/api/v2/routing/utilization", answer).await,
            (200, utilization)
        );
        let queue = "/api/v2/routing/queues/q1";
        let gone = Reply::Empty.into_response();
        assert_eq!(checked("DELETE", queue, gone).await, (204, Value::Null));
        let missing = ApiError::not_found_id("q1").into_response();
        assert_eq!(checked("GET", queue, missing).await.0, 404);
        let unserved = ApiError::not_found().into_response();
        assert_eq!(checked("GET", "/api/v2/nothing", unserved).await.0, 404);
        let head = Reply::Exists.into_response();
        assert_eq!(
            checked("HEAD", "/api/v2/tokens/me", head).await,
            (200, Value::Null)
        );
    }

    #[tokio::test]
    async fn a_non_conforming_answer_becomes_a_500_naming_the_violation() {
        let cases = [
            (
                "GET",
                "/api/v2/routing/utilization",
                Reply::Json(json!({"maxInboundCalls": null})).into_response(),
                "/maxInboundCalls: expected integer, found null",
            ),
            (
                "GET",
                "/api/v2/routing/queues/q1",
                Reply::Json(json!({"id": "q1", "name": "Q", "bogus": 1})).into_response(),
                "`bogus` is not a field of Queue",
            ),
            (
                "DELETE",
                "/api/v2/routing/queues/q1",
                Reply::Json(json!({})).into_response(),
                "the spec declares no body for status 200",
            ),
            (
                "HEAD",
                "/api/v2/routing/queues",
                Reply::Exists.into_response(),
                "HEAD /api/v2/routing/queues is not an operation the simulator serves, yet it answered 200",
            ),
            (
                "GET",
                "/api/v2/routing/queues/q1",
                (StatusCode::OK, "not json").into_response(),
                "the body is not JSON",
            ),
        ];
        for (method, path, answer, needle) in cases {
            let (status, body) = checked(method, path, answer).await;
            assert_eq!(status, 500, "{method} {path}: {body}");
            assert_eq!(body["code"], "internal.server.error");
            let message = body["message"].as_str().unwrap();
            assert!(
                message.contains(needle) && message.contains("does not conform"),
                "{message}"
            );
        }
    }

    #[tokio::test]
    async fn every_error_body_the_simulator_makes_is_an_error_body() {
        let mut errors = vec![
            ApiError::not_found(),
            ApiError::not_found_id("x"),
            ApiError::bad_request("x").detail("bad.request", "a.b"),
            ApiError::invalid_value("f", "x"),
            ApiError::required_missing("f"),
            ApiError::duplicate_name("x"),
            ApiError::conflict("x"),
            ApiError::authentication_required(),
            ApiError::bad_credentials(),
            ApiError::too_many_requests(3),
            ApiError::unsupported_media_type(),
            ApiError::malformed_body(),
            ApiError::not_found().entity("id", Some("name")),
        ];
        for status in [400, 401, 403, 404, 409, 429, 500, 502, 503, 504, 418] {
            errors.push(ApiError::for_status(
                StatusCode::from_u16(status).unwrap(),
                Some(2),
            ));
        }
        for error in errors {
            let spec = served_spec::spec().unwrap();
            let body = error.body("5f0c");
            assert!(
                spec.validate_definition_with("ErrorBody", &body, ValidationMode::Served)
                    .is_ok(),
                "{body}"
            );
            let status = error.status.as_u16();
            let (answered, _) =
                checked("GET", "/api/v2/routing/queues/q1", error.into_response()).await;
            assert_eq!(answered, status);
        }
    }
}
