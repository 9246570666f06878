//! References by name: one manifest whose queues name their flows, prompts, member groups,
//! ring groups and group routing groups (not ids) planned, applied and planned again empty against two orgs where every one of those
//! objects has another id — the dev → prod promotion that ids would break.

use serde_json::Value;
use switchboard_apply::{Status, run, stale};
use switchboard_client::Client;
use switchboard_fetch::fetch;
use switchboard_manifest::Manifest;
use switchboard_plan::{Action, PlanError, Policy, ResourceKind, diff};
use switchboard_sim::{Fixture, RunningSim};

use crate::harness::{assert_converged, client, manifest, plan, start};

const MANIFEST: &str = r#"
version: 1
org: { name: Promotion Org, region: mypurecloud.ie }
skills: [{ name: Billing }]
queues:
  - name: Billing EN
    queueFlow: { name: Billing In-Queue }
    emailInQueueFlow: { name: billing email in-queue }
    messageInQueueFlow: { name: Billing Messages }
    whisperPrompt: { name: Billing Whisper }
    onHoldPrompt: { name: Billing Hold }
    bullseye:
      rings:
        - { expansionTimeoutSeconds: 20 }
        - { memberGroups: [{ name: BILLING TEAM, type: TEAM }] }
    memberGroups:
      mode: authoritative
      groups:
        - { name: Billing Experts, type: SKILLGROUP }
        - { name: billing team, type: TEAM }
        - { name: Billing Overflow, type: GROUP }
    conditionalGroupRouting:
      rules:
        - metric: EstimatedWaitTime
          operator: GreaterThan
          conditionValue: 60
          waitSeconds: 20
          groups:
            - { name: Billing Overflow, type: GROUP }
            - { name: Billing Team, type: TEAM }
        - metric: EstimatedWaitTime
          operator: GreaterThan
          conditionValue: 120
          groups: [{ name: Billing Experts, type: SKILLGROUP }]
"#;

/// An org of the given id holding every object the manifest names (and decoys: a flow of
/// the same name but another type, and names that only start like the wanted ones).
fn org(id: &str) -> Fixture {
    Fixture::from_yaml(&format!(
        r#"
org: {{ name: Promotion Org, id: {id} }}
skills: [{{ name: Billing }}]
flows:
  - {{ name: Billing In-Queue, type: inqueuecall }}
  - {{ name: Billing In-Queue, type: inboundcall }}
  - {{ name: Billing In-Queue Old, type: inqueuecall }}
  - {{ name: Billing Email In-Queue, type: inqueueemail }}
  - {{ name: Billing Messages, type: inqueueshortmessage }}
prompts:
  - {{ name: Billing Whisper }}
  - {{ name: Billing Hold }}
  - {{ name: Billing Hold Music }}
groups:
  - {{ name: Billing Overflow }}
  - {{ name: Billing Overflow Night }}
teams:
  - {{ name: Billing Team }}
skillGroups:
  - name: Billing Experts
    skillConditions:
      - routingSkillConditions:
          - {{ routingSkill: Billing, comparator: GreaterThanOrEqualTo, proficiency: 4, childConditions: [] }}
        languageSkillConditions: []
        operation: And
"#
    ))
    .unwrap()
}

