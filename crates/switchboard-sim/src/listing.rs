//! Paging: page parameters and the list envelopes (API-FACTS §2).
//!
//! `*EntityListing`: `entities, pageSize, pageNumber, total, pageCount, firstUri, selfUri,
//! lastUri`, `nextUri` only when there is a next page, `previousUri` only past page 1. The
//! queue members listing has no `total`, `pageCount` or `lastUri`. A page past the end has
//! no entities.

use serde_json::{Value, json};

use crate::api_error::ApiError;
use crate::request::QueryParams;

/// The default `pageSize` of every listing.
pub(crate) const DEFAULT_PAGE_SIZE: u64 = 25;

/// The largest `pageSize` the simulator serves on listings with no documented maximum.
// A simulator choice: the vendor's Terraform provider reads queues, skills and users 500 at
// a time, so 500 is known to work; larger pages are refused with 400 so a client that
// relies on them fails here rather than in production.
pub(crate) const MAX_PAGE_SIZE: u64 = 500;

/// A requested page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Page {
    pub number: u64,
    pub size: u64,
}

impl Page {
    /// Reads `pageNumber` (from 1) and `pageSize` (1..=max).
    pub(crate) fn from_query(q: &QueryParams, max_size: u64) -> Result<Page, ApiError> {
        let number = q.int("pageNumber")?.unwrap_or(1);
        let size = q.int("pageSize")?.unwrap_or(DEFAULT_PAGE_SIZE as i64);
        if number < 1 {
            return Err(ApiError::invalid_value(
                "pageNumber",
                format!(
                    "Value [{number}] is not valid for field [pageNumber]: it must be at least 1"
                ),
            ));
        }
        if size < 1 || size as u64 > max_size {
            return Err(ApiError::invalid_value(
                "pageSize",
                format!(
                    "Value [{size}] is not valid for field [pageSize]: it must be between 1 and {max_size}"
                ),
            ));
        }
        Ok(Page {
            number: number as u64,
            size: size as u64,
        })
    }

    /// The items of this page.
    pub(crate) fn slice<T: Clone>(&self, items: &[T]) -> Vec<T> {
        let start = (self.number - 1).saturating_mul(self.size);
        items
            .iter()
            .skip(usize::try_from(start).unwrap_or(usize::MAX))
            .take(usize::try_from(self.size).unwrap_or(usize::MAX))
            .cloned()
            .collect()
    }
}

fn uri(path: &str, size: u64, number: u64, rest: &[(String, String)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    s.append_pair("pageSize", &size.to_string());
    s.append_pair("pageNumber", &number.to_string());
    for (k, v) in rest {
        s.append_pair(k, v);
    }
    format!("{path}?{}", s.finish())
}

/// A standard `*EntityListing` of one page of `total` items.
pub(crate) fn entity_listing(
    path: &str,
    q: &QueryParams,
    page: Page,
    total: usize,
    entities: Vec<Value>,
) -> Value {
    let total = total as u64;
    let page_count = total.div_ceil(page.size);
    let mut v = member_listing(path, q, page, page.number < page_count, entities);
    v["total"] = json!(total);
    v["pageCount"] = json!(page_count);
    v["lastUri"] = json!(uri(path, page.size, page_count.max(1), &q.without_paging()));
    v
}

/// The queue members envelope: no `total`, `pageCount` or `lastUri`. Every other listing
/// is this with those three added ([`entity_listing`]).
pub(crate) fn member_listing(
    path: &str,
    q: &QueryParams,
    page: Page,
    has_next: bool,
    entities: Vec<Value>,
) -> Value {
    let rest = q.without_paging();
    let mut v = json!({
        "entities": entities,
        "pageSize": page.size,
        "pageNumber": page.number,
        "firstUri": uri(path, page.size, 1, &rest),
        "selfUri": uri(path, page.size, page.number, &rest),
    });
    if has_next {
        v["nextUri"] = json!(uri(path, page.size, page.number + 1, &rest));
    }
    if page.number > 1 {
        v["previousUri"] = json!(uri(path, page.size, page.number - 1, &rest));
    }
    v
}

/// Pages `items` and wraps them in a standard listing.
pub(crate) fn paged(
    path: &str,
    q: &QueryParams,
    max_size: u64,
    items: &[Value],
) -> Result<Value, ApiError> {
    let page = Page::from_query(q, max_size)?;
    Ok(entity_listing(
        path,
        q,
        page,
        items.len(),
        page.slice(items),
    ))
}

/// The `name` (exact or `*`-wildcarded, case-insensitive), `id[]` and `divisionId[]`
/// filters the queue and wrap-up code listings share.
pub(crate) struct ListFilter<'q> {
    name: Option<&'q str>,
    ids: Vec<&'q str>,
    divisions: Vec<&'q str>,
}

