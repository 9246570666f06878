//! `GET /api/v2/telephony/providers/edges/edgegroups` and `…/sites` (API-FACTS-LOOKUPS L1.2 K,
//! L): page paging, sorted by name (`sortBy` may only be `name`, its default; sites also take
//! `sortOrder` ASC or DESC). `name` keeps those whose names contain it, case-insensitively;
//! `managed=true` keeps none (nothing simulated is managed). The edge group listing adds
//! `totalNumberOfEntities`.
// unverified: the `name` match ("Name") is not documented; contains is the simulator's choice.
// Other `sortBy` values, the sites' `location.id` and `expand` are refused (not simulated).

use std::sync::Arc;

use axum::extract::State;
use serde_json::{Value, json};

use crate::api_error::ApiError;
use crate::context::SimContext;
use crate::listing::{MAX_PAGE_SIZE, Page, entity_listing, refuse_unsimulated};
use crate::org::{NamedLookup, name_key};
use crate::request::{ApiResult, QueryParams, Reply};

/// GET: one page of edge groups.
pub(crate) async fn edge_groups(State(ctx): State<Arc<SimContext>>, q: QueryParams) -> ApiResult {
    let org = ctx.org();
    let mut listing = listing(
        &q,
        "/api/v2/telephony/providers/edges/edgegroups",
        org.edge_groups.values(),
        |g| org.render_edge_group(g),
        false,
    )?;
    listing["totalNumberOfEntities"] = json!(org.edge_groups.len());
    Ok(Reply::Json(listing))
}

/// GET: one page of sites.
pub(crate) async fn sites(State(ctx): State<Arc<SimContext>>, q: QueryParams) -> ApiResult {
    refuse_unsimulated(&q, &["location.id", "expand"])?;
    let descending = matches!(
        q.choice("sortOrder", &["ASC", "DESC"])?.as_deref(),
        Some("DESC")
    );
    let org = ctx.org();
    let listing = listing(
        &q,
        "/api/v2/telephony/providers/edges/sites",
        org.sites.values(),
        |s| org.render_site(s),
        descending,
    )?;
    Ok(Reply::Json(listing))
}

fn listing<'a>(
    q: &QueryParams,
    path: &str,
    all: impl Iterator<Item = &'a NamedLookup>,
    render: impl Fn(&NamedLookup) -> Value,
    descending: bool,
) -> Result<Value, ApiError> {
    let page = Page::from_query(q, MAX_PAGE_SIZE)?;
    q.choice("sortBy", &["name"])?;
    let managed = q.bool("managed")?.unwrap_or(false);
    let name = q
        .get("name")
        .map(str::to_lowercase)
        .filter(|n| !n.is_empty());
    let mut kept: Vec<&NamedLookup> = all
        .filter(|_| !managed)
        .filter(|x| {
            name.as_ref()
                .is_none_or(|n| x.name.to_lowercase().contains(n.as_str()))
        })
        .collect();
    kept.sort_by_key(|x| name_key(&x.name, &x.id));
    if descending {
        kept.reverse();
    }
    let entities = page.slice(&kept).into_iter().map(render).collect();
    Ok(entity_listing(path, q, page, kept.len(), entities))
}
