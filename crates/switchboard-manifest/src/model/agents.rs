use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Mode;

/// An agent's routing skills and languages. The user must exist; switchboard never
/// creates or deletes users.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Agent {
    /// The user's email.
    #[schemars(length(min = 3, max = 254))]
    pub user: String,
    /// Routing skills with proficiency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skills: Option<Proficiencies>,
    /// Routing languages with proficiency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub languages: Option<Proficiencies>,
}

/// A set of assignments with proficiency, and how it is reconciled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Proficiencies {
    /// `authoritative` removes assignments not listed; `additive` never removes; `ignore`
    /// leaves them alone.
    pub mode: Mode,
    /// Proficiency (0 to 5) by skill or language name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub proficiency: BTreeMap<String, Proficiency>,
}

/// A proficiency from 0 to 5 (the API takes a float; languages are rounded to whole numbers).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct Proficiency(#[schemars(range(min = 0.0, max = 5.0))] pub f64);
