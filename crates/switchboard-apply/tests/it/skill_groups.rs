//! Skill groups as a managed kind: created before the queues that name them, updated in
//! place (renamed, conditions, description, member divisions), never deleted while a queue
//! still uses one, and deleted under `prune` once none does. Every step ends converged.

use serde_json::Value;
use switchboard_apply::run;
use switchboard_client::Client;
use switchboard_plan::{Action, Policy, RefusalReason, ResourceKind, Wave};
use switchboard_sim::{Fixture, RunningSim};

use crate::harness::{apply_and_converge, client, manifest, plan, start};

const ORG: &str = r"
org: { name: Skill Group Org, id: 0d0c0b0a-1111-4222-8333-444455556666 }
divisions:
  - { name: Home, home: true }
  - { name: Sales }
skills: [{ name: Billing }, { name: Sales }]
languages: [{ name: English }]
users:
  - { email: ana@example.com, name: Ana, skills: { Billing: 5 }, languages: { English: 5 } }
  - { email: bo@example.com, name: Bo, division: Sales, skills: { Billing: 3, Sales: 4 } }
";

const HEAD: &str = r"
version: 1
org: { name: Skill Group Org, region: mypurecloud.com }
scope: { divisions: [Home, Sales] }
skills: [{ name: Billing }, { name: Sales }]
languages: [{ name: English }]
";

/// Plans `text`, applies it, and checks it converged. Returns the plan's changes.
async fn apply(client: &Client, text: &str) -> Vec<switchboard_plan::Change> {
    let manifest = manifest(text);
    let (planned, live) = plan(client, &manifest, &Policy::default()).await;
    apply_and_converge(client, &manifest, &planned, &live).await;
    planned.changes
}

/// The org's skill groups, by name, as the simulator holds them.
fn skill_groups(sim: &RunningSim) -> Vec<Value> {
    let snapshot = sim.snapshot();
    let mut groups: Vec<Value> = snapshot["skillGroups"]
        .as_object()
        .map(|g| g.values().cloned().collect())
        .unwrap_or_default();
    groups.sort_by_key(|g| g["name"].as_str().unwrap_or_default().to_string());
    groups
}

/// The user ids of the members of queue `name`.
fn members(sim: &RunningSim, name: &str) -> usize {
    sim.snapshot()["queues"]
        .as_object()
        .unwrap()
        .values()
        .find(|q| q["name"] == name)
        .and_then(|q| q["members"].as_object())
        .map_or(0, serde_json::Map::len)
}

