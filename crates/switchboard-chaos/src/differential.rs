//! The differential checker of the safety invariant: "a fault in what switchboard reads can
//! only make a plan less destructive, never more".
//!
//! Each seed picks one read fault ([`SeededFault`]), starts a simulator of a rich org
//! ([`Scenario`]), plans the manifest from the true state, then plans it again from a read
//! the fault alters, and judges the second plan against the first ([`judge`]): every
//! delete, replace and element removal it makes must be in the true plan, and nothing it
//! writes may differ from what the true plan writes at the same place. A faulted read may
//! also be refused (an error from fetch or from the diff), which is safe. A read that does
//! not finish within [`READ_BOUND`], or panics, is a violation. [`Matrix`] gathers the
//! outcomes per fault class.

mod fault;
mod judge;
mod matrix;
mod org;

use std::collections::BTreeMap;
use std::fmt;
use std::panic::AssertUnwindSafe;
use std::time::Duration;

use futures::FutureExt;
use serde_json::Value;
use switchboard_client::{Client, ClientConfig, Credentials, Hosts, RateBudget, RetryPolicy};
use switchboard_manifest::{Live, Manifest};
use switchboard_plan::{Plan, Policy};
use switchboard_sim::{
    DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, FaultRule, Faults, JournalConfig, JournalEntry, RateLimit,
    RunningSim, Sim,
};

pub use fault::{Listing, ReadFault, SeededFault};
pub use judge::{destructive_items, judge};
pub use matrix::{Finding, Matrix, Row};
pub use org::Scenario;

/// How long one read and plan may take before it counts as a hang.
pub const READ_BOUND: Duration = Duration::from_secs(30);

/// What a faulted read led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Fetch or the diff refused the read: the first line of the error.
    Refused(String),
    /// A plan no more destructive than the true one, with how many destructive items it
    /// holds.
    Plan {
        /// Deletes, replaces and element removals among its runnable changes.
        destructive: usize,
    },
    /// A plan more destructive than the true one: each item the true state does not justify.
    Violation(Vec<String>),
    /// No plan and no error within [`READ_BOUND`], or a panic: also a violation.
    Hang(String),
}

impl Verdict {
    /// Whether the invariant is broken.
    pub fn is_violation(&self) -> bool {
        matches!(self, Verdict::Violation(_) | Verdict::Hang(_))
    }
}

/// One seed's result.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The fault tried.
    pub fault: SeededFault,
    /// Whether the fault altered any answer: one that never fired proves nothing.
    pub fired: bool,
    /// Destructive items of the true plan.
    pub true_destructive: usize,
    /// What the faulted read led to.
    pub verdict: Verdict,
}

/// A failure of the checker itself (the simulator, the fixture or the true read), never of
/// the invariant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HarnessError(String);

impl fmt::Display for HarnessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the differential checker could not run: {}", self.0)
    }
}

impl std::error::Error for HarnessError {}

fn harness(what: &str) -> impl FnOnce(String) -> HarnessError + '_ {
    move |error| HarnessError(format!("{what}: {error}"))
}

/// Runs seed `seed`: the true plan, the faulted plan, and the verdict.
pub async fn run(seed: u64) -> Result<Outcome, HarnessError> {
    run_fault(SeededFault::of_seed(seed), READ_BOUND).await
}

/// Runs one fault, with `bound` on each read and plan.
pub async fn run_fault(fault: SeededFault, bound: Duration) -> Result<Outcome, HarnessError> {
    let manifest = org::manifest(fault.scenario).map_err(harness("the manifest does not load"))?;
    let sim = start().await?;
    let outcome = judge_fault(&sim, fault, manifest, bound).await;
    sim.shutdown().await;
    outcome
}

/// The plan of `scenario`'s manifest from the org's true state: what every faulted plan is
/// judged against.
pub async fn true_plan(scenario: Scenario) -> Result<Plan, HarnessError> {
    let manifest = org::manifest(scenario).map_err(harness("the manifest does not load"))?;
    let sim = start().await?;
    let plan = read_truth(&sim, manifest, READ_BOUND).await;
    sim.shutdown().await;
    Ok(plan?.1)
}

/// Finishes setting the org up (what the fixture cannot say), then reads it and plans
/// `manifest` without faults.
async fn read_truth(
    sim: &RunningSim,
    manifest: Manifest,
    bound: Duration,
) -> Result<(Live, Plan), HarnessError> {
    place_skills(&client(sim)?)
        .await
        .map_err(harness("the skills cannot be placed"))?;
    // The journal then holds the true read alone, to tell which faulted answers differ.
    sim.clear_journal();
    match read_and_plan(client(sim)?, manifest, bound).await {
        Ok(read) => Ok(read),
        Err(Failure::Refused(error) | Failure::Hang(error)) => {
            Err(HarnessError(format!("the true read fails: {error}")))
        }
    }
}

/// A simulator of the org, without the API's rate limit, journaling answers (to tell
/// whether a fault fired).
async fn start() -> Result<RunningSim, HarnessError> {
    let fixture = org::fixture()
        .map_err(|e| e.to_string())
        .map_err(harness("the fixture does not read"))?;
    Sim::builder()
        .fixture(fixture)
        .rate_limit(RateLimit {
            per_window: 0,
            window: Duration::from_secs(60),
        })
        .journal(JournalConfig {
            file: None,
            response_bodies: true,
        })
        .start()
        .await
        .map_err(|e| e.to_string())
        .map_err(harness("the simulator does not start"))
}

