//! Reading whole collections at the least number of requests, and never trusting a listing
//! further than its own answers agree.
//!
//! Standard listings carry `pageCount`: page 1 is read first, then the other pages at once
//! (within the concurrency bound, in order), so N pages cost exactly N requests. The queue
//! members listing has no `total`/`pageCount` (API-FACTS §2): it is read page by page while
//! a full page says `nextUri`. When its size is known ahead (a queue's `memberCount`), its
//! pages are read at once.
//!
//! What ends a listing is what its answers say: a page shorter than the page size, a page
//! without `nextUri` (listings without `pageCount`), or the last page `pageCount` names. What
//! the answers cannot both say is an error ([`ListingError`]), never a guess:
//! - a page that holds an entity an earlier page held (a repeated page: `nextUri` that never
//!   ends, a server ignoring `pageNumber`);
//! - a `pageCount` that `total` and the page size contradict, or that is implausible;
//! - a `total` that the pages read do not add up to (the listing changed while it was read,
//!   or an answer lies);
//! - a listing that goes on far past the size the caller was told to expect, or past
//!   [`MAX_PAGES`] pages.
//!
//! So a fault can end a read early only where the answers agree it ended, and the caller
//! learns of every contradiction.
//!
//! Cursor listings ([`Client::list_cursor`], in `cursor.rs`) and searches
//! ([`Client::search_all`], in `search.rs`) give no `total` to check their pages by, so each
//! of their entities must carry an id never seen before in the same read ([`Distinct`]).

mod cursor;
mod search;

use std::collections::HashSet;

use futures::StreamExt;
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::{Error, ListingError};
use crate::models::EntityListing;
use crate::request::{ApiRequest, Endpoint};

pub use cursor::Cursor;
pub use search::NAMES_PER_SEARCH;

/// One page to request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// Page number, from 1.
    pub number: u32,
    /// Page size.
    pub size: u32,
}

/// No listing switchboard reads has more pages than this (10,000 pages is five million
/// users at 500 a page); an answer that says more is taken as broken.
pub const MAX_PAGES: u32 = 10_000;

/// A listing without `pageCount` whose size was given may run this many pages past it
/// (members joining while it is read) before it is taken as never ending.
const GROWTH_PAGES: u32 = 10;

/// An entity of a listing, known by its id, so that a page repeating an earlier one is
/// caught.
pub trait Listed {
    /// The entity's id, when the answer gave one.
    fn listed_id(&self) -> Option<&str>;
}

/// What the pages of one listing have said so far.
struct Pages<T> {
    endpoint: Endpoint,
    /// The page size asked for.
    asked: u32,
    entities: Vec<T>,
    seen: HashSet<String>,
    /// The `total` the first page reported.
    total: Option<i64>,
    /// Whether the last page taken ends the listing.
    ended: bool,
    /// The last page taken.
    last: u32,
}

impl<T: Listed> Pages<T> {
    fn new(endpoint: Endpoint, asked: u32) -> Self {
        Pages {
            endpoint,
            asked,
            entities: Vec::new(),
            seen: HashSet::new(),
            total: None,
            ended: false,
            last: 0,
        }
    }

    /// The pages of the listing `build` asks for, `page_size` (at least 1) a page.
    fn of(page_size: u32, build: &impl Fn(Page) -> ApiRequest) -> Self {
        let page_size = page_size.max(1);
        let endpoint = build(Page {
            number: 1,
            size: page_size,
        })
        .endpoint;
        Pages::new(endpoint, page_size)
    }

    fn error(&self, detail: String) -> Error {
        ListingError::new(self.endpoint, detail).into()
    }

    /// Takes page `number`: its entities must all be new, and it says whether more follow
    /// (`follows_next`: whether `nextUri` counts, for listings without `pageCount`).
    fn take(
        &mut self,
        number: u32,
        page: EntityListing<T>,
        follows_next: bool,
    ) -> Result<(), Error> {
        if number == 1 {
            self.total = page.total;
        }
        // The page size the server used: it may serve fewer than asked (a cap), never more.
        let size = page
            .page_size
            .and_then(|size| u32::try_from(size).ok())
            .filter(|size| *size > 0)
            .map_or(self.asked, |size| size.min(self.asked));
        let full = page.entities.len() >= size as usize;
        let next = page.next_uri.as_deref().is_some_and(|uri| !uri.is_empty());
        for entity in &page.entities {
            if let Some(id) = entity.listed_id()
                && !self.seen.insert(id.to_string())
            {
                return Err(self.error(format!(
                    "page {number} repeats {}, which an earlier page already held (the listing repeats itself or changed while it was read)",
                    shortened(id)
                )));
            }
        }
        self.entities.extend(page.entities);
        self.last = number;
        self.ended = !full || (follows_next && !next);
        Ok(())
    }

