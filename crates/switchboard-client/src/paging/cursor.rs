//! Cursor listings (teams, skill groups, skill group members): `{entities, nextUri,
//! previousUri, selfUri}`, followed through `nextUri` until it is absent.
//!
//! Of `nextUri` only the `after` cursor is taken, and the next request is ours, on our own
//! base URL and path: an answer cannot send the token to another host, nor the read to
//! another listing. A `nextUri` that names another host or path, or holds no single
//! `after`, is refused. So is what the answers cannot both say: an entity without an id or
//! seen before, a cursor seen before, or more pages than the listing's bound allows.

use std::collections::HashSet;

use serde::de::DeserializeOwned;
use url::Url;

use super::{Distinct, Listed, shortened};
use crate::client::Client;
use crate::error::Error;
use crate::models::CursorListing;
use crate::request::ApiRequest;

/// One page of a cursor listing to request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor<'a> {
    /// Page size.
    pub size: u32,
    /// The `after` cursor: `None` for the first page.
    pub after: Option<&'a str>,
}

impl Client {
    /// Every entity of a cursor listing, `page_size` (at least 1) a page, page by page. A
    /// listing that holds more than `max_entities` entities, or takes more than
    /// ⌈`max_entities` / `page_size`⌉ + 1 pages (the last may be empty), is refused as one
    /// that never ends.
    pub async fn list_cursor<T, F>(
        &self,
        page_size: u32,
        max_entities: u32,
        build: F,
    ) -> Result<Vec<T>, Error>
    where
        T: DeserializeOwned + Listed,
        F: Fn(Cursor<'_>) -> ApiRequest,
    {
        let size = page_size.max(1);
        let max_pages = max_entities.div_ceil(size).saturating_add(1);
        let first = build(Cursor { size, after: None });
        let path = first.path.clone();
        let mut read = Distinct::new(first.endpoint);
        let mut cursors: HashSet<String> = HashSet::new();
        let mut request = first;
        let mut pages: u32 = 0;
        loop {
            let page: CursorListing<T> = self.execute(request).await?;
            pages += 1;
            read.take(&format!("page {pages}"), page.entities)?;
            if read.len() > max_entities as usize {
                return Err(read.error(format!(
                    "it holds more than {max_entities} entries, more than it can (it may never end)"
                )));
            }
            let Some(next) = page.next_uri.filter(|next| !next.is_empty()) else {
                return Ok(read.into_entities());
            };
            let after = cursor_after(&self.config().hosts.api, &path, &next)
                .map_err(|detail| read.error(format!("page {pages}: {detail}")))?;
            if !cursors.insert(after.clone()) {
                return Err(read.error(format!(
                    "page {pages} gives the cursor {} again (following it would read the same pages again)",
                    shortened(&after)
                )));
            }
            if pages >= max_pages {
                return Err(read.error(format!(
                    "it did not end after {pages} pages of {size} (at most {max_entities} entries were expected)"
                )));
            }
            request = build(Cursor {
                size,
                after: Some(&after),
            });
        }
    }
}

/// The `after` cursor of `next_uri`, an answer's path of the next page of the listing at
/// `path` on `base`: refused when it names another host or another path, or holds no
/// single non-empty `after`.
fn cursor_after(base: &Url, path: &str, next_uri: &str) -> Result<String, String> {
    let quoted = shortened(next_uri);
    let next = base
        .join(next_uri)
        .map_err(|_| format!("its nextUri {quoted:?} is not a URL"))?;
    let ours = base
        .join(path)
        .map_err(|_| format!("the listing's own path {path:?} is not a URL path"))?;
    if next.scheme() != base.scheme()
        || next.host_str() != base.host_str()
        || next.port_or_known_default() != base.port_or_known_default()
        || !next.username().is_empty()
        || next.password().is_some()
    {
        return Err(format!(
            "its nextUri {quoted:?} points to another host, which is never followed"
        ));
    }
    if next.path() != ours.path() {
        return Err(format!(
            "its nextUri {quoted:?} points to another path than {path}, which is never followed"
        ));
    }
    let mut afters = next
        .query_pairs()
        .filter(|(name, _)| name == "after")
        .map(|(_, value)| value.into_owned());
    match (afters.next(), afters.next()) {
        (Some(after), None) if !after.is_empty() => Ok(after),
        (None, _) => Err(format!("its nextUri {quoted:?} holds no `after` cursor")),
        _ => Err(format!(
            "its nextUri {quoted:?} holds no single, non-empty `after` cursor"
        )),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::cursor_after;

    fn after(next: &str) -> Result<String, String> {
        let base = url::Url::parse("https://api.mypurecloud.ie").unwrap();
        cursor_after(&base, "/api/v2/teams", next)
    }

    #[test]
    fn only_the_cursor_is_taken_from_the_next_uri_of_the_same_listing() {
        assert_eq!(
            after("/api/v2/teams?pageSize=100&after=abc%3D%3D").unwrap(),
            "abc=="
        );
        assert_eq!(
            after("https://api.mypurecloud.ie/api/v2/teams?after=x&name=ignored").unwrap(),
            "x"
        );
        assert_eq!(after("/api/v2/teams?after=a+b").unwrap(), "a b");
        // Relative to the base's root, it is the same listing.
        assert_eq!(after("api/v2/teams?after=y").unwrap(), "y");
    }

    #[test]
    fn a_next_uri_elsewhere_or_without_one_cursor_is_refused() {
        for (next, why) in [
            (
                "https://evil.example.com/api/v2/teams?after=x",
                "another host",
            ),
            ("//evil.example.com/api/v2/teams?after=x", "another host"),
            (
                "http://api.mypurecloud.ie/api/v2/teams?after=x",
                "another host",
            ),
            (
                "https://api.mypurecloud.ie:8443/api/v2/teams?after=x",
                "another host",
            ),
            (
                "https://me:pw@api.mypurecloud.ie/api/v2/teams?after=x",
                "another host",
            ),
            ("/api/v2/users?after=x", "another path"),
            ("/api/v2/teams/../users?after=x", "another path"),
            ("/api/v2/teams", "no `after`"),
            ("/api/v2/teams?after=", "no single"),
            ("/api/v2/teams?after=a&after=b", "no single"),
        ] {
            let error = after(next).unwrap_err();
            assert!(error.contains(why), "{next}: {error}");
        }
    }
}
