//! The objects a manifest points at without managing them: in-queue flows, user prompts and
//! the groups of agents conditional group routing activates. Each is written by name (the
//! same manifest then works in every org, whose ids differ) or by id, and is resolved against
//! the org at plan time with the lookup endpoints (`API-FACTS-LOOKUPS.md` L1):
//!
//! | manifest key | object | lookup |
//! |---|---|---|
//! | `queueFlow` | flow of type `inqueuecall` | `GET /api/v2/flows?type=inqueuecall` |
//! | `emailInQueueFlow` | flow of type `inqueueemail` | `GET /api/v2/flows?type=inqueueemail` |
//! | `messageInQueueFlow` | flow of type `inqueueshortmessage` | `GET /api/v2/flows?type=inqueueshortmessage` |
//! | `whisperPrompt`, `onHoldPrompt` | user prompt | `GET /api/v2/architect/prompts?name=…` |
//! | `memberGroups.groups[]`, `bullseye.rings[].memberGroups[]` and `conditionalGroupRouting.rules[].groups[]` of type `GROUP` | directory group | `POST /api/v2/groups/search` |
//! | … of type `TEAM` | team | `GET /api/v2/teams` |
//! | … of type `SKILLGROUP` | skill group | `GET /api/v2/routing/skillgroups` |
//! | `defaultScripts.<type>` | script | `GET /api/v2/scripts` |
//!
//! The flow type of each flow field is inferred from the field's description in the API
//! description and the flow-type enum (L1.1: the SDK does not state the mapping).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Manifest;
use crate::model::{MemberGroupType, ObjectRef, Queue};

/// The kinds of object a manifest refers to without managing them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferenceKind {
    /// An in-queue flow for calls (`inqueuecall`).
    InQueueCallFlow,
    /// An in-queue flow for emails (`inqueueemail`).
    InQueueEmailFlow,
    /// An in-queue flow for messages (`inqueueshortmessage`).
    InQueueMessageFlow,
    /// A user prompt (Architect).
    UserPrompt,
    /// A directory group.
    Group,
    /// A team.
    Team,
    /// A skill group.
    SkillGroup,
    /// A script (a queue's default script for a communication type).
    Script,
    /// An inbound call flow (`inboundcall`): a customer-first callback's live-voice and
    /// answering-machine flows.
    InboundCallFlow,
    /// An inbound message flow (`inboundshortmessage`): a message inactivity timeout's flow.
    InboundMessageFlow,
    /// A telephony edge group (customer-first callbacks).
    EdgeGroup,
    /// A telephony site (customer-first callbacks).
    Site,
    /// A canned-response library.
    Library,
    /// An Open Messaging recipient (integration).
    OpenMessagingRecipient,
    /// A WhatsApp recipient (integration).
    WhatsAppRecipient,
    /// An SMS phone number, named by its number.
    SmsNumber,
    /// An outbound email address: an inbound route of an email domain, named
    /// `pattern@domain`.
    EmailAddress,
}

