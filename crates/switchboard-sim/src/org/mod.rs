//! The simulated org: every entity the API subset exposes, the operations that change them
//! (used alike by the API routes, the admin and the seeding), and their wire renderings.

mod addresses;
mod directory_groups;
mod divisions;
mod flows;
mod group_members;
mod member_groups;
mod members;
mod named_lookups;
mod prompts;
mod queue_references;
mod queue_wrapup_codes;
mod queues;
mod routing_attributes;
mod routing_settings;
mod scripts;
mod skill_conditions;
mod skill_groups;
mod skills;
mod teams;
mod users;
mod utilization;
mod utilization_labels;
mod wrapup_codes;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, Instant};

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::audit::{ADMIN_NAME, Actor, AuditRecord, PropertyChange};
use crate::ids;

pub(crate) use addresses::{EmailDomain, EmailRoute, MESSENGER_TYPES, Recipient, SmsNumber};
pub(crate) use directory_groups::DirectoryGroup;
pub(crate) use flows::{FLOW_QUERY_TYPES, Flow, flow_type};
pub(crate) use member_groups::GroupKind;
pub(crate) use members::MemberExpand;
pub(crate) use named_lookups::NamedLookup;
pub(crate) use prompts::Prompt;
pub(crate) use queue_references::is_route_reference_detail;
pub(crate) use queues::{QueueDefinition, set_pointer};
pub(crate) use routing_attributes::Attribute;
pub(crate) use routing_settings::{SETTINGS_ENTITY, SettingsPart};
pub(crate) use scripts::Script;
pub(crate) use skill_groups::SkillGroup;
pub(crate) use teams::Team;
pub(crate) use utilization_labels::UtilizationLabel;
pub(crate) use wrapup_codes::ALL_DIVISIONS;

/// An ISO-8601 UTC timestamp with milliseconds, the API's date format.
pub(crate) fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// `state` of skills and languages (and of user skill assignments).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum EntityState {
    Active,
    Deleted,
}

impl EntityState {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            EntityState::Active => "active",
            EntityState::Deleted => "deleted",
        }
    }
}

/// `state` of a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum UserState {
    /// An active user.
    Active,
    /// An inactive user (cannot log in; keeps its configuration).
    Inactive,
    /// A deleted user.
    Deleted,
}

impl UserState {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            UserState::Active => "active",
            UserState::Inactive => "inactive",
            UserState::Deleted => "deleted",
        }
    }
}

/// How a user is a member of a queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum MemberBy {
    /// A direct member, added through the members endpoints.
    User,
    /// A member through one of the queue's member groups.
    Group,
}

