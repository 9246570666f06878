//! The named objects: skills, languages, wrap-up codes and queues. Creates, attribute
//! updates, renames (`renamedFrom`), skill replaces, and deletes where pruning allows.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};
use switchboard_manifest::live::LiveQueue;
use switchboard_manifest::model::{Kind, Mode, Queue};

use switchboard_manifest::names::NameIndex;

use super::view::{
    LiveNames, align_groups, compare, desired_settings, keep_live_member_groups, live_settings,
    number, spell_references,
};
use super::{Cx, PlanError, safety};
use crate::model::{
    Action, Address, AttributeChange, Change, ElementChange, ElementOp, Refusal, RefusalReason,
    ResourceKind,
};

pub(super) fn plan(cx: &mut Cx<'_>) -> Result<(), PlanError> {
    skills(cx)?;
    languages(cx)?;
    wrapup_codes(cx)?;
    super::labels::plan(cx)?;
    super::skill_groups::plan(cx)?;
    queues(cx)?;
    prune(cx);
    Ok(())
}

/// Warns when an object is found under its own name while one of its former names also
/// still exists in the org: that one is a separate object, left as it is. Also warns of
/// objects whose name is the same as `found`'s by the name rule, spelt otherwise: they are
/// neither managed nor pruned.
pub(super) fn former_still_live(
    cx: &mut Cx<'_>,
    kind: Kind,
    name: &str,
    former: &[String],
    found: &str,
) {
    let resource = ResourceKind::of_objects(kind);
    let index = cx.index.of(resource);
    let mut notes = Vec::new();
    for old in former {
        if let Some(live_old) = index.find(old).name().filter(|n| *n != found) {
            notes.push(format!(
                "{}, a former name, still exists beside it; it is left as it is (with `prune.{}` it is deleted)",
                resource.describe(live_old),
                kind.key()
            ));
        }
    }
    for beside in index.spellings(name).iter().filter(|s| s.as_str() != found) {
        notes.push(format!(
            "{} has the same name by switchboard's name rule (case and surrounding spaces do not count); it is neither managed nor deleted",
            resource.describe(beside)
        ));
    }
    for note in notes {
        cx.warn(resource.describe(name), note);
    }
}

impl Cx<'_> {
    /// Plans the update of the object at `address` (id `id`, found as `found_as`) with
    /// `attributes` (`unchanged` others compared equal), fingerprinted; nothing when no
    /// attribute differs. A `found_as` other than the address's name is a rename.
    pub(super) fn update(
        &mut self,
        address: Address,
        id: &str,
        found_as: &str,
        attributes: Vec<AttributeChange>,
        unchanged: usize,
    ) {
        if attributes.is_empty() {
            return;
        }
        let mut change = Change::new(address.clone(), Action::Update);
        change.id = Some(id.to_string());
        change.renamed_from = (found_as != address.name).then(|| found_as.to_string());
        change.attributes = attributes;
        change.unchanged = unchanged;
        change.fingerprint = self.fingerprint(&address, found_as);
        self.changes.push(change);
    }
}

/// The refused change of a skill or language the org spells otherwise than the manifest
/// (the same name by the name rule): the API cannot rename either, so nothing is done.
fn cannot_rename(kind: ResourceKind, name: &str, live_name: &str, id: &str) -> Change {
    let mut change = Change::new(Address::new(kind, name), Action::Update);
    change.id = Some(id.to_string());
    change.renamed_from = Some(live_name.to_string());
    change.attributes.push(AttributeChange {
        path: "name".into(),
        before: Some(Value::String(live_name.to_string())),
        after: Some(Value::String(name.to_string())),
    });
    change.refused = Some(Refusal {
        reason: RefusalReason::CannotRename,
        message: format!(
            "the org spells it {live_name:?}, the same name by switchboard's name rule; the API cannot rename a {what}, and switchboard never creates one beside the other: spell it {live_name:?} in the manifest",
            what = kind.key()
        ),
    });
    change
}

/// `name` as the attribute every create shows first.
pub(super) fn name_attribute(name: &str) -> AttributeChange {
    AttributeChange {
        path: "name".into(),
        before: None,
        after: Some(Value::String(name.into())),
    }
}

