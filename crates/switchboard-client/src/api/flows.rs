//! Architect flows: `/api/v2/flows`, for the flows a queue names (API-FACTS-LOOKUPS L1,
//! lookup A). Read only.
//!
//! The listing's `name` filter has no documented match, and flows of different types may
//! share a name; so one listing of every flow of the types wanted serves every name of those
//! types, and the caller compares names and types itself (L1.3).

use super::scoped;
use crate::client::Client;
use crate::error::Error;
use crate::models::Flow;
use crate::paging::{Page, with_ids};
use crate::request::{ApiRequest, Endpoint, Method::*};

/// The OAuth scopes of the Architect reads.
pub(crate) const ARCHITECT_SCOPES: &[&str] = &["architect", "architect:readonly"];

/// `GET /api/v2/flows`.
pub const LIST: Endpoint = scoped(
    Get,
    "/api/v2/flows",
    &["architect:flow:view"],
    ARCHITECT_SCOPES,
);

/// Page size (CX as Code's for flows; no maximum is documented).
pub const PAGE_SIZE: u32 = 500;

/// The `type` filter of a queue's `queueFlow` (in-queue call flows).
pub const IN_QUEUE_CALL: &str = "inqueuecall";
/// The `type` filter of a queue's `emailInQueueFlow`.
pub const IN_QUEUE_EMAIL: &str = "inqueueemail";
/// The `type` filter of a queue's `messageInQueueFlow`.
pub const IN_QUEUE_SHORT_MESSAGE: &str = "inqueueshortmessage";
/// The `type` filter of a callback's `liveVoiceFlow` and `answeringMachineFlow`.
pub const INBOUND_CALL: &str = "inboundcall";

/// One page of the flows of `types` (every flow when empty). The filter's enum is lowercase
/// while answers spell types in UPPERCASE, so each type is sent lowercased: a type as an
/// answer gives it filters as well.
pub fn list(types: &[&str], page: Page) -> ApiRequest {
    ApiRequest::new(LIST, &[])
        .query_multi("type", types.iter().map(|kind| kind.to_lowercase()))
        .page(page)
}

impl Client {
    /// Every flow of `types` (lowercase filter values such as [`IN_QUEUE_CALL`]; every flow
    /// when empty), deleted flows left out. A flow without an id is an error.
    pub async fn list_flows(&self, types: &[&str]) -> Result<Vec<Flow>, Error> {
        let flows = self.list_all(PAGE_SIZE, |page| list(types, page)).await?;
        with_ids(LIST, flows)
    }
}
