//! End to end against the simulator: read the whole org, export it, write the files, load
//! them back and plan them against the org: no errors, no changes, and the same bytes every
//! time.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::json;
use switchboard_client::models::{Queue, QueueFilter};
use switchboard_client::{Client, ClientConfig, Credentials, Hosts, RateBudget};
use switchboard_export::{Export, ExportOptions, export};
use switchboard_fetch::{EverythingScope, Live, fetch_everything};
use switchboard_manifest::model::Mode;
use switchboard_manifest::{LoadOptions, load};
use switchboard_plan::{Policy, diff};
use switchboard_sim::{
    DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Fixture, GeneratorSpec, RateLimit, RunningSim, Sim,
    SimBuilder,
};

const SIM_ORG: &str = include_str!("../../../examples/sim-org.yaml");

/// A simulator without its per-minute rate limit (these tests read hundreds of pages).
fn unlimited() -> SimBuilder {
    Sim::builder().rate_limit(RateLimit {
        per_window: 0,
        window: Duration::from_secs(60),
    })
}

/// The simulator's demo org (examples/sim-org.yaml), without a rate limit.
async fn demo_org() -> RunningSim {
    unlimited()
        .fixture(Fixture::from_yaml(SIM_ORG).unwrap())
        .start()
        .await
        .unwrap()
}

fn client(sim: &RunningSim) -> Client {
    let hosts = Hosts::from_urls(&sim.base_url(), &sim.base_url()).unwrap();
    let mut config = ClientConfig::new(hosts, Credentials::new(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET));
    config.rate_budget = RateBudget {
        requests: 100_000.try_into().unwrap(),
        window: Duration::from_secs(1),
    };
    Client::new(config).unwrap()
}

async fn read_and_export(client: &Client) -> (Live, Export) {
    let live = fetch_everything(client, &EverythingScope::default())
        .await
        .unwrap();
    let export = export(&live, &ExportOptions::all("mypurecloud.ie")).unwrap();
    (live, export)
}

/// Writes the files into a fresh directory of this test's own.
fn write(name: &str, export: &Export) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("switchboard-export-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for file in &export.files {
        let path = dir.join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &file.contents).unwrap();
    }
    dir
}