/// The `division` attribute of a skill or wrap-up code, when the manifest sets one.
pub(super) fn division_attribute(
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
        let own = cx
            .find_declared(ResourceKind::Skill, &skill.name, &[])?
            .and_then(|n| live.skills.get_key_value(n));
        // A former name found as another skill than the new name's: a replace, still to
        // start (the new skill absent) or to finish (both exist: an earlier run stopped
        // between creating the new one and deleting the old one).
        let mut former = None;
        for old in &skill.renamed_from {
            let Some((old_name, found)) = cx
                .find_declared(ResourceKind::Skill, old, &[])?
                .and_then(|n| live.skills.get_key_value(n))
            else {
                continue;
            };
            if own.is_none_or(|(_, own)| own.id != found.id) {
                former = Some((old_name, found));
                break;
            }
        }
        if let Some((live_name, found)) = own {
            cx.skill_names.insert(found.id.clone(), skill.name.clone());
            if live_name != &skill.name {
                cx.skill_spelling
                    .insert(found.id.clone(), skill.name.clone());
            }
        }
        match (own, former) {
            (Some((live_name, found)), None) => {
                former_still_live(
                    cx,
                    Kind::Skills,
                    &skill.name,
                    &skill.renamed_from,
                    live_name,
                );
                let division = division_attribute(
                    cx,
                    &object,
                    skill.division.as_ref(),
                    found.division_id.as_deref(),
                )?;
                if live_name != &skill.name {
                    let mut change =
                        cannot_rename(ResourceKind::Skill, &skill.name, live_name, &found.id);
                    change.attributes.extend(division);
                    change.fingerprint = cx.fingerprint(&address, live_name);
                    cx.changes.push(change);
                } else if let Some(division) = division {
                    let mut change = Change::new(address.clone(), Action::Update);
                    change.id = Some(found.id.clone());
                    change.attributes.push(division);
                    change.fingerprint = cx.fingerprint(&address, live_name);
                    cx.changes.push(change);
                }
            }
            (own, Some((old, found))) => {
                cx.creating
                    .insert((ResourceKind::Skill, skill.name.clone()));
                let own_division = own.and_then(|(_, o)| o.division_id.as_deref());
                let mut attributes = vec![AttributeChange {
                    path: "name".into(),
                    before: Some(Value::String(old.clone())),
                    after: Some(Value::String(skill.name.clone())),
                }];
                attributes.extend(division_attribute(
                    cx,
                    &object,
                    skill.division.as_ref(),
                    own_division,
                )?);
                let change = replace(cx, &skill.name, old, found, own.map(|(_, o)| o), attributes);
                cx.changes.push(change);
            }
            (None, None) => {
                cx.creating
                    .insert((ResourceKind::Skill, skill.name.clone()));
                let mut change = Change::new(address, Action::Create);
                change.attributes.push(name_attribute(&skill.name));
                change.attributes.extend(division_attribute(
                    cx,
                    &object,
                    skill.division.as_ref(),
                    None,
                )?);
                cx.changes.push(change);
            }
        }
    }
    Ok(())
}

/// The replace of skill `old` (`found`) by `name`: the API cannot rename a skill, so the new
/// one is created (or, when `own` exists already, taken as it is), every holder of the old
/// one given the new one at the same proficiency, and the old one deleted. Holders of both
/// keep the new skill as it is. Its fingerprint covers the old skill and who holds it, so a
/// holder added after the plan makes the plan stale.
fn replace(
    cx: &mut Cx<'_>,
    name: &str,
    old: &str,
    found: &switchboard_manifest::live::LiveObject,
    own: Option<&switchboard_manifest::live::LiveObject>,
    attributes: Vec<AttributeChange>,
) -> Change {
    let live = cx.live;
    cx.skill_names.insert(found.id.clone(), name.to_string());
    let mut change = Change::new(Address::new(ResourceKind::Skill, name), Action::Replace);
    change.id = Some(found.id.clone());
    change.renamed_from = Some(old.to_string());
    change.attributes = attributes;
    change.elements = live
        .users
        .iter()
        .filter(|(_, user)| own.is_none_or(|own| !user.skills.contains_key(&own.id)))
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
    change.fingerprint = crate::fingerprint::of_replaced(live, old);
    change
}

fn languages(cx: &mut Cx<'_>) -> Result<(), PlanError> {
    let manifest = cx.manifest;
    let live = cx.live;
    for language in &manifest.languages {
        let address = Address::new(ResourceKind::Language, &language.name);
        match cx
            .find_declared(ResourceKind::Language, &language.name, &[])?
            .and_then(|n| live.languages.get_key_value(n))
        {
            Some((live_name, found)) => {
                cx.language_names
                    .insert(found.id.clone(), language.name.clone());
                former_still_live(cx, Kind::Languages, &language.name, &[], live_name);
                if live_name != &language.name {
                    let mut change =
                        cannot_rename(ResourceKind::Language, &language.name, live_name, &found.id);
                    change.fingerprint = cx.fingerprint(&address, live_name);
                    cx.changes.push(change);
                }
            }
            None => {
                cx.creating
                    .insert((ResourceKind::Language, language.name.clone()));
                let mut change = Change::new(address, Action::Create);
                change.attributes = vec![name_attribute(&language.name)];
                cx.changes.push(change);
            }
        }
    }
    Ok(())
}

