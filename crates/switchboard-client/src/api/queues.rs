//! Queues: `/api/v2/routing/queues`. Updates are full PUTs with no version (API-FACTS §5).

use super::op;
use crate::client::Client;
use crate::error::Error;
use crate::models::{Queue, QueueFilter};
use crate::paging::Page;
use crate::request::{ApiRequest, Endpoint, Method::*};

/// `GET /api/v2/routing/queues`.
pub const LIST: Endpoint = op(Get, "/api/v2/routing/queues", &["routing:queue:view"]);
/// `POST /api/v2/routing/queues`.
pub const CREATE: Endpoint = op(Post, "/api/v2/routing/queues", &["routing:queue:add"]);
/// `GET /api/v2/routing/queues/{queueId}`.
pub const GET: Endpoint = op(
    Get,
    "/api/v2/routing/queues/{queueId}",
    &["routing:queue:view"],
);
/// `PUT /api/v2/routing/queues/{queueId}`.
pub const UPDATE: Endpoint = op(
    Put,
    "/api/v2/routing/queues/{queueId}",
    &["routing:queue:edit"],
);
/// `DELETE /api/v2/routing/queues/{queueId}`.
pub const DELETE: Endpoint = op(
    Delete,
    "/api/v2/routing/queues/{queueId}",
    &["routing:queue:delete"],
);

/// Page size for queue listings (the Terraform provider's; no maximum is documented).
pub const PAGE_SIZE: u32 = 500;

/// One page of queues.
pub fn list(page: Page, filter: &QueueFilter) -> ApiRequest {
    let mut request = ApiRequest::new(LIST, &[]).page(page);
    if let Some(name) = &filter.name {
        request = request.query("name", name);
    }
    request
        .query_multi("id", &filter.ids)
        .query_multi("divisionId", &filter.division_ids)
}

/// One queue by id.
pub fn get(queue_id: &str) -> ApiRequest {
    ApiRequest::new(GET, &[queue_id])
}

/// Creates a queue (`CreateQueueRequest`).
pub fn create(queue: &Queue) -> ApiRequest {
    ApiRequest::new(CREATE, &[]).json(&queue.to_request())
}

/// Replaces a queue (`QueueRequest`): send the whole object as read, changed.
pub fn update(queue_id: &str, queue: &Queue) -> ApiRequest {
    ApiRequest::new(UPDATE, &[queue_id]).json(&queue.to_request())
}

/// Deletes a queue; `force` deletes it even with conversations in it.
pub fn delete(queue_id: &str, force: bool) -> ApiRequest {
    ApiRequest::new(DELETE, &[queue_id]).query("forceDelete", force)
}

impl Client {
    /// Every queue matching `filter`.
    pub async fn list_queues(&self, filter: &QueueFilter) -> Result<Vec<Queue>, Error> {
        self.list_all(PAGE_SIZE, |page| list(page, filter)).await
    }

    /// One queue.
    pub async fn get_queue(&self, queue_id: &str) -> Result<Queue, Error> {
        self.execute(get(queue_id)).await
    }

    /// Creates a queue. Not retried when the outcome is unknown: see
    /// [`Error::is_outcome_unknown`].
    pub async fn create_queue(&self, queue: &Queue) -> Result<Queue, Error> {
        self.execute(create(queue)).await
    }

    /// Replaces a queue with `queue` (read it first and change it: fields left out are lost).
    pub async fn update_queue(&self, queue_id: &str, queue: &Queue) -> Result<Queue, Error> {
        self.execute(update(queue_id, queue)).await
    }

    /// Deletes a queue.
    pub async fn delete_queue(&self, queue_id: &str, force: bool) -> Result<(), Error> {
        self.execute_empty(delete(queue_id, force)).await
    }
}
