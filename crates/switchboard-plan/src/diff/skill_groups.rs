//! Skill groups: creates, updates (description, division, conditions, member divisions),
//! renames (`renamedFrom`), and the refusal to delete one a queue still uses.
//!
//! Conditions are compared as the API writes them, skill and language names by the one name
//! rule. Member divisions are compared as sets, by division.

use std::collections::BTreeSet;

use serde_json::{Map, Value};
use switchboard_manifest::Live;
use switchboard_manifest::model::{Kind, SkillGroup};
use switchboard_manifest::names::name_key;

use super::objects::{division_attribute, former_still_live, name_attribute};
use super::{Cx, PlanError};
use crate::model::{
    Action, Address, AttributeChange, Change, Refusal, RefusalReason, ResourceKind,
};

pub(super) fn plan(cx: &mut Cx<'_>) -> Result<(), PlanError> {
    let manifest = cx.manifest;
    let live = cx.live;
    for group in &manifest.skill_groups {
        let address = Address::new(ResourceKind::SkillGroup, &group.name);
        let object = ResourceKind::SkillGroup.describe(&group.name);
        let conditions = desired_conditions(group);
        let members = desired_member_divisions(cx, &object, group)?;
        let found = cx
            .find_declared(ResourceKind::SkillGroup, &group.name, &group.renamed_from)?
            .and_then(|n| live.skill_groups.get_key_value(n));
        let Some((found_as, found)) = found else {
            cx.creating
                .insert((ResourceKind::SkillGroup, group.name.clone()));
            let mut change = Change::new(address, Action::Create);
            change.attributes.push(name_attribute(&group.name));
            if let Some(description) = &group.description {
                change
                    .attributes
                    .push(set("description", None, text(description)));
            }
            change.attributes.extend(division_attribute(
                cx,
                &object,
                group.division.as_ref(),
                None,
            )?);
            change
                .attributes
                .push(set("skillConditions", None, conditions));
            if let Some((_, names)) = members {
                change
                    .attributes
                    .push(set("memberDivisions", None, names_value(&names)));
            }
            cx.changes.push(change);
            continue;
        };
        former_still_live(
            cx,
            Kind::SkillGroups,
            &group.name,
            &group.renamed_from,
            found_as,
        );
        // A full read (`switchboard_fetch::fetch`, and apply's) reads the definition of every
        // declared skill group it lists, or fails; only a targeted read (`drift --since`,
        // `watch`) leaves the unchanged ones unread, and those are not compared: nothing is
        // planned from a definition not seen.
        let Some(body) = &found.body else {
            continue;
        };
        let mut attributes = Vec::new();
        let mut unchanged = 0;
        if found_as != &group.name {
            attributes.push(set("name", Some(text(found_as)), text(&group.name)));
        }
        if let Some(description) = &group.description {
            let current = body.get("description").and_then(Value::as_str);
            if current.unwrap_or_default() == description {
                unchanged += 1;
            } else {
                attributes.push(set("description", current.map(text), text(description)));
            }
        }
        match division_attribute(
            cx,
            &object,
            group.division.as_ref(),
            found.division_id.as_deref(),
        )? {
            Some(division) => attributes.push(division),
            None => unchanged += usize::from(group.division.is_some()),
        }
        let current = normalized(body.get("skillConditions").unwrap_or(&Value::Null));
        if by_name_rule(&current) == by_name_rule(&conditions) {
            unchanged += 1;
        } else {
            attributes.push(set("skillConditions", Some(current), conditions));
        }
        if let Some((wanted, names)) = members {
            // Read with the definition, or (targeted read) not at all.
            match &found.member_division_ids {
                Some(current) if *current == wanted => unchanged += 1,
                Some(current) => {
                    let mut before: Vec<String> =
                        current.iter().map(|id| cx.division_name(id)).collect();
                    before.sort();
                    attributes.push(set(
                        "memberDivisions",
                        Some(names_value(&before)),
                        names_value(&names),
                    ));
                }
                None => {}
            }
        }
        cx.update(address, &found.id, found_as, attributes, unchanged);
    }
    Ok(())
}