fn wrapup_codes(cx: &mut Cx<'_>) -> Result<(), PlanError> {
    let manifest = cx.manifest;
    let live = cx.live;
    for code in &manifest.wrapup_codes {
        let address = Address::new(ResourceKind::WrapupCode, &code.name);
        let object = ResourceKind::WrapupCode.describe(&code.name);
        let found = cx
            .find_declared(ResourceKind::WrapupCode, &code.name, &code.renamed_from)?
            .and_then(|n| live.wrapup_codes.get_key_value(n));
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
        former_still_live(
            cx,
            Kind::WrapupCodes,
            &code.name,
            &code.renamed_from,
            found_as,
        );
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
        cx.update(address, &found.id, found_as, attributes, unchanged);
    }
    Ok(())
}

/// The live queue a manifest queue is found as, by the name rule: under its name, or else a
/// former name.
fn found_queue<'a>(
    cx: &Cx<'a>,
    queue: &Queue,
) -> Result<Option<(&'a String, &'a LiveQueue)>, PlanError> {
    let live = cx.live;
    Ok(cx
        .find_declared(ResourceKind::Queue, &queue.name, &queue.renamed_from)?
        .and_then(|n| live.queues.get_key_value(n)))
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
        if let Some((_, found)) = found_queue(cx, queue)? {
            queue_names.insert(found.id.as_str(), queue.name.clone());
        }
    }
    let skill_spelling = cx.skill_spelling.clone();
    let references = cx.references.clone();
    let names = LiveNames::with_queues(live, queue_names)
        .with_skill_spelling(&skill_spelling)
        .with_references(&references);
    for queue in &manifest.queues {
        let address = Address::new(ResourceKind::Queue, &queue.name);
        let object = ResourceKind::Queue.describe(&queue.name);
        if let Some(division) = &queue.division {
            cx.division_id(&object, division)?;
        }
        let mut desired = desired_settings(queue);
        spell_references(&mut desired, &references);
        let Some((found_as, found)) = found_queue(cx, queue)? else {
            let (mut attributes, _) = compare(&desired, None);
            attributes.insert(0, name_attribute(&queue.name));
            let mut change = Change::new(address, Action::Create);
            change.attributes = attributes;
            cx.changes.push(change);
            continue;
        };
        former_still_live(cx, Kind::Queues, &queue.name, &queue.renamed_from, found_as);
        cx.queue_found_as
            .insert(queue.name.clone(), found_as.clone());
        let mut current: Map<String, Value> = live_settings(&queue.name, &found.body, &names);
        if queue
            .member_groups
            .as_ref()
            .is_some_and(|groups| groups.mode == Mode::Additive)
        {
            keep_live_member_groups(&mut desired, &current);
        }
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
        cx.update(address, &found.id, found_as, attributes, unchanged);
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
    let claimed = |kind: ResourceKind| -> NameIndex {
        let names: BTreeSet<&str> = cx
            .changes
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
                ResourceKind::SkillGroup => manifest
                    .skill_groups
                    .iter()
                    .map(|g| g.name.as_str())
                    .collect(),
                ResourceKind::UtilizationLabel => manifest
                    .utilization_labels
                    .iter()
                    .map(|l| l.name.as_str())
                    .collect(),
                _ => manifest.queues.iter().map(|q| q.name.as_str()).collect(),
            })
            .collect();
        NameIndex::new(names)
    };
    let scope = safety::ScopeFilter::new(manifest, live);
    let mut deletes = Vec::new();
    let mut candidates =
        |kind: Kind, resource: ResourceKind, objects: Vec<(&String, &String, Option<&String>)>| {
            let claimed = claimed(resource);
            for (name, id, division) in objects {
                // A name the manifest declares, spelt in any way the name rule accepts, is
                // never pruned.
                if claimed.contains(name)
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
    if prune.skill_groups {
        candidates(
            Kind::SkillGroups,
            ResourceKind::SkillGroup,
            live.skill_groups
                .iter()
                .map(|(n, g)| (n, &g.id, g.division_id.as_ref()))
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
    if prune.utilization_labels {
        candidates(
            Kind::UtilizationLabels,
            ResourceKind::UtilizationLabel,
            live.utilization_labels
                .iter()
                .map(|(n, l)| (n, &l.id, None))
                .collect(),
        );
    }
    super::skill_groups::refuse_in_use(live, &mut deletes);
    super::labels::refuse_in_use(live, &mut deletes);
    cx.changes.extend(deletes);
}
