//! `switchboard drift --since`: only what the audit trail shows changed is re-read and
//! compared, as the simulator's journal counts; a full check when the audit trail fails.

use std::process::Output;

use serde_json::Value;
use switchboard_sim::{FaultAction, FaultRule, Faults, JournalEntry, RunningSim};

use crate::org::{example, scratch, seeded_sim, switchboard};

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The API requests journaled since the last clear.
fn api_requests(sim: &RunningSim) -> Vec<JournalEntry> {
    sim.journal()
        .into_iter()
        .filter(|e| e.path.starts_with("/api/"))
        .collect()
}

/// The queue ids whose members were read.
fn member_reads(requests: &[JournalEntry]) -> Vec<String> {
    requests
        .iter()
        .filter(|e| e.path.ends_with("/members"))
        .map(|e| e.path.clone())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn since_reads_only_the_changed_objects_and_finds_their_drift() {
    let sim = seeded_sim().await;
    let dir = scratch("switchboard-drift-since");
    let quickstart = example("quickstart");
    let applied = switchboard(&sim, &dir, &["apply", &quickstart, "--auto-approve"]).await;
    assert_eq!(applied.status.code(), Some(0), "{}", stderr(&applied));

    // A full check, for comparison.
    sim.clear_journal();
    let full = switchboard(&sim, &dir, &["drift", &quickstart, "--format", "json"]).await;
    assert_eq!(full.status.code(), Some(0), "{}", stderr(&full));
    let full_requests = api_requests(&sim);

    // Only the apply's changes are in the window, and they are in line.
    sim.clear_journal();
    let quiet = switchboard(
        &sim,
        &dir,
        &["drift", &quickstart, "--since", "1h", "--format", "json"],
    )
    .await;
    assert_eq!(quiet.status.code(), Some(0), "{}", stderr(&quiet));
    assert!(json(&quiet)["since"]["audit_records"].as_u64().unwrap() > 0);

    // One admin edit, a member's ring in one queue, and a window that starts after the
    // apply (windows are whole seconds).
    tokio::time::sleep(std::time::Duration::from_secs(4)).await;
    sim.admin()
        .set_member_ring("Billing EN", "bo.berg@example.com", 3)
        .unwrap();
    sim.clear_journal();
    let output = switchboard(
        &sim,
        &dir,
        &["drift", &quickstart, "--since", "2s", "--format", "json"],
    )
    .await;
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let report = json(&output);
    let requests = api_requests(&sim);

    assert_eq!(
        report["since"]["checked"],
        serde_json::json!(["queue:Billing EN"])
    );
    let drifted: Vec<&Value> = report["objects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["drift"] == true)
        .collect();
    assert_eq!(drifted.len(), 1, "{report:#}");
    assert_eq!(drifted[0]["name"], "Billing EN");
    assert_eq!(drifted[0]["attribution"][0]["who"], "Dana Admin");

    // Members were read for the changed queue only; the full check read them all.
    let full_members = member_reads(&full_requests);
    let since_members = member_reads(&requests);
    eprintln!(
        "drift of the quickstart: a full check made {} requests ({} member pages); --since with one changed queue made {} ({} member pages)",
        full_requests.len(),
        full_members.len(),
        requests.len(),
        since_members.len()
    );
    assert_eq!(since_members.len(), 1, "{since_members:?}");
    assert!(full_members.len() > 1);
    // Exactly: the window's audit query, the six listings, the changed queue's members and
    // codes, its members' users, and the attribution of the one drifted object.
    let queue_id = drifted[0]["id"].as_str().unwrap();
    let mut listing: Vec<String> = requests
        .iter()
        .map(|e| format!("{} {}", e.method, e.path.replace(queue_id, "{id}")))
        .collect();
    listing.sort();
    assert_eq!(
        listing,
        [
            "GET /api/v2/authorization/divisions",
            "GET /api/v2/organizations/me",
            "GET /api/v2/routing/languages",
            "GET /api/v2/routing/queues",
            "GET /api/v2/routing/queues/{id}/members",
            "GET /api/v2/routing/queues/{id}/wrapupcodes",
            "GET /api/v2/routing/skills",
            "GET /api/v2/routing/wrapupcodes",
            "POST /api/v2/audits/query/realtime",
            "POST /api/v2/audits/query/realtime",
            "POST /api/v2/users/search",
        ]
    );
    assert!(
        requests.iter().all(|e| e.method == "GET"
            || e.path == "/api/v2/users/search"
            || e.path.starts_with("/api/v2/audits/")),
        "drift never writes"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn since_checks_everything_when_the_audit_trail_cannot_be_read() {
    let sim = seeded_sim().await;
    let dir = scratch("switchboard-drift-since-fallback");
    let quickstart = example("quickstart");
    let applied = switchboard(&sim, &dir, &["apply", &quickstart, "--auto-approve"]).await;
    assert_eq!(applied.status.code(), Some(0), "{}", stderr(&applied));
    sim.admin()
        .set_member_ring("Billing EN", "bo.berg@example.com", 3)
        .unwrap();
    sim.set_faults(
        Faults::none().rule(
            FaultRule::new(FaultAction::Status {
                status: 403,
                retry_after: None,
            })
            .path_prefix("/api/v2/audits"),
        ),
    );
    let output = switchboard(
        &sim,
        &dir,
        &["drift", &quickstart, "--since", "1h", "--format", "json"],
    )
    .await;
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("checking the whole org instead"),
        "{}",
        stderr(&output)
    );
    let report = json(&output);
    assert!(report.get("since").is_none(), "a full check: {report:#}");
    assert!(
        report["objects"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["drift"] == true && o["name"] == "Billing EN")
    );

    // A window the audit query does not cover is refused the same way.
    sim.set_faults(Faults::none());
    let output = switchboard(&sim, &dir, &["drift", &quickstart, "--since", "30d"]).await;
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("14 days"), "{}", stderr(&output));
}
