//! `/api/v2/routing/skillgroups` (API-FACTS-LOOKUPS L2.1): the cursor listing (`name` a
//! case-insensitive prefix), create, read, PATCH, delete, member divisions, and the computed
//! members (cursor paging, `UserReferenceWithName`, names only with `expand=entities`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use serde_json::{Value, json};

use super::collection::Collection;
use crate::api_error::ApiError;
use crate::audit::Actor;
use crate::context::SimContext;
use crate::cursor::{Entry, cursor_listing};
use crate::listing::prefix_match;
use crate::org::{OpResult, OrgState};
use crate::request::{ApiResult, Caller, JsonBody, QueryParams, Reply};
use crate::request_definitions;

const PATH: &str = "/api/v2/routing/skillgroups";

/// `/{skillGroupId}` for the shared GET-one and DELETE handlers: GET answers `SkillGroup`.
pub(crate) struct SkillGroups;

impl Collection for SkillGroups {
    fn render(org: &OrgState, id: &str) -> Option<Value> {
        org.skill_groups
            .get(id)
            .map(|g| org.render_skill_group(g, false))
    }

    fn create(org: &mut OrgState, actor: &Actor, body: &JsonBody) -> OpResult<String> {
        org.create_skill_group(actor, &body.0)
    }

    fn delete(org: &mut OrgState, actor: &Actor, id: &str, _: &QueryParams) -> OpResult<()> {
        org.delete_skill_group(actor, id)
    }
}

/// GET: one page of `SkillGroupDefinition`s, sorted by name.
pub(crate) async fn list(State(ctx): State<Arc<SimContext>>, q: QueryParams) -> ApiResult {
    let name = q.get("name").filter(|n| !n.is_empty());
    let org = ctx.org();
    let entries = org
        .skill_groups
        .values()
        .filter(|g| org.visible(&g.id))
        .filter(|g| name.is_none_or(|n| prefix_match(n, &g.name)))
        .map(|g| Entry {
            name: g.name.clone(),
            id: g.id.clone(),
            item: g,
        })
        .collect();
    let listing = cursor_listing(PATH, &q, entries, |g| org.render_skill_group_definition(g))?;
    Ok(Reply::Json(listing))
}

/// POST with `SkillGroupWithMemberDivisions`; answers the same type.
pub(crate) async fn create(
    State(ctx): State<Arc<SimContext>>,
    caller: Caller,
    body: JsonBody,
) -> ApiResult {
    let mut org = ctx.org();
    let id = org.create_skill_group(&caller.actor(), &body.0)?;
    let group = org.skill_groups.get(&id).ok_or_else(ApiError::not_found)?;
    Ok(Reply::Json(org.render_skill_group(group, true)))
}

/// PATCH with the full `SkillGroup` definition; answers the `SkillGroup`.
pub(crate) async fn patch(
    State(ctx): State<Arc<SimContext>>,
    Path(id): Path<String>,
    caller: Caller,
    body: JsonBody,
) -> ApiResult {
    let mut org = ctx.org();
    org.patch_skill_group(&caller.actor(), &id, &body.0)?;
    let group = org
        .skill_groups
        .get(&id)
        .ok_or_else(|| ApiError::not_found_id(&id))?;
    Ok(Reply::Json(org.render_skill_group(group, false)))
}

/// GET `/{id}/members`: the users the conditions select, as `UserReferenceWithName`.
pub(crate) async fn members(
    State(ctx): State<Arc<SimContext>>,
    Path(id): Path<String>,
    q: QueryParams,
) -> ApiResult {
    let expand = q.choice("expand", &["entities"])?.is_some();
    let org = ctx.org();
    let group = org.visible_skill_group(&id)?;
    let entries = org
        .skill_group_members(group)
        .into_iter()
        .map(|u| Entry {
            name: u.name.clone(),
            id: u.id.clone(),
            item: u,
        })
        .collect();
    let path = format!("{PATH}/{id}/members");
    let listing = cursor_listing(&path, &q, entries, |u| {
        let mut json = json!({"id": u.id, "selfUri": format!("/api/v2/users/{}", u.id)});
        if expand {
            json["name"] = json!(u.name);
        }
        json
    })?;
    Ok(Reply::Json(listing))
}

/// GET `/{id}/members/divisions`: `{entities: Division[]}`, unpaged.
pub(crate) async fn member_divisions(
    State(ctx): State<Arc<SimContext>>,
    Path(id): Path<String>,
    q: QueryParams,
) -> ApiResult {
    let expand = q.choice("expand", &["entities"])?.is_some();
    let org = ctx.org();
    let group = org.visible_skill_group(&id)?;
    Ok(Reply::Json(org.render_member_divisions(group, expand)))
}

/// POST `/{id}/members/divisions` with `SkillGroupMemberDivisions {addDivisionIds[],
/// removeDivisionIds[]}`; the description makes the body optional, so none changes nothing.
/// No answer body.
pub(crate) async fn change_member_divisions(
    State(ctx): State<Arc<SimContext>>,
    Path(id): Path<String>,
    caller: Caller,
    body: Bytes,
) -> ApiResult {
    let body: Value = if body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        serde_json::from_slice(&body).map_err(|_| ApiError::malformed_body())?
    };
    if !body.is_object() {
        return Err(ApiError::bad_request(
            "The body must be a SkillGroupMemberDivisions JSON object.",
        ));
    }
    request_definitions::check("SkillGroupMemberDivisions", &body)?;
    let ids = |field: &str| -> Vec<String> {
        body.get(field)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect()
    };
    let (add, remove) = (ids("addDivisionIds"), ids("removeDivisionIds"));
    let mut org = ctx.org();
    org.visible_skill_group(&id)?;
    org.change_skill_group_divisions(&caller.actor(), &id, &add, &remove)?;
    Ok(Reply::Empty)
}
