//! The operations switchboard uses, one module per resource. Each module has pure
//! builders (an operation and its parameters in, an [`ApiRequest`](crate::ApiRequest) out)
//! and typed methods on [`Client`](crate::Client) that send them.
//!
//! Every path, parameter, body and limit here is in `openapi-routing.json` or API-FACTS;
//! page sizes follow what the vendor's Terraform provider uses in production (API-FACTS §2).

pub mod audits;
pub mod divisions;
pub mod languages;
pub mod members;
pub mod notifications;
pub mod organization;
pub mod queue_wrapup_codes;
pub mod queues;
pub mod skills;
pub mod user_routing;
pub mod users;
pub mod utilization;
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
    languages::LIST,
    languages::CREATE,
    languages::GET,
    languages::DELETE,
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
    queue_wrapup_codes::LIST,
    queue_wrapup_codes::ADD,
    queue_wrapup_codes::DELETE,
    queues::LIST,
    queues::CREATE,
    queues::GET,
    queues::UPDATE,
    queues::DELETE,
    skills::LIST,
    skills::CREATE,
    skills::GET,
    skills::SET_DIVISION,
    skills::DELETE,
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
    utilization::GET_ORG,
    utilization::PUT_ORG,
    utilization::RESET_ORG,
    utilization::GET_USER,
    utilization::PUT_USER,
    utilization::RESET_USER,
    wrapup_codes::LIST,
    wrapup_codes::CREATE,
    wrapup_codes::GET,
    wrapup_codes::UPDATE,
    wrapup_codes::DELETE,
];

/// Shorthand for an operation constant.
const fn op(
    method: Method,
    template: &'static str,
    permissions: &'static [&'static str],
) -> Endpoint {
    Endpoint {
        method,
        template,
        permissions,
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

/// `[{"id": ...}]` bodies from ids.
fn id_refs(ids: &[String]) -> Vec<crate::models::IdRef> {
    ids.iter().map(crate::models::IdRef::new).collect()
}
