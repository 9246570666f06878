//! The gateway every request passes: correlation id, journal, out-of-band edits, latency
//! and faults (including the alteration of answers by a `mutate` fault), bearer-token
//! check, per-token rate limit, and the rendering of error bodies and the
//! `ININ-Correlation-Id` / `inin-ratelimit-*` headers.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{SecondsFormat, Utc};
use serde_json::Value;
use uuid::Uuid;

use crate::api_error::ApiError;
use crate::context::SimContext;
use crate::faults::FaultAction;
use crate::journal::{JournalEntry, body_value};
use crate::mutation::{
    Mutation, RepeatedPage, finish_repeated_page, first_page_body, first_page_query,
};
use crate::oauth::basic_client_id;
use crate::rate_limit::Budget;
use crate::request::Caller;

/// Bodies larger than this are refused.
// The documented platform limit is `request.bytes.max` = 512000 (API-FACTS §3); the
// simulator allows more so a client's own size checks are what a test exercises.
const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// Marks a response whose connection must be closed without answering (fault `Drop`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct DropConnection;

/// Marks a response that must go out exactly as built (fault `Raw`, `/oauth/token`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Verbatim;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `/oauth/token`.
    Auth,
    /// `/api/v2/...`.
    Api,
    /// Anything else (answered 404 by the fallback).
    Other,
}

impl Kind {
    fn of(path: &str) -> Kind {
        if path == "/oauth/token" {
            Kind::Auth
        } else if path.starts_with("/api/v2/") {
            Kind::Api
        } else {
            Kind::Other
        }
    }
}

/// What the gateway learned while handling a request.
#[derive(Debug, Default)]
struct Outcome {
    client_id: Option<String>,
    budget: Option<Budget>,
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_string())
}

/// The axum middleware.
pub(crate) async fn gateway(
    State(ctx): State<Arc<SimContext>>,
    request: Request,
    next: Next,
) -> Response {
    let correlation_id = Uuid::new_v4().to_string();
    let time = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let kind = Kind::of(&path);
    let query = journal_query(kind, request.uri().query().unwrap_or(""));
    let mut outcome = Outcome {
        client_id: if kind == Kind::Auth {
            basic_client_id(request.headers())
        } else {
            None
        },
        budget: None,
    };
    let (parts, body) = request.into_parts();
    let (response, request_body) = match to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => {
            let journaled = if kind == Kind::Auth {
                None
            } else {
                body_value(&bytes)
            };
            let request = Request::from_parts(parts, Body::from(bytes));
            let response = handle(&ctx, kind, &method, &path, request, next, &mut outcome).await;
            (response, journaled)
        }
        Err(_) => (
            ApiError::bad_request(format!(
                "The request body is larger than {MAX_BODY_BYTES} bytes."
            ))
            .into_response(),
            None,
        ),
    };
    ctx.publish_pending();
    let dropped = response.extensions().get::<DropConnection>().is_some();
    let (response, mut response_body) = finish(
        response,
        &correlation_id,
        &outcome,
        ctx.journal.response_bodies,
    )
    .await;
    if kind == Kind::Auth
        && let Some(token) = response_body
            .as_mut()
            .and_then(|b| b.get_mut("access_token"))
    {
        *token = Value::String("<redacted>".into());
    }
    ctx.journal.record(JournalEntry {
        seq: 0,
        time,
        method,
        path,
        query,
        status: if dropped {
            0
        } else {
            response.status().as_u16()
        },
        client_id: outcome.client_id,
        request_body,
        response_body: if ctx.journal.response_bodies {
            response_body
        } else {
            None
        },
    });
    response
}

/// The query as journaled: for `/oauth/token`, values of secret-looking parameters are
/// redacted (no client should send them there, but one that does must not leak them).
fn journal_query(kind: Kind, raw: &str) -> String {
    if kind != Kind::Auth || raw.is_empty() {
        return raw.to_string();
    }
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in url::form_urlencoded::parse(raw.as_bytes()) {
        let secret = k.contains("secret") || k.contains("password") || k.contains("token");
        s.append_pair(&k, if secret { "REDACTED" } else { &v });
    }
    s.finish()
}

