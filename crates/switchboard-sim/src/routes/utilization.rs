//! `/api/v2/routing/utilization` and `/api/v2/routing/users/{userId}/utilization`.

use std::sync::Arc;

use axum::extract::{Path, State};
use serde_json::json;

use crate::context::SimContext;
use crate::request::{ApiResult, Caller, JsonBody, Reply};

/// GET the org's max utilization (`UtilizationResponse`).
pub(crate) async fn get_org(State(ctx): State<Arc<SimContext>>) -> ApiResult {
    Ok(Reply::Json(ctx.org().org_utilization_response()))
}

/// PUT a `UtilizationRequest`.
pub(crate) async fn put_org(
    State(ctx): State<Arc<SimContext>>,
    caller: Caller,
    body: JsonBody,
) -> ApiResult {
    let mut org = ctx.org();
    let value = org.validate_utilization(&body.0)?;
    org.set_org_utilization(&caller.actor(), Some(value));
    Ok(Reply::Json(org.org_utilization_response()))
}

/// DELETE: back to the system defaults.
pub(crate) async fn delete_org(State(ctx): State<Arc<SimContext>>, caller: Caller) -> ApiResult {
    ctx.org().set_org_utilization(&caller.actor(), None);
    Ok(Reply::Empty)
}

/// GET an agent's max utilization (`AgentMaxUtilizationResponse`), falling back to the
/// org's with `level: Organization`.
pub(crate) async fn get_user(
    State(ctx): State<Arc<SimContext>>,
    Path(user_id): Path<String>,
) -> ApiResult {
    Ok(Reply::Json(ctx.org().user_utilization(&user_id)?))
}

/// PUT an agent's `UtilizationRequest`.
pub(crate) async fn put_user(
    State(ctx): State<Arc<SimContext>>,
    Path(user_id): Path<String>,
    caller: Caller,
    body: JsonBody,
) -> ApiResult {
    let mut org = ctx.org();
    let value = org.validate_utilization(&body.0)?;
    org.set_user_utilization(&caller.actor(), &user_id, Some(value))?;
    let mut answer = org.user_utilization(&user_id)?;
    answer["level"] = json!("Agent");
    Ok(Reply::Json(answer))
}

/// DELETE an agent's own settings.
pub(crate) async fn delete_user(
    State(ctx): State<Arc<SimContext>>,
    Path(user_id): Path<String>,
    caller: Caller,
) -> ApiResult {
    ctx.org()
        .set_user_utilization(&caller.actor(), &user_id, None)?;
    Ok(Reply::Empty)
}
