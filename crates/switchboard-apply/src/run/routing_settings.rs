//! Writing the org's routing settings (API-FACTS-LOOKUPS L2.3): the parts the plan read are
//! read again and checked against its fingerprint; then each part with planned fields is
//! written, the settings and transcription's by `PUT` of the part as read with those fields
//! set (transcription's `PUT` requires `transcription` and `transcriptionConfidenceThreshold`:
//! the read gives what the manifest does not), the contact center's by a `PATCH` of only the
//! changed fields. Never `DELETE` (it resets the settings).

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use switchboard_client::api::routing_settings;
use switchboard_client::models::{ContactCenterSettings, RoutingSettings, TranscriptionSettings};
use switchboard_plan::live::LiveRoutingSettings;
use switchboard_plan::{
    Change, SettingsPart, changed_settings, fingerprint, part_of, updated_settings,
};

use super::{Cx, Problem, Status};

/// The fields `PUT /api/v2/routing/settings/transcription` requires (`TranscriptionSettings`).
const TRANSCRIPTION_REQUIRED: [&str; 2] = ["transcription", "transcriptionConfidenceThreshold"];

impl Cx<'_> {
    /// The org's routing settings: read, checked, the planned fields written part by part.
    pub(super) async fn routing_settings(&self, change: &Change) -> Result<Status, Problem> {
        let Some(planned) = self.live.routing_settings.as_ref() else {
            return Err(Problem::Invalid(
                "the org's routing settings were not read before the write".into(),
            ));
        };
        let current = LiveRoutingSettings {
            settings: self.read_part(planned, SettingsPart::Settings).await?,
            contact_center: self.read_part(planned, SettingsPart::ContactCenter).await?,
            transcription: self.read_part(planned, SettingsPart::Transcription).await?,
        };
        if let Some(recorded) = &change.fingerprint
            && fingerprint::of_routing_settings(&current) != *recorded
        {
            return Err(Problem::Invalid(
                "the org's routing settings read just before their write differ from the plan's (edited since); they are not written: make the plan again".into(),
            ));
        }
        for part in SettingsPart::ALL {
            let Some(read) = part_of(&current, part) else {
                continue;
            };
            match part {
                SettingsPart::Settings => {
                    if let Some(body) = updated_settings(read, part, &change.attributes) {
                        let body: RoutingSettings = typed(body)?;
                        self.client.set_routing_settings(&body).await?;
                    }
                }
                SettingsPart::ContactCenter => {
                    let changed = changed_settings(part, &change.attributes);
                    if !changed.is_empty() {
                        let body: ContactCenterSettings = typed(changed)?;
                        self.client.patch_contact_center_settings(&body).await?;
                    }
                }
                SettingsPart::Transcription => {
                    if let Some(body) = updated_settings(read, part, &change.attributes) {
                        if let Some(missing) = TRANSCRIPTION_REQUIRED
                            .iter()
                            .find(|field| body.get(**field).is_none_or(Value::is_null))
                        {
                            return Err(Problem::Invalid(format!(
                                "the transcription settings as read have no `{missing}`, which their PUT requires; set it in the manifest"
                            )));
                        }
                        let body: TranscriptionSettings = typed(body)?;
                        self.client.set_transcription_settings(&body).await?;
                    }
                }
            }
        }
        Ok(Status::Applied)
    }

    /// `part` read again when the plan read it (else `None`).
    async fn read_part(
        &self,
        planned: &LiveRoutingSettings,
        part: SettingsPart,
    ) -> Result<Option<Map<String, Value>>, Problem> {
        if part_of(planned, part).is_none() {
            return Ok(None);
        }
        let request = match part {
            SettingsPart::Settings => routing_settings::get(),
            SettingsPart::ContactCenter => routing_settings::get_contact_center(),
            SettingsPart::Transcription => routing_settings::get_transcription(),
        };
        Ok(Some(self.client.execute(request).await?))
    }
}

/// A body as the client's model of it (a value of the wrong type is refused here, not sent).
fn typed<T: DeserializeOwned>(body: Map<String, Value>) -> Result<T, Problem> {
    serde_json::from_value(Value::Object(body))
        .map_err(|e| Problem::Invalid(format!("routing settings body: {e}")))
}
