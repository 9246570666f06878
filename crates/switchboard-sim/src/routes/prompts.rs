//! `GET /api/v2/architect/prompts` and `/{promptId}` (API-FACTS-LOOKUPS L1.2 B, B′): page
//! paging.
//!
//! `name[]`: "Multiple names can be specified, in which case all matching prompts will be
//! returned, and no other filters will be evaluated." Each name matches case-insensitively and
//! exactly, or with a leading and/or trailing `*` as a wildcard. Otherwise `divisionId[]`
//! filters. `sortBy` is `id` (the default) or `name`; `sortOrder` `asc` (default) or `desc`.
// unverified: the `name` match is not documented; exact (case-insensitive, `*` wildcards) is
// the simulator's choice.

use std::sync::Arc;

use axum::extract::{Path, State};

use super::flows::sort_by_name;
use crate::api_error::ApiError;
use crate::context::SimContext;
use crate::listing::{MAX_PAGE_SIZE, Page, entity_listing, refuse_unsimulated, wildcard_match};
use crate::org::{Prompt, name_key};
use crate::request::{ApiResult, QueryParams, Reply};

const PATH: &str = "/api/v2/architect/prompts";

/// GET: one page of user prompts.
pub(crate) async fn list(State(ctx): State<Arc<SimContext>>, q: QueryParams) -> ApiResult {
    let page = Page::from_query(&q, MAX_PAGE_SIZE)?;
    refuse_unsimulated(&q, &["description", "nameOrDescription"])?;
    resource_flags(&q)?;
    let by_name = sort_by_name(&q, &["id"])?;
    let descending = q.descending()?;
    let names: Vec<&str> = q
        .all("name")
        .into_iter()
        .filter(|n| !n.is_empty())
        .collect();
    let divisions = q.all("divisionId");
    let org = ctx.org();
    let keep = |p: &Prompt| {
        if !names.is_empty() {
            return names.iter().any(|n| wildcard_match(n, &p.name));
        }
        divisions.is_empty() || divisions.contains(&p.division_id.as_str())
    };
    let mut prompts: Vec<&Prompt> = org.prompts.values().filter(|p| keep(p)).collect();
    if by_name {
        prompts.sort_by_key(|p| name_key(&p.name, &p.id));
    }
    if descending {
        prompts.reverse();
    }
    let entities = page
        .slice(&prompts)
        .into_iter()
        .map(|p| org.render_prompt(p))
        .collect();
    Ok(Reply::Json(entity_listing(
        PATH,
        &q,
        page,
        prompts.len(),
        entities,
    )))
}

/// GET `/{promptId}`.
pub(crate) async fn get_one(
    State(ctx): State<Arc<SimContext>>,
    Path(id): Path<String>,
    q: QueryParams,
) -> ApiResult {
    resource_flags(&q)?;
    let org = ctx.org();
    let prompt = org
        .prompts
        .get(&id)
        .ok_or_else(|| ApiError::not_found_id(&id))?;
    Ok(Reply::Json(org.render_prompt(prompt)))
}

/// `includeMediaUris` and `includeResources` must be booleans; the simulator's prompts have
/// no resources, so they change nothing.
fn resource_flags(q: &QueryParams) -> Result<(), ApiError> {
    q.bool("includeMediaUris")?;
    q.bool("includeResources")?;
    Ok(())
}
