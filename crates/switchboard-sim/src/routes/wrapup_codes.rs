//! `/api/v2/routing/wrapupcodes`: create, read, full-replace update, delete.

use std::sync::Arc;

use axum::extract::{Path, State};
use serde_json::Value;

use crate::api_error::ApiError;
use crate::context::SimContext;
use crate::ids;
use crate::listing::{MAX_PAGE_SIZE, paged, wildcard_match};
use crate::org::name_key;
use crate::request::{ApiResult, Caller, JsonBody, QueryParams, Reply};

const PATH: &str = "/api/v2/routing/wrapupcodes";

/// GET: `name` (exact or `*`-wildcarded, case-insensitive), `id[]`, `divisionId[]`,
/// `sortBy` name|id, `sortOrder` ascending|descending.
pub(crate) async fn list(State(ctx): State<Arc<SimContext>>, q: QueryParams) -> ApiResult {
    let by_id = q.choice("sortBy", &["name", "id"])?.as_deref() == Some("id");
    let descending = q.descending()?;
    let name = q.get("name").filter(|n| !n.is_empty());
    let ids = q.all("id");
    let divisions = q.all("divisionId");
    let org = ctx.org();
    let mut codes: Vec<_> = org
        .wrapup_codes
        .values()
        .filter(|c| org.visible(&c.id))
        .filter(|c| name.is_none_or(|n| wildcard_match(n, &c.name)))
        .filter(|c| ids.is_empty() || ids.contains(&c.id.as_str()))
        .filter(|c| divisions.is_empty() || divisions.contains(&c.division_id.as_str()))
        .collect();
    if by_id {
        codes.sort_by(|a, b| a.id.cmp(&b.id));
    } else {
        codes.sort_by_key(|c| name_key(&c.name, &c.id));
    }
    if descending {
        codes.reverse();
    }
    let rendered: Vec<Value> = codes.iter().map(|c| org.render_wrapup_code(c)).collect();
    Ok(Reply::Json(paged(PATH, &q, MAX_PAGE_SIZE, &rendered)?))
}

/// POST with `WrapupCodeRequest`.
pub(crate) async fn create(
    State(ctx): State<Arc<SimContext>>,
    caller: Caller,
    body: JsonBody,
) -> ApiResult {
    let mut org = ctx.org();
    let valid = org.validate_wrapup_code_body(&body.0)?;
    let id = org.create_wrapup_code(&caller.actor(), valid, ids::random())?;
    let code = org.wrapup_codes.get(&id).ok_or_else(ApiError::not_found)?;
    Ok(Reply::Json(org.render_wrapup_code(code)))
}

/// GET one.
pub(crate) async fn get_one(
    State(ctx): State<Arc<SimContext>>,
    Path(id): Path<String>,
) -> ApiResult {
    let org = ctx.org();
    match org.wrapup_codes.get(&id) {
        Some(c) if org.visible(&id) => Ok(Reply::Json(org.render_wrapup_code(c))),
        _ => Err(ApiError::not_found_id(&id)),
    }
}

/// PUT with `WrapupCodeRequest`: a full replace.
pub(crate) async fn replace(
    State(ctx): State<Arc<SimContext>>,
    Path(id): Path<String>,
    caller: Caller,
    body: JsonBody,
) -> ApiResult {
    let mut org = ctx.org();
    org.replace_wrapup_code(&caller.actor(), &id, &body.0)?;
    let code = org.wrapup_codes.get(&id).ok_or_else(ApiError::not_found)?;
    Ok(Reply::Json(org.render_wrapup_code(code)))
}

/// DELETE.
pub(crate) async fn remove(
    State(ctx): State<Arc<SimContext>>,
    Path(id): Path<String>,
    caller: Caller,
) -> ApiResult {
    ctx.org().delete_wrapup_code(&caller.actor(), &id)?;
    Ok(Reply::Empty)
}
