//! A queue's wrap-up codes: `/api/v2/routing/queues/{queueId}/wrapupcodes`.

use super::{id_refs, op};
use crate::client::Client;
use crate::error::Error;
use crate::models::WrapupCode;
use crate::paging::Page;
use crate::request::{ApiRequest, Endpoint, Method::*};

/// `GET .../wrapupcodes`.
pub const LIST: Endpoint = op(
    Get,
    "/api/v2/routing/queues/{queueId}/wrapupcodes",
    &["routing:queue:view"],
);
/// `POST .../wrapupcodes`: "Add up to 100 wrap-up codes to a queue".
pub const ADD: Endpoint = op(
    Post,
    "/api/v2/routing/queues/{queueId}/wrapupcodes",
    &["routing:queue:edit"],
);
/// `DELETE .../wrapupcodes/{codeId}`: one at a time.
pub const DELETE: Endpoint = op(
    Delete,
    "/api/v2/routing/queues/{queueId}/wrapupcodes/{codeId}",
    &["routing:queue:edit"],
);

/// Page size (the Terraform provider's).
pub const PAGE_SIZE: u32 = 100;
/// Codes per add call.
pub const MAX_PER_CALL: usize = 100;

/// One page of a queue's wrap-up codes.
pub fn list(queue_id: &str, page: Page) -> ApiRequest {
    ApiRequest::new(LIST, &[queue_id]).page(page)
}

/// Adds up to 100 codes (adding one already there has no further effect).
pub fn add(queue_id: &str, code_ids: &[String]) -> ApiRequest {
    ApiRequest::new(ADD, &[queue_id])
        .json(&id_refs(code_ids))
        .idempotent()
}

/// Removes one code.
pub fn delete(queue_id: &str, code_id: &str) -> ApiRequest {
    ApiRequest::new(DELETE, &[queue_id, code_id])
}

impl Client {
    /// Every wrap-up code of a queue.
    pub async fn list_queue_wrapup_codes(&self, queue_id: &str) -> Result<Vec<WrapupCode>, Error> {
        self.list_all(PAGE_SIZE, |page| list(queue_id, page)).await
    }

    /// Adds codes to a queue, 100 per call.
    pub async fn add_queue_wrapup_codes(
        &self,
        queue_id: &str,
        code_ids: &[String],
    ) -> Result<(), Error> {
        self.send_in_chunks(code_ids, MAX_PER_CALL, |ids| add(queue_id, ids))
            .await
    }

    /// Removes one code from a queue.
    pub async fn remove_queue_wrapup_code(
        &self,
        queue_id: &str,
        code_id: &str,
    ) -> Result<(), Error> {
        self.execute_empty(delete(queue_id, code_id)).await
    }
}
