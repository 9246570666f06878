//! The queue settings whose API shape differs from the manifest's below the top level, read
//! into the manifest's vocabulary (the inverse is `switchboard-apply`'s `queue_body`):
//! - nested references ([`NESTED_FIELDS`]: a callback's flows, edge group and site, a message
//!   inactivity timeout's flow (`flowId` in the API), the Open Messaging and WhatsApp
//!   recipients): `DomainEntityRef {id, name}` ↔ `{id, name}` named as the lookups say;
//! - `outboundMessagingAddresses.smsAddress {id}` ↔ the number;
//! - `outboundEmailAddress` and `mediaSettings.email.allOutboundEmailAddresses[]`
//!   (`QueueEmailAddress {domain {id}, route {id, pattern}}`) ↔ `pattern@domain`, the list
//!   compared as a set;
//! - `cannedResponseLibraries {mode, libraryIds}` ↔ `{mode, libraries: [name]}`, a set;
//! - `directRouting.backupQueueId` ↔ `directRouting.backupQueue` (a queue's name; this
//!   queue when the API has none);
//! - `conditionalGroupActivation`: a condition's `simpleMetric.queue {id}` ↔ the queue's
//!   name (this queue when the API has none), a rule's `groups` as member groups are read.

use serde_json::{Map, Value};
use switchboard_manifest::names::name_key;
use switchboard_manifest::references::{
    NESTED_FIELDS, ReferenceKind, SMS_ADDRESS, live_email_address,
};

use super::view::{LiveNames, group_key, named_groups};

/// Adds to `view` (the live queue in manifest vocabulary, built from `body`) the settings of
/// this module, and removes the API's spellings that `view` copied as they were.
pub(crate) fn read_settings(
    this_queue: &str,
    body: &Map<String, Value>,
    view: &mut Map<String, Value>,
    names: &LiveNames<'_>,
) {
    for field in NESTED_FIELDS {
        remove_path(view, field.api);
        let Some(reference) = at_path(body, field.api).and_then(Value::as_object) else {
            continue;
        };
        let mut out = Map::new();
        if let Some(id) = reference.get("id") {
            out.insert("id".into(), id.clone());
        }
        if let Some(name) = names.reference_name(field.kind, reference) {
            out.insert("name".into(), name);
        }
        insert_path(view, field.manifest, Value::Object(out));
    }
    if let Some(sms) = at_path(body, &SMS_ADDRESS).and_then(Value::as_object)
        && let Some(number) = names
            .reference_name(ReferenceKind::SmsNumber, sms)
            .or_else(|| sms.get("id").cloned())
    {
        insert_path(view, &SMS_ADDRESS, number);
    }
    if let Some(address) = body
        .get("outboundEmailAddress")
        .and_then(|a| address(a, names))
    {
        view.insert("outboundEmailAddress".into(), address);
    }
    remove_path(
        view,
        &["mediaSettings", "email", "allOutboundEmailAddresses"],
    );
    if let Some(all) = at_path(
        body,
        &["mediaSettings", "email", "allOutboundEmailAddresses"],
    )
    .and_then(Value::as_array)
    {
        let addresses = all.iter().filter_map(|a| address(a, names)).collect();
        insert_path(
            view,
            &["mediaSettings", "email", "allOutboundEmailAddresses"],
            addresses_set(addresses),
        );
    }
    if let Some(libraries) = body
        .get("cannedResponseLibraries")
        .and_then(Value::as_object)
    {
        let mut out = Map::new();
        if let Some(mode) = libraries.get("mode") {
            out.insert("mode".into(), mode.clone());
        }
        let names: Vec<Value> = libraries
            .get("libraryIds")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(|id| {
                let reference = Map::from_iter([("id".to_string(), Value::from(id))]);
                names
                    .reference_name(ReferenceKind::Library, &reference)
                    .unwrap_or_else(|| Value::from(id))
            })
            .collect();
        out.insert("libraries".into(), names_set(names));
        view.insert("cannedResponseLibraries".into(), Value::Object(out));
    }
    if let Some(direct) = body.get("directRouting").and_then(Value::as_object) {
        let mut out = direct.clone();
        // "If not set, the current queue will be used" (`DirectRouting.backupQueueId`).
        let name = match out.remove("backupQueueId") {
            Some(Value::String(id)) => names
                .queue_name(&id)
                .map_or(Value::String(id), Value::String),
            Some(other) if !other.is_null() => other,
            _ => Value::String(this_queue.to_string()),
        };
        out.insert("backupQueue".into(), name);
        view.insert("directRouting".into(), Value::Object(out));
    }
    if let Some(cga) = body
        .get("conditionalGroupActivation")
        .and_then(Value::as_object)
    {
        view.insert(
            "conditionalGroupActivation".into(),
            activation(this_queue, cga, names),
        );
    }
}

/// The desired side's forms of the same settings: sets in one order, a condition's absent
/// queue spelled out as this queue.
pub(crate) fn desired_settings(this_queue: &str, settings: &mut Map<String, Value>) {
    if let Some(Value::Array(all)) = settings
        .get_mut("mediaSettings")
        .and_then(|m| m.get_mut("email"))
        .and_then(|e| e.get_mut("allOutboundEmailAddresses"))
    {
        let sorted = addresses_set(std::mem::take(all));
        *all = sorted.as_array().cloned().unwrap_or_default();
    }
    if let Some(Value::Array(libraries)) = settings
        .get_mut("cannedResponseLibraries")
        .and_then(|l| l.get_mut("libraries"))
    {
        let sorted = names_set(std::mem::take(libraries));
        *libraries = sorted.as_array().cloned().unwrap_or_default();
    }
    if let Some(Value::Object(cga)) = settings.get_mut("conditionalGroupActivation") {
        for condition in conditions_mut(cga) {
            if let Some(metric) = condition
                .get_mut("simpleMetric")
                .and_then(Value::as_object_mut)
            {
                metric
                    .entry("queue")
                    .or_insert_with(|| Value::String(this_queue.to_string()));
            }
        }
        for groups in activation_groups_mut(cga) {
            groups.sort_by_cached_key(group_key);
        }
    }
}

