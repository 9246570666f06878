//! The API's routes. Every `/api/v2` path here is in the spec (`openapi.json`), and
//! `/channels/{id}` is the notification WebSocket a channel's `connectUri` names. Anything else,
//! including a known path with a method it does not have (e.g. `PUT` on a skill, which the
//! real API has no operation for), is a 404 `not.found`.
// unverified: whether the real API answers a wrong method with 404 or 405 is not
// documented; 404 with the verified `not.found` body is used for both.

pub(crate) mod audits;
mod collection;
mod divisions;
mod email_domains;
mod flows;
mod groups;
mod libraries;
mod message_recipients;
pub(crate) mod notifications;
mod organization;
mod prompts;
mod queue_members;
mod queue_wrapup_codes;
mod queues;
mod routing_attributes;
mod routing_settings;
mod scripts;
mod skill_groups;
mod skills;
mod sms_numbers;
mod teams;
mod telephony;
mod tokens;
mod user_attributes;
mod users;
mod utilization;
mod utilization_labels;
mod wrapup_codes;

use std::sync::Arc;

use axum::Router;
use axum::routing::{delete, get, post};

use crate::context::SimContext;
use crate::gateway::not_found;
use crate::oauth;
use queues::Queues;
use routing_attributes::{Languages, Skills};
use skill_groups::SkillGroups;
use utilization_labels::UtilizationLabels;
use wrapup_codes::WrapupCodes;

