//! Directory groups: `/api/v2/groups`, for a queue's `memberGroups` of type `GROUP`
//! (API-FACTS-LOOKUPS L1, lookup D). Read only.
//!
//! The listing has no name filter: names are found by one search for all of them
//! (`EXACT` on `name`, 100 names a search), ids by the listing's `id`
//! filter. No operation here requires a permission; the search's only catalogued OAuth
//! scope is `groups`, so a client limited to `groups:readonly` may be refused it.

use futures::{StreamExt, TryStreamExt};

use super::{distinct, scoped};
use crate::client::Client;
use crate::error::Error;
use crate::models::{Group, SearchRequest};
use crate::paging::{Distinct, Page};
use crate::request::{ApiRequest, Endpoint, Method::*};

/// The OAuth scopes of the group reads.
pub(crate) const GROUPS_SCOPES: &[&str] = &["groups", "groups:readonly"];

/// `GET /api/v2/groups`.
pub const LIST: Endpoint = scoped(Get, "/api/v2/groups", &[], GROUPS_SCOPES);
/// `GET /api/v2/groups/{groupId}`.
pub const GET: Endpoint = scoped(Get, "/api/v2/groups/{groupId}", &[], GROUPS_SCOPES);
/// `POST /api/v2/groups/search`.
pub const SEARCH: Endpoint = scoped(Post, "/api/v2/groups/search", &[], &["groups"]);

/// Page size of the listing by ids.
pub const PAGE_SIZE: u32 = 100;
/// Ids per listing request (undocumented for groups; users allow 100).
pub const MAX_IDS_PER_CALL: usize = 100;
/// One page of the groups with these ids.
pub fn list_by_ids(ids: &[String], page: Page) -> ApiRequest {
    ApiRequest::new(LIST, &[]).query_multi("id", ids).page(page)
}

/// One group.
pub fn get(group_id: &str) -> ApiRequest {
    ApiRequest::new(GET, &[group_id])
}

/// A group search (read-only, so safe to repeat).
pub fn search(request: &SearchRequest) -> ApiRequest {
    ApiRequest::new(SEARCH, &[]).json(request).idempotent()
}

impl Client {
    /// The groups the search returns for `names` (its case handling is undocumented: the
    /// caller keeps the exact matches). A group without an id, one found twice, or a search
    /// that does not end is an error; an answer without `results` is one unless it says
    /// `total: 0`.
    pub async fn find_groups_by_name(&self, names: &[String]) -> Result<Vec<Group>, Error> {
        self.search_names(names, search).await
    }

    /// One group.
    pub async fn get_group(&self, group_id: &str) -> Result<Group, Error> {
        self.execute(get(group_id)).await
    }

    /// The groups with these ids, 100 ids a request. A group without an id, or one returned
    /// twice, is an error.
    pub async fn list_groups_by_id(&self, ids: &[String]) -> Result<Vec<Group>, Error> {
        let ids = distinct(ids);
        let concurrency = self.config().max_concurrency.get();
        let batches: Vec<Vec<Group>> = futures::stream::iter(ids.chunks(MAX_IDS_PER_CALL))
            .map(|ids| self.list_all(PAGE_SIZE, move |page| list_by_ids(ids, page)))
            .buffered(concurrency)
            .try_collect()
            .await?;
        let mut read = Distinct::new(LIST);
        for (index, batch) in batches.into_iter().enumerate() {
            read.take(&format!("the answer to batch {} of ids", index + 1), batch)?;
        }
        Ok(read.into_entities())
    }
}
