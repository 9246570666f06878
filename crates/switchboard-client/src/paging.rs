//! Reading whole collections at the least number of requests.
//!
//! Standard listings carry `pageCount`: page 1 is read first, then every other page at
//! once (within the concurrency bound), so N pages cost exactly N requests. The queue
//! members listing has no `total`/`pageCount` (API-FACTS §2): it is read page by page until
//! `nextUri` is absent, and a short page ends it too, so no empty page is ever requested.

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
const MAX_PAGES: i64 = 100_000;

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
            return self.follow_from(first, page_size, build).await;
        };
        if !(0..=MAX_PAGES).contains(&page_count) {
            return Err(Error::Decode(Box::new(DecodeError {
                endpoint,
                status: 200,
                content_type: "application/json".into(),
                detail: format!("implausible pageCount {page_count}"),
                snippet: String::new(),
                correlation_id: None,
            })));
        }
        let mut entities = first.entities;
        if page_count > 1 {
            let concurrency = self.config().max_concurrency.get();
            let rest: Vec<EntityListing<T>> = futures::stream::iter(2..=page_count as u32)
                .map(|number| {
                    self.execute::<EntityListing<T>>(build(Page {
                        number,
                        size: page_size,
                    }))
                })
                .buffered(concurrency)
                .try_collect()
                .await?;
            entities.extend(rest.into_iter().flat_map(|page| page.entities));
        }
        Ok(entities)
    }

    /// Every entity of a listing without `pageCount` (queue members), page by page.
    pub async fn list_following<T, F>(&self, page_size: u32, build: F) -> Result<Vec<T>, Error>
    where
        T: DeserializeOwned,
        F: Fn(Page) -> ApiRequest,
    {
        let page_size = page_size.max(1);
        let first: EntityListing<T> = self
            .execute(build(Page {
                number: 1,
                size: page_size,
            }))
            .await?;
        self.follow_from(first, page_size, build).await
    }

    async fn follow_from<T, F>(
        &self,
        first: EntityListing<T>,
        page_size: u32,
        build: F,
    ) -> Result<Vec<T>, Error>
    where
        T: DeserializeOwned,
        F: Fn(Page) -> ApiRequest,
    {
        let mut more = has_next(&first, page_size);
        let mut entities = first.entities;
        let mut number = 1;
        while more && i64::from(number) < MAX_PAGES {
            number += 1;
            let page: EntityListing<T> = self
                .execute(build(Page {
                    number,
                    size: page_size,
                }))
                .await?;
            more = has_next(&page, page_size);
            entities.extend(page.entities);
        }
        Ok(entities)
    }
}

/// A page is followed by another when it says so and is full.
fn has_next<T>(page: &EntityListing<T>, page_size: u32) -> bool {
    page.next_uri.as_deref().is_some_and(|uri| !uri.is_empty())
        && page.entities.len() >= page_size as usize
}
