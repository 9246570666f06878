use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Mode;

/// A queue and everything about it that a routing administrator manages. Every setting
/// left out is unmanaged: switchboard neither reads it into the plan nor changes it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Queue {
    /// Queue name, unique in the org.
    #[schemars(length(min = 1, max = 255))]
    pub name: String,
    /// Former names: a queue found under one of them is renamed (an update, never a delete
    /// and a create).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub renamed_from: Vec<String>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Division, by name (must be in `scope.divisions`). When absent, a new object goes to
    /// the home division and an existing one stays where it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub division: Option<String>,
    /// Settings per media type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_settings: Option<QueueMediaSettings>,
    /// After-call work.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acw_settings: Option<AcwSettings>,
    /// How agents' skills are evaluated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skill_evaluation_method: Option<SkillEvaluationMethod>,
    /// Preferred Agent Routing rules (at most 6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 6))]
    pub routing_rules: Option<Vec<RoutingRule>>,
    /// Bullseye rings, innermost first; the last is the default ring.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bullseye: Option<Bullseye>,
    /// Conditional group routing: groups activated when a queue's metric crosses a threshold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditional_group_routing: Option<ConditionalGroupRouting>,
    /// How waiting interactions are ordered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scoring_method: Option<ScoringMethod>,
    /// Routing to the last agent who handled the customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_agent_routing_mode: Option<LastAgentRoutingMode>,
    /// Play the whisper prompt only on auto-answered calls, instead of on every ACD call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_answer_only: Option<bool>,
    /// Whether voice transcription is enabled for the queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_transcription: Option<bool>,
    /// Whether audio monitoring is enabled for the queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_audio_monitoring: Option<bool>,
    /// Whether manual assignment of interactions is enabled for the queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_manual_assignment: Option<bool>,
    /// Whether recording of calls while they wait in the queue is suppressed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suppress_in_queue_call_recording: Option<bool>,
    /// The caller name shown on outbound calls from the queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calling_party_name: Option<String>,
    /// The caller number shown on outbound calls from the queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calling_party_number: Option<String>,
    /// The in-queue flow for calls waiting in the queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue_flow: Option<ObjectRef>,
    /// The in-queue flow for emails waiting in the queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_in_queue_flow: Option<ObjectRef>,
    /// The in-queue flow for messages waiting in the queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_in_queue_flow: Option<ObjectRef>,
    /// The prompt used for whisper on the queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whisper_prompt: Option<ObjectRef>,
    /// The audio played while calls from the queue are on hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_hold_prompt: Option<ObjectRef>,
    /// The script agents see by default, per communication type, each by name or by id. The
    /// types given are set; a type left out is left as the org has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_scripts: Option<DefaultScripts>,
    /// The language media default to on this queue, as a canonical language code (`en-US`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"))]
    // LANGUAGE_CODE_PATTERN
    pub default_media_language: Option<String>,
    /// The id of the queue in an external (peer) system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub peer_id: Option<String>,
    /// Direct routing: interactions addressed to one agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct_routing: Option<DirectRouting>,
    /// Agent-owned callbacks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_owned_routing: Option<AgentOwnedRouting>,
    /// Conditional group activation: groups of agents activated while conditions on queue
    /// metrics hold (the successor of conditional group routing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditional_group_activation: Option<ConditionalGroupActivation>,
    /// The canned-response libraries agents on this queue can use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canned_response_libraries: Option<CannedResponseLibraries>,
    /// The address outbound emails from the queue are sent from, written as an address
    /// (`billing@support.example.com`): the inbound route of that pattern in that email
    /// domain, both looked up in the org.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[^@\s]+@[^@\s]+$"))] // EMAIL_ADDRESS_PATTERN
    pub outbound_email_address: Option<String>,
    /// The addresses outbound messages from the queue are sent from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbound_messaging_addresses: Option<OutboundMessagingAddresses>,
    /// The queue's wrap-up codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wrapup_codes: Option<QueueWrapupCodes>,
    /// Groups whose agents are the queue's members (directory groups, teams, skill groups):
    /// the queue's `memberGroups`. Their agents join and leave the queue as the groups change;
    /// they are not listed under `members`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_groups: Option<QueueMemberGroups>,
    /// The queue's members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<Members>,
    /// How member weights are distributed (see `members.users[].weight`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution: Option<Distribution>,
    /// Skills the queue's active, joined members must keep holding after a change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Coverage>,
}

