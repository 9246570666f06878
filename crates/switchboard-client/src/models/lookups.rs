//! The objects a queue references and switchboard only looks up, never writes: flows, user
//! prompts, scripts, directory groups, teams, canned-response libraries, edge groups and
//! sites (API-FACTS-LOOKUPS L1); the outbound addresses are in `addresses.rs`. Each keeps the fields
//! a look-up by name needs; the rest of an answer is not kept, since nothing is written back.

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::EntityRef;

/// `Flow`, the parts a look-up needs.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Flow {
    /// Flow id.
    pub id: Option<String>,
    /// Flow name; flows of different types may share one (API-FACTS-LOOKUPS L1.3).
    pub name: String,
    /// Division (`WritableDivision`).
    pub division: Option<EntityRef>,
    /// Free text.
    pub description: Option<String>,
    /// The flow type, UPPERCASE (`INQUEUECALL`, ...). Kept as text: the answers' enum has
    /// values the listing's lowercase `type` filter lacks (`BUSINESSPROCESS`).
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Whether the flow is active.
    pub active: Option<bool>,
    /// A system flow.
    pub system: Option<bool>,
    /// Deleted (the listing leaves deleted flows out unless asked).
    pub deleted: Option<bool>,
    /// API path.
    pub self_uri: Option<String>,
}

/// `Prompt`: a user prompt, the parts a look-up needs.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Prompt {
    /// Prompt id.
    pub id: Option<String>,
    /// Prompt name.
    pub name: String,
    /// Division (`WritableStarrableDivision`).
    pub division: Option<EntityRef>,
    /// Free text.
    pub description: Option<String>,
    /// API path.
    pub self_uri: Option<String>,
}

/// `Script`, the parts a look-up needs. The description marks no field of it required.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Script {
    /// Script id.
    pub id: Option<String>,
    /// Script name.
    pub name: Option<String>,
    /// Division.
    pub division: Option<EntityRef>,
    /// The version listed.
    pub version_id: Option<String>,
    /// When the script was last published, if ever.
    pub published_date: Option<String>,
    /// API path.
    pub self_uri: Option<String>,
}

/// `Group`: a directory group, the parts a look-up needs.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    /// Group id.
    pub id: Option<String>,
    /// Group name.
    pub name: String,
    /// Free text.
    pub description: Option<String>,
    /// Members.
    pub member_count: Option<i64>,
    /// `active`, `inactive` or `deleted`.
    pub state: Option<String>,
    /// `official` or `social`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// `public`, `owners` or `members`: who can see the group.
    pub visibility: Option<String>,
    /// API path.
    pub self_uri: Option<String>,
}

/// `Team`, the parts a look-up needs.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Team {
    /// Team id.
    pub id: Option<String>,
    /// Team name.
    pub name: String,
    /// Division (`WritableDivision`).
    pub division: Option<EntityRef>,
    /// Free text.
    pub description: Option<String>,
    /// Members.
    pub member_count: Option<i64>,
    /// Last modification time.
    pub date_modified: Option<String>,
    /// API path.
    pub self_uri: Option<String>,
}

/// `Library`: a canned-response library, the parts a look-up needs.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Library {
    /// Library id.
    pub id: Option<String>,
    /// Library name (required by the description).
    pub name: String,
    /// API path.
    pub self_uri: Option<String>,
}

/// `EdgeGroup`, the parts a look-up needs.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EdgeGroup {
    /// Edge group id.
    pub id: Option<String>,
    /// Edge group name (required by the description).
    pub name: String,
    /// `active`, `inactive` or `deleted`.
    pub state: Option<String>,
    /// API path.
    pub self_uri: Option<String>,
}

/// `Site`: a telephony site, the parts a look-up needs.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Site {
    /// Site id.
    pub id: Option<String>,
    /// Site name (required by the description).
    pub name: String,
    /// `active`, `inactive` or `deleted`; a look-up skips deleted sites (L1.3).
    pub state: Option<String>,
    /// API path.
    pub self_uri: Option<String>,
}
