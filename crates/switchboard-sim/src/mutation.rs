//! Response mutations: malformed but plausible successful answers, for proving that a read
//! fault cannot make a client's decisions more destructive.
//!
//! A [`Mutation`] addresses parts of a JSON body by a path of object keys from the root,
//! slash-separated, where `*` stands for every element of an array: `entities`,
//! `entities/*/division`, `results/*/skills`, `pageCount`. Where a path finds nothing the
//! mutation does nothing. `repeatPage` is different: it rewrites the request before the
//! handler runs and finishes the answer to match ([`first_page_query`],
//! [`first_page_body`], [`finish_repeated_page`]).

use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::request::QueryParams;

/// How a firing `mutate` fault alters a successful JSON answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase", deny_unknown_fields)]
pub enum Mutation {
    /// Removes the addressed fields (with a last segment `*`, every element of the array).
    Remove {
        /// The fields, e.g. `entities/*/division`.
        path: String,
    },
    /// Sets the addressed fields to `value`, creating the last key where its parent object
    /// exists (with a last segment `*`, every element of the array).
    Set {
        /// The fields, e.g. `entities/*/memberCount` or `pageCount`.
        path: String,
        /// The JSON value to set.
        value: Value,
    },
    /// Keeps only the first `keep` elements of the addressed arrays and removes the
    /// top-level `nextUri`: a page that ends early.
    Truncate {
        /// The arrays, e.g. `entities`.
        path: String,
        /// How many elements each array keeps.
        keep: usize,
    },
    /// Drops each element of the addressed arrays with `probability`, drawn from the
    /// faults' seeded RNG: an object missing from a listing, as under eventual consistency.
    Omit {
        /// The arrays, e.g. `entities`.
        path: String,
        /// Chance that an element is dropped, 0.0–1.0.
        probability: f64,
    },
    /// Applies each of `mutations` in turn (a lie that needs several fields changed
    /// together, such as every member count of a queue). A `repeatPage` among them does
    /// nothing.
    All {
        /// The mutations, in order.
        mutations: Vec<Mutation>,
    },
    /// Answers every page request with page 1 while naming the next page after the one
    /// asked for, so a client that follows `nextUri` or page numbers never reaches the end.
    ///
    /// A `GET` listing paged by the `pageNumber` query parameter is served as
    /// `pageNumber=1` and answered with a `nextUri` for the requested page plus one. A
    /// request paged by `pageNumber` in its JSON body (`POST /api/v2/users/search`) is
    /// served as page 1 and answered with `pageNumber` as requested and `pageCount` above it.
    RepeatPage,
}

impl Mutation {
    /// Removes the fields at `path`.
    pub fn remove(path: impl Into<String>) -> Mutation {
        Mutation::Remove { path: path.into() }
    }

    /// Sets the fields at `path` to `value`.
    pub fn set(path: impl Into<String>, value: impl Into<Value>) -> Mutation {
        Mutation::Set {
            path: path.into(),
            value: value.into(),
        }
    }

    /// Keeps the first `keep` elements of the arrays at `path` and drops `nextUri`.
    pub fn truncate(path: impl Into<String>, keep: usize) -> Mutation {
        Mutation::Truncate {
            path: path.into(),
            keep,
        }
    }

    /// Drops each element of the arrays at `path` with `probability`.
    pub fn omit(path: impl Into<String>, probability: f64) -> Mutation {
        Mutation::Omit {
            path: path.into(),
            probability,
        }
    }

    /// Each of `mutations`, in turn.
    pub fn all(mutations: impl IntoIterator<Item = Mutation>) -> Mutation {
        Mutation::All {
            mutations: mutations.into_iter().collect(),
        }
    }

