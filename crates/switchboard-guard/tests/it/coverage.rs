//! Skill coverage. "Billing EN" starts with 3 active, joined holders of Billing at
//! proficiency 3 or above: ana (4), bo (3) and yan (3); di holds 5 but is inactive.

use switchboard_guard::evaluate;
use switchboard_plan::{
    Action, Address, Change, CoverageFinding, ElementOp, Plan, Refusal, RefusalReason,
    ResourceKind, Warning,
};

use crate::fixture::{BILLING, live, manifest, members, plan, refusal, skills};

fn queue(min_agents: u32, enforce: bool) -> String {
    format!(
        "  - name: Billing EN\n    coverage: {{requiredSkills: [Billing], minProficiency: 3, minAgents: {min_agents}, enforce: {enforce}}}\n"
    )
}

fn run(mut plan: Plan, min_agents: u32, enforce: bool, force: bool) -> Plan {
    evaluate(
        &mut plan,
        &manifest(&queue(min_agents, enforce)),
        &live(),
        None,
        force,
    );
    plan
}

fn finding(
    before: usize,
    after: usize,
    min_agents: u32,
    missing: &[&str],
    refused: bool,
) -> CoverageFinding {
    CoverageFinding {
        queue: BILLING.into(),
        skill: "Billing".into(),
        min_proficiency: 3.0,
        min_agents,
        before,
        after,
        missing: missing.iter().map(|m| (*m).to_string()).collect(),
        refused,
    }
}

fn remove_bo() -> Change {
    members(BILLING, &[(ElementOp::Remove, "bo@acme.com", "u-bo")])
}

const LOSING_BO: &str = "would go from 3 to 2 active, joined members holding skill \"Billing\" at proficiency 3 or above, below the minimum of 3 (losing bo@acme.com)";

#[test]
fn a_shortfall_warns_when_coverage_is_not_enforced() {
    let plan = run(plan(vec![remove_bo()]), 3, false, false);
    assert_eq!(plan.coverage, [finding(3, 2, 3, &["bo@acme.com"], false)]);
    assert_eq!(
        plan.warnings,
        [Warning::new("queue \"Billing EN\"", LOSING_BO)]
    );
    assert_eq!(refusal(&plan, ResourceKind::QueueMembers, BILLING), None);
}

#[test]
fn an_enforced_shortfall_is_refused_even_with_force() {
    for force in [false, true] {
        let plan = run(plan(vec![remove_bo()]), 3, true, force);
        assert_eq!(plan.coverage, [finding(3, 2, 3, &["bo@acme.com"], true)]);
        assert_eq!(
            refusal(&plan, ResourceKind::QueueMembers, BILLING),
            Some(Refusal {
                reason: RefusalReason::Coverage,
                message: format!(
                    "queue \"Billing EN\" {LOSING_BO}; set coverage.enforce: false to allow it with a warning, or keep another holder"
                ),
            }),
            "force {force}"
        );
        assert!(
            plan.warnings.is_empty(),
            "force {force}: {:?}",
            plan.warnings
        );
    }
}

#[test]
fn a_skill_change_that_loses_a_holder_is_refused() {
    let cases = [
        (
            "lowered below the proficiency",
            ElementOp::Update,
            Some(2.0),
        ),
        ("removed", ElementOp::Remove, None),
    ];
    for (name, op, after) in cases {
        let plan = run(
            plan(vec![
                // di is not a holder (inactive): removing di is not the cause.
                members(BILLING, &[(ElementOp::Remove, "di@acme.com", "di-id")]),
                skills("ana@acme.com", "u-ana", &[(op, "Billing", after)]),
                skills(
                    "cy@acme.com",
                    "u-cy",
                    &[(ElementOp::Add, "Refunds", Some(2.0))],
                ),
            ]),
            3,
            true,
            false,
        );
        assert_eq!(
            plan.coverage,
            [finding(3, 2, 3, &["ana@acme.com"], true)],
            "{name}"
        );
        assert_eq!(
            refusal(&plan, ResourceKind::AgentSkills, "ana@acme.com").map(|r| r.reason),
            Some(RefusalReason::Coverage),
            "{name}"
        );
        assert_eq!(
            refusal(&plan, ResourceKind::AgentSkills, "cy@acme.com"),
            None,
            "{name}"
        );
        assert_eq!(
            refusal(&plan, ResourceKind::QueueMembers, BILLING),
            None,
            "{name}"
        );
    }
}

