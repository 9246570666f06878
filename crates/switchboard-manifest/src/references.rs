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
use crate::model::{MemberGroupType, ObjectRef};

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
}

impl ReferenceKind {
    /// The flow type the lookup filters on (the query's lower-case spelling), for flows.
    pub fn flow_type(self) -> Option<&'static str> {
        match self {
            ReferenceKind::InQueueCallFlow => Some("inqueuecall"),
            ReferenceKind::InQueueEmailFlow => Some("inqueueemail"),
            ReferenceKind::InQueueMessageFlow => Some("inqueueshortmessage"),
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
        for group in rule_groups.chain(member_groups).chain(ring_groups) {
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
