//! The live org as switchboard compares it with a manifest: what `switchboard-fetch` reads
//! and the plan diffs against. Plain data, keyed by name (users by lower-case email), so
//! that both the fetch and the plan crates can use it without knowing each other or HTTP.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// A snapshot of the parts of an org a manifest manages.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Live {
    /// The org the credentials belong to.
    pub org: LiveOrg,
    /// Divisions by name.
    pub divisions: BTreeMap<String, LiveDivision>,
    /// Routing skills by name (soft-deleted ones left out).
    pub skills: BTreeMap<String, LiveObject>,
    /// Routing languages by name (soft-deleted ones left out).
    pub languages: BTreeMap<String, LiveObject>,
    /// Wrap-up codes by name.
    pub wrapup_codes: BTreeMap<String, LiveWrapupCode>,
    /// Skill groups by name: read only when the manifest manages skill groups (declares one,
    /// or prunes them).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub skill_groups: BTreeMap<String, LiveSkillGroup>,
    /// Queues by name.
    pub queues: BTreeMap<String, LiveQueue>,
    /// Utilization labels by name: read only when the manifest declares one or prunes them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub utilization_labels: BTreeMap<String, LiveUtilizationLabel>,
    /// The users the manifest names, and the holders of a skill being replaced, by lower-case
    /// email.
    pub users: BTreeMap<String, LiveUser>,
    /// Emails the manifest names that no user has (lower-case).
    pub unknown_users: BTreeSet<String>,
    /// Queue members' users the manifest does not name, by user id: read only for the
    /// capacity guard and skill coverage, which need every member's state and skills.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub member_users: BTreeMap<String, LiveUser>,
    /// The members of skill groups a plan adds to or removes from a queue the guards check,
    /// by skill group id: user ids, as the API computes them. Read only for the guards.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub skill_group_members: BTreeMap<String, BTreeSet<String>>,
    /// The org's utilization (`GET /api/v2/routing/utilization`): read only when the
    /// manifest manages it (`utilization`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_utilization: Option<LiveUtilization>,
    /// The org's routing settings: each part read only when the manifest sets a field of it
    /// (`routingSettings`); `None` when no part is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing_settings: Option<LiveRoutingSettings>,
    /// Agents' maximum capacity: read only for the capacity guard (`--forecast`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<LiveCapacity>,
    /// The objects the manifest refers to without managing them (flows, prompts, groups),
    /// as the lookups found them: per kind, every object a lookup returned, whatever its
    /// name (a lookup's server-side filter is a prefix or undocumented, so the names are
    /// compared here, by the name rule). A kind the manifest names nothing of is absent.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub references: BTreeMap<crate::references::ReferenceKind, Vec<LiveReferent>>,
}

/// The org's routing settings as read, each part as its JSON object (every field the API
/// returned) and only when the manifest manages it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LiveRoutingSettings {
    /// `GET /api/v2/routing/settings`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<serde_json::Map<String, serde_json::Value>>,
    /// `GET /api/v2/routing/settings/contactcenter`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_center: Option<serde_json::Map<String, serde_json::Value>>,
    /// `GET /api/v2/routing/settings/transcription`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcription: Option<serde_json::Map<String, serde_json::Value>>,
}

/// What a name finds among the objects a lookup returned (see [`find_referent`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Referent<'a> {
    /// One object.
    One(&'a LiveReferent),
    /// Several objects the name rule takes as this name, none (or several) spelt exactly so.
    Several(Vec<&'a LiveReferent>),
    /// None.
    None,
    /// The kind was not looked up at all.
    NotLookedUp,
}

/// The object among `found` named `name`, by the name rule (`crate::names`): the one object
/// whose name is the same by the rule, or among several, the one spelt exactly so.
pub fn find_referent<'a>(found: &'a [LiveReferent], name: &str) -> Referent<'a> {
    let key = crate::names::name_key(name);
    let same: Vec<&LiveReferent> = found
        .iter()
        .filter(|r| crate::names::name_key(&r.name) == key)
        .collect();
    match same.as_slice() {
        [] => Referent::None,
        [one] => Referent::One(one),
        _ => {
            let exact: Vec<&LiveReferent> =
                same.iter().copied().filter(|r| r.name == name).collect();
            match exact.as_slice() {
                [one] => Referent::One(one),
                _ => Referent::Several(same),
            }
        }
    }
}

/// An object a lookup found: its id and name.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LiveReferent {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// For an inbound email route, its sender name (`fromName`): a queue's outbound address
    /// carries it (`InboundRoute` requires `pattern` and `fromName`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_name: Option<String>,
}

impl LiveReferent {
    /// An object of `id` and `name`.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> LiveReferent {
        LiveReferent {
            id: id.into(),
            name: name.into(),
            from_name: None,
        }
    }
}

impl Live {
    /// The objects of `kind` the live queues point at with both an id and a name, once per
    /// id (see [`crate::references::named_in_queues`]).
    pub fn used_by_queues(&self, kind: crate::references::ReferenceKind) -> Vec<LiveReferent> {
        crate::references::named_in_queues(self.queues.values().map(|queue| &queue.body))
            .into_iter()
            .filter(|((of, _), _)| *of == kind)
            .map(|((_, id), name)| LiveReferent::new(id, name))
            .collect()
    }

