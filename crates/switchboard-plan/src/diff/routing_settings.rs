//! The org's routing settings (`routingSettings`), diffed field by field over its three parts:
//! `resetAgentScoreOnPresenceChange`, `contactCenter.removeSkillsFromBlindTransfer`,
//! `transcription.transcriptionConfidenceThreshold`, ... Only the fields the manifest sets
//! are compared; a part it sets none of is neither read nor shown.

use serde_json::{Map, Value};
use switchboard_manifest::live::LiveRoutingSettings;
use switchboard_manifest::model::SettingsPart;

use super::Cx;
use super::capacity::ORG;
use crate::model::{Action, Address, AttributeChange, Change, ResourceKind};

/// One change, `routing_settings["org"]`, with an attribute per field that differs.
pub(super) fn plan(cx: &mut Cx<'_>) {
    let Some(wanted) = cx
        .manifest
        .routing_settings
        .as_ref()
        .filter(|w| w.manages_any())
    else {
        return;
    };
    let address = Address::new(ResourceKind::RoutingSettings, ORG);
    if !cx.policy.targets(&address) {
        return;
    }
    let subject = ResourceKind::RoutingSettings.describe(ORG);
    let Some(read) = cx.live.routing_settings.as_ref() else {
        cx.warn(&subject, "they were not read; not compared");
        return;
    };
    let mut attributes = Vec::new();
    let mut unchanged = 0;
    for part in SettingsPart::ALL {
        let fields = wanted.wanted(part);
        if fields.is_empty() {
            continue;
        }
        let Some(have) = part_of(read, part) else {
            cx.warn(
                &subject,
                format!("{} was not read; not compared", part_name(part)),
            );
            continue;
        };
        for (field, after) in fields {
            let before = have.get(&field).filter(|v| !v.is_null()).cloned();
            if before.as_ref() == Some(&after) {
                unchanged += 1;
            } else {
                attributes.push(AttributeChange {
                    path: part.path(&field),
                    before,
                    after: Some(after),
                });
            }
        }
    }
    if attributes.is_empty() {
        return;
    }
    let mut change = Change::new(address.clone(), Action::Update);
    // The org is the object: its id is what the audit trail names.
    change.id = Some(cx.live.org.id.clone());
    change.attributes = attributes;
    change.unchanged = unchanged;
    change.fingerprint = cx.fingerprint(&address, ORG);
    cx.changes.push(change);
}

/// The part of the settings as read (`None`: not read).
pub fn part_of(read: &LiveRoutingSettings, part: SettingsPart) -> Option<&Map<String, Value>> {
    match part {
        SettingsPart::Settings => read.settings.as_ref(),
        SettingsPart::ContactCenter => read.contact_center.as_ref(),
        SettingsPart::Transcription => read.transcription.as_ref(),
    }
}

/// How a person reads a part: `the routing settings`, `the contact center settings`, ...
fn part_name(part: SettingsPart) -> &'static str {
    match part {
        SettingsPart::Settings => "the routing settings",
        SettingsPart::ContactCenter => "the contact center settings",
        SettingsPart::Transcription => "the transcription settings",
    }
}

/// The fields of `part` a change sets, by their API names, with their new values (what a
/// `PATCH` sends); empty when it sets none.
pub fn changed_settings(part: SettingsPart, attributes: &[AttributeChange]) -> Map<String, Value> {
    attributes
        .iter()
        .filter_map(|attribute| {
            let (of, field) = SettingsPart::of_path(&attribute.path);
            let after = attribute.after.as_ref()?;
            (of == part).then(|| (field.to_string(), after.clone()))
        })
        .collect()
}

/// The body to write for `part` whole (a `PUT`): the part as read with the change's fields
/// of it set, or `None` when the change sets none of its fields.
pub fn updated_settings(
    read: &Map<String, Value>,
    part: SettingsPart,
    attributes: &[AttributeChange],
) -> Option<Map<String, Value>> {
    let changed = changed_settings(part, attributes);
    if changed.is_empty() {
        return None;
    }
    let mut body = read.clone();
    body.extend(changed);
    Some(body)
}