/// Refuses the deletes of skill groups a live queue still names (as a member group, in a
/// bullseye ring, or in a conditional group routing or activation rule): the queue would
/// lose those members without the plan showing it. Removing the group from the queue first
/// lets a later plan delete it.
pub(super) fn refuse_in_use(live: &Live, deletes: &mut [Change]) {
    for change in deletes
        .iter_mut()
        .filter(|c| c.address.kind == ResourceKind::SkillGroup)
    {
        let Some(id) = change.id.as_deref() else {
            continue;
        };
        let users: Vec<&str> = live
            .queues
            .iter()
            .filter(|(_, queue)| names_skill_group(&queue.body, id))
            .map(|(name, _)| name.as_str())
            .collect();
        if users.is_empty() {
            continue;
        }
        change.refused = Some(Refusal {
            reason: RefusalReason::InUse,
            message: format!(
                "queue{} {} still use{} it as a member group; remove it from {} first, and a later plan deletes it",
                if users.len() == 1 { "" } else { "s" },
                users
                    .iter()
                    .map(|name| format!("{name:?}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                if users.len() == 1 { "s" } else { "" },
                if users.len() == 1 {
                    "that queue"
                } else {
                    "those queues"
                },
            ),
        });
    }
}

/// Whether a queue's API body names the skill group `id` anywhere (`{id, type: SKILLGROUP}`).
fn names_skill_group(value: &Value, id: &str) -> bool {
    match value {
        Value::Array(items) => items.iter().any(|v| names_skill_group(v, id)),
        Value::Object(map) => {
            let this = map.get("id").and_then(Value::as_str) == Some(id)
                && map.get("type").and_then(Value::as_str) == Some("SKILLGROUP");
            this || map.values().any(|v| names_skill_group(v, id))
        }
        _ => false,
    }
}

/// The manifest's conditions as the API writes them.
fn desired_conditions(group: &SkillGroup) -> Value {
    normalized(&serde_json::to_value(&group.skill_conditions).unwrap_or(Value::Null))
}

/// Member divisions as ids, and as sorted names.
type MemberDivisions = (BTreeSet<String>, Vec<String>);

/// The member divisions the manifest sets, as ids (checked to exist) and sorted names.
fn desired_member_divisions(
    cx: &Cx<'_>,
    object: &str,
    group: &SkillGroup,
) -> Result<Option<MemberDivisions>, PlanError> {
    let Some(divisions) = &group.member_divisions else {
        return Ok(None);
    };
    let mut ids = BTreeSet::new();
    for division in divisions {
        ids.insert(cx.division_id(object, division)?.to_string());
    }
    let mut names = divisions.clone();
    names.sort();
    names.dedup();
    Ok(Some((ids, names)))
}

/// Skill group conditions (API JSON) with only what the API defines, in one shape (the
/// plan's, and the manifest's once names are spelt as it declares them): each
/// condition `{routingSkillConditions, languageSkillConditions, operation}`, each comparison
/// `{routingSkill | languageSkill, comparator, proficiency, childConditions?}` (left out when
/// empty), whole proficiencies as integers. Anything else is not compared.
pub fn normalized(conditions: &Value) -> Value {
    let list = |value: Option<&Value>| -> Vec<Value> {
        value.and_then(Value::as_array).cloned().unwrap_or_default()
    };
    Value::Array(
        list(Some(conditions))
            .iter()
            .map(|condition| {
                let mut out = Map::new();
                for (key, skill) in [
                    ("routingSkillConditions", "routingSkill"),
                    ("languageSkillConditions", "languageSkill"),
                ] {
                    let comparisons = list(condition.get(key))
                        .iter()
                        .map(|c| comparison(c, skill))
                        .collect();
                    out.insert(key.into(), Value::Array(comparisons));
                }
                out.insert(
                    "operation".into(),
                    condition.get("operation").cloned().unwrap_or(Value::Null),
                );
                Value::Object(out)
            })
            .collect(),
    )
}

fn comparison(c: &Value, skill: &str) -> Value {
    let mut out = Map::new();
    for key in [skill, "comparator"] {
        out.insert(key.into(), c.get(key).cloned().unwrap_or(Value::Null));
    }
    let proficiency = c.get("proficiency").cloned().unwrap_or(Value::Null);
    let proficiency = match proficiency.as_f64() {
        #[allow(clippy::cast_possible_truncation)]
        Some(p) if p.fract() == 0.0 && p.abs() < 1e15 => Value::from(p as i64),
        _ => proficiency,
    };
    out.insert("proficiency".into(), proficiency);
    let children = normalized(c.get("childConditions").unwrap_or(&Value::Null));
    if children.as_array().is_some_and(|a| !a.is_empty()) {
        out.insert("childConditions".into(), children);
    }
    Value::Object(out)
}

/// Normalized conditions with skill and language names by the name rule, for comparing.
fn by_name_rule(value: &Value) -> Value {
    let mut value = value.clone();
    let _: Result<(), ()> = rename_condition_names(&mut value, |_, name| Ok(name_key(name)));
    value
}

/// Replaces every skill (`routingSkill`) and language (`languageSkill`) name in skill group
/// conditions (API JSON, at any depth) by what `rename(key, name)` answers, or stops at its
/// first error.
pub fn rename_condition_names<E>(
    conditions: &mut Value,
    mut rename: impl FnMut(&str, &str) -> Result<String, E>,
) -> Result<(), E> {
    fn walk<E>(
        value: &mut Value,
        rename: &mut impl FnMut(&str, &str) -> Result<String, E>,
    ) -> Result<(), E> {
        match value {
            Value::Array(items) => items.iter_mut().try_for_each(|v| walk(v, rename)),
            Value::Object(map) => {
                for (key, v) in map.iter_mut() {
                    match (key.as_str(), v.as_str()) {
                        ("routingSkill" | "languageSkill", Some(name)) => {
                            *v = Value::String(rename(key, name)?);
                        }
                        _ => walk(v, rename)?,
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
    walk(conditions, &mut rename)
}

fn set(path: &str, before: Option<Value>, after: Value) -> AttributeChange {
    AttributeChange {
        path: path.into(),
        before,
        after: Some(after),
    }
}

fn text(s: &str) -> Value {
    Value::String(s.to_string())
}

fn names_value(names: &[String]) -> Value {
    Value::Array(names.iter().map(|n| text(n)).collect())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn conditions_compare_as_the_api_defines_them_with_names_by_the_rule() {
        let live = json!([{
            "routingSkillConditions": [{"routingSkill": "billing ", "comparator": "GreaterThan",
                "proficiency": 3.0, "childConditions": []}],
            "languageSkillConditions": [],
            "operation": "And",
            "extra": 1
        }]);
        let manifest = json!([{
            "routingSkillConditions": [{"routingSkill": "Billing", "comparator": "GreaterThan",
                "proficiency": 3}],
            "operation": "And"
        }]);
        assert_eq!(
            by_name_rule(&normalized(&live)),
            by_name_rule(&normalized(&manifest))
        );
        let other = json!([{
            "routingSkillConditions": [{"routingSkill": "Billing", "comparator": "GreaterThan",
                "proficiency": 4}],
            "operation": "And"
        }]);
        assert_ne!(
            by_name_rule(&normalized(&live)),
            by_name_rule(&normalized(&other))
        );
    }

    #[test]
    fn a_queue_names_a_skill_group_at_any_depth_and_only_as_a_skill_group() {
        let body = json!({"bullseye": {"rings": [{"memberGroups": [{"id": "g1", "type": "SKILLGROUP"}]}]}});
        assert!(names_skill_group(&body, "g1"));
        assert!(!names_skill_group(&body, "g2"));
        let team = json!({"memberGroups": [{"id": "g1", "type": "TEAM"}]});
        assert!(!names_skill_group(&team, "g1"));
    }
}