/// A skill change of a member is enough for the queue to be checked.
#[test]
fn a_members_skill_change_alone_triggers_the_check() {
    let plan = run(
        plan(vec![skills(
            "bo@acme.com",
            "u-bo",
            &[(ElementOp::Update, "Billing", Some(2.5))],
        )]),
        3,
        false,
        false,
    );
    assert_eq!(plan.coverage, [finding(3, 2, 3, &["bo@acme.com"], false)]);
}

#[test]
fn a_queue_already_short_warns_and_is_not_refused() {
    let cases = [
        (
            "no worse",
            plan(vec![members(
                BILLING,
                &[(ElementOp::Add, "cy@acme.com", "u-cy")],
            )]),
            4,
            finding(3, 3, 4, &[], false),
            "has 3 active, joined members holding skill \"Billing\" at proficiency 3 or above before and after the plan, below the minimum of 4",
        ),
        (
            "better but still short",
            plan(vec![
                members(BILLING, &[(ElementOp::Add, "cy@acme.com", "u-cy")]),
                skills(
                    "cy@acme.com",
                    "u-cy",
                    &[(ElementOp::Add, "Billing", Some(3.0))],
                ),
            ]),
            5,
            finding(3, 4, 5, &[], false),
            "would go from 3 to 4 active, joined members holding skill \"Billing\" at proficiency 3 or above, still below the minimum of 5",
        ),
    ];
    for (name, plan, min_agents, expected, message) in cases {
        let plan = run(plan, min_agents, true, false);
        assert_eq!(plan.coverage, [expected], "{name}");
        assert_eq!(plan.warnings.len(), 1, "{name}");
        assert_eq!(plan.warnings[0].message, message, "{name}");
        assert_eq!(plan.summary().refused, 0, "{name}");
    }
}

/// A member the plan adds starts joined, so it counts at once.
#[test]
fn an_added_holder_keeps_the_queue_covered() {
    let plan = run(
        plan(vec![
            members(
                BILLING,
                &[
                    (ElementOp::Add, "cy@acme.com", "u-cy"),
                    (ElementOp::Remove, "bo@acme.com", "u-bo"),
                ],
            ),
            skills(
                "cy@acme.com",
                "u-cy",
                &[(ElementOp::Add, "Billing", Some(3.0))],
            ),
        ]),
        3,
        true,
        false,
    );
    assert!(plan.coverage.is_empty(), "{:?}", plan.coverage);
    assert_eq!(plan.summary().refused, 0);
}

#[test]
fn members_who_are_not_joined_do_not_count() {
    let mut live = live();
    if let Some(member) = live
        .queues
        .get_mut(BILLING)
        .and_then(|q| q.members.as_mut())
        .and_then(|m| m.iter_mut().find(|m| m.user_id == "u-ana"))
    {
        member.joined = Some(false);
    }
    let mut plan = plan(vec![remove_bo()]);
    evaluate(&mut plan, &manifest(&queue(2, true)), &live, None, false);
    assert_eq!(plan.coverage, [finding(2, 1, 2, &["bo@acme.com"], true)]);
}

/// yan is read only as a member user; the member listing's email names him.
#[test]
fn a_member_the_manifest_does_not_name_counts_and_is_named_by_email() {
    let plan = run(
        plan(vec![members(
            BILLING,
            &[(ElementOp::Remove, "yan@acme.com", "u-yan")],
        )]),
        3,
        true,
        false,
    );
    assert_eq!(plan.coverage, [finding(3, 2, 3, &["yan@acme.com"], true)]);
}

