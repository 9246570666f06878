//! `/api/v2/routing/queues/{queueId}/wrapupcodes`.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::extract::{Path, State};
use serde_json::Value;

use crate::api_error::ApiError;
use crate::context::SimContext;
use crate::listing::{MAX_PAGE_SIZE, paged, wildcard_match};
use crate::org::name_key;
use crate::request::{ApiResult, Caller, JsonBody, QueryParams, Reply};

/// GET: paged `WrapupCodeEntityListing`, `name` (trailing `*` allowed).
pub(crate) async fn list(
    State(ctx): State<Arc<SimContext>>,
    Path(queue_id): Path<String>,
    q: QueryParams,
) -> ApiResult {
    let org = ctx.org();
    let queue = org.visible_queue(&queue_id)?;
    let name = q.get("name").filter(|n| !n.is_empty());
    let mut codes: Vec<_> = queue
        .wrapup_codes
        .iter()
        .filter_map(|id| org.wrapup_codes.get(id))
        .filter(|c| name.is_none_or(|n| wildcard_match(n, &c.name)))
        .collect();
    codes.sort_by_key(|c| name_key(&c.name, &c.id));
    let rendered: Vec<Value> = codes.iter().map(|c| org.render_wrapup_code(c)).collect();
    let path = format!("/api/v2/routing/queues/{queue_id}/wrapupcodes");
    Ok(Reply::Json(paged(&path, &q, MAX_PAGE_SIZE, &rendered)?))
}

/// POST with `[{id}]` (≤ 100): answers the referenced `WrapupCode`s.
pub(crate) async fn add(
    State(ctx): State<Arc<SimContext>>,
    Path(queue_id): Path<String>,
    caller: Caller,
    body: JsonBody,
) -> ApiResult {
    let items = body.array_of("WrapUpCodeReference")?;
    let ids = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            item.get("id")
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| ApiError::required_missing(&format!("[{i}].id")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut org = ctx.org();
    org.add_queue_wrapup_codes(&caller.actor(), &queue_id, &ids)?;
    let mut seen = BTreeSet::new();
    let codes: Vec<Value> = ids
        .iter()
        .filter(|id| seen.insert(id.as_str()))
        .filter_map(|id| org.wrapup_codes.get(id))
        .map(|c| org.render_wrapup_code(c))
        .collect();
    Ok(Reply::Json(Value::Array(codes)))
}

/// DELETE `/{codeId}`.
pub(crate) async fn remove(
    State(ctx): State<Arc<SimContext>>,
    Path((queue_id, code_id)): Path<(String, String)>,
    caller: Caller,
) -> ApiResult {
    ctx.org()
        .remove_queue_wrapup_code(&caller.actor(), &queue_id, &code_id)?;
    Ok(Reply::Empty)
}
