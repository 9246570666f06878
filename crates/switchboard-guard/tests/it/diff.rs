//! The guards on a plan made by the real diff: needs → evaluate, as the CLI runs them.

use std::collections::BTreeSet;

use switchboard_guard::{evaluate, needs};
use switchboard_manifest::Live;
use switchboard_plan::{Policy, RefusalReason, ResourceKind};

use crate::fixture::{BILLING, forecast, live, manifest, refusal};

/// The manifest keeps only ana and di (inactive, so skipped but kept) on "Billing EN":
/// the diff removes bo and yan.
fn queues(enforce: bool) -> String {
    format!(
        "  - name: Billing EN\n    members:\n      mode: authoritative\n      users:\n        - user: ana@acme.com\n        - user: di@acme.com\n    coverage: {{requiredSkills: [Billing], minProficiency: 3, minAgents: 2, enforce: {enforce}}}\n"
    )
}

#[test]
fn a_diffed_removal_is_judged_by_both_guards() {
    let snapshot = live();
    let forecast = forecast("Billing EN,call,3\n");
    for (enforce, reason) in [
        (true, RefusalReason::Coverage),
        (false, RefusalReason::Capacity),
    ] {
        let manifest = manifest(&queues(enforce));
        let mut plan = switchboard_plan::diff(&manifest, &snapshot, &Policy::default())
            .unwrap_or_else(|e| panic!("{e}"));
        let removed: Vec<&str> = plan
            .changes
            .iter()
            .filter(|c| c.address.kind == ResourceKind::QueueMembers)
            .flat_map(|c| &c.elements)
            .map(|e| e.key.as_str())
            .collect();
        assert_eq!(removed, ["bo@acme.com", "yan@acme.com"]);

        // The manifest manages no agents, so the snapshot has the named members without
        // their skills: the guards ask for them (and for every member's capacity).
        let wanted = needs(&plan, &manifest, &snapshot, Some(&forecast));
        let ids = |ids: &[&str]| {
            ids.iter()
                .map(|id| (*id).to_string())
                .collect::<BTreeSet<_>>()
        };
        assert_eq!(wanted.users, ids(&["di-id", "u-ana", "u-bo"]));
        assert_eq!(wanted.capacity, ids(&["di-id", "u-ana", "u-bo", "u-yan"]));
        let live = read(&snapshot, &wanted.users);

        evaluate(&mut plan, &manifest, &live, Some(&forecast), false);
        assert_eq!(
            refusal(&plan, ResourceKind::QueueMembers, BILLING).map(|r| r.reason),
            Some(reason),
            "enforce {enforce}"
        );
        let finding = &plan.coverage[0];
        assert_eq!(
            (
                finding.before,
                finding.after,
                finding.missing.clone(),
                finding.refused
            ),
            (
                3,
                1,
                vec!["bo@acme.com".to_string(), "yan@acme.com".to_string()],
                enforce
            )
        );
        let over: Vec<bool> = match &plan.capacity {
            switchboard_plan::CapacityReport::On { queues, .. } => {
                queues.iter().map(|q| q.over).collect()
            }
            switchboard_plan::CapacityReport::Off => Vec::new(),
        };
        assert_eq!(over, [true]);
        // Sorted and free of duplicates, as the diff leaves them.
        let mut sorted = plan.warnings.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(plan.warnings, sorted);
    }
}

/// What the fetch does with `needs().users`: reads those users, skills included, into
/// `member_users` (the fixture's named users already carry their skills).
fn read(snapshot: &Live, users: &BTreeSet<String>) -> Live {
    let mut live = snapshot.clone();
    for user in snapshot.users.values().filter(|u| users.contains(&u.id)) {
        live.member_users.insert(user.id.clone(), user.clone());
    }
    live
}
