//! The queue settings whose manifest spelling differs from the API's below the top level,
//! written in the API's shape (the inverse of `switchboard-plan`'s `diff/translate.rs`):
//! - a nested reference ([`NESTED_FIELDS`]: `….name` / `….id`) as a `DomainEntityRef` at
//!   its API path (a message inactivity timeout's `flow` is the API's `flowId`);
//! - `outboundMessagingAddresses.smsAddress` (a number) as `{id}` of that SMS number;
//! - `outboundEmailAddress` and `mediaSettings.email.allOutboundEmailAddresses` (addresses)
//!   as `QueueEmailAddress {domain {id}, route {id}}`;
//! - `cannedResponseLibraries.libraries` (names) as `libraryIds`;
//! - `directRouting.backupQueue` (a queue's name) as `backupQueueId`;
//! - `conditionalGroupActivation.pilotRule.conditions` and `.rules`: each condition's
//!   `simpleMetric.queue` (a name) as `{id}`, each rule's groups as member groups are.

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use switchboard_plan::AttributeChange;
use switchboard_plan::references::{NESTED_FIELDS, NestedField, ReferenceKind, email_domain};

use super::{BodyError, Cx, Wanted, id_ref, object_entry};

/// The settings that hold a translated leaf somewhere below them.
const HOLDERS: [&str; 5] = [
    "mediaSettings",
    "outboundMessagingAddresses",
    "cannedResponseLibraries",
    "directRouting",
    "conditionalGroupActivation",
];

/// The attributes, those of the settings this module translates as leaves: an object `after`
/// becomes one leaf per key, recursively (lists and scalars are leaves), which writes the
/// same thing key by key, and finds each translated leaf where it is.
pub(super) fn leaves(attributes: &[AttributeChange]) -> Vec<(String, Option<&Value>)> {
    fn push<'a>(
        out: &mut Vec<(String, Option<&'a Value>)>,
        path: String,
        value: Option<&'a Value>,
    ) {
        match value {
            Some(Value::Object(map)) => {
                for (key, inner) in map {
                    push(out, format!("{path}.{key}"), Some(inner));
                }
            }
            other => out.push((path, other)),
        }
    }
    let mut out = Vec::new();
    for attribute in attributes {
        let top = attribute.path.split('.').next().unwrap_or_default();
        if HOLDERS.contains(&top) {
            push(&mut out, attribute.path.clone(), attribute.after.as_ref());
        } else {
            out.push((attribute.path.clone(), attribute.after.as_ref()));
        }
    }
    out
}