/// A queue's default scripts per communication type (`QueueRequest.defaultScripts`, a map of
/// communication type to `Script`; the types are those the vendor's provider writes:
/// `CALL`, `CALLBACK`, `CHAT`, `COBROWSE`, `EMAIL`, `MESSAGE`, `SOCIAL_EXPRESSION`, `VIDEO`,
/// `SCREENSHARE`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "SCREAMING_SNAKE_CASE")]
pub struct DefaultScripts {
    /// Calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<ObjectRef>,
    /// Callbacks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback: Option<ObjectRef>,
    /// Chats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat: Option<ObjectRef>,
    /// Co-browse sessions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cobrowse: Option<ObjectRef>,
    /// Emails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<ObjectRef>,
    /// Messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<ObjectRef>,
    /// Social expressions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub social_expression: Option<ObjectRef>,
    /// Video.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<ObjectRef>,
    /// Screen shares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screenshare: Option<ObjectRef>,
}

impl DefaultScripts {
    /// Every communication type with its script, as the API spells the type.
    pub fn entries(&self) -> [(&'static str, &Option<ObjectRef>); 9] {
        [
            ("CALL", &self.call),
            ("CALLBACK", &self.callback),
            ("CHAT", &self.chat),
            ("COBROWSE", &self.cobrowse),
            ("EMAIL", &self.email),
            ("MESSAGE", &self.message),
            ("SOCIAL_EXPRESSION", &self.social_expression),
            ("VIDEO", &self.video),
            ("SCREENSHARE", &self.screenshare),
        ]
    }

    /// [`DefaultScripts::entries`], mutable.
    pub fn entries_mut(&mut self) -> [(&'static str, &mut Option<ObjectRef>); 9] {
        [
            ("CALL", &mut self.call),
            ("CALLBACK", &mut self.callback),
            ("CHAT", &mut self.chat),
            ("COBROWSE", &mut self.cobrowse),
            ("EMAIL", &mut self.email),
            ("MESSAGE", &mut self.message),
            ("SOCIAL_EXPRESSION", &mut self.social_expression),
            ("VIDEO", &mut self.video),
            ("SCREENSHARE", &mut self.screenshare),
        ]
    }
}

/// A flow or prompt, by name or by id (exactly one). A name is looked up in the org at plan
/// time (flows among those of the field's type), so the same manifest works in every org.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ObjectRef {
    /// Name of the flow or prompt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Id of the flow or prompt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// Settings per media type.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct QueueMediaSettings {
    /// Voice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<MediaSettings>,
    /// Callbacks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback: Option<CallbackMediaSettings>,
    /// Chat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat: Option<MediaSettings>,
    /// Email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<EmailMediaSettings>,
    /// Messaging.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<MessageMediaSettings>,
}

/// Settings of one media type.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MediaSettings {
    /// Seconds an offer alerts before it goes to another agent (at least 7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 7, max = 86400))]
    pub alerting_timeout_seconds: Option<u32>,
    /// Service level target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_level: Option<ServiceLevel>,
    /// Answer automatically.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_auto_answer: Option<bool>,
    /// Alert tone length for auto-answered interactions, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 60.0))]
    pub auto_answer_alert_tone_seconds: Option<f64>,
    /// Alert tone length for manually answered interactions, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 60.0))]
    pub manual_answer_alert_tone_seconds: Option<f64>,
}

/// Settings of emails: the fields of [`MediaSettings`], plus the addresses agents may send
/// from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EmailMediaSettings {
    /// Seconds an offer alerts before it goes to another agent (at least 7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 7, max = 86400))]
    pub alerting_timeout_seconds: Option<u32>,
    /// Service level target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_level: Option<ServiceLevel>,
    /// Answer automatically.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_auto_answer: Option<bool>,
    /// Alert tone length for auto-answered interactions, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 60.0))]
    pub auto_answer_alert_tone_seconds: Option<f64>,
    /// Alert tone length for manually answered interactions, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 60.0))]
    pub manual_answer_alert_tone_seconds: Option<f64>,
    /// Every address agents may send outbound emails from, each written as an address
    /// (`billing@support.example.com`: an inbound route of that pattern in that email domain).
    /// Compared as a set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all_outbound_email_addresses: Option<Vec<String>>,
}

