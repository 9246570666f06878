//! `/api/v2/authorization/divisions`: list, home, one, and moving objects between them.

use std::sync::Arc;

use axum::extract::{Path, State};
use serde_json::Value;

use crate::api_error::ApiError;
use crate::context::SimContext;
use crate::listing::{MAX_PAGE_SIZE, paged};
use crate::org::name_key;
use crate::request::{ApiResult, Caller, JsonBody, QueryParams, Reply};

/// GET: `name` (a case-insensitive search term), `id[]`, `objectCount`.
pub(crate) async fn list(State(ctx): State<Arc<SimContext>>, q: QueryParams) -> ApiResult {
    let counts = q.bool("objectCount")?.unwrap_or(false);
    let name = q.get("name").map(str::to_lowercase);
    let ids = q.all("id");
    let org = ctx.org();
    let mut divisions: Vec<_> = org
        .divisions
        .values()
        .filter(|d| {
            name.as_ref()
                .is_none_or(|n| d.name.to_lowercase().contains(n.as_str()))
        })
        .filter(|d| ids.is_empty() || ids.contains(&d.id.as_str()))
        .collect();
    divisions.sort_by_key(|d| name_key(&d.name, &d.id));
    let rendered: Vec<Value> = divisions
        .iter()
        .map(|d| org.render_division(d, counts))
        .collect();
    Ok(Reply::Json(paged(
        "/api/v2/authorization/divisions",
        &q,
        MAX_PAGE_SIZE,
        &rendered,
    )?))
}

/// GET `/home`.
pub(crate) async fn home(State(ctx): State<Arc<SimContext>>) -> ApiResult {
    let org = ctx.org();
    let id = org.home_division_id();
    let division = org.divisions.get(&id).ok_or_else(ApiError::not_found)?;
    Ok(Reply::Json(org.render_division(division, false)))
}

/// GET one, with optional `objectCount`.
pub(crate) async fn get_one(
    State(ctx): State<Arc<SimContext>>,
    Path(id): Path<String>,
    q: QueryParams,
) -> ApiResult {
    let counts = q.bool("objectCount")?.unwrap_or(false);
    let org = ctx.org();
    let division = org
        .divisions
        .get(&id)
        .ok_or_else(|| ApiError::not_found_id(&id))?;
    Ok(Reply::Json(org.render_division(division, counts)))
}

/// POST `/{divisionId}/objects/{objectType}` with `["<id>", ...]`: moves queues (QUEUE) or
/// users (USER); the simulator has no other object type.
pub(crate) async fn move_objects(
    State(ctx): State<Arc<SimContext>>,
    Path((division_id, object_type)): Path<(String, String)>,
    caller: Caller,
    body: JsonBody,
) -> ApiResult {
    let allowed = crate::request_definitions::path_enum(
        "POST",
        "/api/v2/authorization/divisions/{divisionId}/objects/{objectType}",
        "objectType",
    );
    if !allowed.iter().any(|a| a == &object_type) {
        return Err(ApiError::invalid_value(
            "objectType",
            format!(
                "Value [{object_type}] is not valid for field type [objectType]. Allowable values are: {}",
                allowed.join(", ")
            ),
        ));
    }
    let ids: Vec<String> = match &body.0 {
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| ApiError::bad_request("The body must be an array of id strings."))?,
        _ => {
            return Err(ApiError::bad_request(
                "The body must be an array of id strings.",
            ));
        }
    };
    let mut org = ctx.org();
    if !org.divisions.contains_key(&division_id) {
        return Err(ApiError::not_found_id(&division_id));
    }
    let actor = caller.actor();
    match object_type.as_str() {
        "QUEUE" => {
            if let Some(missing) = ids.iter().find(|id| !org.queues.contains_key(*id)) {
                return Err(ApiError::invalid_value(
                    "body",
                    format!("Queue [{missing}] does not exist."),
                ));
            }
            for id in &ids {
                org.move_queue(&actor, id, &division_id)?;
            }
        }
        "USER" => {
            if let Some(missing) = ids.iter().find(|id| !org.users.contains_key(*id)) {
                return Err(ApiError::invalid_value(
                    "body",
                    format!("User [{missing}] does not exist."),
                ));
            }
            for id in &ids {
                org.move_user(&actor, id, &division_id)?;
            }
        }
        other => {
            return Err(ApiError::bad_request(format!(
                "The simulator has no {other} objects to move."
            )));
        }
    }
    Ok(Reply::Empty)
}