async fn handle(
    ctx: &Arc<SimContext>,
    kind: Kind,
    method: &str,
    path: &str,
    request: Request,
    next: Next,
    outcome: &mut Outcome,
) -> Response {
    if kind == Kind::Api {
        let due = ctx.faults().count_api_request();
        if !due.is_empty() {
            let mut org = ctx.org();
            for edit in due {
                if let Err(error) = crate::admin::apply_edit(&mut org, &edit) {
                    tracing::warn!(%error, ?edit, "scheduled out-of-band edit failed");
                }
            }
        }
    }
    let decision = ctx.faults().decide(method, path, kind == Kind::Auth);
    if let Some(latency) = decision.latency {
        tokio::time::sleep(latency).await;
    }
    let token = bearer(request.headers());
    let known = token.as_deref().and_then(|t| ctx.tokens().check(t));
    if kind == Kind::Api {
        outcome.client_id = known.as_ref().map(|t| t.client_id.clone());
    }
    let mut mutation = None;
    match decision.action {
        None => {}
        Some(FaultAction::Mutate { mutation: m }) => mutation = Some(m),
        Some(FaultAction::Delay { ms }) => tokio::time::sleep(Duration::from_millis(ms)).await,
        Some(FaultAction::Drop) => {
            let mut r = Response::new(Body::empty());
            r.extensions_mut().insert(DropConnection);
            return r;
        }
        Some(FaultAction::Status {
            status,
            retry_after,
        }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return ApiError::for_status(status, retry_after).into_response();
        }
        Some(FaultAction::Raw {
            status,
            content_type,
            body,
        }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut r = (status, body).into_response();
            if let Ok(v) = HeaderValue::from_str(&content_type) {
                r.headers_mut().insert(header::CONTENT_TYPE, v);
            }
            r.extensions_mut().insert(Verbatim);
            return r;
        }
        Some(FaultAction::Redirect { location }) => {
            let mut r = StatusCode::FOUND.into_response();
            if let Ok(v) = HeaderValue::from_str(&location) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            return r;
        }
        Some(FaultAction::ExpireToken) => {
            if let Some(t) = &token {
                ctx.tokens().revoke(t);
                ctx.rate().forget(t);
            }
            return ApiError::bad_credentials().into_response();
        }
    }
    let Some(mutation) = mutation else {
        return serve(ctx, kind, request, next, token, known, outcome).await;
    };
    let (request, repeated) = if matches!(mutation, Mutation::RepeatPage) {
        ask_for_first_page(request).await
    } else {
        (request, None)
    };
    let response = serve(ctx, kind, request, next, token, known, outcome).await;
    mutate_answer(ctx, response, &mutation, repeated.as_ref()).await
}

/// Checks the token and the rate budget, then runs the handler; in debug builds, checks an
/// API answer against the description (`crate::response_check`).
async fn serve(
    ctx: &Arc<SimContext>,
    kind: Kind,
    request: Request,
    next: Next,
    token: Option<String>,
    known: Option<crate::oauth::Token>,
    outcome: &mut Outcome,
) -> Response {
    if kind != Kind::Api {
        return next.run(request).await;
    }
    #[cfg(debug_assertions)]
    let (method, path) = (
        request.method().to_string(),
        request.uri().path().to_string(),
    );
    let response = serve_api(ctx, request, next, token, known, outcome).await;
    #[cfg(debug_assertions)]
    let response = crate::response_check::check(&method, &path, response).await;
    response
}

async fn serve_api(
    ctx: &Arc<SimContext>,
    mut request: Request,
    next: Next,
    token: Option<String>,
    known: Option<crate::oauth::Token>,
    outcome: &mut Outcome,
) -> Response {
    let Some(token) = token else {
        return ApiError::authentication_required().into_response();
    };
    let Some(known) = known else {
        return ApiError::bad_credentials().into_response();
    };
    let budget = ctx.rate().take(&token, ctx.settings.rate_limit);
    outcome.budget = budget;
    if let Some(b) = budget
        && b.exceeded
    {
        return ApiError::too_many_requests(b.reset_secs).into_response();
    }
    // The router would answer a HEAD with its path's GET handler; the API has HEAD only where
    // the description lists it, and a method a path does not have is a 404 here.
    if request.method() == Method::HEAD
        && crate::served_spec::operation("HEAD", request.uri().path()).is_none()
    {
        return ApiError::not_found().into_response();
    }
    request.extensions_mut().insert(Caller {
        client_id: known.client_id,
        token,
    });
    next.run(request).await
}

