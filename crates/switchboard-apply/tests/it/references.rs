//! References by name: one manifest whose queues name their flows, prompts, default script,
//! member groups, ring groups and group routing groups (not ids) planned, applied and planned
//! again empty against two orgs where every one of those objects has another id — the dev →
//! prod promotion that ids would break.

use serde_json::Value;
use std::path::Path;
use switchboard_client::Client;
use switchboard_fetch::fetch;

use switchboard_manifest::{LoadOptions, Manifest, load};
use switchboard_plan::{Action, PlanError, Policy, ResourceKind, diff};
use switchboard_sim::{Fixture, RunningSim};

use crate::harness::{apply_and_converge, client, plan, start};

/// `examples/promotion` for `env`, and the simulator seed of that org.
fn promotion(env: &str) -> (Manifest, Fixture) {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let loaded = load(
        &examples.join("promotion"),
        &LoadOptions {
            env: Some(env.to_string()),
            ..LoadOptions::default()
        },
    );
    assert!(!loaded.has_errors(), "{}", loaded.findings_text());
    let seed = std::fs::read_to_string(examples.join(format!("sim-promotion-{env}.yaml"))).unwrap();
    (loaded.manifest.unwrap(), Fixture::from_yaml(&seed).unwrap())
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
    ids.push(
        body["defaultScripts"]["CALL"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    );
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
    apply_and_converge(client, manifest, &planned, &live).await;
}

#[tokio::test]
async fn one_manifest_by_names_promotes_from_a_dev_org_to_a_prod_org_with_other_ids() {
    let (dev_manifest, dev_org) = promotion("dev");
    let (prod_manifest, prod_org) = promotion("prod");
    let dev = start(dev_org).await;
    let prod = start(prod_org).await;
    promote(&client(&dev), &dev_manifest).await;
    promote(&client(&prod), &prod_manifest).await;
    let (in_dev, in_prod) = (referenced_ids(&dev), referenced_ids(&prod));
    assert_eq!(in_dev.len(), 10, "{in_dev:?}");
    assert!(in_dev.iter().all(|id| !id.is_empty()), "{in_dev:?}");
    for (a, b) in in_dev.iter().zip(&in_prod) {
        assert_ne!(a, b, "each org's own object is used");
    }
    // The member groups bring their agents: Ana through "Billing Agents" (and the skill
    // group), Bo through the night team's ring.
    let members = dev.snapshot()["queues"]
        .as_object()
        .unwrap()
        .values()
        .find(|q| q["name"] == "Billing EN")
        .unwrap()["members"]
        .as_object()
        .unwrap()
        .len();
    assert_eq!(members, 2);
    dev.shutdown().await;
    prod.shutdown().await;
}

#[tokio::test]
async fn a_reference_the_org_lacks_refuses_the_plan_and_sends_no_write() {
    let (mut manifest, org) = promotion("dev");
    // A team: teams are listed whole, so a near name can be suggested.
    let rings = &mut manifest.queues[0].bullseye.as_mut().unwrap().rings;
    rings[1].member_groups.as_mut().unwrap()[0].name = "Billing Nigth Team".into();
    let sim = start(org).await;
    let client = client(&sim);
    let live = fetch(&client, &manifest).await.unwrap();
    let error = diff(&manifest, &live, &Policy::default()).unwrap_err();
    let PlanError::UnresolvedReferences { problems } = &error else {
        panic!("{error}");
    };
    assert_eq!(problems.len(), 1, "{error}");
    assert_eq!(
        problems[0].pointer,
        "/queues/0/bullseye/rings/1/memberGroups/0"
    );
    assert_eq!(problems[0].hint, r#"did you mean "Billing Night Team"?"#);
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
