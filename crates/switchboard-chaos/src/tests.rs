//! The checker finds each kind of broken invariant, and passes a run that kept them all.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use serde_json::{Value, json};
use switchboard_plan::Plan;

use crate::{FaultKind, OrgView, Schedule, check};

/// An org with two queues (Billing with ana and ben, Sales with ana), the skill Billing held
/// by ana, and `audit` as its trail.
fn org(audit: Value) -> Value {
    json!({
        "queues": {
            "q1": {"name": "Billing EN", "members": {"u1": {}, "u2": {}}},
            "q2": {"name": "Sales EN", "members": {"u1": {}}},
        },
        "skills": {"s1": {"name": "Billing", "state": "active"}},
        "languages": {},
        "wrapupCodes": {"w1": {"name": "Resolved"}},
        "users": {
            "u1": {"email": "ana@example.com", "skills": {"s1": 3.0}, "languages": {}},
            "u2": {"email": "ben@example.com", "skills": {}, "languages": {}},
        },
        "audit": audit,
    })
}

fn record(by: &str, entity_type: &str, id: &str, name: &str, action: &str) -> Value {
    let actor = if by == "client" {
        json!({"kind": "client", "id": "switchboard"})
    } else {
        json!({"kind": "user", "id": "admin", "name": "Dana Admin"})
    };
    json!({"actor": actor, "entityType": entity_type, "entityId": id, "entityName": name,
           "action": action, "propertyChanges": []})
}

fn member_removed(by: &str, queue: &str, name: &str, user: &str) -> Value {
    let mut r = record(by, "Queue", queue, name, "MemberRemove");
    r["propertyChanges"] = json!([{"property": "userId", "oldValues": [user], "newValues": []}]);
    r
}

/// A plan with these changes.
pub(crate) fn plan(changes: Value) -> Plan {
    serde_json::from_value(json!({
        "org": {"id": "o", "name": "Org"},
        "manifest_hash": "sha256:0",
        "forced": false,
        "changes": changes,
        "warnings": [],
        "distributions": [],
        "capacity": {"state": "off"},
        "coverage": [],
    }))
    .unwrap()
}

fn view(v: &Value) -> OrgView {
    OrgView::read(v).unwrap()
}

fn violations(before: &Value, after: &Value, plan: &Plan) -> Vec<String> {
    check(&view(before), &view(after), plan)
        .into_iter()
        .map(|v| v.0)
        .collect()
}

#[test]
fn a_run_that_did_what_the_plan_said_passes() {
    let before = org(json!([]));
    let mut after = org(json!([
        member_removed("client", "q1", "Billing EN", "u2"),
        record("client", "Queue", "q3", "Refunds EN", "Create"),
        record("client", "Queue", "q2", "Sales EN", "Delete"),
    ]));
    after["queues"]["q1"]["members"] = json!({"u1": {}});
    after["queues"]["q3"] = json!({"name": "Refunds EN", "members": {}});
    after["queues"].as_object_mut().unwrap().remove("q2");
    let plan = plan(json!([
        {"address": {"kind": "queue_members", "name": "Billing EN"}, "action": "update", "id": "q1",
         "elements": [{"op": "remove", "key": "ben@example.com", "id": "u2"}]},
        {"address": {"kind": "queue", "name": "Refunds EN"}, "action": "create"},
        {"address": {"kind": "queue", "name": "Sales EN"}, "action": "delete", "id": "q2"},
    ]));
    assert_eq!(violations(&before, &after, &plan), Vec::<String>::new());
}

