use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::EntityRef;

/// `RoutingSkill`. Skills have no PUT, so no rename (API-FACTS §5); delete is soft.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoutingSkill {
    /// Skill id.
    pub id: Option<String>,
    /// Skill name (immutable).
    pub name: String,
    /// Last modification time.
    pub date_modified: Option<String>,
    /// `active`, `inactive` or `deleted` (a deleted skill can still be listed).
    pub state: Option<String>,
    /// System-assigned version.
    pub version: Option<String>,
    /// Division.
    pub division: Option<EntityRef>,
    /// API path.
    pub self_uri: Option<String>,
}

impl RoutingSkill {
    /// False for soft-deleted skills, which listings may still return.
    pub fn is_live(&self) -> bool {
        self.state.as_deref() != Some("deleted")
    }
}

/// `CreateRoutingSkill`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateRoutingSkill {
    /// Skill name.
    pub name: String,
}

/// `UpdateSkillDivisionRequest`: the only change a skill PATCH makes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateSkillDivisionRequest {
    /// Target division.
    pub division_id: String,
}

/// `Language`: a routing language.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Language {
    /// Language id.
    pub id: Option<String>,
    /// Language name.
    pub name: String,
    /// Last modification time.
    pub date_modified: Option<String>,
    /// `active`, `inactive` or `deleted`.
    pub state: Option<String>,
    /// System-assigned version.
    pub version: Option<String>,
    /// API path.
    pub self_uri: Option<String>,
}

impl Language {
    /// False for soft-deleted languages.
    pub fn is_live(&self) -> bool {
        self.state.as_deref() != Some("deleted")
    }
}

/// `WrapupCode` as read.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WrapupCode {
    /// Code id.
    pub id: Option<String>,
    /// Code name, unique in the org.
    pub name: String,
    /// Division.
    pub division: Option<EntityRef>,
    /// Free text.
    pub description: Option<String>,
    /// Creation time.
    pub date_created: Option<String>,
    /// Last modification time.
    pub date_modified: Option<String>,
    /// Creator.
    pub created_by: Option<String>,
    /// Last modifier.
    pub modified_by: Option<String>,
    /// API path.
    pub self_uri: Option<String>,
}

/// `WrapupCodeRequest`: the writable part of a wrap-up code (POST and full PUT).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WrapupCodeRequest {
    /// Code name.
    pub name: String,
    /// Division (`WritableStarrableDivision`).
    pub division: Option<EntityRef>,
    /// Free text.
    pub description: Option<String>,
}

impl From<&WrapupCode> for WrapupCodeRequest {
    fn from(code: &WrapupCode) -> Self {
        WrapupCodeRequest {
            name: code.name.clone(),
            division: code
                .division
                .as_ref()
                .and_then(|d| d.id.clone())
                .map(EntityRef::id),
            description: code.description.clone(),
        }
    }
}
