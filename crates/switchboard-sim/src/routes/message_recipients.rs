//! `GET /api/v2/routing/message/recipients` (API-FACTS-LOOKUPS L1.2 I): page paging, by name.
//! `messengerType` (the listing's enum) keeps one type; `name` keeps the recipients whose
//! names contain it, case-insensitively.
// unverified: the `name` match ("Recipient Name") is not documented; contains is the
// simulator's choice, so a client must confirm exact names itself (L1.3 rule 1).

use std::sync::Arc;

use axum::extract::State;

use crate::context::SimContext;
use crate::listing::{MAX_PAGE_SIZE, Page, entity_listing};
use crate::org::{Recipient, name_key};
use crate::request::{ApiResult, QueryParams, Reply};

const PATH: &str = "/api/v2/routing/message/recipients";

/// The listing's `messengerType` enum (the answers' enum has more values).
const FILTER_TYPES: [&str; 7] = [
    "sms",
    "facebook",
    "twitter",
    "whatsapp",
    "open",
    "instagram",
    "apple",
];

/// GET: one page of recipients.
pub(crate) async fn list(State(ctx): State<Arc<SimContext>>, q: QueryParams) -> ApiResult {
    let page = Page::from_query(&q, MAX_PAGE_SIZE)?;
    let messenger_type = q.choice("messengerType", &FILTER_TYPES)?;
    let name = q
        .get("name")
        .map(str::to_lowercase)
        .filter(|n| !n.is_empty());
    let org = ctx.org();
    let mut recipients: Vec<&Recipient> = org
        .message_recipients
        .values()
        .filter(|r| {
            messenger_type
                .as_deref()
                .is_none_or(|t| r.messenger_type == t)
        })
        .filter(|r| {
            name.as_ref()
                .is_none_or(|n| r.name.to_lowercase().contains(n.as_str()))
        })
        .collect();
    recipients.sort_by_key(|r| name_key(&r.name, &r.id));
    let entities = page
        .slice(&recipients)
        .into_iter()
        .map(|r| org.render_recipient(r))
        .collect();
    Ok(Reply::Json(entity_listing(
        PATH,
        &q,
        page,
        recipients.len(),
        entities,
    )))
}