/// The nested reference a leaf's path is in, and the path below it (`name` or `id`).
pub(super) fn nested_field<'p>(segments: &'p [&'p str]) -> Option<(NestedField, &'p [&'p str])> {
    NESTED_FIELDS
        .into_iter()
        .find(|field| segments.starts_with(field.manifest))
        .map(|field| (field, &segments[field.manifest.len()..]))
}

impl Cx<'_> {
    /// Writes the leaf `segments` when this module translates it; `false` when it does not.
    pub(super) fn translated(
        &self,
        body: &mut Map<String, Value>,
        references: &mut BTreeMap<Vec<String>, Wanted>,
        segments: &[&str],
        path: &str,
        after: Option<&Value>,
    ) -> Result<bool, BodyError> {
        match segments {
            ["outboundMessagingAddresses", "smsAddress"] => {
                let wanted = references
                    .entry(vec![segments[0].to_string(), segments[1].to_string()])
                    .or_insert_with(|| Wanted::new(ReferenceKind::SmsNumber));
                let number = match after {
                    None => None,
                    Some(Value::String(number)) => Some(number.clone()),
                    Some(other) => return Err(self.wrong_type(path, "an SMS number", other)),
                };
                wanted.id = None;
                wanted.name = number;
                wanted.name_path = path.to_string();
            }
            ["outboundMessagingAddresses", ..] => {
                return Err(self.unsupported(
                    path,
                    "outbound messaging addresses are `smsAddress`, `openMessagingRecipient` and `whatsAppRecipient`",
                ));
            }
            ["outboundEmailAddress"] => match after {
                None => {
                    body.remove("outboundEmailAddress");
                }
                Some(address) => {
                    let address = self.email_address(address, path)?;
                    body.insert("outboundEmailAddress".into(), address);
                }
            },
            ["mediaSettings", "email", "allOutboundEmailAddresses"] => {
                let email = object_entry(
                    object_entry(body, "mediaSettings")
                        .map_err(|found| self.not_an_object(path, "mediaSettings".into(), found))?,
                    "email",
                )
                .map_err(|found| self.not_an_object(path, "mediaSettings.email".into(), found))?;
                match after {
                    None => {
                        email.remove("allOutboundEmailAddresses");
                    }
                    Some(Value::Array(addresses)) => {
                        let addresses = addresses
                            .iter()
                            .enumerate()
                            .map(|(i, a)| self.email_address(a, &format!("{path}[{i}]")))
                            .collect::<Result<Vec<_>, _>>()?;
                        email.insert("allOutboundEmailAddresses".into(), Value::Array(addresses));
                    }
                    Some(other) => return Err(self.wrong_type(path, "a list of addresses", other)),
                }
            }
            ["cannedResponseLibraries", "mode"] => {
                self.write(body, segments, path, after)?;
            }
            ["cannedResponseLibraries", "libraries"] => {
                let libraries = object_entry(body, "cannedResponseLibraries").map_err(|found| {
                    self.not_an_object(path, "cannedResponseLibraries".into(), found)
                })?;
                match after {
                    None => {
                        libraries.remove("libraryIds");
                    }
                    Some(Value::Array(names)) => {
                        let ids = names
                            .iter()
                            .enumerate()
                            .map(|(i, name)| {
                                let at = format!("{path}[{i}]");
                                let Value::String(name) = name else {
                                    return Err(self.wrong_type(&at, "a library name", name));
                                };
                                self.referent(ReferenceKind::Library, name, &at, path)
                                    .map(Value::String)
                            })
                            .collect::<Result<Vec<_>, _>>()?;
                        libraries.insert("libraryIds".into(), Value::Array(ids));
                    }
                    Some(other) => {
                        return Err(self.wrong_type(path, "a list of library names", other));
                    }
                }
            }
            ["cannedResponseLibraries", ..] => {
                return Err(
                    self.unsupported(path, "canned-response libraries are `mode` and `libraries`")
                );
            }
            ["directRouting", "backupQueue"] => {
                let direct = object_entry(body, "directRouting")
                    .map_err(|found| self.not_an_object(path, "directRouting".into(), found))?;
                let queue = match after {
                    None => None,
                    Some(Value::String(queue)) => Some(queue.as_str()),
                    Some(other) => return Err(self.wrong_type(path, "a queue name", other)),
                };
                match queue {
                    None => {
                        direct.remove("backupQueueId");
                    }
                    Some(queue) => match self.queue_id(queue, path, &[])? {
                        Some(id) => {
                            direct.insert("backupQueueId".into(), Value::String(id));
                        }
                        // A new queue backing itself up: the API's default ("If not set, the
                        // current queue will be used").
                        None => {
                            direct.remove("backupQueueId");
                        }
                    },
                }
            }
            [
                "conditionalGroupActivation",
                rule @ ("pilotRule" | "rules"),
                tail @ ..,
            ] => {
                self.activation(body, rule, tail, path, after)?;
            }
            ["conditionalGroupActivation", ..] => {
                return Err(self.unsupported(
                    path,
                    "conditional group activation has only `pilotRule` and `rules`",
                ));
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// An address (`pattern@domain`) as `QueueEmailAddress {domain {id}, route {id}}`, the
    /// route's id the one the lookups of the fresh read found for the address.
    fn email_address(&self, address: &Value, path: &str) -> Result<Value, BodyError> {
        let Value::String(address) = address else {
            return Err(self.wrong_type(path, "an email address", address));
        };
        let Some(domain) = email_domain(address) else {
            return Err(self.wrong_type(
                path,
                "an email address (pattern@domain)",
                &Value::String(address.clone()),
            ));
        };
        let found = self
            .ids
            .email_route(address)
            .ok_or_else(|| self.not_found(ReferenceKind::EmailAddress, address, path, path))?;
        // The route as the description requires it: its id, `pattern` (the address as the
        // lookup spells it, before the `@`) and `fromName`.
        let mut route = Map::new();
        route.insert("id".into(), Value::String(found.id));
        if let Some((pattern, _)) = found.name.rsplit_once('@') {
            route.insert("pattern".into(), Value::String(pattern.to_string()));
        }
        if let Some(from_name) = found.from_name {
            route.insert("fromName".into(), Value::String(from_name));
        }
        let mut out = Map::new();
        out.insert("domain".into(), id_ref(domain));
        out.insert("route".into(), Value::Object(route));
        Ok(Value::Object(out))
    }

    /// The id the lookups of the fresh read found for `name` of `kind`.
    fn referent(
        &self,
        kind: ReferenceKind,
        name: &str,
        path: &str,
        key: &str,
    ) -> Result<String, BodyError> {
        self.ids
            .referent(kind, name)
            .ok_or_else(|| self.not_found(kind, name, path, key))
    }

    /// A reference by name the fresh read's lookups do not resolve.
    fn not_found(&self, kind: ReferenceKind, name: &str, path: &str, key: &str) -> BodyError {
        BodyError::ReferenceByName {
            queue: self.queue.to_string(),
            path: path.to_string(),
            what: kind,
            name: name.to_string(),
            key: key.to_string(),
        }
    }

    /// `conditionalGroupActivation.<rule>…`: the pilot rule's leaves, or the list of rules.
    fn activation(
        &self,
        body: &mut Map<String, Value>,
        rule: &str,
        tail: &[&str],
        path: &str,
        after: Option<&Value>,
    ) -> Result<(), BodyError> {
        let cga = object_entry(body, "conditionalGroupActivation").map_err(|found| {
            self.not_an_object(path, "conditionalGroupActivation".into(), found)
        })?;
        match (rule, tail, after) {
            ("rules", [], None) => {
                cga.remove("rules");
            }
            ("rules", [], Some(Value::Array(rules))) => {
                let rules = rules
                    .iter()
                    .enumerate()
                    .map(|(i, rule)| self.activation_rule(rule, &format!("{path}[{i}]"), true))
                    .collect::<Result<Vec<_>, _>>()?;
                cga.insert("rules".into(), Value::Array(rules));
            }
            ("rules", [], Some(other)) => {
                return Err(self.wrong_type(path, "a list of rules", other));
            }
            ("pilotRule", [], None) => {
                cga.remove("pilotRule");
            }
            ("pilotRule", [key @ ("conditions" | "conditionExpression")], after) => {
                let pilot = object_entry(cga, "pilotRule").map_err(|found| {
                    self.not_an_object(path, "conditionalGroupActivation.pilotRule".into(), found)
                })?;
                match (*key, after) {
                    (_, None) => {
                        pilot.remove(*key);
                    }
                    ("conditions", Some(conditions)) => {
                        let conditions = self.conditions(conditions, path)?;
                        pilot.insert("conditions".into(), conditions);
                    }
                    (_, Some(expression)) => {
                        pilot.insert((*key).to_string(), expression.clone());
                    }
                }
            }
            _ => {
                return Err(self.unsupported(
                    path,
                    "the pilot rule has `conditions` and `conditionExpression`; `rules` is a list",
                ));
            }
        }
        Ok(())
    }

    /// A rule `{conditions, conditionExpression, groups}` in the API's shape.
    fn activation_rule(&self, rule: &Value, path: &str, groups: bool) -> Result<Value, BodyError> {
        let Value::Object(rule) = rule else {
            return Err(self.wrong_type(path, "a rule (an object)", rule));
        };
        let mut api = Map::new();
        for (key, value) in rule {
            let field = format!("{path}.{key}");
            match (key.as_str(), value) {
                (_, Value::Null) => {}
                ("conditions", conditions) => {
                    api.insert(key.clone(), self.conditions(conditions, &field)?);
                }
                ("conditionExpression", _) => {
                    api.insert(key.clone(), value.clone());
                }
                ("groups", Value::Array(list)) if groups => {
                    let list = list
                        .iter()
                        .enumerate()
                        .map(|(j, group)| self.group(group, &format!("{field}[{j}]")))
                        .collect::<Result<Vec<_>, _>>()?;
                    api.insert("groups".into(), Value::Array(list));
                }
                _ => {
                    return Err(self.unsupported(
                        &field,
                        "a rule has only `conditions`, `conditionExpression` and `groups`",
                    ));
                }
            }
        }
        Ok(Value::Object(api))
    }

    /// Conditions `[{simpleMetric {metric, queue}, operator, value}]`, each queue by id.
    fn conditions(&self, conditions: &Value, path: &str) -> Result<Value, BodyError> {
        let Value::Array(conditions) = conditions else {
            return Err(self.wrong_type(path, "a list of conditions", conditions));
        };
        let mut out = Vec::with_capacity(conditions.len());
        for (i, condition) in conditions.iter().enumerate() {
            let at = format!("{path}[{i}]");
            let Value::Object(condition) = condition else {
                return Err(self.wrong_type(&at, "a condition (an object)", condition));
            };
            let mut api = condition.clone();
            if let Some(Value::Object(metric)) = api.get_mut("simpleMetric") {
                let queue = match metric.remove("queue") {
                    None | Some(Value::Null) => None,
                    Some(Value::String(queue)) => Some(queue),
                    Some(other) => {
                        return Err(self.wrong_type(
                            &format!("{at}.simpleMetric.queue"),
                            "a queue name",
                            &other,
                        ));
                    }
                };
                let known = self.base_activation_queues();
                let id = self.queue_id(
                    queue.as_deref().unwrap_or(self.queue),
                    &format!("{at}.simpleMetric.queue"),
                    &known,
                )?;
                if let Some(id) = id {
                    metric.insert("queue".into(), id_ref(id));
                }
            }
            out.push(Value::Object(api));
        }
        Ok(Value::Array(out))
    }

    /// The queues the base's conditional group activation conditions name.
    fn base_activation_queues(&self) -> Vec<&Value> {
        let cga = self.base.and_then(|b| b.get("conditionalGroupActivation"));
        let pilot = cga.and_then(|c| c.get("pilotRule")).into_iter();
        let rules = cga
            .and_then(|c| c.get("rules"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        pilot
            .chain(rules)
            .filter_map(|rule| rule.get("conditions"))
            .filter_map(Value::as_array)
            .flatten()
            .filter_map(|condition| condition.pointer("/simpleMetric/queue"))
            .collect()
    }
}

/// The other queues `attributes` name: a conditional group routing rule's `queue`, a
/// conditional group activation condition's `simpleMetric.queue` and direct routing's
/// `backupQueue` (this queue itself included, when named). A queue created by the same plan
/// must exist before a body naming it can be written.
pub fn queues_named(attributes: &[AttributeChange]) -> std::collections::BTreeSet<String> {
    fn collect(value: &Value, key: Option<&str>, out: &mut std::collections::BTreeSet<String>) {
        match value {
            Value::String(name) if matches!(key, Some("queue" | "backupQueue")) => {
                out.insert(name.clone());
            }
            Value::Array(items) => {
                for item in items {
                    collect(item, None, out);
                }
            }
            Value::Object(map) => {
                for (k, v) in map {
                    collect(v, Some(k), out);
                }
            }
            _ => {}
        }
    }
    let mut out = std::collections::BTreeSet::new();
    for attribute in attributes {
        let mut segments = attribute.path.split('.');
        let top = segments.next().unwrap_or_default();
        if !matches!(
            top,
            "conditionalGroupRouting" | "conditionalGroupActivation" | "directRouting"
        ) {
            continue;
        }
        if let Some(after) = &attribute.after {
            collect(after, segments.next_back(), &mut out);
        }
    }
    out
}
