//! `/api/v2/routing/languages`: create, read, soft delete.

use std::sync::Arc;

use axum::extract::{Path, State};
use serde_json::Value;

use crate::api_error::ApiError;
use crate::context::SimContext;
use crate::ids;
use crate::listing::{MAX_PAGE_SIZE, paged};
use crate::org::name_key;
use crate::request::{ApiResult, Caller, JsonBody, QueryParams, Reply, str_field};

const PATH: &str = "/api/v2/routing/languages";

/// GET: `name` (a case-insensitive prefix filter), `id[]`, `sortOrder`.
// unverified: the spec only says "Name" for the filter; a prefix match like the skills
// listing's is the simulator's choice.
pub(crate) async fn list(State(ctx): State<Arc<SimContext>>, q: QueryParams) -> ApiResult {
    let descending = q.descending()?;
    let prefix = q.get("name").map(str::to_lowercase);
    let ids = q.all("id");
    let org = ctx.org();
    let mut languages: Vec<_> = org
        .languages
        .values()
        .filter(|l| org.visible(&l.id))
        .filter(|l| {
            prefix
                .as_ref()
                .is_none_or(|p| l.name.to_lowercase().starts_with(p.as_str()))
        })
        .filter(|l| ids.is_empty() || ids.contains(&l.id.as_str()))
        .collect();
    languages.sort_by_key(|l| name_key(&l.name, &l.id));
    if descending {
        languages.reverse();
    }
    let rendered: Vec<Value> = languages.iter().map(|l| org.render_language(l)).collect();
    Ok(Reply::Json(paged(PATH, &q, MAX_PAGE_SIZE, &rendered)?))
}

/// POST with `Language {name}`.
pub(crate) async fn create(
    State(ctx): State<Arc<SimContext>>,
    caller: Caller,
    body: JsonBody,
) -> ApiResult {
    let name = str_field(body.object_of("Language")?, "name")
        .unwrap_or_default()
        .to_string();
    let mut org = ctx.org();
    let id = org.create_language(&caller.actor(), &name, ids::random())?;
    let language = org.languages.get(&id).ok_or_else(ApiError::not_found)?;
    Ok(Reply::Json(org.render_language(language)))
}

/// GET one.
pub(crate) async fn get_one(
    State(ctx): State<Arc<SimContext>>,
    Path(id): Path<String>,
) -> ApiResult {
    let org = ctx.org();
    match org.languages.get(&id) {
        Some(l) if org.visible(&id) => Ok(Reply::Json(org.render_language(l))),
        _ => Err(ApiError::not_found_id(&id)),
    }
}

/// DELETE: a soft delete.
pub(crate) async fn remove(
    State(ctx): State<Arc<SimContext>>,
    Path(id): Path<String>,
    caller: Caller,
) -> ApiResult {
    ctx.org().delete_language(&caller.actor(), &id)?;
    Ok(Reply::Empty)
}