impl ReferenceKind {
    /// The flow type the lookup filters on (the query's lower-case spelling), for flows.
    pub fn flow_type(self) -> Option<&'static str> {
        match self {
            ReferenceKind::InQueueCallFlow => Some("inqueuecall"),
            ReferenceKind::InQueueEmailFlow => Some("inqueueemail"),
            ReferenceKind::InQueueMessageFlow => Some("inqueueshortmessage"),
            ReferenceKind::InboundCallFlow => Some("inboundcall"),
            ReferenceKind::InboundMessageFlow => Some("inboundshortmessage"),
            _ => None,
        }
    }

    /// Whether the lookup lists every object of the kind (flows of the type, teams, skill
    /// groups), rather than only those of the manifest's names (prompts by `name`, directory
    /// groups by a search): only then can an id alone be checked, or a near name suggested.
    pub fn listed_whole(self) -> bool {
        !matches!(self, ReferenceKind::UserPrompt | ReferenceKind::Group)
    }

    /// The kind of a member group's `type`.
    pub fn of_group(kind: MemberGroupType) -> ReferenceKind {
        match kind {
            MemberGroupType::Group => ReferenceKind::Group,
            MemberGroupType::Team => ReferenceKind::Team,
            MemberGroupType::Skillgroup => ReferenceKind::SkillGroup,
        }
    }

    /// The kind a queue's member group `type` (the API's spelling) names.
    pub fn of_group_type(kind: &str) -> Option<ReferenceKind> {
        match kind {
            "GROUP" => Some(ReferenceKind::Group),
            "TEAM" => Some(ReferenceKind::Team),
            "SKILLGROUP" => Some(ReferenceKind::SkillGroup),
            _ => None,
        }
    }

    /// The kind of the queue field `key` points at (`queueFlow`, `whisperPrompt`, ...).
    pub fn of_queue_field(key: &str) -> Option<ReferenceKind> {
        QUEUE_FIELDS
            .iter()
            .find(|(field, _)| *field == key)
            .map(|(_, kind)| *kind)
    }

    /// Whether the manifest writes an object of this kind as a plain string (its number or
    /// address) rather than as `{name}` or `{id}`.
    pub fn written_as_text(self) -> bool {
        matches!(self, ReferenceKind::SmsNumber | ReferenceKind::EmailAddress)
    }
}

impl fmt::Display for ReferenceKind {
    /// How a person reads the kind: `in-queue call flow`, `user prompt`, `team`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ReferenceKind::InQueueCallFlow => "in-queue call flow",
            ReferenceKind::InQueueEmailFlow => "in-queue email flow",
            ReferenceKind::InQueueMessageFlow => "in-queue message flow",
            ReferenceKind::UserPrompt => "user prompt",
            ReferenceKind::Group => "directory group",
            ReferenceKind::Team => "team",
            ReferenceKind::SkillGroup => "skill group",
            ReferenceKind::Script => "script",
            ReferenceKind::InboundCallFlow => "inbound call flow",
            ReferenceKind::InboundMessageFlow => "inbound message flow",
            ReferenceKind::EdgeGroup => "edge group",
            ReferenceKind::Site => "site",
            ReferenceKind::Library => "canned-response library",
            ReferenceKind::OpenMessagingRecipient => "Open Messaging recipient",
            ReferenceKind::WhatsAppRecipient => "WhatsApp recipient",
            ReferenceKind::SmsNumber => "SMS number",
            ReferenceKind::EmailAddress => "outbound email address",
        })
    }
}

/// The queue fields that hold one reference, and what they point at.
pub const QUEUE_FIELDS: [(&str, ReferenceKind); 5] = [
    ("queueFlow", ReferenceKind::InQueueCallFlow),
    ("emailInQueueFlow", ReferenceKind::InQueueEmailFlow),
    ("messageInQueueFlow", ReferenceKind::InQueueMessageFlow),
    ("whisperPrompt", ReferenceKind::UserPrompt),
    ("onHoldPrompt", ReferenceKind::UserPrompt),
];

/// A reference nested in a queue setting: a `DomainEntityRef` in the API at `api`, an
/// [`ObjectRef`] (`{name}` or `{id}`) in the manifest at `manifest` (the same path but for a
/// renamed last key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NestedField {
    /// The manifest's path, from the queue.
    pub manifest: &'static [&'static str],
    /// The API's path, from the queue.
    pub api: &'static [&'static str],
    /// What it points at.
    pub kind: ReferenceKind,
}

