//! Every answer the client reads, fuzzed: for each operation of [`api::ALL_ENDPOINTS`],
//! through the typed `Client` method that sends it, a raw server answers a few hundred
//! arbitrary bodies, and each call must return within [`BOUND`] (else: "hang"), without
//! panicking, with `Ok` or a typed [`Error`] that quotes no token.
//!
//! Two sets of answers, from a fixed seed (`SWITCHBOARD_FUZZ_SEED` replaces it):
//! - spec-invalid: random bytes, random JSON, truncated JSON, wrong types, numbers beyond
//!   every integer type, deep nesting, empty bodies and oddities, answers echoing the
//!   request's `Authorization` header;
//! - spec-valid: random instances of the operation's response definition in the vendor's
//!   description (random subsets of properties, random values of the declared types and
//!   enums, bounded depth), each checked against the description by `switchboard-openapi`
//!   before it is served. Without the description this set is skipped, loudly.
//!
//! Listings that page (`list_all`, `list_following`, `list_expected`, `list_cursor` and the
//! searches) are fuzzed with fewer answers each, since one answer can cost many requests.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use futures::FutureExt;
use futures::future::LocalBoxFuture;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Map, Value, json};
use std::panic::AssertUnwindSafe;
use switchboard_client::api::{self, users::UserFilter};
use switchboard_client::models::{
    AuditQueryRequest, AuditRealtimeQueryRequest, AuthzDivision, Channel, ChannelTopic,
    ContactCenterSettings, EntitiesOnly, Queue, QueueFilter, QueueMember, RoutingSettings,
    SkillGroup, SkillGroupMemberDivisions, SkillGroupWithMemberDivisions, TranscriptionSettings,
    UserRoutingLanguage, UserRoutingLanguagePost, UserRoutingSkill, UserRoutingSkillPost,
    Utilization, WrapupCodeRequest,
};
use switchboard_client::{Client, Endpoint, Error};
use switchboard_openapi::{Spec, ValidationMode};

use crate::raw_server::{Answer, ISSUED_TOKEN, RawServer};

/// The longest a call may take, retries and pages included; longer is a hang.
const BOUND: Duration = Duration::from_secs(20);
/// The default seed.
const SEED: u64 = 0x5b1c_0a7d_f022;
/// Spec-invalid answers per operation.
const INVALID_CASES: usize = 200;
/// Spec-valid answers per operation.
const VALID_CASES: usize = 200;
/// Answers per operation for paged listings, whose answers can cost many requests each.
const PAGED_CASES: usize = 100;
/// Nesting of generated instances.
const MAX_DEPTH: usize = 6;

// Local futures: `list_users`' future is not `Send` (see the report), so calls are not
// spawned; a panic is caught with `catch_unwind` instead.
type Call = fn(Client) -> LocalBoxFuture<'static, Result<String, Error>>;

/// An operation, and the call of the client that sends it and reads its answer.
struct Operation {
    endpoint: Endpoint,
    name: &'static str,
    call: Call,
}

/// `op!(ENDPOINT, "name", |client| { ... })`: the block awaits the client's method.
macro_rules! op {
    ($endpoint:expr, $name:literal, |$client:ident| $body:block) => {
        Operation {
            endpoint: $endpoint,
            name: $name,
            call: |$client: Client| {
                Box::pin(async move {
                    let answer = $body;
                    answer.map(|answer| format!("{answer:?}"))
                })
            },
        }
    };
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("id-{i}")).collect()
}