    /// The entities, once the listing has ended: as many as `total` says, when it says.
    fn finish(self) -> Result<Vec<T>, Error> {
        if let Some(total) = self.total
            && i64::try_from(self.entities.len()).ok() != Some(total)
        {
            return Err(self.error(format!(
                "it reports {total} entities but its {} page(s) held {} (the listing changed while it was read, or an answer is wrong)",
                self.last,
                self.entities.len()
            )));
        }
        Ok(self.entities)
    }
}

impl Client {
    /// Every entity of a `pageNumber`/`pageSize` listing; with `pageCount`, its pages at
    /// once after the first, else page by page like the members listing.
    pub async fn list_all<T, F>(&self, page_size: u32, build: F) -> Result<Vec<T>, Error>
    where
        T: DeserializeOwned + Listed,
        F: Fn(Page) -> ApiRequest,
    {
        let page_size = page_size.max(1);
        let first_request = build(Page {
            number: 1,
            size: page_size,
        });
        let mut pages = Pages::new(first_request.endpoint, page_size);
        let first: EntityListing<T> = self.execute(first_request).await?;
        let page_count = first.page_count;
        let total = first.total;
        let returned_size = first.page_size;
        let Some(page_count) = page_count else {
            pages.take(1, first, true)?;
            self.follow(&mut pages, MAX_PAGES, &build).await?;
            return pages.finish();
        };
        pages.take(1, first, false)?;
        let page_count = plausible_page_count(page_count, total, returned_size, page_size)
            .map_err(|detail| pages.error(detail))?;
        self.read_in_order(&mut pages, 2..=page_count, &build, false)
            .await?;
        pages.finish()
    }

    /// Every entity of a listing without `pageCount` (queue members), page by page.
    pub async fn list_following<T, F>(&self, page_size: u32, build: F) -> Result<Vec<T>, Error>
    where
        T: DeserializeOwned + Listed,
        F: Fn(Page) -> ApiRequest,
    {
        let mut pages = Pages::of(page_size, &build);
        self.follow(&mut pages, MAX_PAGES, &build).await?;
        pages.finish()
    }

    /// Every entity of a listing without `pageCount` whose size is known ahead (a queue's
    /// `memberCount`): the ⌈expected/size⌉ pages at once, stopping at the first that ends
    /// the listing, then page by page while the last one is full and says there is more (the
    /// count was stale), at most [`GROWTH_PAGES`] pages past the expected size. Expecting 0
    /// costs no request at all.
    pub async fn list_expected<T, F>(
        &self,
        page_size: u32,
        expected: u64,
        build: F,
    ) -> Result<Vec<T>, Error>
    where
        T: DeserializeOwned + Listed,
        F: Fn(Page) -> ApiRequest,
    {
        let mut pages = Pages::of(page_size, &build);
        let page_size = pages.asked;
        let count = expected.div_ceil(u64::from(page_size));
        let Some(count) = u32::try_from(count).ok().filter(|c| *c <= MAX_PAGES) else {
            return Err(pages.error(format!(
                "{expected} entities were expected, more than {MAX_PAGES} pages of {page_size}: the count is implausible"
            )));
        };
        if count == 0 {
            return Ok(Vec::new());
        }
        self.read_in_order(&mut pages, 1..=count, &build, true)
            .await?;
        let limit = count.saturating_add(GROWTH_PAGES).min(MAX_PAGES);
        self.follow(&mut pages, limit, &build).await?;
        pages.finish()
    }

    /// Reads `numbers` concurrently within the bound, taking them in order, and stops at
    /// the first page that ends the listing (pages after it are not asked for, or are
    /// dropped unread if already asked). `follows_next`: whether a missing `nextUri` ends it.
    async fn read_in_order<T, F>(
        &self,
        pages: &mut Pages<T>,
        numbers: std::ops::RangeInclusive<u32>,
        build: &F,
        follows_next: bool,
    ) -> Result<(), Error>
    where
        T: DeserializeOwned + Listed,
        F: Fn(Page) -> ApiRequest,
    {
        if pages.ended {
            return Ok(());
        }
        let concurrency = self.config().max_concurrency.get();
        let size = pages.asked;
        let mut stream = futures::stream::iter(numbers)
            .map(|number| async move {
                let page = self
                    .execute::<EntityListing<T>>(build(Page { number, size }))
                    .await;
                (number, page)
            })
            .buffered(concurrency);
        while let Some((number, page)) = stream.next().await {
            pages.take(number, page?, follows_next)?;
            if pages.ended {
                break;
            }
        }
        Ok(())
    }