impl<'q> ListFilter<'q> {
    /// Reads the filters from the query.
    pub(crate) fn from_query(q: &'q QueryParams) -> ListFilter<'q> {
        ListFilter {
            name: q.get("name").filter(|n| !n.is_empty()),
            ids: q.all("id"),
            divisions: q.all("divisionId"),
        }
    }

    /// Whether an entity passes every filter.
    pub(crate) fn keeps(&self, id: &str, name: &str, division_id: &str) -> bool {
        self.name.is_none_or(|n| wildcard_match(n, name))
            && (self.ids.is_empty() || self.ids.contains(&id))
            && (self.divisions.is_empty() || self.divisions.contains(&division_id))
    }
}

/// 400 when the query has one of `parameters`: filters the description lists that the
/// simulator does not implement, refused rather than ignored so that no answer is wrong.
pub(crate) fn refuse_unsimulated(q: &QueryParams, parameters: &[&str]) -> Result<(), ApiError> {
    match q.0.iter().find(|(k, _)| parameters.contains(&k.as_str())) {
        None => Ok(()),
        Some((k, _)) => Err(ApiError::bad_request(format!(
            "The simulator does not implement the query parameter [{k}] of this operation."
        ))
        .detail("bad.request", k)),
    }
}

/// Whether `name` starts with `prefix`, case-insensitively (the documented match of the
/// teams and skill groups listings).
pub(crate) fn prefix_match(prefix: &str, name: &str) -> bool {
    name.to_lowercase().starts_with(&prefix.to_lowercase())
}

/// Whether `name` matches a filter with optional leading/trailing `*` wildcards,
/// case-insensitively.
pub(crate) fn wildcard_match(filter: &str, name: &str) -> bool {
    let f = filter.to_lowercase();
    let n = name.to_lowercase();
    let lead = f.starts_with('*');
    let trail = f.len() > 1 && f.ends_with('*') || (f == "*");
    let core = f.trim_matches('*');
    match (lead, trail) {
        (true, true) => n.contains(core),
        (true, false) => n.ends_with(core),
        (false, true) => n.starts_with(core),
        (false, false) => n == core,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn envelope_links() {
        let q = QueryParams::parse("pageSize=2&pageNumber=2&name=a*");
        let page = Page::from_query(&q, 500).unwrap();
        let v = entity_listing("/x", &q, page, 5, vec![]);
        assert_eq!(v["pageCount"], 3);
        assert_eq!(v["nextUri"], "/x?pageSize=2&pageNumber=3&name=a*");
        assert_eq!(v["previousUri"], "/x?pageSize=2&pageNumber=1&name=a*");
        let last = entity_listing("/x", &q, Page { number: 3, size: 2 }, 5, vec![]);
        assert!(last.get("nextUri").is_none());
    }

    #[test]
    fn page_limits() {
        assert!(Page::from_query(&QueryParams::parse("pageSize=501"), 500).is_err());
        assert!(Page::from_query(&QueryParams::parse("pageNumber=0"), 500).is_err());
        assert!(Page::from_query(&QueryParams::parse("pageSize=x"), 500).is_err());
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match("billing*", "Billing EN"));
        assert!(wildcard_match("*EN", "Billing EN"));
        assert!(wildcard_match("*ing*", "Billing EN"));
        assert!(wildcard_match("billing en", "Billing EN"));
        assert!(!wildcard_match("billing", "Billing EN"));
        assert!(wildcard_match("*", "x"));
    }
}
