//! `GET /api/v2/routing/email/domains` and `GET …/domains/{domainName}/routes`
//! (API-FACTS-LOOKUPS L1.2 G, G′): page paging. Domains are listed by id (the domain name);
//! a domain name in a path is matched case-insensitively, and an unknown one is a 404.
//! Routes are listed by pattern; `pattern` keeps the routes whose pattern contains it,
//! case-insensitively. `excludeStatus=true` leaves out `mxRecordStatus`.
// unverified: the routes' `pattern` match is not documented; contains is the simulator's
// choice. The domains' `filter` syntax is ambiguous (L1.2 G) and is refused, as is the routes'
// `expand` (identity resolution is not simulated). `expand=settings` is accepted: a simulated
// domain has no settings to expand.

use std::sync::Arc;

use axum::extract::{Path, State};

use crate::api_error::ApiError;
use crate::context::SimContext;
use crate::listing::{MAX_PAGE_SIZE, Page, entity_listing, refuse_unsimulated};
use crate::org::EmailRoute;
use crate::request::{ApiResult, QueryParams, Reply};

const PATH: &str = "/api/v2/routing/email/domains";

/// GET: one page of domains.
pub(crate) async fn list(State(ctx): State<Arc<SimContext>>, q: QueryParams) -> ApiResult {
    let page = Page::from_query(&q, MAX_PAGE_SIZE)?;
    refuse_unsimulated(&q, &["filter"])?;
    q.choice("expand", &["settings"])?;
    let exclude_status = q.bool("excludeStatus")?.unwrap_or(false);
    let org = ctx.org();
    let domains: Vec<_> = org.email_domains.values().collect();
    let entities = page
        .slice(&domains)
        .into_iter()
        .map(|d| {
            let mut v = org.render_email_domain(d);
            if exclude_status && let Some(o) = v.as_object_mut() {
                o.remove("mxRecordStatus");
            }
            v
        })
        .collect();
    Ok(Reply::Json(entity_listing(
        PATH,
        &q,
        page,
        domains.len(),
        entities,
    )))
}

/// GET: one page of a domain's routes.
pub(crate) async fn routes(
    State(ctx): State<Arc<SimContext>>,
    Path(domain_name): Path<String>,
    q: QueryParams,
) -> ApiResult {
    let page = Page::from_query(&q, MAX_PAGE_SIZE)?;
    refuse_unsimulated(&q, &["expand"])?;
    let org = ctx.org();
    let Some(domain) = org.email_domains.get(&domain_name.to_lowercase()) else {
        return Err(ApiError::not_found_id(&domain_name));
    };
    let pattern = q
        .get("pattern")
        .map(str::to_lowercase)
        .filter(|p| !p.is_empty());
    let mut routes: Vec<&EmailRoute> = domain
        .routes
        .values()
        .filter(|r| {
            pattern
                .as_ref()
                .is_none_or(|p| r.pattern.to_lowercase().contains(p.as_str()))
        })
        .collect();
    routes.sort_by_key(|r| (r.pattern.to_lowercase(), r.id.clone()));
    let entities = page
        .slice(&routes)
        .into_iter()
        .map(|r| org.render_email_route(&domain.id, r))
        .collect();
    let path = format!("{PATH}/{}/routes", domain.id);
    Ok(Reply::Json(entity_listing(
        &path,
        &q,
        page,
        routes.len(),
        entities,
    )))
}