impl MemberBy {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            MemberBy::User => "user",
            MemberBy::Group => "group",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OrgInfo {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Division {
    pub id: String,
    pub name: String,
    pub description: String,
    pub home: bool,
}

/// A skill or a language of the org: named, soft-deleted, assigned to users.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RoutingAttribute {
    pub id: String,
    pub name: String,
    pub state: EntityState,
    /// A skill's division; languages have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub division_id: Option<String>,
    pub date_modified: DateTime<Utc>,
    pub version: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WrapupCode {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    /// A division's id, or `*` for every division.
    pub division_id: String,
    pub date_created: DateTime<Utc>,
    pub date_modified: DateTime<Utc>,
    pub created_by: Option<String>,
    pub modified_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct User {
    pub id: String,
    pub name: String,
    pub email: String,
    pub state: UserState,
    pub division_id: String,
    pub version: u64,
    /// Skill id → proficiency.
    pub skills: BTreeMap<String, f64>,
    /// Language id → proficiency.
    pub languages: BTreeMap<String, f64>,
    /// The agent's own max-utilization settings (a `UtilizationResponse` object).
    pub utilization: Option<Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Member {
    pub ring: u8,
    pub joined: bool,
    pub member_by: MemberBy,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Queue {
    pub id: String,
    pub name: String,
    pub division_id: String,
    /// Every writable `QueueRequest` field except name and division, stored verbatim so
    /// fields switchboard does not model survive exactly.
    pub settings: Map<String, Value>,
    pub date_created: DateTime<Utc>,
    pub date_modified: DateTime<Utc>,
    pub created_by: Option<String>,
    pub modified_by: Option<String>,
    /// User id → membership.
    pub members: BTreeMap<String, Member>,
    /// Wrap-up code ids.
    pub wrapup_codes: BTreeSet<String>,
    /// Members through a group the org does not describe (a fixture's `memberBy: group`
    /// members): user id → ring. They stay group members whatever `memberGroups` says.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub opaque_group_members: BTreeMap<String, u8>,
}

/// The whole simulated org; this is what the state file and snapshots hold.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OrgState {
    pub org: OrgInfo,
    pub divisions: BTreeMap<String, Division>,
    pub skills: BTreeMap<String, RoutingAttribute>,
    pub languages: BTreeMap<String, RoutingAttribute>,
    pub wrapup_codes: BTreeMap<String, WrapupCode>,
    pub users: BTreeMap<String, User>,
    pub queues: BTreeMap<String, Queue>,
    /// Architect flows (seeded lookups; the API subset cannot change them).
    #[serde(default)]
    pub flows: BTreeMap<String, Flow>,
    /// Architect user prompts (seeded lookups).
    #[serde(default)]
    pub prompts: BTreeMap<String, Prompt>,
    /// Scripts (seeded lookups).
    #[serde(default)]
    pub scripts: BTreeMap<String, Script>,
    /// Directory groups (seeded; membership changes only through the admin).
    #[serde(default)]
    pub groups: BTreeMap<String, DirectoryGroup>,
    /// Teams (seeded; membership changes only through the admin).
    #[serde(default)]
    pub teams: BTreeMap<String, Team>,
    /// Skill groups, whose members are computed from their skill conditions.
    #[serde(default)]
    pub skill_groups: BTreeMap<String, SkillGroup>,
    /// Canned-response libraries (seeded lookups).
    #[serde(default)]
    pub canned_response_libraries: BTreeMap<String, NamedLookup>,
    /// Inbound email domains by id (the domain name, lowercase), with their routes (seeded).
    #[serde(default)]
    pub email_domains: BTreeMap<String, EmailDomain>,
    /// SMS phone numbers (seeded lookups).
    #[serde(default)]
    pub sms_numbers: BTreeMap<String, SmsNumber>,
    /// Message recipients (seeded lookups).
    #[serde(default)]
    pub message_recipients: BTreeMap<String, Recipient>,
    /// Telephony edge groups (seeded lookups).
    #[serde(default)]
    pub edge_groups: BTreeMap<String, NamedLookup>,
    /// Telephony sites (seeded lookups).
    #[serde(default)]
    pub sites: BTreeMap<String, NamedLookup>,
    /// The org's max-utilization settings; `None` means the system defaults.
    pub org_utilization: Option<Value>,
    /// The org's routing settings (`RoutingSettings`); `None` means a new org's defaults.
    #[serde(default)]
    pub routing_settings: Option<Value>,
    /// The contact center settings; `None` means a new org's defaults.
    #[serde(default)]
    pub contact_center_settings: Option<Value>,
    /// The transcription settings; `None` means a new org's defaults.
    #[serde(default)]
    pub transcription_settings: Option<Value>,
    /// Utilization labels.
    #[serde(default)]
    pub utilization_labels: BTreeMap<String, UtilizationLabel>,
    pub audit: Vec<AuditRecord>,
    /// Objects created recently are hidden from lists and GETs until then.
    #[serde(skip)]
    pub hidden_until: HashMap<String, Instant>,
    /// How long a newly created object stays hidden.
    #[serde(skip)]
    pub eventual_consistency: Duration,
    /// Audit records appended since the notifier last looked.
    #[serde(skip)]
    pub unpublished: Vec<AuditRecord>,
}

/// A shorthand for ops results.
pub(crate) type OpResult<T> = Result<T, crate::api_error::ApiError>;

impl OrgState {
    /// An empty org with only a home division.
    pub(crate) fn new(org_id: &str, org_name: &str) -> OrgState {
        let ns = ids::org_namespace(org_id);
        let home = Division {
            id: ids::derived(&ns, "division", "Home"),
            name: "Home".to_string(),
            description: "Home Division".to_string(),
            home: true,
        };
        OrgState {
            org: OrgInfo {
                id: org_id.to_string(),
                name: org_name.to_string(),
            },
            divisions: BTreeMap::from([(home.id.clone(), home)]),
            skills: BTreeMap::new(),
            languages: BTreeMap::new(),
            wrapup_codes: BTreeMap::new(),
            users: BTreeMap::new(),
            queues: BTreeMap::new(),
            flows: BTreeMap::new(),
            prompts: BTreeMap::new(),
            scripts: BTreeMap::new(),
            groups: BTreeMap::new(),
            teams: BTreeMap::new(),
            skill_groups: BTreeMap::new(),
            canned_response_libraries: BTreeMap::new(),
            email_domains: BTreeMap::new(),
            sms_numbers: BTreeMap::new(),
            message_recipients: BTreeMap::new(),
            edge_groups: BTreeMap::new(),
            sites: BTreeMap::new(),
            org_utilization: None,
            routing_settings: None,
            contact_center_settings: None,
            transcription_settings: None,
            utilization_labels: BTreeMap::new(),
            audit: Vec::new(),
            hidden_until: HashMap::new(),
            eventual_consistency: Duration::ZERO,
            unpublished: Vec::new(),
        }
    }

    /// The admin person edits in the UI are attributed to.
    pub(crate) fn admin_actor(&self) -> Actor {
        Actor::User {
            id: ids::derived(&ids::org_namespace(&self.org.id), "admin", ADMIN_NAME),
            name: ADMIN_NAME.to_string(),
        }
    }

    pub(crate) fn home_division_id(&self) -> String {
        self.divisions
            .values()
            .find(|d| d.home)
            .or_else(|| self.divisions.values().next())
            .map(|d| d.id.clone())
            .unwrap_or_default()
    }

    /// `{id, name, selfUri}` of a division.
    pub(crate) fn division_ref(&self, id: &str) -> Value {
        let name = self
            .divisions
            .get(id)
            .map(|d| d.name.clone())
            .unwrap_or_default();
        json!({"id": id, "name": name, "selfUri": format!("/api/v2/authorization/divisions/{id}")})
    }

    /// Appends an audit record.
    pub(crate) fn record(
        &mut self,
        actor: &Actor,
        entity_type: &str,
        entity_id: &str,
        entity_name: &str,
        action: &str,
        property_changes: Vec<PropertyChange>,
    ) {
        let record = AuditRecord {
            id: ids::random(),
            event_date: Utc::now(),
            actor: actor.clone(),
            entity_type: entity_type.to_string(),
            entity_id: entity_id.to_string(),
            entity_name: entity_name.to_string(),
            action: action.to_string(),
            property_changes,
        };
        self.unpublished.push(record.clone());
        self.audit.push(record);
    }

    /// Hides a newly created object for the eventual-consistency delay.
    pub(crate) fn hide_new(&mut self, id: &str) {
        if !self.eventual_consistency.is_zero() {
            self.hidden_until
                .insert(id.to_string(), Instant::now() + self.eventual_consistency);
        }
    }

    /// Whether a list or GET can see the object yet.
    pub(crate) fn visible(&self, id: &str) -> bool {
        self.hidden_until
            .get(id)
            .is_none_or(|until| Instant::now() >= *until)
    }
}

/// The sort key every listing uses: name (case-insensitively, then exactly), then id.
pub(crate) fn name_key(name: &str, id: &str) -> (String, String, String) {
    (name.to_lowercase(), name.to_string(), id.to_string())
}

/// The JSON text of a value, for audit property values.
pub(crate) fn audit_value(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Leaf-level differences between two JSON objects, as audit property changes; numbers are
/// compared by value ([`crate::audit::same_json`]).
pub(crate) fn json_changes(prefix: &str, old: &Value, new: &Value, out: &mut Vec<PropertyChange>) {
    let empty = Value::Object(Map::new());
    let (old, new) = match (old, new) {
        (Value::Null, b @ Value::Object(_)) => (&empty, b),
        (a @ Value::Object(_), Value::Null) => (a, &empty),
        other => other,
    };
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                json_changes(
                    &path,
                    a.get(key).unwrap_or(&Value::Null),
                    b.get(key).unwrap_or(&Value::Null),
                    out,
                );
            }
        }
        (a, b) if crate::audit::same_json(a, b) => {}
        (a, b) => {
            let values = |v: &Value| match v {
                Value::Null => vec![],
                other => vec![audit_value(other)],
            };
            out.push(PropertyChange::new(prefix, values(a), values(b)));
        }
    }
}