    /// The names the org has for `kind`, as it spells them.
    pub fn names(&self, kind: crate::model::Kind) -> Vec<&str> {
        use crate::model::Kind;
        match kind {
            Kind::Skills => self.skills.keys().map(String::as_str).collect(),
            Kind::Languages => self.languages.keys().map(String::as_str).collect(),
            Kind::WrapupCodes => self.wrapup_codes.keys().map(String::as_str).collect(),
            Kind::SkillGroups => self.skill_groups.keys().map(String::as_str).collect(),
            Kind::Queues => self.queues.keys().map(String::as_str).collect(),
            Kind::UtilizationLabels => self.utilization_labels.keys().map(String::as_str).collect(),
        }
    }
}

/// Maximum capacity (routing utilization, API-FACTS §8): how many interactions of a media
/// type an agent takes at once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveCapacity {
    /// The org default per media type (`GET /api/v2/routing/utilization`).
    pub org: BTreeMap<String, u32>,
    /// Per user id, the capacity per media type that applies to the agent: the agent's own
    /// setting, or the org default the API falls back to
    /// (`GET /api/v2/routing/users/{userId}/utilization`).
    pub agents: BTreeMap<String, BTreeMap<String, u32>>,
}

/// A utilization label.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveUtilizationLabel {
    /// Label id.
    pub id: String,
    /// The agents using it (`GET …/labels/{labelId}/agents`), read only for a label the
    /// plan could delete (undeclared, under `prune.utilizationLabels`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agents: Option<usize>,
}

/// Which org this is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveOrg {
    /// Org id.
    pub id: String,
    /// Org name.
    pub name: String,
}

/// A division.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveDivision {
    /// Division id.
    pub id: String,
    /// True for the org's home division.
    pub home: bool,
}

/// A named object with an id (skills, languages).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveObject {
    /// Object id.
    pub id: String,
    /// Division id, where the object has one.
    pub division_id: Option<String>,
}

/// A wrap-up code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveWrapupCode {
    /// Code id.
    pub id: String,
    /// Free text.
    pub description: Option<String>,
    /// Division id.
    pub division_id: Option<String>,
}

/// A skill group.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LiveSkillGroup {
    /// Skill group id.
    pub id: String,
    /// Division id.
    pub division_id: Option<String>,
    /// The skill group as `GET /api/v2/routing/skillgroups/{id}` returned it, conditions
    /// included (the listing has none): read for the skill groups the manifest declares.
    /// `None` for one only listed.
    pub body: Option<serde_json::Value>,
    /// The ids of its member divisions, when read (for a manifest skill group that sets
    /// `memberDivisions`, and by export).
    pub member_division_ids: Option<BTreeSet<String>>,
}

/// A queue, with its members and wrap-up codes when the manifest manages them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LiveQueue {
    /// Queue id.
    pub id: String,
    /// Division id.
    pub division_id: Option<String>,
    /// The queue exactly as the API returned it, every field included (queues are updated by
    /// full PUT, so nothing may be lost).
    pub body: serde_json::Value,
    /// Members, when read (not read for `mode: ignore` or unmanaged queues).
    pub members: Option<Vec<LiveMember>>,
    /// Ids of the queue's wrap-up codes, when read.
    pub wrapup_code_ids: Option<BTreeSet<String>>,
    /// The names the queue's own wrap-up code listing gives its codes, by id: a code the
    /// org-wide listing does not show yet (eventual consistency) is still known by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub wrapup_code_names: BTreeMap<String, String>,
}

/// A queue member.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveMember {
    /// The user's id.
    pub user_id: String,
    /// The user's name.
    pub name: Option<String>,
    /// The user's email, when the listing gives it.
    pub email: Option<String>,
    /// Bullseye ring.
    pub ring: Option<i64>,
    /// Joined to the queue.
    pub joined: Option<bool>,
    /// A member through a group: never added or removed directly.
    pub by_group: bool,
}

/// A user the manifest names.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LiveUser {
    /// User id.
    pub id: String,
    /// Display name.
    pub name: Option<String>,
    /// `active`, `inactive` or `deleted`.
    pub state: String,
    /// Routing skills by skill id, with proficiency.
    pub skills: BTreeMap<String, f64>,
    /// Routing languages by language id, with proficiency.
    pub languages: BTreeMap<String, f64>,
    /// The agent's utilization as `GET /api/v2/routing/users/{userId}/utilization` returned
    /// it: read only for an agent whose capacity the manifest manages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utilization: Option<LiveUtilization>,
}

/// Routing utilization as the API returns it (`AgentMaxUtilizationResponse`,
/// `UtilizationResponse`), field for field, so that a read converts into it through serde.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveUtilization {
    /// Per media type (`call`, `chat`, ...).
    #[serde(default)]
    pub utilization: BTreeMap<String, LiveMediaUtilization>,
    /// Per label id.
    #[serde(default)]
    pub label_utilizations: BTreeMap<String, LiveLabelUtilization>,
    /// Max inbound voice calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_inbound_calls: Option<i64>,
    /// `Agent` (the agent's own settings) or `Organization` (the org default applies);
    /// agents' reads only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
}

impl LiveUtilization {
    /// Whether the settings are the agent's own (`level: Agent`), not the org default.
    pub fn is_own(&self) -> bool {
        self.level.as_deref() == Some("Agent")
    }
}

/// One media type's utilization (`MediaUtilization`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveMediaUtilization {
    /// Interactions at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_capacity: Option<i64>,
    /// Media types that may interrupt this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interruptable_media_types: Option<Vec<String>>,
    /// Whether non-ACD interactions count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_non_acd: Option<bool>,
}

/// One label's utilization (`LabelUtilizationResponse`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveLabelUtilization {
    /// Interactions with this label at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_capacity: Option<i64>,
    /// Labels that may interrupt this one, by id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interrupting_label_ids: Option<Vec<String>>,
    /// The label's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_name: Option<String>,
}