/// The references nested in queue settings, each one object given by name or id.
pub const NESTED_FIELDS: [NestedField; 7] = [
    NestedField {
        manifest: &["mediaSettings", "callback", "liveVoiceFlow"],
        api: &["mediaSettings", "callback", "liveVoiceFlow"],
        kind: ReferenceKind::InboundCallFlow,
    },
    NestedField {
        manifest: &["mediaSettings", "callback", "answeringMachineFlow"],
        api: &["mediaSettings", "callback", "answeringMachineFlow"],
        kind: ReferenceKind::InboundCallFlow,
    },
    NestedField {
        manifest: &["mediaSettings", "callback", "edgeGroup"],
        api: &["mediaSettings", "callback", "edgeGroup"],
        kind: ReferenceKind::EdgeGroup,
    },
    NestedField {
        manifest: &["mediaSettings", "callback", "site"],
        api: &["mediaSettings", "callback", "site"],
        kind: ReferenceKind::Site,
    },
    NestedField {
        manifest: &[
            "mediaSettings",
            "message",
            "inactivityTimeoutSettings",
            "flow",
        ],
        api: &[
            "mediaSettings",
            "message",
            "inactivityTimeoutSettings",
            "flowId",
        ],
        kind: ReferenceKind::InboundMessageFlow,
    },
    NestedField {
        manifest: &["outboundMessagingAddresses", "openMessagingRecipient"],
        api: &["outboundMessagingAddresses", "openMessagingRecipient"],
        kind: ReferenceKind::OpenMessagingRecipient,
    },
    NestedField {
        manifest: &["outboundMessagingAddresses", "whatsAppRecipient"],
        api: &["outboundMessagingAddresses", "whatsAppRecipient"],
        kind: ReferenceKind::WhatsAppRecipient,
    },
];

/// The manifest path of the SMS number (a string), and the API's (a `DomainEntityRef`).
pub const SMS_ADDRESS: [&str; 2] = ["outboundMessagingAddresses", "smsAddress"];

/// An email address as a reference's name: `pattern@domain`, the domain by the API's
/// spelling (its id, the domain name). `None` unless both are there.
pub fn email_address(pattern: &str, domain: &str) -> Option<String> {
    (!pattern.is_empty() && !domain.is_empty()).then(|| format!("{pattern}@{domain}"))
}

/// The domain of an email address (the text after the last `@`), lower-cased: domains are
/// compared without case (API-FACTS-LOOKUPS L1.3).
pub fn email_domain(address: &str) -> Option<String> {
    address
        .rsplit_once('@')
        .map(|(_, domain)| domain.to_ascii_lowercase())
        .filter(|d| !d.is_empty())
}

/// One place a manifest points at an object it does not manage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference<'a> {
    /// What it points at.
    pub kind: ReferenceKind,
    /// The name it gives, when it gives one.
    pub name: Option<&'a str>,
    /// The id it gives, when it gives one.
    pub id: Option<&'a str>,
    /// The queue it is in.
    pub queue: &'a str,
    /// Where it is in the merged manifest, as a JSON pointer (`/queues/2/queueFlow`), for
    /// locating findings.
    pub pointer: String,
}