/// Operations that read one answer (or, for audits, a bounded series of them).
fn single_answer_operations() -> Vec<Operation> {
    use api::*;
    vec![
        op!(audits::REALTIME, "audit_realtime", |c| {
            c.audit_realtime(&AuditRealtimeQueryRequest::default())
                .await
        }),
        op!(audits::SUBMIT, "submit_audit_query", |c| {
            c.submit_audit_query(&AuditQueryRequest::default()).await
        }),
        op!(audits::STATUS, "audit_query_status", |c| {
            c.audit_query_status("tx").await
        }),
        op!(audits::RESULTS, "audit_query_results", |c| {
            c.audit_query_results("tx").await
        }),
        op!(divisions::HOME, "home_division", |c| {
            c.home_division().await
        }),
        op!(divisions::GET, "execute divisions::get", |c| {
            c.execute::<AuthzDivision>(divisions::get("d")).await
        }),
        op!(divisions::MOVE_OBJECTS, "move_queues_to_division", |c| {
            c.move_queues_to_division("d", &ids(2)).await
        }),
        op!(groups::GET, "get_group", |c| { c.get_group("g").await }),
        op!(languages::CREATE, "create_language", |c| {
            c.create_language("l").await
        }),
        op!(languages::GET, "get_language", |c| {
            c.get_language("l").await
        }),
        op!(languages::DELETE, "delete_language", |c| {
            c.delete_language("l").await
        }),
        op!(members::ADD_OR_REMOVE, "add_queue_members", |c| {
            c.add_queue_members("q", &ids(3)).await
        }),
        op!(members::ADD_OR_REMOVE, "remove_queue_members", |c| {
            c.remove_queue_members("q", &ids(3)).await
        }),
        op!(members::SET_JOINED, "set_queue_members_joined", |c| {
            c.set_queue_members_joined("q", &[QueueMember::join_change("u", true)])
                .await
        }),
        op!(members::UPDATE, "set_queue_member_ring", |c| {
            c.set_queue_member_ring("q", "u", 2).await
        }),
        op!(members::DELETE, "delete_queue_member", |c| {
            c.delete_queue_member("q", "u").await
        }),
        op!(notifications::CREATE_CHANNEL, "create_channel", |c| {
            c.create_channel().await
        }),
        op!(
            notifications::LIST_CHANNELS,
            "execute notifications::list_channels",
            |c| {
                c.execute::<EntitiesOnly<Channel>>(notifications::list_channels())
                    .await
            }
        ),
        op!(notifications::LIST_SUBSCRIPTIONS, "subscriptions", |c| {
            c.subscriptions("ch").await
        }),
        op!(notifications::REPLACE_SUBSCRIPTIONS, "subscribe", |c| {
            c.subscribe("ch", &[ChannelTopic::new("v2.routing.queues.q.users")])
                .await
        }),
        op!(
            notifications::ADD_SUBSCRIPTIONS,
            "execute notifications::add_subscriptions",
            |c| {
                let topics = [ChannelTopic::new("v2.routing.queues.q.users")];
                c.execute::<EntitiesOnly<ChannelTopic>>(notifications::add_subscriptions(
                    "ch", &topics,
                ))
                .await
            }
        ),
        op!(
            notifications::CLEAR_SUBSCRIPTIONS,
            "execute_empty notifications::clear_subscriptions",
            |c| {
                c.execute_empty(notifications::clear_subscriptions("ch"))
                    .await
            }
        ),
        op!(organization::ORGANIZATION, "organization", |c| {
            c.organization().await
        }),
        op!(organization::TOKEN, "token_info", |c| {
            c.token_info().await
        }),
        op!(queue_wrapup_codes::ADD, "add_queue_wrapup_codes", |c| {
            c.add_queue_wrapup_codes("q", &ids(2)).await
        }),
        op!(
            queue_wrapup_codes::DELETE,
            "remove_queue_wrapup_code",
            |c| { c.remove_queue_wrapup_code("q", "w").await }
        ),
        op!(queues::CREATE, "create_queue", |c| {
            c.create_queue(&Queue::default()).await
        }),
        op!(queues::GET, "get_queue", |c| { c.get_queue("q").await }),
        op!(queues::UPDATE, "update_queue", |c| {
            c.update_queue("q", &Queue::default()).await
        }),
        op!(queues::DELETE, "delete_queue", |c| {
            c.delete_queue("q", true).await
        }),
        op!(skill_groups::CREATE, "create_skill_group", |c| {
            c.create_skill_group(&SkillGroupWithMemberDivisions::default())
                .await
        }),
        op!(skill_groups::GET, "get_skill_group", |c| {
            c.get_skill_group("sg").await
        }),
        op!(skill_groups::UPDATE, "update_skill_group", |c| {
            c.update_skill_group("sg", &SkillGroup::default()).await
        }),
        op!(skill_groups::DELETE, "delete_skill_group", |c| {
            c.delete_skill_group("sg").await
        }),
        op!(
            skill_groups::LIST_MEMBER_DIVISIONS,
            "skill_group_member_divisions",
            |c| { c.skill_group_member_divisions("sg").await }
        ),
        op!(
            skill_groups::CHANGE_MEMBER_DIVISIONS,
            "change_skill_group_member_divisions",
            |c| {
                c.change_skill_group_member_divisions("sg", &SkillGroupMemberDivisions::default())
                    .await
            }
        ),
        op!(skills::CREATE, "create_skill", |c| {
            c.create_skill("s").await
        }),
        op!(skills::GET, "get_skill", |c| { c.get_skill("s").await }),
        op!(skills::SET_DIVISION, "set_skill_division", |c| {
            c.set_skill_division("s", "d").await
        }),
        op!(skills::DELETE, "delete_skill", |c| {
            c.delete_skill("s").await
        }),
        op!(
            user_routing::ADD_SKILL,
            "execute user_routing::add_skill",
            |c| {
                let skill = UserRoutingSkillPost {
                    id: "s".into(),
                    proficiency: 3.0,
                };
                c.execute::<UserRoutingSkill>(user_routing::add_skill("u", &skill))
                    .await
            }
        ),
        op!(user_routing::REPLACE_SKILLS, "replace_user_skills", |c| {
            let skill = UserRoutingSkillPost {
                id: "s".into(),
                proficiency: 3.0,
            };
            c.replace_user_skills("u", &[skill]).await
        }),
        op!(user_routing::PATCH_SKILLS, "patch_user_skills", |c| {
            let skill = UserRoutingSkillPost {
                id: "s".into(),
                proficiency: 3.0,
            };
            c.patch_user_skills("u", &[skill]).await
        }),
        op!(
            user_routing::UPDATE_SKILL,
            "execute user_routing::update_skill",
            |c| {
                c.execute::<UserRoutingSkill>(user_routing::update_skill("u", "s", 4.0))
                    .await
            }
        ),
        op!(user_routing::REMOVE_SKILL, "remove_user_skill", |c| {
            c.remove_user_skill("u", "s").await
        }),
        op!(
            user_routing::ADD_LANGUAGE,
            "execute user_routing::add_language",
            |c| {
                let language = UserRoutingLanguagePost {
                    id: "l".into(),
                    proficiency: 3.0,
                };
                c.execute::<UserRoutingLanguage>(user_routing::add_language("u", &language))
                    .await
            }
        ),
        op!(user_routing::PATCH_LANGUAGES, "patch_user_languages", |c| {
            let language = UserRoutingLanguagePost {
                id: "l".into(),
                proficiency: 3.0,
            };
            c.patch_user_languages("u", &[language]).await
        }),
        op!(
            user_routing::UPDATE_LANGUAGE,
            "execute user_routing::update_language",
            |c| {
                c.execute::<UserRoutingLanguage>(user_routing::update_language("u", "l", 4.0))
                    .await
            }
        ),
        op!(user_routing::REMOVE_LANGUAGE, "remove_user_language", |c| {
            c.remove_user_language("u", "l").await
        }),
        op!(routing_settings::GET, "routing_settings", |c| {
            c.routing_settings().await
        }),
        op!(routing_settings::PUT, "set_routing_settings", |c| {
            c.set_routing_settings(&RoutingSettings::default()).await
        }),
        op!(
            routing_settings::RESET,
            "execute_empty routing_settings::reset",
            |c| { c.execute_empty(routing_settings::reset()).await }
        ),
        op!(
            routing_settings::GET_CONTACT_CENTER,
            "contact_center_settings",
            |c| { c.contact_center_settings().await }
        ),
        op!(
            routing_settings::PATCH_CONTACT_CENTER,
            "patch_contact_center_settings",
            |c| {
                c.patch_contact_center_settings(&ContactCenterSettings::default())
                    .await
            }
        ),
        op!(
            routing_settings::GET_TRANSCRIPTION,
            "transcription_settings",
            |c| { c.transcription_settings().await }
        ),
        op!(
            routing_settings::PUT_TRANSCRIPTION,
            "set_transcription_settings",
            |c| {
                c.set_transcription_settings(&TranscriptionSettings::default())
                    .await
            }
        ),
        op!(users::GET, "get_user", |c| {
            c.get_user("u", &["skills", "languages"]).await
        }),
        op!(utilization::GET_ORG, "org_utilization", |c| {
            c.org_utilization().await
        }),
        op!(utilization::PUT_ORG, "set_org_utilization", |c| {
            c.set_org_utilization(&Utilization::default()).await
        }),
        op!(
            utilization::RESET_ORG,
            "execute_empty utilization::reset_org",
            |c| { c.execute_empty(utilization::reset_org()).await }
        ),
        op!(utilization::GET_USER, "user_utilization", |c| {
            c.user_utilization("u").await
        }),
        op!(utilization::PUT_USER, "set_user_utilization", |c| {
            c.set_user_utilization("u", &Utilization::default()).await
        }),
        op!(utilization::RESET_USER, "reset_user_utilization", |c| {
            c.reset_user_utilization("u").await
        }),
        op!(
            utilization_labels::CREATE,
            "create_utilization_label",
            |c| { c.create_utilization_label("VIP").await }
        ),
        op!(utilization_labels::GET, "get_utilization_label", |c| {
            c.get_utilization_label("l").await
        }),
        op!(
            utilization_labels::RENAME,
            "rename_utilization_label",
            |c| { c.rename_utilization_label("l", "VIP").await }
        ),
        op!(
            utilization_labels::DELETE,
            "delete_utilization_label",
            |c| { c.delete_utilization_label("l").await }
        ),
        op!(
            utilization_labels::AGENTS,
            "utilization_label_agents",
            |c| { c.utilization_label_agents("l").await }
        ),
        op!(wrapup_codes::CREATE, "create_wrapup_code", |c| {
            c.create_wrapup_code(&WrapupCodeRequest::default()).await
        }),
        op!(wrapup_codes::GET, "get_wrapup_code", |c| {
            c.get_wrapup_code("w").await
        }),
        op!(wrapup_codes::UPDATE, "update_wrapup_code", |c| {
            c.update_wrapup_code("w", &WrapupCodeRequest::default())
                .await
        }),
        op!(wrapup_codes::DELETE, "delete_wrapup_code", |c| {
            c.delete_wrapup_code("w").await
        }),
    ]
}

