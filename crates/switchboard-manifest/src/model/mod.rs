//! The desired state as people write it: one typed tree, serialised in camelCase with the
//! API's field names wherever the concept is the same, referring to other objects by name.
//!
//! These types are the single source of the JSON schema (`schemas/manifest.schema.json`):
//! doc comments become descriptions, `schemars` attributes become the ranges API-FACTS
//! gives. Unknown keys are refused everywhere (`deny_unknown_fields`).

mod agents;
mod governance;
mod queue;
mod routing;
mod settings;
mod skill_groups;

pub use agents::*;
pub use governance::*;
pub use queue::*;
pub use routing::*;
pub use settings::*;
pub use skill_groups::*;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A switchboard manifest: the routing configuration of one Genesys Cloud org.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(title = "switchboard manifest")]
pub struct Manifest {
    /// Manifest format version; only `1` exists.
    #[schemars(range(min = 1, max = 1))]
    pub version: u32,
    /// The org this manifest is for. Plan and apply refuse to touch any other org.
    pub org: OrgGuard,
    /// What this manifest is authoritative for; only used when pruning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    /// Which kinds may have objects deleted when they are absent from the manifest. Off for
    /// every kind unless set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prune: Option<Prune>,
    /// Objects never deleted, whatever the manifest says, as `kind:name` with kind `skill`,
    /// `language`, `wrapupCode`, `skillGroup`, `queue` or `utilizationLabel`, e.g.
    /// `queue:Billing EN`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub protect: Vec<String>,
    /// Naming rules per kind (`skills`, `languages`, `wrapupCodes`, `skillGroups`, `queues`
    /// or `utilizationLabels`): a regular
    /// expression every name of that kind must match, e.g. `-(EN|ES|FR)$`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub naming: Option<NamingRules>,
    /// The capacity guard's limit (it runs when `plan` or `apply` is given `--forecast`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<CapacityGuard>,
    /// The org's default capacity (`PUT /api/v2/routing/utilization`): what every agent
    /// without settings of its own takes at once, per media type. The same keys as an
    /// agent's `capacity`; `mode` is `authoritative`, `additive` or `ignore` (`orgDefault` is
    /// for agents). Absent: neither read nor changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utilization: Option<Capacity>,
    /// The org's routing settings: `resetAgentScoreOnPresenceChange`, `contactCenter` and
    /// `transcription`. Each part is read only when a field of it is set, and only the fields
    /// set are compared and changed. Absent: neither read nor changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing_settings: Option<RoutingSettings>,
    /// Routing skills.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<Skill>,
    /// Routing languages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<Language>,
    /// Org-level wrap-up codes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wrapup_codes: Vec<WrapupCode>,
    /// Utilization labels, by name. A label's capacity is set by an agent's (or the org's)
    /// `capacity.labels`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub utilization_labels: Vec<UtilizationLabel>,
    /// Skill groups: agents grouped by their skills and languages, for queues' member groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skill_groups: Vec<SkillGroup>,
    /// Queues with their settings, wrap-up codes and members.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queues: Vec<Queue>,
    /// Agents' routing skills, languages and capacity. Users are never created or deleted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agents: Vec<Agent>,
}

impl Manifest {
    /// The names the manifest declares for `kind`, as it spells them.
    pub fn names(&self, kind: Kind) -> Vec<&str> {
        match kind {
            Kind::Skills => self.skills.iter().map(|s| s.name.as_str()).collect(),
            Kind::Languages => self.languages.iter().map(|l| l.name.as_str()).collect(),
            Kind::WrapupCodes => self.wrapup_codes.iter().map(|c| c.name.as_str()).collect(),
            Kind::SkillGroups => self.skill_groups.iter().map(|g| g.name.as_str()).collect(),
            Kind::Queues => self.queues.iter().map(|q| q.name.as_str()).collect(),
            Kind::UtilizationLabels => self
                .utilization_labels
                .iter()
                .map(|l| l.name.as_str())
                .collect(),
        }
    }
}

/// How a managed collection is reconciled.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum Mode {
    /// The list is the whole truth: what is not listed is removed.
    Authoritative,
    /// What is listed is added or updated; nothing is ever removed.
    Additive,
    /// Not read and not touched.
    Ignore,
}

/// `org.id`: a UUID. (schemars takes a pattern only as a literal: the attribute repeats it.)
pub const UUID_PATTERN: &str =
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
/// A queue's outbound email address: `pattern@domain`.
pub const EMAIL_ADDRESS_PATTERN: &str = r"^[^@\s]+@[^@\s]+$";
/// A queue's `defaultMediaLanguage`: a language code such as `en-US`.
pub const LANGUAGE_CODE_PATTERN: &str = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$";
