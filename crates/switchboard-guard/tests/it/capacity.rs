//! The capacity guard. "Billing EN" starts with 3 active members and 4 calls of capacity
//! (ana's own 2, bo's and yan's org default 1; di is inactive); the limit is 90 %.

use switchboard_guard::evaluate;
use switchboard_plan::{
    Action, Address, CapacityReport, Change, ElementOp, Plan, QueueSaturation, Refusal,
    RefusalReason, ResourceKind, Saturation, Warning,
};

use crate::fixture::{BILLING, forecast, live, manifest, members, plan, refusal, settings};

const QUEUES: &str = "  - name: Billing EN\n  - name: Sales EN\n  - name: Quiet EN\n";

fn run(mut plan: Plan, forecast_rows: &str, force: bool) -> Plan {
    let forecast = forecast(forecast_rows);
    evaluate(
        &mut plan,
        &manifest(QUEUES),
        &live(),
        Some(&forecast),
        force,
    );
    plan
}

fn queues(plan: &Plan) -> &[QueueSaturation] {
    match &plan.capacity {
        CapacityReport::On { queues, .. } => queues,
        CapacityReport::Off => panic!("the guard did not run"),
    }
}

fn notes(plan: &Plan) -> Vec<String> {
    match &plan.capacity {
        CapacityReport::On { notes, .. } => notes.clone(),
        CapacityReport::Off => panic!("the guard did not run"),
    }
}

fn saturation(agents: usize, capacity: u64, saturation: Option<f64>) -> Saturation {
    Saturation {
        agents,
        capacity,
        saturation,
    }
}

fn remove(who: &[(&str, &str)]) -> Change {
    let elements: Vec<_> = who
        .iter()
        .map(|(email, id)| (ElementOp::Remove, *email, *id))
        .collect();
    members(BILLING, &elements)
}

#[test]
fn a_removal_that_pushes_a_queue_over_the_limit_is_refused() {
    let plan = run(
        plan(vec![remove(&[("ana@acme.com", "u-ana")])]),
        "Billing EN,call,3\n",
        false,
    );
    assert_eq!(
        refusal(&plan, ResourceKind::QueueMembers, BILLING),
        Some(Refusal {
            reason: RefusalReason::Capacity,
            message: "call saturation of queue \"Billing EN\" would go from 75 % to 150 %, over the 90 % limit; re-run with --force to allow it, or add members or lower the forecast".into(),
        })
    );
    assert_eq!(
        queues(&plan),
        [QueueSaturation {
            queue: BILLING.into(),
            media_type: "call".into(),
            load: 3.0,
            utilization_target: 1.0,
            before: Some(saturation(3, 4, Some(0.75))),
            after: saturation(2, 2, Some(1.5)),
            over: true,
        }]
    );
    assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
    assert_eq!(plan.summary().refused, 1);
}

#[test]
fn force_turns_the_refusal_into_a_warning() {
    let plan = run(
        plan(vec![remove(&[("ana@acme.com", "u-ana")])]),
        "Billing EN,call,3\n",
        true,
    );
    assert_eq!(refusal(&plan, ResourceKind::QueueMembers, BILLING), None);
    assert_eq!(
        plan.warnings,
        [Warning::new(
            "queue \"Billing EN\"",
            "call saturation of queue \"Billing EN\" would go from 75 % to 150 %, over the 90 % limit; allowed by --force"
        )]
    );
    assert!(queues(&plan)[0].over);
}

/// A queue already over the limit: only a change that makes it worse is refused.
#[test]
fn an_over_queue_may_be_relieved_but_not_worsened() {
    let cases: [(&str, Change, Option<f64>, bool); 3] = [
        (
            "adding a member lowers saturation",
            members(BILLING, &[(ElementOp::Add, "cy@acme.com", "u-cy")]),
            Some(1.2),
            false,
        ),
        (
            "removing an inactive member changes nothing",
            remove(&[("di@acme.com", "di-id")]),
            Some(1.5),
            false,
        ),
        (
            "removing an active member makes it worse",
            remove(&[("bo@acme.com", "u-bo")]),
            Some(2.0),
            true,
        ),
    ];
    for (name, change, after, refused) in cases {
        let plan = run(plan(vec![change]), "Billing EN,call,6\n", false);
        let line = &queues(&plan)[0];
        assert_eq!(
            line.before.as_ref().and_then(|b| b.saturation),
            Some(1.5),
            "{name}"
        );
        assert_eq!(line.after.saturation, after, "{name}");
        assert_eq!(line.over, refused, "{name}");
        assert_eq!(
            refusal(&plan, ResourceKind::QueueMembers, BILLING).map(|r| r.reason),
            refused.then_some(RefusalReason::Capacity),
            "{name}"
        );
    }
}

