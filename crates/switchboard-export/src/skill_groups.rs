//! Skill groups as the manifest writes them: conditions by skill and language name (spelt as
//! the exported skills and languages are), divisions by name, member divisions as read.

use std::collections::BTreeMap;

use serde_json::Value;
use switchboard_manifest::live::LiveSkillGroup;
use switchboard_manifest::model::{Kind, SkillCondition, SkillGroup};
use switchboard_manifest::names::name_key;
use switchboard_manifest::{Live, Manifest};

/// Every skill group of `live` that reads whole, and a `(subject, message)` note for each
/// left out. `manifest` holds the skills and languages being exported: a condition naming
/// one it lacks would not load, so that skill group is left out, saying why.
pub(crate) fn skill_groups(
    live: &Live,
    manifest: &Manifest,
    non_home_division: impl Fn(Option<&str>) -> Option<String>,
    division_name: impl Fn(&str) -> Option<String>,
) -> (Vec<SkillGroup>, Vec<(String, String)>) {
    let spelling = |kind: Kind| -> BTreeMap<String, String> {
        manifest
            .names(kind)
            .into_iter()
            .map(|name| (name_key(name), name.to_string()))
            .collect()
    };
    let (skills, languages) = (spelling(Kind::Skills), spelling(Kind::Languages));
    let mut groups = Vec::new();
    let mut notes = Vec::new();
    for (name, group) in &live.skill_groups {
        let subject = format!("skill group {name:?}");
        match one(group, &skills, &languages, &division_name) {
            Ok((conditions, member_divisions)) => groups.push(SkillGroup {
                name: name.clone(),
                description: group
                    .body
                    .as_ref()
                    .and_then(|b| b.get("description"))
                    .and_then(Value::as_str)
                    .filter(|d| !d.trim().is_empty())
                    .map(String::from),
                division: non_home_division(group.division_id.as_deref()),
                skill_conditions: conditions,
                member_divisions,
                ..SkillGroup::default()
            }),
            Err(why) => notes.push((subject, format!("{why}; not written"))),
        }
    }
    (groups, notes)
}

type Converted = (Vec<SkillCondition>, Option<Vec<String>>);

fn one(
    group: &LiveSkillGroup,
    skills: &BTreeMap<String, String>,
    languages: &BTreeMap<String, String>,
    division_name: &impl Fn(&str) -> Option<String>,
) -> Result<Converted, String> {
    let body = group.body.as_ref().ok_or("its definition was not read")?;
    let mut conditions =
        switchboard_plan::skill_conditions(body.get("skillConditions").unwrap_or(&Value::Null));
    respell(&mut conditions, skills, languages)?;
    let conditions: Vec<SkillCondition> = serde_json::from_value(conditions)
        .map_err(|e| format!("its conditions are not what the manifest can hold ({e})"))?;
    let member_divisions = match &group.member_division_ids {
        Some(ids) => {
            let mut names = ids
                .iter()
                .map(|id| {
                    division_name(id).ok_or(format!(
                        "member division {id} is not in the org's division listing"
                    ))
                })
                .collect::<Result<Vec<String>, String>>()?;
            names.sort();
            Some(names)
        }
        None => None,
    };
    Ok((conditions, member_divisions))
}

/// Spells every skill and language as the exported ones are; one the export lacks is an
/// error naming it.
fn respell(
    value: &mut Value,
    skills: &BTreeMap<String, String>,
    languages: &BTreeMap<String, String>,
) -> Result<(), String> {
    switchboard_plan::rename_condition_names(value, |key, name| {
        let (names, what) = if key == "routingSkill" {
            (skills, "skill")
        } else {
            (languages, "language")
        };
        names.get(&name_key(name)).cloned().ok_or_else(|| {
            format!("a condition names {what} {name:?}, which the org does not have")
        })
    })
}
