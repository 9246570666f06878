//! Conformance with the real API: every request body the client builds and every response
//! body the simulator returns, validated against the vendor's API description
//! (`$SWITCHBOARD_OPENAPI`, default `../shared/genesys/openapi.json`).
//!
//! A full client session runs against the simulator with response bodies journaled; then
//! every journal entry is checked: its operation exists, its query parameters are declared,
//! its request body fits the body parameter's schema, and its response body fits the
//! response schema (or `ErrorBody`). Unknown, renamed or mistyped fields fail.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use serde_json::{Value, json};
use switchboard_client::api::{self, ALL_ENDPOINTS};
use switchboard_client::models::*;
use switchboard_client::{Client, ClientConfig, Credentials, Hosts};
use switchboard_openapi::{Spec, Violation};
use switchboard_sim::{
    DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, JournalConfig, JournalEntry, RunningSim, Sim,
};

fn spec() -> Option<Spec> {
    match Spec::locate() {
        Some(path) => {
            Some(Spec::load(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display())))
        }
        None => {
            eprintln!(
                "\n=== SKIPPED: conformance suite ===\nthe API description was not found: set SWITCHBOARD_OPENAPI or place \
                 openapi.json at ../shared/genesys/ beside the repository\n"
            );
            None
        }
    }
}

