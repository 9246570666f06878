//! Plans applied against the simulator over real HTTP, each ending with the golden
//! invariant: plan → apply → plan shows no changes.

use serde_json::json;
use switchboard_apply::{Status, run, stale};
use switchboard_client::Client;
use switchboard_fetch::fetch;
use switchboard_manifest::{Manifest, load_str};
use switchboard_plan::render::{TextStyle, text};
use switchboard_plan::{Plan, Policy};
use switchboard_sim::{RunningSim, Sim};

use crate::harness::{assert_converged, client, demo_org, plan};

const QUICKSTART: &str = include_str!("../../../../examples/quickstart/manifest.yaml");

async fn sim() -> RunningSim {
    Sim::builder().fixture(demo_org()).start().await.unwrap()
}

fn manifest(text: &str) -> Manifest {
    let loaded = load_str("manifest.yaml", text);
    assert!(loaded.diagnostics.is_empty(), "{}", loaded.findings_text());
    loaded.manifest.unwrap()
}

/// Applies `manifest` and checks that a fresh plan is then empty.
async fn converges(client: &Client, manifest: &Manifest) -> Plan {
    let policy = Policy::default();
    let (planned, live) = plan(client, manifest, &policy).await;
    assert!(!planned.is_empty(), "the case has something to do");
    assert!(stale(&planned, &live).is_empty());
    let report = run(client, &planned, &live).await;
    assert!(report.succeeded(), "{report:#?}");
    assert_converged(client, manifest, &policy).await;
    planned
}

#[tokio::test]
async fn the_quickstart_converges_and_keeps_fields_set_out_of_band() {
    let sim = sim().await;
    let client = client(&sim);
    // Set in the admin UI, not modelled by switchboard: must survive the full PUT.
    sim.admin()
        .set_queue_field("Billing EN", "/enableAudioMonitoring", json!(true))
        .unwrap();
    let manifest = manifest(&QUICKSTART.replace(
        "description: Billing questions in English",
        "description: Billing questions, in English",
    ));
    let planned = converges(&client, &manifest).await;
    assert!(
        planned
            .changes
            .iter()
            .any(|c| c.address.name == "Billing EN"
                && c.address.kind == switchboard_plan::ResourceKind::Queue),
        "the queue's settings were updated"
    );
    let queues = client
        .list_queues(&switchboard_client::models::QueueFilter::default())
        .await
        .unwrap();
    let billing = queues.iter().find(|q| q.name == "Billing EN").unwrap();
    let body = serde_json::to_value(billing).unwrap();
    assert_eq!(body["enableAudioMonitoring"], json!(true), "{body:#}");
    assert_eq!(
        body["callingPartyName"],
        json!("Example Billing"),
        "{body:#}"
    );
    assert_eq!(body["description"], json!("Billing questions, in English"));
    sim.shutdown().await;
}

#[tokio::test]
async fn members_codes_agents_and_renames_converge() {
    let sim = sim().await;
    let client = client(&sim);
    let manifest = manifest(
        r#"
version: 1
org: { name: Switchboard Demo Org, region: mypurecloud.ie }
skills:
  - { name: Billing Support, renamedFrom: [Billing] }
  - { name: Technical Support }
languages: [{ name: English }, { name: Spanish }]
wrapupCodes:
  - { name: Solved, renamedFrom: [Resolved], description: Issue solved on first contact }
  - { name: Escalated, description: Handed to a supervisor or second line }
queues:
  - name: Billing (English)
    renamedFrom: [Billing EN]
    bullseye:
      rings:
        - expansionTimeoutSeconds: 15
        - expansionTimeoutSeconds: 30
        - {}
    wrapupCodes: { mode: authoritative, codes: [Solved] }
    members:
      mode: authoritative
      users:
        - { user: ana.silva@example.com, ring: 2 }
        - { user: dara.novak@example.com, ring: 3 }
agents:
  - user: bo.berg@example.com
    skills: { mode: authoritative, proficiency: { Billing Support: 4, Technical Support: 1 } }
    languages: { mode: additive, proficiency: { Spanish: 2 } }
"#,
    );
    let planned = converges(&client, &manifest).await;
    let summary = planned.summary();
    assert_eq!(summary.destroy, 1, "the replaced skill is deleted");
    let skills = client.list_skills().await.unwrap();
    assert!(
        !skills.iter().any(|s| s.name == "Billing" && s.is_live()),
        "the old skill is gone"
    );
    // Chen held Billing without being in the manifest: the replace moved it.
    let live = fetch(&client, &manifest).await.unwrap();
    let chen = client
        .find_users_by_email(&["chen.okafor@example.com".to_string()], &["skills"])
        .await
        .unwrap();
    let chen_id = chen[0].id.clone().unwrap();
    let chen_skills = client.list_user_skills(&chen_id).await.unwrap();
    let support = &live.skills["Billing Support"].id;
    assert!(
        chen_skills.iter().any(|s| s.id.as_ref() == Some(support)),
        "{chen_skills:?}"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn a_plan_is_stale_when_its_objects_change_after_it_was_made() {
    let sim = sim().await;
    let client = client(&sim);
    let manifest = manifest(QUICKSTART);
    let (planned, _) = plan(&client, &manifest, &Policy::default()).await;
    sim.admin()
        .set_queue_field(
            "Billing EN",
            "/description",
            json!("edited in the admin UI"),
        )
        .unwrap();
    sim.admin()
        .set_member_ring("Billing EN", "chen.okafor@example.com", 1)
        .unwrap();
    let fresh = fetch(&client, &manifest).await.unwrap();
    let stale: Vec<String> = stale(&planned, &fresh)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        stale,
        ["members of queue \"Billing EN\" changed since the plan was made"],
        "the queue's own settings are not in the plan, so only its members are stale"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn an_object_created_between_plan_and_apply_is_adopted() {
    let sim = sim().await;
    let client = client(&sim);
    let manifest = manifest(QUICKSTART);
    let (planned, _) = plan(&client, &manifest, &Policy::default()).await;
    sim.admin().create_skill("Refunds").unwrap();
    let live = fetch(&client, &manifest).await.unwrap();
    let report = run(&client, &planned, &live).await;
    assert!(report.succeeded(), "{report:#?}");
    assert!(
        report
            .steps
            .iter()
            .any(|s| s.object == "skill \"Refunds\"" && s.status == Status::Adopted),
        "{report:#?}"
    );
    let refunds = client
        .list_skills()
        .await
        .unwrap()
        .into_iter()
        .filter(|s| s.name == "Refunds" && s.is_live())
        .count();
    assert_eq!(refunds, 1, "no duplicate");
    let (after, _) = plan(&client, &manifest, &Policy::default()).await;
    assert!(
        after.changes.is_empty(),
        "{}",
        text(&after, &TextStyle::default())
    );
    sim.shutdown().await;
}