/// Plans from the true state, then from a read `fault` alters, and judges the second.
async fn judge_fault(
    sim: &RunningSim,
    fault: SeededFault,
    manifest: Manifest,
    bound: Duration,
) -> Result<Outcome, HarnessError> {
    let (live, truth) = read_truth(sim, manifest.clone(), bound).await?;
    let true_journal = sim.journal();
    sim.clear_journal();
    let queue_id = |name: &str| live.queues.get(name).map(|q| q.id.clone());
    let (Some(rules), Some(faults)) = (fault.rules(&queue_id), fault.faults(&queue_id)) else {
        return Err(HarnessError(format!(
            "no rule for {fault}: its queue is not in the org"
        )));
    };
    sim.set_faults(faults);
    let faulted = read_and_plan(client(sim)?, manifest, bound).await;
    sim.set_faults(Faults::none());
    let fired = fired(&rules, &true_journal, &sim.journal());
    let verdict = match faulted {
        Err(Failure::Refused(error)) => Verdict::Refused(error),
        Err(Failure::Hang(what)) => Verdict::Hang(what),
        Ok((_, plan)) => {
            let violations = judge(&truth, &plan);
            if violations.is_empty() {
                Verdict::Plan {
                    destructive: destructive_items(&plan),
                }
            } else {
                Verdict::Violation(violations)
            }
        }
    };
    Ok(Outcome {
        fault,
        fired,
        true_destructive: destructive_items(&truth),
        verdict,
    })
}

/// A client of `sim` with retries fast enough for tests and a budget it never waits on.
fn client(sim: &RunningSim) -> Result<Client, HarnessError> {
    let url = sim.base_url();
    let hosts = Hosts::from_urls(&url, &url)
        .map_err(|e| e.to_string())
        .map_err(harness("the simulator's address"))?;
    let mut config = ClientConfig::new(hosts, Credentials::new(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET));
    config.retry = RetryPolicy {
        min_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
        ..RetryPolicy::default()
    };
    if let Ok(requests) = 100_000.try_into() {
        config.rate_budget = RateBudget {
            requests,
            window: Duration::from_secs(1),
        };
    }
    Client::new(config)
        .map_err(|e| e.to_string())
        .map_err(harness("the client"))
}

/// Moves the skills the fixture cannot place into the scope's division.
async fn place_skills(client: &Client) -> Result<(), String> {
    let divisions = client.list_divisions().await.map_err(|e| e.to_string())?;
    let division = divisions
        .iter()
        .find(|d| d.name == org::IN_SCOPE)
        .and_then(|d| d.id.clone())
        .ok_or_else(|| format!("no division {:?}", org::IN_SCOPE))?;
    let skills = client.list_skills().await.map_err(|e| e.to_string())?;
    for name in org::SKILLS_IN_SCOPE {
        let id = skills
            .iter()
            .find(|s| s.name == name)
            .and_then(|s| s.id.clone())
            .ok_or_else(|| format!("no skill {name:?}"))?;
        client
            .set_skill_division(&id, &division)
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Why a read gave no plan.
enum Failure {
    /// Fetch or the diff returned an error (its first line).
    Refused(String),
    /// It did not finish within the bound, or panicked.
    Hang(String),
}

/// Reads the org and plans `manifest` against it, catching a panic and abandoning a read
/// that takes longer than `bound`.
async fn read_and_plan(
    client: Client,
    manifest: Manifest,
    bound: Duration,
) -> Result<(Live, Plan), Failure> {
    let first_line = |error: String| error.lines().next().unwrap_or_default().to_string();
    let read = async {
        let live = switchboard_fetch::fetch(&client, &manifest)
            .await
            .map_err(|e| first_line(format!("fetch: {e}")))?;
        let plan = switchboard_plan::diff(&manifest, &live, &Policy::default())
            .map_err(|e| first_line(format!("plan: {e}")))?;
        Ok::<_, String>((live, plan))
    };
    // Nothing of the read outlives a panic: the client and manifest are dropped with it.
    match tokio::time::timeout(bound, AssertUnwindSafe(read).catch_unwind()).await {
        Ok(Ok(Ok(read))) => Ok(read),
        Ok(Ok(Err(error))) => Err(Failure::Refused(error)),
        Ok(Err(panic)) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_string()))
                .unwrap_or_default();
            Err(Failure::Hang(format!("panic: {}", first_line(message))))
        }
        Err(_) => Err(Failure::Hang(format!(
            "hang: no plan and no error within {} s",
            bound.as_secs()
        ))),
    }
}

/// Whether `rules` altered any answer of the faulted read: a request one matches that the
/// true read did not make, or answered otherwise than the true read did.
fn fired(rules: &[FaultRule], truth: &[JournalEntry], faulted: &[JournalEntry]) -> bool {
    let key = |e: &JournalEntry| {
        format!(
            "{} {}?{} {}",
            e.method,
            e.path,
            e.query,
            e.request_body
                .as_ref()
                .map(Value::to_string)
                .unwrap_or_default()
        )
    };
    let mut answers: BTreeMap<String, Vec<(u16, Option<&Value>)>> = BTreeMap::new();
    for entry in truth {
        answers
            .entry(key(entry))
            .or_default()
            .push((entry.status, entry.response_body.as_ref()));
    }
    faulted
        .iter()
        .filter(|entry| rules.iter().any(|rule| fault::matches(rule, entry)))
        .any(|entry| {
            answers
                .get(&key(entry))
                .is_none_or(|seen| !seen.contains(&(entry.status, entry.response_body.as_ref())))
        })
}
