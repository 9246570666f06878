use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::NamedEntity;

/// The OAuth token endpoint's answer.
#[derive(Clone, Deserialize)]
pub struct TokenResponse {
    /// The bearer token.
    pub access_token: String,
    /// `bearer`.
    pub token_type: Option<String>,
    /// Lifetime in seconds.
    pub expires_in: u64,
}

impl std::fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenResponse")
            .field("access_token", &"[redacted]")
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

/// `TokenInfo` from `GET /api/v2/tokens/me`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenInfo {
    /// The org the token acts in.
    pub organization: Option<NamedEntity>,
    /// The token's home org.
    pub home_organization: Option<NamedEntity>,
    /// Granted scopes.
    pub authorized_scope: Option<Vec<String>>,
    /// The OAuth client.
    #[serde(rename = "OAuthClient")]
    pub oauth_client: Option<OAuthClientInfo>,
    /// When the token idles out.
    pub date_token_idles: Option<String>,
}

/// The parts of `OrgOAuthClient` switchboard shows.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OAuthClientInfo {
    /// Client id.
    pub id: Option<String>,
    /// Client name.
    pub name: Option<String>,
    /// Grant type.
    pub authorized_grant_type: Option<String>,
    /// Org.
    pub organization: Option<NamedEntity>,
}
