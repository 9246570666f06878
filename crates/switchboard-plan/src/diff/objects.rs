//! The named objects: skills, languages, wrap-up codes and queues. Creates, attribute
//! updates, renames (`renamedFrom`), skill replaces, and deletes where pruning allows.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};
use switchboard_manifest::Live;
use switchboard_manifest::live::LiveQueue;
use switchboard_manifest::model::{Kind, Queue};

use super::view::{LiveNames, align_groups, compare, desired_settings, live_settings, number};
use super::{Cx, PlanError, safety};
use crate::model::{
    Action, Address, AttributeChange, Change, ElementChange, ElementOp, ResourceKind,
};

pub(super) fn plan(cx: &mut Cx<'_>) -> Result<(), PlanError> {
    skills(cx)?;
    languages(cx);
    wrapup_codes(cx)?;
    queues(cx)?;
    prune(cx);
    Ok(())
}

/// Warns when an object is found under its own name while one of its former names also
/// still exists in the org: that one is a separate object, left as it is.
fn former_still_live(
    cx: &mut Cx<'_>,
    kind: Kind,
    name: &str,
    former: &[String],
    exists: impl Fn(&str) -> bool,
) {
    let resource = match kind {
        Kind::Skills => ResourceKind::Skill,
        Kind::Languages => ResourceKind::Language,
        Kind::WrapupCodes => ResourceKind::WrapupCode,
        Kind::Queues => ResourceKind::Queue,
    };
    for old in former.iter().filter(|old| exists(old)) {
        cx.warn(
            resource.describe(name),
            format!(
                "{}, a former name, still exists beside it; it is left as it is (with `prune.{}` it is deleted)",
                resource.describe(old),
                kind.key()
            ),
        );
    }
}

/// `name` as the attribute every create shows first.
fn name_attribute(name: &str) -> AttributeChange {
    AttributeChange {
        path: "name".into(),
        before: None,
        after: Some(Value::String(name.into())),
    }
}

/// The `division` attribute of a skill or wrap-up code, when the manifest sets one.
fn division_attribute(
    cx: &Cx<'_>,
    object: &str,
    desired: Option<&String>,
    live_division: Option<&str>,
) -> Result<Option<AttributeChange>, PlanError> {
    let Some(desired) = desired else {
        return Ok(None);
    };
    let desired_id = cx.division_id(object, desired)?;
    if live_division == Some(desired_id) {
        return Ok(None);
    }
    Ok(Some(AttributeChange {
        path: "division".into(),
        before: live_division.map(|id| Value::String(cx.division_name(id))),
        after: Some(Value::String(desired.clone())),
    }))
}

fn skills(cx: &mut Cx<'_>) -> Result<(), PlanError> {
    let manifest = cx.manifest;
    let live = cx.live;
    for skill in &manifest.skills {
        let address = Address::new(ResourceKind::Skill, &skill.name);
        let object = ResourceKind::Skill.describe(&skill.name);
        if let Some(found) = live.skills.get(&skill.name) {
            former_still_live(cx, Kind::Skills, &skill.name, &skill.renamed_from, |n| {
                live.skills.contains_key(n)
            });
            let division = division_attribute(
                cx,
                &object,
                skill.division.as_ref(),
                found.division_id.as_deref(),
            )?;
            if let Some(division) = division {
                let mut change = Change::new(address.clone(), Action::Update);
                change.id = Some(found.id.clone());
                change.attributes.push(division);
                change.fingerprint = cx.fingerprint(&address, &skill.name);
                cx.changes.push(change);
            }
            continue;
        }
        cx.creating
            .insert((ResourceKind::Skill, skill.name.clone()));
        let mut attributes = vec![name_attribute(&skill.name)];
        if let Some(division) = division_attribute(cx, &object, skill.division.as_ref(), None)? {
            attributes.push(division);
        }
        let former = skill
            .renamed_from
            .iter()
            .find_map(|old| live.skills.get(old).map(|found| (old, found)));
        let Some((old, found)) = former else {
            let mut change = Change::new(address, Action::Create);
            change.attributes = attributes;
            cx.changes.push(change);
            continue;
        };
        // The API cannot rename a skill: create the new one, move every assignment of the
        // old one to it with the same proficiency, delete the old one.
        cx.skill_names.insert(found.id.clone(), skill.name.clone());
        let mut change = Change::new(address.clone(), Action::Replace);
        change.id = Some(found.id.clone());
        change.renamed_from = Some(old.clone());
        if let Some(first) = attributes.first_mut() {
            first.before = Some(Value::String(old.clone()));
        }
        change.attributes = attributes;
        change.elements = live
            .users
            .iter()
            .filter_map(|(email, user)| {
                user.skills.get(&found.id).map(|proficiency| ElementChange {
                    op: ElementOp::Add,
                    key: email.clone(),
                    id: Some(user.id.clone()),
                    before: None,
                    after: Some(number(*proficiency)),
                    note: Some(format!("moved from skill {old:?}")),
                })
            })
            .collect();
        change.fingerprint = cx.fingerprint(&address, old);
        cx.changes.push(change);
    }
    Ok(())
}

