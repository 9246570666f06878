//! A seeded, reproducible mix of faults for one chaos run: every seed always gets 5xx at
//! 10–20 %, and each other kind with an even chance. The same seed gives the same schedule;
//! which request meets which fault also depends on how the client interleaves its requests.

use std::collections::BTreeSet;
use std::fmt;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde_json::json;
use switchboard_sim::{FaultAction, FaultRule, Faults, Latency, OutOfBandEdit};

use crate::view::OrgView;

/// One kind of fault, as the fault matrix lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FaultKind {
    /// 502, 503 and 504 on 10–20 % of API requests.
    ServerErrors,
    /// A burst of 429s with `Retry-After` 1–5 s.
    RateLimitBurst,
    /// Connections closed without an answer.
    ConnectionReset,
    /// Answers slower than the client's timeout (the server still does the work).
    SlowResponse,
    /// Every token revoked at moments during the run.
    TokenExpiry,
    /// New objects missing from reads for a while.
    EventualConsistency,
    /// Edits "made in the admin UI" while apply runs.
    OutOfBandEdits,
}

impl FaultKind {
    /// Every kind, in matrix order.
    pub const ALL: [FaultKind; 7] = [
        FaultKind::ServerErrors,
        FaultKind::RateLimitBurst,
        FaultKind::ConnectionReset,
        FaultKind::SlowResponse,
        FaultKind::TokenExpiry,
        FaultKind::EventualConsistency,
        FaultKind::OutOfBandEdits,
    ];
}

impl fmt::Display for FaultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FaultKind::ServerErrors => "502/503/504 at 10–20 %",
            FaultKind::RateLimitBurst => "429 bursts, Retry-After 1–5 s",
            FaultKind::ConnectionReset => "connection resets",
            FaultKind::SlowResponse => "responses slower than the client timeout",
            FaultKind::TokenExpiry => "token expiry mid-run",
            FaultKind::EventualConsistency => "eventual-consistency lag",
            FaultKind::OutOfBandEdits => "concurrent out-of-band edits",
        })
    }
}

/// One run's faults.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// The seed it came from.
    pub seed: u64,
    /// The kinds in it.
    pub kinds: BTreeSet<FaultKind>,
    /// What the simulator injects.
    pub faults: Faults,
    /// When, after apply starts, every issued token is revoked.
    pub token_expiries: Vec<Duration>,
}

impl Schedule {
    /// The schedule of `seed` for a run whose client gives up on an answer after
    /// `client_timeout`, against the org `org` (out-of-band edits pick from its queues,
    /// members and agents).
    pub fn for_seed(seed: u64, client_timeout: Duration, org: &OrgView) -> Schedule {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut kinds = BTreeSet::from([FaultKind::ServerErrors]);
        for kind in FaultKind::ALL.into_iter().skip(1) {
            if rng.random_bool(0.5) {
                kinds.insert(kind);
            }
        }
        let mut faults = Faults::none().seed(seed).latency(Latency {
            fixed_ms: rng.random_range(1..=5),
            jitter_ms: rng.random_range(0..=10),
            include_auth: false,
        });
        if kinds.contains(&FaultKind::RateLimitBurst) {
            let prefix = *["/api/v2/routing/queues", "/api/v2/users", "/api/v2/routing"]
                .choose(&mut rng)
                .unwrap_or(&"/api/v2/routing");
            faults = faults.rule(
                FaultRule::new(FaultAction::Status {
                    status: 429,
                    retry_after: Some(rng.random_range(1..=5)),
                })
                .path_prefix(prefix)
                .skip(rng.random_range(0..=40))
                .times(rng.random_range(2..=4)),
            );
        }
        if kinds.contains(&FaultKind::ConnectionReset) {
            faults = faults.rule(
                FaultRule::new(FaultAction::Drop)
                    .probability(rng.random_range(0.02..=0.06))
                    .times(rng.random_range(3..=8)),
            );
        }
        if kinds.contains(&FaultKind::SlowResponse) {
            let ms = u64::try_from(client_timeout.as_millis())
                .unwrap_or(u64::MAX)
                .saturating_add(rng.random_range(200..=800));
            faults = faults.rule(
                FaultRule::new(FaultAction::Delay { ms })
                    .probability(rng.random_range(0.02..=0.05))
                    .times(rng.random_range(2..=4)),
            );
        }
        let share: f64 = rng.random_range(0.10..=0.20);
        for status in [502, 503, 504] {
            faults = faults.rule(
                FaultRule::new(FaultAction::Status {
                    status,
                    retry_after: None,
                })
                .probability(share / 3.0),
            );
        }
        if kinds.contains(&FaultKind::EventualConsistency) {
            faults =
                faults.eventual_consistency(Duration::from_millis(rng.random_range(200..=1500)));
        }
        if kinds.contains(&FaultKind::OutOfBandEdits) {
            for _ in 0..rng.random_range(1..=3) {
                if let Some(edit) = out_of_band_edit(&mut rng, org) {
                    faults = faults.out_of_band(rng.random_range(5..=80), edit);
                }
            }
        }
        let token_expiries = if kinds.contains(&FaultKind::TokenExpiry) {
            let mut at: Vec<Duration> = (0..rng.random_range(1..=3))
                .map(|_| Duration::from_millis(rng.random_range(50..=2000)))
                .collect();
            at.sort();
            at
        } else {
            Vec::new()
        };
        Schedule {
            seed,
            kinds,
            faults,
            token_expiries,
        }
    }
}

