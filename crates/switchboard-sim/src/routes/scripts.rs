//! `GET /api/v2/scripts` and `GET /api/v2/scripts/published` (API-FACTS-LOOKUPS L1.2 C, C′):
//! page paging. The published listing holds only published scripts.
//!
//! `name` matches as a case-insensitive "contains"; `divisionIds` (one string in the
//! description) takes one id or several separated by commas. `/scripts` sorts by `sortBy`
//! `name` (the default), `createdDate` or `modifiedDate`, `sortOrder` `ascending` (default) or
//! `descending`; the published listing by name.
// unverified: the `name` match ("Name filter") and the default order are not documented;
// both are the simulator's choice. `feature` and `flowId` are refused (not simulated).

use std::sync::Arc;

use axum::extract::State;

use crate::context::SimContext;
use crate::listing::{MAX_PAGE_SIZE, Page, entity_listing, refuse_unsimulated};
use crate::org::{Script, name_key};
use crate::request::{ApiResult, QueryParams, Reply};

/// GET `/scripts`.
pub(crate) async fn list(State(ctx): State<Arc<SimContext>>, q: QueryParams) -> ApiResult {
    listing(&ctx, &q, false)
}

/// GET `/scripts/published`.
pub(crate) async fn list_published(
    State(ctx): State<Arc<SimContext>>,
    q: QueryParams,
) -> ApiResult {
    listing(&ctx, &q, true)
}

fn listing(ctx: &SimContext, q: &QueryParams, published: bool) -> ApiResult {
    let page = Page::from_query(q, MAX_PAGE_SIZE)?;
    refuse_unsimulated(q, &["feature", "flowId"])?;
    let sort_by = q
        .choice("sortBy", &["modifiedDate", "createdDate", "name"])?
        .unwrap_or_else(|| "name".to_string());
    let descending = q
        .choice("sortOrder", &["ascending", "descending"])?
        .as_deref()
        == Some("descending");
    let name = q
        .get("name")
        .map(str::to_lowercase)
        .filter(|n| !n.is_empty());
    let divisions: Vec<&str> = q
        .get("divisionIds")
        .map(|d| {
            d.split(',')
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let org = ctx.org();
    let mut scripts: Vec<&Script> = org
        .scripts
        .values()
        .filter(|s| !published || s.published)
        .filter(|s| {
            name.as_ref()
                .is_none_or(|n| s.name.to_lowercase().contains(n.as_str()))
        })
        .filter(|s| divisions.is_empty() || divisions.contains(&s.division_id.as_str()))
        .collect();
    scripts.sort_by_key(|s| name_key(&s.name, &s.id));
    match sort_by.as_str() {
        "createdDate" => scripts.sort_by_key(|s| s.date_created),
        "modifiedDate" => scripts.sort_by_key(|s| s.date_modified),
        _ => {}
    }
    if descending {
        scripts.reverse();
    }
    let path = if published {
        "/api/v2/scripts/published"
    } else {
        "/api/v2/scripts"
    };
    let entities = page
        .slice(&scripts)
        .into_iter()
        .map(|s| org.render_script(s, published))
        .collect();
    Ok(Reply::Json(entity_listing(
        path,
        q,
        page,
        scripts.len(),
        entities,
    )))
}
