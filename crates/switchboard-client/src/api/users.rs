//! Users: listing and look-up only; switchboard never creates, edits or deletes users.

use futures::{StreamExt, TryStreamExt};

use super::op;
use crate::client::Client;
use crate::error::Error;
use crate::models::{User, UserSearchCriteria, UserSearchRequest};
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
/// Page size for user searches, and emails per search.
const SEARCH_PAGE: u32 = 100;
/// Page size for user searches, as the search body writes it.
pub const SEARCH_PAGE_SIZE: i64 = SEARCH_PAGE as i64;
/// The most pages one search (of at most 100 emails, so about 100 users) may take: ten times
/// what it can match if every email had a user in each state, a bound only an answer that
/// never ends reaches.
const MAX_SEARCH_PAGES: u32 = 10;

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

    /// Users whose email is one of `emails`, all pages, 100 emails a search. An answer
    /// without `results` is malformed unless it says `total: 0`; a user without an id, a
    /// page repeating a user an earlier page held, or more pages than 100 emails can match,
    /// is an error: never "no users".
    pub async fn find_users_by_email(
        &self,
        emails: &[String],
        expand: &[&str],
    ) -> Result<Vec<User>, Error> {
        self.search_in_chunks(
            emails,
            SEARCH_PAGE as usize,
            SEARCH_PAGE,
            MAX_SEARCH_PAGES,
            |emails, page| search(&emails_query(emails, expand, i64::from(page.number))),
        )
        .await
    }
}