/// Settings of messages: the fields of [`MediaSettings`], plus settings per message sub-type
/// and the inactivity timeout.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MessageMediaSettings {
    /// Seconds an offer alerts before it goes to another agent (at least 7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 7, max = 86400))]
    pub alerting_timeout_seconds: Option<u32>,
    /// Service level target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_level: Option<ServiceLevel>,
    /// Answer automatically.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_auto_answer: Option<bool>,
    /// Alert tone length for auto-answered interactions, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 60.0))]
    pub auto_answer_alert_tone_seconds: Option<f64>,
    /// Alert tone length for manually answered interactions, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 60.0))]
    pub manual_answer_alert_tone_seconds: Option<f64>,
    /// Settings per message sub-type (`webmessaging`, `whatsapp`, `sms`, `open`, ...): a map
    /// keyed by sub-type, so the order never makes a difference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_type_settings: Option<BTreeMap<String, MessageSubTypeSettings>>,
    /// Whether the inactivity timeout is enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_inactivity_timeout: Option<bool>,
    /// What happens when a message interaction is inactive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inactivity_timeout_settings: Option<InactivityTimeoutSettings>,
}

/// Settings of one message sub-type; they take precedence over the message settings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MessageSubTypeSettings {
    /// Answer automatically.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_auto_answer: Option<bool>,
    /// Whether the inactivity timeout is enabled for the sub-type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_inactivity_timeout: Option<bool>,
}

/// The inactivity timeout of message interactions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct InactivityTimeoutSettings {
    /// Seconds of inactivity before the action is taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub timeout_seconds: Option<u32>,
    /// What happens: `DISCONNECT`, or `SEND_TO_ARCHITECT_FLOW` (to `flow`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_type: Option<InactivityAction>,
    /// The inbound message flow interactions are sent to, by name or id (the API's `flowId`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow: Option<ObjectRef>,
}

/// What an inactivity timeout does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum InactivityAction {
    /// End the interaction.
    Disconnect,
    /// Send the interaction to an Architect flow.
    SendToArchitectFlow,
}

/// Settings of callbacks: the fields of [`MediaSettings`], plus who is connected first and
/// automatic dialling.
// It repeats `MediaSettings`' fields, as the API's `CallbackMediaSettings` does: serde cannot
// flatten a struct into one that refuses unknown keys.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CallbackMediaSettings {
    /// Seconds an offer alerts before it goes to another agent (at least 7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 7, max = 86400))]
    pub alerting_timeout_seconds: Option<u32>,
    /// Service level target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_level: Option<ServiceLevel>,
    /// Answer automatically.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_auto_answer: Option<bool>,
    /// Alert tone length for auto-answered callbacks, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 60.0))]
    pub auto_answer_alert_tone_seconds: Option<f64>,
    /// Alert tone length for manually answered callbacks, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 60.0))]
    pub manual_answer_alert_tone_seconds: Option<f64>,
    /// Whether the agent or the customer is connected first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<CallbackMode>,
    /// Dial and end callbacks automatically.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_auto_dial_and_end: Option<bool>,
    /// Seconds before an automatic dial.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 1200))]
    pub auto_dial_delay_seconds: Option<u32>,
    /// Seconds before an automatic end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 1200))]
    pub auto_end_delay_seconds: Option<u32>,
    /// Customer-first callbacks: scales how many outbound calls are placed at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1.0))]
    pub pacing_modifier: Option<f64>,
    /// Customer-first callbacks: how many times an unanswered callback is retried (0 to 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 20))]
    pub max_retry_count: Option<u32>,
    /// Customer-first callbacks: seconds between retries (60 to 86400).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 60, max = 86400))]
    pub retry_delay_seconds: Option<u32>,
    /// Customer-first callbacks: what happens when a live voice answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live_voice_reaction_type: Option<CallbackReaction>,
    /// The inbound call flow a live voice is transferred to (`TransferToFlow`), by name or id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live_voice_flow: Option<ObjectRef>,
    /// Customer-first callbacks: what happens when an answering machine answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answering_machine_reaction_type: Option<CallbackReaction>,
    /// The inbound call flow an answering machine is transferred to (`TransferToFlow`), by
    /// name or id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answering_machine_flow: Option<ObjectRef>,
    /// The edge group that places the calls instead of the default one, by name or id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edge_group: Option<ObjectRef>,
    /// The site that places the calls (in place of an edge group), by name or id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<ObjectRef>,
}

/// What a customer-first callback does when its outbound call is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum CallbackReaction {
    /// Hang up.
    HangUp,
    /// Transfer the call to the queue.
    TransferToQueue,
    /// Transfer the call to the reaction's flow.
    TransferToFlow,
}

