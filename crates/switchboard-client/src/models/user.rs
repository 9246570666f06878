use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::EntityRef;

/// `User`, the parts switchboard reads. switchboard never creates, edits or deletes users;
/// it only changes their routing skills and languages.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// User id.
    pub id: Option<String>,
    /// Display name.
    pub name: Option<String>,
    /// Email, switchboard's key for users.
    pub email: Option<String>,
    /// Login name.
    pub username: Option<String>,
    /// `active`, `inactive` or `deleted`.
    pub state: Option<String>,
    /// Division.
    pub division: Option<EntityRef>,
    /// Version, required by a user PATCH.
    pub version: Option<i64>,
    /// Routing skills, with `expand=skills`.
    pub skills: Option<Vec<UserRoutingSkill>>,
    /// Routing languages, with `expand=languages`.
    pub languages: Option<Vec<UserRoutingLanguage>>,
    /// API path.
    pub self_uri: Option<String>,
}

/// `UserRoutingSkill`: a skill assigned to a user.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserRoutingSkill {
    /// Skill id.
    pub id: Option<String>,
    /// Skill name.
    pub name: Option<String>,
    /// 0.0 to 5.0.
    pub proficiency: Option<f64>,
    /// Assignment state.
    pub state: Option<String>,
    /// Skill path.
    pub skill_uri: Option<String>,
    /// API path.
    pub self_uri: Option<String>,
}

/// `UserRoutingSkillPost`: one assignment in a single or bulk write.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserRoutingSkillPost {
    /// Skill id.
    pub id: String,
    /// 0.0 to 5.0.
    pub proficiency: f64,
}

/// `UserRoutingLanguage`: a language assigned to a user.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserRoutingLanguage {
    /// Language id.
    pub id: Option<String>,
    /// Language name.
    pub name: Option<String>,
    /// 0 to 5 (the backend rounds to an integer).
    pub proficiency: Option<f64>,
    /// Assignment state.
    pub state: Option<String>,
    /// Language path.
    pub language_uri: Option<String>,
    /// API path.
    pub self_uri: Option<String>,
}

/// `UserRoutingLanguagePost`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserRoutingLanguagePost {
    /// Language id.
    pub id: String,
    /// 0 to 5.
    pub proficiency: f64,
}

/// `UserSearchRequest`, the parts switchboard uses (look-up by email).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserSearchRequest {
    /// Page size.
    pub page_size: Option<i64>,
    /// Page number, from 1.
    pub page_number: Option<i64>,
    /// Expansions such as `skills`, `languages`.
    pub expand: Option<Vec<String>>,
    /// Criteria.
    pub query: Vec<UserSearchCriteria>,
}

/// `UserSearchCriteria`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserSearchCriteria {
    /// `EXACT`, `TERM`, `TERMS`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// Fields searched.
    pub fields: Option<Vec<String>>,
    /// One value.
    pub value: Option<String>,
    /// Several values.
    pub values: Option<Vec<String>>,
}

/// `UsersSearchResponse`.
pub type UsersSearchResponse = super::SearchResponse<User>;