/// Rewrites a `repeatPage` request to ask for page 1 (`pageNumber` in the query of a
/// `GET`, in the JSON body otherwise), remembering the page it asked for. A request whose
/// page cannot be read goes on unchanged, for the handler to refuse.
async fn ask_for_first_page(request: Request) -> (Request, Option<RepeatedPage>) {
    let (mut parts, body) = request.into_parts();
    if parts.method == Method::GET {
        let sent = parts.uri.to_string();
        let Some((query, requested)) = first_page_query(parts.uri.query().unwrap_or("")) else {
            return (Request::from_parts(parts, body), None);
        };
        let rewritten = if query.is_empty() {
            parts.uri.path().to_string()
        } else {
            format!("{}?{query}", parts.uri.path())
        };
        let Ok(uri) = rewritten.parse::<Uri>() else {
            return (Request::from_parts(parts, body), None);
        };
        parts.uri = uri;
        let repeated = RepeatedPage::Query {
            requested,
            uri: sent,
        };
        return (Request::from_parts(parts, body), Some(repeated));
    }
    // The gateway has already read the body within `MAX_BODY_BYTES`.
    let bytes = to_bytes(body, MAX_BODY_BYTES).await.unwrap_or_default();
    let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else {
        return (Request::from_parts(parts, Body::from(bytes)), None);
    };
    let Some(requested) = first_page_body(&mut value) else {
        return (Request::from_parts(parts, Body::from(bytes)), None);
    };
    let text = value.to_string();
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(text.len()));
    let repeated = RepeatedPage::Body { requested };
    (Request::from_parts(parts, Body::from(text)), Some(repeated))
}

/// Whether a `Content-Type` is JSON (`application/json` or `+json`, any parameters).
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            let essence = v.split(';').next().unwrap_or("").trim();
            essence.eq_ignore_ascii_case("application/json") || essence.ends_with("+json")
        })
}

/// Alters a 2xx JSON answer by a firing `mutate` fault; any other answer passes unchanged.
async fn mutate_answer(
    ctx: &Arc<SimContext>,
    response: Response,
    mutation: &Mutation,
    repeated: Option<&RepeatedPage>,
) -> Response {
    if !response.status().is_success() || !is_json(response.headers()) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // The simulator's own answers are in memory, so reading them cannot fail.
    let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    ctx.faults().mutate(mutation, &mut value);
    if let Some(repeated) = repeated {
        finish_repeated_page(&mut value, repeated);
    }
    let text = value.to_string();
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(text.len()));
    Response::from_parts(parts, Body::from(text))
}

/// Renders error bodies with the correlation id, adds the headers, and returns the body
/// for the journal.
async fn finish(
    response: Response,
    correlation_id: &str,
    outcome: &Outcome,
    keep_body: bool,
) -> (Response, Option<Value>) {
    let raw = response.extensions().get::<Verbatim>().is_some();
    let error = response
        .extensions()
        .get::<ApiError>()
        .cloned()
        .or_else(|| {
            // Errors that did not come from the simulator's own code (e.g. an extractor
            // rejection) still get an ErrorBody.
            let status = response.status();
            (!raw && (status.is_client_error() || status.is_server_error()))
                .then(|| ApiError::for_status(status, None))
        });
    let (mut response, body) = match error {
        Some(e) => {
            let body = e.body(correlation_id);
            let mut r = (e.status, body.to_string()).into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            if let Some(secs) = e.retry_after
                && let Ok(v) = HeaderValue::from_str(&secs.to_string())
            {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            (r, Some(body))
        }
        None if keep_body => {
            let (parts, body) = response.into_parts();
            let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
            let value = body_value(&bytes);
            (Response::from_parts(parts, Body::from(bytes)), value)
        }
        None => (response, None),
    };
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(correlation_id) {
        headers.insert(HeaderName::from_static("inin-correlation-id"), v);
    }
    if let Some(b) = outcome.budget {
        for (name, value) in [
            ("inin-ratelimit-count", u64::from(b.count)),
            ("inin-ratelimit-allowed", u64::from(b.allowed)),
            ("inin-ratelimit-reset", b.reset_secs),
        ] {
            if let Ok(v) = HeaderValue::from_str(&value.to_string()) {
                headers.insert(HeaderName::from_static(name), v);
            }
        }
    }
    (response, body)
}

/// Every route the simulator does not serve. For an operation of the description it does not
/// simulate, the message says so and why (`crate::not_simulated`).
pub(crate) async fn not_found(method: Method, uri: Uri) -> ApiError {
    let mut error = ApiError::not_found();
    if let Some((template, why)) = crate::not_simulated::reason(method.as_str(), uri.path()) {
        error.message = format!(
            "{} (the simulator does not simulate {method} {template}: {why})",
            error.message
        );
    }
    error
}
