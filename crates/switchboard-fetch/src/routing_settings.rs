//! The org's routing settings: one `GET` per part the manifest sets a field of
//! (`/api/v2/routing/settings`, `/contactcenter`, `/transcription`), none otherwise.

use serde_json::{Map, Value};
use switchboard_client::Client;
use switchboard_client::api::routing_settings;
use switchboard_manifest::Manifest;
use switchboard_manifest::live::LiveRoutingSettings;
use switchboard_manifest::model::SettingsPart;

use crate::{FetchError, Reading};

/// The parts of the routing settings `manifest` manages, read concurrently; `None` when it
/// manages none.
pub(crate) async fn read_routing_settings(
    client: &Client,
    manifest: &Manifest,
) -> Result<Option<LiveRoutingSettings>, FetchError> {
    let Some(wanted) = manifest
        .routing_settings
        .as_ref()
        .filter(|w| w.manages_any())
    else {
        return Ok(None);
    };
    read_parts(client, |part| wanted.manages(part))
        .await
        .map(Some)
}

/// The parts of the routing settings `wanted` accepts, read concurrently (the others `None`).
pub(crate) async fn read_parts(
    client: &Client,
    wanted: impl Fn(SettingsPart) -> bool,
) -> Result<LiveRoutingSettings, FetchError> {
    let wanted = &wanted;
    let read = |part: SettingsPart| async move {
        if !wanted(part) {
            return Ok(None);
        }
        let request = match part {
            SettingsPart::Settings => routing_settings::get(),
            SettingsPart::ContactCenter => routing_settings::get_contact_center(),
            SettingsPart::Transcription => routing_settings::get_transcription(),
        };
        client
            .execute::<Map<String, Value>>(request)
            .await
            .map(Some)
            .reading(|| "the org's routing settings".into())
    };
    let (settings, contact_center, transcription) = futures::try_join!(
        read(SettingsPart::Settings),
        read(SettingsPart::ContactCenter),
        read(SettingsPart::Transcription),
    )?;
    Ok(LiveRoutingSettings {
        settings,
        contact_center,
        transcription,
    })
}