fn languages(cx: &mut Cx<'_>) {
    let manifest = cx.manifest;
    for language in &manifest.languages {
        if cx.live.languages.contains_key(&language.name) {
            continue;
        }
        cx.creating
            .insert((ResourceKind::Language, language.name.clone()));
        let mut change = Change::new(
            Address::new(ResourceKind::Language, &language.name),
            Action::Create,
        );
        change.attributes = vec![name_attribute(&language.name)];
        cx.changes.push(change);
    }
}

fn wrapup_codes(cx: &mut Cx<'_>) -> Result<(), PlanError> {
    let manifest = cx.manifest;
    let live = cx.live;
    for code in &manifest.wrapup_codes {
        let address = Address::new(ResourceKind::WrapupCode, &code.name);
        let object = ResourceKind::WrapupCode.describe(&code.name);
        let found = std::iter::once(&code.name)
            .chain(&code.renamed_from)
            .find_map(|name| live.wrapup_codes.get(name).map(|found| (name, found)));
        let Some((found_as, found)) = found else {
            cx.creating
                .insert((ResourceKind::WrapupCode, code.name.clone()));
            let mut change = Change::new(address, Action::Create);
            change.attributes.push(name_attribute(&code.name));
            if let Some(description) = &code.description {
                change.attributes.push(AttributeChange {
                    path: "description".into(),
                    before: None,
                    after: Some(Value::String(description.clone())),
                });
            }
            if let Some(division) = division_attribute(cx, &object, code.division.as_ref(), None)? {
                change.attributes.push(division);
            }
            cx.changes.push(change);
            continue;
        };
        if found_as == &code.name {
            former_still_live(cx, Kind::WrapupCodes, &code.name, &code.renamed_from, |n| {
                live.wrapup_codes.contains_key(n)
            });
        }
        cx.code_found_as.insert(code.name.clone(), found_as.clone());
        cx.code_names.insert(found.id.clone(), code.name.clone());
        let mut attributes = Vec::new();
        let mut unchanged = 0;
        if found_as != &code.name {
            attributes.push(AttributeChange {
                path: "name".into(),
                before: Some(Value::String(found_as.clone())),
                after: Some(Value::String(code.name.clone())),
            });
        }
        if let Some(description) = &code.description {
            if found.description.as_ref() == Some(description) {
                unchanged += 1;
            } else {
                attributes.push(AttributeChange {
                    path: "description".into(),
                    before: found.description.clone().map(Value::String),
                    after: Some(Value::String(description.clone())),
                });
            }
        }
        match division_attribute(
            cx,
            &object,
            code.division.as_ref(),
            found.division_id.as_deref(),
        )? {
            Some(division) => attributes.push(division),
            None => unchanged += usize::from(code.division.is_some()),
        }
        if attributes.is_empty() {
            continue;
        }
        let mut change = Change::new(address.clone(), Action::Update);
        change.id = Some(found.id.clone());
        change.renamed_from = (found_as != &code.name).then(|| found_as.clone());
        change.attributes = attributes;
        change.unchanged = unchanged;
        change.fingerprint = cx.fingerprint(&address, found_as);
        cx.changes.push(change);
    }
    Ok(())
}

/// The live queue a manifest queue is found as: under its name, or else a former name.
fn found_queue<'a>(queue: &'a Queue, live: &'a Live) -> Option<(&'a String, &'a LiveQueue)> {
    std::iter::once(&queue.name)
        .chain(&queue.renamed_from)
        .find_map(|name| live.queues.get(name).map(|found| (name, found)))
}

