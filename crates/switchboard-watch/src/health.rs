//! What `GET /healthz` reports: that the process lives, and when the last drift check ran
//! and how it ended. The watch loop writes it; the receiver reads it.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use serde::Serialize;

/// A shared handle on the process's health; clones share it.
#[derive(Debug, Clone)]
pub struct Health {
    inner: Arc<Mutex<HealthReport>>,
}

/// The body of `GET /healthz`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HealthReport {
    /// Always `ok`: a process that can answer is alive.
    pub status: &'static str,
    /// When the process started (RFC 3339).
    pub started_at: DateTime<Utc>,
    /// When the last check finished (RFC 3339), or null before the first.
    pub last_check: Option<DateTime<Utc>>,
    /// How the last check ended, in the loop's words (for example `clean`, `drift`, `error`).
    pub last_check_outcome: Option<String>,
}

impl Health {
    /// A process that started now and has not checked yet.
    pub fn new() -> Health {
        Health::started_at(Utc::now())
    }

    /// A process that started at `started_at` and has not checked yet.
    pub fn started_at(started_at: DateTime<Utc>) -> Health {
        Health {
            inner: Arc::new(Mutex::new(HealthReport {
                status: "ok",
                started_at,
                last_check: None,
                last_check_outcome: None,
            })),
        }
    }

    /// Records a finished check.
    pub fn checked(&self, at: DateTime<Utc>, outcome: impl Into<String>) {
        let mut report = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        report.last_check = Some(at);
        report.last_check_outcome = Some(outcome.into());
    }

    /// The current report.
    pub fn report(&self) -> HealthReport {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Default for Health {
    fn default() -> Self {
        Health::new()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn clones_share_the_last_check() {
        let start: DateTime<Utc> = "2026-01-01T00:00:00Z".parse().unwrap();
        let health = Health::started_at(start);
        let json = serde_json::to_value(health.report()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"status": "ok", "started_at": "2026-01-01T00:00:00Z", "last_check": null, "last_check_outcome": null})
        );
        let checked: DateTime<Utc> = "2026-01-01T00:05:00Z".parse().unwrap();
        health.clone().checked(checked, "drift");
        let report = health.report();
        assert_eq!(report.last_check, Some(checked));
        assert_eq!(report.last_check_outcome.as_deref(), Some("drift"));
    }
}
