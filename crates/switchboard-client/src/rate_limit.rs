//! Keeping each token under its request budget, so that a steady run never sees a 429.
//!
//! Two mechanisms, both per token:
//! - a GCRA limiter (`governor`) that lets a short burst through after a quiet spell (a
//!   tenth of the budget, at most 20: what a targeted check of `watch` needs at once), and
//!   spaces the rest evenly so that burst and spacing together never exceed the budget: a
//!   fixed or sliding window on the server then never sees more than the budget, whatever
//!   its phase. In any window, at most `burst + (budget − burst)` requests pass. The spacing
//!   is 0.5 % wider than that so that network jitter at a window boundary cannot push one
//!   request over.
//! - the server's own account: `inin-ratelimit-count/allowed/reset` on every response
//!   (API-FACTS §3) and `Retry-After` on a 429 pause the token until the window resets.

use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use reqwest::header::HeaderMap;

use crate::config::RateBudget;

/// The largest burst let through after a quiet spell.
const MAX_BURST: u32 = 20;

/// Extra spacing, in thousandths, between requests beyond budget/window.
const SPACING_MARGIN_PER_MILLE: u128 = 5;

/// The budget of one token.
#[derive(Debug)]
pub(crate) struct TokenBudget {
    limiter: DefaultDirectRateLimiter,
    paused_until: Mutex<Option<Instant>>,
}

impl TokenBudget {
    pub(crate) fn new(budget: RateBudget) -> Self {
        let requests = budget.requests.get();
        let burst = (requests / 10).clamp(1, MAX_BURST);
        // After the burst, one request per period: `requests - burst` more fit the window.
        let spaced = u128::from(requests - burst + 1);
        let nanos = budget.window.as_nanos() * (1000 + SPACING_MARGIN_PER_MILLE) / (1000 * spaced);
        let period = Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX).max(1));
        let quota = Quota::with_period(period)
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MAX))
            .allow_burst(NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN));
        TokenBudget {
            limiter: RateLimiter::direct(quota),
            paused_until: Mutex::new(None),
        }
    }

    /// Waits until this token may send one more request.
    pub(crate) async fn acquire(&self) {
        loop {
            let pause = self.remaining_pause();
            if pause.is_zero() {
                break;
            }
            tracing::debug!(
                wait_ms = pause.as_millis() as u64,
                "waiting for the rate-limit window to reset"
            );
            tokio::time::sleep(pause).await;
        }
        self.limiter.until_ready().await;
    }

    /// Reads the server's rate-limit headers and pauses when the window is used up.
    pub(crate) fn observe(&self, headers: &HeaderMap) {
        let number = |name: &str| {
            headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.trim().parse::<u64>().ok())
        };
        if let (Some(count), Some(allowed), Some(reset)) = (
            number("inin-ratelimit-count"),
            number("inin-ratelimit-allowed"),
            number("inin-ratelimit-reset"),
        ) && count >= allowed
        {
            self.pause_for(Duration::from_secs(reset.max(1)));
        }
    }

    /// Holds every request on this token for `wait`.
    pub(crate) fn pause_for(&self, wait: Duration) {
        let until = Instant::now() + wait;
        if let Ok(mut paused) = self.paused_until.lock() {
            *paused = Some(paused.map_or(until, |current| current.max(until)));
        }
    }

    fn remaining_pause(&self) -> Duration {
        self.paused_until
            .lock()
            .ok()
            .and_then(|paused| *paused)
            .map(|until| until.saturating_duration_since(Instant::now()))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[tokio::test]
    async fn a_window_never_holds_more_than_the_budget_burst_included() {
        let budget = TokenBudget::new(RateBudget {
            requests: NonZeroU32::new(20).unwrap(),
            window: Duration::from_secs(1),
        });
        let started = Instant::now();
        // 20/s: a burst of 2, then 19 more at least 1/19 s apart, so the 21st request
        // cannot fall inside the first second.
        for _ in 0..21 {
            budget.acquire().await;
        }
        assert!(
            started.elapsed() >= Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
    }

    #[tokio::test]
    async fn an_exhausted_server_window_pauses_the_token() {
        let budget = TokenBudget::new(RateBudget::default());
        let mut headers = HeaderMap::new();
        headers.insert("inin-ratelimit-count", HeaderValue::from_static("300"));
        headers.insert("inin-ratelimit-allowed", HeaderValue::from_static("300"));
        headers.insert("inin-ratelimit-reset", HeaderValue::from_static("1"));
        budget.observe(&headers);
        let pause = budget.remaining_pause();
        assert!(
            pause > Duration::from_millis(900) && pause <= Duration::from_secs(1),
            "{pause:?}"
        );

        let fresh = TokenBudget::new(RateBudget::default());
        headers.insert("inin-ratelimit-count", HeaderValue::from_static("12"));
        fresh.observe(&headers);
        assert!(fresh.remaining_pause().is_zero());
    }
}