/// Every reference in `manifest`, in manifest order.
pub fn references(manifest: &Manifest) -> Vec<Reference<'_>> {
    let mut found = Vec::new();
    for (q, queue) in manifest.queues.iter().enumerate() {
        let fields: [(&str, &Option<ObjectRef>); 5] = [
            ("queueFlow", &queue.queue_flow),
            ("emailInQueueFlow", &queue.email_in_queue_flow),
            ("messageInQueueFlow", &queue.message_in_queue_flow),
            ("whisperPrompt", &queue.whisper_prompt),
            ("onHoldPrompt", &queue.on_hold_prompt),
        ];
        for (key, reference) in fields {
            let (Some(reference), Some(kind)) = (reference, ReferenceKind::of_queue_field(key))
            else {
                continue;
            };
            found.push(Reference {
                kind,
                name: reference.name.as_deref(),
                id: reference.id.as_deref(),
                queue: &queue.name,
                pointer: format!("/queues/{q}/{key}"),
            });
        }
        let scripts = queue
            .default_scripts
            .iter()
            .flat_map(|scripts| scripts.entries());
        for (kind, script) in scripts {
            if let Some(script) = script {
                found.push(Reference {
                    kind: ReferenceKind::Script,
                    name: script.name.as_deref(),
                    id: script.id.as_deref(),
                    queue: &queue.name,
                    pointer: format!("/queues/{q}/defaultScripts/{kind}"),
                });
            }
        }
        let member_groups = queue
            .member_groups
            .iter()
            .flat_map(|groups| groups.groups.iter().enumerate());
        for (g, group) in member_groups {
            found.push(Reference {
                kind: ReferenceKind::of_group(group.kind),
                name: Some(group.name.as_str()),
                id: group.id.as_deref(),
                queue: &queue.name,
                pointer: format!("/queues/{q}/memberGroups/groups/{g}"),
            });
        }
        let rings = queue
            .bullseye
            .iter()
            .flat_map(|bullseye| bullseye.rings.iter().enumerate());
        for (r, ring) in rings {
            for (g, group) in ring.member_groups.iter().flatten().enumerate() {
                found.push(Reference {
                    kind: ReferenceKind::of_group(group.kind),
                    name: Some(group.name.as_str()),
                    id: group.id.as_deref(),
                    queue: &queue.name,
                    pointer: format!("/queues/{q}/bullseye/rings/{r}/memberGroups/{g}"),
                });
            }
        }
        for (field, reference) in nested_references(queue) {
            let Some(reference) = reference else {
                continue;
            };
            found.push(Reference {
                kind: field.kind,
                name: reference.name.as_deref(),
                id: reference.id.as_deref(),
                queue: &queue.name,
                pointer: format!("/queues/{q}/{}", field.manifest.join("/")),
            });
        }
        let sms = queue
            .outbound_messaging_addresses
            .as_ref()
            .and_then(|a| a.sms_address.as_deref());
        let addresses = queue
            .outbound_email_address
            .iter()
            .map(|a| ("outboundEmailAddress".to_string(), a))
            .chain(
                queue
                    .media_settings
                    .iter()
                    .filter_map(|m| m.email.as_ref())
                    .filter_map(|e| e.all_outbound_email_addresses.as_ref())
                    .flat_map(|all| all.iter().enumerate())
                    .map(|(i, a)| {
                        (
                            format!("mediaSettings/email/allOutboundEmailAddresses/{i}"),
                            a,
                        )
                    }),
            )
            .map(|(at, a)| (ReferenceKind::EmailAddress, at, a.as_str()));
        let libraries = queue
            .canned_response_libraries
            .iter()
            .flat_map(|l| l.libraries.iter().enumerate())
            .map(|(i, name)| {
                (
                    ReferenceKind::Library,
                    format!("cannedResponseLibraries/libraries/{i}"),
                    name.as_str(),
                )
            });
        let by_text = sms
            .map(|n| (ReferenceKind::SmsNumber, SMS_ADDRESS.join("/"), n))
            .into_iter()
            .chain(addresses)
            .chain(libraries);
        for (kind, at, name) in by_text {
            found.push(Reference {
                kind,
                name: Some(name),
                id: None,
                queue: &queue.name,
                pointer: format!("/queues/{q}/{at}"),
            });
        }
        let activation_groups = queue
            .conditional_group_activation
            .iter()
            .flat_map(|cga| cga.rules.iter().flatten().enumerate())
            .flat_map(|(r, rule)| {
                rule.groups.iter().enumerate().map(move |(g, group)| {
                    (
                        format!("conditionalGroupActivation/rules/{r}/groups/{g}"),
                        group,
                    )
                })
            });
        for (at, group) in activation_groups {
            found.push(Reference {
                kind: ReferenceKind::of_group(group.kind),
                name: Some(group.name.as_str()),
                id: group.id.as_deref(),
                queue: &queue.name,
                pointer: format!("/queues/{q}/{at}"),
            });
        }
        let rules = queue
            .conditional_group_routing
            .iter()
            .flat_map(|routing| routing.rules.iter().enumerate());
        for (r, rule) in rules {
            for (g, group) in rule.groups.iter().enumerate() {
                found.push(Reference {
                    kind: ReferenceKind::of_group(group.kind),
                    name: Some(group.name.as_str()),
                    id: group.id.as_deref(),
                    queue: &queue.name,
                    pointer: format!("/queues/{q}/conditionalGroupRouting/rules/{r}/groups/{g}"),
                });
            }
        }
    }
    found
}