fn queues(cx: &mut Cx<'_>) -> Result<(), PlanError> {
    let manifest = cx.manifest;
    let live = cx.live;
    // Conditional group routing rules refer to queues by id: a queue found under a former
    // name counts under its manifest name, so that renaming it changes no rule.
    let mut queue_names: BTreeMap<&str, String> = live
        .queues
        .iter()
        .map(|(name, q)| (q.id.as_str(), name.clone()))
        .collect();
    for queue in &manifest.queues {
        if let Some((_, found)) = found_queue(queue, live) {
            queue_names.insert(found.id.as_str(), queue.name.clone());
        }
    }
    let names = LiveNames::with_queues(live, queue_names);
    for queue in &manifest.queues {
        let address = Address::new(ResourceKind::Queue, &queue.name);
        let object = ResourceKind::Queue.describe(&queue.name);
        if let Some(division) = &queue.division {
            cx.division_id(&object, division)?;
        }
        let desired = desired_settings(queue);
        let Some((found_as, found)) = found_queue(queue, live) else {
            let (mut attributes, _) = compare(&desired, None);
            attributes.insert(0, name_attribute(&queue.name));
            let mut change = Change::new(address, Action::Create);
            change.attributes = attributes;
            cx.changes.push(change);
            continue;
        };
        if found_as == &queue.name {
            former_still_live(cx, Kind::Queues, &queue.name, &queue.renamed_from, |n| {
                live.queues.contains_key(n)
            });
        }
        cx.queue_found_as
            .insert(queue.name.clone(), found_as.clone());
        let mut current: Map<String, Value> = live_settings(&queue.name, &found.body, &names);
        align_groups(&desired, &mut current);
        let (mut attributes, unchanged) = compare(&desired, Some(&current));
        if found_as != &queue.name {
            attributes.insert(
                0,
                AttributeChange {
                    path: "name".into(),
                    before: Some(Value::String(found_as.clone())),
                    after: Some(Value::String(queue.name.clone())),
                },
            );
        }
        if attributes.is_empty() {
            continue;
        }
        let mut change = Change::new(address.clone(), Action::Update);
        change.id = Some(found.id.clone());
        change.renamed_from = (found_as != &queue.name).then(|| found_as.clone());
        change.attributes = attributes;
        change.unchanged = unchanged;
        change.fingerprint = cx.fingerprint(&address, found_as);
        cx.changes.push(change);
    }
    Ok(())
}

/// Deletes of live objects the manifest does not declare, for kinds with `prune` on, inside
/// `scope`. Former names in use by a rename or replace are not candidates. Protected
/// objects are planned too, and refused by safety afterwards, so the plan shows them.
fn prune(cx: &mut Cx<'_>) {
    let manifest = cx.manifest;
    let live = cx.live;
    let prune = manifest.prune.unwrap_or_default();
    let claimed = |kind: ResourceKind| -> BTreeSet<&str> {
        cx.changes
            .iter()
            .filter(|c| c.address.kind == kind)
            .filter_map(|c| c.renamed_from.as_deref())
            .chain(match kind {
                ResourceKind::Skill => manifest
                    .skills
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>(),
                ResourceKind::Language => {
                    manifest.languages.iter().map(|l| l.name.as_str()).collect()
                }
                ResourceKind::WrapupCode => manifest
                    .wrapup_codes
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect(),
                _ => manifest.queues.iter().map(|q| q.name.as_str()).collect(),
            })
            .collect()
    };
    let scope = safety::ScopeFilter::new(manifest, live);
    let mut deletes = Vec::new();
    let mut candidates =
        |kind: Kind, resource: ResourceKind, objects: Vec<(&String, &String, Option<&String>)>| {
            let claimed = claimed(resource);
            for (name, id, division) in objects {
                if claimed.contains(name.as_str())
                    || !scope.contains(kind, name, division.map(String::as_str))
                {
                    continue;
                }
                let address = Address::new(resource, name);
                let mut change = Change::new(address.clone(), Action::Delete);
                change.id = Some(id.clone());
                change.fingerprint = crate::fingerprint::of_live(live, &address, name);
                deletes.push(change);
            }
        };
    if prune.skills {
        candidates(
            Kind::Skills,
            ResourceKind::Skill,
            live.skills
                .iter()
                .map(|(n, s)| (n, &s.id, s.division_id.as_ref()))
                .collect(),
        );
    }
    if prune.languages {
        candidates(
            Kind::Languages,
            ResourceKind::Language,
            live.languages
                .iter()
                .map(|(n, l)| (n, &l.id, l.division_id.as_ref()))
                .collect(),
        );
    }
    if prune.wrapup_codes {
        candidates(
            Kind::WrapupCodes,
            ResourceKind::WrapupCode,
            live.wrapup_codes
                .iter()
                .map(|(n, c)| (n, &c.id, c.division_id.as_ref()))
                .collect(),
        );
    }
    if prune.queues {
        candidates(
            Kind::Queues,
            ResourceKind::Queue,
            live.queues
                .iter()
                .map(|(n, q)| (n, &q.id, q.division_id.as_ref()))
                .collect(),
        );
    }
    cx.changes.extend(deletes);
}
