//! What a change in the org looks like to watch mode, read from either feed: a notification
//! WebSocket message, or the same message forwarded by a relay inside an EventBridge event.
//!
//! The two topics watch mode subscribes to (API-FACTS §6):
//! - `v2.audits.entitytype.{type}.entityid.{id}`, whose body is an
//!   `AuditTopicAuditLogMessage` (`entityType`, `entity`, `action`, `username`, `userId`,
//!   `clientId`, `eventTime`, ...);
//! - `v2.routing.queues.{id}.users`, whose body is a `QueueUserEventTopicQueueMember`
//!   (`id`, `user`, `queueId`, `joined`): a membership change of the queue `{id}`.
//!
//! Anything else (the `channel.metadata` heartbeats, topics of other kinds) is not a change.

use serde_json::Value;

/// One change to one object of the org, as far as a notification tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeEvent {
    /// The concrete topic the message came on.
    pub topic: String,
    /// The changed object's kind as the audit service names it (`Queue`, `RoutingSkill`, ...);
    /// `Queue` for a membership change.
    pub entity_type: String,
    /// The changed object's id (the queue's for a membership change).
    pub entity_id: String,
    /// The audit action (`Update`, `MemberAdd`, ...), when the message says.
    pub action: Option<String>,
    /// Who made the change: a username, else a user id, else an OAuth client id.
    pub actor: Option<String>,
    /// When the change happened, as the message gives it (ISO 8601).
    pub event_time: Option<String>,
}

/// The audit topic of one object: `v2.audits.entitytype.{type}.entityid.{id}`.
pub fn audit_topic(entity_type: &str, id: &str) -> String {
    format!("v2.audits.entitytype.{entity_type}.entityid.{id}")
}

/// The membership topic of one queue: `v2.routing.queues.{id}.users`.
pub fn queue_users_topic(id: &str) -> String {
    format!("v2.routing.queues.{id}.users")
}

/// A topic watch mode understands, with the object it names.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Topic<'a> {
    Audit { entity_type: &'a str, id: &'a str },
    QueueUsers { queue_id: &'a str },
}

/// Reads a concrete topic name. The fixed words are matched case-insensitively because
/// the casing of audit topics is unverified (API-FACTS §6).
fn parse_topic(topic: &str) -> Option<Topic<'_>> {
    let parts: Vec<&str> = topic.split('.').collect();
    let is = |part: &str, word: &str| part.eq_ignore_ascii_case(word);
    match parts.as_slice() {
        [v2, audits, entitytype, kind, entityid, id]
            if is(v2, "v2")
                && is(audits, "audits")
                && is(entitytype, "entitytype")
                && is(entityid, "entityid")
                && !kind.is_empty()
                && !id.is_empty() =>
        {
            Some(Topic::Audit {
                entity_type: kind,
                id,
            })
        }
        [v2, routing, queues, id, users]
            if is(v2, "v2")
                && is(routing, "routing")
                && is(queues, "queues")
                && is(users, "users")
                && !id.is_empty() =>
        {
            Some(Topic::QueueUsers { queue_id: id })
        }
        _ => None,
    }
}

fn text(value: &Value) -> Option<String> {
    value.as_str().filter(|s| !s.is_empty()).map(str::to_string)
}

/// Reads one message: a notification `{topicName, eventBody}` or an EventBridge event
/// carrying one. `None` for heartbeats, topics watch mode does not subscribe to, and
/// anything that is not such a message.
pub fn parse_notification(message: &Value) -> Option<ChangeEvent> {
    if let Some((template, detail)) = eventbridge(message) {
        return parse_eventbridge(template, detail);
    }
    let topic = message.get("topicName")?.as_str()?;
    let body = message.get("eventBody").unwrap_or(&Value::Null);
    change_of(topic, body)
}

fn change_of(topic: &str, body: &Value) -> Option<ChangeEvent> {
    match parse_topic(topic)? {
        Topic::Audit { entity_type, id } => Some(ChangeEvent {
            topic: topic.to_string(),
            // The body's spelling is the audit service's own; the topic's casing is unverified.
            entity_type: text(&body["entityType"]).unwrap_or_else(|| entity_type.to_string()),
            entity_id: id.to_string(),
            action: text(&body["action"]),
            actor: text(&body["username"])
                .or_else(|| text(&body["userId"]))
                .or_else(|| text(&body["clientId"])),
            event_time: text(&body["eventTime"]),
        }),
        Topic::QueueUsers { queue_id } => Some(ChangeEvent {
            topic: topic.to_string(),
            entity_type: "Queue".to_string(),
            entity_id: queue_id.to_string(),
            action: None,
            actor: None,
            event_time: None,
        }),
    }
}

// The EventBridge envelope. The outer fields are EventBridge's own event structure
// (`version`, `id`, `detail-type`, `source`, `account`, `time`, `region`, `resources`,
// `detail`: https://docs.aws.amazon.com/eventbridge/latest/ref/events-structure.html). The
// Genesys Cloud source (`aws.partner/genesys.com/cloud/<orgId>/<suffix>`, API-FACTS §6) puts
// the topic template in `detail-type` (`v2.conversations.{id}.transcription`) and the
// notification itself in `detail`: `{topicName, version, eventBody, metadata}`. That shape
// is taken from published sample events of the integration (public repositories' test
// payloads and runbooks, found with the search tool); Genesys documents no schema for it, so
// it is unverified against a real org. A `detail` without `topicName` is read from the
// audit body's `entityType`/`entity.id`, or the membership body's `queueId`.