/// Operations that page through `list_all`, `list_following` or `list_expected`
/// (`paging.rs`).
fn paged_operations() -> Vec<Operation> {
    use api::*;
    vec![
        op!(divisions::LIST, "list_divisions", |c| {
            c.list_divisions().await
        }),
        op!(divisions::LIST, "list_divisions_with_counts", |c| {
            c.list_divisions_with_counts().await
        }),
        op!(languages::LIST, "list_languages", |c| {
            c.list_languages().await
        }),
        op!(utilization_labels::LIST, "list_utilization_labels", |c| {
            c.list_utilization_labels().await
        }),
        op!(members::LIST, "list_queue_members", |c| {
            c.list_queue_members("q").await
        }),
        op!(members::LIST, "list_queue_members_counted", |c| {
            c.list_queue_members_counted("q", 250).await
        }),
        // A queue's `memberCount` comes from the server too.
        op!(members::LIST, "list_queue_members_counted, 999,900", |c| {
            c.list_queue_members_counted("q", 999_900).await
        }),
        op!(members::LIST, "list_queue_members_counted, u64::MAX", |c| {
            c.list_queue_members_counted("q", u64::MAX).await
        }),
        op!(queue_wrapup_codes::LIST, "list_queue_wrapup_codes", |c| {
            c.list_queue_wrapup_codes("q").await
        }),
        op!(queues::LIST, "list_queues", |c| {
            c.list_queues(&QueueFilter::default()).await
        }),
        op!(skills::LIST, "list_skills", |c| { c.list_skills().await }),
        op!(skills::LIST, "list_skills_starting_with", |c| {
            c.list_skills_starting_with("s").await
        }),
        op!(teams::GET, "get_team", |c| { c.get_team("t").await }),
        op!(user_routing::LIST_SKILLS, "list_user_skills", |c| {
            c.list_user_skills("u").await
        }),
        op!(user_routing::LIST_LANGUAGES, "list_user_languages", |c| {
            c.list_user_languages("u").await
        }),
        op!(users::LIST, "list_users", |c| {
            c.list_users(&UserFilter::default()).await
        }),
        op!(users::LIST, "list_users by ids", |c| {
            let filter = UserFilter {
                ids: ids(150),
                ..UserFilter::default()
            };
            c.list_users(&filter).await
        }),
        op!(wrapup_codes::LIST, "list_wrapup_codes", |c| {
            c.list_wrapup_codes().await
        }),
        // The searches page by `search_all` (`paging/search.rs`).
        op!(users::SEARCH, "find_users_by_email", |c| {
            c.find_users_by_email(&["someone@example.com".to_string()], &["skills"])
                .await
        }),
        op!(groups::SEARCH, "find_groups_by_name", |c| {
            c.find_groups_by_name(&["Ops".to_string()]).await
        }),
        op!(teams::SEARCH, "find_teams_by_name", |c| {
            c.find_teams_by_name(&["Tigers".to_string()]).await
        }),
        op!(flows::LIST, "list_flows", |c| {
            c.list_flows(&[flows::IN_QUEUE_CALL]).await
        }),
        op!(prompts::LIST, "find_prompts", |c| {
            c.find_prompts(&["Hold".to_string(), "Whisper".to_string()])
                .await
        }),
        op!(scripts::LIST, "list_scripts", |c| {
            c.list_scripts().await
        }),
        op!(libraries::LIST, "list_canned_response_libraries", |c| {
            c.list_canned_response_libraries().await
        }),
        op!(email_domains::LIST_DOMAINS, "list_email_domains", |c| {
            c.list_email_domains().await
        }),
        op!(email_domains::LIST_ROUTES, "list_email_routes", |c| {
            c.list_email_routes("example.com").await
        }),
        op!(sms_numbers::LIST, "list_sms_phone_numbers", |c| {
            c.list_sms_phone_numbers().await
        }),
        op!(message_recipients::LIST, "list_message_recipients", |c| {
            c.list_message_recipients(message_recipients::OPEN).await
        }),
        op!(telephony::LIST_EDGE_GROUPS, "list_edge_groups", |c| {
            c.list_edge_groups().await
        }),
        op!(telephony::LIST_SITES, "list_sites", |c| {
            c.list_sites().await
        }),
        op!(groups::LIST, "list_groups_by_id", |c| {
            c.list_groups_by_id(&ids(150)).await
        }),
        // Cursor listings (`paging/cursor.rs`).
        op!(teams::LIST, "list_teams", |c| { c.list_teams().await }),
        op!(skill_groups::LIST, "list_skill_groups", |c| {
            c.list_skill_groups().await
        }),
        op!(
            skill_groups::LIST_MEMBERS,
            "list_skill_group_members",
            |c| { c.list_skill_group_members("sg").await }
        ),
    ]
}

