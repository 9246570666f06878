//! Members through groups, as a plan changes a queue's `memberGroups`: who a group the plan
//! adds brings in, and who a group it removes takes out.
//!
//! Only skill groups can be expanded: the API lists a skill group's members
//! (`GET /api/v2/routing/skillgroups/{id}/members`), and the API description has no listing
//! of a directory group's or a team's members. Those, and a skill group this plan creates
//! or redefines (its members are computed by the API once it is written), are said to be
//! uncounted. A removed skill group's members leave unless they are direct members after the
//! plan or in another skill group the queue keeps; one also in a kept team or directory group
//! is counted as leaving (the guards err on the side of fewer members).

use std::collections::BTreeSet;

use serde_json::Value;
use switchboard_manifest::Live;
use switchboard_manifest::live::{Referent, find_referent};
use switchboard_manifest::names::{NameIndex, name_key};
use switchboard_manifest::references::ReferenceKind;
use switchboard_plan::{Action, Change, Plan, ResourceKind};

/// The path of a queue's member groups in a plan's attributes.
pub(crate) const MEMBER_GROUPS: &str = "memberGroups.groups";

/// One member group as a plan shows it: `(type, name)`.
type Group = (String, String);

/// A plan's change of one queue's member groups, expanded as far as the API allows.
#[derive(Debug, Clone, Default)]
pub(crate) struct GroupChange {
    /// User ids the added groups bring.
    pub joining: BTreeSet<String>,
    /// User ids the removed skill groups take out (before the direct members are kept).
    pub leaving: BTreeSet<String>,
    /// Groups whose members could not be counted, each with why.
    pub uncounted: Vec<String>,
    /// Skill group ids whose members are needed and were not read yet.
    pub to_read: BTreeSet<String>,
}

/// The groups of one side of a member groups attribute.
fn groups(side: Option<&Value>) -> Vec<Group> {
    side.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|g| {
            let text = |key: &str| g.get(key).and_then(Value::as_str).map(String::from);
            Some((text("type")?, text("name")?))
        })
        .collect()
}

/// The groups added to and removed from the queue by `change`'s member groups attribute.
fn added_and_removed(change: &Change) -> Option<(Vec<Group>, Vec<Group>)> {
    let attribute = change.attributes.iter().find(|a| a.path == MEMBER_GROUPS)?;
    let key = |(kind, name): &Group| (kind.clone(), name_key(name));
    let before = groups(attribute.before.as_ref());
    let after = groups(attribute.after.as_ref());
    let before_keys: BTreeSet<_> = before.iter().map(key).collect();
    let after_keys: BTreeSet<_> = after.iter().map(key).collect();
    let added = after
        .iter()
        .filter(|g| !before_keys.contains(&key(g)))
        .cloned()
        .collect();
    let removed = before
        .iter()
        .filter(|g| !after_keys.contains(&key(g)))
        .cloned()
        .collect();
    Some((added, removed))
}

/// The groups the queue keeps: in the attribute's `after`.
fn kept(change: &Change) -> Vec<Group> {
    groups(
        change
            .attributes
            .iter()
            .find(|a| a.path == MEMBER_GROUPS)
            .and_then(|a| a.after.as_ref()),
    )
}

/// Expands `change` (a queue change of the plan) against what `live` holds.
pub(crate) fn expand(plan: &Plan, live: &Live, change: &Change) -> GroupChange {
    let mut out = GroupChange::default();
    let Some((added, removed)) = added_and_removed(change) else {
        return out;
    };
    let members = |group: &Group, out: &mut GroupChange| -> Option<BTreeSet<String>> {
        match skill_group_members(plan, live, group) {
            Ok(members) => Some(members),
            Err(Unread(id)) => {
                out.to_read.insert(id);
                None
            }
            Err(Uncounted(why)) => {
                out.uncounted.push(why);
                None
            }
        }
    };
    for group in &added {
        if let Some(ids) = members(group, &mut out) {
            out.joining.extend(ids);
        }
    }
    if removed.is_empty() {
        return out;
    }
    let mut staying = BTreeSet::new();
    for group in kept(change) {
        if group.0 == "SKILLGROUP"
            && let Ok(ids) = skill_group_members(plan, live, &group)
        {
            staying.extend(ids);
        }
    }
    for group in &removed {
        if let Some(ids) = members(group, &mut out) {
            out.leaving
                .extend(ids.into_iter().filter(|id| !staying.contains(id)));
        }
    }
    out
}

/// Why a group's members are not known.
enum Unknown {
    /// A skill group whose members were not read yet (its id).
    Unread(String),
    /// They cannot be counted, and why.
    Uncounted(String),
}
use Unknown::{Uncounted, Unread};

/// The members of the group `(type, name)`, by user id.
fn skill_group_members(
    plan: &Plan,
    live: &Live,
    (kind, name): &Group,
) -> Result<BTreeSet<String>, Unknown> {
    match ReferenceKind::of_group_type(kind) {
        Some(ReferenceKind::SkillGroup) => {}
        Some(ReferenceKind::Team) => {
            return Err(Uncounted(format!(
                "team {name:?}: the API has no listing of a team's members"
            )));
        }
        _ => {
            return Err(Uncounted(format!(
                "directory group {name:?}: the API has no listing of a group's members"
            )));
        }
    }
    let redefined = plan.changes.iter().any(|c| {
        c.address.kind == ResourceKind::SkillGroup
            && name_key(&c.address.name) == name_key(name)
            && c.refused.is_none()
            && (c.action == Action::Create
                || c.attributes
                    .iter()
                    .any(|a| a.path == "skillConditions" || a.path == "memberDivisions"))
    });
    if redefined {
        return Err(Uncounted(format!(
            "skill group {name:?}: this plan creates or redefines it, and the API computes its members once it is written"
        )));
    }
    let Some(id) = skill_group_id(live, name) else {
        return Err(Uncounted(format!(
            "skill group {name:?}: not found in the org"
        )));
    };
    match live.skill_group_members.get(&id) {
        Some(members) => Ok(members.clone()),
        None => Err(Unread(id)),
    }
}

/// The id of the skill group `name`: as the plan's read lists skill groups (when the
/// manifest manages them), else as the references' lookup found it, else as the live queues
/// name it (a group a queue loses is one the manifest may no longer name at all).
fn skill_group_id(live: &Live, name: &str) -> Option<String> {
    let index = NameIndex::new(live.skill_groups.keys().map(String::as_str));
    if let Some(found) = index.find(name).name() {
        return live.skill_groups.get(found).map(|g| g.id.clone());
    }
    if let Some(found) = live.references.get(&ReferenceKind::SkillGroup)
        && let Referent::One(found) = find_referent(found, name)
    {
        return Some(found.id.clone());
    }
    match find_referent(&live.used_by_queues(ReferenceKind::SkillGroup), name) {
        Referent::One(found) => Some(found.id.clone()),
        _ => None,
    }
}
