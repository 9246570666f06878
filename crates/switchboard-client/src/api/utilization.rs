//! Routing utilization (maximum capacity), org-wide and per agent (API-FACTS §8).

use super::op;
use crate::client::Client;
use crate::error::Error;
use crate::models::Utilization;
use crate::request::{ApiRequest, Endpoint, Method::*};

const VIEW: &[&str] = &["routing:utilization:manage", "routing:utilization:view"];
const MANAGE: &[&str] = &["routing:utilization:manage"];

/// `GET /api/v2/routing/utilization`.
pub const GET_ORG: Endpoint = op(Get, "/api/v2/routing/utilization", VIEW);
/// `PUT /api/v2/routing/utilization`.
pub const PUT_ORG: Endpoint = op(Put, "/api/v2/routing/utilization", MANAGE);
/// `DELETE /api/v2/routing/utilization`: back to system defaults.
pub const RESET_ORG: Endpoint = op(Delete, "/api/v2/routing/utilization", MANAGE);
/// `GET /api/v2/routing/users/{userId}/utilization`: falls back to the org's.
pub const GET_USER: Endpoint = op(Get, "/api/v2/routing/users/{userId}/utilization", VIEW);
/// `PUT /api/v2/routing/users/{userId}/utilization`.
pub const PUT_USER: Endpoint = op(Put, "/api/v2/routing/users/{userId}/utilization", MANAGE);
/// `DELETE /api/v2/routing/users/{userId}/utilization`: back to the org's.
pub const RESET_USER: Endpoint = op(Delete, "/api/v2/routing/users/{userId}/utilization", MANAGE);

/// The org's utilization.
pub fn get_org() -> ApiRequest {
    ApiRequest::new(GET_ORG, &[])
}

/// Sets the org's utilization.
pub fn put_org(utilization: &Utilization) -> ApiRequest {
    ApiRequest::new(PUT_ORG, &[]).json(utilization)
}

/// Resets the org's utilization.
pub fn reset_org() -> ApiRequest {
    ApiRequest::new(RESET_ORG, &[])
}

/// One agent's utilization.
pub fn get_user(user_id: &str) -> ApiRequest {
    ApiRequest::new(GET_USER, &[user_id])
}

/// Sets one agent's utilization.
pub fn put_user(user_id: &str, utilization: &Utilization) -> ApiRequest {
    ApiRequest::new(PUT_USER, &[user_id]).json(utilization)
}

/// Resets one agent's utilization to the org's.
pub fn reset_user(user_id: &str) -> ApiRequest {
    ApiRequest::new(RESET_USER, &[user_id])
}

impl Client {
    /// The org's utilization.
    pub async fn org_utilization(&self) -> Result<Utilization, Error> {
        self.execute(get_org()).await
    }

    /// Sets the org's utilization.
    pub async fn set_org_utilization(
        &self,
        utilization: &Utilization,
    ) -> Result<Utilization, Error> {
        self.execute(put_org(utilization)).await
    }

    /// One agent's effective utilization (`level` says whether it is the org default).
    pub async fn user_utilization(&self, user_id: &str) -> Result<Utilization, Error> {
        self.execute(get_user(user_id)).await
    }

    /// Sets one agent's utilization.
    pub async fn set_user_utilization(
        &self,
        user_id: &str,
        utilization: &Utilization,
    ) -> Result<Utilization, Error> {
        self.execute(put_user(user_id, utilization)).await
    }

    /// Resets one agent to the org default.
    pub async fn reset_user_utilization(&self, user_id: &str) -> Result<(), Error> {
        self.execute_empty(reset_user(user_id)).await
    }
}