/// A queue the plan creates has no "before"; it is over as soon as "after" is.
#[test]
fn a_new_queue_is_judged_on_after_alone() {
    let new_queue = || {
        let queue = Change::new(
            Address::new(ResourceKind::Queue, "Sales EN"),
            Action::Create,
        );
        let mut add = members(
            "Sales EN",
            &[
                (ElementOp::Add, "bo@acme.com", "u-bo"),
                (ElementOp::Add, "cy@acme.com", "u-cy"),
            ],
        );
        add.action = Action::Create;
        add.id = None;
        plan(vec![queue, add])
    };
    let fine = run(new_queue(), "Sales EN,chat,3\n", false);
    assert_eq!(
        queues(&fine),
        [QueueSaturation {
            queue: "Sales EN".into(),
            media_type: "chat".into(),
            load: 3.0,
            utilization_target: 1.0,
            before: None,
            after: saturation(2, 6, Some(0.5)),
            over: false,
        }]
    );
    assert_eq!(refusal(&fine, ResourceKind::QueueMembers, "Sales EN"), None);

    let over = run(new_queue(), "Sales EN,chat,6\n", false);
    assert_eq!(
        refusal(&over, ResourceKind::QueueMembers, "Sales EN").map(|r| r.message),
        Some("chat saturation of new queue \"Sales EN\" would be 100 %, over the 90 % limit; re-run with --force to allow it, or add members or lower the forecast".into())
    );
    assert_eq!(refusal(&over, ResourceKind::Queue, "Sales EN"), None);
}

#[test]
fn inactive_and_unknown_members_add_no_capacity() {
    let plan = run(
        plan(vec![members(
            BILLING,
            &[(ElementOp::Add, "ghost@acme.com", "u-ghost")],
        )]),
        "Billing EN,call,1\n",
        false,
    );
    let line = &queues(&plan)[0];
    // di (inactive) is a member before, the ghost (never read) after: neither counts.
    assert_eq!(line.before, Some(saturation(3, 4, Some(0.25))));
    assert_eq!(line.after, saturation(3, 4, Some(0.25)));
}

#[test]
fn an_agents_own_capacity_overrides_the_org_default() {
    let change = || plan(vec![settings(BILLING)]);
    let rows = "Billing EN,chat,1\nBilling EN,call,1\nBilling EN,email,1\n";
    let plan = run(change(), rows, false);
    let capacity: Vec<(&str, u64)> = queues(&plan)
        .iter()
        .map(|q| (q.media_type.as_str(), q.after.capacity))
        .collect();
    // call: ana's own 2 + bo's and yan's default 1; chat: the default 3 each (ana sets
    // only calls); email: no default, so none, and saturation is unbounded.
    assert_eq!(capacity, [("call", 4), ("chat", 9), ("email", 0)]);
    assert_eq!(queues(&plan)[2].after.saturation, None);
    assert!(!queues(&plan)[2].over, "no worse than before");

    // An agent's own 0 is a capacity of 0, not "use the default".
    let mut live = live();
    if let Some(capacity) = live.capacity.as_mut() {
        capacity
            .agents
            .insert("u-bo".into(), [("call".to_string(), 0)].into());
    }
    let mut plan = change();
    let forecast = forecast("Billing EN,call,1\n");
    evaluate(&mut plan, &manifest(QUEUES), &live, Some(&forecast), false);
    assert_eq!(queues(&plan)[0].after.capacity, 3);
}

