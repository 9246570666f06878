//! `/api/v2/notifications/channels` and their topic subscriptions.
//!
//! Limits (API-FACTS §6): channels live 24 h (`channelLifetimeMs` shortens that for tests,
//! and a channel's socket closes when it expires); 20 channels per client, the 21st replacing the
//! oldest; at most 1,000 topics per channel (400
//! `notification.subscription.too.many.subscriptions`); an invalid topic is 400
//! `notification.invalid.topic` (both codes from the 2018 spec).

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::api_error::ApiError;
use crate::context::SimContext;
use crate::ids;
use crate::org::iso;
use crate::request::{ApiResult, Caller, JsonBody, QueryParams, Reply};

const MAX_CHANNELS: usize = 20;
const MAX_TOPICS: usize = 1000;

/// A notification channel.
#[derive(Debug, Clone)]
pub(crate) struct ChannelState {
    pub id: String,
    pub client_id: String,
    pub token: String,
    pub created: DateTime<Utc>,
    pub expires: DateTime<Utc>,
    pub topics: BTreeSet<String>,
}

/// Whether a topic is one the simulator can publish: audit events of an entity, queue
/// membership changes, a user's routing status.
pub(crate) fn topic_is_valid(topic: &str) -> bool {
    let parts: Vec<&str> = topic.split('.').collect();
    let id_like =
        |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    match parts.as_slice() {
        ["v2", "audits", "entitytype", kind, "entityid", id] => {
            !kind.is_empty() && kind.chars().all(|c| c.is_ascii_alphanumeric()) && id_like(id)
        }
        ["v2", "routing", "queues", id, "users"] => ids::is_uuid(id),
        ["v2", "users", id, "routingStatus"] => ids::is_uuid(id),
        _ => false,
    }
}

fn render_channel(ctx: &SimContext, c: &ChannelState) -> Value {
    json!({
        "id": c.id,
        "connectUri": format!("ws://{}/channels/{}", ctx.addr, c.id),
        "expires": iso(c.expires),
    })
}

fn topic_listing(topics: &BTreeSet<String>) -> Value {
    json!({"entities": topics.iter().map(|t| json!({"id": t, "state": "Permitted"})).collect::<Vec<_>>()})
}

/// POST: a new channel for the caller.
pub(crate) async fn create_channel(
    State(ctx): State<Arc<SimContext>>,
    caller: Caller,
) -> ApiResult {
    let now = Utc::now();
    let channel = ChannelState {
        id: ids::random(),
        client_id: caller.client_id.clone(),
        token: caller.token.clone(),
        created: now,
        expires: now
            + chrono::Duration::from_std(ctx.settings.channel_lifetime)
                .unwrap_or_else(|_| chrono::Duration::hours(24)),
        topics: BTreeSet::new(),
    };
    let mut runtime = ctx.runtime();
    runtime.channels.retain(|_, c| c.expires > now);
    let mut mine: Vec<(DateTime<Utc>, String)> = runtime
        .channels
        .values()
        .filter(|c| c.client_id == caller.client_id)
        .map(|c| (c.created, c.id.clone()))
        .collect();
    mine.sort();
    while mine.len() >= MAX_CHANNELS {
        let (_, oldest) = mine.remove(0);
        runtime.channels.remove(&oldest);
    }
    let answer = render_channel(&ctx, &channel);
    runtime.channels.insert(channel.id.clone(), channel);
    Ok(Reply::Json(answer))
}

/// GET: the caller's channels (`includechannels`: token, the default, or oauthclient).
pub(crate) async fn list_channels(
    State(ctx): State<Arc<SimContext>>,
    caller: Caller,
    q: QueryParams,
) -> ApiResult {
    let by_client = q
        .choice("includechannels", &["token", "oauthclient"])?
        .as_deref()
        == Some("oauthclient");
    let now = Utc::now();
    let runtime = ctx.runtime();
    let entities: Vec<Value> = runtime
        .channels
        .values()
        .filter(|c| c.expires > now)
        .filter(|c| {
            if by_client {
                c.client_id == caller.client_id
            } else {
                c.token == caller.token
            }
        })
        .map(|c| render_channel(&ctx, c))
        .collect();
    Ok(Reply::Json(json!({"entities": entities})))
}

