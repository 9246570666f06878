//! The org's routing settings: the settings proper, the contact center's, transcription's
//! (API-FACTS-LOOKUPS L2.3). Each is stored whole; `None` is a new org's defaults.

use serde_json::{Value, json};

use super::{OpResult, OrgState};
use crate::api_error::ApiError;
use crate::audit::Actor;
use crate::queue_rules::strip_nulls;
use crate::request_definitions;

/// The threshold's range: "The possible values are from 1 to 100" (its description).
const THRESHOLD: std::ops::RangeInclusive<i64> = 1..=100;

/// The audit entity type of a change to any part, each change's property named as in the
/// manifest (`transcription.transcriptionConfidenceThreshold`).
// unverified: API-FACTS §6 does not list the entity types the audit service gives the
// routing settings; this one is the simulator's.
pub(crate) const SETTINGS_ENTITY: &str = "RoutingSettings";

/// A new org's routing settings, and what DELETE returns them to.
// unverified: the defaults are not documented; every switch off.
pub(crate) fn default_settings() -> Value {
    json!({"resetAgentScoreOnPresenceChange": false})
}

/// A new org's contact center settings.
// unverified: not documented.
pub(crate) fn default_contact_center() -> Value {
    json!({"removeSkillsFromBlindTransfer": false})
}

/// A new org's transcription settings.
// unverified: not documented; the threshold is any value of its range.
pub(crate) fn default_transcription() -> Value {
    json!({
        "transcription": "Disabled",
        "transcriptionConfidenceThreshold": 50,
        "lowLatencyTranscriptionEnabled": false,
        "contentSearchEnabled": false,
        "pciDssRedactionEnabled": false,
        "piiRedactionEnabled": false,
    })
}

/// Which part of the routing settings.
#[derive(Debug, Clone, Copy)]
pub(crate) enum SettingsPart {
    /// `/routing/settings`.
    Settings,
    /// `/routing/settings/contactcenter`.
    ContactCenter,
    /// `/routing/settings/transcription`.
    Transcription,
}

impl SettingsPart {
    fn definition(self) -> &'static str {
        match self {
            SettingsPart::Settings => "RoutingSettings",
            SettingsPart::ContactCenter => "ContactCenterSettings",
            SettingsPart::Transcription => "TranscriptionSettings",
        }
    }

    /// The prefix of its properties in audit records.
    fn audit_prefix(self) -> &'static str {
        match self {
            SettingsPart::Settings => "",
            SettingsPart::ContactCenter => "contactCenter",
            SettingsPart::Transcription => "transcription",
        }
    }

    fn defaults(self) -> Value {
        match self {
            SettingsPart::Settings => default_settings(),
            SettingsPart::ContactCenter => default_contact_center(),
            SettingsPart::Transcription => default_transcription(),
        }
    }
}

impl OrgState {
    fn settings_slot(&mut self, part: SettingsPart) -> &mut Option<Value> {
        match part {
            SettingsPart::Settings => &mut self.routing_settings,
            SettingsPart::ContactCenter => &mut self.contact_center_settings,
            SettingsPart::Transcription => &mut self.transcription_settings,
        }
    }

    /// One part as a read returns it.
    pub(crate) fn settings(&self, part: SettingsPart) -> Value {
        let stored = match part {
            SettingsPart::Settings => &self.routing_settings,
            SettingsPart::ContactCenter => &self.contact_center_settings,
            SettingsPart::Transcription => &self.transcription_settings,
        };
        stored.clone().unwrap_or_else(|| part.defaults())
    }

    /// Checks a body for `part` against its definition (and the threshold's range), and
    /// returns it without `null`s.
    fn checked_settings(part: SettingsPart, body: &Value) -> OpResult<Value> {
        if !body.is_object() {
            return Err(ApiError::bad_request(format!(
                "The body must be a {} JSON object.",
                part.definition()
            )));
        }
        request_definitions::check(part.definition(), body)?;
        let mut body = body.clone();
        strip_nulls(&mut body);
        if let Some(threshold) = body.get("transcriptionConfidenceThreshold")
            && !threshold.as_i64().is_some_and(|t| THRESHOLD.contains(&t))
        {
            return Err(ApiError::invalid_value(
                "transcriptionConfidenceThreshold",
                format!(
                    "Value [{threshold}] is not valid for field [transcriptionConfidenceThreshold]: it must be from 1 to 100"
                ),
            ));
        }
        Ok(body)
    }

    /// PUT of the settings or of transcription's: the body replaces the part, a field it
    /// leaves out taking its default.
    // unverified: what a PUT does to a field it leaves out is not documented.
    pub(crate) fn replace_settings(
        &mut self,
        actor: &Actor,
        part: SettingsPart,
        body: &Value,
    ) -> OpResult<Value> {
        let body = Self::checked_settings(part, body)?;
        let mut stored = part.defaults();
        merge(&mut stored, &body);
        self.store_settings(actor, part, Some(stored));
        Ok(self.settings(part))
    }

    /// PATCH of the contact center settings: the fields the body names change.
    pub(crate) fn patch_settings(
        &mut self,
        actor: &Actor,
        part: SettingsPart,
        body: &Value,
    ) -> OpResult<()> {
        let body = Self::checked_settings(part, body)?;
        let mut stored = self.settings(part);
        merge(&mut stored, &body);
        self.store_settings(actor, part, Some(stored));
        Ok(())
    }

    /// Stores a part (`None`: back to the defaults), recording the fields that changed.
    pub(crate) fn store_settings(
        &mut self,
        actor: &Actor,
        part: SettingsPart,
        value: Option<Value>,
    ) {
        let old = self.settings(part);
        *self.settings_slot(part) = value;
        let new = self.settings(part);
        let mut changes = Vec::new();
        super::json_changes(part.audit_prefix(), &old, &new, &mut changes);
        if changes.is_empty() {
            return;
        }
        let org_id = self.org.id.clone();
        let org_name = self.org.name.clone();
        self.record(
            actor,
            SETTINGS_ENTITY,
            &org_id,
            &org_name,
            "Update",
            changes,
        );
    }
}

/// Sets every top-level field of `body` on `stored`.
fn merge(stored: &mut Value, body: &Value) {
    if let (Some(stored), Some(body)) = (stored.as_object_mut(), body.as_object()) {
        for (key, value) in body {
            stored.insert(key.clone(), value.clone());
        }
    }
}
