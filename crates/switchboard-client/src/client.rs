//! The client: sends [`ApiRequest`]s with authentication, rate limiting, bounded
//! concurrency and the retry policy, and decodes the answers.

use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{self, HeaderMap, HeaderValue};
use serde::de::DeserializeOwned;
use tokio::sync::Semaphore;
use tracing::Instrument;

use crate::auth::{CachedToken, TokenSlot};
use crate::config::{ClientConfig, ConfigError};
use crate::error::{ApiError, AuthError, DecodeError, Error, TransportKind};
use crate::models::{ErrorBody, TokenResponse};
use crate::numbers::millis;
use crate::rate_limit::{TokenBudget, header_number};
use crate::request::{ApiRequest, Endpoint, Method, RequestKind};
use crate::retry::{Decision, Failure, RetryBudget, Stop};

/// The largest response body read; anything larger is refused rather than buffered.
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// The token operation, for errors and logs.
const TOKEN_ENDPOINT: Endpoint = Endpoint {
    method: Method::Post,
    template: "/oauth/token",
    permissions: &[],
    scopes: &[],
};

/// A Genesys Cloud API client for one org. Cheap to clone; clones share tokens, budgets
/// and the concurrency bound.
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    config: ClientConfig,
    slots: Vec<TokenSlot>,
    next_slot: AtomicUsize,
    in_flight: Semaphore,
    counters: Counters,
}

/// What the client has done so far, for benchmarks, tests and summaries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientStats {
    /// API requests sent (every attempt counts).
    pub requests: u64,
    /// Token requests sent.
    pub token_requests: u64,
    /// Attempts repeated after a transient failure.
    pub retries: u64,
    /// 429 answers received.
    pub rate_limited: u64,
    /// Re-authentications after a 401.
    pub reauthentications: u64,
    /// The most requests that were in flight at once.
    pub peak_in_flight: u64,
}

#[derive(Debug, Default)]
struct Counters {
    requests: AtomicU64,
    token_requests: AtomicU64,
    retries: AtomicU64,
    rate_limited: AtomicU64,
    reauthentications: AtomicU64,
    in_flight: AtomicU64,
    peak_in_flight: AtomicU64,
}

/// A response as received, before decoding.
struct RawResponse {
    status: u16,
    headers: HeaderMap,
    body: Bytes,
    /// The token the request carried, never to be quoted back: a proxy or an echo service
    /// may repeat the request's headers in its answer.
    bearer: Option<CachedToken>,
}

/// The longest header value quoted in an error.
const MAX_QUOTED_HEADER: usize = 200;

impl RawResponse {
    fn correlation_id(&self) -> Option<String> {
        self.quoted_header("inin-correlation-id")
    }

    fn content_type(&self) -> String {
        self.quoted_header(header::CONTENT_TYPE.as_str())
            .unwrap_or_else(|| "no content type".to_string())
    }

    /// A header value fit to quote: visible ASCII, bounded, without the bearer token.
    fn quoted_header(&self, name: &str) -> Option<String> {
        let value = header_str(&self.headers, name)?;
        let value: String = value.chars().take(MAX_QUOTED_HEADER).collect();
        Some(self.redacted(value))
    }

    /// `Retry-After` in seconds. Anything else (an HTTP date, a negative or fractional
    /// number, text) is ignored and the backoff applies; a number too large for `u64`
    /// saturates, and the retry policy refuses waits that long.
    fn retry_after(&self) -> Option<Duration> {
        header_number(&self.headers, header::RETRY_AFTER.as_str()).map(Duration::from_secs)
    }

    /// The bearer token the request carried, when there is one to hide.
    fn secret(&self) -> Option<&str> {
        self.bearer
            .as_ref()
            .map(CachedToken::bearer)
            .filter(|token| !token.is_empty())
    }

    /// `text` with the bearer token the request carried replaced.
    fn redacted(&self, text: String) -> String {
        match self.secret() {
            Some(token) if text.contains(token) => text.replace(token, "[redacted]"),
            _ => text,
        }
    }

