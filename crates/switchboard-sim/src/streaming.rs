//! The notification WebSocket served at a channel's `connectUri`: every audited change is
//! published as `{topicName, version, eventBody}` to the channels subscribed to its topic.
//!
//! Topics (API-FACTS §6): `v2.audits.entitytype.{type}.entityid.{id}` carries an
//! `AuditTopicAuditLogMessage`-shaped body; `v2.routing.queues.{id}.users` carries a
//! `QueueUserEventTopicQueueMember`-shaped body for membership changes. The casing of the
//! entity type in audit topics is unverified, so it is matched case-insensitively.
//!
//! A socket closes (with a close frame) when its channel expires or the simulator stops, and
//! is cut without one when a test calls `RunningSim::drop_sockets`.

use std::sync::Arc;

use axum::extract::ws::{Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use tokio::sync::broadcast;

use crate::api_error::ApiError;
use crate::audit::{Actor, AuditRecord, SERVICE_NAME};
use crate::context::SimContext;
use crate::org::{OrgState, iso};

/// One message for the channels subscribed to `topic`.
#[derive(Debug, Clone)]
pub(crate) struct Event {
    pub topic: String,
    /// The WebSocket text, `{topicName, version, eventBody}`: rendered once, whichever
    /// sockets it goes to (cloning it shares the bytes).
    pub message: Utf8Bytes,
}

impl Event {
    fn new(topic: String, body: &Value) -> Event {
        let message = json!({"topicName": topic, "version": "2", "eventBody": body}).to_string();
        Event {
            topic,
            message: message.into(),
        }
    }
}

/// The events an audit record gives rise to.
pub(crate) fn events_of(org: &OrgState, r: &AuditRecord) -> Vec<Event> {
    let mut body = json!({
        "id": r.id,
        "remoteIp": ["127.0.0.1"],
        "serviceName": SERVICE_NAME,
        "level": "USER",
        "eventTime": iso(r.event_date),
        "action": r.action,
        "entityType": r.entity_type,
        "entity": {"id": r.entity_id, "name": r.entity_name},
        "propertyChanges": r.property_changes.iter().map(|c| json!({
            "property": c.property, "oldValues": c.old_values, "newValues": c.new_values,
        })).collect::<Vec<_>>(),
        "context": {},
    });
    match &r.actor {
        Actor::Client { id } => body["clientId"] = json!(id),
        Actor::User { id, name } => {
            body["userId"] = json!(id);
            body["username"] = json!(name);
        }
    }
    let mut events = vec![Event::new(
        format!(
            "v2.audits.entitytype.{}.entityid.{}",
            r.entity_type, r.entity_id
        ),
        &body,
    )];
    if r.entity_type == "Queue" && r.action.starts_with("Member") {
        let user_id = r
            .property_changes
            .iter()
            .find(|c| c.property == "userId")
            .and_then(|c| c.new_values.first().or(c.old_values.first()))
            .cloned()
            .unwrap_or_default();
        let joined = org
            .queues
            .get(&r.entity_id)
            .and_then(|q| q.members.get(&user_id))
            .is_some_and(|m| m.joined);
        events.push(Event::new(
            format!("v2.routing.queues.{}.users", r.entity_id),
            &json!({
                "id": user_id,
                "user": {"id": user_id},
                "queueId": r.entity_id,
                "joined": joined,
            }),
        ));
    }
    events
}

/// `GET /channels/{id}`: the WebSocket of a notification channel.
pub(crate) async fn socket(
    State(ctx): State<Arc<SimContext>>,
    Path(id): Path<String>,
    upgrade: WebSocketUpgrade,
) -> Response {
    let expires = ctx.runtime().channels.get(&id).map(|c| c.expires);
    let Some(expires) = expires.filter(|e| *e > Utc::now()) else {
        return ApiError::not_found_id(&id).into_response();
    };
    let events = ctx.events.subscribe();
    upgrade.on_upgrade(move |socket| pump(ctx, id, expires, socket, events))
}

fn subscribed(ctx: &SimContext, channel: &str, topic: &str) -> Option<bool> {
    let runtime = ctx.runtime();
    let c = runtime.channels.get(channel)?;
    Some(c.topics.iter().any(|t| t.eq_ignore_ascii_case(topic)))
}

/// How a socket's pump ended.
enum End {
    /// With a close frame.
    Close,
    /// Cut, as by a network failure.
    Drop,
}

async fn pump(
    ctx: Arc<SimContext>,
    channel: String,
    expires: DateTime<Utc>,
    mut socket: WebSocket,
    mut events: broadcast::Receiver<Event>,
) {
    let mut shutdown = ctx.shutdown.clone();
    let mut drops = ctx.socket_drops.subscribe();
    let expiry = tokio::time::sleep((expires - Utc::now()).to_std().unwrap_or_default());
    tokio::pin!(expiry);
    let end = loop {
        tokio::select! {
            event = events.recv() => match event {
                Ok(e) => match subscribed(&ctx, &channel, &e.topic) {
                    None => break End::Close,
                    Some(false) => {}
                    Some(true) => {
                        if socket.send(Message::Text(e.message)).await.is_err() {
                            break End::Close;
                        }
                    }
                },
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => break End::Close,
            },
            incoming = socket.recv() => match incoming {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => break End::Close,
                Some(Ok(_)) => {}
            },
            _ = &mut expiry => break End::Close,
            _ = drops.changed() => break End::Drop,
            _ = shutdown.changed() => break End::Close,
        }
    };
    if let End::Close = end {
        let _ = socket.send(Message::Close(None)).await;
    }
}
