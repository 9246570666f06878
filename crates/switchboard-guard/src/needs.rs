//! What must be read before the guards can run: the users behind the members of the queues
//! they check (their state and skills), and those members' maximum capacity. The snapshot
//! a plan is made from holds only the users the manifest names; members added by hand or
//! through groups are read on demand, and only for the queues a plan touches.

use std::collections::BTreeSet;

use switchboard_manifest::{Live, Manifest};
use switchboard_plan::Plan;

use crate::forecast::Forecast;
use crate::projection::Projection;
use crate::{capacity, coverage};

/// User ids to read before [`crate::evaluate`]; empty when nothing is to be checked.
///
/// Read `users` into `live.member_users` (with state and skills), and the maximum capacity
/// of `capacity` (the active ones; the org default too) into `live.capacity`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Needs {
    /// Members (before or after the plan) of the checked queues whose user was not read:
    /// neither in `live.users` nor in `live.member_users`. For a queue whose coverage is
    /// checked, every member not in `live.member_users` yet: their skills are needed, and the
    /// snapshot holds named users' skills only when the manifest manages agents.
    pub users: BTreeSet<String>,
    /// Every member, before or after the plan, of the forecast queues the plan changes:
    /// whose maximum capacity the capacity guard needs (`live.capacity`).
    pub capacity: BTreeSet<String>,
    /// Skill groups (ids) the plan adds to or removes from a checked queue, whose members
    /// are needed (`live.skill_group_members`). Read these first, then ask again: their
    /// members are users to read too.
    pub skill_groups: BTreeSet<String>,
}

impl Needs {
    /// Whether nothing needs reading.
    pub fn is_empty(&self) -> bool {
        self.users.is_empty() && self.capacity.is_empty() && self.skill_groups.is_empty()
    }
}

/// What must be read before [`crate::evaluate`] can judge `plan`: the queues checked are
/// those [`crate::evaluate`] checks (with `forecast`, the forecast queues the plan changes;
/// always, the queues with `coverage` whose members or members' skills it changes).
pub fn needs(plan: &Plan, manifest: &Manifest, live: &Live, forecast: Option<&Forecast>) -> Needs {
    let projection = Projection::new(plan, live);
    let mut needs = Needs::default();
    for queue in &manifest.queues {
        let membership = projection.membership(queue);
        let by_capacity =
            forecast.is_some_and(|f| capacity::checks(&projection, queue, &membership, f));
        let by_coverage = coverage::checks(&projection, queue, &membership);
        if !(by_capacity || by_coverage) {
            continue;
        }
        needs
            .skill_groups
            .extend(membership.to_read.iter().cloned());
        for id in membership.everyone() {
            // Coverage needs every member's skills: the snapshot holds named users' skills
            // only when it manages agents, so the members are read whatever the snapshot
            // holds (⌈members/100⌉ requests).
            if !projection.knows(id) || (by_coverage && !projection.read_as_member(id)) {
                needs.users.insert(id.clone());
            }
            if by_capacity {
                needs.capacity.insert(id.clone());
            }
        }
    }
    needs
}
