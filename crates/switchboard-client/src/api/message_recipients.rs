//! Message recipients: `/api/v2/routing/message/recipients`, for a queue's
//! `outboundMessagingAddresses.openMessagingRecipient` (`open`) and `.whatsAppRecipient`
//! (`whatsapp`) (API-FACTS-LOOKUPS L1, lookup I). Read only. The `name` filter's match is
//! undocumented, so the recipients of one messenger type are listed whole and the caller
//! compares names (L1.3). Listing needs a *manage* permission although it reads.

use super::email_domains::ROUTING_READ_SCOPES;
use super::scoped;
use crate::client::Client;
use crate::error::Error;
use crate::models::Recipient;
use crate::paging::{Page, with_ids};
use crate::request::{ApiRequest, Endpoint, Method::*};

/// `GET /api/v2/routing/message/recipients`.
pub const LIST: Endpoint = scoped(
    Get,
    "/api/v2/routing/message/recipients",
    &["routing:message:manage"],
    ROUTING_READ_SCOPES,
);

/// Page size (CX as Code's; no maximum is documented).
pub const PAGE_SIZE: u32 = 100;

/// The `messengerType` of a queue's `openMessagingRecipient`.
pub const OPEN: &str = "open";
/// The `messengerType` of a queue's `whatsAppRecipient`.
pub const WHATSAPP: &str = "whatsapp";

/// One page of the recipients of `messenger_type` (`open`, `whatsapp`, ...).
pub fn list(messenger_type: &str, page: Page) -> ApiRequest {
    ApiRequest::new(LIST, &[])
        .query("messengerType", messenger_type)
        .page(page)
}

impl Client {
    /// Every message recipient of `messenger_type` (such as [`OPEN`] or [`WHATSAPP`]). A
    /// recipient without an id is an error.
    pub async fn list_message_recipients(
        &self,
        messenger_type: &str,
    ) -> Result<Vec<Recipient>, Error> {
        let recipients = self
            .list_all(PAGE_SIZE, |page| list(messenger_type, page))
            .await?;
        with_ids(LIST, recipients)
    }
}
