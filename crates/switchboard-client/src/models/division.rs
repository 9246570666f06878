use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

/// `AuthzDivision`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthzDivision {
    /// Division id.
    pub id: Option<String>,
    /// Division name.
    pub name: String,
    /// Free text.
    pub description: Option<String>,
    /// True for the org's home division.
    pub home_division: Option<bool>,
    /// Objects per type, with `objectCount=true`.
    pub object_counts: Option<BTreeMap<String, i64>>,
    /// API path.
    pub self_uri: Option<String>,
}
