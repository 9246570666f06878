use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::{EntityRef, Extra};

/// A routing queue (`Queue` on read; the same shape is sent as `CreateQueueRequest` and
/// `QueueRequest`). Queues are updated by full PUT with no version (API-FACTS §5), so every
/// field not named here is kept in `extra` and sent back unchanged.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Queue {
    /// Queue id (absent before creation).
    pub id: Option<String>,
    /// Queue name, unique in the org.
    pub name: String,
    /// Division (`Division` on read, `WritableDivision` on write).
    pub division: Option<EntityRef>,
    /// Free text.
    pub description: Option<String>,
    /// Read-only: creation time.
    pub date_created: Option<String>,
    /// Read-only: last modification time.
    pub date_modified: Option<String>,
    /// Read-only: who last modified it.
    pub modified_by: Option<String>,
    /// Read-only: who created it.
    pub created_by: Option<String>,
    /// Read-only: members (users and groups).
    pub member_count: Option<i64>,
    /// Read-only: user members.
    pub user_member_count: Option<i64>,
    /// Read-only: joined members.
    pub joined_member_count: Option<i64>,
    /// Per-media-type settings.
    pub media_settings: Option<QueueMediaSettings>,
    /// Preferred Agent Routing rules.
    pub routing_rules: Option<Vec<RoutingRule>>,
    /// Conditional group routing rules.
    pub conditional_group_routing: Option<ConditionalGroupRouting>,
    /// Bullseye rings.
    pub bullseye: Option<Bullseye>,
    /// `TimestampAndPriority` or `PriorityOnly`.
    pub scoring_method: Option<String>,
    /// `Disabled`, `QueueMembersOnly` or `AnyAgent`.
    pub last_agent_routing_mode: Option<String>,
    /// After-call work.
    pub acw_settings: Option<AcwSettings>,
    /// `NONE`, `BEST` or `ALL`.
    pub skill_evaluation_method: Option<String>,
    /// Groups whose members are queue members.
    pub member_groups: Option<Vec<MemberGroup>>,
    /// In-queue call flow.
    pub queue_flow: Option<EntityRef>,
    /// In-queue email flow.
    pub email_in_queue_flow: Option<EntityRef>,
    /// In-queue message flow.
    pub message_in_queue_flow: Option<EntityRef>,
    /// Whisper prompt.
    pub whisper_prompt: Option<EntityRef>,
    /// On-hold prompt.
    pub on_hold_prompt: Option<EntityRef>,
    /// Auto-answer only.
    pub auto_answer_only: Option<bool>,
    /// Transcription.
    pub enable_transcription: Option<bool>,
    /// Audio monitoring.
    pub enable_audio_monitoring: Option<bool>,
    /// Manual assignment.
    pub enable_manual_assignment: Option<bool>,
    /// Suppress in-queue call recording.
    pub suppress_in_queue_call_recording: Option<bool>,
    /// Outbound calling party name.
    pub calling_party_name: Option<String>,
    /// Outbound calling party number.
    pub calling_party_number: Option<String>,
    /// API path.
    pub self_uri: Option<String>,
    /// Every other field (outboundEmailAddress, directRouting, defaultScripts, ...), verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Queue {
    /// The body for a full-replace PUT of this queue: the object as read, minus the fields
    /// the server computes (counts, dates, authorship, self URI), which it ignores anyway.
    pub fn to_request(&self) -> Queue {
        Queue {
            date_created: None,
            date_modified: None,
            modified_by: None,
            created_by: None,
            member_count: None,
            user_member_count: None,
            joined_member_count: None,
            self_uri: None,
            ..self.clone()
        }
    }
}

/// `QueueMediaSettings`: settings per media type.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueMediaSettings {
    /// Voice.
    pub call: Option<MediaSettings>,
    /// Callbacks (callback-specific fields kept in `extra`).
    pub callback: Option<MediaSettings>,
    /// Chat.
    pub chat: Option<MediaSettings>,
    /// Email.
    pub email: Option<MediaSettings>,
    /// Messaging (message-specific fields kept in `extra`).
    pub message: Option<MediaSettings>,
    /// Media types switchboard does not know yet.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `MediaSettings` and the common part of its callback, email and message variants.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MediaSettings {
    /// Auto-answer.
    pub enable_auto_answer: Option<bool>,
    /// Seconds an offer alerts before it is re-routed.
    pub alerting_timeout_seconds: Option<i64>,
    /// Service level target.
    pub service_level: Option<ServiceLevel>,
    /// Alert tone for auto-answered interactions.
    pub auto_answer_alert_tone_seconds: Option<f64>,
    /// Alert tone for manually answered interactions.
    pub manual_answer_alert_tone_seconds: Option<f64>,
    /// Variant-specific fields (callback mode, message sub-types, ...).
    #[serde(flatten)]
    pub extra: Extra,
}

