//! Typed errors. Each says what failed, where, and what the user can do next.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;

use crate::models::ErrorBody;
use crate::request::Endpoint;

/// Everything that can go wrong talking to the API.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The API answered with a status other than 2xx.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// No usable response arrived: connection refused or reset, timeout, TLS failure.
    #[error("{endpoint}: {kind} ({detail})")]
    Transport {
        /// The operation.
        endpoint: Endpoint,
        /// What kind of failure.
        kind: TransportKind,
        /// The transport's own words, without any header values.
        detail: String,
    },
    /// A 2xx response whose body is not what the API describes (truncated, HTML, empty).
    #[error(transparent)]
    Decode(Box<DecodeError>),
    /// The OAuth token endpoint refused to issue a token.
    #[error(transparent)]
    Auth(Box<AuthError>),
    /// Transient failures persisted past the retry budget.
    #[error("{endpoint}: gave up after {attempts} attempts in {:.1}s; last error: {last}", elapsed.as_secs_f64())]
    RetriesExhausted {
        /// The operation.
        endpoint: Endpoint,
        /// Attempts made.
        attempts: u32,
        /// Time spent.
        elapsed: Duration,
        /// The last failure.
        last: Box<Error>,
    },
    /// The API asked to wait longer than switchboard will (180 s, as the vendor SDK).
    #[error(
        "{endpoint}: rate limited with Retry-After {}s, longer than the {}s switchboard waits\nhint: another process may be using the same OAuth client's budget; run later or use a token pool",
        retry_after.as_secs(), limit.as_secs()
    )]
    RetryAfterTooLong {
        /// The operation.
        endpoint: Endpoint,
        /// What the server asked for.
        retry_after: Duration,
        /// The most switchboard waits.
        limit: Duration,
    },
    /// A listing whose pages contradict each other or never end.
    #[error(transparent)]
    Listing(Box<ListingError>),
    /// A create failed in a way that leaves unknown whether the object was created.
    /// It is never retried blindly: re-read by name first.
    #[error(
        "{endpoint}: the create may or may not have happened: {cause}\nhint: re-read the object by name before creating it again"
    )]
    CreateOutcomeUnknown {
        /// The operation.
        endpoint: Endpoint,
        /// What went wrong.
        cause: Box<Error>,
    },
}

impl Error {
    /// The HTTP status, when the API answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode(decode) => Some(decode.status),
            Error::Auth(auth) => Some(auth.status),
            Error::RetriesExhausted { last, .. }
            | Error::CreateOutcomeUnknown { cause: last, .. } => last.status(),
            Error::Transport { .. } | Error::RetryAfterTooLong { .. } | Error::Listing(_) => None,
        }
    }

    /// The Genesys error `code` (such as `duplicate.name`), when the API sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Api(api) => api.code.as_deref(),
            Error::RetriesExhausted { last, .. }
            | Error::CreateOutcomeUnknown { cause: last, .. } => last.code(),
            _ => None,
        }
    }

    /// True for a 404.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// True when a create may have happened although it reported failure.
    pub fn is_outcome_unknown(&self) -> bool {
        matches!(self, Error::CreateOutcomeUnknown { .. })
    }

    /// True for a name collision: `400 duplicate.*` or `409 general.conflict` (API-FACTS §4).
    pub fn is_name_conflict(&self) -> bool {
        match (self.status(), self.code()) {
            (Some(400), Some(code)) => code.starts_with("duplicate."),
            (Some(409), Some("general.conflict")) => true,
            _ => false,
        }
    }
}

/// A listing read to its end whose answers do not agree: a page repeating an earlier one, a
/// `pageCount` or `total` its pages contradict, a listing that never ends. Nothing is
/// guessed from such a read.
#[derive(Debug, Clone, thiserror::Error)]
#[error(
    "{endpoint}: the listing cannot be trusted: {detail}\nhint: the org may have changed while it was read; nothing was planned from it: run the command again"
)]
pub struct ListingError {
    /// The operation.
    pub endpoint: Endpoint,
    /// What the answers contradict.
    pub detail: String,
}

