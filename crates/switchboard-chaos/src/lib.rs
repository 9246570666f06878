//! Chaos testing for apply: seeded fault schedules for the simulator ([`Schedule`]) and the
//! checker that judges a run by the org's state before and after it and by its audit trail
//! ([`check`]). The suites that use them live in `switchboard-cli`'s tests, which run the
//! real binary; this crate holds what they share, tested on its own. [`differential`] is
//! the differential checker of the safety invariant: plans from faulted reads judged against
//! the plan from the true state.

mod checker;
pub mod differential;
mod schedule;
mod view;

pub use checker::{Violation, check};
pub use schedule::{FaultKind, Schedule, kill_points};
pub use view::{AuditView, OBJECT_KINDS, OrgView, UserView};

#[cfg(test)]
mod tests;
