//! `/api/v2/routing/skills`: create, read, division change, soft delete. No PUT exists.

use std::sync::Arc;

use axum::extract::{Path, State};
use serde_json::Value;

use crate::api_error::ApiError;
use crate::context::SimContext;
use crate::ids;
use crate::listing::{MAX_PAGE_SIZE, paged};
use crate::org::name_key;
use crate::request::{ApiResult, Caller, JsonBody, QueryParams, Reply, str_field};

const PATH: &str = "/api/v2/routing/skills";

/// GET: `name` is a prefix filter; deleted skills are listed too, with state `deleted`
/// (the vendor's Terraform provider skips them when exporting, so they do appear).
pub(crate) async fn list(State(ctx): State<Arc<SimContext>>, q: QueryParams) -> ApiResult {
    let prefix = q.get("name").map(str::to_lowercase);
    let ids = q.all("id");
    let org = ctx.org();
    let mut skills: Vec<_> = org
        .skills
        .values()
        .filter(|s| org.visible(&s.id))
        .filter(|s| {
            prefix
                .as_ref()
                .is_none_or(|p| s.name.to_lowercase().starts_with(p.as_str()))
        })
        .filter(|s| ids.is_empty() || ids.contains(&s.id.as_str()))
        .collect();
    skills.sort_by_key(|s| name_key(&s.name, &s.id));
    let rendered: Vec<Value> = skills.iter().map(|s| org.render_skill(s)).collect();
    Ok(Reply::Json(paged(PATH, &q, MAX_PAGE_SIZE, &rendered)?))
}

/// POST with `CreateRoutingSkill {name}`.
pub(crate) async fn create(
    State(ctx): State<Arc<SimContext>>,
    caller: Caller,
    body: JsonBody,
) -> ApiResult {
    let name = str_field(body.object_of("CreateRoutingSkill")?, "name")
        .unwrap_or_default()
        .to_string();
    let mut org = ctx.org();
    let id = org.create_skill(&caller.actor(), &name, ids::random())?;
    let skill = org.skills.get(&id).ok_or_else(ApiError::not_found)?;
    Ok(Reply::Json(org.render_skill(skill)))
}

/// GET one (a deleted skill answers with state `deleted`).
pub(crate) async fn get_one(
    State(ctx): State<Arc<SimContext>>,
    Path(id): Path<String>,
) -> ApiResult {
    let org = ctx.org();
    match org.skills.get(&id) {
        Some(s) if org.visible(&id) => Ok(Reply::Json(org.render_skill(s))),
        _ => Err(ApiError::not_found_id(&id)),
    }
}

/// PATCH with `UpdateSkillDivisionRequest {divisionId}`.
pub(crate) async fn set_division(
    State(ctx): State<Arc<SimContext>>,
    Path(id): Path<String>,
    caller: Caller,
    body: JsonBody,
) -> ApiResult {
    let division = str_field(body.object_of("UpdateSkillDivisionRequest")?, "divisionId")
        .ok_or_else(|| ApiError::required_missing("divisionId"))?
        .to_string();
    let mut org = ctx.org();
    org.set_skill_division(&caller.actor(), &id, &division)?;
    let skill = org.skills.get(&id).ok_or_else(ApiError::not_found)?;
    Ok(Reply::Json(org.render_skill(skill)))
}

/// DELETE: a soft delete.
pub(crate) async fn remove(
    State(ctx): State<Arc<SimContext>>,
    Path(id): Path<String>,
    caller: Caller,
) -> ApiResult {
    ctx.org().delete_skill(&caller.actor(), &id)?;
    Ok(Reply::Empty)
}