fn requested_topics(body: &JsonBody, ignore_errors: bool) -> Result<BTreeSet<String>, ApiError> {
    let items = body.array_of("ChannelTopic")?;
    let mut topics = BTreeSet::new();
    for (i, item) in items.iter().enumerate() {
        let id = item
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| ApiError::required_missing(&format!("[{i}].id")))?;
        if topic_is_valid(id) {
            topics.insert(id.to_string());
        } else if !ignore_errors {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "notification.invalid.topic",
                format!("The subscription topic is not valid: {id}"),
            ));
        }
    }
    Ok(topics)
}

fn too_many() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "notification.subscription.too.many.subscriptions",
        format!("Too many subscriptions: a channel takes at most {MAX_TOPICS} topics."),
    )
}

fn with_channel<T>(
    ctx: &SimContext,
    caller: &Caller,
    id: &str,
    f: impl FnOnce(&mut ChannelState) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let mut runtime = ctx.runtime();
    match runtime.channels.get_mut(id) {
        Some(c) if c.client_id == caller.client_id && c.expires > Utc::now() => f(c),
        _ => Err(ApiError::not_found_id(id)),
    }
}

/// HEAD: 200 while the channel exists (the caller's, not expired), else 404.
pub(crate) async fn channel_exists(
    State(ctx): State<Arc<SimContext>>,
    Path(id): Path<String>,
    caller: Caller,
) -> ApiResult {
    with_channel(&ctx, &caller, &id, |_| Ok(Reply::Exists))
}

/// GET the channel's topics.
pub(crate) async fn list_topics(
    State(ctx): State<Arc<SimContext>>,
    Path(id): Path<String>,
    caller: Caller,
) -> ApiResult {
    with_channel(&ctx, &caller, &id, |c| {
        Ok(Reply::Json(topic_listing(&c.topics)))
    })
}

/// PUT replaces the channel's topics; POST adds to them. A channel holds at most
/// [`MAX_TOPICS`]: a PUT asking for more is refused before the channel is looked up, a POST
/// once the union is known.
pub(crate) async fn change_topics(
    State(ctx): State<Arc<SimContext>>,
    Path(id): Path<String>,
    caller: Caller,
    method: Method,
    q: QueryParams,
    body: JsonBody,
) -> ApiResult {
    let requested = requested_topics(&body, q.bool("ignoreErrors")?.unwrap_or(false))?;
    let replace = method == Method::PUT;
    if replace && requested.len() > MAX_TOPICS {
        return Err(too_many());
    }
    with_channel(&ctx, &caller, &id, |c| {
        let topics = if replace {
            requested
        } else {
            c.topics.union(&requested).cloned().collect()
        };
        if topics.len() > MAX_TOPICS {
            return Err(too_many());
        }
        c.topics = topics;
        Ok(Reply::Json(topic_listing(&c.topics)))
    })
}

/// DELETE: removes every topic.
pub(crate) async fn remove_topics(
    State(ctx): State<Arc<SimContext>>,
    Path(id): Path<String>,
    caller: Caller,
) -> ApiResult {
    with_channel(&ctx, &caller, &id, |c| {
        c.topics.clear();
        Ok(Reply::Empty)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics() {
        let id = "5b5e6a2c-7d1f-4c3b-9a8e-0d15c0a1b2c3";
        assert!(topic_is_valid(&format!(
            "v2.audits.entitytype.Queue.entityid.{id}"
        )));
        assert!(topic_is_valid(&format!("v2.routing.queues.{id}.users")));
        assert!(topic_is_valid(&format!("v2.users.{id}.routingStatus")));
        assert!(!topic_is_valid("v2.routing.queues.nope.users"));
        assert!(!topic_is_valid("v2.something.else"));
    }
}
