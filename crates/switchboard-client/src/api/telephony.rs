//! Telephony edge groups and sites: `/api/v2/telephony/providers/edges/{edgegroups,sites}`,
//! for a callback's `mediaSettings.callback.edgeGroup` and `.site` (API-FACTS-LOOKUPS L1,
//! lookups K and L). Read only. The `name` filters' match is undocumented, so each
//! collection is listed whole and the caller compares names, skipping deleted sites (L1.3).

use super::scoped;
use crate::client::Client;
use crate::error::Error;
use crate::models::{EdgeGroup, Site};
use crate::paging::{Page, with_ids};
use crate::request::{ApiRequest, Endpoint, Method::*};

const TELEPHONY_SCOPES: &[&str] = &["telephony", "telephony:readonly"];

/// `GET /api/v2/telephony/providers/edges/edgegroups`.
pub const LIST_EDGE_GROUPS: Endpoint = scoped(
    Get,
    "/api/v2/telephony/providers/edges/edgegroups",
    &["telephony:plugin:all"],
    TELEPHONY_SCOPES,
);
/// `GET /api/v2/telephony/providers/edges/sites`: no permission is required.
pub const LIST_SITES: Endpoint = scoped(
    Get,
    "/api/v2/telephony/providers/edges/sites",
    &[],
    TELEPHONY_SCOPES,
);

/// Page size (CX as Code's; no maximum is documented).
pub const PAGE_SIZE: u32 = 100;

/// One page of edge groups.
pub fn list_edge_groups(page: Page) -> ApiRequest {
    ApiRequest::new(LIST_EDGE_GROUPS, &[]).page(page)
}

/// One page of sites.
pub fn list_sites(page: Page) -> ApiRequest {
    ApiRequest::new(LIST_SITES, &[]).page(page)
}

impl Client {
    /// Every edge group. An edge group without an id is an error.
    pub async fn list_edge_groups(&self) -> Result<Vec<EdgeGroup>, Error> {
        let groups = self.list_all(PAGE_SIZE, list_edge_groups).await?;
        with_ids(LIST_EDGE_GROUPS, groups)
    }

    /// Every site. A site without an id is an error.
    pub async fn list_sites(&self) -> Result<Vec<Site>, Error> {
        let sites = self.list_all(PAGE_SIZE, list_sites).await?;
        with_ids(LIST_SITES, sites)
    }
}
