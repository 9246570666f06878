use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The org guard: which org the manifest belongs to. Give the name, the id, or both.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OrgGuard {
    /// The org's name, as `GET /api/v2/organizations/me` returns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The org's id, a UUID (`GET /api/v2/organizations/me` gives it; so does
    /// `switchboard org`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(
        pattern = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
    ))]
    pub id: Option<String>,
    /// The region's domain, e.g. `mypurecloud.ie`, or its AWS name, e.g. `eu-west-1`.
    pub region: String,
}

/// What the manifest is authoritative for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Scope {
    /// Divisions the manifest manages. Every division an object names must be listed here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub divisions: Vec<String>,
    /// Optional patterns (regular expressions) per kind (`skills`, `languages`, `wrapupCodes`,
    /// `skillGroups` or `queues`): only objects whose name matches are considered when pruning.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub names: BTreeMap<Kind, String>,
}

/// Deletion switches per kind; all off by default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Prune {
    /// Delete skills absent from the manifest.
    #[serde(default)]
    pub skills: bool,
    /// Delete routing languages absent from the manifest.
    #[serde(default)]
    pub languages: bool,
    /// Delete wrap-up codes absent from the manifest.
    #[serde(default)]
    pub wrapup_codes: bool,
    /// Delete skill groups absent from the manifest.
    #[serde(default)]
    pub skill_groups: bool,
    /// Delete queues absent from the manifest.
    #[serde(default)]
    pub queues: bool,
    /// Delete utilization labels absent from the manifest (never one an agent still uses).
    // Left out when off, so that the canonical JSON (and the hash plans record) of a manifest
    // written before labels existed stays the same.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub utilization_labels: bool,
}

/// The capacity guard: a change that projects a queue's saturation (forecast load ÷ the
/// members' capacity × `utilizationTarget`) above `maxSaturation` is refused unless forced.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CapacityGuard {
    /// The highest projected saturation a change may leave a queue at; 0.95 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 10.0))]
    pub max_saturation: Option<f64>,
}

impl CapacityGuard {
    /// The default limit: 95 % of the capacity the utilization target allows.
    pub const DEFAULT_MAX_SATURATION: f64 = 0.95;

    /// The limit, given or default.
    pub fn max_saturation(&self) -> f64 {
        self.max_saturation.unwrap_or(Self::DEFAULT_MAX_SATURATION)
    }
}

/// Per-kind naming rules: regular expressions names must match, e.g. `-(EN|ES|FR)$`.
pub type NamingRules = BTreeMap<Kind, String>;

/// The kinds of named object a manifest manages.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum Kind {
    /// Routing skills.
    Skills,
    /// Routing languages.
    Languages,
    /// Wrap-up codes.
    WrapupCodes,
    /// Skill groups.
    SkillGroups,
    /// Queues.
    Queues,
    /// Utilization labels.
    UtilizationLabels,
}

impl Kind {
    /// The manifest key of the kind.
    pub fn key(self) -> &'static str {
        match self {
            Kind::Skills => "skills",
            Kind::Languages => "languages",
            Kind::WrapupCodes => "wrapupCodes",
            Kind::SkillGroups => "skillGroups",
            Kind::Queues => "queues",
            Kind::UtilizationLabels => "utilizationLabels",
        }
    }

    /// The prefix used in `protect` entries: `skill`, `language`, `wrapupCode`,
    /// `skillGroup`, `queue`, `utilizationLabel`.
    pub fn singular(self) -> &'static str {
        match self {
            Kind::Skills => "skill",
            Kind::Languages => "language",
            Kind::WrapupCodes => "wrapupCode",
            Kind::SkillGroups => "skillGroup",
            Kind::Queues => "queue",
            Kind::UtilizationLabels => "utilizationLabel",
        }
    }

    /// Every kind.
    pub const ALL: [Kind; 6] = [
        Kind::Skills,
        Kind::Languages,
        Kind::WrapupCodes,
        Kind::SkillGroups,
        Kind::Queues,
        Kind::UtilizationLabels,
    ];
}
