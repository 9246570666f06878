//! `/api/v2/routing/queues` and `/{queueId}`.

use std::sync::Arc;

use axum::extract::State;
use serde_json::Value;

use super::collection::{Collection, Replace};
use crate::audit::Actor;
use crate::context::SimContext;
use crate::listing::{ListFilter, MAX_PAGE_SIZE, Page, entity_listing};
use crate::org::{OpResult, OrgState, name_key};
use crate::request::{ApiResult, JsonBody, QueryParams, Reply};

const PATH: &str = "/api/v2/routing/queues";

/// GET: `pageNumber`, `pageSize` (≤ 500), `sortOrder`, `name` (exact or `*`-wildcarded,
/// case-insensitive), `id[]`, `divisionId[]`, `peerId[]`, `hasPeer`.
pub(crate) async fn list(State(ctx): State<Arc<SimContext>>, q: QueryParams) -> ApiResult {
    let page = Page::from_query(&q, MAX_PAGE_SIZE)?;
    let descending = q.descending()?;
    let has_peer = q.bool("hasPeer")?;
    q.choice("expand", &["identityresolution"])?;
    let filter = ListFilter::from_query(&q);
    let peers = q.all("peerId");
    let org = ctx.org();
    let mut queues: Vec<_> = org
        .queues
        .values()
        .filter(|x| org.visible(&x.id))
        .filter(|x| filter.keeps(&x.id, &x.name, &x.division_id))
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

/// `/{queueId}`, for the shared handlers: POST `CreateQueueRequest`, PUT `QueueRequest` (a
/// full replace), DELETE with optional `forceDelete`.
pub(crate) struct Queues;

impl Collection for Queues {
    fn render(org: &OrgState, id: &str) -> Option<Value> {
        org.queues.get(id).map(|queue| org.render_queue(queue))
    }

    fn create(org: &mut OrgState, actor: &Actor, body: &JsonBody) -> OpResult<String> {
        org.create_queue(actor, &body.0)
    }

    fn delete(org: &mut OrgState, actor: &Actor, id: &str, q: &QueryParams) -> OpResult<()> {
        q.bool("forceDelete")?;
        org.delete_queue(actor, id)
    }
}

impl Replace for Queues {
    fn replace(org: &mut OrgState, actor: &Actor, id: &str, body: &JsonBody) -> OpResult<()> {
        org.replace_queue(actor, id, &body.0)
    }
}
