//! A wrap-up code in every division (`*`): created there when the manifest says so or names
//! no division (the API's default), moved there and back, each step converged.

use serde_json::Value;
use switchboard_plan::Policy;
use switchboard_sim::{Fixture, RunningSim};

use crate::harness::{apply_and_converge, client, manifest, plan, start};

const ORG: &str = r"
org: { name: Codes Org, id: 5a5b5c5d-1111-4222-8333-444455556666 }
divisions:
  - { name: Home, home: true }
  - { name: Sales }
";

/// The division id of the org's wrap-up code `name`, as the simulator holds it.
fn division_of(sim: &RunningSim, name: &str) -> Value {
    let snapshot = sim.snapshot();
    let code = snapshot["wrapupCodes"]
        .as_object()
        .and_then(|codes| codes.values().find(|c| c["name"] == name))
        .cloned()
        .unwrap_or_else(|| panic!("no wrap-up code {name}: {snapshot:#}"));
    code["divisionId"].clone()
}

async fn apply(client: &switchboard_client::Client, codes: &str) {
    let manifest = manifest(&format!(
        "version: 1
org: {{ name: Codes Org, region: mypurecloud.com }}
scope: {{ divisions: [Home, Sales] }}
wrapupCodes:
{codes}"
    ));
    let (planned, live) = plan(client, &manifest, &Policy::default()).await;
    apply_and_converge(client, &manifest, &planned, &live).await;
}

#[tokio::test]
async fn a_code_goes_to_every_division_and_back() {
    let sim = start(Fixture::from_yaml(ORG).unwrap()).await;
    let client = client(&sim);

    apply(
        &client,
        "  - { name: Resolved, division: \"*\" }\n  - { name: Escalated }\n  - { name: Sold, division: Sales }\n",
    )
    .await;
    assert_eq!(division_of(&sim, "Resolved"), "*");
    assert_eq!(division_of(&sim, "Escalated"), "*", "the API's default");
    let sales = division_of(&sim, "Sold");
    assert!(sales != "*" && sales.is_string(), "{sales}");

    // Moved: to one division, and from one division to every division.
    apply(
        &client,
        "  - { name: Resolved, division: Home }\n  - { name: Escalated }\n  - { name: Sold, division: \"*\" }\n",
    )
    .await;
    assert_ne!(division_of(&sim, "Resolved"), "*");
    assert_eq!(division_of(&sim, "Sold"), "*");
    sim.shutdown().await;
}
