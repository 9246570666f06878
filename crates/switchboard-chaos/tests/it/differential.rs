//! The differential checker over many seeds: no read fault may make a plan more destructive.

use std::collections::BTreeSet;
use std::time::Instant;

use switchboard_chaos::differential::{Matrix, ReadFault, Scenario, run, true_plan};
use switchboard_plan::{Action, ElementOp, ResourceKind};

/// Seeds in every `cargo test`: five of each fault class.
const BOUNDED_SEEDS: u64 = 35;
/// Seeds with `--ignored`.
const LONG_SEEDS: u64 = 240;

/// Runs seeds `0..seeds` and gathers their outcomes.
async fn matrix(seeds: u64) -> Matrix {
    let mut matrix = Matrix::new();
    for seed in 0..seeds {
        let started = Instant::now();
        let outcome = run(seed).await.unwrap();
        eprintln!(
            "seed {seed} ({:.1} s, fired: {}): {} → {:?}",
            started.elapsed().as_secs_f64(),
            outcome.fired,
            outcome.fault,
            outcome.verdict
        );
        matrix.add(&outcome);
    }
    matrix
}

fn assert_sound(matrix: &Matrix) {
    println!("{}", matrix.markdown());
    for class in ReadFault::ALL {
        assert!(matrix.row(class).fired > 0, "no {class} fault ever fired");
    }
    assert!(
        matrix.findings().is_empty(),
        "read faults made plans more destructive:\n{}",
        matrix.markdown()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_read_fault_makes_a_plan_more_destructive() {
    assert_sound(&matrix(BOUNDED_SEEDS).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "long: 240 seeds; run with --ignored"]
async fn no_read_fault_makes_a_plan_more_destructive_long() {
    assert_sound(&matrix(LONG_SEEDS).await);
}

/// A fault can only make a plan worse where the true plan has something to make worse: the
/// true plans delete objects of every kind, remove elements of every collection, and (in the
/// replace scenario) replace a skill that has holders.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_true_plans_destroy_something_of_every_kind() {
    for scenario in Scenario::ALL {
        let plan = true_plan(scenario).await.unwrap();
        let deleted: BTreeSet<ResourceKind> = plan
            .runnable()
            .filter(|c| c.action == Action::Delete)
            .map(|c| c.address.kind)
            .collect();
        let removed: BTreeSet<ResourceKind> = plan
            .runnable()
            .filter(|c| c.elements.iter().any(|e| e.op == ElementOp::Remove))
            .map(|c| c.address.kind)
            .collect();
        assert_eq!(
            deleted,
            BTreeSet::from([
                ResourceKind::Skill,
                ResourceKind::Language,
                ResourceKind::WrapupCode,
                ResourceKind::Queue
            ]),
            "{scenario}"
        );
        assert_eq!(
            removed,
            BTreeSet::from([
                ResourceKind::QueueWrapupCodes,
                ResourceKind::QueueMembers,
                ResourceKind::AgentSkills,
                ResourceKind::AgentLanguages
            ]),
            "{scenario}"
        );
        assert_eq!(
            plan.refused().count(),
            4,
            "{scenario}: the protected deletes"
        );
        let replaced = plan
            .runnable()
            .find(|c| c.action == Action::Replace)
            .map(|c| c.elements.len());
        match scenario {
            Scenario::Replace => assert_eq!(replaced, Some(10), "the holders of Billing move"),
            Scenario::Search => assert_eq!(replaced, None),
        }
    }
}