/// `ServiceLevel`: the share of interactions to answer within a duration.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceLevel {
    /// Share in 0..=1.
    pub percentage: Option<f64>,
    /// Target in milliseconds.
    pub duration_ms: Option<i64>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `AcwSettings`: after-call work.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AcwSettings {
    /// `MANDATORY`, `OPTIONAL`, `MANDATORY_TIMEOUT`, `MANDATORY_FORCED_TIMEOUT` or `AGENT_REQUESTED`.
    pub wrapup_prompt: Option<String>,
    /// Timeout, 1 s to 60 min.
    pub timeout_ms: Option<i64>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `RoutingRule`: a Preferred Agent Routing rule.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoutingRule {
    /// `MEETS_THRESHOLD` or `ANY`.
    pub operator: Option<String>,
    /// Agent score threshold.
    pub threshold: Option<i64>,
    /// Seconds to wait for the rule.
    pub wait_seconds: Option<f64>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `Bullseye`: the rings routing expands through.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bullseye {
    /// Rings, innermost first; the last is the default ring.
    pub rings: Option<Vec<Ring>>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `Ring`: one bullseye ring.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ring {
    /// When to expand past this ring.
    pub expansion_criteria: Option<Vec<ExpansionCriterium>>,
    /// What to do on expansion.
    pub actions: Option<RingActions>,
    /// Groups added at this ring.
    pub member_groups: Option<Vec<MemberGroup>>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `ExpansionCriterium`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExpansionCriterium {
    /// `TIMEOUT_SECONDS`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Seconds.
    pub threshold: Option<f64>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `Actions` of a ring.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RingActions {
    /// Skills dropped from the requirement on expansion.
    pub skills_to_remove: Option<Vec<EntityRef>>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `ConditionalGroupRouting`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConditionalGroupRouting {
    /// Rules in order.
    pub rules: Option<Vec<ConditionalGroupRoutingRule>>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `ConditionalGroupRoutingRule`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConditionalGroupRoutingRule {
    /// Queue whose metric is evaluated.
    pub queue: Option<EntityRef>,
    /// `EstimatedWaitTime` or `ServiceLevel`.
    pub metric: Option<String>,
    /// `GreaterThan`, `GreaterThanOrEqualTo`, `LessThan` or `LessThanOrEqualTo`.
    pub operator: Option<String>,
    /// Threshold.
    pub condition_value: Option<f64>,
    /// Groups activated.
    pub groups: Option<Vec<MemberGroup>>,
    /// Seconds to wait.
    pub wait_seconds: Option<i64>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `MemberGroup`: a team, group or skill group.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberGroup {
    /// Group id.
    pub id: Option<String>,
    /// Group name.
    pub name: Option<String>,
    /// Division.
    pub division: Option<EntityRef>,
    /// `TEAM`, `GROUP` or `SKILLGROUP`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Members.
    pub member_count: Option<i64>,
    /// API path.
    pub self_uri: Option<String>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Filters for the queue listing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueFilter {
    /// Exact name, or with leading/trailing `*`.
    pub name: Option<String>,
    /// Only these ids.
    pub ids: Vec<String>,
    /// Only these divisions.
    pub division_ids: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_fields_survive_a_round_trip_at_every_level() {
        let wire = json!({
            "id": "q1", "name": "Billing EN",
            "outboundEmailAddress": {"domain": {"id": "d"}, "route": {"id": "r"}},
            "mediaSettings": {
                "call": {"alertingTimeoutSeconds": 8, "serviceLevel": {"percentage": 0.8, "durationMs": 20000}},
                "callback": {"mode": "AgentFirst", "enableAutoDialAndEnd": true},
                "futureMedia": {"x": 1}
            },
            "bullseye": {"rings": [{"expansionCriteria": [{"type": "TIMEOUT_SECONDS", "threshold": 15.0}], "futureRingField": [1]}]},
            "memberCount": 4
        });
        let queue: Queue = serde_json::from_value(wire.clone()).unwrap();
        assert_eq!(queue.extra.len(), 1);
        let back = serde_json::to_value(&queue).unwrap();
        assert_eq!(back, wire);
        let request = serde_json::to_value(queue.to_request()).unwrap();
        assert!(request.get("memberCount").is_none());
        assert_eq!(
            request["outboundEmailAddress"],
            wire["outboundEmailAddress"]
        );
        assert_eq!(request["mediaSettings"]["callback"]["mode"], "AgentFirst");
    }
}
