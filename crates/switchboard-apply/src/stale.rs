//! Stale plans: before anything is written, every object a plan changes is looked up in a
//! fresh read and its fingerprint compared with the one the plan recorded.

use std::collections::BTreeMap;
use std::fmt;

use switchboard_plan::names::same_name;
use switchboard_plan::{Action, Change, Live, Plan, ResourceKind, fingerprint};

/// An object that changed (or vanished) since the plan was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    /// How a person reads it, e.g. `queue "Billing EN"`.
    pub object: String,
    /// `changed`, `no longer exists` or `now exists (the plan creates it)`.
    pub what: &'static str,
}

impl fmt::Display for Stale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} since the plan was made", self.object, self.what)
    }
}

/// The name `change`'s object has in `live`: found by id where the change has one (a
/// renamed object is still under its old name), else the address's name.
fn live_name(change: &Change, live: &Live) -> Option<String> {
    let Some(id) = change.id.as_deref() else {
        return Some(change.address.name.clone());
    };
    // Most objects are where their name (or former name) says; only a renamed queue's
    // collections need the search by id.
    fn by_id<T>(
        objects: &BTreeMap<String, T>,
        object_id: impl Fn(&T) -> &str,
        id: &str,
        change: &Change,
    ) -> Option<String> {
        let hinted = [change.renamed_from.as_ref(), Some(&change.address.name)];
        hinted
            .into_iter()
            .flatten()
            .find(|name| objects.get(*name).is_some_and(|o| object_id(o) == id))
            .cloned()
            .or_else(|| {
                objects
                    .iter()
                    .find(|(_, o)| object_id(o) == id)
                    .map(|(name, _)| name.clone())
            })
    }
    match change.address.kind {
        ResourceKind::Skill => by_id(&live.skills, |s| &s.id, id, change),
        ResourceKind::Language => by_id(&live.languages, |l| &l.id, id, change),
        ResourceKind::WrapupCode => by_id(&live.wrapup_codes, |c| &c.id, id, change),
        ResourceKind::SkillGroup => by_id(&live.skill_groups, |g| &g.id, id, change),
        ResourceKind::UtilizationLabel => by_id(&live.utilization_labels, |l| &l.id, id, change),
        ResourceKind::Queue | ResourceKind::QueueMembers | ResourceKind::QueueWrapupCodes => {
            by_id(&live.queues, |q| &q.id, id, change)
        }
        ResourceKind::OrgUtilization => live
            .org_utilization
            .as_ref()
            .map(|_| change.address.name.clone()),
        ResourceKind::RoutingSettings => live
            .routing_settings
            .as_ref()
            .map(|_| change.address.name.clone()),
        ResourceKind::AgentSkills | ResourceKind::AgentLanguages | ResourceKind::AgentCapacity => {
            live.users
                .get(&change.address.name)
                .filter(|u| u.id == id)
                .map(|_| change.address.name.clone())
        }
    }
}

/// Every runnable change whose precondition no longer holds in `live`: an object it
/// changes differs from when `plan` was made (its fingerprint: a replace's covers who holds
/// the old skill), or no longer exists; or an object it creates exists now (by the name
/// rule), so creating it would adopt something the plan never showed.
pub fn stale(plan: &Plan, live: &Live) -> Vec<Stale> {
    plan.runnable()
        .filter_map(|change| {
            let object = change.address.kind.describe(&change.address.name);
            if change.action == Action::Create {
                return exists(live, change.address.kind, &change.address.name).then_some(Stale {
                    object,
                    what: "now exists (the plan creates it)",
                });
            }
            let recorded = change.fingerprint.as_ref()?;
            let Some(name) = live_name(change, live) else {
                return Some(Stale {
                    object,
                    what: "no longer exists",
                });
            };
            let now = if change.action == Action::Replace {
                fingerprint::of_replaced(live, &name)
            } else {
                fingerprint::of_live(live, &change.address, &name)
            };
            match now {
                Some(now) if &now == recorded => None,
                Some(_) => Some(Stale {
                    object,
                    what: "changed",
                }),
                None => Some(Stale {
                    object,
                    what: "no longer exists",
                }),
            }
        })
        .collect()
}

/// Whether the org has an object of `kind` named `name` by the name rule. Collections are
/// created with their owner, whose own create is checked.
fn exists(live: &Live, kind: ResourceKind, name: &str) -> bool {
    kind.object_kind()
        .is_some_and(|kind| live.names(kind).into_iter().any(|n| same_name(n, name)))
}
