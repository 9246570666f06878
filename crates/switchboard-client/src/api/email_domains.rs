//! Inbound email domains and their routes: `/api/v2/routing/email/domains`, for a queue's
//! `outboundEmailAddress {domain, route}` and `mediaSettings.email.allOutboundEmailAddresses`
//! (API-FACTS-LOOKUPS L1, lookup G). Read only.
//!
//! A domain's id is its name (`example.com`). The domains' `filter` syntax is ambiguous and
//! the routes' `pattern` match undocumented, so both are listed whole and the caller compares
//! (L1.3). Listing domains needs a *manage* permission although it reads.

use super::scoped;
use crate::client::Client;
use crate::error::Error;
use crate::models::{InboundDomain, InboundRoute};
use crate::paging::{Page, with_ids};
use crate::request::{ApiRequest, Endpoint, Method::*};

/// The OAuth scopes of the routing reads.
pub(crate) const ROUTING_READ_SCOPES: &[&str] = &["routing", "routing:readonly"];

/// `GET /api/v2/routing/email/domains`.
pub const LIST_DOMAINS: Endpoint = scoped(
    Get,
    "/api/v2/routing/email/domains",
    &["routing:email:manage"],
    ROUTING_READ_SCOPES,
);
/// `GET /api/v2/routing/email/domains/{domainName}/routes`.
pub const LIST_ROUTES: Endpoint = scoped(
    Get,
    "/api/v2/routing/email/domains/{domainName}/routes",
    &["routing:email:view", "routing:email:manage"],
    ROUTING_READ_SCOPES,
);

/// Page size (CX as Code's; no maximum is documented).
pub const PAGE_SIZE: u32 = 100;

/// One page of domains.
pub fn list_domains(page: Page) -> ApiRequest {
    ApiRequest::new(LIST_DOMAINS, &[]).page(page)
}

/// One page of the routes of `domain` (its name, which is its id).
pub fn list_routes(domain: &str, page: Page) -> ApiRequest {
    ApiRequest::new(LIST_ROUTES, &[domain]).page(page)
}

impl Client {
    /// Every inbound email domain. A domain without an id is an error.
    pub async fn list_email_domains(&self) -> Result<Vec<InboundDomain>, Error> {
        let domains = self.list_all(PAGE_SIZE, list_domains).await?;
        with_ids(LIST_DOMAINS, domains)
    }

    /// Every inbound route of `domain` (the domain's id, its name). A route without an id
    /// is an error.
    pub async fn list_email_routes(&self, domain: &str) -> Result<Vec<InboundRoute>, Error> {
        let routes = self
            .list_all(PAGE_SIZE, |page| list_routes(domain, page))
            .await?;
        with_ids(LIST_ROUTES, routes)
    }
}
