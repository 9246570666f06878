//! The HTTP receiver of `switchboard watch --listen ADDR`: change events forwarded by a relay
//! (for example an EventBridge rule whose target is an API destination, or a function behind
//! one, that signs what it forwards), and the liveness probe.
//!
//! - `POST /events`: a body of at most [`MAX_BODY_BYTES`], signed as [`crate::signature`]
//!   says. Holding a notification `{topicName, eventBody}`, an EventBridge event carrying
//!   one, or a JSON array of either. Answers 413 for a larger body (before reading it when
//!   `Content-Length` says so), 401 for a missing, malformed, wrong or stale signature, 409
//!   for a request already accepted (the same signature again: a replay, or a relay's
//!   duplicate delivery), 400 for a body that is not such JSON, 202 otherwise. Only a 202
//!   sends anything on: each change in the body goes to the watch loop's channel;
//!   heartbeats and other topics are accepted and dropped, so that a relay forwarding more
//!   than watch needs is not told to retry.
//! - `GET /healthz`: 200 with [`crate::HealthReport`] as JSON.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use futures::StreamExt;
use secrecy::SecretString;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::event::{ChangeEvent, parse_notification};
use crate::health::Health;
use crate::signature::{self, EmptySecret, MAX_REMEMBERED, Rejection, SeenRequests};

/// The largest body accepted: 256 KiB, the largest event EventBridge carries ("The maximum
/// size for a PutEvents event entry is 256 KB":
/// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html, and
/// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// How the receiver listens and what it accepts.
#[derive(Debug)]
pub struct ReceiverConfig {
    /// Where to listen (`127.0.0.1:0` picks a free port; see [`Receiver::local_addr`]).
    pub addr: SocketAddr,
    /// The secret shared with the relay.
    pub secret: SecretString,
    /// The largest body accepted (default [`MAX_BODY_BYTES`]).
    pub max_body_bytes: usize,
    /// How long a client may take to send its body (default 10 s), so that slow senders
    /// cannot hold connections open.
    pub body_timeout: Duration,
}

impl ReceiverConfig {
    /// The defaults, listening on `addr` and verifying with `secret`.
    pub fn new(addr: SocketAddr, secret: SecretString) -> ReceiverConfig {
        ReceiverConfig {
            addr,
            secret,
            max_body_bytes: MAX_BODY_BYTES,
            body_timeout: Duration::from_secs(10),
        }
    }
}

/// Why the receiver could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ReceiverError {
    /// The shared secret is empty.
    #[error(transparent)]
    EmptySecret(#[from] EmptySecret),
    /// The address could not be bound.
    #[error(
        "cannot listen on {addr}: {source}\nhint: is another process using the port, or is the address not this machine's?"
    )]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The system's reason.
        source: std::io::Error,
    },
    /// Serving failed.
    #[error("the webhook receiver stopped: {0}")]
    Serve(std::io::Error),
}

struct Shared {
    secret: SecretString,
    /// The signatures already accepted; locked only to check and insert, never across an
    /// await.
    seen: Mutex<SeenRequests>,
    events: mpsc::Sender<ChangeEvent>,
    health: Health,
    max_body_bytes: usize,
    body_timeout: Duration,
}

/// A bound receiver, not yet serving.
pub struct Receiver {
    listener: TcpListener,
    addr: SocketAddr,
    app: Router,
}

impl std::fmt::Debug for Receiver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Receiver")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl Receiver {
    /// Binds the address. Changes go to `events`; `/healthz` reads `health`.
    pub async fn bind(
        config: ReceiverConfig,
        events: mpsc::Sender<ChangeEvent>,
        health: Health,
    ) -> Result<Receiver, ReceiverError> {
        let secret = signature::require_secret(config.secret)?;
        let listener =
            TcpListener::bind(config.addr)
                .await
                .map_err(|source| ReceiverError::Bind {
                    addr: config.addr,
                    source,
                })?;
        let addr = listener
            .local_addr()
            .map_err(|source| ReceiverError::Bind {
                addr: config.addr,
                source,
            })?;
        let shared = Arc::new(Shared {
            secret,
            seen: Mutex::new(SeenRequests::new(MAX_REMEMBERED)),
            events,
            health,
            max_body_bytes: config.max_body_bytes,
            body_timeout: config.body_timeout,
        });
        let app = Router::new()
            .route("/events", post(receive))
            .route("/healthz", get(healthz))
            .with_state(shared);
        Ok(Receiver {
            listener,
            addr,
            app,
        })
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves until `shutdown` is cancelled, then lets requests in flight finish.
    pub async fn serve(self, shutdown: CancellationToken) -> Result<(), ReceiverError> {
        tracing::info!(addr = %self.addr, "webhook receiver listening");
        axum::serve(
            self.listener,
            self.app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown.cancelled_owned())
        .await
        .map_err(ReceiverError::Serve)?;
        tracing::info!(addr = %self.addr, "webhook receiver stopped");
        Ok(())
    }
}

