//! Stale plans: before anything is written, every object a plan changes is looked up in a
//! fresh read and its fingerprint compared with the one the plan recorded.

use std::fmt;

use switchboard_plan::{Change, Live, Plan, ResourceKind, fingerprint};

/// An object that changed (or vanished) since the plan was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    /// How a person reads it, e.g. `queue "Billing EN"`.
    pub object: String,
    /// `changed` or `no longer exists`.
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
    let by_id = |names: Vec<(&String, &String)>| {
        names
            .into_iter()
            .find(|(_, object_id)| object_id.as_str() == id)
            .map(|(name, _)| name.clone())
    };
    match change.address.kind {
        ResourceKind::Skill => by_id(live.skills.iter().map(|(n, s)| (n, &s.id)).collect()),
        ResourceKind::Language => by_id(live.languages.iter().map(|(n, l)| (n, &l.id)).collect()),
        ResourceKind::WrapupCode => {
            by_id(live.wrapup_codes.iter().map(|(n, c)| (n, &c.id)).collect())
        }
        ResourceKind::Queue | ResourceKind::QueueMembers | ResourceKind::QueueWrapupCodes => {
            by_id(live.queues.iter().map(|(n, q)| (n, &q.id)).collect())
        }
        ResourceKind::AgentSkills | ResourceKind::AgentLanguages => live
            .users
            .get(&change.address.name)
            .filter(|u| u.id == id)
            .map(|_| change.address.name.clone()),
    }
}

/// Every runnable change whose object differs in `live` from when `plan` was made.
pub fn stale(plan: &Plan, live: &Live) -> Vec<Stale> {
    plan.runnable()
        .filter_map(|change| {
            let recorded = change.fingerprint.as_ref()?;
            let object = change.address.kind.describe(&change.address.name);
            let Some(name) = live_name(change, live) else {
                return Some(Stale {
                    object,
                    what: "no longer exists",
                });
            };
            match fingerprint::of_live(live, &change.address, &name) {
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
