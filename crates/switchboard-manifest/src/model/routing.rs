use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A routing skill. Skills cannot be renamed in Genesys Cloud: a new name is a new skill.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Skill {
    /// Skill name, unique in the org.
    #[schemars(length(min = 1, max = 255))]
    pub name: String,
    /// Former names. The API cannot rename a skill, so a skill found under a former name is
    /// replaced: the new skill is created, every assignment of the old one moves to it, and
    /// the old one is deleted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub renamed_from: Vec<String>,
    /// Division, by name (must be in `scope.divisions`). When absent, a new object goes to
    /// the home division and an existing one stays where it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub division: Option<String>,
}

/// A routing language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Language {
    /// Language name, unique in the org.
    #[schemars(length(min = 1, max = 255))]
    pub name: String,
}

/// A utilization label (API-FACTS-LOOKUPS L2.2): a name interactions carry, whose capacity
/// the org's and agents' `labelUtilizations` set. Renamed in place.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UtilizationLabel {
    /// Label name, unique in the org (the API description gives no length limit).
    #[schemars(length(min = 1))]
    pub name: String,
    /// Former names: a label found under one of them is renamed in place
    /// (`PUT /api/v2/routing/utilization/labels/{labelId}`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub renamed_from: Vec<String>,
}

/// An org-level wrap-up code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct WrapupCode {
    /// Code name, unique in the org.
    #[schemars(length(min = 1, max = 255))]
    pub name: String,
    /// Former names: a code found under one of them is renamed in place.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub renamed_from: Vec<String>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Division, by name (must be in `scope.divisions`), or `*` for every division. When
    /// absent, a new code goes where the API puts a code created without one, every division
    /// (`*`), and an existing one stays where it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub division: Option<String>,
}

/// The division a wrap-up code names to be in every division: the API's
/// `WritableStarrableDivision {id: "*"}`. The vendor's provider documents a code created
/// without a division as in `*` ("If not set, * will be used to indicate all divisions",
/// `routing_wrapupcode` schema), as does the admin guide ("defaulting to the 'All'
/// division"); the API description types the field `WritableStarrableDivision` and states
/// no default.
pub const ALL_DIVISIONS: &str = "*";