async fn healthz(State(shared): State<Arc<Shared>>) -> Response {
    axum::Json(shared.health.report()).into_response()
}

fn refuse(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(json!({"error": message}))).into_response()
}

fn unauthorized(remote: SocketAddr, rejection: &Rejection) -> Response {
    // The reason goes to the log only: the sender learns nothing about which part failed.
    tracing::warn!(%remote, reason = %rejection, "webhook refused: bad signature");
    refuse(StatusCode::UNAUTHORIZED, "invalid or missing signature")
}

fn too_large(remote: SocketAddr, limit: usize) -> Response {
    tracing::warn!(%remote, limit, "webhook refused: body too large");
    refuse(StatusCode::PAYLOAD_TOO_LARGE, "body too large")
}

async fn receive(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(remote): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > shared.max_body_bytes as u64) {
        return too_large(remote, shared.max_body_bytes);
    }
    let now = chrono::Utc::now().timestamp();
    // A stale or absent timestamp is known before the body is read.
    if let Err(rejection) = signature::check_timestamp(&headers, now) {
        return unauthorized(remote, &rejection);
    }
    let bytes = match tokio::time::timeout(
        shared.body_timeout,
        read_limited(body, shared.max_body_bytes),
    )
    .await
    {
        Err(_) => return refuse(StatusCode::REQUEST_TIMEOUT, "body not received in time"),
        Ok(Err(ReadError::TooLarge)) => return too_large(remote, shared.max_body_bytes),
        Ok(Err(ReadError::Broken)) => return refuse(StatusCode::BAD_REQUEST, "body unreadable"),
        Ok(Ok(bytes)) => bytes,
    };
    let verified = match signature::verify(&shared.secret, &headers, &bytes, now) {
        Ok(verified) => verified,
        Err(rejection) => return unauthorized(remote, &rejection),
    };
    // Only a verified signature is remembered, so forgeries cannot fill the memory.
    let first_time = shared
        .seen
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .first_time(&verified, now);
    if let Err(rejection) = first_time {
        tracing::warn!(%remote, reason = %rejection, "webhook refused: replayed");
        return refuse(StatusCode::CONFLICT, "request already received");
    }
    let Some(changes) = changes_in(&bytes) else {
        tracing::warn!(%remote, "webhook refused: body is not a notification");
        return refuse(
            StatusCode::BAD_REQUEST,
            "body is not a notification, an EventBridge event or an array of them",
        );
    };
    let accepted = changes.len();
    for change in changes {
        tracing::debug!(topic = %change.topic, "change received by webhook");
        if shared.events.send(change).await.is_err() {
            return refuse(StatusCode::SERVICE_UNAVAILABLE, "shutting down");
        }
    }
    (
        StatusCode::ACCEPTED,
        axum::Json(json!({"accepted": accepted})),
    )
        .into_response()
}

enum ReadError {
    TooLarge,
    Broken,
}

async fn read_limited(body: Body, limit: usize) -> Result<Vec<u8>, ReadError> {
    let mut stream = body.into_data_stream();
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| ReadError::Broken)?;
        if bytes.len() + chunk.len() > limit {
            return Err(ReadError::TooLarge);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// The changes in a body, or `None` when it is not a JSON object or array of objects.
fn changes_in(bytes: &[u8]) -> Option<Vec<ChangeEvent>> {
    let value: Value = serde_json::from_slice(bytes).ok()?;
    let messages = match &value {
        Value::Object(_) => std::slice::from_ref(&value),
        Value::Array(items) if items.iter().all(Value::is_object) => items.as_slice(),
        _ => return None,
    };
    Some(messages.iter().filter_map(parse_notification).collect())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn bodies() {
        let change = r#"{"topicName":"v2.routing.queues.q1.users","eventBody":{}}"#;
        assert_eq!(changes_in(change.as_bytes()).unwrap().len(), 1);
        let two = format!("[{change},{change},{{\"topicName\":\"channel.metadata\"}}]");
        assert_eq!(changes_in(two.as_bytes()).unwrap().len(), 2);
        assert_eq!(changes_in(b"{}").unwrap().len(), 0);
        assert!(changes_in(b"not json").is_none());
        assert!(changes_in(b"[1]").is_none());
        assert!(changes_in(b"\"x\"").is_none());
    }
}
