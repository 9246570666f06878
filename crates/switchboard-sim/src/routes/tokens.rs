//! `/api/v2/tokens/me`: what the caller's token is.

use std::sync::Arc;

use axum::extract::State;
use chrono::Utc;
use serde_json::json;

use crate::context::SimContext;
use crate::org::iso;
use crate::request::{ApiResult, Caller, Reply};

/// The scopes every simulator client is granted.
const SCOPES: [&str; 7] = [
    "audits:readonly",
    "authorization:readonly",
    "notifications",
    "organization:readonly",
    "routing",
    "users",
    "users:readonly",
];

/// GET: `TokenInfo`.
pub(crate) async fn me(State(ctx): State<Arc<SimContext>>, caller: Caller) -> ApiResult {
    let expires = ctx
        .tokens()
        .check(&caller.token)
        .map(|t| {
            t.expires_at
                .saturating_duration_since(std::time::Instant::now())
        })
        .unwrap_or_default();
    let idles = Utc::now() + chrono::Duration::from_std(expires).unwrap_or_default();
    let org = ctx.org();
    let named = json!({"id": org.org.id, "name": org.org.name});
    Ok(Reply::Json(json!({
        "organization": named,
        "homeOrganization": named,
        "authorizedScope": SCOPES,
        "dateTokenIdles": iso(idles),
        "OAuthClient": {
            "id": caller.client_id,
            "name": caller.client_id,
            "authorizedGrantType": "CLIENT-CREDENTIALS",
            "scope": SCOPES,
            "state": "active",
            "organization": named,
        },
    })))
}

/// HEAD: 200 while the token is valid. The gateway has already answered 401 for a missing,
/// unknown, revoked or expired one.
pub(crate) async fn verify(_caller: Caller) -> ApiResult {
    Ok(Reply::Exists)
}

/// DELETE: revokes the caller's token.
pub(crate) async fn revoke(State(ctx): State<Arc<SimContext>>, caller: Caller) -> ApiResult {
    ctx.tokens().revoke(&caller.token);
    ctx.rate().forget(&caller.token);
    Ok(Reply::Empty)
}
