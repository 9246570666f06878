//! The search APIs' shared shapes: a POST whose body names the page (`pageNumber`,
//! `pageSize`) and whose answer is `{total, pageCount, pageSize, pageNumber, results[]}`.

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

/// `GroupSearchRequest` and `TeamSearchRequest` (the same fields), the parts switchboard uses.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchRequest {
    /// Page size.
    pub page_size: Option<i64>,
    /// Page number, from 1.
    pub page_number: Option<i64>,
    /// `ASC`, `DESC` or `SCORE`.
    pub sort_order: Option<String>,
    /// The field results are sorted by.
    pub sort_by: Option<String>,
    /// Criteria (required by `TeamSearchRequest`).
    pub query: Vec<SearchCriteria>,
}

impl SearchRequest {
    /// Page `page` of the search for the results whose `field` is exactly one of `values`
    /// (`EXACT`, as CX as Code looks groups and teams up by name).
    pub fn exact(field: &str, values: &[String], page: crate::paging::Page) -> Self {
        SearchRequest {
            page_size: Some(i64::from(page.size)),
            page_number: Some(i64::from(page.number)),
            query: vec![SearchCriteria::exact(field, values)],
            ..SearchRequest::default()
        }
    }
}

/// `GroupSearchCriteria` and `TeamSearchCriteria`, the parts switchboard uses.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchCriteria {
    /// `EXACT`, `STARTS_WITH`, ... (teams know only these two).
    #[serde(rename = "type")]
    pub kind: String,
    /// Fields searched.
    pub fields: Option<Vec<String>>,
    /// One value.
    pub value: Option<String>,
    /// Several values: a result matches any of them.
    pub values: Option<Vec<String>>,
    /// `AND`, `OR` or `NOT`: how this criterion joins the others.
    pub operator: Option<String>,
}

impl SearchCriteria {
    /// `{type: EXACT, fields: [field], values}`.
    pub fn exact(field: &str, values: &[String]) -> Self {
        SearchCriteria {
            kind: "EXACT".into(),
            fields: Some(vec![field.to_string()]),
            values: Some(values.to_vec()),
            ..SearchCriteria::default()
        }
    }
}

/// A search answer (`UsersSearchResponse`, `GroupsSearchResponse`, `TeamsSearchResponse`).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchResponse<T> {
    /// Total hits.
    pub total: Option<i64>,
    /// Pages.
    pub page_count: Option<i64>,
    /// Page size.
    pub page_size: Option<i64>,
    /// Page number.
    pub page_number: Option<i64>,
    /// The results on this page. Required by the API description; an answer without it is
    /// read as no results only when it says `total: 0` (see `Client::search_all`).
    pub results: Option<Vec<T>>,
}
