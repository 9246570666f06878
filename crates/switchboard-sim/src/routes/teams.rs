//! Teams (API-FACTS-LOOKUPS L1.2 E, E′, E″): `GET /api/v2/teams` (cursor paging, `name` a
//! case-insensitive prefix as documented, `expand=entities.division`),
//! `GET /api/v2/teams/{teamId}` and `POST /api/v2/teams/search` (`EXACT` and `STARTS_WITH`,
//! search paging; see `crate::search`).

use std::sync::Arc;

use axum::extract::{Path, State};
use serde_json::Value;

use crate::api_error::ApiError;
use crate::context::SimContext;
use crate::cursor::{Entry, cursor_listing};
use crate::listing::prefix_match;
use crate::org::{Team, name_key};
use crate::request::{ApiResult, JsonBody, QueryParams, Reply};
use crate::search::Search;

const PATH: &str = "/api/v2/teams";

fn expand_division(q: &QueryParams) -> Result<bool, ApiError> {
    Ok(q.choice("expand", &["entities.division"])?.is_some())
}

/// GET: one page of teams, sorted by name.
pub(crate) async fn list(State(ctx): State<Arc<SimContext>>, q: QueryParams) -> ApiResult {
    let expand = expand_division(&q)?;
    let name = q.get("name").filter(|n| !n.is_empty());
    let org = ctx.org();
    let entries = org
        .teams
        .values()
        .filter(|t| name.is_none_or(|n| prefix_match(n, &t.name)))
        .map(|t| Entry {
            name: t.name.clone(),
            id: t.id.clone(),
            item: t,
        })
        .collect();
    let listing = cursor_listing(PATH, &q, entries, |t| org.render_team(t, expand))?;
    Ok(Reply::Json(listing))
}

/// GET `/{teamId}`.
pub(crate) async fn get_one(
    State(ctx): State<Arc<SimContext>>,
    Path(id): Path<String>,
    q: QueryParams,
) -> ApiResult {
    let expand = expand_division(&q)?;
    let org = ctx.org();
    let team = org
        .teams
        .get(&id)
        .ok_or_else(|| ApiError::not_found_id(&id))?;
    Ok(Reply::Json(org.render_team(team, expand)))
}

/// POST `/search` with a `TeamSearchRequest` (its `query` is required).
pub(crate) async fn search(State(ctx): State<Arc<SimContext>>, body: JsonBody) -> ApiResult {
    let search = Search::read(body.object_of("TeamSearchRequest")?)?;
    let org = ctx.org();
    let mut hits: Vec<&Team> = org
        .teams
        .values()
        .filter(|t| search.matches(&t.id, &t.name))
        .collect();
    hits.sort_by_key(|t| name_key(&t.name, &t.id));
    if search.descending {
        hits.reverse();
    }
    let rendered: Vec<Value> = hits.into_iter().map(|t| org.render_team(t, true)).collect();
    Ok(Reply::Json(search.response("teams", &rendered)))
}
