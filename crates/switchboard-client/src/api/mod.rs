//! The operations switchboard uses, one module per resource. Each module has pure
//! builders (an operation and its parameters in, an [`ApiRequest`](crate::ApiRequest) out)
//! and typed methods on [`Client`](crate::Client) that send them.
//!
//! Every path, parameter, body and limit here is in `openapi.json` or API-FACTS;
//! page sizes follow what the vendor's Terraform provider uses in production (API-FACTS §2).

pub mod audits;
pub mod divisions;
pub mod email_domains;
pub mod flows;
pub mod groups;
pub mod languages;
pub mod libraries;
pub mod members;
pub mod message_recipients;
pub mod notifications;
pub mod organization;
pub mod prompts;
pub mod queue_wrapup_codes;
pub mod queues;
pub mod routing_settings;
pub mod scripts;
pub mod skill_groups;
pub mod skills;
pub mod sms_numbers;
pub mod teams;
pub mod telephony;
pub mod user_routing;
pub mod users;
pub mod utilization;
pub mod utilization_labels;
pub mod wrapup_codes;

use crate::request::{Endpoint, Method};

/// Every operation the client can send, for checks against the API description.
pub const ALL_ENDPOINTS: &[Endpoint] = &[
    audits::REALTIME,
    audits::SUBMIT,
    audits::STATUS,
    audits::RESULTS,
    divisions::LIST,
    divisions::HOME,
    divisions::GET,
    divisions::MOVE_OBJECTS,
    email_domains::LIST_DOMAINS,
    email_domains::LIST_ROUTES,
    flows::LIST,
    groups::LIST,
    groups::GET,
    groups::SEARCH,
    languages::LIST,
    languages::CREATE,
    languages::GET,
    languages::DELETE,
    libraries::LIST,
    message_recipients::LIST,
    members::LIST,
    members::ADD_OR_REMOVE,
    members::SET_JOINED,
    members::UPDATE,
    members::DELETE,
    notifications::CREATE_CHANNEL,
    notifications::LIST_CHANNELS,
    notifications::LIST_SUBSCRIPTIONS,
    notifications::REPLACE_SUBSCRIPTIONS,
    notifications::ADD_SUBSCRIPTIONS,
    notifications::CLEAR_SUBSCRIPTIONS,
    organization::ORGANIZATION,
    organization::TOKEN,
    prompts::LIST,
    queue_wrapup_codes::LIST,
    queue_wrapup_codes::ADD,
    queue_wrapup_codes::DELETE,
    queues::LIST,
    queues::CREATE,
    queues::GET,
    queues::UPDATE,
    queues::DELETE,
    scripts::LIST,
    skill_groups::LIST,
    skill_groups::CREATE,
    skill_groups::GET,
    skill_groups::UPDATE,
    skill_groups::DELETE,
    skill_groups::LIST_MEMBERS,
    skill_groups::LIST_MEMBER_DIVISIONS,
    skill_groups::CHANGE_MEMBER_DIVISIONS,
    skills::LIST,
    skills::CREATE,
    skills::GET,
    skills::SET_DIVISION,
    skills::DELETE,
    sms_numbers::LIST,
    teams::LIST,
    teams::GET,
    teams::SEARCH,
    telephony::LIST_EDGE_GROUPS,
    telephony::LIST_SITES,
    user_routing::LIST_SKILLS,
    user_routing::ADD_SKILL,
    user_routing::REPLACE_SKILLS,
    user_routing::PATCH_SKILLS,
    user_routing::UPDATE_SKILL,
    user_routing::REMOVE_SKILL,
    user_routing::LIST_LANGUAGES,
    user_routing::ADD_LANGUAGE,
    user_routing::PATCH_LANGUAGES,
    user_routing::UPDATE_LANGUAGE,
    user_routing::REMOVE_LANGUAGE,
    users::LIST,
    users::GET,
    users::SEARCH,
    routing_settings::GET,
    routing_settings::PUT,
    routing_settings::RESET,
    routing_settings::GET_CONTACT_CENTER,
    routing_settings::PATCH_CONTACT_CENTER,
    routing_settings::GET_TRANSCRIPTION,
    routing_settings::PUT_TRANSCRIPTION,
    utilization::GET_ORG,
    utilization::PUT_ORG,
    utilization::RESET_ORG,
    utilization::GET_USER,
    utilization::PUT_USER,
    utilization::RESET_USER,
    utilization_labels::LIST,
    utilization_labels::CREATE,
    utilization_labels::GET,
    utilization_labels::RENAME,
    utilization_labels::DELETE,
    utilization_labels::AGENTS,
    wrapup_codes::LIST,
    wrapup_codes::CREATE,
    wrapup_codes::GET,
    wrapup_codes::UPDATE,
    wrapup_codes::DELETE,
];

/// Shorthand for an operation constant whose OAuth scopes are not recorded.
const fn op(
    method: Method,
    template: &'static str,
    permissions: &'static [&'static str],
) -> Endpoint {
    scoped(method, template, permissions, &[])
}

/// Shorthand for an operation constant with its permissions and OAuth scopes, both as the
/// API description lists them (`x-inin-requires-permissions`, `security`).
const fn scoped(
    method: Method,
    template: &'static str,
    permissions: &'static [&'static str],
    scopes: &'static [&'static str],
) -> Endpoint {
    Endpoint {
        method,
        template,
        permissions,
        scopes,
    }
}

impl crate::Client {
    /// Sends one request per `limit` items, in order, for the bulk operations' caps; the
    /// answers' bodies are not needed.
    async fn send_in_chunks<T>(
        &self,
        items: &[T],
        limit: usize,
        build: impl Fn(&[T]) -> crate::ApiRequest,
    ) -> Result<(), crate::Error> {
        for chunk in items.chunks(limit.max(1)) {
            self.execute_empty(build(chunk)).await?;
        }
        Ok(())
    }
}

/// `values` without repeats, in their first order: a value asked twice in one look-up would
/// have its answer come back twice, which a listing reads as a repeat.
pub(crate) fn distinct(values: &[String]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    values
        .iter()
        .filter(|value| seen.insert(value.as_str()))
        .cloned()
        .collect()
}

/// `[{"id": ...}]` bodies from ids.
fn id_refs(ids: &[String]) -> Vec<crate::models::IdRef> {
    ids.iter().map(crate::models::IdRef::new).collect()
}
