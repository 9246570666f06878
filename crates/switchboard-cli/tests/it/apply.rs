//! `switchboard apply` end to end: the built binary against a seeded in-process simulator.

use std::process::Output;

use serde_json::Value;
use switchboard_sim::{DEMO_CLIENT_SECRET, Fixture, RunningSim, Sim};

use crate::org::{ORG, example, scratch, seeded_sim, switchboard};

fn quickstart() -> String {
    example("quickstart")
}

fn out(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn writes(sim: &RunningSim) -> usize {
    sim.journal()
        .iter()
        .filter(|e| e.path.starts_with("/api/v2/") && e.method != "GET")
        .filter(|e| !e.path.ends_with("/search"))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reviewed_plan_file_is_applied_verified_and_audited() {
    let sim = seeded_sim().await;
    let dir = scratch("switchboard-apply-file");
    let plan = switchboard(&sim, &dir, &["plan", &quickstart(), "--out", "plan.json"]).await;
    assert_eq!(plan.status.code(), Some(0), "{}", out(&plan));

    let apply = switchboard(&sim, &dir, &["apply", "plan.json"]).await;
    let text = out(&apply);
    assert_eq!(apply.status.code(), Some(0), "{text}");
    assert!(
        text.contains("Apply: 7 applied, 0 adopted, 0 failed, 0 skipped."),
        "{text}"
    );
    assert!(
        text.contains("Verified: a new plan shows no changes."),
        "{text}"
    );

    let again = switchboard(&sim, &dir, &["plan", &quickstart(), "--detailed-exitcode"]).await;
    assert_eq!(
        again.status.code(),
        Some(0),
        "plan → apply → plan is empty: {}",
        out(&again)
    );

    let audit = std::fs::read_to_string(dir.join("switchboard-audit.jsonl")).unwrap();
    let records: Vec<Value> = audit
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let totals = records.last().unwrap();
    assert_eq!(totals["record"], "totals");
    assert_eq!(totals["verified"], true);
    assert_eq!(totals["applied"], 7);
    assert_eq!(records.len(), 8, "one record per step, then the totals");
    let run_id = &totals["run_id"];
    for record in &records[..records.len() - 1] {
        assert!(record["attempts"].as_u64().unwrap() >= 1, "{record}");
    }
    for record in &records {
        assert_eq!(&record["run_id"], run_id);
        assert!(record["timestamp"].as_str().unwrap().ends_with('Z'));
    }
    assert!(
        records
            .iter()
            .any(|r| r["address"] == "queue[\"Refunds EN\"]" && r["status"] == "applied")
    );
    assert!(
        !audit.contains(DEMO_CLIENT_SECRET),
        "no secret in the audit log"
    );
    std::fs::remove_dir_all(&dir).unwrap();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_or_edited_plan_file_is_refused_and_nothing_is_written() {
    let sim = seeded_sim().await;
    let dir = scratch("switchboard-apply-stale");
    let plan = switchboard(&sim, &dir, &["plan", &quickstart(), "--out", "plan.json"]).await;
    assert_eq!(plan.status.code(), Some(0), "{}", out(&plan));

    // Someone lifts the safety limits by hand.
    let mut document: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("plan.json")).unwrap()).unwrap();
    document["forced"] = Value::Bool(true);
    std::fs::write(dir.join("edited.json"), document.to_string()).unwrap();
    let edited = switchboard(&sim, &dir, &["apply", "edited.json"]).await;
    assert_eq!(edited.status.code(), Some(1));
    assert!(
        out(&edited).contains("modified after it was written"),
        "{}",
        out(&edited)
    );

    sim.admin()
        .set_member_ring("Billing EN", "chen.okafor@example.com", 1)
        .unwrap();
    sim.clear_journal();
    let apply = switchboard(&sim, &dir, &["apply", "plan.json"]).await;
    assert_eq!(apply.status.code(), Some(1));
    assert!(
        out(&apply).contains(
            "the plan is stale: members of queue \"Billing EN\" changed since the plan was made"
        ),
        "{}",
        out(&apply)
    );
    assert_eq!(writes(&sim), 0, "nothing was written");
    std::fs::remove_dir_all(&dir).unwrap();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manifest_needs_a_terminal_or_auto_approve() {
    let sim = seeded_sim().await;
    let dir = scratch("switchboard-apply-approve");
    let refused = switchboard(&sim, &dir, &["apply", &quickstart()]).await;
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        out(&refused).contains("refusing to apply without confirmation"),
        "{}",
        out(&refused)
    );
    assert_eq!(writes(&sim), 0, "nothing was written");

    let applied = switchboard(&sim, &dir, &["apply", &quickstart(), "--auto-approve"]).await;
    assert_eq!(applied.status.code(), Some(0), "{}", out(&applied));
    let noop = switchboard(&sim, &dir, &["apply", &quickstart(), "--auto-approve"]).await;
    assert_eq!(noop.status.code(), Some(0), "{}", out(&noop));
    assert!(
        out(&noop).contains("No changes. The org matches the manifest."),
        "{}",
        out(&noop)
    );
    std::fs::remove_dir_all(&dir).unwrap();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_file_for_another_org_is_refused() {
    let sim = seeded_sim().await;
    let dir = scratch("switchboard-apply-other-org");
    let plan = switchboard(&sim, &dir, &["plan", &quickstart(), "--out", "plan.json"]).await;
    assert_eq!(plan.status.code(), Some(0), "{}", out(&plan));
    sim.shutdown().await;

    // The same org's twin, under another id (a sandbox copy, say).
    let twin = Sim::builder()
        .fixture(
            Fixture::from_yaml(&ORG.replace(
                "id: 5b5e6a2c-7d1f-4c3b-9a8e-0d15c0a1b2c3",
                "id: 00000000-0000-4000-8000-000000000001",
            ))
            .unwrap(),
        )
        .start()
        .await
        .unwrap();
    let apply = switchboard(&twin, &dir, &["apply", "plan.json"]).await;
    assert_eq!(apply.status.code(), Some(1));
    assert!(
        out(&apply).contains("the plan file was made for org \"Switchboard Demo Org\" (5b5e6a2c-7d1f-4c3b-9a8e-0d15c0a1b2c3), but the credentials belong to org"),
        "{}",
        out(&apply)
    );
    assert_eq!(writes(&twin), 0, "nothing was written");
    std::fs::remove_dir_all(&dir).unwrap();
    twin.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verification_waits_for_an_eventually_consistent_org() {
    let sim = seeded_sim().await;
    let dir = scratch("switchboard-apply-lag");
    let plan = switchboard(&sim, &dir, &["plan", &quickstart(), "--out", "plan.json"]).await;
    assert_eq!(plan.status.code(), Some(0), "{}", out(&plan));
    // New objects stay out of listings for a while after they are created.
    sim.set_faults(
        switchboard_sim::Faults::none().eventual_consistency(std::time::Duration::from_secs(8)),
    );
    let apply = switchboard(&sim, &dir, &["apply", "plan.json"]).await;
    let text = out(&apply);
    assert_eq!(apply.status.code(), Some(0), "{text}");
    assert!(
        text.contains("Verified: a new plan shows no changes."),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
    sim.shutdown().await;
}
