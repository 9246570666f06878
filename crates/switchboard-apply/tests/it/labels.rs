//! Utilization labels as a managed kind: created, renamed in place, and pruned only when no
//! agent uses one (never forced). Every step ends converged.

use serde_json::json;
use switchboard_plan::{Action, Policy, RefusalReason, ResourceKind};
use switchboard_sim::Fixture;

use crate::harness::{apply_and_converge, client, manifest, plan, start};

const ORG: &str = r"
org: { name: Label Org, id: 0d0c0b0a-3333-4222-8333-444455556666 }
divisions:
  - { name: Home, home: true }
users:
  - { email: ana@example.com, name: Ana }
";

const HEAD: &str = r"
version: 1
org: { name: Label Org, region: mypurecloud.com }
";

#[tokio::test]
async fn labels_are_created_renamed_and_pruned_only_when_unused() {
    let sim = start(Fixture::from_yaml(ORG).unwrap()).await;
    let client = client(&sim);

    let first = manifest(&format!(
        "{HEAD}utilizationLabels: [{{ name: VIP }}, {{ name: Urgent }}]\n"
    ));
    let (planned, live) = plan(&client, &first, &Policy::default()).await;
    assert_eq!(planned.changes.len(), 2);
    assert!(planned.changes.iter().all(|c| c.action == Action::Create));
    apply_and_converge(&client, &first, &planned, &live).await;

    // Renamed in place; an agent starts using Urgent out of band.
    let labels = client.list_utilization_labels().await.unwrap();
    let urgent = labels
        .iter()
        .find(|l| l.name.as_deref() == Some("Urgent"))
        .and_then(|l| l.id.clone())
        .unwrap();
    let ana = client
        .find_users_by_email(&["ana@example.com".to_string()], &[])
        .await
        .unwrap()[0]
        .id
        .clone()
        .unwrap();
    let body: switchboard_client::models::Utilization = serde_json::from_value(json!({
        "labelUtilizations": {urgent.clone(): {"maximumCapacity": 1, "interruptingLabelIds": []}}
    }))
    .unwrap();
    client.set_user_utilization(&ana, &body).await.unwrap();
    let renamed = manifest(&format!(
        "{HEAD}utilizationLabels: [{{ name: Gold, renamedFrom: [VIP] }}, {{ name: Urgent }}]\n"
    ));
    let (planned, live) = plan(&client, &renamed, &Policy::default()).await;
    assert_eq!(planned.changes.len(), 1);
    assert_eq!(planned.changes[0].action, Action::Update);
    assert_eq!(planned.changes[0].renamed_from.as_deref(), Some("VIP"));
    apply_and_converge(&client, &renamed, &planned, &live).await;

    // Pruned: Gold, unused, is deleted; Urgent, used by Ana, is refused, not forced.
    let pruned = manifest(&format!(
        "{HEAD}prune: {{ utilizationLabels: true }}\nutilizationLabels: []\n"
    ));
    let (planned, live) = plan(&client, &pruned, &Policy::default()).await;
    let deletes: Vec<(&str, bool)> = planned
        .changes
        .iter()
        .filter(|c| c.address.kind == ResourceKind::UtilizationLabel)
        .map(|c| (c.address.name.as_str(), c.refused.is_some()))
        .collect();
    assert_eq!(deletes, [("Gold", false), ("Urgent", true)]);
    let refused = planned
        .changes
        .iter()
        .find(|c| c.refused.is_some())
        .and_then(|c| c.refused.clone())
        .unwrap();
    assert_eq!(refused.reason, RefusalReason::InUse);
    assert!(
        refused.message.contains("1 agent still uses it"),
        "{}",
        refused.message
    );
    let report = switchboard_apply::run(&client, &planned, &live).await;
    assert!(report.succeeded(), "{:?}", report.steps);
    let left: Vec<String> = client
        .list_utilization_labels()
        .await
        .unwrap()
        .into_iter()
        .filter_map(|l| l.name)
        .collect();
    assert_eq!(left, ["Urgent"], "a label in use is kept");
    let read = client.user_utilization(&ana).await.unwrap();
    assert!(
        read.label_utilizations.unwrap().contains_key(&urgent),
        "its usage is kept"
    );
}

#[tokio::test]
async fn label_capacities_name_labels_created_by_the_same_plan_and_converge() {
    let sim = start(Fixture::from_yaml(ORG).unwrap()).await;
    let client = client(&sim);
    let text = format!(
        "{HEAD}utilizationLabels: [{{ name: VIP }}, {{ name: Urgent }}]
utilization:
  mode: additive
  labels: {{ VIP: {{ maximumCapacity: 3 }} }}
agents:
  - user: ana@example.com
    capacity:
      mode: authoritative
      chat: {{ maximumCapacity: 2 }}
      labels:
        VIP: {{ maximumCapacity: 2, interruptingLabels: [Urgent] }}
        Urgent: {{ maximumCapacity: 1 }}
"
    );
    let first = manifest(&text);
    let (planned, live) = plan(&client, &first, &Policy::default()).await;
    let ana = planned
        .changes
        .iter()
        .find(|c| c.address.kind == ResourceKind::AgentCapacity)
        .unwrap();
    let paths: Vec<&str> = ana.attributes.iter().map(|a| a.path.as_str()).collect();
    assert!(
        paths.contains(&"labels.VIP.interruptingLabels"),
        "{paths:?}"
    );
    apply_and_converge(&client, &first, &planned, &live).await;

    let ids: std::collections::BTreeMap<String, String> = client
        .list_utilization_labels()
        .await
        .unwrap()
        .into_iter()
        .filter_map(|l| Some((l.name?, l.id?)))
        .collect();
    let org = client.org_utilization().await.unwrap();
    assert_eq!(
        org.label_utilizations.unwrap()[&ids["VIP"]].maximum_capacity,
        Some(3)
    );
    let ana_id = live.users["ana@example.com"].id.clone();
    let read = client.user_utilization(&ana_id).await.unwrap();
    let labels = read.label_utilizations.unwrap();
    assert_eq!(labels[&ids["VIP"]].maximum_capacity, Some(2));
    assert_eq!(
        labels[&ids["VIP"]].interrupting_label_ids,
        Some(vec![ids["Urgent"].clone()])
    );

    // Authoritative: a label no longer listed is removed from the agent's capacity.
    let text = text.replace("        Urgent: { maximumCapacity: 1 }\n", "");
    let second = manifest(&text);
    let (planned, live) = plan(&client, &second, &Policy::default()).await;
    let removed: Vec<&str> = planned
        .changes
        .iter()
        .flat_map(|c| c.attributes.iter())
        .filter(|a| a.after.is_none())
        .map(|a| a.path.as_str())
        .collect();
    assert_eq!(removed, ["labels.Urgent"]);
    apply_and_converge(&client, &second, &planned, &live).await;
    let read = client.user_utilization(&ana_id).await.unwrap();
    assert!(
        !read
            .label_utilizations
            .unwrap()
            .contains_key(&ids["Urgent"])
    );
}