    /// The body as text fit to quote or parse for an error: the bearer token replaced.
    fn quotable_body(&self) -> Cow<'_, [u8]> {
        let text = String::from_utf8_lossy(&self.body);
        match self.secret() {
            Some(token) if text.contains(token) => {
                Cow::Owned(text.replace(token, "[redacted]").into_bytes())
            }
            _ => Cow::Borrowed(&self.body),
        }
    }
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

impl Client {
    /// Builds a client. No request is made until the first call.
    pub fn new(config: ClientConfig) -> Result<Self, ConfigError> {
        let http = reqwest::Client::builder()
            // The API never redirects; following one could send the token elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(config.request_timeout)
            .connect_timeout(config.request_timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("switchboard/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| ConfigError::Http(error.to_string()))?;
        let slots = (0..config.token_pool_size.get())
            .map(|_| TokenSlot::new(TokenBudget::new(config.rate_budget)))
            .collect();
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                in_flight: Semaphore::new(config.max_concurrency.get()),
                config,
                slots,
                next_slot: AtomicUsize::new(0),
                counters: Counters::default(),
            }),
        })
    }

    /// The configuration in use.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// Counters of what the client has sent.
    pub fn stats(&self) -> ClientStats {
        let c = &self.inner.counters;
        ClientStats {
            requests: c.requests.load(Ordering::Relaxed),
            token_requests: c.token_requests.load(Ordering::Relaxed),
            retries: c.retries.load(Ordering::Relaxed),
            rate_limited: c.rate_limited.load(Ordering::Relaxed),
            reauthentications: c.reauthentications.load(Ordering::Relaxed),
            peak_in_flight: c.peak_in_flight.load(Ordering::Relaxed),
        }
    }

    /// Sends `request` and decodes a JSON answer.
    pub async fn execute<T: DeserializeOwned>(&self, request: ApiRequest) -> Result<T, Error> {
        let raw = self.send(&request).await?;
        decode(request.endpoint, &raw)
    }

    /// Sends `request` and accepts any 2xx, ignoring the body (deletes, bulk member writes).
    pub async fn execute_empty(&self, request: ApiRequest) -> Result<(), Error> {
        self.send(&request).await.map(drop)
    }

    async fn send(&self, request: &ApiRequest) -> Result<RawResponse, Error> {
        /// Re-authentications per request: a token revoked twice in quick succession (a
        /// credential rotation) is survived; credentials the API keeps refusing are not
        /// retried for ever.
        const MAX_REAUTHENTICATIONS: u32 = 2;
        let mut budget = RetryBudget::new(&self.inner.config.retry);
        let mut reauthentications = 0;
        // After a 401 the request stays on the slot it re-authenticated: the next slot's
        // token may have been revoked too, and is not the one that was renewed.
        let mut pinned: Option<&TokenSlot> = None;
        loop {
            let slot = pinned.unwrap_or_else(|| self.next_slot());
            let token = self.token(slot).await?;
            let attempt = budget.attempts() + 1;
            let span = tracing::debug_span!(
                "genesys_request",
                method = %request.endpoint.method,
                path = request.endpoint.template,
                attempt,
                status = tracing::field::Empty,
                latency_ms = tracing::field::Empty,
            );
            crate::attempts::count_attempt();
            let outcome = self
                .attempt(slot, request, &token)
                .instrument(span.clone())
                .await;
            let (failure, error) = match outcome {
                Ok(raw) if (200..300).contains(&raw.status) => return Ok(raw),
                Ok(raw) if raw.status == 401 && reauthentications < MAX_REAUTHENTICATIONS => {
                    // Re-authenticate and try again; a token refused again and again is a
                    // clear error, not a loop.
                    reauthentications += 1;
                    pinned = Some(slot);
                    self.inner
                        .counters
                        .reauthentications
                        .fetch_add(1, Ordering::Relaxed);
                    span.in_scope(|| tracing::info!("token refused (401); re-authenticating"));
                    slot.invalidate(token.generation()).await;
                    continue;
                }
                Ok(raw) => {
                    let retry_after = raw.retry_after();
                    if raw.status == 429 {
                        self.inner
                            .counters
                            .rate_limited
                            .fetch_add(1, Ordering::Relaxed);
                        // Every request on this token waits, when the policy waits at all: a
                        // longer wait fails this request, and must not stall the others.
                        let wait = retry_after.unwrap_or(Duration::from_secs(1));
                        if wait <= self.inner.config.retry.max_retry_after {
                            slot.budget.pause_for(wait);
                        }
                    }
                    let failure = Failure::Status {
                        status: raw.status,
                        retry_after,
                    };
                    (failure, Error::from(self.api_error(request.endpoint, &raw)))
                }
                Err((kind, error)) => (Failure::Transport(kind), error),
            };
            match budget.after_failure(failure, request.kind) {
                Decision::RetryIn(delay) => {
                    self.inner.counters.retries.fetch_add(1, Ordering::Relaxed);
                    span.in_scope(|| {
                        tracing::warn!(delay_ms = millis(delay), error = %first_line(&error), "retrying");
                    });
                    tokio::time::sleep(delay).await;
                }
                Decision::Stop(stop) => {
                    return Err(stopped(stop, request.endpoint, error, &budget));
                }
            }
        }
    }

    /// One HTTP exchange, after waiting for a concurrency permit and the token's budget.
    async fn attempt(
        &self,
        slot: &TokenSlot,
        request: &ApiRequest,
        token: &CachedToken,
    ) -> Result<RawResponse, (TransportKind, Error)> {
        let url = self.url(&self.inner.config.hosts.api, &request.path);
        let _permit = self.inner.in_flight.acquire().await.ok();
        slot.budget.acquire().await;
        let _flight = InFlight::enter(&self.inner.counters);
        self.inner.counters.requests.fetch_add(1, Ordering::Relaxed);
        let started = Instant::now();
        tracing::trace!(path = %request.path, query = request.query.len(), "sending");

        let mut bearer =
            HeaderValue::from_str(&format!("Bearer {}", token.bearer())).map_err(|_| {
                let kind = TransportKind::Connect;
                (
                    kind,
                    transport_error(
                        request.endpoint,
                        kind,
                        "the token is not a valid header value",
                    ),
                )
            })?;
        bearer.set_sensitive(true);
        let mut builder = self
            .inner
            .http
            .request(request.endpoint.method.to_http(), url)
            .query(&request.query)
            .header(header::AUTHORIZATION, bearer)
            .header(header::ACCEPT, "application/json");
        if let Some(body) = &request.body {
            builder = builder.json(body);
        }
        let result = read_response(builder.send().await).await;
        let span = tracing::Span::current();
        span.record("latency_ms", millis(started.elapsed()));
        match result {
            Ok(mut raw) => {
                raw.bearer = Some(token.clone());
                span.record("status", raw.status);
                slot.budget.observe(&raw.headers);
                tracing::debug!("response");
                Ok(raw)
            }
            Err(error) => {
                let kind = classify_transport(&error);
                tracing::debug!(kind = %kind, "no response");
                Err((
                    kind,
                    transport_error(request.endpoint, kind, &redacted_transport_detail(&error)),
                ))
            }
        }
    }

    fn next_slot(&self) -> &TokenSlot {
        let slots = &self.inner.slots;
        let index = self.inner.next_slot.fetch_add(1, Ordering::Relaxed) % slots.len().max(1);
        // `slots` has `token_pool_size` (non-zero) entries.
        &slots[index]
    }

    async fn token(&self, slot: &TokenSlot) -> Result<CachedToken, Error> {
        slot.token(|| self.fetch_token()).await
    }

    /// `POST /oauth/token` with Basic credentials and `grant_type=client_credentials`
    /// (API-FACTS §1), retried on transient failures like any request.
    async fn fetch_token(&self) -> Result<TokenResponse, Error> {
        let config = &self.inner.config;
        let url = self.url(&config.hosts.login, TOKEN_ENDPOINT.template);
        let mut budget = RetryBudget::new(&config.retry);
        loop {
            self.inner
                .counters
                .token_requests
                .fetch_add(1, Ordering::Relaxed);
            let sent = self
                .inner
                .http
                .post(url.clone())
                .basic_auth(
                    config.credentials.client_id(),
                    Some(config.credentials.secret()),
                )
                .header(header::ACCEPT, "application/json")
                .form(&[("grant_type", "client_credentials")])
                .send()
                .instrument(tracing::debug_span!(
                    "genesys_token",
                    path = TOKEN_ENDPOINT.template
                ))
                .await;
            let (failure, error) = match read_response(sent).await {
                Ok(raw) if (200..300).contains(&raw.status) => return decode_token(&raw),
                Ok(raw) if matches!(raw.status, 429 | 502..=504) => {
                    let retry_after = raw.retry_after();
                    (
                        Failure::Status {
                            status: raw.status,
                            retry_after,
                        },
                        self.auth_error(&raw),
                    )
                }
                Ok(raw) => return Err(self.auth_error(&raw)),
                Err(error) => {
                    let kind = classify_transport(&error);
                    (
                        Failure::Transport(kind),
                        transport_error(TOKEN_ENDPOINT, kind, &redacted_transport_detail(&error)),
                    )
                }
            };
            match budget.after_failure(failure, RequestKind::Idempotent) {
                Decision::RetryIn(delay) => {
                    tracing::warn!(delay_ms = millis(delay), error = %first_line(&error), "retrying the token request");
                    tokio::time::sleep(delay).await;
                }
                Decision::Stop(stop) => return Err(stopped(stop, TOKEN_ENDPOINT, error, &budget)),
            }
        }
    }

    fn url(&self, base: &url::Url, path: &str) -> url::Url {
        let mut url = base.clone();
        url.set_path(path);
        url.set_query(None);
        url
    }

    fn api_error(&self, endpoint: Endpoint, raw: &RawResponse) -> ApiError {
        let quotable = raw.quotable_body();
        let body: Option<ErrorBody> = serde_json::from_slice(&quotable).ok();
        let message = body
            .as_ref()
            .and_then(|body| body.message.clone())
            .unwrap_or_else(|| snippet(&quotable));
        ApiError {
            endpoint,
            status: raw.status,
            code: body.as_ref().and_then(|body| body.code.clone()),
            message,
            correlation_id: raw
                .correlation_id()
                .or_else(|| body.as_ref().and_then(|body| body.context_id.clone())),
            body,
            client_id: self.inner.config.credentials.client_id().to_string(),
            api_host: self
                .inner
                .config
                .hosts
                .api
                .host_str()
                .unwrap_or("?")
                .to_string(),
            location: raw.quoted_header(header::LOCATION.as_str()),
        }
    }

    /// The token endpoint's refusal. Of its body only a well-formed OAuth `error` code is
    /// kept: `error_description` is free text, and an answer of this endpoint may hold a
    /// token (API-FACTS §1: `{error, description, error_description}`).
    fn auth_error(&self, raw: &RawResponse) -> Error {
        let code = serde_json::from_slice::<serde_json::Value>(&raw.body)
            .ok()
            .and_then(|answer| {
                answer
                    .get("error")
                    .and_then(serde_json::Value::as_str)
                    .and_then(AuthError::oauth_code)
            });
        let config = &self.inner.config;
        AuthError {
            status: raw.status,
            error: code,
            content_type: raw.content_type(),
            correlation_id: raw.correlation_id(),
            client_id: config.credentials.client_id().to_string(),
            login_host: config.hosts.login.host_str().unwrap_or("?").to_string(),
            region: config
                .hosts
                .region
                .map(|region| region.domain().to_string()),
        }
        .into()
    }
}

