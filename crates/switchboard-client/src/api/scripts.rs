//! Scripts: `/api/v2/scripts`, for a queue's `defaultScripts` (API-FACTS-LOOKUPS L1,
//! lookup C). Read only. The `name` filter's match is undocumented, so every script is
//! listed once and the caller compares names (L1.3).

use super::scoped;
use crate::client::Client;
use crate::error::Error;
use crate::models::Script;
use crate::paging::{Page, with_ids};
use crate::request::{ApiRequest, Endpoint, Method::*};

/// `GET /api/v2/scripts`: scripts in every state.
pub const LIST: Endpoint = scoped(
    Get,
    "/api/v2/scripts",
    &["scripter:script:view"],
    &["scripts", "scripts:readonly"],
);

/// Page size (CX as Code's; no maximum is documented).
pub const PAGE_SIZE: u32 = 100;

/// One page of scripts.
pub fn list(page: Page) -> ApiRequest {
    ApiRequest::new(LIST, &[]).page(page)
}

impl Client {
    /// Every script. A script without an id is an error.
    pub async fn list_scripts(&self) -> Result<Vec<Script>, Error> {
        let scripts = self.list_all(PAGE_SIZE, list).await?;
        with_ids(LIST, scripts)
    }
}
