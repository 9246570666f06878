//! Executing a plan against the org: the stale-plan check, then the plan's waves in order,
//! each change with the widest real write the API offers, never creating a duplicate.
//! Deciding *what* to change is the plan's job; this crate only carries it out.

mod audit;
mod ids;
pub mod queue_body;
mod run;
mod stale;
pub mod verify;

pub use audit::AuditLog;
pub use run::{Report, Status, StepResult, run, run_observed};
pub use stale::{Stale, stale};
