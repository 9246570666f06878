//! Org wrap-up codes: `/api/v2/routing/wrapupcodes`. Updated by PUT only.

use super::op;
use crate::client::Client;
use crate::error::Error;
use crate::models::{WrapupCode, WrapupCodeRequest};
use crate::paging::Page;
use crate::request::{ApiRequest, Endpoint, Method::*};

/// `GET /api/v2/routing/wrapupcodes`.
pub const LIST: Endpoint = op(
    Get,
    "/api/v2/routing/wrapupcodes",
    &["routing:wrapupCode:view"],
);
/// `POST /api/v2/routing/wrapupcodes`.
pub const CREATE: Endpoint = op(
    Post,
    "/api/v2/routing/wrapupcodes",
    &["routing:wrapupCode:add"],
);
/// `GET /api/v2/routing/wrapupcodes/{codeId}`.
pub const GET: Endpoint = op(
    Get,
    "/api/v2/routing/wrapupcodes/{codeId}",
    &["routing:wrapupCode:view"],
);
/// `PUT /api/v2/routing/wrapupcodes/{codeId}`.
pub const UPDATE: Endpoint = op(
    Put,
    "/api/v2/routing/wrapupcodes/{codeId}",
    &["routing:wrapupCode:edit"],
);
/// `DELETE /api/v2/routing/wrapupcodes/{codeId}`.
pub const DELETE: Endpoint = op(
    Delete,
    "/api/v2/routing/wrapupcodes/{codeId}",
    &["routing:wrapupCode:delete"],
);

/// Page size (the Terraform provider's).
pub const PAGE_SIZE: u32 = 100;

/// One page of wrap-up codes, sorted by name.
pub fn list(page: Page) -> ApiRequest {
    ApiRequest::new(LIST, &[])
        .page(page)
        .query("sortBy", "name")
        .query("sortOrder", "ascending")
}

/// One code.
pub fn get(code_id: &str) -> ApiRequest {
    ApiRequest::new(GET, &[code_id])
}

/// Creates a code.
pub fn create(code: &WrapupCodeRequest) -> ApiRequest {
    ApiRequest::new(CREATE, &[]).json(code)
}

/// Replaces a code.
pub fn update(code_id: &str, code: &WrapupCodeRequest) -> ApiRequest {
    ApiRequest::new(UPDATE, &[code_id]).json(code)
}

/// Deletes a code.
pub fn delete(code_id: &str) -> ApiRequest {
    ApiRequest::new(DELETE, &[code_id])
}

impl Client {
    /// Every wrap-up code.
    pub async fn list_wrapup_codes(&self) -> Result<Vec<WrapupCode>, Error> {
        self.list_all(PAGE_SIZE, list).await
    }

    /// One code.
    pub async fn get_wrapup_code(&self, code_id: &str) -> Result<WrapupCode, Error> {
        self.execute(get(code_id)).await
    }

    /// Creates a code.
    pub async fn create_wrapup_code(&self, code: &WrapupCodeRequest) -> Result<WrapupCode, Error> {
        self.execute(create(code)).await
    }

    /// Replaces a code.
    pub async fn update_wrapup_code(
        &self,
        code_id: &str,
        code: &WrapupCodeRequest,
    ) -> Result<WrapupCode, Error> {
        self.execute(update(code_id, code)).await
    }

    /// Deletes a code.
    pub async fn delete_wrapup_code(&self, code_id: &str) -> Result<(), Error> {
        self.execute_empty(delete(code_id)).await
    }
}