#[test]
fn a_utilization_target_shrinks_the_usable_capacity() {
    let cases = [
        ("  - name: Billing EN\n", 1.0, 2.5 / 3.0, false),
        (
            "  - name: Billing EN\n    distribution: {utilizationTarget: 0.8}\n",
            0.8,
            2.5 / 2.4,
            true,
        ),
    ];
    for (queues_yaml, target, after, over) in cases {
        let mut plan = plan(vec![remove(&[("bo@acme.com", "u-bo")])]);
        let forecast = forecast("Billing EN,call,2.5\n");
        evaluate(
            &mut plan,
            &manifest(queues_yaml),
            &live(),
            Some(&forecast),
            false,
        );
        let line = &queues(&plan)[0];
        assert_eq!(line.utilization_target, target);
        let got = line.after.saturation.unwrap_or(f64::NAN);
        assert!((got - after).abs() < 1e-9, "target {target}: {got}");
        assert_eq!(line.over, over, "target {target}");
        assert_eq!(
            refusal(&plan, ResourceKind::QueueMembers, BILLING).is_some(),
            over,
            "target {target}"
        );
    }
}

#[test]
fn no_capacity_left_is_unbounded_saturation() {
    let everyone = || {
        plan(vec![remove(&[
            ("ana@acme.com", "u-ana"),
            ("bo@acme.com", "u-bo"),
            ("yan@acme.com", "u-yan"),
        ])])
    };
    let plan = run(everyone(), "Billing EN,call,3\n", false);
    assert_eq!(queues(&plan)[0].after, saturation(0, 0, None));
    assert_eq!(
        refusal(&plan, ResourceKind::QueueMembers, BILLING).map(|r| r.message),
        Some("call saturation of queue \"Billing EN\" would go from 75 % to unbounded (no capacity), over the 90 % limit; re-run with --force to allow it, or add members or lower the forecast".into())
    );

    // No load and no capacity is no saturation at all.
    let idle = run(everyone(), "Billing EN,call,0\n", false);
    assert_eq!(queues(&idle)[0].after, saturation(0, 0, Some(0.0)));
    assert!(!queues(&idle)[0].over);
    assert_eq!(refusal(&idle, ResourceKind::QueueMembers, BILLING), None);
}

#[test]
fn unused_forecast_rows_are_noted_and_the_report_is_sorted() {
    let plan = run(
        plan(vec![settings(BILLING)]),
        "Nowhere,chat,1\nBilling EN,chat,1\nQuiet EN,call,1\nBilling EN,call,1\n",
        false,
    );
    let order: Vec<(&str, &str)> = queues(&plan)
        .iter()
        .map(|q| (q.queue.as_str(), q.media_type.as_str()))
        .collect();
    assert_eq!(order, [(BILLING, "call"), (BILLING, "chat")]);
    assert_eq!(
        notes(&plan),
        [
            "forecast row for queue \"Nowhere\" (chat): no such queue in the manifest",
            "forecast row for queue \"Quiet EN\" (call): the plan changes neither this queue nor its members' capacity",
        ]
    );
    let CapacityReport::On {
        max_saturation,
        forecast,
        ..
    } = &plan.capacity
    else {
        panic!("the guard did not run");
    };
    assert_eq!((*max_saturation, forecast.as_str()), (0.9, "peak.csv"));
}

#[test]
fn without_a_forecast_the_guard_is_off() {
    let mut plan = plan(vec![remove(&[
        ("ana@acme.com", "u-ana"),
        ("bo@acme.com", "u-bo"),
    ])]);
    plan.capacity = CapacityReport::On {
        max_saturation: 1.0,
        forecast: "stale".into(),
        queues: Vec::new(),
        notes: Vec::new(),
    };
    evaluate(&mut plan, &manifest(QUEUES), &live(), None, false);
    assert_eq!(plan.capacity, CapacityReport::Off);
    assert_eq!(refusal(&plan, ResourceKind::QueueMembers, BILLING), None);
}