/// Direct routing: interactions addressed to one agent, with a backup when the agent does
/// not answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DirectRouting {
    /// Calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_media_settings: Option<DirectRoutingMedia>,
    /// Emails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_media_settings: Option<DirectRoutingMedia>,
    /// Messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_media_settings: Option<DirectRoutingMedia>,
    /// The queue used as the backup when an agent has no backup of their own, by name (the
    /// API's `backupQueueId`); this queue when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub backup_queue: Option<String>,
    /// Whether interactions wait for the agent, or go straight to the backup.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_for_agent: Option<bool>,
    /// Seconds an interaction waits for the agent before the backup (60 to 864000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 60, max = 864000))]
    pub agent_wait_seconds: Option<u32>,
}

/// Direct routing of one media type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DirectRoutingMedia {
    /// Whether outbound interactions use the agent's own address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_agent_address_outbound: Option<bool>,
}

/// Agent-owned callbacks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AgentOwnedRouting {
    /// Whether agents can own callbacks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_agent_owned_callbacks: Option<bool>,
    /// Hours a callback can stay owned (1 to 168).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 168))]
    pub max_owned_callback_hours: Option<u32>,
    /// Hours into the future a callback can be scheduled (1 to 720).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 720))]
    pub max_owned_callback_delay_hours: Option<u32>,
}

/// Conditional group activation: a pilot rule and rules, each a set of conditions on queue
/// metrics combined by an expression.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ConditionalGroupActivation {
    /// The rule that decides whether the rules are evaluated at all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pilot_rule: Option<ActivationPilotRule>,
    /// The rules, each activating its groups while its conditions hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<Vec<ActivationRule>>,
}

/// The pilot rule of conditional group activation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ActivationPilotRule {
    /// The conditions, referred to in `conditionExpression` as `C1`, `C2`, ... in order.
    #[serde(default)]
    pub conditions: Vec<ActivationCondition>,
    /// How the conditions combine, e.g. `C1 and (C2 or C3)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition_expression: Option<String>,
}

/// A rule of conditional group activation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ActivationRule {
    /// The conditions, referred to in `conditionExpression` as `C1`, `C2`, ... in order.
    #[serde(default)]
    pub conditions: Vec<ActivationCondition>,
    /// How the conditions combine, e.g. `C1 and C2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition_expression: Option<String>,
    /// The groups of agents activated while the rule holds, by name and type.
    #[serde(default)]
    pub groups: Vec<MemberGroup>,
}

/// A condition of conditional group activation: a queue metric compared with a value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ActivationCondition {
    /// The metric and the queue it is measured on.
    pub simple_metric: ActivationMetric,
    /// How the metric compares with `value`.
    pub operator: ActivationOperator,
    /// The threshold.
    pub value: f64,
}

/// A queue metric of conditional group activation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ActivationMetric {
    /// `EstimatedWaitTime`, `IdleAgentCount` or `ServiceLevel`.
    pub metric: ActivationMetricKind,
    /// The queue measured, by name; this queue when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub queue: Option<String>,
}

/// The queue metrics conditional group activation evaluates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ActivationMetricKind {
    /// Estimated wait time, in seconds.
    EstimatedWaitTime,
    /// Idle agents.
    IdleAgentCount,
    /// Service level, 0 to 1.
    ServiceLevel,
}

/// How a conditional group activation condition compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ActivationOperator {
    /// `>`.
    GreaterThan,
    /// `>=`.
    GreaterThanOrEqualTo,
    /// `<`.
    LessThan,
    /// `<=`.
    LessThanOrEqualTo,
    /// `=`.
    EqualTo,
    /// `!=`.
    NotEqualTo,
}

/// Which canned-response libraries a queue's agents can use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CannedResponseLibraries {
    /// `All` libraries, `SelectedOnly` those listed, or `None`.
    pub mode: LibraryMode,
    /// The libraries, by name (only with `SelectedOnly`; the API's `libraryIds`). Compared as
    /// a set.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub libraries: Vec<String>,
}

/// How a queue's canned-response libraries are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum LibraryMode {
    /// Every library.
    All,
    /// Only those listed.
    SelectedOnly,
    /// None.
    None,
}

