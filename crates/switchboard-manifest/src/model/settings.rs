//! The org's routing settings (`routingSettings`): three singletons of the org, each read
//! and written on its own (API-FACTS-LOOKUPS L2.3). A field left out is neither read nor
//! changed; a part with no field set is not read at all.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The org's routing settings. Absent, and each part absent or empty: neither read nor
/// changed. Never deleted (`DELETE /api/v2/routing/settings` resets them; switchboard does
/// not send it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RoutingSettings {
    /// Reset an agent's score when their presence changes from off-queue to on-queue
    /// (`PUT /api/v2/routing/settings`, read-modify-write).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reset_agent_score_on_presence_change: Option<bool>,
    /// The contact center settings (`PATCH /api/v2/routing/settings/contactcenter`, only the
    /// changed fields sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_center: Option<ContactCenterSettings>,
    /// The transcription settings (`PUT /api/v2/routing/settings/transcription`,
    /// read-modify-write: a field left out is sent as read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcription: Option<TranscriptionSettings>,
}

/// The contact center settings (`ContactCenterSettings`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ContactCenterSettings {
    /// Strip the skills from an interaction transferred blind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remove_skills_from_blind_transfer: Option<bool>,
}

/// The transcription settings (`TranscriptionSettings`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TranscriptionSettings {
    /// Whether interactions are transcribed: `Disabled`, `EnabledGlobally` or
    /// `EnabledQueueFlow`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcription: Option<Transcription>,
    /// The confidence threshold, from 1 to 100 (the API description's range).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 100))]
    pub transcription_confidence_threshold: Option<u32>,
    /// Low latency transcription through the Notification API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low_latency_transcription_enabled: Option<bool>,
    /// Content search.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_search_enabled: Option<bool>,
    /// PCI DSS redaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pci_dss_redaction_enabled: Option<bool>,
    /// PII redaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pii_redaction_enabled: Option<bool>,
}

/// Whether interactions are transcribed (`TranscriptionSettings.transcription`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub enum Transcription {
    /// Not transcribed.
    Disabled,
    /// Every interaction is transcribed.
    EnabledGlobally,
    /// Transcribed where a queue or flow turns it on.
    EnabledQueueFlow,
}

/// One of the three parts of the routing settings, each its own API object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SettingsPart {
    /// `RoutingSettings` (`/api/v2/routing/settings`).
    Settings,
    /// `ContactCenterSettings` (`/api/v2/routing/settings/contactcenter`).
    ContactCenter,
    /// `TranscriptionSettings` (`/api/v2/routing/settings/transcription`).
    Transcription,
}

impl SettingsPart {
    /// Every part, in the order they are read, planned and written.
    pub const ALL: [SettingsPart; 3] = [
        SettingsPart::Settings,
        SettingsPart::ContactCenter,
        SettingsPart::Transcription,
    ];

    /// The manifest key of the part below `routingSettings` (none for the settings proper).
    pub fn key(self) -> Option<&'static str> {
        match self {
            SettingsPart::Settings => None,
            SettingsPart::ContactCenter => Some("contactCenter"),
            SettingsPart::Transcription => Some("transcription"),
        }
    }

    /// The path of `field` of this part in a plan's attributes, e.g.
    /// `transcription.transcriptionConfidenceThreshold`.
    pub fn path(self, field: &str) -> String {
        match self.key() {
            Some(key) => format!("{key}.{field}"),
            None => field.to_string(),
        }
    }

    /// The part and field a plan's attribute path names (the inverse of [`Self::path`]).
    pub fn of_path(path: &str) -> (SettingsPart, &str) {
        for part in [SettingsPart::ContactCenter, SettingsPart::Transcription] {
            if let Some(field) = part
                .key()
                .and_then(|key| path.strip_prefix(key))
                .and_then(|rest| rest.strip_prefix('.'))
            {
                return (part, field);
            }
        }
        (SettingsPart::Settings, path)
    }
}

impl RoutingSettings {
    /// The fields of `part` the manifest sets, by their API names, with the values it gives;
    /// empty when the part is unmanaged.
    pub fn wanted(&self, part: SettingsPart) -> serde_json::Map<String, serde_json::Value> {
        let value = match part {
            SettingsPart::Settings => serde_json::to_value(RoutingSettings {
                contact_center: None,
                transcription: None,
                ..self.clone()
            }),
            SettingsPart::ContactCenter => serde_json::to_value(&self.contact_center),
            SettingsPart::Transcription => serde_json::to_value(&self.transcription),
        };
        match value {
            Ok(serde_json::Value::Object(fields)) => fields,
            _ => serde_json::Map::new(),
        }
    }

    /// Whether the manifest sets a field of `part`: only then is it read and compared.
    pub fn manages(&self, part: SettingsPart) -> bool {
        !self.wanted(part).is_empty()
    }

    /// Whether the manifest sets a field of any part: only then is anything read.
    pub fn manages_any(&self) -> bool {
        SettingsPart::ALL.iter().any(|part| self.manages(*part))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wanted_fields_are_the_ones_set_by_their_api_names() {
        let settings: RoutingSettings = serde_json::from_value(serde_json::json!({
            "resetAgentScoreOnPresenceChange": true,
            "contactCenter": {},
            "transcription": {"transcription": "EnabledQueueFlow", "transcriptionConfidenceThreshold": 60},
        }))
        .unwrap_or_default();
        assert_eq!(
            serde_json::Value::Object(settings.wanted(SettingsPart::Settings)),
            serde_json::json!({"resetAgentScoreOnPresenceChange": true})
        );
        assert!(
            !settings.manages(SettingsPart::ContactCenter),
            "empty: unmanaged"
        );
        assert_eq!(
            serde_json::Value::Object(settings.wanted(SettingsPart::Transcription)),
            serde_json::json!({"transcription": "EnabledQueueFlow", "transcriptionConfidenceThreshold": 60})
        );
    }

    #[test]
    fn paths_name_their_part() {
        for part in SettingsPart::ALL {
            let path = part.path("x");
            assert_eq!(SettingsPart::of_path(&path), (part, "x"));
        }
        assert_eq!(
            SettingsPart::of_path("transcription.transcription"),
            (SettingsPart::Transcription, "transcription")
        );
    }
}
