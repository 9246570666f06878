//! Agents' capacity (routing utilization), diffed per field: `chat.maximumCapacity`,
//! `chat.interruptableMediaTypes`, `chat.includeNonAcd`, `maxInboundCalls`, and `level`
//! (`Agent`: the agent's own settings; `Organization`: the org default applies).
//!
//! The API replaces an agent's utilization whole (`PUT`), so apply writes what it reads with
//! only the fields shown here changed; media types and label utilizations the manifest does
//! not list are never shown and never changed.

use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

use switchboard_manifest::live::{LiveLabelUtilization, LiveMediaUtilization, LiveUtilization};
use switchboard_manifest::model::{Capacity, CapacityMode, MediaType};
use switchboard_manifest::names::name_key;

use super::Cx;
use super::collections::active_user;
use crate::model::{Action, Address, AttributeChange, Change, ResourceKind};

/// The `level` of an agent with settings of its own.
pub const AGENT_LEVEL: &str = "Agent";
/// The `level` of an agent the org default applies to.
pub const ORGANIZATION_LEVEL: &str = "Organization";

pub(super) fn plan(cx: &mut Cx<'_>) {
    let manifest = cx.manifest;
    for agent in &manifest.agents {
        let Some(capacity) = agent
            .capacity
            .as_ref()
            .filter(|c| c.mode != CapacityMode::Ignore)
        else {
            continue;
        };
        let email = agent.user.to_lowercase();
        let address = Address::new(ResourceKind::AgentCapacity, &email);
        if !cx.policy.targets(&address) {
            continue;
        }
        let subject = ResourceKind::AgentCapacity.describe(&email);
        let Some(user) = active_user(cx, || subject.clone(), &email) else {
            continue;
        };
        // A full read reads every managed capacity; a targeted one (drift --since, watch)
        // reads only the changed agents', and compares only those. Unread, nothing is
        // planned for it: a write needs the read it keeps the rest of.
        let Some(read) = user.utilization.as_ref() else {
            cx.warn(&subject, "its utilization was not read; not compared");
            continue;
        };
        let labels = label_names(cx.live);
        let (attributes, unchanged) = changes(capacity, read, true, &labels);
        if attributes.is_empty() {
            continue;
        }
        let mut change = Change::new(address.clone(), Action::Update);
        change.id = Some(user.id.clone());
        change.mode = match capacity.mode {
            CapacityMode::Authoritative => Some(switchboard_manifest::model::Mode::Authoritative),
            CapacityMode::Additive => Some(switchboard_manifest::model::Mode::Additive),
            CapacityMode::OrgDefault | CapacityMode::Ignore => None,
        };
        change.attributes = attributes;
        change.unchanged = unchanged;
        change.fingerprint = cx.fingerprint(&address, &email);
        cx.changes.push(change);
    }
}

/// The org's utilization (`utilization`), compared as an agent's capacity is, without a
/// `level`. Read only when managed; unread (a targeted read), it is not compared.
pub(super) fn org(cx: &mut Cx<'_>) {
    let Some(utilization) = cx
        .manifest
        .utilization
        .as_ref()
        .filter(|u| u.mode != CapacityMode::Ignore)
    else {
        return;
    };
    let address = Address::new(ResourceKind::OrgUtilization, ORG);
    if !cx.policy.targets(&address) {
        return;
    }
    let subject = ResourceKind::OrgUtilization.describe(ORG);
    let Some(read) = cx.live.org_utilization.as_ref() else {
        cx.warn(&subject, "it was not read; not compared");
        return;
    };
    let labels = label_names(cx.live);
    let (attributes, unchanged) = changes(utilization, read, false, &labels);
    if attributes.is_empty() {
        return;
    }
    let mut change = Change::new(address.clone(), Action::Update);
    // The org is the object: its id is what the audit trail names.
    change.id = Some(cx.live.org.id.clone());
    change.mode = match utilization.mode {
        CapacityMode::Additive => Some(switchboard_manifest::model::Mode::Additive),
        _ => Some(switchboard_manifest::model::Mode::Authoritative),
    };
    change.attributes = attributes;
    change.unchanged = unchanged;
    change.fingerprint = cx.fingerprint(&address, ORG);
    cx.changes.push(change);
}

/// The name of the org's utilization and of its routing settings in addresses: there is one
/// of each per org.
pub const ORG: &str = "org";

