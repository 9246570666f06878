//! Set-like collections, diffed per element: queue members (ring), queue wrap-up codes,
//! agents' skills and languages (proficiency). `authoritative` removes what is not listed,
//! `additive` never removes, `ignore` is neither read nor diffed. Members through a group
//! are never touched; inactive or unknown users are skipped with a warning.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;
use switchboard_manifest::live::{LiveMember, LiveUser};
use switchboard_manifest::model::{Mode, Proficiencies, Queue};
use switchboard_manifest::names::name_key;

use super::Cx;
use super::view::number;
use super::weights;
use crate::model::{Action, Address, Change, ElementChange, ElementOp, ResourceKind};

/// A replaced skill's moves carry each holder's final proficiency: where the agent's own
/// change sets the new skill, the move uses that value, and where it removes the skill, no
/// move is made. Apply then writes one consistent value, whichever runs last.
pub(super) fn reconcile_moves(changes: &mut [Change]) {
    let mut decided: BTreeMap<(String, String), Option<Value>> = BTreeMap::new();
    for change in changes
        .iter()
        .filter(|c| c.address.kind == ResourceKind::AgentSkills)
    {
        for element in &change.elements {
            let after = (element.op != ElementOp::Remove)
                .then(|| element.after.clone())
                .flatten();
            decided.insert((change.address.name.clone(), element.key.clone()), after);
        }
    }
    for change in changes
        .iter_mut()
        .filter(|c| c.address.kind == ResourceKind::Skill && c.action == Action::Replace)
    {
        let skill = change.address.name.clone();
        change.elements.retain_mut(|element| {
            match decided.get(&(element.key.clone(), skill.clone())) {
                None => true,
                Some(None) => false,
                Some(Some(after)) => {
                    element.after = Some(after.clone());
                    true
                }
            }
        });
    }
}

pub(super) fn plan(cx: &mut Cx<'_>) {
    let manifest = cx.manifest;
    for queue in &manifest.queues {
        if cx
            .policy
            .targets(&Address::new(ResourceKind::QueueWrapupCodes, &queue.name))
        {
            queue_wrapup_codes(cx, queue);
        }
        if cx
            .policy
            .targets(&Address::new(ResourceKind::QueueMembers, &queue.name))
        {
            queue_members(cx, queue);
        }
    }
    let skills = HeldAs::of(cx, ResourceKind::AgentSkills);
    let languages = HeldAs::of(cx, ResourceKind::AgentLanguages);
    for agent in &manifest.agents {
        for (kind, set, held_as) in [
            (ResourceKind::AgentSkills, &agent.skills, &skills),
            (ResourceKind::AgentLanguages, &agent.languages, &languages),
        ] {
            let targeted = cx.policy.targets(&Address::new(kind, &agent.user));
            if let Some(set) = set.as_ref().filter(|s| targeted && s.mode != Mode::Ignore) {
                assignments(cx, &agent.user, kind, set, held_as);
            }
        }
    }
}

/// What each live skill (or language) id an agent may hold counts as: the name (a replaced
/// skill's old id counts as the new skill), and the org's id of that name. Worked out once
/// per diff rather than once per agent.
struct HeldAs(HashMap<String, (String, Option<String>)>);

impl HeldAs {
    fn of(cx: &Cx<'_>, kind: ResourceKind) -> HeldAs {
        let names = match kind {
            ResourceKind::AgentSkills => &cx.skill_names,
            _ => &cx.language_names,
        };
        HeldAs(
            names
                .iter()
                .map(|(id, name)| {
                    let id_now = id_of(cx, kind, name).map(String::from);
                    (id.clone(), (name.clone(), id_now))
                })
                .collect(),
        )
    }
}

/// The org's id of the skill or language `name` (found by the name rule); none when the org
/// has no such object yet.
fn id_of<'a>(cx: &Cx<'a>, kind: ResourceKind, name: &str) -> Option<&'a str> {
    let live = cx.live;
    let name = cx.index.of(kind).find(name).name()?;
    match kind {
        ResourceKind::AgentSkills => live.skills.get(name).map(|s| s.id.as_str()),
        _ => live.languages.get(name).map(|l| l.id.as_str()),
    }
}

/// A collection's change: a create when its owner is new, else an update.
fn collection_change(
    cx: &Cx<'_>,
    kind: ResourceKind,
    name: &str,
    mode: Mode,
    owner: Option<(&str, &str)>,
    elements: Vec<ElementChange>,
    unchanged: usize,
) -> Option<Change> {
    if elements.is_empty() {
        return None;
    }
    let address = Address::new(kind, name);
    let action = if owner.is_some() {
        Action::Update
    } else {
        Action::Create
    };
    let mut change = Change::new(address.clone(), action);
    change.mode = Some(mode);
    change.elements = elements;
    change.unchanged = unchanged;
    if let Some((id, live_name)) = owner {
        change.id = Some(id.to_string());
        change.fingerprint = cx.fingerprint(&address, live_name);
    }
    Some(change)
}