/// The nested references of `queue` ([`NESTED_FIELDS`]), each with what the queue gives.
pub fn nested_references(queue: &Queue) -> [(NestedField, Option<&ObjectRef>); 7] {
    let callback = queue
        .media_settings
        .as_ref()
        .and_then(|m| m.callback.as_ref());
    let inactivity = queue
        .media_settings
        .as_ref()
        .and_then(|m| m.message.as_ref())
        .and_then(|m| m.inactivity_timeout_settings.as_ref());
    let messaging = queue.outbound_messaging_addresses.as_ref();
    let [f0, f1, f2, f3, f4, f5, f6] = NESTED_FIELDS;
    [
        (f0, callback.and_then(|c| c.live_voice_flow.as_ref())),
        (f1, callback.and_then(|c| c.answering_machine_flow.as_ref())),
        (f2, callback.and_then(|c| c.edge_group.as_ref())),
        (f3, callback.and_then(|c| c.site.as_ref())),
        (f4, inactivity.and_then(|i| i.flow.as_ref())),
        (
            f5,
            messaging.and_then(|m| m.open_messaging_recipient.as_ref()),
        ),
        (f6, messaging.and_then(|m| m.whats_app_recipient.as_ref())),
    ]
}

/// [`nested_references`], to change: each nested reference the queue has, with its field.
pub fn nested_references_mut(queue: &mut Queue) -> Vec<(NestedField, &mut Option<ObjectRef>)> {
    let [f0, f1, f2, f3, f4, f5, f6] = NESTED_FIELDS;
    let mut found = Vec::new();
    if let Some(media) = queue.media_settings.as_mut() {
        let crate::model::QueueMediaSettings {
            callback, message, ..
        } = media;
        if let Some(callback) = callback.as_mut() {
            let crate::model::CallbackMediaSettings {
                live_voice_flow,
                answering_machine_flow,
                edge_group,
                site,
                ..
            } = callback;
            found.extend([
                (f0, live_voice_flow),
                (f1, answering_machine_flow),
                (f2, edge_group),
                (f3, site),
            ]);
        }
        if let Some(timeout) = message
            .as_mut()
            .and_then(|m| m.inactivity_timeout_settings.as_mut())
        {
            found.push((f4, &mut timeout.flow));
        }
    }
    if let Some(messaging) = queue.outbound_messaging_addresses.as_mut() {
        let crate::model::OutboundMessagingAddresses {
            open_messaging_recipient,
            whats_app_recipient,
            ..
        } = messaging;
        found.extend([(f5, open_messaging_recipient), (f6, whats_app_recipient)]);
    }
    found
}

/// The names `manifest` gives objects of each kind it refers to, sorted, without repeats:
/// what the lookups must find. A kind the manifest names nothing of is absent.
pub fn names_by_kind(manifest: &Manifest) -> BTreeMap<ReferenceKind, BTreeSet<String>> {
    let mut names: BTreeMap<ReferenceKind, BTreeSet<String>> = BTreeMap::new();
    for reference in references(manifest) {
        if let Some(name) = reference.name {
            names
                .entry(reference.kind)
                .or_default()
                .insert(name.to_string());
        }
    }
    names
}