/// The fields `capacity` changes in `read`, in path order, and how many it manages that are
/// already as it says; `level` too for an agent (`agent`).
pub(crate) fn changes(
    capacity: &Capacity,
    read: &LiveUtilization,
    agent: bool,
    label_names: &BTreeMap<&str, &str>,
) -> (Vec<AttributeChange>, usize) {
    let mut attributes = Vec::new();
    // Label utilizations `authoritative` removes: set apart, as `compare` holds `attributes`.
    let mut removed = Vec::new();
    let mut unchanged = 0;
    let mut compare = |path: String, before: Option<Value>, after: Value| {
        if before.as_ref() == Some(&after) {
            unchanged += 1;
        } else {
            attributes.push(AttributeChange {
                path,
                before,
                after: Some(after),
            });
        }
    };
    let level = read.level.as_deref().unwrap_or(ORGANIZATION_LEVEL);
    if capacity.mode == CapacityMode::OrgDefault {
        compare(
            "level".into(),
            Some(json!(level)),
            json!(ORGANIZATION_LEVEL),
        );
        return (attributes, unchanged);
    }
    let authoritative = capacity.mode == CapacityMode::Authoritative;
    for (media, wanted) in capacity.media() {
        let have = read.utilization.get(media.as_str());
        let at = |field: &str| format!("{}.{field}", media.as_str());
        if let Some(max) = wanted.maximum_capacity {
            compare(
                at("maximumCapacity"),
                have.and_then(|h| h.maximum_capacity).map(Value::from),
                json!(max),
            );
        }
        let interrupting = wanted
            .interruptable_media_types
            .as_ref()
            .map(|types| media_names(types.iter().map(|m| m.as_str())))
            .or_else(|| authoritative.then(Vec::new));
        if let Some(interrupting) = interrupting {
            let before = have
                .and_then(|h| h.interruptable_media_types.as_ref())
                .map(|types| json!(media_names(types.iter().map(String::as_str))));
            compare(at("interruptableMediaTypes"), before, json!(interrupting));
        }
        let non_acd = wanted
            .include_non_acd
            .or_else(|| authoritative.then_some(false));
        if let Some(non_acd) = non_acd {
            compare(
                at("includeNonAcd"),
                have.and_then(|h| h.include_non_acd).map(Value::from),
                json!(non_acd),
            );
        }
    }
    if let Some(wanted) = &capacity.labels {
        // The read's label utilizations by name (the org's listing, else the read's
        // `labelName`, else the id), keyed by the name rule.
        let have: BTreeMap<String, (String, &LiveLabelUtilization)> = read
            .label_utilizations
            .iter()
            .map(|(id, entry)| {
                let name = label_names
                    .get(id.as_str())
                    .map(|n| (*n).to_string())
                    .or_else(|| entry.label_name.clone())
                    .unwrap_or_else(|| id.clone());
                (name_key(&name), (name, entry))
            })
            .collect();
        let names_of = |ids: &[String]| -> Vec<String> {
            let names: BTreeSet<String> = ids
                .iter()
                .map(|id| {
                    label_names
                        .get(id.as_str())
                        .map_or_else(|| id.clone(), |n| (*n).to_string())
                })
                .collect();
            names.into_iter().collect()
        };
        for (name, settings) in wanted {
            let current = have.get(&name_key(name)).map(|(_, entry)| *entry);
            let at = |field: &str| format!("labels.{name}.{field}");
            if let Some(max) = settings.maximum_capacity {
                compare(
                    at("maximumCapacity"),
                    current.and_then(|c| c.maximum_capacity).map(Value::from),
                    json!(max),
                );
            }
            let interrupting = settings
                .interrupting_labels
                .as_ref()
                .map(|names| {
                    let set: BTreeSet<&String> = names.iter().collect();
                    set.into_iter().cloned().collect::<Vec<String>>()
                })
                .or_else(|| authoritative.then(Vec::new));
            if let Some(interrupting) = interrupting {
                let before = current
                    .and_then(|c| c.interrupting_label_ids.as_deref())
                    .map(|ids| json!(names_of(ids)));
                compare(at("interruptingLabels"), before, json!(interrupting));
            }
        }
        if authoritative {
            let listed: BTreeSet<String> = wanted.keys().map(|n| name_key(n)).collect();
            for (key, (name, entry)) in &have {
                if !listed.contains(key) {
                    removed.push(AttributeChange {
                        path: format!("labels.{name}"),
                        before: Some(json!({
                            "maximumCapacity": entry.maximum_capacity,
                            "interruptingLabels": names_of(entry.interrupting_label_ids.as_deref().unwrap_or_default()),
                        })),
                        after: None,
                    });
                }
            }
        }
    }
    if let Some(max) = capacity.max_inbound_calls {
        compare(
            "maxInboundCalls".into(),
            read.max_inbound_calls.map(Value::from),
            json!(max),
        );
    }
    if agent {
        compare("level".into(), Some(json!(level)), json!(AGENT_LEVEL));
    }
    attributes.extend(removed);
    attributes.sort_by(|a, b| a.path.cmp(&b.path));
    (attributes, unchanged)
}

