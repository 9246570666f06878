use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Mode;

/// An agent's routing skills, languages and capacity. The user must exist; switchboard never
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
    /// Maximum capacity per media type (routing utilization), or the org's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<Capacity>,
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

/// Maximum capacity (routing utilization) of an agent (`agents[].capacity`,
/// `PUT /api/v2/routing/users/{userId}/utilization`) or of the org (`utilization`,
/// `PUT /api/v2/routing/utilization`): how many interactions of each media type an agent
/// takes at once, and which may interrupt which. Absent: neither read nor changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Capacity {
    /// `authoritative`: each media type listed is exactly as written (a field left out takes
    /// the API's empty value: no interrupting media types, non-ACD interactions not counted);
    /// `additive`: only the fields written are set. In both, media types not listed and
    /// `maxInboundCalls` when absent keep their values, and the agent gets settings of its
    /// own. `orgDefault`: the agent's own settings are removed, so the org's apply (list
    /// nothing else). `ignore`: not read, not changed. Label utilizations are changed only
    /// when `labels` is given.
    pub mode: CapacityMode,
    /// Voice calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<MediaCapacity>,
    /// Callbacks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback: Option<MediaCapacity>,
    /// Chats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat: Option<MediaCapacity>,
    /// Emails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<MediaCapacity>,
    /// Messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<MediaCapacity>,
    /// The most inbound voice calls the agent takes at once (`maxInboundCalls`; the API
    /// description gives no range). Absent: kept as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_inbound_calls: Option<u32>,
    /// Capacity per utilization label, by the label's name (declared under
    /// `utilizationLabels`; the API's `labelUtilizations`). Absent: label utilizations are
    /// kept as read. Under `authoritative` the labels listed are all there is: the others
    /// are removed; under `additive` only those listed are set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<BTreeMap<String, LabelCapacity>>,
}

/// The capacity of one utilization label (`LabelUtilizationRequest`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LabelCapacity {
    /// Interactions with this label an agent handles at once (the API description gives no
    /// range). Required under `mode: authoritative`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_capacity: Option<u32>,
    /// The labels, by name, whose interactions may interrupt one with this label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interrupting_labels: Option<Vec<String>>,
}

impl Capacity {
    /// The media types the capacity lists, with their settings, in [`MediaType::ALL`] order.
    pub fn media(&self) -> Vec<(MediaType, &MediaCapacity)> {
        MediaType::ALL
            .into_iter()
            .filter_map(|media| Some((media, self.get(media).as_ref()?)))
            .collect()
    }

    /// The settings of one media type.
    pub fn get(&self, media: MediaType) -> &Option<MediaCapacity> {
        match media {
            MediaType::Call => &self.call,
            MediaType::Callback => &self.callback,
            MediaType::Chat => &self.chat,
            MediaType::Email => &self.email,
            MediaType::Message => &self.message,
        }
    }

    /// The settings of one media type, to set.
    pub fn get_mut(&mut self, media: MediaType) -> &mut Option<MediaCapacity> {
        match media {
            MediaType::Call => &mut self.call,
            MediaType::Callback => &mut self.callback,
            MediaType::Chat => &mut self.chat,
            MediaType::Email => &mut self.email,
            MediaType::Message => &mut self.message,
        }
    }
}

/// How an agent's capacity is reconciled.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum CapacityMode {
    /// Each media type listed is exactly as written.
    #[default]
    Authoritative,
    /// Only the fields written are set; everything else is kept.
    Additive,
    /// The agent uses the org's default capacity (its own settings are deleted).
    OrgDefault,
    /// Not read and not touched.
    Ignore,
}

/// The capacity of one media type (`MediaUtilization`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MediaCapacity {
    /// Interactions of this media type the agent handles at once, 0 to 25 (the API
    /// description gives no range; 0–25 is the range of the vendor's Terraform provider,
    /// API-FACTS §8). Required under `mode: authoritative`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 25))]
    pub maximum_capacity: Option<u32>,
    /// The other media types that may interrupt an interaction of this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interruptable_media_types: Option<Vec<MediaType>>,
    /// Whether non-ACD interactions count against this capacity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_non_acd: Option<bool>,
}

/// A media type utilization is set for.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum MediaType {
    /// Voice calls.
    Call,
    /// Callbacks.
    Callback,
    /// Chats.
    Chat,
    /// Emails.
    Email,
    /// Messages.
    Message,
}

impl MediaType {
    /// Every media type, in the API's order.
    pub const ALL: [MediaType; 5] = [
        MediaType::Call,
        MediaType::Callback,
        MediaType::Chat,
        MediaType::Email,
        MediaType::Message,
    ];

    /// The API's name: `call`, `chat`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            MediaType::Call => "call",
            MediaType::Callback => "callback",
            MediaType::Chat => "chat",
            MediaType::Email => "email",
            MediaType::Message => "message",
        }
    }

    /// The media type the API calls `name`, if any.
    pub fn parse(name: &str) -> Option<MediaType> {
        MediaType::ALL.into_iter().find(|m| m.as_str() == name)
    }
}