/// The addresses a queue's outbound messages are sent from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OutboundMessagingAddresses {
    /// The SMS number, as the org lists it (E.164, `+13175550100`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub sms_address: Option<String>,
    /// The Open Messaging recipient (integration), by name or id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_messaging_recipient: Option<ObjectRef>,
    /// The WhatsApp recipient (integration), by name or id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whats_app_recipient: Option<ObjectRef>,
}

/// Who a callback connects first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum CallbackMode {
    /// The agent is connected first.
    AgentFirst,
    /// The customer is dialled first.
    CustomerFirst,
}

/// A service level target: `percentage` of interactions answered within `durationMs`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ServiceLevel {
    /// Share of interactions, 0 to 1 (0.8 is 80 %).
    #[schemars(range(min = 0.0, max = 1.0))]
    pub percentage: f64,
    /// Target answer time in milliseconds (at least 1000).
    #[schemars(range(min = 1000))]
    pub duration_ms: u64,
}

/// After-call work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AcwSettings {
    /// When agents must wrap up.
    pub wrapup_prompt: WrapupPrompt,
    /// Wrap-up timeout in milliseconds, 1 s to 60 min; for `MANDATORY_TIMEOUT`,
    /// `MANDATORY_FORCED_TIMEOUT` and `AGENT_REQUESTED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1000, max = 3_600_000))]
    pub timeout_ms: Option<u32>,
}

/// When agents must wrap up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WrapupPrompt {
    /// Always.
    Mandatory,
    /// Never required.
    Optional,
    /// Required, ended by a timeout.
    MandatoryTimeout,
    /// Required, forcibly ended by a timeout.
    MandatoryForcedTimeout,
    /// Only when the agent asks for time.
    AgentRequested,
}

impl WrapupPrompt {
    /// Whether `timeoutMs` means anything for this prompt.
    pub fn takes_timeout(self) -> bool {
        matches!(
            self,
            Self::MandatoryTimeout | Self::MandatoryForcedTimeout | Self::AgentRequested
        )
    }
}

/// How agents' skills are evaluated when an interaction is routed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SkillEvaluationMethod {
    /// Skills are not evaluated.
    None,
    /// The best-matching available agent.
    Best,
    /// Agents with all required skills.
    All,
}

/// How waiting interactions are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ScoringMethod {
    /// Waiting time and priority.
    TimestampAndPriority,
    /// Priority only.
    PriorityOnly,
}

/// Whether an interaction goes to the agent who last handled the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum LastAgentRoutingMode {
    /// Off.
    Disabled,
    /// Only if the last agent is a member of this queue.
    QueueMembersOnly,
    /// Any agent.
    AnyAgent,
}

/// A Preferred Agent Routing rule.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RoutingRule {
    /// Which preferred agents the rule matches.
    pub operator: RoutingRuleOperator,
    /// Agent score threshold, for `MEETS_THRESHOLD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<i32>,
    /// Seconds to wait in this rule before moving to the next, 2 to 259200.
    #[schemars(range(min = 2.0, max = 259200.0))]
    pub wait_seconds: f64,
}

/// Which preferred agents a Preferred Agent Routing rule matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RoutingRuleOperator {
    /// Agents whose score is at or above the rule's `threshold`.
    MeetsThreshold,
    /// Every preferred agent, whatever the score.
    Any,
}

/// Bullseye routing: rings widen the pool of agents over time.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Bullseye {
    /// 2 to 6 rings, innermost first. The last ring is the default ring and has no timeout.
    #[schemars(length(min = 2, max = 6))]
    pub rings: Vec<Ring>,
}

/// One bullseye ring.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Ring {
    /// Seconds before routing expands past this ring (0 to 259200); absent on the last ring.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 259200.0))]
    pub expansion_timeout_seconds: Option<f64>,
    /// Skills no longer required once routing expands past this ring, by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skills_to_remove: Vec<String>,
    /// Groups whose agents join the queue in this ring, by name and type. When given, these
    /// are the ring's groups exactly (`[]` removes them all); when absent, the ring's groups
    /// are left as they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_groups: Option<Vec<MemberGroup>>,
}

/// Conditional group routing rules, evaluated in order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ConditionalGroupRouting {
    /// The rules (1 to 5).
    #[schemars(length(min = 1, max = 5))]
    pub rules: Vec<ConditionalGroupRoutingRule>,
}

