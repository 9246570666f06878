use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

/// `UtilizationRequest` (PUT) and `UtilizationResponse` (GET) for the org, and the
/// per-agent `AgentMaxUtilizationResponse` which adds `level`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Utilization {
    /// Per media type: `call`, `callback`, `chat`, `email`, `message`.
    pub utilization: Option<BTreeMap<String, MediaUtilization>>,
    /// Per label id.
    pub label_utilizations: Option<BTreeMap<String, LabelUtilization>>,
    /// Maximum inbound calls.
    pub max_inbound_calls: Option<i64>,
    /// Per-agent reads only: `Agent` or `Organization` (the org default applies). Never sent.
    #[serde(skip_serializing)]
    pub level: Option<String>,
}

/// `MediaUtilization`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MediaUtilization {
    /// Interactions at once, 0-25.
    pub maximum_capacity: Option<i64>,
    /// Media types that may interrupt this one.
    pub interruptable_media_types: Option<Vec<String>>,
    /// Count non-ACD interactions.
    pub include_non_acd: Option<bool>,
}

/// `LabelUtilizationRequest` / `LabelUtilizationResponse`, the common part.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelUtilization {
    /// Interactions at once.
    pub maximum_capacity: Option<i64>,
    /// Labels that may interrupt this one.
    pub interrupting_label_ids: Option<Vec<String>>,
}

/// `UtilizationLabel`: a label interactions carry, whose capacity is set through
/// `labelUtilizations` (API-FACTS-LOOKUPS L2.2). It has only a name.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UtilizationLabel {
    /// Label id.
    pub id: Option<String>,
    /// Label name.
    pub name: Option<String>,
    /// The URI for this object.
    pub self_uri: Option<String>,
}

/// `CreateUtilizationLabelRequest` (without its optional org-level `utilization`, which
/// switchboard does not set: the org's `labelUtilizations` does).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateUtilizationLabelRequest {
    /// The label's name.
    pub name: String,
}

/// `UpdateUtilizationLabelRequest`: only the name can change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateUtilizationLabelRequest {
    /// The label's new name.
    pub name: String,
}
