//! Users: listing and look-up only; switchboard never creates, edits or deletes users.

use std::collections::HashSet;

use futures::{StreamExt, TryStreamExt};

use super::op;
use crate::client::Client;
use crate::error::{Error, ListingError};
use crate::models::{User, UserSearchCriteria, UserSearchRequest, UsersSearchResponse};
use crate::paging::Page;
use crate::request::{ApiRequest, Endpoint, Method::*};

/// `GET /api/v2/users`.
pub const LIST: Endpoint = op(Get, "/api/v2/users", &[]);
/// `GET /api/v2/users/{userId}`.
pub const GET: Endpoint = op(Get, "/api/v2/users/{userId}", &[]);
/// `POST /api/v2/users/search`.
pub const SEARCH: Endpoint = op(Post, "/api/v2/users/search", &["directory:user:view"]);

/// Page size for the user listing (the Terraform provider's).
pub const PAGE_SIZE: u32 = 500;
/// "Only 100 users can be requested at a time" (`max.user.ids`, API-FACTS §2).
pub const MAX_IDS_PER_CALL: usize = 100;
/// Page size for user searches.
pub const SEARCH_PAGE_SIZE: i64 = 100;
/// The most pages one search (of at most 100 emails, so about 100 users) may take: ten times
/// what it can match if every email had a user in each state, a bound only an answer that
/// never ends reaches.
const MAX_SEARCH_PAGES: i64 = 10;

/// What to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserFilter {
    /// `active` (the API's default), `inactive`, `deleted` or `any`.
    pub state: Option<String>,
    /// Expansions, e.g. `skills`, `languages`.
    pub expand: Vec<String>,
    /// Only these ids (at most 100 per request).
    pub ids: Vec<String>,
}

/// One page of users.
pub fn list(page: Page, filter: &UserFilter) -> ApiRequest {
    let mut request = ApiRequest::new(LIST, &[])
        .page(page)
        .query_multi("id", &filter.ids)
        .query_multi("expand", &filter.expand);
    if let Some(state) = &filter.state {
        request = request.query("state", state);
    }
    request
}

/// One user.
pub fn get(user_id: &str, expand: &[&str]) -> ApiRequest {
    ApiRequest::new(GET, &[user_id]).query_multi("expand", expand)
}

/// A user search (read-only, so safe to repeat).
pub fn search(request: &UserSearchRequest) -> ApiRequest {
    ApiRequest::new(SEARCH, &[]).json(request).idempotent()
}

/// The search for users whose email is one of `emails`.
pub fn emails_query(emails: &[String], expand: &[&str], page_number: i64) -> UserSearchRequest {
    UserSearchRequest {
        page_size: Some(SEARCH_PAGE_SIZE),
        page_number: Some(page_number),
        expand: (!expand.is_empty()).then(|| expand.iter().map(|e| e.to_string()).collect()),
        query: vec![UserSearchCriteria {
            kind: "EXACT".into(),
            fields: Some(vec!["email".into()]),
            values: Some(emails.to_vec()),
            ..UserSearchCriteria::default()
        }],
    }
}

impl Client {
    /// Every user matching `filter`. With ids, asks 100 ids per request.
    pub async fn list_users(&self, filter: &UserFilter) -> Result<Vec<User>, Error> {
        if filter.ids.is_empty() {
            return self.list_all(PAGE_SIZE, |page| list(page, filter)).await;
        }
        let concurrency = self.config().max_concurrency.get();
        let batches: Vec<Vec<User>> = futures::stream::iter(filter.ids.chunks(MAX_IDS_PER_CALL))
            .map(|ids| {
                let batch = UserFilter {
                    ids: ids.to_vec(),
                    ..filter.clone()
                };
                async move { self.list_all(PAGE_SIZE, |page| list(page, &batch)).await }
            })
            .buffered(concurrency)
            .try_collect()
            .await?;
        Ok(batches.into_iter().flatten().collect())
    }

    /// One user.
    pub async fn get_user(&self, user_id: &str, expand: &[&str]) -> Result<User, Error> {
        self.execute(get(user_id, expand)).await
    }

    /// Users whose email is one of `emails`, all pages. An answer without `results` is
    /// malformed unless it says `total: 0`; a page repeating a user an earlier page held, or
    /// more pages than 100 emails can match, is an error: never "no users".
    pub async fn find_users_by_email(
        &self,
        emails: &[String],
        expand: &[&str],
    ) -> Result<Vec<User>, Error> {
        let mut users = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        for emails in emails.chunks(SEARCH_PAGE_SIZE as usize) {
            let mut page_number: i64 = 1;
            loop {
                let page: UsersSearchResponse = self
                    .execute(search(&emails_query(emails, expand, page_number)))
                    .await?;
                let results = match page.results {
                    Some(results) => results,
                    None if page.total == Some(0) => Vec::new(),
                    None => {
                        return Err(ListingError::new(
                            SEARCH,
                            format!(
                                "page {page_number} of a search answered without `results` and without `total: 0`"
                            ),
                        )
                        .into());
                    }
                };
                let full = results.len() >= SEARCH_PAGE_SIZE as usize;
                for user in &results {
                    if let Some(id) = user.id.as_deref()
                        && !seen.insert(id.to_string())
                    {
                        return Err(ListingError::new(
                            SEARCH,
                            format!(
                                "page {page_number} of a search repeats user {}",
                                crate::paging::shortened(id)
                            ),
                        )
                        .into());
                    }
                }
                users.extend(results);
                let more = page.page_count.is_some_and(|count| page_number < count) && full;
                if !more {
                    break;
                }
                if page_number >= MAX_SEARCH_PAGES {
                    return Err(ListingError::new(
                        SEARCH,
                        format!(
                            "a search for {} email(s) did not end after {page_number} pages",
                            emails.len()
                        ),
                    )
                    .into());
                }
                page_number += 1;
            }
        }
        Ok(users)
    }
}