/// Loads `dir` (no error; warnings printed) and plans it against `live`: no change.
fn loads_and_plans_nothing(dir: &Path, live: &Live) {
    let loaded = load(dir, &LoadOptions::default());
    assert!(!loaded.has_errors(), "{}", loaded.findings_text());
    eprint!("{}", loaded.findings_text());
    let manifest = loaded.manifest.unwrap();
    let plan = diff(&manifest, live, &Policy::default()).unwrap();
    assert!(
        plan.changes.is_empty(),
        "the export plans changes: {:#?}",
        plan.changes
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_200_queue_1000_user_org_exports_to_a_manifest_that_plans_no_changes() {
    let spec = GeneratorSpec {
        queues: 200,
        users: 1_000,
        ..GeneratorSpec::small()
    };
    let sim = unlimited().generate(spec).start().await.unwrap();
    let client = client(&sim);
    let (live, first) = read_and_export(&client).await;
    assert_eq!(first.manifest.queues.len(), 200);
    assert_eq!(first.manifest.agents.len(), 1_000);
    assert_eq!(first.manifest.skills.len(), spec.skills);
    // The generated queues route bullseye with three rings and put members in rings 1-3:
    // every member is listed, with its ring, and members are authoritative.
    let listed: usize = first
        .manifest
        .queues
        .iter()
        .map(|q| q.members.as_ref().unwrap().users.len())
        .sum();
    assert_eq!(listed, spec.memberships);
    let outer = first
        .manifest
        .queues
        .iter()
        .flat_map(|q| q.members.as_ref().unwrap().users.iter())
        .filter(|m| m.ring.is_some_and(|r| r > 1))
        .count();
    assert!(
        outer > 0,
        "members in rings 2-3 are written with their ring"
    );
    assert!(
        first
            .manifest
            .queues
            .iter()
            .all(|q| q.members.as_ref().unwrap().mode == Mode::Authoritative),
        "no member is left out, so none is additive"
    );
    assert!(
        first.notes.is_empty(),
        "nothing left out: {:#?}",
        first.notes
    );
    let dir = write("generated", &first);
    loads_and_plans_nothing(&dir, &live);

    // Read again, export again: the same bytes.
    let (_, second) = read_and_export(&client).await;
    assert_eq!(first.files, second.files);
    let size: usize = first.files.iter().map(|f| f.contents.len()).sum();
    eprintln!(
        "exported 200 queues and 1,000 agents: {} files, {size} bytes",
        first.files.len()
    );
    std::fs::remove_dir_all(dir).unwrap();
    sim.shutdown().await;
}

/// The id of the demo org's in-queue call flow "Support In-Queue".
async fn flow_id(client: &Client) -> String {
    client
        .list_flows(&["inqueuecall"])
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.name == "Support In-Queue")
        .and_then(|f| f.id)
        .unwrap()
}

/// The demo org, with the settings a plain fixture does not have: flows and prompts, a
/// bullseye that removes a skill, conditional group routing, defaults, unmodelled fields.
async fn enrich(client: &Client) {
    let queues = client.list_queues(&QueueFilter::default()).await.unwrap();
    let id_of = |name: &str| {
        queues
            .iter()
            .find(|q| q.name == name)
            .and_then(|q| q.id.clone())
            .unwrap()
    };
    let skills = client.list_skills().await.unwrap();
    let disputes = skills
        .iter()
        .find(|s| s.name == "Disputes")
        .and_then(|s| s.id.clone())
        .unwrap();
    let (billing_en, billing_es) = (id_of("Billing EN"), id_of("Billing ES"));
    // The demo org's own in-queue flow: export writes it by name, since the name finds it.
    let flow = flow_id(client).await;
    let mut body = serde_json::to_value(client.get_queue(&billing_en).await.unwrap()).unwrap();
    let extra = json!({
        "queueFlow": {"id": flow, "name": "Support In-Queue"},
        "whisperPrompt": {"id": "8f2b7c1e-0000-4000-8000-000000000002"},
        "enableTranscription": false,
        "enableAudioMonitoring": true,
        "autoAnswerOnly": false,
        "bullseye": {"rings": [
            {"expansionCriteria": [{"type": "TIMEOUT_SECONDS", "threshold": 15}]},
            {"expansionCriteria": [{"type": "TIMEOUT_SECONDS", "threshold": 30}],
             "actions": {"skillsToRemove": [{"id": disputes}]}},
            {}
        ]},
        "conditionalGroupRouting": {"rules": [
            {"queue": {"id": billing_en}, "metric": "EstimatedWaitTime", "operator": "GreaterThan",
             "conditionValue": 120, "waitSeconds": 30,
             "groups": [{"id": "0b1e4f20-6a1d-4c1e-9b7a-3f5c2d8e0a01", "name": "Billing Overflow", "type": "GROUP"}]},
            {"queue": {"id": billing_es}, "metric": "ServiceLevel", "operator": "LessThan",
             "conditionValue": 0.6, "waitSeconds": 60,
             "groups": [{"id": "0b1e4f20-6a1d-4c1e-9b7a-3f5c2d8e0a04", "name": "Team Leads", "type": "TEAM"}]}
        ]},
    });
    for (key, value) in extra.as_object().unwrap() {
        body[key] = value.clone();
    }
    body["mediaSettings"]["call"]["enableAutoAnswer"] = json!(false);
    body["mediaSettings"]["message"] = json!({
        "alertingTimeoutSeconds": 40,
        "serviceLevel": {"percentage": 0.8, "durationMs": 30000},
        "subTypeSettings": {"sms": {"enableAutoAnswer": true}}
    });
    let queue: Queue = serde_json::from_value(body).unwrap();
    client.update_queue(&billing_en, &queue).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_org_exports_by_name_without_defaults_and_plans_no_changes() {
    let sim = demo_org().await;
    let client = client(&sim);
    enrich(&client).await;
    let (live, export) = read_and_export(&client).await;
    let dir = write("demo", &export);
    loads_and_plans_nothing(&dir, &live);

    let paths: Vec<&str> = export.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "agents.yaml",
            "languages.yaml",
            "org.yaml",
            "queues/customer-care.yaml",
            "queues/sales.yaml",
            "skill-groups.yaml",
            "skills.yaml",
            "wrapup-codes.yaml"
        ]
    );
    let care = std::fs::read_to_string(dir.join("queues/customer-care.yaml")).unwrap();
    for expected in [
        "  queueFlow:\n    name: Support In-Queue\n",
        "  whisperPrompt:\n    id: 8f2b7c1e-0000-4000-8000-000000000002\n",
        "      skillsToRemove:\n      - Disputes\n",
        "    - queue: Billing ES\n",
        "      - name: Billing Overflow\n        id: 0b1e4f20-6a1d-4c1e-9b7a-3f5c2d8e0a01\n        type: GROUP\n",
        "  enableAudioMonitoring: true\n",
        "    message:\n      alertingTimeoutSeconds: 40\n",
        "      subTypeSettings:\n        sms:\n          enableAutoAnswer: true\n",
    ] {
        assert!(care.contains(expected), "{expected:?} not in\n{care}");
    }
    assert!(
        !care.contains(&flow_id(&client).await),
        "the flow is by name, not id"
    );
    for absent in [
        "enableTranscription",
        "autoAnswerOnly",
        "enableAutoAnswer: false",
        "outboundEmailAddress",
        "gita.costa",
    ] {
        assert!(!care.contains(absent), "{absent:?} in\n{care}");
    }
    // gita.costa is in Billing ES through a group: not listed there (she is in Sales EN
    // directly). hugo.haddad is inactive: a member still (so he is not removed), no agent.
    let agents = std::fs::read_to_string(dir.join("agents.yaml")).unwrap();
    assert!(agents.contains("# - agent hugo.haddad@example.com: inactive"));
    assert!(!agents.contains("- user: hugo.haddad@example.com"));
    assert!(care.contains("- user: hugo.haddad@example.com\n      ring: 3\n"));
    let codes = std::fs::read_to_string(dir.join("wrapup-codes.yaml")).unwrap();
    assert!(codes.contains("- name: Sale Completed\n  division: Sales\n"));
    assert!(
        codes.contains(
            "- name: Resolved\n  description: Issue solved on first contact\n  division: Home\n"
        ),
        "{codes}"
    );
    let org = std::fs::read_to_string(dir.join("org.yaml")).unwrap();
    assert!(org.contains("  name: Switchboard Demo Org\n"));
    assert!(
        org.contains("scope:\n  divisions:\n  - Customer Care\n  - Home\n  - Sales\n"),
        "{org}"
    );
    std::fs::remove_dir_all(dir).unwrap();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_contact_center_example_applied_then_exported_plans_no_changes_either_way() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/contact-center");
    let loaded = load(&example, &LoadOptions::default());
    let original = loaded.manifest.unwrap();
    let sim = unlimited()
        .fixture(switchboard_seed::bare_org(&original))
        .start()
        .await
        .unwrap();
    let client = client(&sim);
    let live = switchboard_fetch::fetch(&client, &original).await.unwrap();
    let plan = diff(&original, &live, &Policy::default()).unwrap();
    let report = switchboard_apply::run(&client, &plan, &live).await;
    let failed: Vec<String> = report
        .steps
        .iter()
        .filter(|s| !matches!(s.status, switchboard_apply::Status::Applied))
        .map(|s| format!("{}: {:?}", s.object, s.status))
        .collect();
    assert!(report.succeeded(), "the example applies: {failed:#?}");

    // With the agents' capacity read, as `export --capacity` does.
    let scope = EverythingScope {
        capacity: true,
        ..EverythingScope::default()
    };
    let live = fetch_everything(&client, &scope).await.unwrap();
    let export = export(&live, &ExportOptions::all("mypurecloud.ie")).unwrap();
    let dir = write("contact-center", &export);
    loads_and_plans_nothing(&dir, &live);
    // The exported manifest covers the example: the example plans no changes either, and
    // has the same objects.
    let again = diff(&original, &live, &Policy::default()).unwrap();
    assert!(again.changes.is_empty(), "{:#?}", again.changes);
    let names = |m: &switchboard_manifest::Manifest| -> Vec<String> {
        let mut names: Vec<String> = m.queues.iter().map(|q| q.name.clone()).collect();
        names.extend(m.skills.iter().map(|s| s.name.clone()));
        names.extend(m.agents.iter().map(|a| a.user.clone()));
        names.sort();
        names
    };
    assert_eq!(names(&export.manifest), names(&original));
    // The queue that sets everything a queue has comes back as the example writes it.
    let omnichannel = |m: &switchboard_manifest::Manifest| {
        let mut queue = m
            .queues
            .iter()
            .find(|q| q.name == "Customer Care Omnichannel-EN")
            .cloned()
            .unwrap();
        queue.wrapup_codes.as_mut().unwrap().codes.sort();
        let users = &mut queue.members.as_mut().unwrap().users;
        users.sort_by(|a, b| a.user.cmp(&b.user));
        // Ring 1 is the default ring, which export leaves out.
        for user in users.iter_mut().filter(|u| u.ring == Some(1)) {
            user.ring = None;
        }
        serde_json::to_value(queue).unwrap()
    };
    assert_eq!(omnichannel(&export.manifest), omnichannel(&original));
    // So does the capacity of the agent who sets every media type's.
    let capacity = |m: &switchboard_manifest::Manifest| {
        m.agents
            .iter()
            .find(|a| a.user == "olivia.bennett@example.com")
            .and_then(|a| a.capacity.clone())
    };
    assert!(capacity(&original).is_some());
    assert_eq!(capacity(&export.manifest), capacity(&original));
    let paths: Vec<&str> = export.files.iter().map(|f| f.path.as_str()).collect();
    assert!(paths.contains(&"queues/customer-care.yaml") && paths.contains(&"queues/sales.yaml"));
    let care = &export
        .files
        .iter()
        .find(|f| f.path == "queues/customer-care.yaml")
        .unwrap()
        .contents;
    assert!(care.contains("skillsToRemove:\n      - Disputes\n"));
    assert!(care.contains("id: 0b1e4f20-6a1d-4c1e-9b7a-3f5c2d8e0a01\n"));
    assert!(
        export.notes.is_empty(),
        "everything the example sets can be written: {:#?}",
        export.notes
    );
    std::fs::remove_dir_all(dir).unwrap();
    sim.shutdown().await;
}

