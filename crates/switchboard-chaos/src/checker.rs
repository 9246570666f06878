//! The invariants a run of apply must keep whatever the faults: compare the org before and
//! after with the plan that was applied, and every change switchboard's own client made
//! (by the org's audit trail) with what the plan said.
//!
//! - No duplicates: no name is live twice in a kind unless it already was.
//! - Nothing deleted the plan did not delete (or a person deleted, by the audit trail).
//! - No member and no agent's skill or language removed unless the plan removed it, it went
//!   with a deleted object, or a person removed it.
//! - No object created twice, and no write to an object the plan does not change.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use switchboard_plan::{Action, Change, ElementOp, Plan, ResourceKind};

use crate::view::{AuditView, OrgView};

/// One broken invariant, said as a reviewer would.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Violation(pub String);

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Every invariant `plan`'s run broke, judged from the org `before` and `after` it (the
/// audit records after `before`'s are the run's).
pub fn check(before: &OrgView, after: &OrgView, plan: &Plan) -> Vec<Violation> {
    let planned = Planned::of(plan);
    let run_audit = after.audit.get(before.audit.len()..).unwrap_or_default();
    let by_people = ByPeople::of(run_audit);
    let mut found = Vec::new();
    duplicates(before, after, &mut found);
    deletions(before, after, &planned, &by_people, &mut found);
    members(before, after, &planned, &by_people, &mut found);
    assignments(before, after, &planned, &by_people, &mut found);
    own_writes(before, run_audit, &planned, &mut found);
    found.sort();
    found.dedup();
    found
}

/// What the plan allows, by the ids and names of the org it was made from.
struct Planned<'a> {
    /// Every runnable change.
    changes: Vec<&'a Change>,
    /// Ids the plan deletes (deletes, and the old side of replaces).
    deleted: BTreeSet<&'a str>,
}