#[test]
fn the_default_limit_is_95_percent() {
    let manifest = switchboard_manifest::load_str(
        "m.yaml",
        "version: 1\norg: {name: Acme, region: mypurecloud.ie}\nqueues:\n  - name: Billing EN\n",
    )
    .manifest
    .unwrap_or_else(|| panic!("invalid manifest"));
    // 2.8 / 3 = 93.3 % once yan leaves: over 90 %, under 95 %.
    let mut plan = plan(vec![remove(&[("yan@acme.com", "u-yan")])]);
    let forecast = forecast("Billing EN,call,2.8\n");
    evaluate(&mut plan, &manifest, &live(), Some(&forecast), false);
    assert!(!queues(&plan)[0].over);
    assert_eq!(refusal(&plan, ResourceKind::QueueMembers, BILLING), None);
    let CapacityReport::On { max_saturation, .. } = plan.capacity else {
        panic!("the guard did not run");
    };
    assert_eq!(max_saturation, 0.95);
}

/// A member change safety policy refused does not happen, so it moves nothing.
#[test]
fn a_change_refused_already_is_not_counted() {
    let mut change = remove(&[("ana@acme.com", "u-ana"), ("bo@acme.com", "u-bo")]);
    let protected = Refusal {
        reason: RefusalReason::BlastRadius,
        message: "too many".into(),
    };
    change.refused = Some(protected.clone());
    let plan = run(plan(vec![change]), "Billing EN,call,3\n", false);
    assert_eq!(queues(&plan)[0].after, saturation(3, 4, Some(0.75)));
    assert!(!queues(&plan)[0].over);
    assert_eq!(
        refusal(&plan, ResourceKind::QueueMembers, BILLING),
        Some(protected)
    );
}

#[test]
fn members_that_were_not_read_leave_the_row_out_with_a_note() {
    let mut live = live();
    if let Some(queue) = live.queues.get_mut(BILLING) {
        queue.members = None;
    }
    live.capacity = None;
    let mut plan = plan(vec![settings(BILLING)]);
    let forecast = forecast("Billing EN,call,3\n");
    evaluate(&mut plan, &manifest(QUEUES), &live, Some(&forecast), false);
    assert!(queues(&plan).is_empty());
    assert_eq!(
        notes(&plan),
        ["forecast row for queue \"Billing EN\" (call): the queue's members were not read"]
    );
}

/// A plan's change of `email`'s (id `id`) capacity: `attributes` as `(path, before, after)`.
fn capacity_change(
    email: &str,
    id: &str,
    attributes: &[(&str, serde_json::Value, serde_json::Value)],
) -> Change {
    let mut change = Change::new(
        Address::new(ResourceKind::AgentCapacity, email),
        Action::Update,
    );
    change.id = Some(id.into());
    change.attributes = attributes
        .iter()
        .map(|(path, before, after)| switchboard_plan::AttributeChange {
            path: (*path).into(),
            before: Some(before.clone()),
            after: Some(after.clone()),
        })
        .collect();
    change
}

#[test]
fn a_capacity_change_counts_after_the_plan_and_is_refused_when_it_saturates_a_queue() {
    use serde_json::json;
    // ana goes from her own 2 calls to 1: "Billing EN" has 3 calls of capacity for 3 calls.
    let lower = capacity_change(
        "ana@acme.com",
        "u-ana",
        &[("call.maximumCapacity", json!(2), json!(1))],
    );
    let lowered = run(plan(vec![lower]), "Billing EN,call,3\n", false);
    assert_eq!(
        queues(&lowered)[0].after,
        saturation(3, 3, Some(1.0)),
        "the plan's capacity, not the one read"
    );
    assert_eq!(
        queues(&lowered)[0].before,
        Some(saturation(3, 4, Some(0.75)))
    );
    let refused = refusal(&lowered, ResourceKind::AgentCapacity, "ana@acme.com")
        .expect("the capacity change that saturates the queue is refused");
    assert_eq!(refused.reason, RefusalReason::Capacity);

    // bo back to the org default (1 call) changes nothing; ana to 5 relieves the queue.
    let raise = capacity_change(
        "ana@acme.com",
        "u-ana",
        &[("call.maximumCapacity", json!(2), json!(5))],
    );
    let reset = capacity_change(
        "bo@acme.com",
        "u-bo",
        &[("level", json!("Agent"), json!("Organization"))],
    );
    let raised = run(plan(vec![raise, reset]), "Billing EN,call,3\n", false);
    assert_eq!(queues(&raised)[0].after, saturation(3, 7, Some(3.0 / 7.0)));
    assert_eq!(raised.summary().refused, 0);
}