/// The ids the org's `Billing EN` queue points at, by field.
fn referenced_ids(sim: &RunningSim) -> Vec<String> {
    let snapshot = sim.snapshot();
    let queue = snapshot["queues"]
        .as_object()
        .unwrap()
        .values()
        .find(|q| q["name"] == "Billing EN")
        .cloned()
        .unwrap();
    // The simulator keeps a queue's writable fields under `settings`, as written.
    let body = queue["settings"].clone();
    let mut ids: Vec<String> = [
        "queueFlow",
        "emailInQueueFlow",
        "messageInQueueFlow",
        "whisperPrompt",
        "onHoldPrompt",
    ]
    .iter()
    .map(|key| body[key]["id"].as_str().unwrap_or_default().to_string())
    .collect();
    for group in body["bullseye"]["rings"][1]["memberGroups"]
        .as_array()
        .into_iter()
        .flatten()
    {
        ids.push(group["id"].as_str().unwrap_or_default().to_string());
    }
    for group in body["memberGroups"].as_array().into_iter().flatten() {
        ids.push(group["id"].as_str().unwrap_or_default().to_string());
    }
    for rule in body["conditionalGroupRouting"]["rules"]
        .as_array()
        .into_iter()
        .flatten()
    {
        for group in rule["groups"].as_array().into_iter().flatten() {
            ids.push(group["id"].as_str().unwrap_or_default().to_string());
        }
    }
    ids
}

async fn promote(client: &Client, manifest: &Manifest) {
    let (planned, live) = plan(client, manifest, &Policy::default()).await;
    let queue = planned
        .changes
        .iter()
        .find(|c| c.address.kind == ResourceKind::Queue)
        .unwrap();
    assert_eq!(queue.action, Action::Create);
    let rendered = serde_json::to_string(&queue.attributes).unwrap();
    assert!(
        rendered.contains("Billing In-Queue") && !rendered.contains("flow-"),
        "the plan shows names: {rendered}"
    );
    assert!(stale(&planned, &live).is_empty());
    let report = run(client, &planned, &live).await;
    for step in &report.steps {
        assert!(
            matches!(step.status, Status::Applied | Status::Adopted),
            "{}: {:?}",
            step.object,
            step.status
        );
    }
    assert_converged(client, manifest, &Policy::default()).await;
}

#[tokio::test]
async fn one_manifest_by_names_promotes_from_a_dev_org_to_a_prod_org_with_other_ids() {
    let manifest = manifest(MANIFEST);
    let dev = start(org("6f1c3a52-0a7e-4c55-9a51-1d2b3c4d5e01")).await;
    let prod = start(org("a8e2d9c0-5b4f-4e1a-8c3d-7f6e5d4c3b02")).await;
    promote(&client(&dev), &manifest).await;
    promote(&client(&prod), &manifest).await;
    let (in_dev, in_prod) = (referenced_ids(&dev), referenced_ids(&prod));
    assert_eq!(in_dev.len(), 12, "{in_dev:?}");
    assert!(in_dev.iter().all(|id| !id.is_empty()), "{in_dev:?}");
    for (a, b) in in_dev.iter().zip(&in_prod) {
        assert_ne!(a, b, "each org's own object is used");
    }
    dev.shutdown().await;
    prod.shutdown().await;
}

#[tokio::test]
async fn a_reference_the_org_lacks_refuses_the_plan_and_sends_no_write() {
    let manifest = manifest(&MANIFEST.replace("Billing Team", "Billing Tema"));
    let sim = start(org("6f1c3a52-0a7e-4c55-9a51-1d2b3c4d5e01")).await;
    let client = client(&sim);
    let live = fetch(&client, &manifest).await.unwrap();
    let error = diff(&manifest, &live, &Policy::default()).unwrap_err();
    let PlanError::UnresolvedReferences { problems } = &error else {
        panic!("{error}");
    };
    assert_eq!(problems.len(), 1, "{error}");
    assert_eq!(
        problems[0].pointer,
        "/queues/0/conditionalGroupRouting/rules/0/groups/1"
    );
    assert_eq!(problems[0].hint, r#"did you mean "Billing Team"?"#);
    let writes: Vec<Value> = sim
        .journal()
        .into_iter()
        .filter(|entry| entry.method != "GET" && !entry.path.ends_with("/search"))
        .filter(|entry| !entry.path.starts_with("/oauth"))
        .map(|entry| Value::String(format!("{} {}", entry.method, entry.path)))
        .collect();
    assert!(writes.is_empty(), "{writes:?}");
    sim.shutdown().await;
}
