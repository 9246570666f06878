//! `GET /api/v2/organizations/me`.

use std::sync::Arc;

use axum::extract::State;
use serde_json::json;

use crate::context::SimContext;
use crate::request::{ApiResult, Reply};

/// The org's name and id turned into the API's `thirdPartyOrgName` / `domain` style.
pub(crate) fn org_slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// GET: the `Organization`.
pub(crate) async fn me(State(ctx): State<Arc<SimContext>>) -> ApiResult {
    let org = ctx.org();
    let slug = org_slug(&org.org.name);
    Ok(Reply::Json(json!({
        "id": org.org.id,
        "name": org.org.name,
        "defaultLanguage": "en-us",
        "defaultCountryCode": "US",
        "thirdPartyOrgName": slug,
        "domain": slug,
        "version": 1,
        "state": "active",
        "voicemailEnabled": true,
        "productPlatform": "GenesysCloud",
        "features": {},
        "selfUri": "/api/v2/organizations/me",
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(org_slug("Switchboard Demo Org"), "switchboard-demo-org");
        assert_eq!(org_slug("  A & B!"), "a-b");
    }
}