/// Every `/api/v2` operation [`router`] serves, as `(method, spec path template)`: the roots
/// from which `wire/served-operations.json` is derived (see `crate::served_spec`).
/// Keep it in step with `router`.
#[cfg(test)]
#[rustfmt::skip]
pub(crate) const SERVED_OPERATIONS: &[(&str, &str)] = &[
    ("GET", "/api/v2/routing/queues"),
    ("POST", "/api/v2/routing/queues"),
    ("GET", "/api/v2/routing/queues/{queueId}"),
    ("PUT", "/api/v2/routing/queues/{queueId}"),
    ("DELETE", "/api/v2/routing/queues/{queueId}"),
    ("GET", "/api/v2/routing/queues/{queueId}/members"),
    ("POST", "/api/v2/routing/queues/{queueId}/members"),
    ("PATCH", "/api/v2/routing/queues/{queueId}/members"),
    ("PATCH", "/api/v2/routing/queues/{queueId}/members/{memberId}"),
    ("DELETE", "/api/v2/routing/queues/{queueId}/members/{memberId}"),
    ("GET", "/api/v2/routing/queues/{queueId}/users"),
    ("POST", "/api/v2/routing/queues/{queueId}/users"),
    ("PATCH", "/api/v2/routing/queues/{queueId}/users"),
    ("PATCH", "/api/v2/routing/queues/{queueId}/users/{memberId}"),
    ("DELETE", "/api/v2/routing/queues/{queueId}/users/{memberId}"),
    ("GET", "/api/v2/routing/queues/{queueId}/wrapupcodes"),
    ("POST", "/api/v2/routing/queues/{queueId}/wrapupcodes"),
    ("DELETE", "/api/v2/routing/queues/{queueId}/wrapupcodes/{codeId}"),
    ("GET", "/api/v2/routing/skills"),
    ("POST", "/api/v2/routing/skills"),
    ("GET", "/api/v2/routing/skills/{skillId}"),
    ("PATCH", "/api/v2/routing/skills/{skillId}"),
    ("DELETE", "/api/v2/routing/skills/{skillId}"),
    ("GET", "/api/v2/routing/languages"),
    ("POST", "/api/v2/routing/languages"),
    ("GET", "/api/v2/routing/languages/{languageId}"),
    ("DELETE", "/api/v2/routing/languages/{languageId}"),
    ("GET", "/api/v2/routing/wrapupcodes"),
    ("POST", "/api/v2/routing/wrapupcodes"),
    ("GET", "/api/v2/routing/wrapupcodes/{codeId}"),
    ("PUT", "/api/v2/routing/wrapupcodes/{codeId}"),
    ("DELETE", "/api/v2/routing/wrapupcodes/{codeId}"),
    ("GET", "/api/v2/routing/skillgroups"),
    ("POST", "/api/v2/routing/skillgroups"),
    ("GET", "/api/v2/routing/skillgroups/{skillGroupId}"),
    ("PATCH", "/api/v2/routing/skillgroups/{skillGroupId}"),
    ("DELETE", "/api/v2/routing/skillgroups/{skillGroupId}"),
    ("GET", "/api/v2/routing/skillgroups/{skillGroupId}/members"),
    ("GET", "/api/v2/routing/skillgroups/{skillGroupId}/members/divisions"),
    ("POST", "/api/v2/routing/skillgroups/{skillGroupId}/members/divisions"),
    ("GET", "/api/v2/flows"),
    ("GET", "/api/v2/architect/prompts"),
    ("GET", "/api/v2/architect/prompts/{promptId}"),
    ("GET", "/api/v2/scripts"),
    ("GET", "/api/v2/scripts/published"),
    ("GET", "/api/v2/groups"),
    ("GET", "/api/v2/groups/{groupId}"),
    ("POST", "/api/v2/groups/search"),
    ("GET", "/api/v2/teams"),
    ("GET", "/api/v2/teams/{teamId}"),
    ("POST", "/api/v2/teams/search"),
    ("GET", "/api/v2/responsemanagement/libraries"),
    ("GET", "/api/v2/routing/email/domains"),
    ("GET", "/api/v2/routing/email/domains/{domainName}/routes"),
    ("GET", "/api/v2/routing/sms/phonenumbers"),
    ("GET", "/api/v2/routing/message/recipients"),
    ("GET", "/api/v2/telephony/providers/edges/edgegroups"),
    ("GET", "/api/v2/telephony/providers/edges/sites"),
    ("GET", "/api/v2/users"),
    ("POST", "/api/v2/users/search"),
    ("GET", "/api/v2/users/{userId}"),
    ("GET", "/api/v2/users/{userId}/routingskills"),
    ("POST", "/api/v2/users/{userId}/routingskills"),
    ("PUT", "/api/v2/users/{userId}/routingskills/bulk"),
    ("PATCH", "/api/v2/users/{userId}/routingskills/bulk"),
    ("PUT", "/api/v2/users/{userId}/routingskills/{skillId}"),
    ("DELETE", "/api/v2/users/{userId}/routingskills/{skillId}"),
    ("GET", "/api/v2/users/{userId}/routinglanguages"),
    ("POST", "/api/v2/users/{userId}/routinglanguages"),
    ("PATCH", "/api/v2/users/{userId}/routinglanguages/bulk"),
    ("PATCH", "/api/v2/users/{userId}/routinglanguages/{languageId}"),
    ("DELETE", "/api/v2/users/{userId}/routinglanguages/{languageId}"),
    ("GET", "/api/v2/routing/settings"),
    ("PUT", "/api/v2/routing/settings"),
    ("DELETE", "/api/v2/routing/settings"),
    ("GET", "/api/v2/routing/settings/contactcenter"),
    ("PATCH", "/api/v2/routing/settings/contactcenter"),
    ("GET", "/api/v2/routing/settings/transcription"),
    ("PUT", "/api/v2/routing/settings/transcription"),
    ("GET", "/api/v2/routing/utilization"),
    ("PUT", "/api/v2/routing/utilization"),
    ("DELETE", "/api/v2/routing/utilization"),
    ("GET", "/api/v2/routing/users/{userId}/utilization"),
    ("PUT", "/api/v2/routing/users/{userId}/utilization"),
    ("DELETE", "/api/v2/routing/users/{userId}/utilization"),
    ("GET", "/api/v2/routing/utilization/labels"),
    ("POST", "/api/v2/routing/utilization/labels"),
    ("GET", "/api/v2/routing/utilization/labels/{labelId}"),
    ("PUT", "/api/v2/routing/utilization/labels/{labelId}"),
    ("DELETE", "/api/v2/routing/utilization/labels/{labelId}"),
    ("GET", "/api/v2/routing/utilization/labels/{labelId}/agents"),
    ("GET", "/api/v2/organizations/me"),
    ("GET", "/api/v2/tokens/me"),
    ("DELETE", "/api/v2/tokens/me"),
    ("HEAD", "/api/v2/tokens/me"),
    ("GET", "/api/v2/authorization/divisions"),
    ("GET", "/api/v2/authorization/divisions/home"),
    ("GET", "/api/v2/authorization/divisions/{divisionId}"),
    ("POST", "/api/v2/authorization/divisions/{divisionId}/objects/{objectType}"),
    ("POST", "/api/v2/audits/query"),
    ("POST", "/api/v2/audits/query/realtime"),
    ("GET", "/api/v2/audits/query/servicemapping"),
    ("GET", "/api/v2/audits/query/realtime/servicemapping"),
    ("GET", "/api/v2/audits/query/{transactionId}"),
    ("GET", "/api/v2/audits/query/{transactionId}/results"),
    ("GET", "/api/v2/notifications/channels"),
    ("POST", "/api/v2/notifications/channels"),
    ("HEAD", "/api/v2/notifications/channels/{channelId}"),
    ("GET", "/api/v2/notifications/channels/{channelId}/subscriptions"),
    ("PUT", "/api/v2/notifications/channels/{channelId}/subscriptions"),
    ("POST", "/api/v2/notifications/channels/{channelId}/subscriptions"),
    ("DELETE", "/api/v2/notifications/channels/{channelId}/subscriptions"),
];