/// `examples/promotion` for `env`, applied to its simulated org.
async fn promoted(env: &str) -> (switchboard_manifest::Manifest, RunningSim) {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let loaded = load(
        &examples.join("promotion"),
        &LoadOptions {
            env: Some(env.to_string()),
            ..LoadOptions::default()
        },
    );
    let manifest = loaded.manifest.unwrap();
    let seed = std::fs::read_to_string(examples.join(format!("sim-promotion-{env}.yaml"))).unwrap();
    let sim = unlimited()
        .fixture(Fixture::from_yaml(&seed).unwrap())
        .start()
        .await
        .unwrap();
    let client = client(&sim);
    let live = switchboard_fetch::fetch(&client, &manifest).await.unwrap();
    let plan = diff(&manifest, &live, &Policy::default()).unwrap();
    let report = switchboard_apply::run(&client, &plan, &live).await;
    let failed: Vec<String> = report
        .steps
        .iter()
        .filter(|s| !matches!(s.status, switchboard_apply::Status::Applied))
        .map(|s| format!("{}: {:?}", s.object, s.status))
        .collect();
    assert!(report.succeeded(), "the example applies: {failed:#?}");
    (manifest, sim)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_org_using_flows_prompts_and_groups_exports_them_by_name_not_id() {
    let (_, sim) = promoted("prod").await;
    let client = client(&sim);
    let (live, export) = read_and_export(&client).await;
    let dir = write("promotion", &export);
    loads_and_plans_nothing(&dir, &live);
    let queue = export
        .manifest
        .queues
        .iter()
        .find(|q| q.name == "Billing EN")
        .unwrap();
    let text = serde_json::to_string(queue).unwrap();
    for name in [
        "Billing In-Queue",
        "Billing Whisper",
        "Billing Script",
        "Billing Agents",
        "Billing Experts",
        "Billing Night Team",
        "Billing Overflow",
    ] {
        assert!(text.contains(name), "{name} not in {text}");
    }
    assert!(!text.contains("\"id\""), "names, not ids: {text}");
    // The skill group is declared whole: conditions by skill name, member divisions by name.
    let groups = serde_json::to_value(&export.manifest.skill_groups).unwrap();
    assert_eq!(
        groups,
        json!([{
            "name": "Billing Experts",
            "skillConditions": [{
                "routingSkillConditions": [
                    {"routingSkill": "Billing", "comparator": "GreaterThanOrEqualTo", "proficiency": 4}
                ],
                "languageSkillConditions": [],
                "operation": "And"
            }],
            "memberDivisions": []
        }])
    );
    // And the exported manifest plans no change against the org read afresh, with lookups.
    let manifest = load(&dir, &LoadOptions::default()).manifest.unwrap();
    let fresh = switchboard_fetch::fetch(&client, &manifest).await.unwrap();
    assert!(
        diff(&manifest, &fresh, &Policy::default())
            .unwrap()
            .changes
            .is_empty()
    );
    std::fs::remove_dir_all(dir).unwrap();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agents_capacity_is_exported_when_asked_for_only_for_agents_with_their_own() {
    let sim = demo_org().await;
    let client = client(&sim);
    let scope = EverythingScope {
        capacity: true,
        ..EverythingScope::default()
    };
    let live = fetch_everything(&client, &scope).await.unwrap();
    let exported = export(&live, &ExportOptions::all("mypurecloud.ie")).unwrap();
    let with_capacity: Vec<&str> = exported
        .manifest
        .agents
        .iter()
        .filter(|a| a.capacity.is_some())
        .map(|a| a.user.as_str())
        .collect();
    assert_eq!(
        with_capacity,
        ["eli.tanaka@example.com"],
        "the others use the org default"
    );
    let eli = exported
        .manifest
        .agents
        .iter()
        .find(|a| a.capacity.is_some())
        .unwrap();
    let capacity = eli.capacity.as_ref().unwrap();
    assert_eq!(
        capacity.mode,
        switchboard_manifest::model::CapacityMode::Authoritative
    );
    assert_eq!(capacity.chat.as_ref().unwrap().maximum_capacity, Some(2));
    let dir = write("capacity", &exported);
    loads_and_plans_nothing(&dir, &live);
    std::fs::remove_dir_all(dir).unwrap();

    // Without asking, nothing is read for it and nothing written.
    let (_, plain) = read_and_export(&client).await;
    assert!(plain.manifest.agents.iter().all(|a| a.capacity.is_none()));
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn routing_settings_are_exported_when_asked_for_and_plan_no_changes() {
    let sim = demo_org().await;
    let client = client(&sim);
    let transcription = switchboard_client::models::TranscriptionSettings {
        transcription: Some("EnabledQueueFlow".into()),
        transcription_confidence_threshold: Some(70),
        pii_redaction_enabled: Some(true),
        ..Default::default()
    };
    client
        .set_transcription_settings(&transcription)
        .await
        .unwrap();
    let scope = EverythingScope {
        routing_settings: true,
        ..EverythingScope::default()
    };
    sim.clear_journal();
    let live = fetch_everything(&client, &scope).await.unwrap();
    let settings_reads = sim
        .journal()
        .iter()
        .filter(|e| e.path.starts_with("/api/v2/routing/settings"))
        .count();
    assert_eq!(settings_reads, 3, "one GET per part");
    let exported = export(&live, &ExportOptions::all("mypurecloud.ie")).unwrap();
    let settings = exported.manifest.routing_settings.as_ref().unwrap();
    assert_eq!(settings.reset_agent_score_on_presence_change, Some(false));
    let written = settings.transcription.as_ref().unwrap();
    assert_eq!(written.transcription_confidence_threshold, Some(70));
    assert_eq!(written.pii_redaction_enabled, Some(true));
    let org = exported
        .files
        .iter()
        .find(|f| f.path == "org.yaml")
        .unwrap();
    assert!(
        org.contents.contains("routingSettings:")
            && org.contents.contains("transcription: EnabledQueueFlow"),
        "{}",
        org.contents
    );
    let dir = write("routing-settings", &exported);
    loads_and_plans_nothing(&dir, &live);
    // As plan reads it: only what the export manages, and still nothing to change.
    let manifest = load(&dir, &LoadOptions::default()).manifest.unwrap();
    let read = switchboard_fetch::fetch(&client, &manifest).await.unwrap();
    let plan = diff(&manifest, &read, &Policy::default()).unwrap();
    assert!(plan.changes.is_empty(), "{:#?}", plan.changes);
    std::fs::remove_dir_all(dir).unwrap();

    // Without asking, nothing is read for it and nothing written.
    sim.clear_journal();
    let (_, plain) = read_and_export(&client).await;
    assert!(plain.manifest.routing_settings.is_none());
    assert!(
        sim.journal()
            .iter()
            .all(|e| !e.path.starts_with("/api/v2/routing/settings"))
    );
    sim.shutdown().await;
}
