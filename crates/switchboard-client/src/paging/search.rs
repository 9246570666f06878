//! Searches (users, groups, teams): a POST whose body names the page, answered by
//! `{total, pageCount, pageSize, pageNumber, results[]}`, read page by page.
//!
//! A search ends at the page `pageCount` names last (or at a page without `pageCount`). An
//! answer without `results` is malformed unless it says `total: 0`; a page short of the page
//! size that `pageCount` says is not the last, an entry without an id or seen before in the
//! same read, or more pages than the search's bound, is a [`ListingError`], never "nothing
//! found".
//!
//! [`ListingError`]: crate::ListingError

use serde::de::DeserializeOwned;

use super::{Distinct, Listed, Page};
use crate::client::Client;
use crate::error::Error;
use crate::models::{SearchRequest, SearchResponse};
use crate::request::ApiRequest;

/// Page size of a search by names.
pub(crate) const NAME_SEARCH_PAGE_SIZE: u32 = 100;
/// Names per search by names (groups, teams).
pub const NAMES_PER_SEARCH: usize = 100;
/// The most pages one search by names (of at most 100 names, so about 100 results) may take:
/// ten times what it can match, a bound only an answer that never ends reaches.
pub(crate) const MAX_NAME_SEARCH_PAGES: u32 = 10;

impl Client {
    /// Every result the searches of `search` (groups, teams) return for `names`, an `EXACT`
    /// search on `name`, [`NAMES_PER_SEARCH`] names a search. Its case handling is
    /// undocumented: the caller keeps the matches it wants. An entry without an id, one found
    /// twice, or a search that does not end is an error; an answer without `results` is one
    /// unless it says `total: 0`.
    pub(crate) async fn search_names<T>(
        &self,
        names: &[String],
        search: fn(&SearchRequest) -> ApiRequest,
    ) -> Result<Vec<T>, Error>
    where
        T: DeserializeOwned + Listed,
    {
        self.search_in_chunks(
            names,
            NAMES_PER_SEARCH,
            NAME_SEARCH_PAGE_SIZE,
            MAX_NAME_SEARCH_PAGES,
            |names, page| search(&SearchRequest::exact("name", names, page)),
        )
        .await
    }

    /// Every result of one search, `page_size` (at least 1) a page; more than `max_pages`
    /// pages is refused as a search that never ends.
    pub async fn search_all<T, F>(
        &self,
        page_size: u32,
        max_pages: u32,
        build: F,
    ) -> Result<Vec<T>, Error>
    where
        T: DeserializeOwned + Listed,
        F: Fn(Page) -> ApiRequest,
    {
        let size = page_size.max(1);
        let endpoint = build(Page { number: 1, size }).endpoint;
        let mut read = Distinct::new(endpoint);
        self.search_into(&mut read, size, max_pages, &build).await?;
        Ok(read.into_entities())
    }

    /// Every result of the searches for `values`, `chunk` values (at least 1) a search, one
    /// search after the other; a value given twice is searched once. An entry found by two
    /// searches is refused like one repeated by a page.
    pub(crate) async fn search_in_chunks<T, F>(
        &self,
        values: &[String],
        chunk: usize,
        page_size: u32,
        max_pages: u32,
        build: F,
    ) -> Result<Vec<T>, Error>
    where
        T: DeserializeOwned + Listed,
        F: Fn(&[String], Page) -> ApiRequest,
    {
        let values = crate::api::distinct(values);
        let size = page_size.max(1);
        let Some(first) = values.chunks(chunk.max(1)).next() else {
            return Ok(Vec::new());
        };
        let mut read = Distinct::new(build(first, Page { number: 1, size }).endpoint);
        for values in values.chunks(chunk.max(1)) {
            self.search_into(&mut read, size, max_pages, &|page| build(values, page))
                .await?;
        }
        Ok(read.into_entities())
    }

    /// Reads one search's pages into `read`.
    async fn search_into<T, F>(
        &self,
        read: &mut Distinct<T>,
        size: u32,
        max_pages: u32,
        build: &F,
    ) -> Result<(), Error>
    where
        T: DeserializeOwned + Listed,
        F: Fn(Page) -> ApiRequest,
    {
        let mut number: u32 = 1;
        loop {
            let page: SearchResponse<T> = self.execute(build(Page { number, size })).await?;
            let results = match page.results {
                Some(results) => results,
                None if page.total == Some(0) => Vec::new(),
                None => {
                    return Err(read.error(format!(
                        "page {number} of a search answered without `results` and without `total: 0`"
                    )));
                }
            };
            // The page size the server used: it may serve fewer than asked (a cap), never more.
            let served = page
                .page_size
                .and_then(|served| u32::try_from(served).ok())
                .filter(|served| *served > 0)
                .map_or(size, |served| served.min(size));
            let full = results.len() >= served as usize;
            let count = results.len();
            read.take(&format!("page {number} of a search"), results)?;
            let said_more = page
                .page_count
                .is_some_and(|pages| i64::from(number) < pages);
            if said_more && !full {
                return Err(read.error(format!(
                    "page {number} of a search holds {count} results of {served}, yet its pageCount {} says more pages follow",
                    page.page_count.unwrap_or_default()
                )));
            }
            if !said_more {
                return Ok(());
            }
            if number >= max_pages {
                return Err(read.error(format!(
                    "a search did not end after {number} pages of {size} (more than it can match)"
                )));
            }
            number += 1;
        }
    }
}