/// The router of every endpoint the simulator serves.
pub(crate) fn router(ctx: Arc<SimContext>) -> Router {
    Router::new()
        .route("/oauth/token", post(oauth::token))
        // Queues.
        .route(
            "/api/v2/routing/queues",
            get(queues::list).post(collection::create::<Queues>),
        )
        .route(
            "/api/v2/routing/queues/{queue_id}",
            get(collection::get_one::<Queues>)
                .put(collection::replace::<Queues>)
                .delete(collection::remove::<Queues>),
        )
        .route(
            "/api/v2/routing/queues/{queue_id}/members",
            get(queue_members::list)
                .post(queue_members::add_or_remove)
                .patch(queue_members::join_many),
        )
        .route(
            "/api/v2/routing/queues/{queue_id}/members/{member_id}",
            axum::routing::patch(queue_members::update_one).delete(queue_members::remove_one),
        )
        .route(
            "/api/v2/routing/queues/{queue_id}/users",
            get(queue_members::list)
                .post(queue_members::add_or_remove)
                .patch(queue_members::join_many),
        )
        .route(
            "/api/v2/routing/queues/{queue_id}/users/{member_id}",
            axum::routing::patch(queue_members::update_one).delete(queue_members::remove_one),
        )
        .route(
            "/api/v2/routing/queues/{queue_id}/wrapupcodes",
            get(queue_wrapup_codes::list).post(queue_wrapup_codes::add),
        )
        .route(
            "/api/v2/routing/queues/{queue_id}/wrapupcodes/{code_id}",
            delete(queue_wrapup_codes::remove),
        )
        // Skills, languages, wrap-up codes.
        .route(
            "/api/v2/routing/skills",
            get(routing_attributes::list::<Skills>).post(collection::create::<Skills>),
        )
        .route(
            "/api/v2/routing/skills/{skill_id}",
            get(collection::get_one::<Skills>)
                .patch(skills::set_division)
                .delete(collection::remove::<Skills>),
        )
        .route(
            "/api/v2/routing/languages",
            get(routing_attributes::list::<Languages>).post(collection::create::<Languages>),
        )
        .route(
            "/api/v2/routing/languages/{language_id}",
            get(collection::get_one::<Languages>).delete(collection::remove::<Languages>),
        )
        .route(
            "/api/v2/routing/wrapupcodes",
            get(wrapup_codes::list).post(collection::create::<WrapupCodes>),
        )
        .route(
            "/api/v2/routing/wrapupcodes/{code_id}",
            get(collection::get_one::<WrapupCodes>)
                .put(collection::replace::<WrapupCodes>)
                .delete(collection::remove::<WrapupCodes>),
        )
        // Skill groups.
        .route(
            "/api/v2/routing/skillgroups",
            get(skill_groups::list).post(skill_groups::create),
        )
        .route(
            "/api/v2/routing/skillgroups/{skill_group_id}",
            get(collection::get_one::<SkillGroups>)
                .patch(skill_groups::patch)
                .delete(collection::remove::<SkillGroups>),
        )
        .route(
            "/api/v2/routing/skillgroups/{skill_group_id}/members",
            get(skill_groups::members),
        )
        .route(
            "/api/v2/routing/skillgroups/{skill_group_id}/members/divisions",
            get(skill_groups::member_divisions).post(skill_groups::change_member_divisions),
        )
        // What a queue references: flows, prompts, scripts, groups, teams.
        .route("/api/v2/flows", get(flows::list))
        .route("/api/v2/architect/prompts", get(prompts::list))
        .route(
            "/api/v2/architect/prompts/{prompt_id}",
            get(prompts::get_one),
        )
        .route("/api/v2/scripts", get(scripts::list))
        .route("/api/v2/scripts/published", get(scripts::list_published))
        .route("/api/v2/groups", get(groups::list))
        .route("/api/v2/groups/search", post(groups::search))
        .route("/api/v2/groups/{group_id}", get(groups::get_one))
        .route("/api/v2/teams", get(teams::list))
        .route("/api/v2/teams/search", post(teams::search))
        .route("/api/v2/teams/{team_id}", get(teams::get_one))
        // What a queue's other settings reference: canned-response libraries, email domains
        // and routes, SMS numbers, message recipients, edge groups, sites.
        .route("/api/v2/responsemanagement/libraries", get(libraries::list))
        .route("/api/v2/routing/email/domains", get(email_domains::list))
        .route(
            "/api/v2/routing/email/domains/{domain_name}/routes",
            get(email_domains::routes),
        )
        .route("/api/v2/routing/sms/phonenumbers", get(sms_numbers::list))
        .route(
            "/api/v2/routing/message/recipients",
            get(message_recipients::list),
        )
        .route(
            "/api/v2/telephony/providers/edges/edgegroups",
            get(telephony::edge_groups),
        )
        .route(
            "/api/v2/telephony/providers/edges/sites",
            get(telephony::sites),
        )
        // Users and their routing skills and languages.
        .route("/api/v2/users", get(users::list))
        .route("/api/v2/users/search", post(users::search))
        .route("/api/v2/users/{user_id}", get(users::get_one))
        .route(
            "/api/v2/users/{user_id}/routingskills",
            get(user_attributes::list_skills).post(user_attributes::add_skill),
        )
        .route(
            "/api/v2/users/{user_id}/routingskills/bulk",
            axum::routing::put(user_attributes::replace_skills)
                .patch(user_attributes::patch_skills),
        )
        .route(
            "/api/v2/users/{user_id}/routingskills/{skill_id}",
            axum::routing::put(user_attributes::set_skill).delete(user_attributes::remove_skill),
        )
        .route(
            "/api/v2/users/{user_id}/routinglanguages",
            get(user_attributes::list_languages).post(user_attributes::add_language),
        )
        .route(
            "/api/v2/users/{user_id}/routinglanguages/bulk",
            axum::routing::patch(user_attributes::patch_languages),
        )
        .route(
            "/api/v2/users/{user_id}/routinglanguages/{language_id}",
            axum::routing::patch(user_attributes::set_language)
                .delete(user_attributes::remove_language),
        )
        // Utilization.
        .route(
            "/api/v2/routing/settings",
            get(routing_settings::get)
                .put(routing_settings::put)
                .delete(routing_settings::delete),
        )
        .route(
            "/api/v2/routing/settings/contactcenter",
            get(routing_settings::get_contact_center).patch(routing_settings::patch_contact_center),
        )
        .route(
            "/api/v2/routing/settings/transcription",
            get(routing_settings::get_transcription).put(routing_settings::put_transcription),
        )
        .route(
            "/api/v2/routing/utilization",
            get(utilization::get_org)
                .put(utilization::put_org)
                .delete(utilization::delete_org),
        )
        .route(
            "/api/v2/routing/utilization/labels",
            get(utilization_labels::list).post(collection::create::<UtilizationLabels>),
        )
        .route(
            "/api/v2/routing/utilization/labels/{label_id}",
            get(collection::get_one::<UtilizationLabels>)
                .put(collection::replace::<UtilizationLabels>)
                .delete(collection::remove::<UtilizationLabels>),
        )
        .route(
            "/api/v2/routing/utilization/labels/{label_id}/agents",
            get(utilization_labels::agents),
        )
        .route(
            "/api/v2/routing/users/{user_id}/utilization",
            get(utilization::get_user)
                .put(utilization::put_user)
                .delete(utilization::delete_user),
        )
        // Organization, token, divisions.
        .route("/api/v2/organizations/me", get(organization::me))
        .route(
            "/api/v2/tokens/me",
            get(tokens::me).delete(tokens::revoke).head(tokens::verify),
        )
        .route("/api/v2/authorization/divisions", get(divisions::list))
        .route("/api/v2/authorization/divisions/home", get(divisions::home))
        .route(
            "/api/v2/authorization/divisions/{division_id}",
            get(divisions::get_one),
        )
        .route(
            "/api/v2/authorization/divisions/{division_id}/objects/{object_type}",
            post(divisions::move_objects),
        )
        // Audits.
        .route("/api/v2/audits/query", post(audits::submit))
        .route("/api/v2/audits/query/realtime", post(audits::realtime))
        .route(
            "/api/v2/audits/query/servicemapping",
            get(audits::service_mapping),
        )
        .route(
            "/api/v2/audits/query/realtime/servicemapping",
            get(audits::service_mapping),
        )
        .route("/api/v2/audits/query/{transaction_id}", get(audits::status))
        .route(
            "/api/v2/audits/query/{transaction_id}/results",
            get(audits::results),
        )
        // Notifications.
        .route(
            "/api/v2/notifications/channels",
            get(notifications::list_channels).post(notifications::create_channel),
        )
        .route(
            "/api/v2/notifications/channels/{channel_id}",
            axum::routing::head(notifications::channel_exists),
        )
        .route(
            "/api/v2/notifications/channels/{channel_id}/subscriptions",
            get(notifications::list_topics)
                .put(notifications::change_topics)
                .post(notifications::change_topics)
                .delete(notifications::remove_topics),
        )
        // The notification WebSocket (a channel's connectUri).
        .route("/channels/{channel_id}", get(crate::streaming::socket))
        .fallback(not_found)
        .method_not_allowed_fallback(not_found)
        .with_state(ctx)
}