#[test]
fn every_client_operation_is_in_the_api_description() {
    let Some(spec) = spec() else { return };
    let missing: Vec<String> = ALL_ENDPOINTS
        .iter()
        .filter(|endpoint| {
            let sample = endpoint.template.replace('{', "x").replace('}', "");
            spec.operation(endpoint.method.as_str(), &sample)
                .is_none_or(|op| op.template() != endpoint.template)
        })
        .map(ToString::to_string)
        .collect();
    assert!(
        missing.is_empty(),
        "operations not in the spec:\n{}",
        missing.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_request_and_response_of_a_full_session_conforms() {
    let Some(spec) = spec() else { return };
    let sim = Sim::builder()
        .fixture_file(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../examples/sim-org.yaml"
        ))
        .unwrap()
        .journal(JournalConfig {
            file: None,
            response_bodies: true,
        })
        .start()
        .await
        .unwrap();
    let client = client(&sim);
    session(&client).await;

    let journal = sim.journal();
    let mut violations: Vec<String> = Vec::new();
    let mut exercised = BTreeSet::new();
    for entry in journal.iter().filter(|e| e.path.starts_with("/api/v2/")) {
        match spec.operation(&entry.method, &entry.path) {
            Some(op) => {
                exercised.insert(format!("{} {}", op.method(), op.template()));
            }
            None => {
                violations.push(format!("{} {}: not in the spec", entry.method, entry.path));
                continue;
            }
        }
        check(&spec, entry, &mut violations);
    }
    let unexercised: Vec<String> = ALL_ENDPOINTS
        .iter()
        .map(ToString::to_string)
        .filter(|endpoint| !exercised.contains(endpoint))
        .collect();
    assert!(
        unexercised.is_empty(),
        "the session must exercise every client operation; missing:\n{}",
        unexercised.join("\n")
    );
    assert!(
        journal.len() > 60,
        "a full session: {} requests",
        journal.len()
    );
    assert!(
        violations.is_empty(),
        "{} violations:\n{}",
        violations.len(),
        violations.join("\n")
    );
}

fn check(spec: &Spec, entry: &JournalEntry, violations: &mut Vec<String>) {
    let mut keep = |result: Result<(), Vec<Violation>>, what: &str| {
        if let Err(found) = result {
            violations.extend(
                found
                    .iter()
                    .map(|v| format!("{what} [{}]: {v}", entry.status)),
            );
        }
    };
    if !entry.query.is_empty() {
        keep(
            spec.validate_query(&entry.method, &entry.path, &entry.query),
            "query",
        );
    }
    if let Some(body) = &entry.request_body {
        keep(
            spec.validate_request_body(&entry.method, &entry.path, body),
            "request",
        );
    }
    let response = entry.response_body.clone().unwrap_or(Value::Null);
    keep(
        spec.validate_response_body(&entry.method, &entry.path, entry.status, &response),
        "response",
    );
}

fn client(sim: &RunningSim) -> Client {
    let hosts = Hosts::from_urls(&sim.base_url(), &sim.base_url()).unwrap();
    let mut config = ClientConfig::new(hosts, Credentials::new(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET));
    config.rate_budget.requests = 100_000.try_into().unwrap();
    Client::new(config).unwrap()
}

/// Calls every operation the client has, with realistic bodies, including error answers.
async fn session(client: &Client) {
    // Who and where.
    client.organization().await.unwrap();
    client.token_info().await.unwrap();
    let divisions = client.list_divisions().await.unwrap();
    let home = client.home_division().await.unwrap();
    let home_id = home.id.clone().unwrap();
    let other_division = divisions
        .iter()
        .find(|d| d.id != home.id)
        .and_then(|d| d.id.clone())
        .unwrap();
    let _: AuthzDivision = client.execute(api::divisions::get(&home_id)).await.unwrap();

    // Skills, languages, wrap-up codes.
    let skills = client.list_skills().await.unwrap();
    let skill = client.create_skill("Conformance Skill").await.unwrap();
    let skill_id = skill.id.clone().unwrap();
    assert!(
        client
            .list_skills_starting_with("Conformance")
            .await
            .unwrap()
            .iter()
            .any(|s| s.name == "Conformance Skill")
    );
    client.get_skill(&skill_id).await.unwrap();
    client
        .set_skill_division(&skill_id, &other_division)
        .await
        .unwrap();
    let duplicate = client.create_skill("Conformance Skill").await.unwrap_err();
    assert!(duplicate.is_name_conflict(), "{duplicate}");

    let languages = client.list_languages().await.unwrap();
    let language = client.create_language("Conformance Klingon").await.unwrap();
    let language_id = language.id.clone().unwrap();
    client.get_language(&language_id).await.unwrap();

    let codes = client.list_wrapup_codes().await.unwrap();
    let request = WrapupCodeRequest {
        name: "Conformance Code".into(),
        description: Some("d".into()),
        division: None,
    };
    let code = client.create_wrapup_code(&request).await.unwrap();
    let code_id = code.id.clone().unwrap();
    client.get_wrapup_code(&code_id).await.unwrap();
    let renamed = WrapupCodeRequest {
        description: Some("changed".into()),
        ..WrapupCodeRequest::from(&code)
    };
    client.update_wrapup_code(&code_id, &renamed).await.unwrap();
    assert!(
        client
            .create_wrapup_code(&request)
            .await
            .unwrap_err()
            .is_name_conflict()
    );

    // Queues: create with rich settings, read-modify-write, move, members, codes.
    let queue: Queue = serde_json::from_value(json!({
        "name": "Conformance Queue",
        "description": "built by the conformance suite",
        "division": {"id": home_id},
        "skillEvaluationMethod": "BEST",
        "scoringMethod": "TimestampAndPriority",
        "lastAgentRoutingMode": "QueueMembersOnly",
        "acwSettings": {"wrapupPrompt": "MANDATORY_TIMEOUT", "timeoutMs": 120000},
        "mediaSettings": {
            "call": {"alertingTimeoutSeconds": 8, "enableAutoAnswer": false,
                     "serviceLevel": {"percentage": 0.8, "durationMs": 20000}},
            "email": {"alertingTimeoutSeconds": 300, "serviceLevel": {"percentage": 0.8, "durationMs": 86400000}}
        },
        "bullseye": {"rings": [
            {"expansionCriteria": [{"type": "TIMEOUT_SECONDS", "threshold": 15.0}],
             "actions": {"skillsToRemove": [{"id": skills.iter().find(|s| s.is_live()).unwrap().id}]}},
            {"expansionCriteria": [{"type": "TIMEOUT_SECONDS", "threshold": 30.0}]},
            {}
        ]},
        "routingRules": [{"operator": "MEETS_THRESHOLD", "threshold": 9, "waitSeconds": 300.0}],
        "enableTranscription": true,
        "callingPartyName": "Acme Billing",
        "callingPartyNumber": "+3531000000"
    }))
    .unwrap();
    let created = client.create_queue(&queue).await.unwrap();
    let queue_id = created.id.clone().unwrap();
    let mut read = client.get_queue(&queue_id).await.unwrap();
    read.description = Some("changed by a read-modify-write".into());
    client.update_queue(&queue_id, &read).await.unwrap();
    let mut clash = read.clone();
    clash.name = client
        .list_queues(&QueueFilter::default())
        .await
        .unwrap()
        .iter()
        .find(|q| q.id != created.id)
        .unwrap()
        .name
        .clone();
    assert!(
        client
            .update_queue(&queue_id, &clash)
            .await
            .unwrap_err()
            .is_name_conflict()
    );
    let filtered = QueueFilter {
        name: Some("Conformance*".into()),
        ids: vec![queue_id.clone()],
        division_ids: vec![home_id.clone()],
    };
    assert_eq!(client.list_queues(&filtered).await.unwrap().len(), 1);
    client
        .move_queues_to_division(&other_division, std::slice::from_ref(&queue_id))
        .await
        .unwrap();
    assert!(
        client
            .get_queue("00000000-0000-4000-8000-000000000000")
            .await
            .unwrap_err()
            .is_not_found()
    );

    let users = client
        .list_users(&api::users::UserFilter {
            expand: vec!["skills".into(), "languages".into()],
            ..Default::default()
        })
        .await
        .unwrap();
    let user_ids: Vec<String> = users.iter().filter_map(|u| u.id.clone()).take(3).collect();
    let by_id = api::users::UserFilter {
        ids: user_ids.clone(),
        state: Some("any".into()),
        expand: vec![],
    };
    assert_eq!(
        client.list_users(&by_id).await.unwrap().len(),
        user_ids.len()
    );
    client.get_user(&user_ids[0], &["skills"]).await.unwrap();
    let emails: Vec<String> = users
        .iter()
        .filter_map(|u| u.email.clone())
        .take(2)
        .collect();
    assert_eq!(
        client
            .find_users_by_email(&emails, &["skills"])
            .await
            .unwrap()
            .len(),
        2
    );

    client
        .add_queue_members(&queue_id, &user_ids)
        .await
        .unwrap();
    client
        .set_queue_member_ring(&queue_id, &user_ids[0], 2)
        .await
        .unwrap();
    client
        .set_queue_members_joined(
            &queue_id,
            &[QueueMember::join_change(user_ids[1].clone(), false)],
        )
        .await
        .unwrap();
    assert_eq!(client.list_queue_members(&queue_id).await.unwrap().len(), 3);
    client
        .remove_queue_members(&queue_id, &user_ids[2..])
        .await
        .unwrap();
    client
        .delete_queue_member(&queue_id, &user_ids[1])
        .await
        .unwrap();
    let bad_ring = client
        .set_queue_member_ring(&queue_id, &user_ids[0], 7)
        .await
        .unwrap_err();
    assert_eq!(bad_ring.status(), Some(400), "{bad_ring}");

    client
        .add_queue_wrapup_codes(&queue_id, std::slice::from_ref(&code_id))
        .await
        .unwrap();
    assert_eq!(
        client
            .list_queue_wrapup_codes(&queue_id)
            .await
            .unwrap()
            .len(),
        1
    );
    client
        .remove_queue_wrapup_code(&queue_id, &code_id)
        .await
        .unwrap();

    // Agents' skills and languages.
    let user = &user_ids[0];
    let other_skill = skills
        .iter()
        .filter(|s| s.is_live())
        .nth(1)
        .unwrap()
        .id
        .clone()
        .unwrap();
    client.list_user_skills(user).await.unwrap();
    client
        .replace_user_skills(
            user,
            &[UserRoutingSkillPost {
                id: skill_id.clone(),
                proficiency: 4.0,
            }],
        )
        .await
        .unwrap();
    client
        .patch_user_skills(
            user,
            &[UserRoutingSkillPost {
                id: other_skill.clone(),
                proficiency: 2.5,
            }],
        )
        .await
        .unwrap();
    let _: UserRoutingSkill = client
        .execute(api::user_routing::update_skill(user, &other_skill, 3.0))
        .await
        .unwrap();
    client.remove_user_skill(user, &other_skill).await.unwrap();
    let _: UserRoutingSkill = client
        .execute(api::user_routing::add_skill(
            user,
            &UserRoutingSkillPost {
                id: other_skill.clone(),
                proficiency: 1.0,
            },
        ))
        .await
        .unwrap();
    let out_of_range = client
        .patch_user_skills(
            user,
            &[UserRoutingSkillPost {
                id: skill_id.clone(),
                proficiency: 7.0,
            }],
        )
        .await;
    assert_eq!(out_of_range.unwrap_err().status(), Some(400));

    let first_language = languages
        .iter()
        .find(|l| l.is_live())
        .unwrap()
        .id
        .clone()
        .unwrap();
    client.list_user_languages(user).await.unwrap();
    client
        .patch_user_languages(
            user,
            &[UserRoutingLanguagePost {
                id: first_language.clone(),
                proficiency: 3.0,
            }],
        )
        .await
        .unwrap();
    let _: UserRoutingLanguage = client
        .execute(api::user_routing::update_language(
            user,
            &first_language,
            4.0,
        ))
        .await
        .unwrap();
    client
        .remove_user_language(user, &first_language)
        .await
        .unwrap();
    let _: UserRoutingLanguage = client
        .execute(api::user_routing::add_language(
            user,
            &UserRoutingLanguagePost {
                id: language_id.clone(),
                proficiency: 2.0,
            },
        ))
        .await
        .unwrap();

    // Utilization.
    let org_utilization = client.org_utilization().await.unwrap();
    let mut changed = org_utilization.clone();
    changed
        .utilization
        .get_or_insert_with(Default::default)
        .insert(
            "call".into(),
            MediaUtilization {
                maximum_capacity: Some(1),
                interruptable_media_types: Some(vec![]),
                include_non_acd: Some(false),
            },
        );
    // Utilization labels, used by an agent's utilization, then by nobody, then deleted.
    let label = client
        .create_utilization_label("Conformance")
        .await
        .unwrap();
    let label_id = label.id.clone().unwrap();
    client
        .rename_utilization_label(&label_id, "Conformance Renamed")
        .await
        .unwrap();
    client.get_utilization_label(&label_id).await.unwrap();
    client.list_utilization_labels().await.unwrap();
    changed.label_utilizations = Some(
        [(
            label_id.clone(),
            LabelUtilization {
                maximum_capacity: Some(2),
                interrupting_label_ids: Some(vec![]),
            },
        )]
        .into_iter()
        .collect(),
    );
    client.set_org_utilization(&changed).await.unwrap();
    client.user_utilization(user).await.unwrap();
    client.set_user_utilization(user, &changed).await.unwrap();
    client.utilization_label_agents(&label_id).await.unwrap();
    client.reset_user_utilization(user).await.unwrap();
    changed.label_utilizations = Some(Default::default());
    client.set_org_utilization(&changed).await.unwrap();
    client.delete_utilization_label(&label_id).await.unwrap();
    client
        .execute_empty(api::utilization::reset_org())
        .await
        .unwrap();

    // Routing settings: each part read, written back changed, the settings reset.
    let mut settings = client.routing_settings().await.unwrap();
    settings.reset_agent_score_on_presence_change = Some(true);
    client.set_routing_settings(&settings).await.unwrap();
    client
        .execute_empty(api::routing_settings::reset())
        .await
        .unwrap();
    let mut contact_center = client.contact_center_settings().await.unwrap();
    contact_center.remove_skills_from_blind_transfer = Some(true);
    client
        .patch_contact_center_settings(&contact_center)
        .await
        .unwrap();
    let mut transcription = client.transcription_settings().await.unwrap();
    transcription.transcription = Some("EnabledQueueFlow".into());
    transcription.transcription_confidence_threshold = Some(60);
    client
        .set_transcription_settings(&transcription)
        .await
        .unwrap();

    // Audits: realtime and asynchronous.
    let interval = "2000-01-01T00:00:00Z/2100-01-01T00:00:00Z".to_string();
    let filters = vec![AuditQueryFilter {
        property: "EntityId".into(),
        value: queue_id.clone(),
    }];
    let records = client
        .audit_realtime(&AuditRealtimeQueryRequest {
            interval: interval.clone(),
            service_name: Some("Routing".into()),
            filters: Some(filters.clone()),
            sort: Some(vec![AuditQuerySort {
                name: "Timestamp".into(),
                sort_order: "descending".into(),
            }]),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(!records.is_empty(), "the queue's changes were audited");
    let submitted = client
        .submit_audit_query(&AuditQueryRequest {
            interval,
            service_name: Some("Routing".into()),
            filters: Some(filters),
            sort: None,
        })
        .await
        .unwrap();
    let transaction = submitted.id.unwrap();
    client.audit_query_status(&transaction).await.unwrap();
    assert!(
        !client
            .audit_query_results(&transaction)
            .await
            .unwrap()
            .is_empty()
    );

    // Notifications.
    let channel = client.create_channel().await.unwrap();
    let channel_id = channel.id.unwrap();
    let topics = [
        ChannelTopic::new(format!("v2.routing.queues.{queue_id}.users")),
        ChannelTopic::new(format!("v2.audits.entitytype.Queue.entityid.{queue_id}")),
    ];
    client.subscribe(&channel_id, &topics).await.unwrap();
    let _: EntitiesOnly<ChannelTopic> = client
        .execute(api::notifications::add_subscriptions(
            &channel_id,
            &[ChannelTopic::new(format!("v2.users.{user}.routingStatus"))],
        ))
        .await
        .unwrap();
    assert_eq!(client.subscriptions(&channel_id).await.unwrap().len(), 3);
    let _: EntitiesOnly<Channel> = client
        .execute(api::notifications::list_channels())
        .await
        .unwrap();
    client
        .execute_empty(api::notifications::clear_subscriptions(&channel_id))
        .await
        .unwrap();
    let bad_topic = client
        .subscribe(&channel_id, &[ChannelTopic::new("v2.not.a.topic")])
        .await
        .unwrap_err();
    assert_eq!(bad_topic.status(), Some(400));

    // Lookups of what queues refer to, and skill groups.
    lookups(client, &other_division).await;

    // Deletes last.
    client.delete_queue(&queue_id, true).await.unwrap();
    client.delete_wrapup_code(&code_id).await.unwrap();
    client.delete_skill(&skill_id).await.unwrap();
    client.delete_language(&language_id).await.unwrap();
    assert!(codes.len() + skills.len() > 2);
}

/// The lookups (flows, prompts, scripts, groups, teams, and what other queue settings
/// reference) and the skill-group operations.
async fn lookups(client: &Client, division_id: &str) {
    use switchboard_client::models::{
        SkillGroup, SkillGroupCondition, SkillGroupMemberDivisions, SkillGroupRoutingCondition,
        SkillGroupWithMemberDivisions,
    };
    let flows = client
        .list_flows(&["inqueuecall", "inqueueemail"])
        .await
        .unwrap();
    assert_eq!(flows.len(), 2, "{flows:?}");
    let prompts = client
        .find_prompts(&["Support Whisper".into(), "Support Hold Music".into()])
        .await
        .unwrap();
    assert_eq!(prompts.len(), 2);
    assert!(!client.list_scripts().await.unwrap().is_empty());
    let groups = client
        .find_groups_by_name(&["Support Overflow".into()])
        .await
        .unwrap();
    let group_id = groups[0].id.clone().unwrap();
    client.get_group(&group_id).await.unwrap();
    assert_eq!(
        client.list_groups_by_id(&[group_id]).await.unwrap().len(),
        1
    );
    let teams = client.list_teams().await.unwrap();
    let team_id = teams[0].id.clone().unwrap();
    client.get_team(&team_id).await.unwrap();
    assert_eq!(
        client
            .find_teams_by_name(&["Support Night Team".into()])
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(!client.list_skill_groups().await.unwrap().is_empty());
    // What a queue's other settings reference.
    assert_eq!(
        client.list_canned_response_libraries().await.unwrap().len(),
        1
    );
    let domains = client.list_email_domains().await.unwrap();
    assert_eq!(domains.len(), 2);
    for domain in domains.iter().filter_map(|d| d.id.as_deref()) {
        assert_eq!(client.list_email_routes(domain).await.unwrap().len(), 1);
    }
    assert_eq!(client.list_sms_phone_numbers().await.unwrap().len(), 1);
    for messenger_type in [
        api::message_recipients::OPEN,
        api::message_recipients::WHATSAPP,
    ] {
        let recipients = client
            .list_message_recipients(messenger_type)
            .await
            .unwrap();
        assert_eq!(recipients.len(), 1, "{messenger_type}");
    }
    assert_eq!(client.list_edge_groups().await.unwrap().len(), 1);
    assert_eq!(client.list_sites().await.unwrap().len(), 1);
    let condition = SkillGroupCondition {
        routing_skill_conditions: vec![SkillGroupRoutingCondition {
            routing_skill: "Billing".into(),
            comparator: "GreaterThanOrEqualTo".into(),
            proficiency: 2,
            ..SkillGroupRoutingCondition::default()
        }],
        operation: "And".into(),
        ..SkillGroupCondition::default()
    };
    let created = client
        .create_skill_group(&SkillGroupWithMemberDivisions {
            group: SkillGroup {
                name: "Conformance Skill Group".into(),
                skill_conditions: vec![condition],
                ..SkillGroup::default()
            },
            member_divisions: None,
        })
        .await
        .unwrap();
    let id = created.group.id.clone().unwrap();
    let mut read = client.get_skill_group(&id).await.unwrap();
    read.description = Some("renamed by the conformance session".into());
    client.update_skill_group(&id, &read).await.unwrap();
    client.list_skill_group_members(&id).await.unwrap();
    client
        .change_skill_group_member_divisions(
            &id,
            &SkillGroupMemberDivisions {
                add_division_ids: Some(vec![division_id.to_string()]),
                remove_division_ids: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        client
            .skill_group_member_divisions(&id)
            .await
            .unwrap()
            .len(),
        1
    );
    client.delete_skill_group(&id).await.unwrap();
}