fn queue_wrapup_codes(cx: &mut Cx<'_>, queue: &Queue) {
    let Some(codes) = queue
        .wrapup_codes
        .as_ref()
        .filter(|c| c.mode != Mode::Ignore)
    else {
        return;
    };
    let live = cx.live;
    let subject = ResourceKind::QueueWrapupCodes.describe(&queue.name);
    let found = cx.queue_found_as.get(&queue.name).cloned();
    let live_queue = found.as_ref().and_then(|name| live.queues.get(name));
    // The queue's codes by the name rule's key: (the name shown, the id). A code's name
    // comes from the org-wide listing (as the manifest spells it when it declares it), else
    // from the queue's own listing (a code the org-wide listing does not show yet).
    let mut current: BTreeMap<String, (String, String)> = BTreeMap::new();
    if let Some(q) = live_queue {
        let Some(ids) = &q.wrapup_code_ids else {
            cx.warn(subject, "the queue's wrap-up codes were not read; skipped");
            return;
        };
        for id in ids {
            let name = cx
                .code_names
                .get(id)
                .or_else(|| q.wrapup_code_names.get(id))
                .filter(|name| !name.trim().is_empty());
            match name {
                Some(name) => {
                    current.insert(name_key(name), (name.clone(), id.clone()));
                }
                None if codes.mode == Mode::Authoritative => cx.unjustified(
                    &subject,
                    format!(
                        "its wrap-up code {id} has no name in the org's listing or the queue's, so it cannot be told apart from the codes the manifest lists"
                    ),
                ),
                None => {}
            }
        }
    }
    let wanted: BTreeMap<String, &String> = codes.codes.iter().map(|c| (name_key(c), c)).collect();
    let mut elements = Vec::new();
    let mut unchanged = 0;
    for (key, name) in &wanted {
        if current.contains_key(key) {
            unchanged += 1;
            continue;
        }
        let id = cx
            .code_found_as
            .get(*name)
            .and_then(|found| live.wrapup_codes.get(found))
            .map(|c| c.id.clone());
        elements.push(ElementChange {
            op: ElementOp::Add,
            key: (*name).clone(),
            id,
            before: None,
            after: None,
            note: None,
        });
    }
    if codes.mode == Mode::Authoritative {
        for (key, (name, id)) in &current {
            if !wanted.contains_key(key) {
                elements.push(ElementChange {
                    op: ElementOp::Remove,
                    key: name.clone(),
                    id: Some(id.clone()),
                    before: None,
                    after: None,
                    note: None,
                });
            }
        }
    }
    let owner = live_queue
        .zip(found.as_deref())
        .map(|(q, n)| (q.id.as_str(), n));
    if let Some(change) = collection_change(
        cx,
        ResourceKind::QueueWrapupCodes,
        &queue.name,
        codes.mode,
        owner,
        elements,
        unchanged,
    ) {
        cx.changes.push(change);
    }
}

/// The active user with `email` (lower case), if any.
/// The state of a user switchboard adds to queues and gives skills.
const ACTIVE: &str = "active";

fn usable_user<'a>(cx: &Cx<'a>, email: &str) -> Option<&'a LiveUser> {
    cx.users.get(email).filter(|user| user.state == ACTIVE)
}

/// Why the user with `email` (lower case) is skipped: inactive, or no account.
fn skipped_because(cx: &Cx<'_>, email: &str) -> String {
    match cx.users.get(email) {
        Some(user) => format!("user {email} is {}", user.state),
        None => format!("no user has the email {email}"),
    }
}

/// The active user with `email`, or a warning about `subject` naming why it is skipped.
pub(super) fn active_user<'a>(
    cx: &mut Cx<'a>,
    subject: impl FnOnce() -> String,
    email: &str,
) -> Option<&'a LiveUser> {
    let email = lower_case(email);
    let user = usable_user(cx, &email);
    if user.is_none() {
        let why = skipped_because(cx, &email);
        cx.warn(subject(), format!("{why}; skipped"));
    }
    user
}

/// `email` in lower case (as `str::to_lowercase`), copied only when it is not already: the
/// manifest's emails mostly are, and a large org's diff lower-cases tens of thousands.
fn lower_case(email: &str) -> Cow<'_, str> {
    if email.is_ascii() && !email.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Borrowed(email)
    } else {
        Cow::Owned(email.to_lowercase())
    }
}

