//! Audit queries (API-FACTS §6): who changed what, for drift attribution.

use std::collections::HashSet;

use super::op;
use crate::client::Client;
use crate::error::{DecodeError, Error};
use crate::models::{
    AuditLogMessage, AuditQueryExecution, AuditQueryRequest, AuditQueryResultsPage,
    AuditRealtimeQueryRequest, AuditRealtimeQueryResults,
};
use crate::request::{ApiRequest, Endpoint, Method::*};

const VIEW: &[&str] = &["audits:audit:view"];

/// `POST /api/v2/audits/query/realtime`: synchronous, recent days only.
pub const REALTIME: Endpoint = op(Post, "/api/v2/audits/query/realtime", VIEW);
/// `POST /api/v2/audits/query`: starts an asynchronous query.
pub const SUBMIT: Endpoint = op(Post, "/api/v2/audits/query", VIEW);
/// `GET /api/v2/audits/query/{transactionId}`.
pub const STATUS: Endpoint = op(Get, "/api/v2/audits/query/{transactionId}", VIEW);
/// `GET /api/v2/audits/query/{transactionId}/results`.
pub const RESULTS: Endpoint = op(Get, "/api/v2/audits/query/{transactionId}/results", VIEW);

/// Page size for realtime queries and results.
pub const PAGE_SIZE: i64 = 500;

/// No audit query is read past this many pages (half a million records at 500 a page): an
/// answer whose `pageCount` says more, or a cursor that goes on longer, is taken as broken
/// rather than followed for ever.
pub const MAX_PAGES: i64 = 1_000;

/// One page of a realtime query (read-only, so safe to repeat).
pub fn realtime(query: &AuditRealtimeQueryRequest) -> ApiRequest {
    ApiRequest::new(REALTIME, &[]).json(query).idempotent()
}

/// Starts an asynchronous query (a repeated submission only makes another transaction).
pub fn submit(query: &AuditQueryRequest) -> ApiRequest {
    ApiRequest::new(SUBMIT, &[]).json(query).idempotent()
}

/// The state of an asynchronous query.
pub fn status(transaction_id: &str) -> ApiRequest {
    ApiRequest::new(STATUS, &[transaction_id])
}

/// One page of an asynchronous query's results.
pub fn results(transaction_id: &str, cursor: Option<&str>) -> ApiRequest {
    let request = ApiRequest::new(RESULTS, &[transaction_id]).query("pageSize", PAGE_SIZE);
    match cursor {
        Some(cursor) => request.query("cursor", cursor),
        None => request,
    }
}

impl Client {
    /// Every record a realtime query matches, all pages.
    pub async fn audit_realtime(
        &self,
        query: &AuditRealtimeQueryRequest,
    ) -> Result<Vec<AuditLogMessage>, Error> {
        let mut records = Vec::new();
        let mut page_number = 1;
        loop {
            let page = AuditRealtimeQueryRequest {
                page_number: Some(page_number),
                page_size: Some(query.page_size.unwrap_or(PAGE_SIZE)),
                ..query.clone()
            };
            let results: AuditRealtimeQueryResults = self.execute(realtime(&page)).await?;
            if let Some(count) = results.page_count.filter(|count| *count > MAX_PAGES) {
                return Err(implausible(
                    REALTIME,
                    format!("implausible pageCount {count} (more than {MAX_PAGES} pages)"),
                ));
            }
            // `pageCount` is at most MAX_PAGES here, so the pages end.
            let done = results.page_count.is_none_or(|count| page_number >= count)
                || results.entities.is_empty();
            records.extend(results.entities);
            if done {
                return Ok(records);
            }
            page_number += 1;
        }
    }

    /// Starts an asynchronous audit query.
    pub async fn submit_audit_query(
        &self,
        query: &AuditQueryRequest,
    ) -> Result<AuditQueryExecution, Error> {
        self.execute(submit(query)).await
    }

    /// Polls an asynchronous audit query.
    pub async fn audit_query_status(
        &self,
        transaction_id: &str,
    ) -> Result<AuditQueryExecution, Error> {
        self.execute(status(transaction_id)).await
    }

    /// Every result of a finished asynchronous query, following the cursor.
    pub async fn audit_query_results(
        &self,
        transaction_id: &str,
    ) -> Result<Vec<AuditLogMessage>, Error> {
        let mut records = Vec::new();
        let mut cursor: Option<String> = None;
        // A cursor seen before ends the read: following it would read the same pages again.
        let mut seen = HashSet::new();
        for _ in 0..MAX_PAGES {
            let page: AuditQueryResultsPage = self
                .execute(results(transaction_id, cursor.as_deref()))
                .await?;
            let next = page
                .cursor
                .filter(|next| !next.is_empty() && !page.entities.is_empty());
            records.extend(page.entities);
            match next {
                Some(next) if seen.insert(next.clone()) => cursor = Some(next),
                _ => return Ok(records),
            }
        }
        Err(implausible(
            RESULTS,
            format!("the cursor goes on past {MAX_PAGES} pages"),
        ))
    }
}

/// An answer that would have the read go on past [`MAX_PAGES`].
fn implausible(endpoint: Endpoint, detail: String) -> Error {
    Error::Decode(Box::new(DecodeError {
        endpoint,
        status: 200,
        content_type: "application/json".into(),
        detail,
        snippet: String::new(),
        correlation_id: None,
    }))
}
