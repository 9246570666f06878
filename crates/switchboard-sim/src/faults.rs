//! Fault injection: latency, per-request fault rules, eventual consistency and scheduled
//! out-of-band edits, all deterministic from a seed.
//!
//! A rule's action either answers in the handler's stead (`status`, `raw`, `drop`,
//! `redirect`, `expireToken`), delays the request (`delay`), or lets the handler answer and
//! alters a successful JSON answer (`mutate`, with a [`Mutation`]: fields removed or set,
//! arrays cut short or thinned out, page 1 served for every page):
//!
//! ```yaml
//! rules:
//!   - pathPrefix: /api/v2/routing/queues/
//!     pathSuffix: /members
//!     action: { type: mutate, mutation: { kind: truncate, path: entities, keep: 1 } }
//!   - pathSuffix: /queues
//!     probability: 0.2
//!     action: { type: mutate, mutation: { kind: remove, path: entities/*/division } }
//! ```

use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

use crate::admin::OutOfBandEdit;
use crate::mutation::Mutation;

/// Everything the simulator can be told to get wrong, on purpose.
///
/// Rules are evaluated in order for every request; the first one that fires wins. Every
/// random choice comes from one RNG seeded with `seed`, so the same requests in the same
/// order meet the same faults.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Faults {
    /// The RNG seed for probabilities and jitter.
    pub seed: u64,
    /// Latency added to every API request.
    pub latency: Option<Latency>,
    /// Fault rules, first firing rule wins.
    pub rules: Vec<FaultRule>,
    /// How long a newly created queue, skill, wrap-up code or language stays invisible to
    /// lists and GET-by-id, in milliseconds.
    pub eventual_consistency_ms: u64,
    /// Edits "made in the admin UI" while a client is working.
    pub out_of_band: Vec<ScheduledEdit>,
}

impl Faults {
    /// No faults at all.
    pub fn none() -> Faults {
        Faults::default()
    }

    /// Adds a rule (chainable).
    pub fn rule(mut self, rule: FaultRule) -> Faults {
        self.rules.push(rule);
        self
    }

    /// Sets the RNG seed (chainable).
    pub fn seed(mut self, seed: u64) -> Faults {
        self.seed = seed;
        self
    }

    /// Sets the latency (chainable).
    pub fn latency(mut self, latency: Latency) -> Faults {
        self.latency = Some(latency);
        self
    }

    /// Sets the eventual-consistency delay (chainable).
    pub fn eventual_consistency(mut self, delay: Duration) -> Faults {
        self.eventual_consistency_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        self
    }

    /// Schedules an out-of-band edit after `after_requests` API requests (chainable).
    pub fn out_of_band(mut self, after_requests: u64, edit: OutOfBandEdit) -> Faults {
        self.out_of_band.push(ScheduledEdit {
            after_requests,
            edit,
        });
        self
    }
}

/// Latency added to requests: `fixed_ms` plus a uniform `0..=jitter_ms`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Latency {
    /// Always added.
    pub fixed_ms: u64,
    /// Up to this much more, drawn per request.
    pub jitter_ms: u64,
    /// Whether `/oauth/token` is slowed down too.
    pub include_auth: bool,
}

/// One fault rule: which requests it matches, how often it fires and what it does.
///
/// A rule without `path_prefix` matches API requests (`/api/...`) only; to hit
/// `/oauth/token` or the notification WebSocket, give a prefix that matches it. A
/// `path_suffix` narrows a rule further: prefix `/api/v2/routing/queues/` with suffix
/// `/members` hits every queue's members listing, suffix `/queues` the queue listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultRule {
    /// HTTP method to match (any when absent), case-insensitive.
    #[serde(default)]
    pub method: Option<String>,
    /// Path prefix to match (any API path when absent).
    #[serde(default)]
    pub path_prefix: Option<String>,
    /// Path suffix to match as well (any when absent).
    #[serde(default)]
    pub path_suffix: Option<String>,
    /// Chance that a matching request is hit, 0.0–1.0.
    #[serde(default = "always")]
    pub probability: f64,
    /// How many times the rule fires at most (unlimited when absent).
    #[serde(default)]
    pub times: Option<u32>,
    /// Matching requests let through before the rule starts firing.
    #[serde(default)]
    pub skip: u32,
    /// What happens when the rule fires.
    pub action: FaultAction,
}

fn always() -> f64 {
    1.0
}

impl FaultRule {
    /// A rule that fires on every API request.
    pub fn new(action: FaultAction) -> FaultRule {
        FaultRule {
            method: None,
            path_prefix: None,
            path_suffix: None,
            probability: 1.0,
            times: None,
            skip: 0,
            action,
        }
    }

    /// Only requests with this method.
    pub fn method(mut self, method: impl Into<String>) -> FaultRule {
        self.method = Some(method.into());
        self
    }

