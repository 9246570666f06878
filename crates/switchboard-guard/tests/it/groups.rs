//! Members through groups as a plan changes a queue's member groups. In the fixture org,
//! yan (Billing 3) is a member of "Billing EN" only through skill group "Billing Experts",
//! whose members the API lists as yan and ana (ana is a direct member too); skill group
//! "Billing Gurus" holds cy (no skills) and di (inactive).

use serde_json::{Value, json};
use switchboard_guard::{evaluate, needs};
use switchboard_manifest::Live;
use switchboard_manifest::live::LiveReferent;
use switchboard_manifest::references::ReferenceKind;
use switchboard_plan::{AttributeChange, ElementOp, Plan, RefusalReason, ResourceKind};

use crate::fixture::{BILLING, forecast, live, manifest, members, plan, refusal, settings};

const COVERED: &str = "  - name: Billing EN\n    coverage: {requiredSkills: [Billing], minProficiency: 3, minAgents: 3, enforce: true}\n";

fn group(kind: &str, name: &str) -> Value {
    json!({"type": kind, "name": name})
}

/// The fixture org with yan a member through "Billing Experts", and both skill groups'
/// members read (`read`: whether the guards already read them).
fn org(read: bool) -> Live {
    let mut live = live();
    if let Some(members) = live
        .queues
        .get_mut(BILLING)
        .and_then(|q| q.members.as_mut())
    {
        for member in members.iter_mut().filter(|m| m.user_id == "u-yan") {
            member.by_group = true;
        }
    }
    live.references.insert(
        ReferenceKind::SkillGroup,
        vec![
            LiveReferent::new("sg-experts", "Billing Experts"),
            LiveReferent::new("sg-gurus", "Billing Gurus"),
        ],
    );
    if read {
        live.skill_group_members = [
            (
                "sg-experts".to_string(),
                ["u-yan".to_string(), "u-ana".to_string()].into(),
            ),
            (
                "sg-gurus".to_string(),
                ["u-cy".to_string(), "di-id".to_string()].into(),
            ),
        ]
        .into();
    }
    live
}

/// A plan changing the queue's member groups from `before` to `after`.
fn groups_plan(before: Vec<Value>, after: Vec<Value>) -> Plan {
    let mut change = settings(BILLING);
    change.attributes.push(AttributeChange {
        path: "memberGroups.groups".into(),
        before: Some(Value::Array(before)),
        after: Some(Value::Array(after)),
    });
    plan(vec![change])
}

#[test]
fn a_removed_skill_group_takes_its_members_out_and_the_group_change_is_refused() {
    let mut plan = groups_plan(vec![group("SKILLGROUP", "Billing Experts")], Vec::new());
    let live = org(true);
    evaluate(&mut plan, &manifest(COVERED), &live, None, false);
    // yan leaves (through the group only); ana stays (a direct member too).
    assert_eq!(plan.coverage.len(), 1, "{:?}", plan.coverage);
    assert_eq!((plan.coverage[0].before, plan.coverage[0].after), (3, 2));
    assert_eq!(plan.coverage[0].missing, ["yan@acme.com"]);
    let refused = refusal(&plan, ResourceKind::Queue, BILLING).unwrap();
    assert_eq!(refused.reason, RefusalReason::Coverage);
}

#[test]
fn an_added_skill_group_brings_its_members_in_for_the_capacity_guard() {
    // Removing bo alone would drop the queue to 2 active members (3 calls); adding "Billing
    // Gurus" brings cy (active, 1 call by the org default) and di (inactive: not counted).
    let mut change = settings(BILLING);
    change.attributes.push(AttributeChange {
        path: "memberGroups.groups".into(),
        before: Some(json!([group("SKILLGROUP", "Billing Experts")])),
        after: Some(json!([
            group("SKILLGROUP", "Billing Experts"),
            group("SKILLGROUP", "Billing Gurus")
        ])),
    });
    let remove_bo = members(BILLING, &[(ElementOp::Remove, "bo@acme.com", "u-bo")]);
    let mut plan = plan(vec![change, remove_bo]);
    let forecast = forecast("Billing EN,call,3.5\n");
    evaluate(
        &mut plan,
        &manifest("  - name: Billing EN\n"),
        &org(true),
        Some(&forecast),
        false,
    );
    let switchboard_plan::CapacityReport::On { queues, .. } = &plan.capacity else {
        panic!("the capacity guard ran");
    };
    let after = &queues[0].after;
    // ana 2 + yan 1 + cy 1: bo's call is made up for by cy.
    assert_eq!((after.agents, after.capacity), (3, 4));
    assert!(
        plan.changes.iter().all(|c| c.refused.is_none()),
        "{plan:#?}"
    );
}

#[test]
fn groups_the_api_cannot_list_are_said_to_be_uncounted() {
    let mut plan = groups_plan(
        vec![group("SKILLGROUP", "Billing Experts")],
        vec![
            group("SKILLGROUP", "Billing Experts"),
            group("TEAM", "Night Team"),
            group("GROUP", "Billing Agents"),
        ],
    );
    evaluate(&mut plan, &manifest(COVERED), &org(true), None, false);
    let said: Vec<&str> = plan.warnings.iter().map(|w| w.message.as_str()).collect();
    assert!(
        said.iter()
            .any(|m| m.contains("team \"Night Team\": the API has no listing")),
        "{said:?}"
    );
    assert!(
        said.iter()
            .any(|m| m.contains("directory group \"Billing Agents\"")),
        "{said:?}"
    );
}

#[test]
fn the_members_of_a_skill_group_the_plan_adds_or_removes_are_read_first() {
    let plan = groups_plan(
        vec![group("SKILLGROUP", "Billing Experts")],
        vec![group("SKILLGROUP", "Billing Gurus")],
    );
    let unread = needs(&plan, &manifest(COVERED), &org(false), None);
    assert_eq!(
        unread.skill_groups,
        ["sg-experts".to_string(), "sg-gurus".to_string()].into()
    );
    // Once read, their members are users to read (cy is named; di is named too) — and no
    // skill group is asked for again.
    let read = needs(&plan, &manifest(COVERED), &org(true), None);
    assert!(read.skill_groups.is_empty());
}
