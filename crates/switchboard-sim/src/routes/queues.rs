//! `/api/v2/routing/queues` and `/{queueId}`.

use std::sync::Arc;

use axum::extract::{Path, State};

use crate::api_error::ApiError;
use crate::context::SimContext;
use crate::listing::{MAX_PAGE_SIZE, Page, entity_listing, wildcard_match};
use crate::org::name_key;
use crate::request::{ApiResult, Caller, JsonBody, QueryParams, Reply};

const PATH: &str = "/api/v2/routing/queues";

/// GET: `pageNumber`, `pageSize` (≤ 500), `sortOrder`, `name` (exact or `*`-wildcarded,
/// case-insensitive), `id[]`, `divisionId[]`, `peerId[]`, `hasPeer`.
pub(crate) async fn list(State(ctx): State<Arc<SimContext>>, q: QueryParams) -> ApiResult {
    let page = Page::from_query(&q, MAX_PAGE_SIZE)?;
    let descending = q.descending()?;
    let has_peer = q.bool("hasPeer")?;
    q.choice("expand", &["identityresolution"])?;
    let name = q.get("name").filter(|n| !n.is_empty());
    let ids = q.all("id");
    let divisions = q.all("divisionId");
    let peers = q.all("peerId");
    let org = ctx.org();
    let mut queues: Vec<_> = org
        .queues
        .values()
        .filter(|x| org.visible(&x.id))
        .filter(|x| name.is_none_or(|n| wildcard_match(n, &x.name)))
        .filter(|x| ids.is_empty() || ids.contains(&x.id.as_str()))
        .filter(|x| divisions.is_empty() || divisions.contains(&x.division_id.as_str()))
        .filter(|x| {
            let peer = x.settings.get("peerId").and_then(|p| p.as_str());
            (peers.is_empty() || peer.is_some_and(|p| peers.contains(&p)))
                && has_peer.is_none_or(|h| h == peer.is_some())
        })
        .collect();
    queues.sort_by_key(|x| name_key(&x.name, &x.id));
    if descending {
        queues.reverse();
    }
    let entities = page
        .slice(&queues)
        .into_iter()
        .map(|x| org.render_queue(x))
        .collect();
    Ok(Reply::Json(entity_listing(
        PATH,
        &q,
        page,
        queues.len(),
        entities,
    )))
}

/// POST with `CreateQueueRequest`.
pub(crate) async fn create(
    State(ctx): State<Arc<SimContext>>,
    caller: Caller,
    body: JsonBody,
) -> ApiResult {
    let mut org = ctx.org();
    let id = org.create_queue(&caller.actor(), &body.0)?;
    let queue = org.queues.get(&id).ok_or_else(ApiError::not_found)?;
    Ok(Reply::Json(org.render_queue(queue)))
}

/// GET one.
pub(crate) async fn get_one(
    State(ctx): State<Arc<SimContext>>,
    Path(id): Path<String>,
) -> ApiResult {
    let org = ctx.org();
    match org.queues.get(&id) {
        Some(queue) if org.visible(&id) => Ok(Reply::Json(org.render_queue(queue))),
        _ => Err(ApiError::not_found_id(&id)),
    }
}

/// PUT with `QueueRequest`: a full replace.
pub(crate) async fn replace(
    State(ctx): State<Arc<SimContext>>,
    Path(id): Path<String>,
    caller: Caller,
    body: JsonBody,
) -> ApiResult {
    let mut org = ctx.org();
    org.replace_queue(&caller.actor(), &id, &body.0)?;
    let queue = org.queues.get(&id).ok_or_else(ApiError::not_found)?;
    Ok(Reply::Json(org.render_queue(queue)))
}

/// DELETE, with optional `forceDelete`.
pub(crate) async fn remove(
    State(ctx): State<Arc<SimContext>>,
    Path(id): Path<String>,
    caller: Caller,
    q: QueryParams,
) -> ApiResult {
    q.bool("forceDelete")?;
    ctx.org().delete_queue(&caller.actor(), &id)?;
    Ok(Reply::Empty)
}