impl ListingError {
    /// The error of a listing at `endpoint`.
    pub fn new(endpoint: Endpoint, detail: impl Into<String>) -> Self {
        ListingError {
            endpoint,
            detail: detail.into(),
        }
    }
}

impl From<ListingError> for Error {
    fn from(error: ListingError) -> Self {
        Error::Listing(Box::new(error))
    }
}

/// A response that is not the JSON the API describes.
#[derive(Debug, Clone, thiserror::Error)]
#[error(
    "{endpoint}: the response ({status}, {content_type}) is not the expected JSON: {detail}{}{}\nhint: a proxy or gateway between switchboard and Genesys Cloud may be answering instead of the API",
    body_line(snippet),
    correlation_suffix(correlation_id.as_deref())
)]
pub struct DecodeError {
    /// The operation.
    pub endpoint: Endpoint,
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type` the server sent, or `no content type`.
    pub content_type: String,
    /// The decoder's message.
    pub detail: String,
    /// The first characters of the body, control characters and the bearer token removed;
    /// empty when the body must not be shown (the token endpoint's answers hold the token).
    pub snippet: String,
    /// `ININ-Correlation-Id`, when present.
    pub correlation_id: Option<String>,
}

/// A transport-level failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportKind {
    /// Could not connect; the request was certainly not sent.
    Connect,
    /// No complete response within the request timeout.
    Timeout,
    /// The connection closed or broke before a complete response.
    Interrupted,
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportKind::Connect => "could not connect",
            TransportKind::Timeout => "timed out",
            TransportKind::Interrupted => "the connection was interrupted",
        })
    }
}

/// A non-2xx answer from the API, with what Genesys support needs to trace it.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The operation.
    pub endpoint: Endpoint,
    /// HTTP status.
    pub status: u16,
    /// Genesys error code, e.g. `duplicate.name`.
    pub code: Option<String>,
    /// The server's message, or the status's reason phrase.
    pub message: String,
    /// `ININ-Correlation-Id` (same as `contextId`).
    pub correlation_id: Option<String>,
    /// The parsed error body, when it was one.
    pub body: Option<ErrorBody>,
    /// The OAuth client id in use (never the secret).
    pub client_id: String,
    /// The API host, e.g. `api.mypurecloud.ie`.
    pub api_host: String,
    /// `Location` of a redirect, which the client never follows.
    pub location: Option<String>,
}

impl std::error::Error for ApiError {}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let reason = StatusCode::from_u16(self.status)
            .ok()
            .and_then(|status| status.canonical_reason())
            .unwrap_or("");
        write!(
            f,
            "{}: {} {}",
            self.endpoint,
            self.status,
            reason.to_lowercase()
        )?;
        if let Some(code) = &self.code {
            write!(f, " [{code}]")?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        f.write_str(&correlation_suffix(self.correlation_id.as_deref()))?;
        match self.status {
            401 => write!(
                f,
                "\nhint: the token for OAuth client {} was refused at {} even after re-authenticating; check that the client is active and belongs to an org in this region",
                self.client_id, self.api_host
            ),
            403 => {
                let needed = self.endpoint.permissions;
                let scopes = self.endpoint.scopes;
                if needed.is_empty() && !scopes.is_empty() {
                    write!(
                        f,
                        "\nhint: this operation needs no permission; OAuth client {} lacks one of these OAuth scopes: {}",
                        self.client_id,
                        scopes.join(", ")
                    )
                } else if needed.is_empty() {
                    write!(
                        f,
                        "\nhint: OAuth client {} lacks a permission or OAuth scope for this operation",
                        self.client_id
                    )
                } else {
                    write!(
                        f,
                        "\nhint: give a role of OAuth client {} one of these permissions: {}",
                        self.client_id,
                        needed.join(", ")
                    )
                }
            }
            300..=399 => write!(
                f,
                "\nhint: the API never redirects these requests; {} points at something else (redirect to {})",
                self.api_host,
                self.location.as_deref().unwrap_or("nowhere")
            ),
            _ => Ok(()),
        }
    }
}

/// The token endpoint refused: wrong credentials, a disabled client, wrong region.
///
/// Nothing of the answer's body is kept but a well-formed OAuth `error` code: the token
/// endpoint's answers may hold a token, and `error_description` is free text.
#[derive(Debug, Clone)]
pub struct AuthError {
    /// HTTP status from `/oauth/token`.
    pub status: u16,
    /// OAuth `error`, e.g. `invalid_client`; kept only when it is a short word of `[a-z_]`.
    pub error: Option<String>,
    /// The `Content-Type` the server sent, or `no content type`.
    pub content_type: String,
    /// `ININ-Correlation-Id`, when present.
    pub correlation_id: Option<String>,
    /// The OAuth client id in use.
    pub client_id: String,
    /// The login host asked.
    pub login_host: String,
    /// The region, when known.
    pub region: Option<String>,
}

impl AuthError {
    /// The longest OAuth `error` code kept.
    const MAX_CODE_LEN: usize = 40;

    /// `code` when it looks like an OAuth error code (RFC 6749 §5.2: `invalid_client`, ...);
    /// anything else could be free text, even a token, and is dropped.
    pub fn oauth_code(code: &str) -> Option<String> {
        (!code.is_empty()
            && code.len() <= Self::MAX_CODE_LEN
            && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
        .then(|| code.to_string())
    }

    /// What the user can do next, from the OAuth code, else the status.
    fn hint(&self) -> String {
        let region = self.region.as_deref().unwrap_or("the configured region");
        let host = &self.login_host;
        let credentials = format!(
            "check GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET, that the OAuth client uses the Client Credentials grant, and that the org lives in {region}"
        );
        match (self.error.as_deref(), self.status) {
            (Some("invalid_client"), _) => credentials,
            (Some("unauthorized_client" | "unsupported_grant_type" | "invalid_grant"), _) => {
                "the OAuth client may not use the Client Credentials grant: in Genesys Cloud (Admin > OAuth), give switchboard a client whose grant type is Client Credentials".into()
            }
            (Some("access_denied"), _) => format!(
                "the OAuth client was refused: check that it is active, that its roles are assigned, and that the org lives in {region}"
            ),
            (Some("invalid_scope"), _) => {
                "the OAuth client's scopes were refused: check its scopes in Genesys Cloud (Admin > OAuth)".into()
            }
            (Some("invalid_request"), _) => format!(
                "{host} refused the token request itself: check that GENESYS_REGION (or GENESYS_LOGIN_URL) names the region's login service, https://login.<region domain>"
            ),
            (Some("temporarily_unavailable" | "server_error"), _) | (_, 500..=599) => {
                format!("the login service at {host} is unavailable; try again in a few minutes")
            }
            (_, 429) => {
                "too many token requests for this OAuth client: wait a minute, and check that no other process keeps asking for tokens with it".into()
            }
            (_, 300..=399 | 404 | 405) => format!(
                "{host} does not serve the OAuth token endpoint: check GENESYS_REGION, or GENESYS_LOGIN_URL"
            ),
            _ => credentials,
        }
    }
}

impl std::error::Error for AuthError {}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not get an OAuth token for client {} from {}: {}",
            self.client_id, self.login_host, self.status
        )?;
        match &self.error {
            Some(error) => write!(f, " {error}")?,
            None if !self.content_type.contains("json") => write!(
                f,
                " (the answer is {}, not the login service's JSON)",
                self.content_type
            )?,
            None => {}
        }
        f.write_str(&correlation_suffix(self.correlation_id.as_deref()))?;
        write!(f, "\nhint: {}", self.hint())
    }
}

/// The line quoting the start of a body, when there is one to show.
fn body_line(snippet: &str) -> String {
    if snippet.is_empty() {
        String::new()
    } else {
        format!("\n  body starts: {snippet}")
    }
}

fn correlation_suffix(id: Option<&str>) -> String {
    id.map(|id| format!(" (correlation id {id})"))
        .unwrap_or_default()
}

impl From<ApiError> for Error {
    fn from(error: ApiError) -> Self {
        Error::Api(Box::new(error))
    }
}

impl From<AuthError> for Error {
    fn from(error: AuthError) -> Self {
        Error::Auth(Box::new(error))
    }
}
