//! Reading whole collections at the least number of requests.
//!
//! Standard listings carry `pageCount`: page 1 is read first, then every other page at
//! once (within the concurrency bound), so N pages cost exactly N requests. The queue
//! members listing has no `total`/`pageCount` (API-FACTS §2): it is read page by page until
//! `nextUri` is absent, and a short page ends it too, so no empty page is ever requested.
//! When its size is known ahead (a queue's `memberCount`), all its pages are read at once.

use futures::{StreamExt, TryStreamExt};
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::{DecodeError, Error};
use crate::models::EntityListing;
use crate::request::ApiRequest;

/// One page to request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// Page number, from 1.
    pub number: u32,
    /// Page size.
    pub size: u32,
}

/// More pages than this from one listing is taken as a broken `pageCount`.
const MAX_PAGES: u32 = 100_000;

impl Client {
    /// Every entity of a `pageNumber`/`pageSize` listing that reports `pageCount`.
    pub async fn list_all<T, F>(&self, page_size: u32, build: F) -> Result<Vec<T>, Error>
    where
        T: DeserializeOwned,
        F: Fn(Page) -> ApiRequest,
    {
        let page_size = page_size.max(1);
        let first_request = build(Page {
            number: 1,
            size: page_size,
        });
        let endpoint = first_request.endpoint;
        let first: EntityListing<T> = self.execute(first_request).await?;
        let Some(page_count) = first.page_count else {
            // No page count: follow the listing like the members listing.
            let more = has_next(&first, page_size);
            let mut entities = first.entities;
            self.follow(1, more, page_size, &build, &mut entities)
                .await?;
            return Ok(entities);
        };
        let Some(page_count) = u32::try_from(page_count)
            .ok()
            .filter(|count| *count <= MAX_PAGES)
        else {
            return Err(Error::Decode(Box::new(DecodeError {
                endpoint,
                status: 200,
                content_type: "application/json".into(),
                detail: format!("implausible pageCount {page_count}"),
                snippet: String::new(),
                correlation_id: None,
            })));
        };
        let mut entities = first.entities;
        let rest: Vec<EntityListing<T>> = self.pages(2..=page_count, page_size, &build).await?;
        entities.extend(rest.into_iter().flat_map(|page| page.entities));
        Ok(entities)
    }

    /// Every entity of a listing without `pageCount` (queue members), page by page.
    pub async fn list_following<T, F>(&self, page_size: u32, build: F) -> Result<Vec<T>, Error>
    where
        T: DeserializeOwned,
        F: Fn(Page) -> ApiRequest,
    {
        self.list_expected(page_size, 1, build).await
    }

    /// Every entity of a listing without `pageCount` whose size is known ahead (a queue's
    /// `memberCount`): the ⌈expected/size⌉ pages at once, then page by page only while the
    /// last one is full and says there is more (the count was stale). Expecting 0 costs no
    /// request at all.
    pub async fn list_expected<T, F>(
        &self,
        page_size: u32,
        expected: u64,
        build: F,
    ) -> Result<Vec<T>, Error>
    where
        T: DeserializeOwned,
        F: Fn(Page) -> ApiRequest,
    {
        let page_size = page_size.max(1);
        let pages = u32::try_from(expected.div_ceil(u64::from(page_size)))
            .unwrap_or(MAX_PAGES)
            .min(MAX_PAGES);
        let listings: Vec<EntityListing<T>> = self.pages(1..=pages, page_size, &build).await?;
        let more = listings
            .last()
            .is_some_and(|last| has_next(last, page_size));
        let mut entities: Vec<T> = listings
            .into_iter()
            .flat_map(|page| page.entities)
            .collect();
        self.follow(pages, more, page_size, &build, &mut entities)
            .await?;
        Ok(entities)
    }

    /// The given pages, concurrently within the bound, in order.
    async fn pages<T, F>(
        &self,
        numbers: std::ops::RangeInclusive<u32>,
        page_size: u32,
        build: &F,
    ) -> Result<Vec<EntityListing<T>>, Error>
    where
        T: DeserializeOwned,
        F: Fn(Page) -> ApiRequest,
    {
        let concurrency = self.config().max_concurrency.get();
        futures::stream::iter(numbers)
            .map(|number| {
                self.execute::<EntityListing<T>>(build(Page {
                    number,
                    size: page_size,
                }))
            })
            .buffered(concurrency)
            .try_collect()
            .await
    }

    /// Reads the pages after `last`, one by one, while the previous one says there is more.
    async fn follow<T, F>(
        &self,
        mut last: u32,
        mut more: bool,
        page_size: u32,
        build: &F,
        entities: &mut Vec<T>,
    ) -> Result<(), Error>
    where
        T: DeserializeOwned,
        F: Fn(Page) -> ApiRequest,
    {
        while more && last < MAX_PAGES {
            last += 1;
            let page: EntityListing<T> = self
                .execute(build(Page {
                    number: last,
                    size: page_size,
                }))
                .await?;
            more = has_next(&page, page_size);
            entities.extend(page.entities);
        }
        Ok(())
    }
}

/// A page is followed by another when it says so and is full.
fn has_next<T>(page: &EntityListing<T>, page_size: u32) -> bool {
    page.next_uri.as_deref().is_some_and(|uri| !uri.is_empty())
        && page.entities.len() >= page_size as usize
}
