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
use crate::numbers::{millis, whole_number};

/// The largest burst let through after a quiet spell.
const MAX_BURST: u32 = 20;

/// Extra spacing, in thousandths, between requests beyond budget/window.
const SPACING_MARGIN_PER_MILLE: u128 = 5;

/// The longest pause `inin-ratelimit-reset` can cause. The window is a minute (API-FACTS §3;
/// the vendor's example answers `inin-ratelimit-reset: 61`); a longer reset is not believed.
/// If the server's window really is longer, it answers 429 with `Retry-After`, which the
/// retry policy weighs.
const MAX_RESET_PAUSE: Duration = Duration::from_secs(61);

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
                wait_ms = millis(pause),
                "waiting for the rate-limit window to reset"
            );
            tokio::time::sleep(pause).await;
        }
        self.limiter.until_ready().await;
    }

    /// Reads the server's rate-limit headers and pauses when the window is used up.
    /// Values that are not whole non-negative numbers are ignored; an `allowed` of 0 is no
    /// budget anyone could keep, and is ignored too; the pause lasts 1 s to
    /// [`MAX_RESET_PAUSE`].
    pub(crate) fn observe(&self, headers: &HeaderMap) {
        if let Some(wait) = server_pause(headers) {
            self.pause_for(wait);
        }
    }

    /// Holds every request on this token for `wait` (an `Instant` past what the clock can
    /// hold is not a reason to panic: the pause is then as long as it can be).
    pub(crate) fn pause_for(&self, wait: Duration) {
        let now = Instant::now();
        let until = now
            .checked_add(wait)
            .or_else(|| now.checked_add(MAX_RESET_PAUSE))
            .unwrap_or(now);
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

/// A header's whole non-negative number ([`whole_number`] of its trimmed value).
pub(crate) fn header_number(headers: &HeaderMap, name: &str) -> Option<u64> {
    whole_number(headers.get(name)?.to_str().ok()?.trim())
}

/// The pause the `inin-ratelimit-*` headers ask for, if the window is used up.
fn server_pause(headers: &HeaderMap) -> Option<Duration> {
    let (count, allowed, reset) = (
        header_number(headers, "inin-ratelimit-count")?,
        header_number(headers, "inin-ratelimit-allowed")?,
        header_number(headers, "inin-ratelimit-reset")?,
    );
    (allowed > 0 && count >= allowed)
        .then(|| Duration::from_secs(reset.max(1)).min(MAX_RESET_PAUSE))
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

    fn headers(count: &str, allowed: &str, reset: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in [
            ("inin-ratelimit-count", count),
            ("inin-ratelimit-allowed", allowed),
            ("inin-ratelimit-reset", reset),
        ] {
            headers.insert(name, HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    #[test]
    fn any_server_numbers_give_a_bounded_pause_or_none() {
        let max = "18446744073709551615";
        let beyond = "99999999999999999999999999";
        let secs = |s: u64| Some(Duration::from_secs(s));
        for ((count, allowed, reset), expected) in [
            (("300", "300", "61"), secs(61)),
            (("300", "300", "0"), secs(1)),
            (("12", "300", "61"), None),
            ((max, "300", max), secs(61)),
            ((beyond, "1", beyond), secs(61)),
            (("300", "300", "3600"), secs(61)),
            ((max, max, max), secs(61)),
            (("1", "0", "5"), None),
            (("-1", "300", "5"), None),
            (("300", "-300", "5"), None),
            (("300", "300", "-5"), None),
            (("300", "300", "1.5"), None),
            (("300", "300", "1e400"), None),
            (("300", "300", "soon"), None),
            (("300", "300", ""), None),
            (("3e2", "300", "5"), None),
        ] {
            assert_eq!(
                server_pause(&headers(count, allowed, reset)),
                expected,
                "{count} {allowed} {reset}"
            );
        }
    }

    #[test]
    fn a_pause_of_any_length_never_panics() {
        let budget = TokenBudget::new(RateBudget::default());
        budget.pause_for(Duration::MAX);
        budget.pause_for(Duration::from_secs(u64::MAX));
        assert!(budget.remaining_pause() > Duration::from_secs(60));
        budget.observe(&headers("1", "1", "18446744073709551615"));
    }
}
