//! Verification after the writes: a new plan of what was written must be empty. Genesys
//! Cloud is eventually consistent (a new object may be missing from listings for a while,
//! and a deleted queue lingers: API-FACTS §5), so a plan that is not empty yet is made again,
//! with backoff, until it is or the settling window has passed.
//!
//! How the org is read again is the caller's (a whole read after `apply`, a targeted one
//! after `watch --remediate`); this module owns the waiting and the wording.

use std::collections::BTreeSet;
use std::future::Future;
use std::time::Duration;

use switchboard_plan::{Address, Plan};

/// The longest pause between two re-plans.
const MAX_PAUSE: Duration = Duration::from_secs(10);

/// Calls `left_over` until it returns nothing, pausing 1 s, then twice as long each time (at
/// most [`MAX_PAUSE`]), and gives up with what is left once another pause would end after
/// `window`.
pub async fn settle<F, Fut>(window: Duration, mut left_over: F) -> Vec<String>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Vec<String>>,
{
    let started = tokio::time::Instant::now();
    let mut pause = Duration::from_secs(1);
    loop {
        let left = left_over().await;
        if left.is_empty() || started.elapsed() + pause > window {
            return left;
        }
        tracing::info!(
            left = left.len(),
            "the org does not show every write yet; reading again"
        );
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(MAX_PAUSE);
    }
}

/// What `plan` still changes (refused changes aside), among `touched` when given: e.g.
/// `queue "Billing EN" will be updated in-place`.
pub fn left_over(plan: &Plan, touched: Option<&BTreeSet<Address>>) -> Vec<String> {
    plan.runnable()
        .filter(|c| touched.is_none_or(|touched| touched.contains(&c.address)))
        .map(|c| {
            format!(
                "{} {}",
                c.address.kind.describe(&c.address.name),
                c.action.verb()
            )
        })
        .collect()
}
