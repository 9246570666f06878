//! What must be read before the guards run.

use std::collections::BTreeSet;

use switchboard_guard::{Needs, needs};
use switchboard_plan::ElementOp;

use crate::fixture::{BILLING, forecast, live, manifest, members, plan, settings, skills};

fn ids(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|id| (*id).to_string()).collect()
}

/// Coverage on "Billing EN", and an agent whose skills are managed.
const COVERED: &str = "  - name: Billing EN\n    coverage: {requiredSkills: [Billing]}\n  - name: Quiet EN\nagents:\n  - user: cy@acme.com\n    skills: {mode: additive, proficiency: {Refunds: 1}}\n";
/// The same without agents.
const COVERED_NO_AGENTS: &str =
    "  - name: Billing EN\n    coverage: {requiredSkills: [Billing]}\n  - name: Quiet EN\n";
const PLAIN: &str = "  - name: Billing EN\n  - name: Quiet EN\n";

#[test]
fn members_never_read_are_needed_for_a_checked_queue() {
    let mut live = live();
    live.member_users.clear();
    let plan = plan(vec![members(
        BILLING,
        &[
            (ElementOp::Remove, "bo@acme.com", "u-bo"),
            (ElementOp::Add, "ghost@acme.com", "u-ghost"),
        ],
    )]);
    let got = needs(&plan, &manifest(COVERED), &live, None);
    // Every member before or after is read for its skills, named users too.
    assert_eq!(
        got,
        Needs {
            users: ids(&["di-id", "u-ana", "u-bo", "u-ghost", "u-yan"]),
            capacity: BTreeSet::new(),
            skill_groups: BTreeSet::new(),
        }
    );
}

#[test]
fn a_members_skill_change_makes_the_queue_checked() {
    let mut live = live();
    live.member_users.clear();
    let plan = plan(vec![skills(
        "ana@acme.com",
        "u-ana",
        &[(ElementOp::Remove, "Billing", None)],
    )]);
    assert_eq!(
        needs(&plan, &manifest(COVERED), &live, None).users,
        ids(&["di-id", "u-ana", "u-bo", "u-yan"])
    );
    // Without coverage nothing is checked.
    assert!(needs(&plan, &manifest(PLAIN), &live, None).is_empty());
}

#[test]
fn a_forecast_queue_the_plan_changes_needs_every_members_capacity() {
    let plan = plan(vec![members(
        BILLING,
        &[(ElementOp::Add, "cy@acme.com", "u-cy")],
    )]);
    let forecast = forecast("Billing EN,call,3\nQuiet EN,call,3\n");
    assert_eq!(
        needs(&plan, &manifest(PLAIN), &live(), Some(&forecast)),
        Needs {
            users: BTreeSet::new(),
            capacity: ids(&["di-id", "u-ana", "u-bo", "u-cy", "u-yan"]),
            skill_groups: BTreeSet::new(),
        }
    );
}

#[test]
fn nothing_to_check_needs_nothing() {
    let mut live = live();
    live.member_users.clear();
    let forecast = forecast("Quiet EN,call,3\n");
    let cases = [
        (
            "no forecast, no coverage",
            plan(vec![settings(BILLING)]),
            None,
        ),
        (
            "the forecast queue is unchanged",
            plan(vec![settings(BILLING)]),
            Some(&forecast),
        ),
        ("an empty plan", plan(Vec::new()), Some(&forecast)),
    ];
    for (name, plan, forecast) in cases {
        assert_eq!(
            needs(&plan, &manifest(PLAIN), &live, forecast),
            Needs::default(),
            "{name}"
        );
    }
    assert!(needs(&plan(Vec::new()), &manifest(COVERED), &live, None).is_empty());
}

#[test]
fn coverage_needs_every_members_skills_read_for_it_once() {
    let plan = || {
        plan(vec![members(
            BILLING,
            &[(ElementOp::Remove, "bo@acme.com", "u-bo")],
        )])
    };

    let mut live = live();
    live.member_users.clear();
    for manifest in [manifest(COVERED_NO_AGENTS), manifest(COVERED)] {
        let got = needs(&plan(), &manifest, &live, None);
        assert_eq!(got.users, ids(&["di-id", "u-ana", "u-bo", "u-yan"]));
    }

    // Once read as member users, they are not needed again.
    let mut live = live_with_members_read();
    let got = needs(&plan(), &manifest(COVERED_NO_AGENTS), &live, None);
    assert!(got.is_empty(), "{got:?}");

    // The capacity guard needs only their state, which the snapshot has.
    live.member_users.clear();
    let forecast = forecast("Billing EN,call,3\n");
    let got = needs(&plan(), &manifest(PLAIN), &live, Some(&forecast));
    assert_eq!(got.users, ids(&["u-yan"]));
}

/// The fixture org after the fetch read every member of "Billing EN" for the guards.
fn live_with_members_read() -> switchboard_manifest::Live {
    let mut live = live();
    let named: Vec<_> = live.users.values().cloned().collect();
    for user in named {
        live.member_users.insert(user.id.clone(), user);
    }
    live
}
