//! The checks that run after the pure diff, on data the diff does not need: the capacity
//! guard (`--forecast`: projected saturation per queue and media type) and skill coverage
//! (`coverage` on a queue: required skills keep enough holders). They fill in a plan's
//! `capacity` and `coverage`, refuse changes, and add warnings.
//!
//! The order of work at the edge: `diff` → [`needs`] (which users and capacities to read
//! beyond the snapshot) → the fetch reads them into `Live` → [`evaluate`].
//!
//! Architecture Invariant: [`needs`] and [`evaluate`] are pure; only
//! [`Forecast::load`] reads a file.

mod capacity;
mod coverage;
pub mod forecast;
mod groups;
mod needs;
mod projection;

use switchboard_manifest::{Live, Manifest};
use switchboard_plan::{CapacityReport, Plan, Refusal, Warning};

pub use forecast::{Forecast, ForecastError, ForecastFormat, ForecastRow};
pub use needs::{Needs, needs};

use projection::Projection;

/// What one guard decided: refusals (by change index) and warnings, applied together once
/// both guards have judged the plan as it came from the diff.
#[derive(Debug, Default)]
struct Outcome {
    refusals: Vec<(usize, Refusal)>,
    warnings: Vec<Warning>,
}

/// Runs both guards on `plan`: fills in `plan.capacity` (`Off` without a forecast) and
/// `plan.coverage`, refuses the changes they refuse, and adds their warnings.
///
/// Changes safety policy refused already do not happen and are not counted; a change keeps
/// the first refusal it gets (coverage before capacity). `force` turns capacity refusals
/// into warnings; it never lifts a coverage refusal (see the `coverage` module).
/// Pure: `live` must already hold what [`needs`] asked for. Run it once per plan: on a
/// second run its own refusals would count as safety policy's.
pub fn evaluate(
    plan: &mut Plan,
    manifest: &Manifest,
    live: &Live,
    forecast: Option<&Forecast>,
    force: bool,
) {
    let (findings, coverage, report, capacity) = {
        let projection = Projection::new(plan, live);
        let (findings, coverage) = coverage::evaluate(&projection, manifest);
        let (report, capacity) = match forecast {
            Some(forecast) => capacity::evaluate(&projection, manifest, live, forecast, force),
            None => (CapacityReport::Off, Outcome::default()),
        };
        (findings, coverage, report, capacity)
    };
    plan.coverage = findings;
    plan.capacity = report;
    for outcome in [coverage, capacity] {
        apply(plan, outcome);
    }
    plan.warnings.sort();
    plan.warnings.dedup();
}

fn apply(plan: &mut Plan, outcome: Outcome) {
    for (index, refusal) in outcome.refusals {
        if let Some(change) = plan.changes.get_mut(index)
            && change.refused.is_none()
        {
            change.refused = Some(refusal);
        }
    }
    plan.warnings.extend(outcome.warnings);
}
