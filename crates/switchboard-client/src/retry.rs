//! The one retry policy: what is retried, how long to wait, and when to stop.
//!
//! Following API-FACTS §3: 429 and 502/503/504 are transient, as are connection failures;
//! 500 and other 4xx are not. A 429's `Retry-After` is obeyed with a floor of 1 s and
//! refused above 180 s, as the vendor's Go SDK does. Creates are never retried when the
//! outcome is unknown (API-FACTS §7: no idempotency header): a 429 or a failed connect
//! means the server did not act, anything else might have.
//!
//! The backoff delays (capped exponential with jitter) come from `backon`.

use std::time::{Duration, Instant};

use backon::{BackoffBuilder, ExponentialBuilder};

use crate::error::TransportKind;
use crate::request::RequestKind;

/// How transient failures are retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// Give up when the next wait would end later than this after the first attempt.
    pub max_elapsed: Duration,
    /// First backoff delay.
    pub min_delay: Duration,
    /// Backoff cap.
    pub max_delay: Duration,
    /// The longest `Retry-After` obeyed; longer ones fail at once.
    pub max_retry_after: Duration,
    /// Connection failures (refused, no such host, unreachable) are retried only this long
    /// after the first attempt: a server that refuses or a name that does not resolve rarely
    /// comes back within a retry's wait, and a wrong region or base URL should be said at once.
    pub max_connect_elapsed: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 8,
            max_elapsed: Duration::from_secs(600),
            min_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(180),
            max_connect_elapsed: Duration::from_secs(3),
        }
    }
}

/// The least a `Retry-After` is waited, as the vendor SDK does.
const MIN_RETRY_AFTER: Duration = Duration::from_secs(1);

/// What went wrong with one attempt, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The server answered with this status.
    Status {
        status: u16,
        retry_after: Option<Duration>,
    },
    /// No complete answer.
    Transport(TransportKind),
}

/// Why retrying stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// The failure is not transient.
    NotRetryable,
    /// Attempts or time ran out.
    Exhausted,
    /// A create may have happened; the caller must re-read.
    OutcomeUnknown,
    /// The server asked for a longer wait than the policy allows.
    RetryAfterTooLong(Duration),
}

/// The next step after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    RetryIn(Duration),
    Stop(Stop),
}

/// The retry state of one logical request.
#[derive(Debug)]
pub(crate) struct RetryBudget {
    policy: RetryPolicy,
    started: Instant,
    attempts: u32,
    backoff: backon::ExponentialBackoff,
}

impl RetryBudget {
    pub(crate) fn new(policy: &RetryPolicy) -> Self {
        let backoff = ExponentialBuilder::default()
            .with_min_delay(policy.min_delay)
            .with_max_delay(policy.max_delay)
            .with_factor(2.0)
            .with_jitter()
            .without_max_times()
            .build();
        RetryBudget {
            policy: policy.clone(),
            started: Instant::now(),
            attempts: 0,
            backoff,
        }
    }

    /// Attempts made so far.
    pub(crate) fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The longest `Retry-After` the policy obeys.
    pub(crate) fn max_retry_after(&self) -> Duration {
        self.policy.max_retry_after
    }

    /// Time since the first attempt.
    pub(crate) fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Records a failed attempt and decides what to do next.
    pub(crate) fn after_failure(&mut self, failure: Failure, kind: RequestKind) -> Decision {
        self.attempts = self.attempts.saturating_add(1);
        let delay = match classify(failure, kind) {
            Class::RetryAfter(wait) if wait > self.policy.max_retry_after => {
                return Decision::Stop(Stop::RetryAfterTooLong(wait));
            }
            Class::RetryAfter(wait) => wait.max(MIN_RETRY_AFTER),
            Class::Backoff => self.backoff.next().unwrap_or(self.policy.max_delay),
            Class::OutcomeUnknown => return Decision::Stop(Stop::OutcomeUnknown),
            Class::Fatal => return Decision::Stop(Stop::NotRetryable),
        };
        // `delay` may come from the server (`Retry-After`): saturate, never overflow.
        let limit = match failure {
            Failure::Transport(TransportKind::Connect) => self.policy.max_connect_elapsed,
            _ => self.policy.max_elapsed,
        };
        if self.attempts >= self.policy.max_attempts || self.elapsed().saturating_add(delay) > limit
        {
            return Decision::Stop(Stop::Exhausted);
        }
        Decision::RetryIn(delay)
    }
}