/// Every object the queue answers `bodies` (the API's `Queue`) point at with both an id and a
/// name — flows, prompts, default scripts, member groups (the queue's and its rings') and
/// group routing groups — as `(kind, id)` → name: what a read knows of their names without a lookup, and what an
/// export looks up.
pub fn named_in_queues<'a>(
    bodies: impl IntoIterator<Item = &'a Value>,
) -> BTreeMap<(ReferenceKind, String), String> {
    let mut named = BTreeMap::new();
    let mut note = |kind: ReferenceKind, reference: &Value| {
        let id = reference.get("id").and_then(Value::as_str);
        let name = reference.get("name").and_then(Value::as_str);
        if let (Some(id), Some(name)) = (id, name) {
            named.insert((kind, id.to_string()), name.to_string());
        }
    };
    for body in bodies {
        for (key, kind) in QUEUE_FIELDS {
            if let Some(reference) = body.get(key) {
                note(kind, reference);
            }
        }
        let scripts = body
            .get("defaultScripts")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|scripts| scripts.values());
        for script in scripts {
            note(ReferenceKind::Script, script);
        }
        for field in NESTED_FIELDS {
            if let Some(reference) = body.pointer(&api_pointer(field.api)) {
                note(field.kind, reference);
            }
        }
        for address in email_addresses(body) {
            if let (Some(id), Some(name)) = (address.route_id, address.address) {
                note(
                    ReferenceKind::EmailAddress,
                    &serde_json::json!({"id": id, "name": name}),
                );
            }
        }
        let activation_groups = body
            .pointer("/conditionalGroupActivation/rules")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|rule| rule.get("groups").and_then(Value::as_array))
            .flatten();
        let rule_groups = body
            .pointer("/conditionalGroupRouting/rules")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|rule| rule.get("groups").and_then(Value::as_array))
            .flatten();
        let member_groups = body
            .get("memberGroups")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        let ring_groups = body
            .pointer("/bullseye/rings")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|ring| ring.get("memberGroups").and_then(Value::as_array))
            .flatten();
        let groups = rule_groups
            .chain(member_groups)
            .chain(ring_groups)
            .chain(activation_groups);
        for group in groups {
            let kind = group
                .get("type")
                .and_then(Value::as_str)
                .and_then(ReferenceKind::of_group_type);
            if let Some(kind) = kind {
                note(kind, group);
            }
        }
    }
    named
}

/// A JSON pointer to `path` (keys without `/` or `~`).
pub fn api_pointer(path: &[&str]) -> String {
    path.iter().map(|key| format!("/{key}")).collect()
}

/// An outbound email address as a queue answer holds it (`QueueEmailAddress {domain {id},
/// route {id, pattern?}}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveEmailAddress<'a> {
    /// The domain's id (its name).
    pub domain: Option<&'a str>,
    /// The inbound route's id.
    pub route_id: Option<&'a str>,
    /// `pattern@domain`, when the answer gives the route's pattern.
    pub address: Option<String>,
}

/// Every outbound email address of the queue answer `body`: `outboundEmailAddress` first,
/// then `mediaSettings.email.allOutboundEmailAddresses` in order.
pub fn email_addresses(body: &Value) -> Vec<LiveEmailAddress<'_>> {
    let all = body
        .pointer("/mediaSettings/email/allOutboundEmailAddresses")
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    body.get("outboundEmailAddress")
        .into_iter()
        .chain(all)
        .map(live_email_address)
        .collect()
}

/// One `QueueEmailAddress` as [`email_addresses`] reads it.
pub fn live_email_address(address: &Value) -> LiveEmailAddress<'_> {
    let domain = address.pointer("/domain/id").and_then(Value::as_str);
    let route_id = address.pointer("/route/id").and_then(Value::as_str);
    let pattern = address.pointer("/route/pattern").and_then(Value::as_str);
    LiveEmailAddress {
        domain,
        route_id,
        address: pattern
            .zip(domain)
            .and_then(|(pattern, domain)| email_address(pattern, domain)),
    }
}
