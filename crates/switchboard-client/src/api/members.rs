//! Queue members: `/api/v2/routing/queues/{queueId}/members` (API-FACTS §5).

use super::{id_refs, op};
use crate::client::Client;
use crate::error::Error;
use crate::models::QueueMember;
use crate::paging::Page;
use crate::request::{ApiRequest, Endpoint, Method::*};

const MEMBER_PERMISSIONS: &[&str] = &["routing:queue:edit", "routing:queueMember:manage"];

/// `GET .../members`: paged, no `total` or `pageCount`.
pub const LIST: Endpoint = op(
    Get,
    "/api/v2/routing/queues/{queueId}/members",
    &[
        "routing:queue:view",
        "routing:queue:edit",
        "routing:queue:readonly",
        "routing:queueMember:manage",
    ],
);
/// `POST .../members[?delete=true]`: bulk add or remove.
pub const ADD_OR_REMOVE: Endpoint = op(
    Post,
    "/api/v2/routing/queues/{queueId}/members",
    MEMBER_PERMISSIONS,
);
/// `PATCH .../members`: bulk join/unjoin, processed asynchronously.
pub const SET_JOINED: Endpoint = op(
    Patch,
    "/api/v2/routing/queues/{queueId}/members",
    MEMBER_PERMISSIONS,
);
/// `PATCH .../members/{memberId}`: ring number or joined for one member.
pub const UPDATE: Endpoint = op(
    Patch,
    "/api/v2/routing/queues/{queueId}/members/{memberId}",
    MEMBER_PERMISSIONS,
);
/// `DELETE .../members/{memberId}`.
pub const DELETE: Endpoint = op(
    Delete,
    "/api/v2/routing/queues/{queueId}/members/{memberId}",
    MEMBER_PERMISSIONS,
);

/// The listing's maximum page size ("Max value is 100").
pub const PAGE_SIZE: u32 = 100;
/// Members per bulk add, remove or join call ("up to 100").
pub const MAX_PER_CALL: usize = 100;

/// One page of a queue's members.
pub fn list(queue_id: &str, page: Page) -> ApiRequest {
    ApiRequest::new(LIST, &[queue_id]).page(page)
}

/// Adds up to 100 users. Adding a member twice has no further effect, so it is retried
/// like any idempotent write.
pub fn add(queue_id: &str, user_ids: &[String]) -> ApiRequest {
    ApiRequest::new(ADD_OR_REMOVE, &[queue_id])
        .query("delete", false)
        .json(&id_refs(user_ids))
        .idempotent()
}

/// Removes up to 100 users.
pub fn remove(queue_id: &str, user_ids: &[String]) -> ApiRequest {
    ApiRequest::new(ADD_OR_REMOVE, &[queue_id])
        .query("delete", true)
        .json(&id_refs(user_ids))
        .idempotent()
}

/// Joins or unjoins up to 100 members (`QueueMember[]` with `id` and `joined`).
pub fn set_joined(queue_id: &str, changes: &[QueueMember]) -> ApiRequest {
    ApiRequest::new(SET_JOINED, &[queue_id]).json(&changes)
}

/// Changes one member (ring number or joined).
pub fn update(queue_id: &str, user_id: &str, change: &QueueMember) -> ApiRequest {
    ApiRequest::new(UPDATE, &[queue_id, user_id]).json(change)
}

/// Removes one member.
pub fn delete(queue_id: &str, user_id: &str) -> ApiRequest {
    ApiRequest::new(DELETE, &[queue_id, user_id])
}

impl Client {
    /// Every member of a queue, users and groups' users, page by page.
    pub async fn list_queue_members(&self, queue_id: &str) -> Result<Vec<QueueMember>, Error> {
        self.list_following(PAGE_SIZE, |page| list(queue_id, page))
            .await
    }

    /// Every member of a queue whose `memberCount` is known: all pages at once.
    pub async fn list_queue_members_counted(
        &self,
        queue_id: &str,
        member_count: u64,
    ) -> Result<Vec<QueueMember>, Error> {
        self.list_expected(PAGE_SIZE, member_count, |page| list(queue_id, page))
            .await
    }

    /// Adds users to a queue, 100 per call.
    pub async fn add_queue_members(
        &self,
        queue_id: &str,
        user_ids: &[String],
    ) -> Result<(), Error> {
        self.send_in_chunks(user_ids, MAX_PER_CALL, |ids| add(queue_id, ids))
            .await
    }

    /// Removes users from a queue, 100 per call.
    pub async fn remove_queue_members(
        &self,
        queue_id: &str,
        user_ids: &[String],
    ) -> Result<(), Error> {
        self.send_in_chunks(user_ids, MAX_PER_CALL, |ids| remove(queue_id, ids))
            .await
    }

    /// Joins or unjoins members, 100 per call.
    pub async fn set_queue_members_joined(
        &self,
        queue_id: &str,
        changes: &[QueueMember],
    ) -> Result<(), Error> {
        self.send_in_chunks(changes, MAX_PER_CALL, |body| set_joined(queue_id, body))
            .await
    }

    /// Sets one member's bullseye ring (1-6).
    pub async fn set_queue_member_ring(
        &self,
        queue_id: &str,
        user_id: &str,
        ring: i64,
    ) -> Result<(), Error> {
        self.execute_empty(update(queue_id, user_id, &QueueMember::ring_change(ring)))
            .await
    }

    /// Removes one member.
    pub async fn delete_queue_member(&self, queue_id: &str, user_id: &str) -> Result<(), Error> {
        self.execute_empty(delete(queue_id, user_id)).await
    }
}
