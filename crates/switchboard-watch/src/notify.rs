//! `--notify URL`: drift reports POSTed as JSON to a URL of the user's (a chat webhook, an
//! incident tool, a relay), signed like the receiver's input when a secret is set, and
//! retried with capped exponential backoff and jitter on connection errors, 5xx and 429
//! (whose `Retry-After` seconds are obeyed); other answers are final.
//!
//! The URL is never logged whole: webhook URLs often carry their credential in the path or
//! query, so logs and `Debug` show the scheme and host only.

use std::fmt;
use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};
use reqwest::StatusCode;
use secrecy::SecretString;
use serde_json::Value;
use url::Url;

use crate::signature::{self, EmptySecret};

/// How failed deliveries are retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotifyRetry {
    /// Attempts in all, the first included (default 5).
    pub max_attempts: u32,
    /// The first backoff delay, doubled after each failure (default 0.5 s).
    pub base_delay: Duration,
    /// The backoff cap (default 30 s).
    pub max_delay: Duration,
    /// The longest `Retry-After` obeyed; a longer one ends the delivery (default 180 s).
    pub max_retry_after: Duration,
    /// One attempt's time limit (default 10 s).
    pub timeout: Duration,
}

impl Default for NotifyRetry {
    fn default() -> Self {
        NotifyRetry {
            max_attempts: 5,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(180),
            timeout: Duration::from_secs(10),
        }
    }
}

/// Why a notification was not delivered.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    /// The URL is not an absolute http or https URL.
    #[error("--notify {0}\nhint: give an absolute http:// or https:// URL")]
    InvalidUrl(String),
    /// The signing secret is empty.
    #[error(transparent)]
    EmptySecret(#[from] EmptySecret),
    /// The HTTP client could not be built.
    #[error("cannot set up the HTTP client for notifications: {0}")]
    Client(String),
    /// The payload could not be serialized.
    #[error("cannot serialize the notification: {0}")]
    Payload(#[from] serde_json::Error),
    /// The receiver answered with a status that retrying cannot change.
    #[error(
        "{target} refused the notification with {status}\nhint: check the URL and, if it verifies signatures, the shared secret"
    )]
    Refused {
        /// Scheme and host of the URL.
        target: String,
        /// The status.
        status: u16,
    },
    /// The receiver asked to wait longer than the notifier will.
    #[error("{target} asked to retry after {}s, longer than the {}s allowed", retry_after.as_secs(), limit.as_secs())]
    RetryAfterTooLong {
        /// Scheme and host of the URL.
        target: String,
        /// What it asked for.
        retry_after: Duration,
        /// The most the notifier waits.
        limit: Duration,
    },
    /// Every attempt failed transiently.
    #[error("{target}: gave up after {attempts} attempts; last error: {last}")]
    GaveUp {
        /// Scheme and host of the URL.
        target: String,
        /// Attempts made.
        attempts: u32,
        /// The last failure.
        last: String,
    },
}

/// Posts drift reports to one URL.
#[derive(Clone)]
pub struct Notifier {
    http: reqwest::Client,
    url: Url,
    target: String,
    secret: Option<SecretString>,
    retry: NotifyRetry,
}

impl fmt::Debug for Notifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Notifier")
            .field("target", &self.target)
            .field("signed", &self.secret.is_some())
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// What one attempt came to.
enum Attempt {
    Delivered,
    Final(NotifyError),
    Transient {
        reason: String,
        retry_after: Option<Duration>,
    },
}

