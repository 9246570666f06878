//! `/api/v2/routing/utilization/labels`: list (page paging, `name` with `*` wildcards,
//! `sortOrder`), create, read, rename, delete (refused while in use unless `forceDelete`),
//! and the agents using one.

use std::sync::Arc;

use axum::extract::{Path, State};
use serde_json::{Value, json};

use super::collection::{Collection, Replace};
use crate::api_error::ApiError;
use crate::audit::Actor;
use crate::context::SimContext;
use crate::ids;
use crate::listing::{MAX_PAGE_SIZE, paged, wildcard_match};
use crate::org::{OpResult, OrgState};
use crate::request::{ApiResult, JsonBody, QueryParams, Reply};

const PATH: &str = "/api/v2/routing/utilization/labels";

/// GET: sorted by name, `sortOrder` ascending|descending, `name` exact or wildcarded
/// (case-insensitive).
pub(crate) async fn list(State(ctx): State<Arc<SimContext>>, q: QueryParams) -> ApiResult {
    let descending = q.descending()?;
    let name = q.get("name").filter(|n| !n.is_empty());
    let org = ctx.org();
    let mut labels: Vec<Value> = org
        .utilization_labels_sorted()
        .into_iter()
        .filter(|l| name.is_none_or(|n| wildcard_match(n, &l.name)))
        .map(|l| org.render_utilization_label(l))
        .collect();
    if descending {
        labels.reverse();
    }
    Ok(Reply::Json(paged(PATH, &q, MAX_PAGE_SIZE, &labels)?))
}

/// GET `/{labelId}/agents`: the agents whose own utilization uses the label, as objects
/// with their `id` (the description types the items only as objects).
pub(crate) async fn agents(
    State(ctx): State<Arc<SimContext>>,
    Path(id): Path<String>,
) -> ApiResult {
    let org = ctx.org();
    if !org.utilization_labels.contains_key(&id) || !org.visible(&id) {
        return Err(ApiError::not_found_id(&id));
    }
    let users: Vec<Value> = org
        .utilization_label_users(&id)
        .into_iter()
        .map(|user| json!({"id": user}))
        .collect();
    Ok(Reply::Json(Value::Array(users)))
}

/// `/{labelId}`, for the shared handlers.
pub(crate) struct UtilizationLabels;

impl Collection for UtilizationLabels {
    fn render(org: &OrgState, id: &str) -> Option<Value> {
        org.utilization_labels
            .get(id)
            .map(|label| org.render_utilization_label(label))
    }

    fn create(org: &mut OrgState, actor: &Actor, body: &JsonBody) -> OpResult<String> {
        org.create_utilization_label(actor, &body.0, ids::random())
    }

    fn delete(org: &mut OrgState, actor: &Actor, id: &str, q: &QueryParams) -> OpResult<()> {
        let force = q.bool("forceDelete")?.unwrap_or(false);
        org.delete_utilization_label(actor, id, force)
    }
}

impl Replace for UtilizationLabels {
    fn replace(org: &mut OrgState, actor: &Actor, id: &str, body: &JsonBody) -> OpResult<()> {
        org.rename_utilization_label(actor, id, &body.0)
    }
}