/// Counts a request in flight for as long as it lives.
struct InFlight<'a>(&'a Counters);

impl<'a> InFlight<'a> {
    fn enter(counters: &'a Counters) -> Self {
        let now = counters.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        counters.peak_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight(counters)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Reads the whole response, refusing bodies over [`MAX_BODY_BYTES`].
async fn read_response(
    sent: Result<reqwest::Response, reqwest::Error>,
) -> Result<RawResponse, TransportFailure> {
    let mut response = sent.map_err(TransportFailure::Reqwest)?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    if response
        .content_length()
        .is_some_and(|length| length > MAX_BODY_BYTES as u64)
    {
        return Err(TransportFailure::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(TransportFailure::Reqwest)? {
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(TransportFailure::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(RawResponse {
        status,
        headers,
        body: Bytes::from(body),
        bearer: None,
    })
}

enum TransportFailure {
    Reqwest(reqwest::Error),
    TooLarge,
}

fn classify_transport(failure: &TransportFailure) -> TransportKind {
    match failure {
        TransportFailure::Reqwest(error) if error.is_timeout() => TransportKind::Timeout,
        TransportFailure::Reqwest(error) if error.is_connect() => TransportKind::Connect,
        _ => TransportKind::Interrupted,
    }
}

/// What the transport said: a short label and the chain of underlying causes. reqwest's
/// own top-level message is left out because it repeats the URL.
fn redacted_transport_detail(failure: &TransportFailure) -> String {
    let error = match failure {
        TransportFailure::TooLarge => {
            return format!(
                "the response is larger than {} MiB",
                MAX_BODY_BYTES / (1024 * 1024)
            );
        }
        TransportFailure::Reqwest(error) => error,
    };
    let mut detail = String::from(if error.is_timeout() {
        "timeout"
    } else if error.is_connect() {
        "connect error"
    } else if error.is_body() || error.is_decode() {
        "error reading the response body"
    } else {
        "error sending the request"
    });
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        detail.push_str(": ");
        detail.push_str(&cause.to_string());
        source = cause.source();
    }
    detail
}

fn transport_error(endpoint: Endpoint, kind: TransportKind, detail: &str) -> Error {
    Error::Transport {
        endpoint,
        kind,
        detail: detail.to_string(),
    }
}

fn stopped(stop: Stop, endpoint: Endpoint, error: Error, budget: &RetryBudget) -> Error {
    match stop {
        Stop::NotRetryable => error,
        Stop::Exhausted => Error::RetriesExhausted {
            endpoint,
            attempts: budget.attempts(),
            elapsed: budget.elapsed(),
            last: Box::new(error),
        },
        Stop::OutcomeUnknown => Error::CreateOutcomeUnknown {
            endpoint,
            cause: Box::new(error),
        },
        Stop::RetryAfterTooLong(retry_after) => Error::RetryAfterTooLong {
            endpoint,
            retry_after,
            limit: budget.max_retry_after(),
        },
    }
}

fn decode<T: DeserializeOwned>(endpoint: Endpoint, raw: &RawResponse) -> Result<T, Error> {
    let failure = |detail: String| {
        Error::Decode(Box::new(DecodeError {
            endpoint,
            status: raw.status,
            content_type: raw.content_type(),
            // serde quotes the values it rejects.
            detail: raw.redacted(detail),
            snippet: snippet(&raw.quotable_body()),
            correlation_id: raw.correlation_id(),
        }))
    };
    if raw.body.iter().all(u8::is_ascii_whitespace) {
        return Err(failure("the body is empty".into()));
    }
    serde_json::from_slice(&raw.body).map_err(|error| failure(error.to_string()))
}

/// The token endpoint's answer. Its body holds the access token, so a failure names the
/// field at fault and quotes nothing.
fn decode_token(raw: &RawResponse) -> Result<TokenResponse, Error> {
    TokenResponse::from_answer(&raw.body).map_err(|problem| {
        Error::Decode(Box::new(DecodeError {
            endpoint: TOKEN_ENDPOINT,
            status: raw.status,
            content_type: raw.content_type(),
            detail: problem.to_string(),
            snippet: String::new(),
            correlation_id: raw.correlation_id(),
        }))
    })
}

/// The first 160 characters of a body, printable only.
fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(160)
        .collect();
    if text.chars().count() > 160 {
        out.push('…');
    }
    if out.trim().is_empty() {
        "(empty)".into()
    } else {
        out
    }
}

fn first_line(error: &Error) -> String {
    error
        .to_string()
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}