#[test]
fn every_endpoint_is_fuzzed() {
    let fuzzed: Vec<Endpoint> = single_answer_operations()
        .into_iter()
        .chain(paged_operations())
        .map(|op| op.endpoint)
        .collect();
    let missing: Vec<String> = api::ALL_ENDPOINTS
        .iter()
        .filter(|endpoint| !fuzzed.contains(endpoint))
        .map(ToString::to_string)
        .collect();
    assert!(missing.is_empty(), "not fuzzed: {missing:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_survives_spec_invalid_answers() {
    let description = Description::load();
    fuzz(
        &single_answer_operations(),
        description.as_ref(),
        Set::Invalid,
        INVALID_CASES,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_survives_spec_valid_answers() {
    let Some(description) = Description::load() else {
        return;
    };
    fuzz(
        &single_answer_operations(),
        Some(&description),
        Set::Valid,
        VALID_CASES,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paged_listings_survive_any_answer() {
    let description = Description::load();
    let operations = paged_operations();
    fuzz(&operations, description.as_ref(), Set::Invalid, PAGED_CASES).await;
    if let Some(description) = &description {
        fuzz(&operations, Some(description), Set::Valid, PAGED_CASES).await;
    }
}

// ---------------------------------------------------------------------------------------
// The driver.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Set {
    Invalid,
    Valid,
}

/// What one operation's answers came to.
#[derive(Debug, Default)]
struct Tally {
    ok: usize,
    errors: BTreeMap<String, usize>,
    /// Spec-valid 2xx answers the client could not decode, by first line of the error.
    valid_refused: BTreeMap<String, usize>,
    most_requests: u64,
    slowest: Duration,
}

fn seed() -> u64 {
    std::env::var("SWITCHBOARD_FUZZ_SEED")
        .ok()
        .and_then(|seed| seed.parse().ok())
        .unwrap_or(SEED)
}

async fn fuzz(operations: &[Operation], description: Option<&Description>, set: Set, cases: usize) {
    let seed = seed();
    let server = RawServer::start(Answer::json(200, "{}")).await;
    let mut failures = Vec::new();
    let mut summary = Vec::new();
    let mut refusals: BTreeMap<String, usize> = BTreeMap::new();
    for (index, op) in operations.iter().enumerate() {
        let client = server.client();
        let mut generator = Generator::new(
            seed ^ (index as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15),
            description,
        );
        let mut tally = Tally::default();
        for case in 0..cases {
            let planned = match set {
                Set::Invalid => generator.invalid_answer(op.endpoint, case),
                Set::Valid => generator.valid_answer(op.endpoint, case),
            };
            let Planned { answer, spec_valid } = planned;
            server.set_api(answer.clone());
            let before = server.api_requests();
            let started = Instant::now();
            let call = AssertUnwindSafe((op.call)(client.clone())).catch_unwind();
            let outcome = tokio::time::timeout(BOUND, call).await;
            let elapsed = started.elapsed();
            tally.slowest = tally.slowest.max(elapsed);
            tally.most_requests = tally.most_requests.max(server.api_requests() - before);
            let what = || {
                format!(
                    "{} ({}) case {case} of the {set:?} set, seed {seed}: status {}, body {}",
                    op.name,
                    op.endpoint,
                    answer.status,
                    shown(&answer.body)
                )
            };
            match outcome {
                Ok(Err(_)) => failures.push(format!("panic: {}", what())),
                Err(_) => failures.push(format!("hang (over {BOUND:?}): {}", what())),
                Ok(Ok(Ok(_))) => tally.ok += 1,
                Ok(Ok(Err(error))) => {
                    let display = error.to_string();
                    let debug = format!("{error:?}");
                    if display.contains(ISSUED_TOKEN) || debug.contains(ISSUED_TOKEN) {
                        failures.push(format!("the token is quoted in the error: {}", what()));
                    }
                    let kind = kind(&debug);
                    if (200..300).contains(&answer.status)
                        && matches!(kind.as_str(), "Api" | "Auth" | "Transport")
                    {
                        failures.push(format!(
                            "a 2xx answer gave a {kind} error ({display}): {}",
                            what()
                        ));
                    }
                    if spec_valid && (200..300).contains(&answer.status) {
                        *tally.valid_refused.entry(reason(&display)).or_default() += 1;
                    }
                    *tally.errors.entry(kind).or_default() += 1;
                }
            }
        }
        summary.push(format!(
            "  {:<48} ok {:>3}, errors {:?}, at most {} requests and {:?} per call",
            op.name, tally.ok, tally.errors, tally.most_requests, tally.slowest
        ));
        for (refusal, count) in tally.valid_refused {
            *refusals.entry(refusal).or_default() += count;
        }
    }
    eprintln!(
        "decode fuzz, {set:?} set, {cases} answers per operation, seed {seed}:\n{}",
        summary.join("\n")
    );
    if !refusals.is_empty() {
        // Not failures: where the models are stricter than the description.
        eprintln!("spec-valid 2xx answers the client refused, by reason:");
        for (refusal, count) in &refusals {
            eprintln!("  {count:>4}x {refusal}");
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing answers:\n{}",
        failures.len(),
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// An error's first line without its position and numbers, to group refusals by.
fn reason(display: &str) -> String {
    let line = display.lines().next().unwrap_or_default();
    let line = line.split(" at line ").next().unwrap_or(line);
    let mut out = String::new();
    for c in line.chars().take(200) {
        if c.is_ascii_digit() {
            if !out.ends_with('N') {
                out.push('N');
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The variant of an error, from its `Debug`.
fn kind(debug: &str) -> String {
    debug
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect()
}

/// A body for a failure message: its start, as text.
fn shown(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let start: String = text.chars().take(300).collect();
    format!("{:?} ({} bytes)", start, body.len())
}

// ---------------------------------------------------------------------------------------
// The vendor's description.

/// The vendor's description, raw (to generate from) and compiled (to check against).
struct Description {
    doc: Value,
    spec: Spec,
}

impl Description {
    /// The description, or `None` after a loud notice when it is absent.
    fn load() -> Option<Description> {
        let Some(path) = Spec::locate() else {
            eprintln!(
                "\n==========================================================================\n\
                 SKIPPED: the spec-valid part of the decode fuzz. The vendor's description\n\
                 (shared/genesys/openapi.json beside the repository, or $SWITCHBOARD_OPENAPI)\n\
                 is absent, so no answers can be generated from it.\n\
                 ==========================================================================\n"
            );
            return None;
        };
        let text = std::fs::read_to_string(&path).unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap();
        let spec = Spec::from_value(&doc).unwrap();
        Some(Description { doc, spec })
    }

    fn definitions(&self) -> &Map<String, Value> {
        self.doc["definitions"].as_object().unwrap()
    }

    /// The operation's response for `status`: for a 2xx that code, else `200`, else the
    /// first 2xx; for others the code, else `default`. `None` when it has no body.
    fn response_schema(&self, endpoint: Endpoint, status: u16) -> Option<&Value> {
        let method = endpoint.method.as_str().to_ascii_lowercase();
        let responses = self.doc["paths"][endpoint.template][method.as_str()]["responses"]
            .as_object()
            .unwrap_or_else(|| panic!("{endpoint} is not in the description"));
        let code = status.to_string();
        let response = if (200..300).contains(&status) {
            responses
                .get(&code)
                .or_else(|| responses.get("200"))
                .or_else(|| {
                    responses
                        .iter()
                        .find(|(code, _)| code.starts_with('2'))
                        .map(|(_, response)| response)
                })
        } else {
            responses.get(&code).or_else(|| responses.get("default"))
        };
        response.and_then(|response| response.get("schema"))
    }
}

// ---------------------------------------------------------------------------------------
// Answers.

/// An answer to serve, and whether it is an instance of the description.
struct Planned {
    answer: Answer,
    spec_valid: bool,
}

/// Numbers no integer type holds, and floats at the edges.
const HUGE_NUMBERS: &[&str] = &[
    "1e400",
    "-1e400",
    "18446744073709551616",
    "18446744073709551615",
    "9223372036854775808",
    "-9223372036854775809",
    "123456789012345678901234567890123456789",
    "1e-400",
    "-0",
    "0.1e999999999",
    "4.9e-324",
    "1.7976931348623157e308",
    "-1.7976931348623157e308",
    "2147483648",
    "-2147483649",
];

/// Bodies that are odd on their own.
const ODDITIES: &[&str] = &[
    "",
    " ",
    "\n\t \r\n",
    "null",
    "true",
    "0",
    "-1",
    "\"text\"",
    "[]",
    "{}",
    "[null]",
    "\u{feff}{}",
    "{}{}",
    "{} trailing",
    "\0",
    "{\"a\":1,\"a\":2}",
    "NaN",
    "Infinity",
    "{\"entities\":null}",
    "{\"entities\":[null]}",
    "{\"entities\":[1,2]}",
    "{\"entities\":{}}",
    "{\"entities\":[{}],\"pageCount\":-1}",
    "{\"entities\":[{}],\"pageCount\":18446744073709551615}",
    "{\"entities\":[{\"id\":\"a\"}],\"pageCount\":9223372036854775807}",
    "{\"entities\":[{\"id\":\"a\"}],\"nextUri\":\"/next\",\"pageSize\":1}",
    "{\"entities\":[{}],\"nextUri\":\"/next\",\"pageSize\":-1}",
    "{\"entities\":[{}],\"cursor\":\"a\"}",
    "{\"results\":[{}],\"pageCount\":9223372036854775807}",
    "{\"id\":\"\\ud800\"}",
    "{\"id\":\"\\u0000\"}",
    "{\"name\":\"\\uDFFF\\uD800\"}",
];

/// Keys the models read, so that random objects hit them.
const KEYS: &[&str] = &[
    "entities",
    "id",
    "name",
    "pageCount",
    "pageSize",
    "pageNumber",
    "total",
    "nextUri",
    "cursor",
    "results",
    "state",
    "version",
    "division",
    "memberCount",
    "proficiency",
    "ringNumber",
    "joined",
    "mediaSettings",
    "bullseye",
    "rings",
    "message",
    "code",
    "status",
    "details",
    "errors",
    "extra",
    "",
    "\u{0}",
    "ü✓",
];

struct Generator<'a> {
    rng: StdRng,
    description: Option<&'a Description>,
}

impl<'a> Generator<'a> {
    fn new(seed: u64, description: Option<&'a Description>) -> Self {
        Generator {
            rng: StdRng::seed_from_u64(seed),
            description,
        }
    }

    /// A status: mostly 200, sometimes another 2xx or an error the client does not retry
    /// for long.
    fn status(&mut self) -> u16 {
        match self.rng.random_range(0..100) {
            0..75 => 200,
            75..80 => 201,
            80..84 => 202,
            84..88 => 204,
            _ => {
                const ERRORS: [u16; 10] = [400, 401, 403, 404, 409, 410, 500, 502, 503, 504];
                ERRORS[self.rng.random_range(0..ERRORS.len())]
            }
        }
    }

    fn content_type(&mut self) -> &'static str {
        const TYPES: [&str; 6] = [
            "application/json",
            "application/json",
            "application/json; charset=UTF-8",
            "text/html",
            "text/plain; charset=utf-16",
            "x/garbage",
        ];
        TYPES[self.rng.random_range(0..TYPES.len())]
    }

    fn invalid_answer(&mut self, endpoint: Endpoint, case: usize) -> Planned {
        let status = self.status();
        let body: Vec<u8> = match case % 9 {
            0 => {
                let length = self.rng.random_range(0..300);
                (0..length).map(|_| self.rng.random::<u8>()).collect()
            }
            1 => self.random_json(0).to_string().into_bytes(),
            2 => {
                let text = self.base(endpoint, status).to_string().into_bytes();
                let cut = self.rng.random_range(0..text.len().max(1));
                text[..cut].to_vec()
            }
            3 => {
                let mut value = self.base(endpoint, status);
                let replacement = self.random_json(2);
                self.replace_somewhere(&mut value, replacement);
                value.to_string().into_bytes()
            }
            4 => self.huge_numbers(endpoint, status).into_bytes(),
            5 => self.deep().into_bytes(),
            6 => ODDITIES[self.rng.random_range(0..ODDITIES.len())]
                .as_bytes()
                .to_vec(),
            7 => {
                // An answer repeating the request's `Authorization` header.
                const ECHOES: [&str; 5] = [
                    "<html><body>You sent: {authorization}</body></html>",
                    "{\"message\":\"{authorization}\",\"code\":\"bad.request\"}",
                    "{\"entities\":\"{authorization}\"}",
                    "{\"id\":{\"{authorization}\":1},\"name\":1}",
                    "{authorization}",
                ];
                ECHOES[self.rng.random_range(0..ECHOES.len())]
                    .as_bytes()
                    .to_vec()
            }
            _ => {
                // A sound instance with keys the description does not have, and nulls.
                let mut value = self.base(endpoint, status);
                if let Value::Object(fields) = &mut value {
                    fields.insert("unexpectedField".into(), self.random_json(1));
                    for field in fields.values_mut() {
                        if self.rng.random_bool(0.3) {
                            *field = Value::Null;
                        }
                    }
                }
                value.to_string().into_bytes()
            }
        };
        let content_type = self.content_type();
        Planned {
            answer: Answer::typed(status, content_type, body),
            spec_valid: false,
        }
    }

    fn valid_answer(&mut self, endpoint: Endpoint, _case: usize) -> Planned {
        let Some(description) = self.description else {
            return Planned {
                answer: Answer::json(200, "{}"),
                spec_valid: false,
            };
        };
        // Mostly a success; now and then the error body the description gives.
        let status = match self.rng.random_range(0..100) {
            0..85 => 200,
            85..90 => 201,
            _ => [400, 403, 404, 409, 500][self.rng.random_range(0..5)],
        };
        let Some(schema) = description.response_schema(endpoint, status).cloned() else {
            // No body: the description's answer is an empty one.
            return Planned {
                answer: Answer::json(if self.rng.random_bool(0.5) { 200 } else { 204 }, ""),
                spec_valid: true,
            };
        };
        let value = self.instance(&schema, 0);
        let method = endpoint.method.as_str();
        if let Err(violations) = description.spec.validate_response_body_with(
            method,
            endpoint.template,
            status,
            &value,
            ValidationMode::Response,
        ) {
            panic!(
                "the generator made an answer the description refuses ({endpoint}, {status}): {violations:?}\n{value}"
            );
        }
        Planned {
            answer: Answer::json(status, value.to_string()),
            spec_valid: true,
        }
    }

    /// A spec instance when the description is at hand, else a random object.
    fn base(&mut self, endpoint: Endpoint, status: u16) -> Value {
        let schema = self
            .description
            .and_then(|description| description.response_schema(endpoint, status))
            .cloned();
        match schema {
            Some(schema) => self.instance(&schema, 0),
            None => self.random_object(0),
        }
    }

    /// A body whose numbers are beyond what the models hold.
    fn huge_numbers(&mut self, endpoint: Endpoint, status: u16) -> String {
        let mut value = self.base(endpoint, status);
        let mut markers = Vec::new();
        self.mark_numbers(&mut value, &mut markers);
        if let Value::Object(fields) = &mut value {
            for key in ["pageCount", "total", "pageSize", "expires_in"] {
                if self.rng.random_bool(0.3) {
                    let marker = format!("@@huge{}@@", markers.len());
                    markers.push(HUGE_NUMBERS[self.rng.random_range(0..HUGE_NUMBERS.len())]);
                    fields.insert(key.into(), Value::String(marker));
                }
            }
        }
        let mut text = value.to_string();
        for (index, literal) in markers.iter().enumerate() {
            text = text.replace(&format!("\"@@huge{index}@@\""), literal);
        }
        text
    }

    fn mark_numbers(&mut self, value: &mut Value, markers: &mut Vec<&'static str>) {
        match value {
            Value::Number(_) if self.rng.random_bool(0.6) => {
                *value = Value::String(format!("@@huge{}@@", markers.len()));
                markers.push(HUGE_NUMBERS[self.rng.random_range(0..HUGE_NUMBERS.len())]);
            }
            Value::Array(items) => items
                .iter_mut()
                .for_each(|item| self.mark_numbers(item, markers)),
            Value::Object(fields) => fields
                .values_mut()
                .for_each(|field| self.mark_numbers(field, markers)),
            _ => {}
        }
    }

    /// Nesting beyond what any decoder should follow, bounded.
    fn deep(&mut self) -> String {
        const DEPTHS: [usize; 8] = [32, 100, 127, 128, 129, 256, 1000, 10_000];
        let depth = DEPTHS[self.rng.random_range(0..DEPTHS.len())];
        let inner = match self.rng.random_range(0..3) {
            0 => format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
            1 => format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth)),
            _ => "[{\"id\":".repeat(depth),
        };
        match self.rng.random_range(0..3) {
            0 => inner,
            1 => format!("{{\"entities\":[{inner}]}}"),
            _ => format!("{{\"id\":\"x\",\"name\":{inner}}}"),
        }
    }

    /// Replaces a random node of `value` (perhaps `value` itself).
    fn replace_somewhere(&mut self, value: &mut Value, replacement: Value) {
        let stop = self.rng.random_bool(0.3);
        match value {
            Value::Object(fields) if !fields.is_empty() && !stop => {
                let index = self.rng.random_range(0..fields.len());
                if let Some(field) = fields.values_mut().nth(index) {
                    self.replace_somewhere(field, replacement);
                }
            }
            Value::Array(items) if !items.is_empty() && !stop => {
                let index = self.rng.random_range(0..items.len());
                self.replace_somewhere(&mut items[index], replacement);
            }
            _ => *value = replacement,
        }
    }

    fn random_json(&mut self, depth: usize) -> Value {
        let deeper = depth < 4;
        match self.rng.random_range(0..9) {
            0 => Value::Null,
            1 => Value::Bool(self.rng.random()),
            2 => self.integer(),
            3 => self.number(),
            4 | 5 => Value::String(self.string()),
            6 if deeper => {
                let length = self.rng.random_range(0..4);
                Value::Array((0..length).map(|_| self.random_json(depth + 1)).collect())
            }
            7 | 8 if deeper => self.random_object(depth + 1),
            _ => Value::String(self.string()),
        }
    }

    fn random_object(&mut self, depth: usize) -> Value {
        let length = self.rng.random_range(0..5);
        let mut fields = Map::new();
        for _ in 0..length {
            let key = KEYS[self.rng.random_range(0..KEYS.len())].to_string();
            let value = self.random_json(depth + 1);
            fields.insert(key, value);
        }
        Value::Object(fields)
    }

    fn integer(&mut self) -> Value {
        match self.rng.random_range(0..100) {
            0..40 => json!(self.rng.random_range(-2i64..=10)),
            40..60 => json!(self.rng.random_range(11i64..=1_000)),
            60..80 => json!(
                self.rng
                    .random_range(i64::from(i32::MIN)..=i64::from(i32::MAX))
            ),
            80..90 => {
                const EDGES: [i64; 6] = [i64::MIN, i64::MAX, i64::MIN + 1, -1, 0, 1 << 53];
                json!(EDGES[self.rng.random_range(0..EDGES.len())])
            }
            _ => json!(u64::MAX - self.rng.random_range(0..3)),
        }
    }

    fn int32(&mut self) -> Value {
        match self.rng.random_range(0..100) {
            0..50 => json!(self.rng.random_range(-2..=10)),
            50..75 => json!(self.rng.random_range(11..=1_000)),
            75..90 => json!(self.rng.random::<i32>()),
            _ => json!([i32::MIN, i32::MAX, 0, -1][self.rng.random_range(0..4)]),
        }
    }

    fn number(&mut self) -> Value {
        match self.rng.random_range(0..10) {
            0 => json!(0.0),
            1 => json!(-0.0),
            2 => json!(f64::MAX),
            3 => json!(f64::MIN),
            4 => json!(f64::MIN_POSITIVE),
            5 => json!(5e-324),
            6 => json!(1e20),
            7 => json!(self.rng.random_range(0.0..=5.0)),
            _ => json!(self.rng.random_range(-1e6..1e6)),
        }
    }

    fn string(&mut self) -> String {
        match self.rng.random_range(0..10) {
            0 => String::new(),
            1 => "ü✓𝄞 ünïcödé".into(),
            2 => "quote \" backslash \\ newline \n nul \0 tab \t".into(),
            3 => "x".repeat(self.rng.random_range(1_000..5_000)),
            4 => format!(
                "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
                self.rng.random::<u32>(),
                self.rng.random::<u16>(),
                self.rng.random_range(0..0xfff),
                self.rng.random_range(0..0xfff),
                self.rng.random_range(0..0xffff_ffff_ffffu64)
            ),
            5 => "/api/v2/routing/queues?pageNumber=2".into(),
            6 => "2024-02-30T25:61:61Z".into(),
            _ => {
                let length = self.rng.random_range(1..12);
                (0..length)
                    .map(|_| char::from(self.rng.random_range(b'a'..=b'z')))
                    .collect()
            }
        }
    }

    /// A random instance of `schema`: a random subset of an object's properties (every
    /// required one), values of the declared types and enums, bounded depth.
    fn instance(&mut self, schema: &Value, depth: usize) -> Value {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let name = reference.trim_start_matches("#/definitions/");
            let definitions = self.description.map(Description::definitions);
            let Some(definition) = definitions.and_then(|d| d.get(name)) else {
                panic!("no definition {name}");
            };
            return self.instance(&definition.clone(), depth);
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array)
            && !values.is_empty()
        {
            return values[self.rng.random_range(0..values.len())].clone();
        }
        let format = schema.get("format").and_then(Value::as_str);
        match schema.get("type").and_then(Value::as_str) {
            Some("object") | None if schema.get("properties").is_some() => {
                self.object(schema, depth)
            }
            Some("object") => match schema.get("additionalProperties") {
                Some(Value::Object(values)) => {
                    let values = Value::Object(values.clone());
                    let length = if depth < MAX_DEPTH {
                        self.rng.random_range(0..3)
                    } else {
                        0
                    };
                    let mut map = Map::new();
                    for _ in 0..length {
                        let key = self.string();
                        let value = self.instance(&values, depth + 1);
                        map.insert(key, value);
                    }
                    Value::Object(map)
                }
                _ if depth < MAX_DEPTH => self.random_object(depth + 1),
                _ => json!({}),
            },
            Some("array") => {
                let length = if depth < MAX_DEPTH {
                    self.rng.random_range(0..4)
                } else {
                    0
                };
                let items = schema.get("items").cloned().unwrap_or(json!({}));
                Value::Array(
                    (0..length)
                        .map(|_| self.instance(&items, depth + 1))
                        .collect(),
                )
            }
            Some("string") => Value::String(match format {
                Some("date-time") => self.date_time(),
                Some("date") => self.date(),
                Some("local-date-time") => self.date_time().trim_end_matches('Z').to_string(),
                _ => self.string(),
            }),
            // The description declares `int32`: values past it are for the invalid set.
            Some("integer") if format == Some("int32") => self.int32(),
            Some("integer") => self.integer(),
            Some("number") => self.number(),
            Some("boolean") => Value::Bool(self.rng.random()),
            _ if depth < MAX_DEPTH => self.random_json(depth + 1),
            _ => Value::Null,
        }
    }

    fn object(&mut self, schema: &Value, depth: usize) -> Value {
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut fields = Map::new();
        let properties = schema
            .get("properties")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        for (name, property) in &properties {
            let needed = required.contains(&name.as_str());
            if !needed && (depth >= MAX_DEPTH || self.rng.random_bool(0.5)) {
                continue;
            }
            let value = if !needed && self.rng.random_bool(0.1) {
                Value::Null
            } else {
                self.instance(property, depth + 1)
            };
            fields.insert(name.clone(), value);
        }
        Value::Object(fields)
    }

    fn date(&mut self) -> String {
        format!(
            "{:04}-{:02}-{:02}",
            self.rng.random_range(1970..2100),
            self.rng.random_range(1..=12),
            self.rng.random_range(1..=28)
        )
    }

    fn date_time(&mut self) -> String {
        format!(
            "{}T{:02}:{:02}:{:02}.{:03}Z",
            self.date(),
            self.rng.random_range(0..24),
            self.rng.random_range(0..60),
            self.rng.random_range(0..60),
            self.rng.random_range(0..1000)
        )
    }
}
