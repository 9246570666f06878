//! Divisions: `/api/v2/authorization/divisions`, and moving objects between them.

use super::op;
use crate::client::Client;
use crate::error::Error;
use crate::models::AuthzDivision;
use crate::paging::Page;
use crate::request::{ApiRequest, Endpoint, Method::*};

/// `GET /api/v2/authorization/divisions`.
pub const LIST: Endpoint = op(Get, "/api/v2/authorization/divisions", &[]);
/// `GET /api/v2/authorization/divisions/home`.
pub const HOME: Endpoint = op(Get, "/api/v2/authorization/divisions/home", &[]);
/// `GET /api/v2/authorization/divisions/{divisionId}`.
pub const GET: Endpoint = op(Get, "/api/v2/authorization/divisions/{divisionId}", &[]);
/// `POST /api/v2/authorization/divisions/{divisionId}/objects/{objectType}`: how the
/// Terraform provider moves a queue between divisions (API-FACTS §5).
pub const MOVE_OBJECTS: Endpoint = op(
    Post,
    "/api/v2/authorization/divisions/{divisionId}/objects/{objectType}",
    &[],
);

/// Page size (the Terraform provider's).
pub const PAGE_SIZE: u32 = 100;

/// One page of divisions.
pub fn list(page: Page) -> ApiRequest {
    ApiRequest::new(LIST, &[]).page(page)
}

/// The home division.
pub fn home() -> ApiRequest {
    ApiRequest::new(HOME, &[])
}

/// One division.
pub fn get(division_id: &str) -> ApiRequest {
    ApiRequest::new(GET, &[division_id])
}

/// Moves objects of one type (`QUEUE`, `USER`, ...) into a division. Moving an object
/// where it already is changes nothing, so it is safe to repeat.
pub fn move_objects(division_id: &str, object_type: &str, object_ids: &[String]) -> ApiRequest {
    ApiRequest::new(MOVE_OBJECTS, &[division_id, object_type])
        .json(&object_ids)
        .idempotent()
}

impl Client {
    /// Every division.
    pub async fn list_divisions(&self) -> Result<Vec<AuthzDivision>, Error> {
        self.list_all(PAGE_SIZE, list).await
    }

    /// Every division with its object counts (`objectCount=true`), in the same number of
    /// requests.
    pub async fn list_divisions_with_counts(&self) -> Result<Vec<AuthzDivision>, Error> {
        self.list_all(PAGE_SIZE, |page| list(page).query("objectCount", true))
            .await
    }

    /// The home division.
    pub async fn home_division(&self) -> Result<AuthzDivision, Error> {
        self.execute(home()).await
    }

    /// Moves queues into a division.
    pub async fn move_queues_to_division(
        &self,
        division_id: &str,
        queue_ids: &[String],
    ) -> Result<(), Error> {
        self.execute_empty(move_objects(division_id, "QUEUE", queue_ids))
            .await
    }
}
