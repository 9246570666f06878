//! The per-token request budget: fixed windows that open at a token's first request.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::config::RateLimit;

/// The `inin-ratelimit-*` numbers of one answered request, or the wait of a refused one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Budget {
    pub count: u32,
    pub allowed: u32,
    /// Whole seconds until the window resets, at least 1.
    pub reset_secs: u64,
    pub exceeded: bool,
}

#[derive(Debug)]
struct Window {
    opened: Instant,
    count: u32,
}

/// The windows of every token.
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    windows: HashMap<String, Window>,
}

fn ceil_secs(d: Duration) -> u64 {
    let secs = d.as_secs() + u64::from(d.subsec_nanos() > 0);
    secs.max(1)
}

impl RateLimiter {
    /// Counts one request of `token`; `None` when limiting is off.
    pub(crate) fn take(&mut self, token: &str, limit: RateLimit) -> Option<Budget> {
        if limit.per_window == 0 {
            return None;
        }
        let now = Instant::now();
        let window = self.windows.entry(token.to_string()).or_insert(Window {
            opened: now,
            count: 0,
        });
        if now.duration_since(window.opened) >= limit.window {
            *window = Window {
                opened: now,
                count: 0,
            };
        }
        window.count = window.count.saturating_add(1);
        let remaining = limit
            .window
            .saturating_sub(now.duration_since(window.opened));
        Some(Budget {
            count: window.count,
            allowed: limit.per_window,
            reset_secs: ceil_secs(remaining),
            exceeded: window.count > limit.per_window,
        })
    }

    pub(crate) fn forget(&mut self, token: &str) {
        self.windows.remove(token);
    }

    pub(crate) fn clear(&mut self) {
        self.windows.clear();
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_budget_runs_out_then_resets() {
        let limit = RateLimit {
            per_window: 2,
            window: Duration::from_millis(50),
        };
        let mut r = RateLimiter::default();
        assert!(!r.take("t", limit).unwrap().exceeded);
        assert!(!r.take("t", limit).unwrap().exceeded);
        let third = r.take("t", limit).unwrap();
        assert!(third.exceeded);
        assert_eq!(third.reset_secs, 1);
        assert!(!r.take("other", limit).unwrap().exceeded);
        std::thread::sleep(Duration::from_millis(60));
        assert!(!r.take("t", limit).unwrap().exceeded);
        assert!(
            r.take(
                "t",
                RateLimit {
                    per_window: 0,
                    window: Duration::ZERO
                }
            )
            .is_none()
        );
    }
}