impl Notifier {
    /// A notifier posting to `url` (http or https), signing when `secret` is given.
    pub fn new(url: &str, secret: Option<SecretString>) -> Result<Notifier, NotifyError> {
        let parsed = Url::parse(url).map_err(|_| NotifyError::InvalidUrl(redact(url)))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(NotifyError::InvalidUrl(redact(url)));
        }
        let secret = secret.map(signature::require_secret).transpose()?;
        let http = reqwest::Client::builder()
            // A redirect would carry the signed report somewhere the user did not name.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("switchboard/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| NotifyError::Client(error.to_string()))?;
        Ok(Notifier {
            http,
            target: origin(&parsed),
            url: parsed,
            secret,
            retry: NotifyRetry::default(),
        })
    }

    /// The same notifier with another retry policy (tests shorten the delays).
    pub fn with_retry(mut self, retry: NotifyRetry) -> Notifier {
        self.retry = retry;
        self
    }

    /// Scheme and host of the URL, for messages.
    pub fn target(&self) -> &str {
        &self.target
    }

    /// Posts `payload`, retrying transient failures.
    pub async fn send(&self, payload: &Value) -> Result<(), NotifyError> {
        let body = serde_json::to_vec(payload)?;
        let mut delays = ExponentialBuilder::default()
            .with_min_delay(self.retry.base_delay)
            .with_max_delay(self.retry.max_delay)
            .with_factor(2.0)
            .with_jitter()
            .without_max_times()
            .build();
        let attempts = self.retry.max_attempts.max(1);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let (reason, retry_after) = match self.attempt(&body).await {
                Attempt::Delivered => {
                    tracing::info!(target_url = %self.target, attempt, "drift notification delivered");
                    return Ok(());
                }
                Attempt::Final(error) => return Err(error),
                Attempt::Transient {
                    reason,
                    retry_after,
                } => (reason, retry_after),
            };
            if attempt == attempts {
                return Err(NotifyError::GaveUp {
                    target: self.target.clone(),
                    attempts,
                    last: reason,
                });
            }
            let backoff = delays.next().unwrap_or(self.retry.max_delay);
            let wait = match retry_after {
                Some(asked) if asked > self.retry.max_retry_after => {
                    return Err(NotifyError::RetryAfterTooLong {
                        target: self.target.clone(),
                        retry_after: asked,
                        limit: self.retry.max_retry_after,
                    });
                }
                Some(asked) => asked,
                None => backoff,
            };
            tracing::info!(
                target_url = %self.target, attempt, %reason, wait_ms = wait.as_millis() as u64,
                "drift notification failed; retrying"
            );
            tokio::time::sleep(wait).await;
        }
    }

    async fn attempt(&self, body: &[u8]) -> Attempt {
        let mut request = self
            .http
            .post(self.url.clone())
            .timeout(self.retry.timeout)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_vec());
        if let Some(secret) = &self.secret {
            // Signed at each attempt, so a late retry is not refused as a replay.
            let now = chrono::Utc::now().timestamp();
            request = request.headers(signature::signed_headers(secret, now, body));
        }
        let response = match request.send().await {
            Ok(response) => response,
            Err(error) => {
                return Attempt::Transient {
                    reason: transport_reason(&error),
                    retry_after: None,
                };
            }
        };
        let status = response.status();
        if status.is_success() {
            return Attempt::Delivered;
        }
        if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
            let retry_after = response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            return Attempt::Transient {
                reason: format!("status {}", status.as_u16()),
                retry_after,
            };
        }
        Attempt::Final(NotifyError::Refused {
            target: self.target.clone(),
            status: status.as_u16(),
        })
    }
}

/// The transport's reason, without the URL reqwest puts in its messages.
fn transport_reason(error: &reqwest::Error) -> String {
    let kind = if error.is_connect() {
        "could not connect"
    } else if error.is_timeout() {
        "timed out"
    } else {
        "the connection failed"
    };
    kind.to_string()
}

/// A URL as far as it may be shown: its scheme and host.
fn origin(url: &Url) -> String {
    format!("{}://{}", url.scheme(), url.host_str().unwrap_or_default())
}

/// What may be shown of a URL given by the user, valid or not.
fn redact(url: &str) -> String {
    Url::parse(url).map_or_else(|_| "(not a URL)".to_string(), |parsed| origin(&parsed))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn only_http_urls() {
        for bad in [
            "ftp://example.com/x",
            "example.com/hook",
            "",
            "file:///etc/passwd",
            "https://",
        ] {
            assert!(
                matches!(Notifier::new(bad, None), Err(NotifyError::InvalidUrl(_))),
                "{bad}"
            );
        }
        assert!(Notifier::new("http://127.0.0.1:9/hook", None).is_ok());
        assert!(Notifier::new("https://hooks.example.com/T0/B0/secret-path", None).is_ok());
    }

    #[test]
    fn the_url_path_and_secret_stay_out_of_debug_and_errors() {
        let notifier = Notifier::new(
            "https://hooks.example.com/services/T000/B000/XXXXSECRETXXXX?token=abc",
            Some(SecretString::from("hunter2-signing")),
        )
        .unwrap();
        let shown = format!("{notifier:?}");
        assert!(!shown.contains("XXXXSECRETXXXX") && !shown.contains("token=abc"));
        assert!(!shown.contains("hunter2-signing"));
        assert_eq!(notifier.target(), "https://hooks.example.com");
        let error = Notifier::new("ftp://user:pw@example.com/secret", None)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            !error.contains("pw") && !error.contains("secret"),
            "{error}"
        );
    }

    #[test]
    fn empty_secrets_are_refused() {
        assert!(matches!(
            Notifier::new("https://example.com", Some(SecretString::from(""))),
            Err(NotifyError::EmptySecret(_))
        ));
    }
}