    /// A rule that fires on every API request and alters its successful JSON answer.
    pub fn mutate(mutation: Mutation) -> FaultRule {
        FaultRule::new(FaultAction::Mutate { mutation })
    }

    /// Only requests whose path starts with this.
    pub fn path_prefix(mut self, prefix: impl Into<String>) -> FaultRule {
        self.path_prefix = Some(prefix.into());
        self
    }

    /// Only requests whose path ends with this (as well as any prefix).
    pub fn path_suffix(mut self, suffix: impl Into<String>) -> FaultRule {
        self.path_suffix = Some(suffix.into());
        self
    }

    /// Whether a request's method and path are the rule's (a rule without a prefix matches
    /// API requests only).
    pub fn matches(&self, method: &str, path: &str) -> bool {
        let method_ok = self
            .method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method));
        let prefix_ok = match self.path_prefix.as_deref() {
            Some(prefix) => path.starts_with(prefix),
            None => path.starts_with("/api/"),
        };
        let suffix_ok = self
            .path_suffix
            .as_deref()
            .is_none_or(|suffix| path.ends_with(suffix));
        method_ok && prefix_ok && suffix_ok
    }

    /// Fires with this probability.
    pub fn probability(mut self, p: f64) -> FaultRule {
        self.probability = p;
        self
    }

    /// Fires at most this many times.
    pub fn times(mut self, n: u32) -> FaultRule {
        self.times = Some(n);
        self
    }

    /// Lets the first `n` matching requests through.
    pub fn skip(mut self, n: u32) -> FaultRule {
        self.skip = n;
        self
    }
}

/// What a firing fault rule does to the request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase", deny_unknown_fields)]
pub enum FaultAction {
    /// Answer with this status and the API's error body for it (429 gets the normalised
    /// body and `Retry-After`, default 1 s).
    Status {
        /// The HTTP status.
        status: u16,
        /// `Retry-After` seconds.
        #[serde(default, rename = "retryAfter")]
        retry_after: Option<u64>,
    },
    /// Answer with exactly this (an HTML proxy page, truncated JSON, an empty 200...).
    Raw {
        /// The HTTP status.
        status: u16,
        /// The `Content-Type`.
        #[serde(rename = "contentType")]
        content_type: String,
        /// The body.
        body: String,
    },
    /// Close the TCP connection without answering.
    Drop,
    /// Wait, then answer normally.
    Delay {
        /// Milliseconds to wait.
        ms: u64,
    },
    /// Answer `302 Found` with this `Location`.
    Redirect {
        /// Where to.
        location: String,
    },
    /// Answer 401 as for an expired token, and invalidate the caller's token.
    ExpireToken,
    /// Handle the request normally, then alter the answer if it is a 2xx with a JSON body
    /// (other answers pass unchanged); the journal records the altered body.
    Mutate {
        /// How the answer is altered.
        mutation: Mutation,
    },
}

/// An out-of-band edit fired once, when the API request counter passes `after_requests`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScheduledEdit {
    /// Fires before request number `after_requests + 1` is handled.
    pub after_requests: u64,
    /// The edit.
    pub edit: OutOfBandEdit,
}

/// What the engine decided for one request.
#[derive(Debug, Default)]
pub(crate) struct Decision {
    pub latency: Option<Duration>,
    pub action: Option<FaultAction>,
}

/// The runtime of a [`Faults`]: counters and the seeded RNG.
#[derive(Debug)]
pub(crate) struct FaultEngine {
    faults: Faults,
    rng: StdRng,
    matched: Vec<u64>,
    fired: Vec<u32>,
    edit_fired: Vec<bool>,
    api_requests: u64,
}

impl FaultEngine {
    pub(crate) fn new(faults: Faults) -> FaultEngine {
        let n = faults.rules.len();
        let e = faults.out_of_band.len();
        FaultEngine {
            rng: StdRng::seed_from_u64(faults.seed),
            faults,
            matched: vec![0; n],
            fired: vec![0; n],
            edit_fired: vec![false; e],
            api_requests: 0,
        }
    }

    pub(crate) fn eventual_consistency(&self) -> Duration {
        Duration::from_millis(self.faults.eventual_consistency_ms)
    }

    /// Counts one API request and returns the edits now due (each fires once).
    pub(crate) fn count_api_request(&mut self) -> Vec<OutOfBandEdit> {
        self.api_requests += 1;
        let count = self.api_requests;
        let mut due = Vec::new();
        for (i, scheduled) in self.faults.out_of_band.iter().enumerate() {
            if count > scheduled.after_requests && !self.edit_fired[i] {
                self.edit_fired[i] = true;
                due.push(scheduled.edit.clone());
            }
        }
        due
    }

