use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::Extra;

/// `RoutingSettings` (`GET|PUT /api/v2/routing/settings`), written back whole: a field not
/// named here is kept in `extra` and sent back unchanged.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoutingSettings {
    /// Reset agent score when agent presence changes from off-queue to on-queue.
    pub reset_agent_score_on_presence_change: Option<bool>,
    /// Every other field, verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `ContactCenterSettings` (`GET|PATCH /api/v2/routing/settings/contactcenter`).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactCenterSettings {
    /// Strip skills from transfer.
    pub remove_skills_from_blind_transfer: Option<bool>,
    /// Every other field, verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `TranscriptionSettings` (`GET|PUT /api/v2/routing/settings/transcription`), written back
/// whole; `transcription` and `transcriptionConfidenceThreshold` are required in a PUT.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TranscriptionSettings {
    /// `Disabled`, `EnabledGlobally` or `EnabledQueueFlow` (kept as text: see the module).
    pub transcription: Option<String>,
    /// Confidence threshold, from 1 to 100.
    pub transcription_confidence_threshold: Option<i64>,
    /// Low latency transcription via the Notification API.
    pub low_latency_transcription_enabled: Option<bool>,
    /// Content search.
    pub content_search_enabled: Option<bool>,
    /// PCI DSS redaction.
    pub pci_dss_redaction_enabled: Option<bool>,
    /// PII redaction.
    pub pii_redaction_enabled: Option<bool>,
    /// Every other field, verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}