impl<'a> Planned<'a> {
    fn of(plan: &'a Plan) -> Planned<'a> {
        let changes: Vec<&Change> = plan.runnable().collect();
        let deleted = changes
            .iter()
            .filter(|c| matches!(c.action, Action::Delete | Action::Replace))
            .filter_map(|c| c.id.as_deref())
            .collect();
        Planned { changes, deleted }
    }

    /// Whether a change of `kinds` is addressed to `name` or to the object `id`.
    fn touches(&self, kinds: &[ResourceKind], name: &str, id: &str) -> bool {
        self.changes.iter().any(|c| {
            kinds.contains(&c.address.kind)
                && (c.address.name.eq_ignore_ascii_case(name)
                    || c.renamed_from
                        .as_deref()
                        .is_some_and(|r| r.eq_ignore_ascii_case(name))
                    || c.id.as_deref() == Some(id))
        })
    }

    /// Whether the plan removes the element `key` (or of id `id`) from the collection
    /// change of `kind` addressed to `owner` (a queue's name or id, an agent's email).
    fn removes(&self, kind: ResourceKind, owner: &[&str], key: &str, id: &str) -> bool {
        self.changes.iter().any(|c| {
            c.address.kind == kind
                && owner.iter().any(|o| {
                    c.address.name.eq_ignore_ascii_case(o)
                        || c.renamed_from
                            .as_deref()
                            .is_some_and(|r| r.eq_ignore_ascii_case(o))
                        || c.id.as_deref() == Some(*o)
                })
                && c.elements.iter().any(|e| {
                    e.op == ElementOp::Remove
                        && (e.key.eq_ignore_ascii_case(key) || e.id.as_deref() == Some(id))
                })
        })
    }
}

/// What people changed during the run, by the audit trail: the objects they deleted, the
/// members they removed and the agents whose assignments they removed.
#[derive(Default)]
struct ByPeople {
    deleted: BTreeSet<String>,
    removed_members: BTreeSet<(String, String)>,
    unassigned: BTreeSet<String>,
}

impl ByPeople {
    fn of(run_audit: &[AuditView]) -> ByPeople {
        let mut people = ByPeople::default();
        for record in run_audit.iter().filter(|r| !r.by_client) {
            let id = record.entity_id.clone();
            match record.action.as_str() {
                "Delete" => {
                    people.deleted.insert(id);
                }
                "MemberRemove" => {
                    if let Some(user) = &record.user_id {
                        people.removed_members.insert((id, user.clone()));
                    }
                }
                "Unassign" => {
                    people.unassigned.insert(id);
                }
                _ => {}
            }
        }
        people
    }
}

fn duplicates(before: &OrgView, after: &OrgView, found: &mut Vec<Violation>) {
    let count = |view: &OrgView| {
        let mut names: BTreeMap<(String, String), usize> = BTreeMap::new();
        for ((kind, _), name) in &view.objects {
            *names
                .entry((kind.clone(), name.to_lowercase()))
                .or_default() += 1;
        }
        names
    };
    let already = count(before);
    for ((kind, name), n) in count(after) {
        let had = already
            .get(&(kind.clone(), name.clone()))
            .copied()
            .unwrap_or(0);
        if n > 1 && n > had {
            found.push(Violation(format!(
                "duplicate: {n} {kind} named {name:?} (there were {had})"
            )));
        }
    }
}

fn deletions(
    before: &OrgView,
    after: &OrgView,
    planned: &Planned,
    people: &ByPeople,
    found: &mut Vec<Violation>,
) {
    for ((kind, id), name) in &before.objects {
        let gone = !after.objects.contains_key(&(kind.clone(), id.clone()));
        if gone && !planned.deleted.contains(id.as_str()) && !people.deleted.contains(id) {
            found.push(Violation(format!(
                "deleted without a plan: {kind} {name:?} ({id})"
            )));
        }
    }
}

fn members(
    before: &OrgView,
    after: &OrgView,
    planned: &Planned,
    people: &ByPeople,
    found: &mut Vec<Violation>,
) {
    for (queue_id, was) in &before.members {
        let Some(now) = after.members.get(queue_id) else {
            continue; // the queue went: `deletions` judges that
        };
        let queue_name = before
            .objects
            .get(&("queues".to_string(), queue_id.clone()))
            .map(String::as_str)
            .unwrap_or_default();
        for user_id in was.difference(now) {
            let email = before
                .users
                .get(user_id)
                .map(|u| u.email.as_str())
                .unwrap_or_default();
            let allowed = planned.removes(
                ResourceKind::QueueMembers,
                &[queue_name, queue_id],
                email,
                user_id,
            ) || people
                .removed_members
                .contains(&(queue_id.clone(), user_id.clone()));
            if !allowed {
                found.push(Violation(format!(
                    "member removed without a plan: {email} from queue {queue_name:?}"
                )));
            }
        }
    }
}

fn assignments(
    before: &OrgView,
    after: &OrgView,
    planned: &Planned,
    people: &ByPeople,
    found: &mut Vec<Violation>,
) {
    for (user_id, was) in &before.users {
        let Some(now) = after.users.get(user_id) else {
            continue;
        };
        if people.unassigned.contains(user_id) {
            continue;
        }
        for (kind, objects, held, holds) in [
            (
                ResourceKind::AgentSkills,
                "skills",
                &was.skills,
                &now.skills,
            ),
            (
                ResourceKind::AgentLanguages,
                "languages",
                &was.languages,
                &now.languages,
            ),
        ] {
            for id in held.difference(holds) {
                let name = before
                    .objects
                    .get(&(objects.to_string(), id.clone()))
                    .map(String::as_str)
                    .unwrap_or_default();
                let went_with_its_object = planned.deleted.contains(id.as_str())
                    || people.deleted.contains(id)
                    || !after
                        .objects
                        .contains_key(&(objects.to_string(), id.clone()));
                let allowed =
                    went_with_its_object || planned.removes(kind, &[&was.email], name, id);
                if !allowed {
                    found.push(Violation(format!(
                        "{objects} assignment removed without a plan: {name:?} from {}",
                        was.email
                    )));
                }
            }
        }
    }
}

/// Every change switchboard's client made is one the plan asked for, and nothing was
/// created twice.
fn own_writes(
    before: &OrgView,
    run_audit: &[AuditView],
    planned: &Planned,
    found: &mut Vec<Violation>,
) {
    let mut created: BTreeMap<(String, String), usize> = BTreeMap::new();
    for record in run_audit.iter().filter(|r| r.by_client) {
        let (kinds, objects): (&[ResourceKind], Option<&str>) = match record.entity_type.as_str() {
            "Queue" => (
                &[
                    ResourceKind::Queue,
                    ResourceKind::QueueMembers,
                    ResourceKind::QueueWrapupCodes,
                ],
                Some("queues"),
            ),
            "RoutingSkill" => (&[ResourceKind::Skill], Some("skills")),
            "RoutingLanguage" => (&[ResourceKind::Language], Some("languages")),
            "WrapupCode" => (&[ResourceKind::WrapupCode], Some("wrapupCodes")),
            "User" => (
                &[
                    ResourceKind::AgentSkills,
                    ResourceKind::AgentLanguages,
                    ResourceKind::AgentCapacity,
                ],
                None,
            ),
            _ => (&[], None),
        };
        let name = match objects {
            Some(_) => record.entity_name.clone(),
            None => before
                .users
                .get(&record.entity_id)
                .map(|u| u.email.clone())
                .unwrap_or_default(),
        };
        // A skill replace moves the old skill's holders: those writes are the replace's.
        let moves_holders = record.entity_type == "User"
            && planned
                .changes
                .iter()
                .any(|c| c.action == Action::Replace && c.address.kind == ResourceKind::Skill);
        if !planned.touches(kinds, &name, &record.entity_id) && !moves_holders {
            found.push(Violation(format!(
                "wrote what the plan does not change: {} {} of {} {name:?}",
                record.action, record.entity_type, record.entity_id
            )));
        }
        if record.action == "Create" {
            let n = created
                .entry((record.entity_type.clone(), name.to_lowercase()))
                .or_default();
            *n += 1;
            if *n == 2 {
                found.push(Violation(format!(
                    "created twice: {} {name:?}",
                    record.entity_type
                )));
            }
        }
        if record.action == "Delete" && !planned.deleted.contains(record.entity_id.as_str()) {
            found.push(Violation(format!(
                "deleted what the plan does not delete: {} {name:?}",
                record.entity_type
            )));
        }
    }
}
