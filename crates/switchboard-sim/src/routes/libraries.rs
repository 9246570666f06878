//! `GET /api/v2/responsemanagement/libraries` (API-FACTS-LOOKUPS L1.2 J): page paging, by
//! name. `libraryPrefix` keeps the libraries whose names start with it ("libraries that
//! contain the prefix provided").
// unverified: the prefix match's case is not documented; the simulator ignores case.
// `messagingTemplateFilter` is refused (not simulated: libraries hold no responses here).

use std::sync::Arc;

use axum::extract::State;

use crate::context::SimContext;
use crate::listing::{MAX_PAGE_SIZE, Page, entity_listing, prefix_match, refuse_unsimulated};
use crate::org::{NamedLookup, name_key};
use crate::request::{ApiResult, QueryParams, Reply};

const PATH: &str = "/api/v2/responsemanagement/libraries";

/// GET: one page of libraries.
pub(crate) async fn list(State(ctx): State<Arc<SimContext>>, q: QueryParams) -> ApiResult {
    let page = Page::from_query(&q, MAX_PAGE_SIZE)?;
    refuse_unsimulated(&q, &["messagingTemplateFilter"])?;
    let prefix = q.get("libraryPrefix").filter(|p| !p.is_empty());
    let org = ctx.org();
    let mut libraries: Vec<&NamedLookup> = org
        .canned_response_libraries
        .values()
        .filter(|l| prefix.is_none_or(|p| prefix_match(p, &l.name)))
        .collect();
    libraries.sort_by_key(|l| name_key(&l.name, &l.id));
    let entities = page
        .slice(&libraries)
        .into_iter()
        .map(|l| org.render_library(l))
        .collect();
    Ok(Reply::Json(entity_listing(
        PATH,
        &q,
        page,
        libraries.len(),
        entities,
    )))
}
