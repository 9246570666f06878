//! Directory groups (API-FACTS-LOOKUPS L1.2 D, D′, D″): `GET /api/v2/groups` (page paging,
//! `id[]`, `sortOrder` by name, no name filter), `GET /api/v2/groups/{groupId}` and
//! `POST /api/v2/groups/search`, the only way to find a group by name (see `crate::search`).

use std::sync::Arc;

use axum::extract::{Path, State};
use serde_json::Value;

use crate::api_error::ApiError;
use crate::context::SimContext;
use crate::listing::{MAX_PAGE_SIZE, Page, entity_listing, refuse_unsimulated};
use crate::org::{DirectoryGroup, name_key};
use crate::request::{ApiResult, JsonBody, QueryParams, Reply};
use crate::search::Search;

const PATH: &str = "/api/v2/groups";

/// GET: one page of groups, sorted by name.
// unverified: the default order is not documented; by name is the simulator's choice.
// `jabberId[]` is refused: the simulator's groups have no chat identity.
pub(crate) async fn list(State(ctx): State<Arc<SimContext>>, q: QueryParams) -> ApiResult {
    let page = Page::from_query(&q, MAX_PAGE_SIZE)?;
    refuse_unsimulated(&q, &["jabberId"])?;
    let descending = q.descending()?;
    let ids = q.all("id");
    let org = ctx.org();
    let mut groups: Vec<&DirectoryGroup> = org
        .groups
        .values()
        .filter(|g| ids.is_empty() || ids.contains(&g.id.as_str()))
        .collect();
    groups.sort_by_key(|g| name_key(&g.name, &g.id));
    if descending {
        groups.reverse();
    }
    let entities = page
        .slice(&groups)
        .into_iter()
        .map(|g| org.render_directory_group(g))
        .collect();
    Ok(Reply::Json(entity_listing(
        PATH,
        &q,
        page,
        groups.len(),
        entities,
    )))
}

/// GET `/{groupId}`.
pub(crate) async fn get_one(
    State(ctx): State<Arc<SimContext>>,
    Path(id): Path<String>,
) -> ApiResult {
    let org = ctx.org();
    let group = org
        .groups
        .get(&id)
        .ok_or_else(|| ApiError::not_found_id(&id))?;
    Ok(Reply::Json(org.render_directory_group(group)))
}

/// POST `/search` with a `GroupSearchRequest`.
pub(crate) async fn search(State(ctx): State<Arc<SimContext>>, body: JsonBody) -> ApiResult {
    let search = Search::read(body.object_of("GroupSearchRequest")?)?;
    let org = ctx.org();
    let mut hits: Vec<&DirectoryGroup> = org
        .groups
        .values()
        .filter(|g| search.matches(&g.id, &g.name))
        .collect();
    hits.sort_by_key(|g| name_key(&g.name, &g.id));
    if search.descending {
        hits.reverse();
    }
    let rendered: Vec<Value> = hits
        .into_iter()
        .map(|g| org.render_directory_group(g))
        .collect();
    Ok(Reply::Json(search.response("groups", &rendered)))
}
