use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::{
    AuthzDivision, EdgeGroup, EntityRef, Flow, Group, InboundDomain, InboundRoute, Language,
    Library, Prompt, Queue, QueueMember, Recipient, RoutingSkill, Script, Site,
    SkillGroupDefinition, SmsPhoneNumber, Team, User, UserReferenceWithName, UserRoutingLanguage,
    UserRoutingSkill, UtilizationLabel, WrapupCode,
};
use crate::paging::Listed;

/// A page of a listing (`QueueEntityListing`, `SkillEntityListing`, ...).
///
/// `QueueMemberEntityListing` (the queue members listing) has no `total`, `pageCount` or
/// `lastUri` (API-FACTS §2), so those are optional here. `entities` is not: the API
/// description marks no field of a listing required, but the API always sends `entities`
/// (`[]` when there is nothing), and a page without it is read as malformed, never as empty.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntityListing<T> {
    /// The objects on this page.
    pub entities: Vec<T>,
    /// Page size used.
    pub page_size: Option<i64>,
    /// This page's number, from 1.
    pub page_number: Option<i64>,
    /// Total objects (absent from the members listing).
    pub total: Option<i64>,
    /// Number of pages (absent from the members listing).
    pub page_count: Option<i64>,
    /// Path of the first page.
    pub first_uri: Option<String>,
    /// Path of the next page; absent on the last page.
    pub next_uri: Option<String>,
    /// Path of the previous page.
    pub previous_uri: Option<String>,
    /// Path of the last page.
    pub last_uri: Option<String>,
    /// Path of this page.
    pub self_uri: Option<String>,
}

/// A page of a cursor listing (`TeamEntityListing`, `SkillGroupEntityListing`,
/// `SkillGroupMemberEntityListing`): no `total`, no page number, only the path of the next
/// page, whose `after` cursor is all that is taken from it. As in [`EntityListing`], an answer
/// without `entities` is malformed, never empty.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CursorListing<T> {
    /// The objects on this page.
    pub entities: Vec<T>,
    /// Path of the next page; absent on the last page.
    pub next_uri: Option<String>,
    /// Path of the previous page.
    pub previous_uri: Option<String>,
    /// Path of this page.
    pub self_uri: Option<String>,
}

/// A listing with only `entities` (`ChannelEntityListing`, `ChannelTopicEntityListing`);
/// as in [`EntityListing`], an answer without `entities` is malformed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntitiesOnly<T> {
    /// The objects.
    pub entities: Vec<T>,
}

macro_rules! listed_by_id {
    ($($model:ty),* $(,)?) => {
        $(impl Listed for $model {
            fn listed_id(&self) -> Option<&str> {
                self.id.as_deref()
            }
        })*
    };
}

listed_by_id!(
    AuthzDivision,
    EdgeGroup,
    EntityRef,
    Flow,
    Group,
    InboundDomain,
    InboundRoute,
    Language,
    Library,
    Prompt,
    Queue,
    QueueMember,
    Recipient,
    RoutingSkill,
    Script,
    Site,
    SkillGroupDefinition,
    SmsPhoneNumber,
    UtilizationLabel,
    Team,
    User,
    UserReferenceWithName,
    UserRoutingLanguage,
    UserRoutingSkill,
    WrapupCode,
);