fn queue_members(cx: &mut Cx<'_>, queue: &Queue) {
    let Some(members) = queue.members.as_ref().filter(|m| m.mode != Mode::Ignore) else {
        return;
    };
    let live = cx.live;
    let subject = ResourceKind::QueueMembers.describe(&queue.name);
    let found = cx.queue_found_as.get(&queue.name).cloned();
    let live_queue = found.as_ref().and_then(|name| live.queues.get(name));
    let current: &[LiveMember] = match live_queue {
        None => &[],
        Some(q) => match &q.members {
            Some(members) => members,
            None => {
                cx.warn(subject, "the queue's members were not read; skipped");
                return;
            }
        },
    };
    let direct: BTreeMap<&str, &LiveMember> = current
        .iter()
        .filter(|m| !m.by_group)
        .map(|m| (m.user_id.as_str(), m))
        .collect();
    let by_group: BTreeSet<&str> = current
        .iter()
        .filter(|m| m.by_group)
        .map(|m| m.user_id.as_str())
        .collect();
    let live_rings = live_queue
        .and_then(|q| q.body.pointer("/bullseye/rings"))
        .and_then(Value::as_array)
        .map(Vec::len);
    let rings = weights::member_rings(queue, live_rings);
    let mut listed: BTreeSet<&str> = BTreeSet::new();
    let mut elements = Vec::new();
    let mut unchanged = 0;
    let mut weighted = Vec::new();
    // Each listed user's lower-case email, and the user the read found with it (looked up
    // once: the diff of a large org makes tens of thousands of these).
    let listed_users: Vec<(Cow<'_, str>, Option<&LiveUser>)> = members
        .users
        .iter()
        .map(|member| {
            let email = lower_case(&member.user);
            let user = cx.users.get(&email);
            (email, user)
        })
        .collect();
    for ((member, ring), (email, found)) in members.users.iter().zip(rings).zip(&listed_users) {
        let email: &str = email;
        // Listed users are never removed, even when skipped as inactive.
        if let Some(user) = found {
            listed.insert(user.id.as_str());
        }
        let Some(user) = found.filter(|user| user.state == ACTIVE) else {
            let is_member = found.is_some_and(|u| {
                direct.contains_key(u.id.as_str()) || by_group.contains(u.id.as_str())
            }) || current.iter().any(|m| {
                m.email
                    .as_deref()
                    .is_some_and(|e| e.eq_ignore_ascii_case(email))
            });
            let why = skipped_because(cx, email);
            if is_member {
                cx.warn(&subject, format!("{why}; skipped"));
            } else {
                let address = Address::new(ResourceKind::QueueMembers, &queue.name);
                cx.warn_missing(
                    address,
                    email,
                    format!("{why}, so it is not a member and cannot be added; skipped"),
                );
            }
            continue;
        };
        let note = member
            .weight
            .map(|w| format!("weight {w} realised as ring {ring}"));
        if let Some(weight) = member.weight {
            weighted.push((email.to_string(), weight, ring));
        }
        match direct.get(user.id.as_str()) {
            Some(existing) => {
                let before = existing.ring.unwrap_or(1);
                if before == i64::from(ring) {
                    unchanged += 1;
                } else {
                    elements.push(ElementChange {
                        op: ElementOp::Update,
                        key: email.to_string(),
                        id: Some(user.id.clone()),
                        before: Some(Value::from(before)),
                        after: Some(Value::from(ring)),
                        note,
                    });
                }
            }
            None if by_group.contains(user.id.as_str()) => cx.warn(
                &subject,
                format!("user {email} is a member through a group; switchboard does not add or change group members"),
            ),
            None => elements.push(ElementChange {
                op: ElementOp::Add,
                key: email.to_string(),
                id: Some(user.id.clone()),
                before: None,
                after: Some(Value::from(ring)),
                note,
            }),
        }
    }
    if members.mode == Mode::Authoritative {
        let listed_emails: BTreeSet<&str> = listed_users
            .iter()
            .map(|(email, _)| email.as_ref())
            .collect();
        // Listed users the user read did not find: a member the read cannot name might be one.
        let unresolved: BTreeSet<&str> = listed_users
            .iter()
            .filter(|(_, found)| found.is_none())
            .map(|(email, _)| email.as_ref())
            .collect();
        for (id, member) in &direct {
            if listed.contains(id) {
                continue;
            }
            let email = member
                .email
                .as_ref()
                .map(|e| e.to_lowercase())
                .or_else(|| cx.users.email_of(id).map(String::from));
            // A member is removed only when the read shows it is not listed: by its email, or,
            // when every listed user was found, by its id alone (ids are unique).
            match &email {
                Some(email) if listed_emails.contains(email.as_str()) => {
                    cx.unjustified(
                        &subject,
                        format!(
                            "user {email} is listed and is a member of the queue, but the user read did not return them (the user search may lag behind)"
                        ),
                    );
                    continue;
                }
                Some(_) => {}
                None if unresolved.is_empty() => {}
                None => {
                    cx.unjustified(
                        &subject,
                        format!(
                            "member {id}{} came without an email, and {} listed user(s) ({}) were not found, so the read cannot show that it is not one of them",
                            member.name.as_ref().map(|n| format!(" ({n})")).unwrap_or_default(),
                            unresolved.len(),
                            unresolved.iter().copied().collect::<Vec<_>>().join(", ")
                        ),
                    );
                    continue;
                }
            }
            let key = email
                .or_else(|| member.name.clone())
                .unwrap_or_else(|| (*id).to_string());
            elements.push(ElementChange {
                op: ElementOp::Remove,
                key,
                id: Some((*id).to_string()),
                before: member.ring.map(Value::from),
                after: None,
                note: None,
            });
        }
    }
    elements.sort_by(|a, b| (a.op, &a.key).cmp(&(b.op, &b.key)));
    let owner = live_queue
        .zip(found.as_deref())
        .map(|(q, n)| (q.id.as_str(), n));
    if let Some(change) = collection_change(
        cx,
        ResourceKind::QueueMembers,
        &queue.name,
        members.mode,
        owner,
        elements,
        unchanged,
    ) {
        cx.changes.push(change);
        if let Some(distribution) = weights::distribution(queue, live_rings, &weighted) {
            cx.distributions.push(distribution);
        }
    }
}

/// Proficiencies are equal when they round to the same value the API keeps: a float for
/// skills, a whole number for languages ("the backend rounds to the nearest int").
fn same_proficiency(kind: ResourceKind, a: f64, b: f64) -> bool {
    if kind == ResourceKind::AgentLanguages {
        a.round() == b.round()
    } else {
        (a - b).abs() < 1e-9
    }
}

fn assignments(
    cx: &mut Cx<'_>,
    email: &str,
    kind: ResourceKind,
    set: &Proficiencies,
    held_as: &HeldAs,
) {
    let email = lower_case(email);
    let Some(user) = active_user(cx, || format!("agent {email}"), &email) else {
        return;
    };
    let held = match kind {
        ResourceKind::AgentSkills => &user.skills,
        _ => &user.languages,
    };
    // What the user holds, by the name it counts as, with the id of the skill or language
    // of that name. A replaced skill's old id counts as the new skill, which has no id until
    // apply creates it: the old id would name the skill the replace deletes.
    let current: BTreeMap<&str, (Option<&str>, f64)> = held
        .iter()
        .filter_map(|(id, p)| {
            let (name, id_now) = held_as.0.get(id)?;
            Some((name.as_str(), (id_now.as_deref(), *p)))
        })
        .collect();
    let mut elements = Vec::new();
    let mut unchanged = 0;
    for (name, proficiency) in &set.proficiency {
        let wanted = proficiency.0;
        match current.get(name.as_str()) {
            Some((_, have)) if same_proficiency(kind, *have, wanted) => unchanged += 1,
            Some((id, have)) => elements.push(ElementChange {
                op: ElementOp::Update,
                key: name.clone(),
                id: id.map(String::from),
                before: Some(number(*have)),
                after: Some(number(wanted)),
                note: None,
            }),
            None => elements.push(ElementChange {
                op: ElementOp::Add,
                key: name.clone(),
                id: id_of(cx, kind, name).map(String::from),
                before: None,
                after: Some(number(wanted)),
                note: None,
            }),
        }
    }
    if set.mode == Mode::Authoritative {
        for (name, (id, have)) in &current {
            if !set.proficiency.contains_key(*name) {
                elements.push(ElementChange {
                    op: ElementOp::Remove,
                    key: (*name).to_string(),
                    id: id.map(String::from),
                    before: Some(number(*have)),
                    after: None,
                    note: None,
                });
            }
        }
    }
    elements.sort_by(|a, b| (a.op, &a.key).cmp(&(b.op, &b.key)));
    let owner = Some((user.id.as_str(), email.as_ref()));
    if let Some(change) = collection_change(cx, kind, &email, set.mode, owner, elements, unchanged)
    {
        cx.changes.push(change);
    }
}