    /// Reads the pages after the last one taken, one by one, until one ends the listing;
    /// more than `limit` pages in all is an error.
    async fn follow<T, F>(&self, pages: &mut Pages<T>, limit: u32, build: &F) -> Result<(), Error>
    where
        T: DeserializeOwned + Listed,
        F: Fn(Page) -> ApiRequest,
    {
        while !pages.ended {
            if pages.last >= limit {
                return Err(pages.error(format!(
                    "it did not end after {} pages of {} (more than it was expected to hold)",
                    pages.last, pages.asked
                )));
            }
            let number = pages.last + 1;
            let page: EntityListing<T> = self
                .execute(build(Page {
                    number,
                    size: pages.asked,
                }))
                .await?;
            pages.take(number, page, true)?;
        }
        Ok(())
    }
}

/// The entities of one read, each with an id that no earlier answer of the read held. An
/// entity without an id could never be referenced, and may be the one a look-up is for: it
/// is refused, as is an id seen twice (a page repeated, a listing that changed while read).
pub(crate) struct Distinct<T> {
    endpoint: Endpoint,
    entities: Vec<T>,
    seen: HashSet<String>,
}

impl<T: Listed> Distinct<T> {
    /// An empty read of `endpoint`.
    pub(crate) fn new(endpoint: Endpoint) -> Self {
        Distinct {
            endpoint,
            entities: Vec::new(),
            seen: HashSet::new(),
        }
    }

    /// The listing error of this read.
    pub(crate) fn error(&self, detail: String) -> Error {
        ListingError::new(self.endpoint, detail).into()
    }

    /// Takes the entities of one answer, `what` naming it in an error ("page 3").
    pub(crate) fn take(&mut self, what: &str, entities: Vec<T>) -> Result<(), Error> {
        for entity in &entities {
            let Some(id) = entity.listed_id().filter(|id| !id.is_empty()) else {
                return Err(self.error(format!(
                    "{what} holds an entry without an id (it could not be referenced)"
                )));
            };
            if !self.seen.insert(id.to_string()) {
                return Err(self.error(format!(
                    "{what} repeats {}, which an earlier answer already held (the listing repeats itself or changed while it was read)",
                    shortened(id)
                )));
            }
        }
        self.entities.extend(entities);
        Ok(())
    }

    /// Entities taken so far.
    pub(crate) fn len(&self) -> usize {
        self.entities.len()
    }

    /// The entities, in the order taken.
    pub(crate) fn into_entities(self) -> Vec<T> {
        self.entities
    }
}

/// `entities` of one listing of `endpoint`, refused when one has no id (see [`Distinct`]).
pub(crate) fn with_ids<T: Listed>(endpoint: Endpoint, entities: Vec<T>) -> Result<Vec<T>, Error> {
    let mut read = Distinct::new(endpoint);
    read.take("the listing", entities)?;
    Ok(read.into_entities())
}

/// An id as an error quotes it: at most 64 characters (an answer may hold anything).
pub(crate) fn shortened(id: &str) -> String {
    let mut short: String = id.chars().filter(|c| !c.is_control()).take(64).collect();
    if id.chars().count() > 64 {
        short.push('…');
    }
    short
}

/// The `pageCount` to read up to, when `total` and the page size do not contradict it.
fn plausible_page_count(
    page_count: i64,
    total: Option<i64>,
    returned_size: Option<i64>,
    asked: u32,
) -> Result<u32, String> {
    let count = u32::try_from(page_count)
        .ok()
        .filter(|count| *count <= MAX_PAGES)
        .ok_or_else(|| format!("its pageCount {page_count} is implausible"))?;
    let size = returned_size
        .and_then(|size| u64::try_from(size).ok())
        .filter(|size| *size > 0)
        .unwrap_or(u64::from(asked));
    if let Some(total) = total {
        let total = u64::try_from(total).map_err(|_| format!("its total {total} is negative"))?;
        let needed = total.div_ceil(size);
        // An empty listing may say 0 or 1 pages.
        if u64::from(count) != needed && !(total == 0 && count <= 1) {
            return Err(format!(
                "its pageCount {page_count} does not fit its total {total} at {size} a page"
            ));
        }
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::plausible_page_count;

    #[test]
    fn a_page_count_must_fit_the_total() {
        assert_eq!(plausible_page_count(3, Some(1234), Some(500), 500), Ok(3));
        assert_eq!(plausible_page_count(0, Some(0), Some(500), 500), Ok(0));
        assert_eq!(plausible_page_count(1, Some(0), None, 500), Ok(1));
        assert_eq!(plausible_page_count(7, None, None, 500), Ok(7));
        for (count, total) in [(1, Some(1234)), (99_999, None), (-1, None), (2, Some(-5))] {
            assert!(
                plausible_page_count(count, total, Some(500), 500).is_err(),
                "{count} {total:?}"
            );
        }
    }
}
