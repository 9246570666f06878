//! The handlers the top-level routing collections share (queues, wrap-up codes, skills,
//! languages): GET one, POST, PUT and DELETE answer alike around each collection's own
//! rules for creating, replacing and deleting.

use std::sync::Arc;

use axum::extract::{Path, State};
use serde_json::Value;

use crate::api_error::ApiError;
use crate::audit::Actor;
use crate::context::SimContext;
use crate::org::{OpResult, OrgState};
use crate::request::{ApiResult, Caller, JsonBody, QueryParams, Reply};

/// A top-level collection: how its entities render and how requests change them.
pub(crate) trait Collection {
    /// The entity's JSON, if it exists (whether or not requests may see it yet).
    fn render(org: &OrgState, id: &str) -> Option<Value>;

    /// Creates an entity from a POST body and answers its id.
    fn create(org: &mut OrgState, actor: &Actor, body: &JsonBody) -> OpResult<String>;

    /// Deletes an entity; `q` is the DELETE's query.
    fn delete(org: &mut OrgState, actor: &Actor, id: &str, q: &QueryParams) -> OpResult<()>;
}

/// A collection whose entities a PUT replaces whole.
pub(crate) trait Replace: Collection {
    /// Replaces an entity with a PUT body.
    fn replace(org: &mut OrgState, actor: &Actor, id: &str, body: &JsonBody) -> OpResult<()>;
}

/// The answer to a write: the entity as it now stands.
pub(crate) fn written<C: Collection>(org: &OrgState, id: &str) -> ApiResult {
    C::render(org, id)
        .map(Reply::Json)
        .ok_or_else(ApiError::not_found)
}

/// GET one: 404 while it does not exist or eventual consistency still hides it.
pub(crate) async fn get_one<C: Collection>(
    State(ctx): State<Arc<SimContext>>,
    Path(id): Path<String>,
) -> ApiResult {
    let org = ctx.org();
    match C::render(&org, &id) {
        Some(v) if org.visible(&id) => Ok(Reply::Json(v)),
        _ => Err(ApiError::not_found_id(&id)),
    }
}

/// POST: creates one and answers it.
pub(crate) async fn create<C: Collection>(
    State(ctx): State<Arc<SimContext>>,
    caller: Caller,
    body: JsonBody,
) -> ApiResult {
    let mut org = ctx.org();
    let id = C::create(&mut org, &caller.actor(), &body)?;
    written::<C>(&org, &id)
}

/// PUT: a full replace, answering the result.
pub(crate) async fn replace<C: Replace>(
    State(ctx): State<Arc<SimContext>>,
    Path(id): Path<String>,
    caller: Caller,
    body: JsonBody,
) -> ApiResult {
    let mut org = ctx.org();
    C::replace(&mut org, &caller.actor(), &id, &body)?;
    written::<C>(&org, &id)
}

/// DELETE.
pub(crate) async fn remove<C: Collection>(
    State(ctx): State<Arc<SimContext>>,
    Path(id): Path<String>,
    caller: Caller,
    q: QueryParams,
) -> ApiResult {
    C::delete(&mut ctx.org(), &caller.actor(), &id, &q)?;
    Ok(Reply::Empty)
}