/// Label id → name, as the org's label listing gives them.
fn label_names(live: &switchboard_manifest::Live) -> BTreeMap<&str, &str> {
    live.utilization_labels
        .iter()
        .map(|(name, label)| (label.id.as_str(), name.as_str()))
        .collect()
}

/// Media type names sorted and once each: the API's lists are sets.
fn media_names<'a>(names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let set: std::collections::BTreeSet<&str> = names.collect();
    set.into_iter().map(str::to_string).collect()
}

/// `read` with the planned `attributes` set: the body apply writes (media types, labels and
/// fields the plan does not show are as read). `Ok(None)` when the plan returns the agent to
/// the org default (apply deletes the agent's settings instead); an error names an attribute
/// no plan holds, or a label `label_id` does not resolve (by name, to its id as it is now).
pub fn updated_capacity(
    read: &LiveUtilization,
    attributes: &[AttributeChange],
    label_id: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<LiveUtilization>, String> {
    let mut body = read.clone();
    let unknown = |path: &str| format!("a capacity change of `{path}`, which no plan holds");
    let id_of = |name: &str| {
        label_id(name).ok_or_else(|| format!("utilization label {name:?} does not exist"))
    };
    for attribute in attributes {
        let after = attribute.after.as_ref();
        if let Some(rest) = attribute.path.strip_prefix("labels.") {
            let (name, field) = match rest.rsplit_once('.') {
                Some((name, field @ ("maximumCapacity" | "interruptingLabels"))) => {
                    (name, Some(field))
                }
                _ => (rest, None),
            };
            let id = id_of(name)?;
            match (field, after) {
                (None, None) => {
                    body.label_utilizations.remove(&id);
                }
                (None, Some(_)) => return Err(unknown(&attribute.path)),
                (Some(field), after) => {
                    let entry = body.label_utilizations.entry(id).or_default();
                    if field == "maximumCapacity" {
                        entry.maximum_capacity = after.and_then(Value::as_i64);
                    } else {
                        let names: Vec<&str> = after
                            .and_then(Value::as_array)
                            .map(|v| v.iter().filter_map(Value::as_str).collect())
                            .unwrap_or_default();
                        entry.interrupting_label_ids = Some(
                            names
                                .into_iter()
                                .map(id_of)
                                .collect::<Result<Vec<String>, String>>()?,
                        );
                    }
                    entry.label_name = None;
                }
            }
            continue;
        }
        match attribute.path.split_once('.') {
            None if attribute.path == "level" => {
                if after.and_then(Value::as_str) == Some(ORGANIZATION_LEVEL) {
                    return Ok(None);
                }
                body.level = Some(AGENT_LEVEL.into());
            }
            None if attribute.path == "maxInboundCalls" => {
                body.max_inbound_calls = after.and_then(Value::as_i64);
            }
            None => return Err(unknown(&attribute.path)),
            Some((media, field)) => {
                let Some(media) = MediaType::parse(media) else {
                    return Err(unknown(&attribute.path));
                };
                let entry: &mut LiveMediaUtilization =
                    body.utilization.entry(media.as_str().into()).or_default();
                match field {
                    "maximumCapacity" => entry.maximum_capacity = after.and_then(Value::as_i64),
                    "interruptableMediaTypes" => {
                        entry.interruptable_media_types =
                            after.and_then(Value::as_array).map(|types| {
                                types
                                    .iter()
                                    .filter_map(Value::as_str)
                                    .map(str::to_string)
                                    .collect()
                            });
                    }
                    "includeNonAcd" => entry.include_non_acd = after.and_then(Value::as_bool),
                    _ => return Err(unknown(&attribute.path)),
                }
            }
        }
    }
    Ok(Some(body))
}
