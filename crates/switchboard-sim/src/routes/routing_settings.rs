//! `/api/v2/routing/settings`, `/contactcenter` and `/transcription`.

use std::sync::Arc;

use axum::extract::State;

use crate::context::SimContext;
use crate::org::SettingsPart;
use crate::request::{ApiResult, Caller, JsonBody, Reply};

/// GET the org's `RoutingSettings`.
pub(crate) async fn get(State(ctx): State<Arc<SimContext>>) -> ApiResult {
    Ok(Reply::Json(ctx.org().settings(SettingsPart::Settings)))
}

/// PUT `RoutingSettings`.
pub(crate) async fn put(
    State(ctx): State<Arc<SimContext>>,
    caller: Caller,
    body: JsonBody,
) -> ApiResult {
    let answer = ctx
        .org()
        .replace_settings(&caller.actor(), SettingsPart::Settings, &body.0)?;
    Ok(Reply::Json(answer))
}

/// DELETE: the settings back to a new org's.
pub(crate) async fn delete(State(ctx): State<Arc<SimContext>>, caller: Caller) -> ApiResult {
    ctx.org()
        .store_settings(&caller.actor(), SettingsPart::Settings, None);
    Ok(Reply::Empty)
}

/// GET `ContactCenterSettings`.
pub(crate) async fn get_contact_center(State(ctx): State<Arc<SimContext>>) -> ApiResult {
    Ok(Reply::Json(ctx.org().settings(SettingsPart::ContactCenter)))
}

/// PATCH `ContactCenterSettings`: no body in the answer.
pub(crate) async fn patch_contact_center(
    State(ctx): State<Arc<SimContext>>,
    caller: Caller,
    body: JsonBody,
) -> ApiResult {
    ctx.org()
        .patch_settings(&caller.actor(), SettingsPart::ContactCenter, &body.0)?;
    Ok(Reply::Empty)
}

/// GET `TranscriptionSettings`.
pub(crate) async fn get_transcription(State(ctx): State<Arc<SimContext>>) -> ApiResult {
    Ok(Reply::Json(ctx.org().settings(SettingsPart::Transcription)))
}

/// PUT `TranscriptionSettings`.
pub(crate) async fn put_transcription(
    State(ctx): State<Arc<SimContext>>,
    caller: Caller,
    body: JsonBody,
) -> ApiResult {
    let answer =
        ctx.org()
            .replace_settings(&caller.actor(), SettingsPart::Transcription, &body.0)?;
    Ok(Reply::Json(answer))
}