enum Class {
    RetryAfter(Duration),
    Backoff,
    OutcomeUnknown,
    Fatal,
}

fn classify(failure: Failure, kind: RequestKind) -> Class {
    let create = kind == RequestKind::Create;
    match failure {
        // A 429 is refused before any processing, so even a create is safe to repeat.
        Failure::Status {
            status: 429,
            retry_after: Some(wait),
        } => Class::RetryAfter(wait),
        Failure::Status {
            status: 429,
            retry_after: None,
        } => Class::Backoff,
        Failure::Status {
            status: 502..=504, ..
        } if create => Class::OutcomeUnknown,
        Failure::Status {
            status: 502..=504, ..
        } => Class::Backoff,
        Failure::Status { .. } => Class::Fatal,
        // Nothing was sent when the connection could not be made.
        Failure::Transport(TransportKind::Connect) => Class::Backoff,
        Failure::Transport(_) if create => Class::OutcomeUnknown,
        Failure::Transport(_) => Class::Backoff,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(status: u16) -> Failure {
        Failure::Status {
            status,
            retry_after: None,
        }
    }

    #[test]
    fn retries_only_transient_failures() {
        let policy = RetryPolicy::default();
        for (failure, retried) in [
            (status(429), true),
            (status(502), true),
            (status(503), true),
            (status(504), true),
            (status(500), false),
            (status(400), false),
            (status(404), false),
            (status(409), false),
            (Failure::Transport(TransportKind::Connect), true),
            (Failure::Transport(TransportKind::Timeout), true),
            (Failure::Transport(TransportKind::Interrupted), true),
        ] {
            let decision =
                RetryBudget::new(&policy).after_failure(failure, RequestKind::Idempotent);
            assert_eq!(
                matches!(decision, Decision::RetryIn(_)),
                retried,
                "{failure:?}: {decision:?}"
            );
        }
    }

    #[test]
    fn a_connection_that_cannot_be_made_fails_within_seconds() {
        let policy = RetryPolicy::default();
        let mut budget = RetryBudget::new(&policy);
        let mut waited = Duration::ZERO;
        let mut retries = 0;
        while let Decision::RetryIn(delay) = budget.after_failure(
            Failure::Transport(TransportKind::Connect),
            RequestKind::Idempotent,
        ) {
            waited += delay;
            retries += 1;
            assert!(retries < policy.max_attempts, "never gives up");
            // The budget counts time as it passes; the test passes it on paper.
            budget.started -= delay;
        }
        assert!(
            retries >= 1,
            "a refused connection is tried again once at least"
        );
        assert!(waited <= policy.max_connect_elapsed, "waited {waited:?}");
        // Other transient failures keep the long budget.
        let mut budget = RetryBudget::new(&policy);
        budget.started -= Duration::from_secs(10);
        assert!(matches!(
            budget.after_failure(status(503), RequestKind::Idempotent),
            Decision::RetryIn(_)
        ));
    }

    #[test]
    fn creates_are_not_repeated_when_they_may_have_happened() {
        let policy = RetryPolicy::default();
        let mut budget = RetryBudget::new(&policy);
        assert_eq!(
            budget.after_failure(status(503), RequestKind::Create),
            Decision::Stop(Stop::OutcomeUnknown)
        );
        let timeout = Failure::Transport(TransportKind::Timeout);
        assert_eq!(
            RetryBudget::new(&policy).after_failure(timeout, RequestKind::Create),
            Decision::Stop(Stop::OutcomeUnknown)
        );
        let refused = Failure::Transport(TransportKind::Connect);
        assert!(matches!(
            RetryBudget::new(&policy).after_failure(refused, RequestKind::Create),
            Decision::RetryIn(_)
        ));
        let limited = Failure::Status {
            status: 429,
            retry_after: Some(Duration::from_secs(2)),
        };
        assert_eq!(
            RetryBudget::new(&policy).after_failure(limited, RequestKind::Create),
            Decision::RetryIn(Duration::from_secs(2))
        );
    }

    #[test]
    fn retry_after_has_a_floor_and_a_ceiling() {
        let policy = RetryPolicy::default();
        let zero = Failure::Status {
            status: 429,
            retry_after: Some(Duration::ZERO),
        };
        assert_eq!(
            RetryBudget::new(&policy).after_failure(zero, RequestKind::Idempotent),
            Decision::RetryIn(MIN_RETRY_AFTER)
        );
        let long = Failure::Status {
            status: 429,
            retry_after: Some(Duration::from_secs(181)),
        };
        assert_eq!(
            RetryBudget::new(&policy).after_failure(long, RequestKind::Idempotent),
            Decision::Stop(Stop::RetryAfterTooLong(Duration::from_secs(181)))
        );
    }

    #[test]
    fn a_huge_retry_after_never_overflows_whatever_the_policy() {
        let huge = Failure::Status {
            status: 429,
            retry_after: Some(Duration::from_secs(u64::MAX)),
        };
        // The default policy refuses it.
        assert_eq!(
            RetryBudget::new(&RetryPolicy::default()).after_failure(huge, RequestKind::Idempotent),
            Decision::Stop(Stop::RetryAfterTooLong(Duration::from_secs(u64::MAX)))
        );
        // A policy that would obey any wait still stops at its time bound.
        let patient = RetryPolicy {
            max_retry_after: Duration::MAX,
            ..RetryPolicy::default()
        };
        for wait in [Duration::from_secs(u64::MAX), Duration::MAX] {
            let failure = Failure::Status {
                status: 429,
                retry_after: Some(wait),
            };
            assert_eq!(
                RetryBudget::new(&patient).after_failure(failure, RequestKind::Idempotent),
                Decision::Stop(Stop::Exhausted)
            );
        }
        // Unbounded time and a huge backoff cap: still no overflow.
        let unbounded = RetryPolicy {
            max_elapsed: Duration::MAX,
            max_delay: Duration::MAX,
            max_retry_after: Duration::MAX,
            ..RetryPolicy::default()
        };
        let failure = Failure::Status {
            status: 429,
            retry_after: Some(Duration::MAX),
        };
        assert!(matches!(
            RetryBudget::new(&unbounded).after_failure(failure, RequestKind::Idempotent),
            Decision::RetryIn(_)
        ));
    }

    #[test]
    fn attempts_are_bounded_and_backoff_is_capped() {
        let policy = RetryPolicy {
            max_attempts: 4,
            max_delay: Duration::from_secs(2),
            ..RetryPolicy::default()
        };
        let mut budget = RetryBudget::new(&policy);
        let mut delays = Vec::new();
        loop {
            match budget.after_failure(status(503), RequestKind::Idempotent) {
                Decision::RetryIn(delay) => delays.push(delay),
                Decision::Stop(stop) => {
                    assert_eq!(stop, Stop::Exhausted);
                    break;
                }
            }
        }
        assert_eq!(delays.len(), 3);
        // Jitter may add up to one more delay's worth on top of the cap.
        assert!(
            delays.iter().all(|d| *d <= Duration::from_secs(4)),
            "{delays:?}"
        );
    }

    #[test]
    fn total_time_is_bounded() {
        let policy = RetryPolicy {
            max_elapsed: Duration::from_secs(3),
            ..RetryPolicy::default()
        };
        let limited = Failure::Status {
            status: 429,
            retry_after: Some(Duration::from_secs(5)),
        };
        assert_eq!(
            RetryBudget::new(&policy).after_failure(limited, RequestKind::Idempotent),
            Decision::Stop(Stop::Exhausted)
        );
    }
}
