//! User prompts: `/api/v2/architect/prompts`, for a queue's `whisperPrompt` and
//! `onHoldPrompt` (API-FACTS-LOOKUPS L1, lookup B). Read only.
//!
//! The listing takes many names at once ("Multiple names can be specified, in which case all
//! matching prompts will be returned"), so names are looked up in batches, each small enough
//! that its URL stays short: at most [`MAX_NAMES_PER_REQUEST`] names and
//! [`MAX_NAMES_QUERY_BYTES`] bytes of encoded `name=` parameters. The match is undocumented:
//! the caller compares names itself (L1.3).

use futures::{StreamExt, TryStreamExt};

use super::{distinct, flows::ARCHITECT_SCOPES, scoped};
use crate::client::Client;
use crate::error::Error;
use crate::models::Prompt;
use crate::paging::{Distinct, Page};
use crate::request::{ApiRequest, Endpoint, Method::*};

/// `GET /api/v2/architect/prompts`.
pub const LIST: Endpoint = scoped(
    Get,
    "/api/v2/architect/prompts",
    &["architect:userPrompt:view"],
    ARCHITECT_SCOPES,
);

/// Page size (CX as Code's; no maximum is documented).
pub const PAGE_SIZE: u32 = 100;
/// The most names one request carries.
pub const MAX_NAMES_PER_REQUEST: usize = 50;
/// The most bytes of encoded `name=...&` parameters one request carries (about 6 KB), so
/// that with the rest of the request line it stays well under the 8 KB many proxies and
/// servers take.
pub const MAX_NAMES_QUERY_BYTES: usize = 6 * 1024;

/// One page of the prompts named `names`. Media URIs and resources (each language's audio)
/// are left out: a look-up needs ids and names only.
pub fn list(names: &[String], page: Page) -> ApiRequest {
    ApiRequest::new(LIST, &[])
        .query_multi("name", names)
        .query("includeMediaUris", false)
        .query("includeResources", false)
        .page(page)
}

/// `names`, in order, cut into runs of at most [`MAX_NAMES_PER_REQUEST`] names and
/// [`MAX_NAMES_QUERY_BYTES`] encoded bytes; a name longer than that goes alone.
pub fn name_chunks(names: &[String]) -> Vec<&[String]> {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut bytes = 0;
    for (index, name) in names.iter().enumerate() {
        let cost = encoded_len(name) + "name=&".len();
        let count = index - start;
        if count > 0 && (count >= MAX_NAMES_PER_REQUEST || bytes + cost > MAX_NAMES_QUERY_BYTES) {
            chunks.push(&names[start..index]);
            start = index;
            bytes = 0;
        }
        bytes += cost;
    }
    if start < names.len() {
        chunks.push(&names[start..]);
    }
    chunks
}

/// The length of `value` as a query string encodes it.
fn encoded_len(value: &str) -> usize {
    url::form_urlencoded::byte_serialize(value.as_bytes())
        .map(str::len)
        .sum()
}

impl Client {
    /// The user prompts the listing returns for `names` (each name once, in batches; no
    /// request for none). A prompt without an id, or one returned for two batches, is an
    /// error. The caller keeps the exact matches.
    pub async fn find_prompts(&self, names: &[String]) -> Result<Vec<Prompt>, Error> {
        let names = distinct(names);
        let concurrency = self.config().max_concurrency.get();
        let batches: Vec<Vec<Prompt>> = futures::stream::iter(name_chunks(&names))
            .map(|chunk| self.list_all(PAGE_SIZE, move |page| list(chunk, page)))
            .buffered(concurrency)
            .try_collect()
            .await?;
        let mut read = Distinct::new(LIST);
        for (index, batch) in batches.into_iter().enumerate() {
            read.take(
                &format!("the answer to batch {} of names", index + 1),
                batch,
            )?;
        }
        Ok(read.into_entities())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(count: usize, length: usize) -> Vec<String> {
        (0..count)
            .map(|i| format!("{i:0>width$}", width = length))
            .collect()
    }

    #[test]
    fn names_are_cut_by_count_and_by_encoded_length() {
        let lengths = |chunks: Vec<&[String]>| chunks.iter().map(|c| c.len()).collect::<Vec<_>>();
        assert_eq!(lengths(name_chunks(&names(120, 10))), [50, 50, 20]);
        assert!(name_chunks(&[]).is_empty());
        // 300-byte names: 20 of them are 6,120 bytes with their `name=&`, 21 would be 6,426.
        assert_eq!(lengths(name_chunks(&names(41, 300))), [20, 20, 1]);
        // A space is one byte encoded (`+`), `é` six (`%C3%A9`).
        assert_eq!(encoded_len("a b"), 3);
        assert_eq!(encoded_len("é"), 6);
        let long = vec!["x".repeat(10_000), "y".into()];
        assert_eq!(
            lengths(name_chunks(&long)),
            [1, 1],
            "a long name goes alone"
        );
    }
}