    /// Transforms a body; `rng` decides `omit`. `repeatPage` does nothing here.
    pub(crate) fn apply(&self, body: &mut Value, rng: &mut impl Rng) {
        match self {
            Mutation::Remove { path } => {
                for_each_parent(
                    body,
                    &segments(path),
                    &mut |parent, last| match (parent, last) {
                        (Value::Array(items), "*") => items.clear(),
                        (Value::Object(map), key) if key != "*" => {
                            map.remove(key);
                        }
                        _ => {}
                    },
                );
            }
            Mutation::Set { path, value } => {
                let segments = segments(path);
                if segments.is_empty() {
                    *body = value.clone();
                    return;
                }
                for_each_parent(body, &segments, &mut |parent, last| match (parent, last) {
                    (Value::Array(items), "*") => {
                        for item in items {
                            *item = value.clone();
                        }
                    }
                    (Value::Object(map), key) if key != "*" => {
                        map.insert(key.to_string(), value.clone());
                    }
                    _ => {}
                });
            }
            Mutation::Truncate { path, keep } => {
                for_each_target(body, &segments(path), &mut |target| {
                    if let Value::Array(items) = target {
                        items.truncate(*keep);
                    }
                });
                if let Value::Object(map) = body {
                    map.remove("nextUri");
                }
            }
            Mutation::Omit { path, probability } => {
                let p = *probability;
                for_each_target(body, &segments(path), &mut |target| {
                    if let Value::Array(items) = target {
                        // Like a fault rule's probability: the ends of the range draw
                        // nothing, so they do not shift the RNG for later decisions.
                        items.retain(|_| {
                            let dropped = if p >= 1.0 {
                                true
                            } else if p <= 0.0 {
                                false
                            } else {
                                rng.random::<f64>() < p
                            };
                            !dropped
                        });
                    }
                });
            }
            Mutation::All { mutations } => {
                for mutation in mutations {
                    mutation.apply(body, rng);
                }
            }
            Mutation::RepeatPage => {}
        }
    }
}

/// The keys of a path; empty segments (a leading or doubled `/`) are ignored.
fn segments(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

/// Calls `f` on every value the path addresses under `value`.
fn for_each_target(value: &mut Value, segments: &[&str], f: &mut dyn FnMut(&mut Value)) {
    match segments.split_first() {
        None => f(value),
        Some((&"*", rest)) => {
            if let Value::Array(items) = value {
                for item in items {
                    for_each_target(item, rest, f);
                }
            }
        }
        Some((key, rest)) => {
            if let Some(child) = value.as_object_mut().and_then(|m| m.get_mut(*key)) {
                for_each_target(child, rest, f);
            }
        }
    }
}

/// Calls `f(parent, last segment)` on every value the path without its last segment
/// addresses; nothing for an empty path.
fn for_each_parent(value: &mut Value, segments: &[&str], f: &mut dyn FnMut(&mut Value, &str)) {
    let Some((last, parents)) = segments.split_last() else {
        return;
    };
    for_each_target(value, parents, &mut |parent| f(parent, last));
}

/// What `repeatPage` changed in a request, so that the answer can be finished to match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RepeatedPage {
    /// A listing paged by the query; `uri` is the path and query as the client sent them.
    Query { requested: u64, uri: String },
    /// A search paged by its JSON body.
    Body { requested: u64 },
}

/// The page a `pageNumber` value asks for, as the handlers read it: absent or empty is
/// page 1; `None` when it is no page at all (the handler will refuse it, so nothing is
/// rewritten).
fn requested_page(value: Option<&str>) -> Option<u64> {
    match value {
        None | Some("") => Some(1),
        Some(v) => v.parse::<u64>().ok().filter(|n| *n >= 1),
    }
}

/// `raw` with every `pageNumber` set to `page` (appended when absent); other parameters are
/// kept byte for byte, so the handler sees exactly what the client sent but the page.
fn with_page_number(raw: &str, page: u64) -> String {
    let mut found = false;
    let mut pieces: Vec<String> = raw
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|piece| {
            if piece.split('=').next() == Some("pageNumber") {
                found = true;
                format!("pageNumber={page}")
            } else {
                piece.to_string()
            }
        })
        .collect();
    if !found {
        pieces.push(format!("pageNumber={page}"));
    }
    pieces.join("&")
}

/// A URI (`path?query`) naming page `page`.
fn uri_for_page(uri: &str, page: u64) -> String {
    let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
    format!("{path}?{}", with_page_number(query, page))
}

/// The query of a query-paged request rewritten to ask for page 1, and the page it asked
/// for; `None` when its `pageNumber` is invalid.
pub(crate) fn first_page_query(raw: &str) -> Option<(String, u64)> {
    let requested = requested_page(QueryParams::parse(raw).get("pageNumber"))?;
    let has_page = raw
        .split('&')
        .any(|p| p.split('=').next() == Some("pageNumber"));
    // Without a `pageNumber` the request already asks for page 1.
    let query = if has_page {
        with_page_number(raw, 1)
    } else {
        raw.to_string()
    };
    Some((query, requested))
}

