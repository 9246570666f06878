//! `POST /oauth/token` (client credentials grant) and the issued tokens.
//!
//! Request and answers as API-FACTS §1 describes them: `Authorization: Basic
//! base64(id:secret)`, a form body `grant_type=client_credentials`, and
//! `{access_token, token_type: "bearer", expires_in}`; errors are `AuthErrorResponse`
//! `{error, description, error_description}`.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rand::RngCore;
use serde_json::json;

use crate::context::SimContext;
use crate::gateway::Verbatim;

/// An issued access token.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub client_id: String,
    pub expires_at: Instant,
}

/// Every token issued and not revoked, and every token ever issued (for leak tests).
#[derive(Debug, Default)]
pub(crate) struct TokenStore {
    tokens: HashMap<String, Token>,
    issued: Vec<String>,
}

impl TokenStore {
    pub(crate) fn issue(&mut self, client_id: &str, lifetime: Duration) -> String {
        let mut bytes = [0u8; 48];
        rand::rng().fill_bytes(&mut bytes);
        let token = URL_SAFE_NO_PAD.encode(bytes);
        self.issued.push(token.clone());
        self.tokens.insert(
            token.clone(),
            Token {
                client_id: client_id.to_string(),
                expires_at: Instant::now() + lifetime,
            },
        );
        token
    }

    /// The token's client, if the token is known and not expired.
    pub(crate) fn check(&self, token: &str) -> Option<Token> {
        self.tokens
            .get(token)
            .filter(|t| Instant::now() < t.expires_at)
            .cloned()
    }

    pub(crate) fn revoke(&mut self, token: &str) {
        self.tokens.remove(token);
    }

    /// Every token issued since start, revoked or not.
    pub(crate) fn issued(&self) -> Vec<String> {
        self.issued.clone()
    }

    pub(crate) fn revoke_all(&mut self) {
        self.tokens.clear();
    }
}

/// The client id in a `Basic` authorization header (journaled; the secret never is).
pub(crate) fn basic_client_id(headers: &HeaderMap) -> Option<String> {
    basic_credentials(headers).map(|(id, _)| id)
}

fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

fn auth_error(status: StatusCode, error: &str, description: &str) -> Response {
    let mut r = (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        json!({"error": error, "description": description, "error_description": description})
            .to_string(),
    )
        .into_response();
    r.extensions_mut().insert(Verbatim);
    r
}

/// Whether the client id and secret are accepted.
pub(crate) fn client_accepted(clients: &BTreeMap<String, String>, id: &str, secret: &str) -> bool {
    clients.get(id).is_some_and(|s| s == secret)
}

/// `POST /oauth/token`.
pub(crate) async fn token(
    State(ctx): State<Arc<SimContext>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some((id, secret)) = basic_credentials(&headers) else {
        return auth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "client authentication failed: no Basic credentials",
        );
    };
    if !client_accepted(&ctx.settings.clients, &id, &secret) {
        return auth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "client authentication failed",
        );
    }
    let form_content = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let grant = url::form_urlencoded::parse(&body)
        .find(|(k, _)| k == "grant_type")
        .map(|(_, v)| v.into_owned());
    match grant.as_deref() {
        // unverified: the answer to a missing grant_type or a non-form body is not
        // documented; `invalid_request` is the OAuth 2.0 (RFC 6749 §5.2) code.
        None if !form_content => auth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "the body must be application/x-www-form-urlencoded with grant_type=client_credentials",
        ),
        None => auth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "missing grant_type",
        ),
        Some("client_credentials") => {
            let lifetime = ctx.settings.token_lifetime;
            let token = ctx.tokens().issue(&id, lifetime);
            let body = json!({
                "access_token": token,
                "token_type": "bearer",
                "expires_in": lifetime.as_secs().max(1),
            });
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                body.to_string(),
            )
                .into_response()
        }
        Some(other) => auth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            &format!("grant type {other} is not supported"),
        ),
    }
}
