//! The manifest as a directory of YAML files, the layout of `examples/contact-center`:
//! `org.yaml` (version, org guard, scope), `skills.yaml`, `languages.yaml`,
//! `wrapup-codes.yaml`, `skill-groups.yaml`, `queues/<division>.yaml` (one file per division, queues sorted by
//! name) and `agents.yaml`. Every file repeats `version: 1` so that it reads on its own.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_yaml_ng::{Mapping, Number, Value};
use switchboard_manifest::Manifest;
use switchboard_manifest::model::Queue;

use crate::convert::RawNote;
use crate::fit::whole;
use crate::{ExportError, ExportFile, Note, Section, slug};

const ORG: &str = "org.yaml";

/// The files of `manifest`, sorted by path, with `notes` as comments at the top of the file
/// each concerns (a section without objects has its notes in `org.yaml`).
pub(crate) fn render(
    manifest: &Manifest,
    notes: Vec<RawNote>,
) -> Result<(Vec<ExportFile>, Vec<Note>), ExportError> {
    let queue_files = queue_files(&manifest.queues);
    let mut bodies: BTreeMap<String, Mapping> = BTreeMap::new();
    let mut org = document();
    org.insert("org".into(), to_yaml(ORG, &manifest.org)?);
    if let Some(scope) = &manifest.scope {
        org.insert("scope".into(), to_yaml(ORG, scope)?);
    }
    if let Some(settings) = &manifest.routing_settings {
        org.insert("routingSettings".into(), to_yaml(ORG, settings)?);
    }
    bodies.insert(ORG.into(), org);
    list_file(
        &mut bodies,
        &section_file(Section::Skills),
        Section::Skills,
        &manifest.skills,
    )?;
    list_file(
        &mut bodies,
        &section_file(Section::Languages),
        Section::Languages,
        &manifest.languages,
    )?;
    list_file(
        &mut bodies,
        &section_file(Section::WrapupCodes),
        Section::WrapupCodes,
        &manifest.wrapup_codes,
    )?;
    list_file(
        &mut bodies,
        &section_file(Section::SkillGroups),
        Section::SkillGroups,
        &manifest.skill_groups,
    )?;
    for (division, file) in &queue_files {
        let queues: Vec<&Queue> = manifest
            .queues
            .iter()
            .filter(|q| &q.division == division)
            .collect();
        list_file(&mut bodies, file, Section::Queues, &queues)?;
    }
    list_file(
        &mut bodies,
        &section_file(Section::Agents),
        Section::Agents,
        &manifest.agents,
    )?;

    let mut placed: Vec<Note> = notes
        .into_iter()
        .map(|note| {
            let file = match note.section {
                Some(Section::Queues) => queue_files.get(&note.division).cloned(),
                Some(other) => Some(section_file(other)),
                None => None,
            }
            .filter(|file| bodies.contains_key(file))
            .unwrap_or_else(|| ORG.to_string());
            Note {
                file,
                subject: note.subject,
                message: note.message,
            }
        })
        .collect();
    placed.sort();
    placed.dedup();

    let org_name = one_line(&manifest.org.name.clone().unwrap_or_default());
    let mut files = Vec::new();
    for (path, body) in bodies {
        let mut text = format!("# Written by `switchboard export` from org \"{org_name}\".\n");
        let here: Vec<&Note> = placed.iter().filter(|n| n.file == path).collect();
        if !here.is_empty() {
            text.push_str("#\n# Not written as the org has it:\n");
            for note in here {
                text.push_str(&format!(
                    "# - {}: {}\n",
                    one_line(&note.subject),
                    one_line(&note.message)
                ));
            }
        }
        let yaml =
            serde_yaml_ng::to_string(&Value::Mapping(body)).map_err(|e| ExportError::Yaml {
                file: path.clone(),
                message: e.to_string(),
            })?;
        text.push_str(&yaml);
        files.push(ExportFile {
            path,
            contents: text,
        });
    }
    Ok((files, placed))
}

/// Adds the file `file` holding `items` under `section`'s key, unless there are none.
fn list_file<T: Serialize>(
    bodies: &mut BTreeMap<String, Mapping>,
    file: &str,
    section: Section,
    items: &[T],
) -> Result<(), ExportError> {
    if !items.is_empty() {
        let mut body = document();
        body.insert(section.key().into(), to_yaml(file, &items)?);
        bodies.insert(file.into(), body);
    }
    Ok(())
}

/// `org.yaml` and every section's file but the queues' folder.
pub(crate) fn top_level_files() -> Vec<String> {
    std::iter::once(ORG.to_string())
        .chain(
            Section::ALL
                .into_iter()
                .filter(|s| *s != Section::Queues)
                .map(section_file),
        )
        .collect()
}

fn section_file(section: Section) -> String {
    match section {
        Section::Skills => "skills.yaml",
        Section::Languages => "languages.yaml",
        Section::WrapupCodes => "wrapup-codes.yaml",
        Section::SkillGroups => "skill-groups.yaml",
        Section::Queues => "queues",
        Section::Agents => "agents.yaml",
    }
    .to_string()
}

/// The file of each division's queues: `queues/<slug>.yaml`, `queues/no-division.yaml` for
/// queues without one; two divisions with the same slug are told apart by `-2`, `-3`, ...
/// in the order of their names.
fn queue_files(queues: &[Queue]) -> BTreeMap<Option<String>, String> {
    let divisions: std::collections::BTreeSet<&Option<String>> =
        queues.iter().map(|q| &q.division).collect();
    let mut taken: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut files = BTreeMap::new();
    for division in divisions {
        let base = division
            .as_deref()
            .map_or_else(|| "no-division".to_string(), slug);
        let mut name = base.clone();
        let mut n = 2;
        while !taken.insert(name.clone()) {
            name = format!("{base}-{n}");
            n += 1;
        }
        files.insert(division.clone(), format!("queues/{name}.yaml"));
    }
    files
}

/// A mapping that starts with `version: 1`.
fn document() -> Mapping {
    let mut body = Mapping::new();
    body.insert("version".into(), Value::Number(Number::from(1)));
    body
}

/// `value` as YAML, whole numbers written without a fraction (`4`, not `4.0`).
fn to_yaml<T: Serialize>(file: &str, value: &T) -> Result<Value, ExportError> {
    let mut yaml = serde_yaml_ng::to_value(value).map_err(|e| ExportError::Yaml {
        file: file.to_string(),
        message: e.to_string(),
    })?;
    whole_numbers(&mut yaml);
    Ok(yaml)
}

fn whole_numbers(value: &mut Value) {
    match value {
        Value::Number(n) => {
            if let Some(whole) = n.as_f64().filter(|_| n.is_f64()).and_then(whole) {
                *n = Number::from(whole);
            }
        }
        Value::Sequence(items) => items.iter_mut().for_each(whole_numbers),
        Value::Mapping(map) => map.values_mut().for_each(whole_numbers),
        Value::Tagged(tagged) => whole_numbers(&mut tagged.value),
        _ => {}
    }
}

/// Text for a one-line comment.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}