/// Rewrites a body-paged request to ask for page 1 and returns the page it asked for;
/// `None` (and no change) when the body is not an object or its `pageNumber` is invalid.
pub(crate) fn first_page_body(body: &mut Value) -> Option<u64> {
    let map = body.as_object_mut()?;
    let requested = match map.get("pageNumber") {
        None => 1,
        Some(n) => n.as_u64().filter(|n| *n >= 1)?,
    };
    if map.contains_key("pageNumber") {
        map.insert("pageNumber".into(), Value::from(1));
    }
    Some(requested)
}

/// Finishes a page-1 answer of a `repeatPage` request: a listing gets a `nextUri` for the
/// requested page plus one; a search keeps the requested `pageNumber` and a `pageCount`
/// above it. Answers without a `pageNumber` are not pages and stay as they are.
pub(crate) fn finish_repeated_page(body: &mut Value, repeated: &RepeatedPage) {
    let Some(map) = body.as_object_mut() else {
        return;
    };
    if !map.contains_key("pageNumber") {
        return;
    }
    match repeated {
        RepeatedPage::Query { requested, uri } => {
            // The answer's own `selfUri` keeps the simulator's link format.
            let base = map
                .get("selfUri")
                .and_then(Value::as_str)
                .unwrap_or(uri)
                .to_string();
            let next = uri_for_page(&base, requested.saturating_add(1));
            map.insert("nextUri".into(), Value::String(next));
        }
        RepeatedPage::Body { requested } => {
            let count = map.get("pageCount").and_then(Value::as_u64).unwrap_or(0);
            map.insert("pageNumber".into(), Value::from(*requested));
            map.insert(
                "pageCount".into(),
                Value::from(count.max(requested.saturating_add(1))),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use serde_json::json;

    use super::*;

    fn listing() -> Value {
        json!({
            "entities": [
                {"id": "a", "division": {"id": "d"}, "user": {"email": "a@x", "name": "A"}},
                {"id": "b", "division": {"id": "d"}, "user": {"email": "b@x", "name": "B"}},
                {"id": "c", "user": {"name": "C"}},
            ],
            "pageNumber": 1,
            "pageCount": 2,
            "nextUri": "/x?pageNumber=2",
        })
    }

    /// Applies `mutation` to `body` with a fixed seed.
    fn check(mutation: Mutation, body: Value, expected: Value) {
        let mut body = body;
        mutation.apply(&mut body, &mut StdRng::seed_from_u64(1));
        assert_eq!(body, expected, "{mutation:?}");
    }

    #[test]
    fn remove_follows_stars_and_skips_what_is_absent() {
        let mut expected = listing();
        for e in expected["entities"].as_array_mut().unwrap() {
            e["user"].as_object_mut().unwrap().remove("email");
        }
        check(
            Mutation::remove("entities/*/user/email"),
            listing(),
            expected,
        );
        let mut expected = listing();
        expected.as_object_mut().unwrap().remove("pageCount");
        check(Mutation::remove("pageCount"), listing(), expected);
        check(Mutation::remove("nope/*/x"), listing(), listing());
        check(Mutation::remove(""), listing(), listing());
        let mut cleared = listing();
        cleared["entities"] = json!([]);
        check(Mutation::remove("entities/*"), listing(), cleared);
    }

    #[test]
    fn set_creates_the_last_key_only_under_an_existing_parent() {
        let mut expected = listing();
        for e in expected["entities"].as_array_mut().unwrap() {
            e["memberCount"] = json!(0);
        }
        check(
            Mutation::set("entities/*/memberCount", 0),
            listing(),
            expected,
        );
        check(Mutation::set("entities/*/division/id", "z"), listing(), {
            let mut v = listing();
            v["entities"][0]["division"]["id"] = json!("z");
            v["entities"][1]["division"]["id"] = json!("z");
            v
        });
        let mut expected = listing();
        expected["pageCount"] = json!(1_000_000);
        check(Mutation::set("pageCount", 1_000_000), listing(), expected);
        check(Mutation::set("missing/key", 1), listing(), listing());
        check(Mutation::set("", json!([])), listing(), json!([]));
    }

    #[test]
    fn truncate_ends_the_page_early() {
        let mut expected = listing();
        expected["entities"].as_array_mut().unwrap().truncate(1);
        expected.as_object_mut().unwrap().remove("nextUri");
        check(Mutation::truncate("entities", 1), listing(), expected);
        let body = json!({"results": [{"skills": [1, 2, 3]}, {"skills": [4]}, {"id": 5}]});
        check(
            Mutation::truncate("results/*/skills", 1),
            body,
            json!({"results": [{"skills": [1]}, {"skills": [4]}, {"id": 5}]}),
        );
    }

    #[test]
    fn omit_is_deterministic_per_seed() {
        let body = json!({"entities": (0..64).collect::<Vec<_>>()});
        let run = |seed| {
            let mut b = body.clone();
            Mutation::omit("entities", 0.5).apply(&mut b, &mut StdRng::seed_from_u64(seed));
            b["entities"].as_array().unwrap().clone()
        };
        assert_eq!(run(3), run(3));
        assert_ne!(run(3), run(4));
        assert!(!run(3).is_empty() && run(3).len() < 64);
        check(Mutation::omit("entities", 1.0), listing(), {
            let mut v = listing();
            v["entities"] = json!([]);
            v
        });
        check(Mutation::omit("entities", 0.0), listing(), listing());
    }

    #[test]
    fn all_applies_each_in_turn() {
        let mut body = json!({"entities": [{"memberCount": 4, "userMemberCount": 4}]});
        Mutation::all([
            Mutation::set("entities/*/memberCount", 0),
            Mutation::remove("entities/*/userMemberCount"),
        ])
        .apply(&mut body, &mut StdRng::seed_from_u64(1));
        assert_eq!(body, json!({"entities": [{"memberCount": 0}]}));
    }

    #[test]
    fn mutations_read_from_yaml() {
        let m: Mutation =
            serde_yaml_ng::from_str("{kind: set, path: pageCount, value: 7}").unwrap();
        assert_eq!(m, Mutation::set("pageCount", 7));
        let m: Mutation = serde_yaml_ng::from_str("kind: repeatPage").unwrap();
        assert_eq!(m, Mutation::RepeatPage);
        assert!(serde_yaml_ng::from_str::<Mutation>("{kind: omit, path: x}").is_err());
    }

    #[test]
    fn repeat_page_rewrites_the_query_and_links_the_next_page() {
        assert_eq!(
            first_page_query("pageSize=2&pageNumber=6&name=a%20b"),
            Some(("pageSize=2&pageNumber=1&name=a%20b".into(), 6))
        );
        assert_eq!(
            first_page_query("pageSize=2"),
            Some(("pageSize=2".into(), 1))
        );
        assert_eq!(first_page_query("pageNumber=0"), None);
        assert_eq!(first_page_query("pageNumber=x"), None);
        let mut answer = json!({"pageNumber": 1, "selfUri": "/x?pageSize=2&pageNumber=1"});
        finish_repeated_page(
            &mut answer,
            &RepeatedPage::Query {
                requested: 6,
                uri: "/x?pageNumber=6".into(),
            },
        );
        assert_eq!(answer["nextUri"], "/x?pageSize=2&pageNumber=7");
        let mut not_a_page = json!({"id": "q"});
        finish_repeated_page(
            &mut not_a_page,
            &RepeatedPage::Query {
                requested: 1,
                uri: "/x".into(),
            },
        );
        assert_eq!(not_a_page, json!({"id": "q"}));
    }

    #[test]
    fn repeat_page_rewrites_a_search_body() {
        let mut request = json!({"pageSize": 2, "pageNumber": 3, "query": []});
        assert_eq!(first_page_body(&mut request), Some(3));
        assert_eq!(request["pageNumber"], 1);
        assert_eq!(first_page_body(&mut json!({"pageNumber": 0})), None);
        let mut answer = json!({"pageNumber": 1, "pageCount": 2, "results": []});
        finish_repeated_page(&mut answer, &RepeatedPage::Body { requested: 3 });
        assert_eq!(answer["pageNumber"], 3);
        assert_eq!(answer["pageCount"], 4);
    }
}
