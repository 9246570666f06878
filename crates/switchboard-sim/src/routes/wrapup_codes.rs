//! `/api/v2/routing/wrapupcodes`: create, read, full-replace update, delete.

use std::sync::Arc;

use axum::extract::State;
use serde_json::Value;

use super::collection::{Collection, Replace};
use crate::audit::Actor;
use crate::context::SimContext;
use crate::ids;
use crate::listing::{ListFilter, MAX_PAGE_SIZE, paged};
use crate::org::{OpResult, OrgState, name_key};
use crate::request::{ApiResult, JsonBody, QueryParams, Reply};

const PATH: &str = "/api/v2/routing/wrapupcodes";

/// GET: `name` (exact or `*`-wildcarded, case-insensitive), `id[]`, `divisionId[]`,
/// `sortBy` name|id, `sortOrder` ascending|descending.
pub(crate) async fn list(State(ctx): State<Arc<SimContext>>, q: QueryParams) -> ApiResult {
    let by_id = q.choice("sortBy", &["name", "id"])?.as_deref() == Some("id");
    let descending = q.descending()?;
    let filter = ListFilter::from_query(&q);
    let org = ctx.org();
    let mut codes: Vec<_> = org
        .wrapup_codes
        .values()
        .filter(|c| org.visible(&c.id))
        .filter(|c| filter.keeps(&c.id, &c.name, &c.division_id))
        .collect();
    if by_id {
        codes.sort_by(|a, b| a.id.cmp(&b.id));
    } else {
        codes.sort_by_key(|c| name_key(&c.name, &c.id));
    }
    if descending {
        codes.reverse();
    }
    let rendered: Vec<Value> = codes.iter().map(|c| org.render_wrapup_code(c)).collect();
    Ok(Reply::Json(paged(PATH, &q, MAX_PAGE_SIZE, &rendered)?))
}

/// `/{codeId}`, for the shared handlers: POST and PUT (a full replace) with a
/// `WrapupCodeRequest`, and DELETE.
pub(crate) struct WrapupCodes;

impl Collection for WrapupCodes {
    fn render(org: &OrgState, id: &str) -> Option<Value> {
        org.wrapup_codes
            .get(id)
            .map(|code| org.render_wrapup_code(code))
    }

    fn create(org: &mut OrgState, actor: &Actor, body: &JsonBody) -> OpResult<String> {
        let valid = org.validate_wrapup_code_body(&body.0)?;
        org.create_wrapup_code(actor, valid, ids::random())
    }

    fn delete(org: &mut OrgState, actor: &Actor, id: &str, _: &QueryParams) -> OpResult<()> {
        org.delete_wrapup_code(actor, id)
    }
}

impl Replace for WrapupCodes {
    fn replace(org: &mut OrgState, actor: &Actor, id: &str, body: &JsonBody) -> OpResult<()> {
        org.replace_wrapup_code(actor, id, &body.0)
    }
}