/// The topic template (`detail-type`) and the notification (`detail`) of an EventBridge event.
fn eventbridge(message: &Value) -> Option<(&str, &Value)> {
    let template = message.get("detail-type")?.as_str()?;
    let detail = message.get("detail").filter(|d| d.is_object())?;
    Some((template, detail))
}

fn parse_eventbridge(template: &str, detail: &Value) -> Option<ChangeEvent> {
    let body = detail.get("eventBody").unwrap_or(&Value::Null);
    if let Some(topic) = detail.get("topicName").and_then(Value::as_str) {
        return change_of(topic, body);
    }
    let topic = match parse_topic(template)? {
        Topic::Audit { .. } => audit_topic(
            body.get("entityType")?.as_str()?,
            body.get("entity")?.get("id")?.as_str()?,
        ),
        Topic::QueueUsers { .. } => queue_users_topic(body.get("queueId")?.as_str()?),
    };
    change_of(&topic, body)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use serde_json::json;

    use super::*;

    const Q: &str = "5b5e6a2c-7d1f-4c3b-9a8e-0d15c0a1b2c3";

    fn check(message: Value, expected: Option<(&str, &str, Option<&str>, Option<&str>)>) {
        let got = parse_notification(&message);
        let got = got.as_ref().map(|e| {
            (
                e.entity_type.as_str(),
                e.entity_id.as_str(),
                e.action.as_deref(),
                e.actor.as_deref(),
            )
        });
        assert_eq!(got, expected, "{message}");
    }

    #[test]
    fn topics_are_built_as_the_api_names_them() {
        assert_eq!(
            audit_topic("Queue", Q),
            format!("v2.audits.entitytype.Queue.entityid.{Q}")
        );
        assert_eq!(queue_users_topic(Q), format!("v2.routing.queues.{Q}.users"));
    }

    #[test]
    fn audit_messages() {
        let body = json!({
            "entityType": "Queue", "entity": {"id": Q}, "action": "Update",
            "username": "Dana Admin", "clientId": "c1", "eventTime": "2026-01-01T00:00:00.000Z",
        });
        check(
            json!({"topicName": audit_topic("Queue", Q), "version": "2", "eventBody": body}),
            Some(("Queue", Q, Some("Update"), Some("Dana Admin"))),
        );
        let by_client = json!({"action": "Delete", "clientId": "c1"});
        check(
            json!({"topicName": audit_topic("QUEUE", Q), "eventBody": by_client}),
            Some(("QUEUE", Q, Some("Delete"), Some("c1"))),
        );
        let event = parse_notification(
            &json!({"topicName": audit_topic("Queue", Q), "eventBody": {"eventTime": "t"}}),
        )
        .unwrap();
        assert_eq!(event.event_time.as_deref(), Some("t"));
        assert_eq!(event.topic, audit_topic("Queue", Q));
    }

    #[test]
    fn membership_messages_name_the_queue() {
        check(
            json!({"topicName": queue_users_topic(Q), "eventBody": {"id": "u", "queueId": Q, "joined": true}}),
            Some(("Queue", Q, None, None)),
        );
    }

    #[test]
    fn heartbeats_unknown_topics_and_junk_are_not_changes() {
        check(
            json!({"topicName": "channel.metadata", "eventBody": {"message": "WebSocket Heartbeat"}}),
            None,
        );
        check(
            json!({"topicName": format!("v2.users.{Q}.routingStatus"), "eventBody": {}}),
            None,
        );
        check(
            json!({"topicName": "v2.audits.entitytype..entityid.x"}),
            None,
        );
        check(json!({"eventBody": {}}), None);
        check(json!([1, 2]), None);
        check(json!("v2.routing.queues.x.users"), None);
    }

    #[test]
    fn eventbridge_events_carry_the_notification_in_detail() {
        let envelope = |detail: Value, detail_type: &str| {
            json!({
                "version": "0", "id": "e1", "detail-type": detail_type,
                "source": "aws.partner/genesys.com/cloud/org/suffix", "account": "123456789012",
                "time": "2026-01-01T00:00:00Z", "region": "us-east-1", "resources": [],
                "detail": detail,
            })
        };
        let audit = json!({"entityType": "Queue", "entity": {"id": Q}, "action": "MemberAdd", "userId": "u1"});
        check(
            envelope(
                json!({"topicName": audit_topic("Queue", Q), "version": "2", "eventBody": audit, "metadata": {"CorrelationId": "x"}}),
                "v2.audits.entitytype.{id}.entityid.{id}",
            ),
            Some(("Queue", Q, Some("MemberAdd"), Some("u1"))),
        );
        // Without topicName, the template and the body say which object changed.
        check(
            envelope(
                json!({"eventBody": audit}),
                "v2.audits.entitytype.{id}.entityid.{id}",
            ),
            Some(("Queue", Q, Some("MemberAdd"), Some("u1"))),
        );
        check(
            envelope(
                json!({"eventBody": {"queueId": Q, "joined": false}}),
                "v2.routing.queues.{id}.users",
            ),
            Some(("Queue", Q, None, None)),
        );
        check(
            envelope(
                json!({"topicName": "v2.conversations.c.transcription", "eventBody": {}}),
                "v2.conversations.{id}.transcription",
            ),
            None,
        );
        check(
            envelope(
                json!({"eventBody": {}}),
                "v2.audits.entitytype.{id}.entityid.{id}",
            ),
            None,
        );
    }
}