    /// Decides latency and fault for one request.
    pub(crate) fn decide(&mut self, method: &str, path: &str, is_auth: bool) -> Decision {
        let mut decision = Decision::default();
        let is_api = path.starts_with("/api/");
        if let Some(l) = self.faults.latency
            && (is_api || (is_auth && l.include_auth))
        {
            let jitter = if l.jitter_ms > 0 {
                self.rng.random_range(0..=l.jitter_ms)
            } else {
                0
            };
            decision.latency = Some(Duration::from_millis(l.fixed_ms + jitter));
        }
        for i in 0..self.faults.rules.len() {
            let rule = &self.faults.rules[i];
            if !rule.matches(method, path) {
                continue;
            }
            self.matched[i] += 1;
            if self.matched[i] <= u64::from(rule.skip) {
                continue;
            }
            if rule.times.is_some_and(|t| self.fired[i] >= t) {
                continue;
            }
            let p = rule.probability;
            let hit = if p >= 1.0 {
                true
            } else if p <= 0.0 {
                false
            } else {
                self.rng.random::<f64>() < p
            };
            if hit {
                self.fired[i] += 1;
                decision.action = Some(rule.action.clone());
                break;
            }
        }
        decision
    }

    /// Applies a firing `mutate` fault to an answer's body; `omit` draws from the seeded RNG.
    pub(crate) fn mutate(&mut self, mutation: &Mutation, body: &mut serde_json::Value) {
        mutation.apply(body, &mut self.rng);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn skip_and_times_count_matching_requests() {
        let faults = Faults::none().rule(
            FaultRule::new(FaultAction::Drop)
                .path_prefix("/api/v2/routing/queues")
                .skip(1)
                .times(2),
        );
        let mut engine = FaultEngine::new(faults);
        let hits: Vec<bool> = (0..5)
            .map(|_| {
                engine
                    .decide("GET", "/api/v2/routing/queues", false)
                    .action
                    .is_some()
            })
            .collect();
        assert_eq!(hits, [false, true, true, false, false]);
        assert!(
            engine
                .decide("GET", "/api/v2/users", false)
                .action
                .is_none()
        );
    }

    #[test]
    fn probabilities_are_deterministic_per_seed() {
        let run = |seed| {
            let mut e = FaultEngine::new(
                Faults::none()
                    .seed(seed)
                    .rule(FaultRule::new(FaultAction::Drop).probability(0.5)),
            );
            (0..64)
                .map(|_| e.decide("GET", "/api/v2/x", false).action.is_some())
                .collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
    }

    #[test]
    fn rules_without_prefix_spare_the_token_endpoint() {
        let mut e = FaultEngine::new(Faults::none().rule(FaultRule::new(FaultAction::Drop)));
        assert!(e.decide("POST", "/oauth/token", true).action.is_none());
    }

    #[test]
    fn path_suffix_narrows_the_prefix() {
        let members = FaultRule::new(FaultAction::Drop)
            .path_prefix("/api/v2/routing/queues/")
            .path_suffix("/members");
        assert!(members.matches("GET", "/api/v2/routing/queues/q1/members"));
        assert!(!members.matches("GET", "/api/v2/routing/queues/q1"));
        assert!(!members.matches("GET", "/api/v2/routing/queues"));
        let listing = FaultRule::new(FaultAction::Drop).path_suffix("/queues");
        assert!(listing.matches("GET", "/api/v2/routing/queues"));
        assert!(!listing.matches("GET", "/api/v2/routing/queues/q1/members"));
        assert!(
            !listing.matches("GET", "/other/queues"),
            "no prefix still means API requests only"
        );
    }

    #[test]
    fn mutate_rules_read_from_yaml() {
        let rule: FaultRule = serde_yaml_ng::from_str(
            "pathPrefix: /api/v2/routing/queues/\npathSuffix: /members\naction: { type: mutate, mutation: { kind: remove, path: entities/*/user/email } }\n",
        )
        .unwrap();
        assert_eq!(
            rule,
            FaultRule::mutate(Mutation::remove("entities/*/user/email"))
                .path_prefix("/api/v2/routing/queues/")
                .path_suffix("/members")
        );
        let json = serde_json::to_value(FaultRule::mutate(Mutation::RepeatPage)).unwrap();
        assert_eq!(
            json["action"],
            serde_json::json!({"type": "mutate", "mutation": {"kind": "repeatPage"}})
        );
    }

    #[test]
    fn actions_read_from_yaml() {
        let rule: FaultRule = serde_yaml_ng::from_str(
            "pathPrefix: /api/v2/routing\nprobability: 0.1\naction: { type: status, status: 503, retryAfter: 2 }\n",
        )
        .unwrap();
        assert_eq!(
            rule.action,
            FaultAction::Status {
                status: 503,
                retry_after: Some(2)
            }
        );
    }
}