/// One edit a person might make while apply runs: a queue's description, a member added
/// or removed, an agent's skill set or removed.
fn out_of_band_edit(rng: &mut StdRng, org: &OrgView) -> Option<OutOfBandEdit> {
    let queues: Vec<&String> = org
        .objects
        .iter()
        .filter(|((kind, _), _)| kind == "queues")
        .map(|(_, name)| name)
        .collect();
    let skills: Vec<&String> = org
        .objects
        .iter()
        .filter(|((kind, _), _)| kind == "skills")
        .map(|(_, name)| name)
        .collect();
    let emails: Vec<&String> = org.users.values().map(|u| &u.email).collect();
    let queue = (*queues.choose(rng)?).clone();
    let user = (*emails.choose(rng)?).clone();
    Some(match rng.random_range(0..5) {
        0 => OutOfBandEdit::SetQueueField {
            queue,
            pointer: "/description".into(),
            value: json!("edited in the admin UI"),
        },
        1 => OutOfBandEdit::AddMember {
            queue,
            user,
            ring: 1,
        },
        2 => {
            let (queue_id, members) = org.members.iter().filter(|(_, m)| !m.is_empty()).nth(
                rng.random_range(
                    0..org
                        .members
                        .values()
                        .filter(|m| !m.is_empty())
                        .count()
                        .max(1),
                ),
            )?;
            let member = members.iter().next()?;
            OutOfBandEdit::RemoveMember {
                queue: org
                    .objects
                    .get(&("queues".to_string(), queue_id.clone()))?
                    .clone(),
                user: org.users.get(member)?.email.clone(),
            }
        }
        3 => OutOfBandEdit::SetUserSkill {
            user,
            skill: (*skills.choose(rng)?).clone(),
            proficiency: 1.0,
        },
        _ => {
            let holder = org.users.values().filter(|u| !u.skills.is_empty()).nth(
                rng.random_range(
                    0..org
                        .users
                        .values()
                        .filter(|u| !u.skills.is_empty())
                        .count()
                        .max(1),
                ),
            )?;
            let skill = holder.skills.iter().next()?;
            OutOfBandEdit::RemoveUserSkill {
                user: holder.email.clone(),
                skill: org
                    .objects
                    .get(&("skills".to_string(), skill.clone()))?
                    .clone(),
            }
        }
    })
}

/// `runs` moments to kill a run at, as counts of API requests it has made, spread at random
/// (from `seed`) over `1..=requests` (what an uninterrupted run makes), sorted.
pub fn kill_points(seed: u64, runs: usize, requests: u64) -> Vec<u64> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut points: Vec<u64> = (0..runs)
        .map(|_| rng.random_range(1..=requests.max(1)))
        .collect();
    points.sort_unstable();
    points
}