#[test]
fn a_plan_that_touches_neither_the_queue_nor_its_members_is_not_checked() {
    let plan = run(
        plan(vec![skills(
            "cy@acme.com",
            "u-cy",
            &[(ElementOp::Add, "Refunds", Some(1.0))],
        )]),
        5,
        true,
        false,
    );
    assert!(plan.coverage.is_empty());
    assert!(plan.warnings.is_empty());
}

/// A replaced skill's old id counts as its new name, before and after.
#[test]
fn a_replaced_skill_counts_under_its_new_name() {
    let manifest = switchboard_manifest::load_str(
        "m.yaml",
        "version: 1\norg: {name: Acme, region: mypurecloud.ie}\nskills:\n  - name: Billing v2\n    renamedFrom: [Billing]\nqueues:\n  - name: Billing EN\n    coverage: {requiredSkills: [Billing v2], minAgents: 3}\n",
    );
    let Some(manifest) = manifest.manifest else {
        panic!("invalid manifest:\n{}", manifest.findings_text());
    };
    let mut replace = Change::new(
        Address::new(ResourceKind::Skill, "Billing v2"),
        Action::Replace,
    );
    replace.id = Some("sk-billing".into());
    replace.renamed_from = Some("Billing".into());
    let mut plan = plan(vec![replace, remove_bo()]);
    evaluate(&mut plan, &manifest, &live(), None, false);
    let found: Vec<(&str, usize, usize)> = plan
        .coverage
        .iter()
        .map(|f| (f.skill.as_str(), f.before, f.after))
        .collect();
    assert_eq!(found, [("Billing v2", 3, 2)]);
    assert_eq!(
        plan.warnings[0].message,
        "would go from 3 to 2 active, joined members holding skill \"Billing v2\", below the minimum of 3 (losing bo@acme.com)"
    );
}

#[test]
fn findings_are_sorted_by_queue_then_skill() {
    let mut live = live();
    for user in live
        .users
        .values_mut()
        .chain(live.member_users.values_mut())
    {
        if user.skills.contains_key("sk-billing") {
            user.skills.insert("sk-refunds".into(), 3.0);
        }
    }
    let queues =
        "  - name: Billing EN\n    coverage: {requiredSkills: [Refunds, Billing], minAgents: 3}\n";
    let mut plan = plan(vec![remove_bo()]);
    evaluate(&mut plan, &manifest(queues), &live, None, false);
    let skills: Vec<&str> = plan.coverage.iter().map(|f| f.skill.as_str()).collect();
    assert_eq!(skills, ["Billing", "Refunds"]);
    // Two warnings, one per skill, sorted as the diff sorts them.
    let mut sorted = plan.warnings.clone();
    sorted.sort();
    assert_eq!(plan.warnings, sorted);
    assert_eq!(plan.warnings.len(), 2);
}

/// The snapshot's named users carry no skills when no agent is managed; the guards' own read
/// of them (`member_users`) is what counts.
#[test]
fn skills_read_for_the_guards_win_over_the_snapshots_empty_ones() {
    let mut live = live();
    let mut ana = None;
    if let Some(user) = live.users.get_mut("ana@acme.com") {
        ana = Some(user.clone());
        user.skills.clear();
    }
    let mut unread = plan(vec![remove_bo()]);
    evaluate(&mut unread, &manifest(&queue(3, false)), &live, None, false);
    assert_eq!(
        unread.coverage[0].before, 2,
        "without the read, ana holds nothing"
    );

    if let Some(ana) = ana {
        live.member_users.insert(ana.id.clone(), ana);
    }
    let mut read = plan(vec![remove_bo()]);
    evaluate(&mut read, &manifest(&queue(3, false)), &live, None, false);
    assert_eq!(read.coverage, [finding(3, 2, 3, &["bo@acme.com"], false)]);
}
