//! Agents' capacity (routing utilization): set read-modify-write (what the manifest does not
//! list is written back as read), back to the org default by a DELETE, and never written over
//! an edit made after the plan. Every step ends converged.

use serde_json::{Value, json};
use switchboard_client::models::{MediaUtilization, Utilization};
use switchboard_plan::{Policy, ResourceKind};
use switchboard_sim::{Fixture, RunningSim};

use crate::harness::{apply_and_converge, client, manifest, plan, start};

const ORG: &str = r"
org: { name: Capacity Org, id: 0d0c0b0a-2222-4222-8333-444455556666 }
divisions:
  - { name: Home, home: true }
users:
  - { email: ana@example.com, name: Ana }
  - email: bo@example.com
    name: Bo
    utilization:
      utilization:
        call: { maximumCapacity: 1, interruptableMediaTypes: [], includeNonAcd: false }
        chat: { maximumCapacity: 2, interruptableMediaTypes: [call], includeNonAcd: true }
        email: { maximumCapacity: 3, interruptableMediaTypes: [], includeNonAcd: false }
      maxInboundCalls: 1
  - { email: cy@example.com, name: Cy }
";

const HEAD: &str = r"
version: 1
org: { name: Capacity Org, region: mypurecloud.com }
";

/// The utilization the simulator holds for the user with `email`, `null` for none of its own.
fn own_utilization(sim: &RunningSim, email: &str) -> Value {
    sim.snapshot()["users"]
        .as_object()
        .unwrap()
        .values()
        .find(|u| u["email"] == email)
        .map(|u| u["utilization"].clone())
        .unwrap_or(Value::Null)
}

#[tokio::test]
async fn capacity_is_set_kept_where_unlisted_and_returned_to_the_org_default() {
    let sim = start(Fixture::from_yaml(ORG).unwrap()).await;
    let client = client(&sim);

    let text = format!(
        "{HEAD}
agents:
  - user: ana@example.com
    capacity:
      mode: authoritative
      chat: {{ maximumCapacity: 3, interruptableMediaTypes: [call, email] }}
      maxInboundCalls: 2
  - user: bo@example.com
    capacity: {{ mode: additive, email: {{ maximumCapacity: 5 }} }}
  - user: cy@example.com
    capacity: {{ mode: orgDefault }}
"
    );
    let first = manifest(&text);
    let (planned, live) = plan(&client, &first, &Policy::default()).await;
    let addresses: Vec<String> = planned
        .changes
        .iter()
        .map(|c| c.address.to_string())
        .collect();
    assert_eq!(
        addresses,
        [
            r#"agent_capacity["ana@example.com"]"#,
            r#"agent_capacity["bo@example.com"]"#,
        ],
        "cy already uses the org default"
    );
    apply_and_converge(&client, &first, &planned, &live).await;

    let ana = own_utilization(&sim, "ana@example.com");
    assert_eq!(ana["utilization"]["chat"]["maximumCapacity"], 3);
    assert_eq!(
        ana["utilization"]["chat"]["interruptableMediaTypes"],
        json!(["call", "email"])
    );
    assert_eq!(ana["utilization"]["chat"]["includeNonAcd"], false);
    assert_eq!(ana["maxInboundCalls"], 2);
    assert_eq!(
        ana["utilization"]["call"]["maximumCapacity"], 1,
        "unlisted media types keep the values read (the org default's)"
    );
    let bo = own_utilization(&sim, "bo@example.com");
    assert_eq!(bo["utilization"]["email"]["maximumCapacity"], 5);
    assert_eq!(
        bo["utilization"]["chat"],
        json!({"maximumCapacity": 2, "interruptableMediaTypes": ["call"], "includeNonAcd": true}),
        "additive: what is not written is kept"
    );
    assert_eq!(bo["maxInboundCalls"], 1);

    // Back to the org default: a DELETE of the agent's own settings.
    let text = text.replace(
        "capacity: { mode: additive, email: { maximumCapacity: 5 } }",
        "capacity: { mode: orgDefault }",
    );
    let second = manifest(&text);
    let (planned, live) = plan(&client, &second, &Policy::default()).await;
    assert_eq!(planned.changes.len(), 1);
    assert_eq!(planned.changes[0].address.kind, ResourceKind::AgentCapacity);
    apply_and_converge(&client, &second, &planned, &live).await;
    assert_eq!(own_utilization(&sim, "bo@example.com"), Value::Null);
}

#[tokio::test]
async fn a_capacity_edited_after_the_plan_is_not_written_over() {
    let sim = start(Fixture::from_yaml(ORG).unwrap()).await;
    let client = client(&sim);
    let wanted = manifest(&format!(
        "{HEAD}
agents:
  - user: bo@example.com
    capacity: {{ mode: additive, email: {{ maximumCapacity: 5 }} }}
"
    ));
    let (planned, live) = plan(&client, &wanted, &Policy::default()).await;
    let bo = live.users["bo@example.com"].id.clone();
    // Someone changes Bo's chat capacity in the admin UI after the plan was made.
    let mut edited = Utilization {
        utilization: Some(
            [(
                "chat".to_string(),
                MediaUtilization {
                    maximum_capacity: Some(6),
                    ..MediaUtilization::default()
                },
            )]
            .into_iter()
            .collect(),
        ),
        ..Utilization::default()
    };
    edited.max_inbound_calls = Some(1);
    client.set_user_utilization(&bo, &edited).await.unwrap();

    let report = switchboard_apply::run(&client, &planned, &live).await;
    assert!(!report.succeeded());
    let failed = format!("{:?}", report.steps[0].status);
    assert!(failed.contains("differs from the plan's"), "{failed}");
    assert_eq!(
        own_utilization(&sim, "bo@example.com")["utilization"]["chat"]["maximumCapacity"],
        6,
        "the edit is not overwritten with the plan's read"
    );
}

#[tokio::test]
async fn the_orgs_utilization_is_set_read_modify_write_and_converges() {
    let sim = start(Fixture::from_yaml(ORG).unwrap()).await;
    let client = client(&sim);
    let text = format!(
        "{HEAD}
utilization:
  mode: authoritative
  chat: {{ maximumCapacity: 3, interruptableMediaTypes: [call] }}
  maxInboundCalls: 2
"
    );
    let wanted = manifest(&text);
    let (planned, live) = plan(&client, &wanted, &Policy::default()).await;
    let addresses: Vec<String> = planned
        .changes
        .iter()
        .map(|c| c.address.to_string())
        .collect();
    assert_eq!(addresses, [r#"org_utilization["org"]"#]);
    apply_and_converge(&client, &wanted, &planned, &live).await;
    let org = client.org_utilization().await.unwrap();
    let media = org.utilization.unwrap();
    assert_eq!(media["chat"].maximum_capacity, Some(3));
    assert_eq!(
        media["email"].maximum_capacity,
        Some(1),
        "not listed: kept as read"
    );
    assert_eq!(org.max_inbound_calls, Some(2));
    // Agents on the org default follow it; one with its own settings does not.
    let found = client
        .find_users_by_email(&["ana@example.com".to_string()], &[])
        .await
        .unwrap();
    let ana = found[0].id.clone().unwrap();
    let read = client.user_utilization(&ana).await.unwrap();
    assert_eq!(read.utilization.unwrap()["chat"].maximum_capacity, Some(3));
    assert_eq!(own_utilization(&sim, "ana@example.com"), Value::Null);
}
