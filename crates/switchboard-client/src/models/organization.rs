use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

/// `Organization` from `GET /api/v2/organizations/me`: the org guard's source of truth.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    /// Org id.
    pub id: Option<String>,
    /// Org name.
    pub name: Option<String>,
    /// Default language.
    pub default_language: Option<String>,
    /// Default country code.
    pub default_country_code: Option<String>,
    /// Globally unique short name.
    pub third_party_org_name: Option<String>,
    /// Domain.
    pub domain: Option<String>,
    /// Feature flags.
    pub features: Option<BTreeMap<String, bool>>,
    /// Version.
    pub version: Option<i64>,
    /// `active`, `inactive` or `deleted`.
    pub state: Option<String>,
    /// API path.
    pub self_uri: Option<String>,
}