#[tokio::test]
async fn a_skill_group_is_created_before_its_queue_changed_in_place_and_pruned_once_unused() {
    let sim = start(Fixture::from_yaml(ORG).unwrap()).await;
    let client = client(&sim);

    // Created, with the queue naming it as a member group: the group comes first.
    let created = apply(
        &client,
        &format!(
            "{HEAD}
skillGroups:
  - name: Billing Experts
    description: Top billing agents
    skillConditions:
      - routingSkillConditions:
          - {{ routingSkill: Billing, comparator: GreaterThanOrEqualTo, proficiency: 4 }}
        operation: And
    memberDivisions: [Home]
queues:
  - name: Billing EN
    memberGroups:
      mode: authoritative
      groups: [{{ name: Billing Experts, type: SKILLGROUP }}]
"
        ),
    )
    .await;
    let group = created
        .iter()
        .find(|c| c.address.kind == ResourceKind::SkillGroup)
        .unwrap();
    assert_eq!(group.action, Action::Create);
    assert_eq!(group.first_wave(), Wave::SkillGroups);
    let groups = skill_groups(&sim);
    assert_eq!(groups.len(), 1, "{groups:?}");
    let id = groups[0]["id"].clone();
    // Ana (Billing 5, in Home) is a member through the group; Bo (Billing 3) is not.
    assert_eq!(members(&sim, "Billing EN"), 1);

    // Renamed, its conditions widened, another member division: one update in place, and
    // the queue, which knows the group by id, is not touched.
    let updated = apply(
        &client,
        &format!(
            "{HEAD}
skillGroups:
  - name: Billing Gurus
    renamedFrom: [Billing Experts]
    description: Billing agents
    skillConditions:
      - routingSkillConditions:
          - {{ routingSkill: Billing, comparator: GreaterThanOrEqualTo, proficiency: 3 }}
        languageSkillConditions: []
        operation: And
    memberDivisions: [Sales, Home]
queues:
  - name: Billing EN
    memberGroups:
      mode: authoritative
      groups: [{{ name: Billing Gurus, type: SKILLGROUP }}]
"
        ),
    )
    .await;
    assert_eq!(updated.len(), 1, "{updated:#?}");
    let paths: Vec<&str> = updated[0]
        .attributes
        .iter()
        .map(|a| a.path.as_str())
        .collect();
    assert_eq!(
        paths,
        ["name", "description", "skillConditions", "memberDivisions"]
    );
    let groups = skill_groups(&sim);
    assert_eq!(groups[0]["name"], "Billing Gurus");
    assert_eq!(groups[0]["id"], id, "renamed in place");
    assert_eq!(members(&sim, "Billing EN"), 2);

    // Pruned while the queue still uses it: refused, and nothing is deleted.
    let unused = format!(
        "{HEAD}
prune: {{ skillGroups: true }}
queues:
  - name: Billing EN
    memberGroups: {{ mode: authoritative, groups: [] }}
"
    );
    let still_used = format!(
        "{HEAD}
prune: {{ skillGroups: true }}
queues:
  - name: Billing EN
"
    );
    let (planned, _) = plan(&client, &manifest(&still_used), &Policy::default()).await;
    let delete = planned
        .changes
        .iter()
        .find(|c| c.address.kind == ResourceKind::SkillGroup)
        .unwrap();
    assert_eq!(delete.action, Action::Delete);
    let refusal = delete.refused.as_ref().unwrap();
    assert_eq!(refusal.reason, RefusalReason::InUse);
    assert!(
        refusal.message.contains("\"Billing EN\""),
        "{}",
        refusal.message
    );

    // A plan that also drops it from the queue still refuses the delete, since the read
    // shows the queue using it: the queue changes now, and the next plan deletes the group.
    let manifest_unused = manifest(&unused);
    let (planned, live) = plan(&client, &manifest_unused, &Policy::default()).await;
    assert!(
        planned
            .changes
            .iter()
            .any(|c| c.address.kind == ResourceKind::SkillGroup && c.refused.is_some())
    );
    let report = run(&client, &planned, &live).await;
    assert!(report.succeeded(), "{report:?}");
    assert_eq!(
        skill_groups(&sim).len(),
        1,
        "the refused delete did not run"
    );
    let deleted = apply(&client, &unused).await;
    assert!(
        deleted
            .iter()
            .any(|c| c.address.kind == ResourceKind::SkillGroup && c.action == Action::Delete)
    );
    assert!(skill_groups(&sim).is_empty());
    sim.shutdown().await;
}

#[tokio::test]
async fn a_condition_on_a_skill_that_is_not_declared_is_a_located_error() {
    let loaded = switchboard_manifest::load_str(
        "manifest.yaml",
        &format!(
            "{HEAD}
skillGroups:
  - name: Billing Experts
    skillConditions:
      - routingSkillConditions:
          - {{ routingSkill: Biling, comparator: EqualTo, proficiency: 4 }}
        languageSkillConditions:
          - {{ languageSkill: English, comparator: EqualTo, proficiency: 6 }}
        operation: And
"
        ),
    );
    let text = loaded.findings_text();
    assert!(text.contains("skill `Biling` is not declared"), "{text}");
    assert!(text.contains("did you mean `Billing`?"), "{text}");
    assert!(text.contains("manifest.yaml:12:"), "{text}");
    // Proficiency is 0 to 5, by the schema.
    assert!(text.contains("proficiency"), "{text}");
}
