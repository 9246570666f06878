//! SMS phone numbers: `/api/v2/routing/sms/phonenumbers`, for a queue's
//! `outboundMessagingAddresses.smsAddress` (API-FACTS-LOOKUPS L1, lookup H). Read only.
//! Every number is listed once; the caller compares numbers.

use super::email_domains::ROUTING_READ_SCOPES;
use super::scoped;
use crate::client::Client;
use crate::error::Error;
use crate::models::SmsPhoneNumber;
use crate::paging::{Page, with_ids};
use crate::request::{ApiRequest, Endpoint, Method::*};

/// `GET /api/v2/routing/sms/phonenumbers`.
pub const LIST: Endpoint = scoped(
    Get,
    "/api/v2/routing/sms/phonenumbers",
    &["sms:phoneNumber:view"],
    ROUTING_READ_SCOPES,
);

/// Page size (CX as Code's; no maximum is documented).
pub const PAGE_SIZE: u32 = 100;

/// One page of SMS phone numbers.
pub fn list(page: Page) -> ApiRequest {
    ApiRequest::new(LIST, &[]).page(page)
}

impl Client {
    /// Every SMS phone number. A number without an id is an error.
    pub async fn list_sms_phone_numbers(&self) -> Result<Vec<SmsPhoneNumber>, Error> {
        let numbers = self.list_all(PAGE_SIZE, list).await?;
        with_ids(LIST, numbers)
    }
}
