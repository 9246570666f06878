//! The name searches of directory groups and teams (`POST /api/v2/groups/search`,
//! `POST /api/v2/teams/search`; API-FACTS-LOOKUPS L1.2 "search"): criteria over `name` and
//! `id`, and paging by `pageSize`/`pageNumber` in the body, answered as `{total, pageCount,
//! pageSize, pageNumber, types, results}`.
//!
//! The simulator implements `EXACT`, `STARTS_WITH`, `CONTAINS` and `MATCH_ALL`, all
//! case-insensitive, combined as the user search does (every `AND` criterion holds, at least
//! one `OR` criterion if any, no `NOT` criterion) and nested through `group`. Other types
//! (`REGEX`, `TERM`, `TERMS`, `REQUIRED_FIELDS`) and other fields answer 400 rather than a
//! wrong answer.
// unverified: case sensitivity is not documented (L1.2 D′); case-insensitive is the
// simulator's choice. The q64 `nextPage`/`previousPage` tokens are not given.

use serde_json::{Value, json};

use crate::api_error::ApiError;
use crate::listing::DEFAULT_PAGE_SIZE;
use crate::listing::Page;

/// The largest search page the simulator serves.
// unverified: the search page-size limit is not documented; 100 is assumed (users, groups, teams).
const MAX_SEARCH_PAGE: i64 = 100;

/// What a criterion compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Test {
    Exact,
    StartsWith,
    Contains,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operator {
    And,
    Or,
    Not,
}

/// A checked criterion.
#[derive(Debug, Clone)]
enum Criterion {
    Leaf {
        operator: Operator,
        test: Test,
        fields: Vec<Field>,
        values: Vec<String>,
    },
    Group {
        operator: Operator,
        members: Vec<Criterion>,
    },
}

/// The fields the simulator searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Name,
    Id,
}

/// A checked search request.
#[derive(Debug)]
pub(crate) struct Search {
    criteria: Vec<Criterion>,
    pub page: Page,
    pub descending: bool,
}

impl Search {
    /// Reads a `GroupSearchRequest` / `TeamSearchRequest` already checked against the
    /// description.
    pub(crate) fn read(body: &Value) -> Result<Search, ApiError> {
        let (size, number) = search_page(body)?;
        let criteria = match body.get("query").and_then(Value::as_array) {
            Some(items) => read_criteria(items, "query")?,
            None => Vec::new(),
        };
        Ok(Search {
            criteria,
            page: Page {
                number: number as u64,
                size: size as u64,
            },
            descending: body.get("sortOrder").and_then(Value::as_str) == Some("DESC"),
        })
    }

    /// Whether an entity with this id and name matches.
    pub(crate) fn matches(&self, id: &str, name: &str) -> bool {
        all_match(&self.criteria, id, name)
    }

    /// The answer: one page of `hits` (already sorted), of `types` (e.g. `groups`).
    pub(crate) fn response(&self, types: &str, hits: &[Value]) -> Value {
        let total = hits.len() as u64;
        json!({
            "total": total,
            "pageCount": total.div_ceil(self.page.size),
            "pageSize": self.page.size,
            "pageNumber": self.page.number,
            "types": [types],
            "results": self.page.slice(hits),
        })
    }
}

fn read_criteria(items: &[Value], at: &str) -> Result<Vec<Criterion>, ApiError> {
    items
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.is_null())
        .map(|(i, c)| read_criterion(c, &format!("{at}[{i}]")))
        .collect()
}