/// Every condition of a conditional group activation (the pilot rule's, then the rules').
pub(crate) fn conditions_mut(
    cga: &mut Map<String, Value>,
) -> impl Iterator<Item = &mut Map<String, Value>> {
    let (pilot, rules) = split_activation(cga);
    pilot
        .into_iter()
        .chain(rules)
        .filter_map(|rule| rule.get_mut("conditions"))
        .filter_map(Value::as_array_mut)
        .flatten()
        .filter_map(Value::as_object_mut)
}

/// The `groups` lists of a conditional group activation's rules.
pub(crate) fn activation_groups_mut(
    cga: &mut Map<String, Value>,
) -> impl Iterator<Item = &mut Vec<Value>> {
    cga.get_mut("rules")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
        .filter_map(|rule| rule.get_mut("groups"))
        .filter_map(Value::as_array_mut)
}

fn split_activation(cga: &mut Map<String, Value>) -> (Option<&mut Value>, Vec<&mut Value>) {
    let mut pilot = None;
    let mut rules = Vec::new();
    for (key, value) in cga.iter_mut() {
        match key.as_str() {
            "pilotRule" => pilot = Some(value),
            "rules" => {
                if let Value::Array(list) = value {
                    rules.extend(list.iter_mut());
                }
            }
            _ => {}
        }
    }
    (pilot, rules)
}

fn activation(this_queue: &str, cga: &Map<String, Value>, names: &LiveNames<'_>) -> Value {
    let rule = |rule: &Value, with_groups: bool| -> Value {
        let mut out = Map::new();
        let conditions: Vec<Value> = rule
            .get("conditions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|condition| {
                let mut condition = condition.as_object().cloned().unwrap_or_default();
                if let Some(Value::Object(metric)) = condition.get_mut("simpleMetric") {
                    let queue = match metric.get("queue") {
                        Some(queue) => queue
                            .get("id")
                            .and_then(Value::as_str)
                            .and_then(|id| names.queue_name(id))
                            .or_else(|| queue.get("name").and_then(Value::as_str).map(String::from))
                            .or_else(|| queue.get("id").and_then(Value::as_str).map(String::from)),
                        None => Some(this_queue.to_string()),
                    };
                    if let Some(queue) = queue {
                        metric.insert("queue".into(), Value::String(queue));
                    }
                }
                Value::Object(condition)
            })
            .collect();
        out.insert("conditions".into(), Value::Array(conditions));
        if let Some(expression) = rule.get("conditionExpression") {
            out.insert("conditionExpression".into(), expression.clone());
        }
        if with_groups {
            let mut groups = named_groups(rule.get("groups"), names);
            groups.sort_by_cached_key(group_key);
            out.insert("groups".into(), Value::Array(groups));
        }
        Value::Object(out)
    };
    let mut out = Map::new();
    if let Some(pilot) = cga.get("pilotRule") {
        out.insert("pilotRule".into(), rule(pilot, false));
    }
    if let Some(rules) = cga.get("rules").and_then(Value::as_array) {
        let rules = rules.iter().map(|r| rule(r, true)).collect();
        out.insert("rules".into(), Value::Array(rules));
    }
    Value::Object(out)
}

/// A `QueueEmailAddress` as `pattern@domain`: the route's pattern from the answer, else from
/// the routes' lookup; by the route's id when neither names it.
fn address(address: &Value, names: &LiveNames<'_>) -> Option<Value> {
    let live = live_email_address(address);
    let looked_up = live.route_id.and_then(|id| {
        let reference = Map::from_iter([("id".to_string(), Value::from(id))]);
        names.reference_name(ReferenceKind::EmailAddress, &reference)
    });
    looked_up
        .or_else(|| live.address.map(Value::String))
        .or_else(|| live.route_id.map(Value::from))
}

/// Addresses as a set: one order, the domain's case not counted.
fn addresses_set(mut addresses: Vec<Value>) -> Value {
    addresses.sort_by_cached_key(|a| a.as_str().unwrap_or_default().to_ascii_lowercase());
    Value::Array(addresses)
}

/// Names as a set, ordered by the one name rule.
fn names_set(mut names: Vec<Value>) -> Value {
    names.sort_by_cached_key(|n| name_key(n.as_str().unwrap_or_default()));
    Value::Array(names)
}

/// The value at `path` (object keys) in `map`, without copying anything.
fn at_path<'a>(map: &'a Map<String, Value>, path: &[&str]) -> Option<&'a Value> {
    let (first, rest) = path.split_first()?;
    rest.iter()
        .try_fold(map.get(*first)?, |here, key| here.get(*key))
}

fn remove_path(map: &mut Map<String, Value>, path: &[&str]) {
    match path {
        [] => {}
        [last] => {
            map.remove(*last);
        }
        [first, rest @ ..] => {
            if let Some(Value::Object(inner)) = map.get_mut(*first) {
                remove_path(inner, rest);
            }
        }
    }
}

fn insert_path(map: &mut Map<String, Value>, path: &[&str], value: Value) {
    match path {
        [] => {}
        [last] => {
            map.insert((*last).to_string(), value);
        }
        [first, rest @ ..] => {
            let inner = map
                .entry((*first).to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !inner.is_object() {
                *inner = Value::Object(Map::new());
            }
            if let Value::Object(inner) = inner {
                insert_path(inner, rest, value);
            }
        }
    }
}
