//! Who we are talking to: the org and the token (the org guard's inputs).

use super::op;
use crate::client::Client;
use crate::error::Error;
use crate::models::{Organization, TokenInfo};
use crate::request::{ApiRequest, Endpoint, Method::*};

/// `GET /api/v2/organizations/me`.
pub const ORGANIZATION: Endpoint = op(Get, "/api/v2/organizations/me", &[]);
/// `GET /api/v2/tokens/me`.
pub const TOKEN: Endpoint = op(Get, "/api/v2/tokens/me", &[]);

/// The org of the token.
pub fn organization() -> ApiRequest {
    ApiRequest::new(ORGANIZATION, &[])
}

/// The token's org, client and scopes.
pub fn token() -> ApiRequest {
    ApiRequest::new(TOKEN, &[])
}

impl Client {
    /// The org the credentials belong to.
    pub async fn organization(&self) -> Result<Organization, Error> {
        self.execute(organization()).await
    }

    /// What the token is: org, OAuth client, scopes.
    pub async fn token_info(&self) -> Result<TokenInfo, Error> {
        self.execute(token()).await
    }
}
