//! Teams: `/api/v2/teams`, for a queue's `memberGroups` of type `TEAM` (API-FACTS-LOOKUPS
//! L1, lookup E). Read only. The listing pages by cursor; names are found by the listing of
//! every team or by one search for all of them (`EXACT` on `name`).

use super::{groups::GROUPS_SCOPES, scoped};
use crate::client::Client;
use crate::error::Error;
use crate::models::{SearchRequest, Team};
use crate::paging::Cursor;
use crate::request::{ApiRequest, Endpoint, Method::*};

const VIEW: &[&str] = &["groups:team:view"];

/// `GET /api/v2/teams`: cursor paging.
pub const LIST: Endpoint = scoped(Get, "/api/v2/teams", VIEW, GROUPS_SCOPES);
/// `GET /api/v2/teams/{teamId}`.
pub const GET: Endpoint = scoped(Get, "/api/v2/teams/{teamId}", VIEW, GROUPS_SCOPES);
/// `POST /api/v2/teams/search`.
pub const SEARCH: Endpoint = scoped(Post, "/api/v2/teams/search", VIEW, GROUPS_SCOPES);

/// Page size (CX as Code's; no maximum is documented).
pub const PAGE_SIZE: u32 = 100;
/// The most teams the listing may hold (no limit is documented): past it, at ⌈10,000 /
/// [`PAGE_SIZE`]⌉ + 1 = 101 pages, the listing is taken as one that never ends.
pub const MAX_TEAMS: u32 = 10_000;
/// One page of teams.
pub fn list(cursor: Cursor<'_>) -> ApiRequest {
    ApiRequest::new(LIST, &[]).cursor(cursor)
}

/// One team.
pub fn get(team_id: &str) -> ApiRequest {
    ApiRequest::new(GET, &[team_id])
}

/// A team search (read-only, so safe to repeat).
pub fn search(request: &SearchRequest) -> ApiRequest {
    ApiRequest::new(SEARCH, &[]).json(request).idempotent()
}

impl Client {
    /// Every team. A team without an id or seen twice, a repeated cursor, a `nextUri`
    /// elsewhere, or more than [`MAX_TEAMS`] teams is an error.
    pub async fn list_teams(&self) -> Result<Vec<Team>, Error> {
        self.list_cursor(PAGE_SIZE, MAX_TEAMS, list).await
    }

    /// The teams the search returns for `names` (the caller keeps the exact matches). A team
    /// without an id, one found twice, or a search that does not end is an error.
    pub async fn find_teams_by_name(&self, names: &[String]) -> Result<Vec<Team>, Error> {
        self.search_names(names, search).await
    }

    /// One team.
    pub async fn get_team(&self, team_id: &str) -> Result<Team, Error> {
        self.execute(get(team_id)).await
    }
}