/// When `metric` of `queue` compares with `conditionValue`, activate `groups`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ConditionalGroupRoutingRule {
    /// The queue whose metric is evaluated, by name; this queue when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<String>,
    /// `EstimatedWaitTime` (seconds) or `ServiceLevel` (0 to 1).
    pub metric: GroupRoutingMetric,
    /// How the metric compares with `conditionValue`.
    pub operator: GroupRoutingOperator,
    /// The limit the metric is compared with: seconds for `EstimatedWaitTime`, 0 to 1 for
    /// `ServiceLevel`.
    #[schemars(range(min = 0.0))]
    pub condition_value: f64,
    /// Seconds to wait in this rule, when it is true, before the next rule is evaluated;
    /// ignored on the last rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 259200))]
    pub wait_seconds: Option<u32>,
    /// Groups of agents to activate.
    #[schemars(length(min = 1))]
    pub groups: Vec<MemberGroup>,
}

/// The queue metric a conditional group routing rule evaluates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum GroupRoutingMetric {
    /// Estimated wait time, in seconds.
    EstimatedWaitTime,
    /// Service level, 0 to 1.
    ServiceLevel,
}

/// How a conditional group routing rule's metric compares with its `conditionValue`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum GroupRoutingOperator {
    /// `>`.
    GreaterThan,
    /// `>=`.
    GreaterThanOrEqualTo,
    /// `<`.
    LessThan,
    /// `<=`.
    LessThanOrEqualTo,
}

/// A group of agents, by name and type: a directory group, a team or a skill group, looked up
/// by name in the org at plan time (so the same manifest works in every org). The `id` is
/// optional; when given, it must be the id of the object of that name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MemberGroup {
    /// The group's name.
    #[schemars(length(min = 1))]
    pub name: String,
    /// The group's id (optional: the name is looked up).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub id: Option<String>,
    /// The kind of group.
    #[serde(rename = "type")]
    pub kind: MemberGroupType,
}

/// The kind of a member group.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MemberGroupType {
    /// A team.
    Team,
    /// A directory group.
    #[default]
    Group,
    /// A skill group.
    Skillgroup,
}

/// A queue's member groups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct QueueMemberGroups {
    /// `authoritative` removes groups not listed; `additive` never removes; `ignore` leaves
    /// them alone (and must list none).
    pub mode: Mode,
    /// The groups, by name and type.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<MemberGroup>,
}

/// A queue's wrap-up codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct QueueWrapupCodes {
    /// `authoritative` removes codes not listed; `additive` never removes; `ignore` leaves
    /// them alone.
    pub mode: Mode,
    /// Wrap-up codes by name (declared under `wrapupCodes`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<String>,
}

/// A queue's members.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Members {
    /// `authoritative` removes members not listed; `additive` never removes; `ignore` leaves
    /// them alone (and must list none).
    pub mode: Mode,
    /// Members by email.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub users: Vec<Member>,
}

/// A queue member.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Member {
    /// The user's email.
    #[schemars(length(min = 3, max = 254))]
    pub user: String,
    /// Bullseye ring, 1 to 6 (at most the queue's ring count); ring 1 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 6))]
    pub ring: Option<u8>,
    /// Routing weight, 0 to 1, realised as a bullseye ring (not together with `ring`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub weight: Option<f64>,
}

/// A skill-coverage rule, checked on every plan that changes the queue's members or their
/// skills: each required skill must be held by at least `minAgents` active, joined members
/// at `minProficiency` or above.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Coverage {
    /// Skills by name (declared under `skills`).
    #[schemars(length(min = 1))]
    pub required_skills: Vec<String>,
    /// The lowest proficiency that counts, 0 to 5; 0 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 5.0))]
    pub min_proficiency: Option<f64>,
    /// How many members must hold each skill; 1 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub min_agents: Option<u32>,
    /// Refuse a change that leaves a skill short, instead of warning.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub enforce: bool,
}

impl Coverage {
    /// The lowest proficiency that counts.
    pub fn min_proficiency(&self) -> f64 {
        self.min_proficiency.unwrap_or(0.0)
    }

    /// How many members must hold each skill.
    pub fn min_agents(&self) -> u32 {
        self.min_agents.unwrap_or(1)
    }
}

/// How member weights are handled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Distribution {
    /// Rescale the queue's weights proportionally so they sum to 1, instead of refusing a
    /// sum above 1.
    #[serde(default)]
    pub normalize: bool,
    /// Target share of members' capacity in use, 0 to 1 (the capacity guard's input); 1
    /// when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub utilization_target: Option<f64>,
}