#[test]
fn each_broken_invariant_is_found() {
    let before = org(json!([]));
    let mut after = org(json!([
        member_removed("client", "q1", "Billing EN", "u2"),
        record("client", "Queue", "q3", "Refunds EN", "Create"),
        record("client", "Queue", "q4", "Refunds EN", "Create"),
        record("client", "WrapupCode", "w1", "Resolved", "Delete"),
        record("client", "User", "u1", "Ana", "Unassign"),
    ]));
    after["queues"]["q1"]["members"] = json!({"u1": {}});
    after["queues"]["q3"] = json!({"name": "Refunds EN", "members": {}});
    after["queues"]["q4"] = json!({"name": "refunds en", "members": {}});
    after["wrapupCodes"] = json!({});
    after["users"]["u1"]["skills"] = json!({});
    // The plan only creates Refunds EN.
    let plan =
        plan(json!([{"address": {"kind": "queue", "name": "Refunds EN"}, "action": "create"}]));
    let found = violations(&before, &after, &plan);
    let expected = [
        "duplicate: 2 queues named \"refunds en\" (there were 0)",
        "deleted without a plan: wrapupCodes \"Resolved\" (w1)",
        "member removed without a plan: ben@example.com from queue \"Billing EN\"",
        "skills assignment removed without a plan: \"Billing\" from ana@example.com",
        "created twice: Queue \"Refunds EN\"",
        "deleted what the plan does not delete: WrapupCode \"Resolved\"",
        "wrote what the plan does not change: MemberRemove Queue of q1 \"Billing EN\"",
        "wrote what the plan does not change: Delete WrapupCode of w1 \"Resolved\"",
        "wrote what the plan does not change: Unassign User of u1 \"ana@example.com\"",
    ];
    for e in expected {
        assert!(found.iter().any(|f| f == e), "missing {e:?} in {found:#?}");
    }
    assert_eq!(found.len(), expected.len(), "{found:#?}");
}

#[test]
fn what_a_person_did_during_the_run_is_not_held_against_it() {
    let before = org(json!([]));
    let mut after = org(json!([
        member_removed("user", "q1", "Billing EN", "u2"),
        record("user", "Queue", "q2", "Sales EN", "Delete"),
        record("user", "User", "u1", "Ana", "Unassign"),
    ]));
    after["queues"]["q1"]["members"] = json!({"u1": {}});
    after["queues"].as_object_mut().unwrap().remove("q2");
    after["users"]["u1"]["skills"] = json!({});
    assert_eq!(
        violations(&before, &after, &plan(json!([]))),
        Vec::<String>::new()
    );
}

#[test]
fn assignments_go_with_a_planned_skill_delete() {
    let before = org(json!([]));
    let mut after = org(json!([record(
        "client",
        "RoutingSkill",
        "s1",
        "Billing",
        "Delete"
    )]));
    after["skills"]["s1"]["state"] = json!("deleted");
    after["users"]["u1"]["skills"] = json!({});
    let plan = plan(
        json!([{"address": {"kind": "skill", "name": "Billing"}, "action": "delete", "id": "s1"}]),
    );
    assert_eq!(violations(&before, &after, &plan), Vec::<String>::new());
}

#[test]
fn a_snapshot_of_the_wrong_shape_is_an_error_not_a_pass() {
    let mut broken = org(json!([]));
    broken.as_object_mut().unwrap().remove("users");
    assert!(OrgView::read(&broken).unwrap_err().contains("users"));
    assert!(OrgView::read(&json!({"queues": []})).is_err());
}

#[test]
fn a_seed_always_gives_the_same_schedule_and_every_kind_is_reached() {
    let org = view(&org(json!([])));
    let timeout = Duration::from_secs(1);
    let first = Schedule::for_seed(7, timeout, &org);
    let again = Schedule::for_seed(7, timeout, &org);
    assert_eq!(first.faults, again.faults);
    assert_eq!(first.kinds, again.kinds);
    assert_eq!(first.token_expiries, again.token_expiries);
    let mut reached = std::collections::BTreeSet::new();
    for seed in 1..=24 {
        let schedule = Schedule::for_seed(seed, timeout, &org);
        assert!(schedule.kinds.contains(&FaultKind::ServerErrors));
        assert_eq!(
            schedule.token_expiries.is_empty(),
            !schedule.kinds.contains(&FaultKind::TokenExpiry)
        );
        reached.extend(schedule.kinds);
    }
    assert_eq!(reached.len(), FaultKind::ALL.len());
}

#[test]
fn kill_points_are_seeded_and_within_the_run() {
    let points = crate::kill_points(3, 12, 400);
    assert_eq!(points, crate::kill_points(3, 12, 400));
    assert_eq!(points.len(), 12);
    assert!(points.iter().all(|p| (1..=400).contains(p)));
    assert!(points.windows(2).all(|w| w[0] <= w[1]));
    assert_ne!(points.first(), points.last());
}