fn read_criterion(c: &Value, at: &str) -> Result<Criterion, ApiError> {
    let operator = match c.get("operator").and_then(Value::as_str) {
        Some("OR") => Operator::Or,
        Some("NOT") => Operator::Not,
        _ => Operator::And,
    };
    if let Some(members) = c.get("group").and_then(Value::as_array) {
        return Ok(Criterion::Group {
            operator,
            members: read_criteria(members, &format!("{at}.group"))?,
        });
    }
    let kind = c.get("type").and_then(Value::as_str).unwrap_or_default();
    let test = match kind {
        "EXACT" => Test::Exact,
        "STARTS_WITH" => Test::StartsWith,
        "CONTAINS" => Test::Contains,
        "MATCH_ALL" => Test::All,
        other => {
            return Err(ApiError::bad_request(format!(
                "The simulator does not implement the search type [{other}] ({at}.type); it implements EXACT, STARTS_WITH, CONTAINS and MATCH_ALL."
            ))
            .detail("bad.request", &format!("{at}.type")));
        }
    };
    if test == Test::All {
        return Ok(Criterion::Leaf {
            operator,
            test,
            fields: Vec::new(),
            values: Vec::new(),
        });
    }
    let names: Vec<&str> = c
        .get("fields")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if names.is_empty() {
        return Err(ApiError::required_missing(&format!("{at}.fields")));
    }
    let fields = names
        .iter()
        .map(|f| match *f {
            "name" => Ok(Field::Name),
            "id" => Ok(Field::Id),
            other => Err(ApiError::bad_request(format!(
                "The simulator cannot search the field [{other}] ({at}.fields); it searches name and id."
            ))
            .detail("bad.request", &format!("{at}.fields"))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let values = criterion_values(c);
    if values.is_empty() {
        return Err(ApiError::required_missing(&format!("{at}.value")));
    }
    Ok(Criterion::Leaf {
        operator,
        test,
        fields,
        values,
    })
}

fn operator(c: &Criterion) -> Operator {
    match c {
        Criterion::Leaf { operator, .. } | Criterion::Group { operator, .. } => *operator,
    }
}

fn hit(c: &Criterion, id: &str, name: &str) -> bool {
    match c {
        Criterion::Group { members, .. } => all_match(members, id, name),
        Criterion::Leaf {
            test,
            fields,
            values,
            ..
        } => {
            fields.iter().any(|f| {
                let have = match f {
                    Field::Name => name.to_lowercase(),
                    Field::Id => id.to_lowercase(),
                };
                values.iter().any(|w| match test {
                    Test::Exact => have == *w,
                    Test::StartsWith => have.starts_with(w.as_str()),
                    Test::Contains => have.contains(w.as_str()),
                    Test::All => true,
                })
            }) || *test == Test::All
        }
    }
}

fn all_match(criteria: &[Criterion], id: &str, name: &str) -> bool {
    let mut all = true;
    let mut any_or: Option<bool> = None;
    for c in criteria {
        let h = hit(c, id, name);
        match operator(c) {
            Operator::Or => any_or = Some(any_or.unwrap_or(false) || h),
            Operator::Not => all &= !h,
            Operator::And => all &= h,
        }
    }
    all && any_or.unwrap_or(true)
}

/// A search body's `pageSize` (default 25, at most [`MAX_SEARCH_PAGE`]) and `pageNumber` (from
/// 1), checked.
pub(crate) fn search_page(body: &Value) -> Result<(i64, i64), ApiError> {
    let size = body
        .get("pageSize")
        .and_then(Value::as_i64)
        .unwrap_or(DEFAULT_PAGE_SIZE as i64);
    let number = body.get("pageNumber").and_then(Value::as_i64).unwrap_or(1);
    if !(1..=MAX_SEARCH_PAGE).contains(&size) {
        return Err(ApiError::invalid_value(
            "pageSize",
            format!(
                "Value [{size}] is not valid for field [pageSize]: it must be between 1 and {MAX_SEARCH_PAGE}"
            ),
        ));
    }
    if number < 1 {
        return Err(ApiError::invalid_value(
            "pageNumber",
            format!("Value [{number}] is not valid for field [pageNumber]: it must be at least 1"),
        ));
    }
    Ok((size, number))
}

/// A search criterion's `values` and `value`, lower-cased (the searches compare without case).
pub(crate) fn criterion_values(c: &Value) -> Vec<String> {
    let mut values: Vec<String> = c
        .get("values")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_lowercase)
                .collect()
        })
        .unwrap_or_default();
    if let Some(v) = c.get("value").and_then(Value::as_str) {
        values.push(v.to_lowercase());
    }
    values
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn search(query: Value) -> Result<Search, ApiError> {
        Search::read(&json!({ "query": query }))
    }

    #[test]
    fn exact_prefix_contains_and_operators() {
        let s = search(json!([{"type": "EXACT", "fields": ["name"], "value": "billing agents"}]))
            .unwrap();
        assert!(s.matches("1", "Billing Agents"));
        assert!(!s.matches("1", "Billing Agents 2"));
        let s =
            search(json!([{"type": "STARTS_WITH", "fields": ["name"], "values": ["sa", "bi"]}]))
                .unwrap();
        assert!(s.matches("1", "Billing") && s.matches("2", "Sales") && !s.matches("3", "Support"));
        let s = search(json!([
            {"type": "CONTAINS", "fields": ["name"], "value": "ill"},
            {"type": "EXACT", "fields": ["id"], "value": "x", "operator": "NOT"},
        ]))
        .unwrap();
        assert!(s.matches("1", "Billing") && !s.matches("x", "Billing"));
        let s = search(
            json!([{"group": [{"type": "EXACT", "fields": ["id"], "value": "a"}], "operator": "OR"},
                              {"type": "EXACT", "fields": ["id"], "value": "b", "operator": "OR"}]),
        )
        .unwrap();
        assert!(s.matches("a", "") && s.matches("b", "") && !s.matches("c", ""));
        assert!(
            search(json!([{"type": "MATCH_ALL"}]))
                .unwrap()
                .matches("z", "z")
        );
    }

    #[test]
    fn what_is_not_implemented_is_refused() {
        for q in [
            json!([{"type": "REGEX", "fields": ["name"], "value": "a.*"}]),
            json!([{"type": "TERM", "fields": ["name"], "value": "a"}]),
            json!([{"type": "EXACT", "fields": ["description"], "value": "a"}]),
            json!([{"type": "EXACT", "fields": ["name"]}]),
            json!([{"type": "EXACT", "value": "a"}]),
        ] {
            assert_eq!(search(q.clone()).unwrap_err().status, 400, "{q}");
        }
        assert!(Search::read(&json!({"pageSize": 101})).is_err());
        assert!(Search::read(&json!({"pageNumber": 0})).is_err());
    }
}
