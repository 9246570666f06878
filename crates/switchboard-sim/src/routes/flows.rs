//! `GET /api/v2/flows` (API-FACTS-LOOKUPS L1.2 A): page paging.
//!
//! Filters: `type[]` (the lowercase query enum; anything else, the uppercase response
//! spelling included, is a 400), `name`, `divisionId[]`, `deleted` (default false: deleted
//! flows are left out; true includes them), and `id[]`, which when given makes every other
//! filter ignored. `sortBy` is `id` (the default) or `name`; `sortOrder` `asc` (default) or
//! `desc`.
// unverified: the `name` match is not documented. The simulator matches a case-insensitive
// prefix, so a client must confirm exact names itself (L1.3 rule 1).

use std::sync::Arc;

use axum::extract::State;

use crate::api_error::ApiError;
use crate::context::SimContext;
use crate::listing::{MAX_PAGE_SIZE, Page, entity_listing, prefix_match, refuse_unsimulated};
use crate::org::{FLOW_QUERY_TYPES, Flow, name_key};
use crate::request::{ApiResult, QueryParams, Reply};

const PATH: &str = "/api/v2/flows";

/// Filters of the description the simulator does not implement.
const UNSIMULATED: [&str; 10] = [
    "description",
    "nameOrDescription",
    "publishVersionId",
    "editableBy",
    "lockedBy",
    "lockedByClientId",
    "secure",
    "virtualAgentEnabled",
    "publishedAfter",
    "publishedBefore",
];

/// GET: one page of flows.
pub(crate) async fn list(State(ctx): State<Arc<SimContext>>, q: QueryParams) -> ApiResult {
    let page = Page::from_query(&q, MAX_PAGE_SIZE)?;
    refuse_unsimulated(&q, &UNSIMULATED)?;
    let types = q.all("type");
    if let Some(bad) = types.iter().find(|t| !FLOW_QUERY_TYPES.contains(t)) {
        return Err(ApiError::invalid_value(
            "type",
            format!(
                "Value [{bad}] is not valid for field type [type]. Allowable values are: {}",
                FLOW_QUERY_TYPES.join(", ")
            ),
        ));
    }
    let include_deleted = q.bool("deleted")?.unwrap_or(false);
    q.bool("includeSchemas")?;
    let by_name = sort_by_name(&q, &["id"])?;
    let descending = q.descending()?;
    let ids = q.all("id");
    let name = q.get("name").filter(|n| !n.is_empty());
    let divisions = q.all("divisionId");
    let org = ctx.org();
    let keep = |f: &Flow| {
        if !ids.is_empty() {
            return ids.contains(&f.id.as_str());
        }
        (include_deleted || !f.deleted)
            && (types.is_empty() || types.iter().any(|t| t.eq_ignore_ascii_case(&f.flow_type)))
            && name.is_none_or(|n| prefix_match(n, &f.name))
            && (divisions.is_empty() || divisions.contains(&f.division_id.as_str()))
    };
    let mut flows: Vec<&Flow> = org.flows.values().filter(|f| keep(f)).collect();
    if by_name {
        flows.sort_by_key(|f| name_key(&f.name, &f.id));
    }
    if descending {
        flows.reverse();
    }
    let entities = page
        .slice(&flows)
        .into_iter()
        .map(|f| org.render_flow(f))
        .collect();
    Ok(Reply::Json(entity_listing(
        PATH,
        &q,
        page,
        flows.len(),
        entities,
    )))
}

/// `sortBy`: whether by `name` (true), or by id (false, the default) when it is absent or one
/// of `by_id`; anything else is a 400. Entities come sorted by id already.
pub(crate) fn sort_by_name(q: &QueryParams, by_id: &[&str]) -> Result<bool, ApiError> {
    match q.get("sortBy") {
        None | Some("") => Ok(false),
        Some("name") => Ok(true),
        Some(v) if by_id.contains(&v) => Ok(false),
        Some(v) => Err(ApiError::invalid_value(
            "sortBy",
            format!(
                "Value [{v}] is not valid for field [sortBy]: the simulator sorts by {} or name",
                by_id.join(", ")
            ),
        )),
    }
}
