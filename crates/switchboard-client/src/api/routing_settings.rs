//! The org's routing settings (API-FACTS-LOOKUPS L2.3): the settings proper, the contact
//! center's and transcription's, each a singleton of the org.

use super::op;
use crate::client::Client;
use crate::error::Error;
use crate::models::{ContactCenterSettings, RoutingSettings, TranscriptionSettings};
use crate::request::{ApiRequest, Endpoint, Method::*};

/// GET of the settings and of the contact center's needs no permission (L2.3).
const NONE: &[&str] = &[];
const EDIT: &[&str] = &["routing:settings:edit"];
const TRANSCRIPTION_VIEW: &[&str] = &["routing:transcriptionSettings:view"];
const TRANSCRIPTION_EDIT: &[&str] = &["routing:transcriptionSettings:edit"];

/// `GET /api/v2/routing/settings`.
pub const GET: Endpoint = op(Get, "/api/v2/routing/settings", NONE);
/// `PUT /api/v2/routing/settings`.
pub const PUT: Endpoint = op(Put, "/api/v2/routing/settings", EDIT);
/// `DELETE /api/v2/routing/settings`: resets the settings. switchboard never sends it.
pub const RESET: Endpoint = op(Delete, "/api/v2/routing/settings", EDIT);
/// `GET /api/v2/routing/settings/contactcenter`.
pub const GET_CONTACT_CENTER: Endpoint = op(Get, "/api/v2/routing/settings/contactcenter", NONE);
/// `PATCH /api/v2/routing/settings/contactcenter`: no body in the answer.
pub const PATCH_CONTACT_CENTER: Endpoint =
    op(Patch, "/api/v2/routing/settings/contactcenter", EDIT);
/// `GET /api/v2/routing/settings/transcription`.
pub const GET_TRANSCRIPTION: Endpoint = op(
    Get,
    "/api/v2/routing/settings/transcription",
    TRANSCRIPTION_VIEW,
);
/// `PUT /api/v2/routing/settings/transcription`.
pub const PUT_TRANSCRIPTION: Endpoint = op(
    Put,
    "/api/v2/routing/settings/transcription",
    TRANSCRIPTION_EDIT,
);

/// The org's routing settings.
pub fn get() -> ApiRequest {
    ApiRequest::new(GET, &[])
}

/// Replaces the org's routing settings.
pub fn put(settings: &RoutingSettings) -> ApiRequest {
    ApiRequest::new(PUT, &[]).json(settings)
}

/// Resets the org's routing settings. switchboard's plans never send it (absent in the
/// manifest is unmanaged, not reset); the conformance tests do.
pub fn reset() -> ApiRequest {
    ApiRequest::new(RESET, &[])
}

/// The contact center settings.
pub fn get_contact_center() -> ApiRequest {
    ApiRequest::new(GET_CONTACT_CENTER, &[])
}

/// Changes the contact center settings the body names.
pub fn patch_contact_center(settings: &ContactCenterSettings) -> ApiRequest {
    ApiRequest::new(PATCH_CONTACT_CENTER, &[]).json(settings)
}

/// The transcription settings.
pub fn get_transcription() -> ApiRequest {
    ApiRequest::new(GET_TRANSCRIPTION, &[])
}

/// Replaces the transcription settings.
pub fn put_transcription(settings: &TranscriptionSettings) -> ApiRequest {
    ApiRequest::new(PUT_TRANSCRIPTION, &[]).json(settings)
}

impl Client {
    /// The org's routing settings.
    pub async fn routing_settings(&self) -> Result<RoutingSettings, Error> {
        self.execute(get()).await
    }

    /// Replaces the org's routing settings.
    pub async fn set_routing_settings(
        &self,
        settings: &RoutingSettings,
    ) -> Result<RoutingSettings, Error> {
        self.execute(put(settings)).await
    }

    /// The contact center settings.
    pub async fn contact_center_settings(&self) -> Result<ContactCenterSettings, Error> {
        self.execute(get_contact_center()).await
    }

    /// Changes the contact center settings `settings` names (the others are kept).
    pub async fn patch_contact_center_settings(
        &self,
        settings: &ContactCenterSettings,
    ) -> Result<(), Error> {
        self.execute_empty(patch_contact_center(settings)).await
    }

    /// The transcription settings.
    pub async fn transcription_settings(&self) -> Result<TranscriptionSettings, Error> {
        self.execute(get_transcription()).await
    }

    /// Replaces the transcription settings.
    pub async fn set_transcription_settings(
        &self,
        settings: &TranscriptionSettings,
    ) -> Result<TranscriptionSettings, Error> {
        self.execute(put_transcription(settings)).await
    }
}
