//! Canned-response libraries: `/api/v2/responsemanagement/libraries`, for a queue's
//! `cannedResponseLibraries.libraryIds` (API-FACTS-LOOKUPS L1, lookup J). Read only. The
//! `libraryPrefix` filter's case is undocumented, so every library is listed once and the
//! caller compares names (L1.3).

use super::scoped;
use crate::client::Client;
use crate::error::Error;
use crate::models::Library;
use crate::paging::{Page, with_ids};
use crate::request::{ApiRequest, Endpoint, Method::*};

/// `GET /api/v2/responsemanagement/libraries`.
pub const LIST: Endpoint = scoped(
    Get,
    "/api/v2/responsemanagement/libraries",
    &["responses:library:view"],
    &["response-management", "response-management:readonly"],
);

/// Page size (CX as Code's; no maximum is documented).
pub const PAGE_SIZE: u32 = 100;

/// One page of libraries.
pub fn list(page: Page) -> ApiRequest {
    ApiRequest::new(LIST, &[]).page(page)
}

impl Client {
    /// Every canned-response library. A library without an id is an error.
    pub async fn list_canned_response_libraries(&self) -> Result<Vec<Library>, Error> {
        let libraries = self.list_all(PAGE_SIZE, list).await?;
        with_ids(LIST, libraries)
    }
}
