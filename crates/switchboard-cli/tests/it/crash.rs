//! Crash safety: `switchboard apply` killed with SIGKILL at seeded random points of its run
//! (reads and writes alike). The killed run must not have broken an invariant, its plan
//! file must then be refused as stale (nothing written), and the next apply must converge
//! with no duplicates.

use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::time::Duration;

use switchboard_chaos::{OrgView, Violation, check, kill_points};
use switchboard_plan::document::PlanDocument;
use switchboard_sim::{Faults, Latency, RunningSim};

use crate::chaos::{
    TOKENS, apply_converges, audit_records, drifted_contact_center, logged_creates_exist, serve,
};
use crate::org::{command, example, out, scratch, switchboard_env};

/// Runs killed at a point anywhere in the run, and as many again killed while it writes.
const RUNS: usize = 8;

async fn start(state: &Path) -> RunningSim {
    let sim = serve(state).await;
    // A little latency, so that a kill lands between requests rather than after the run.
    sim.set_faults(Faults::none().seed(1).latency(Latency {
        fixed_ms: 2,
        jitter_ms: 4,
        include_auth: false,
    }));
    sim
}

/// Requests the simulator has answered (token requests included).
fn requests(sim: &RunningSim) -> u64 {
    u64::try_from(sim.journal_len()).unwrap_or(u64::MAX)
}

/// Waits until `sim` has journaled no new request for 300 ms (at most 10 s).
async fn settle(sim: &RunningSim) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let mut seen = requests(sim);
    while tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let now = requests(sim);
        if now == seen {
            return;
        }
        seen = now;
    }
}

/// A fresh copy of the drifted org in `dir`, served, with its plan made.
async fn planned(start_state: &Path, dir: &Path) -> (RunningSim, switchboard_plan::Plan) {
    std::fs::create_dir_all(dir).unwrap();
    let state = dir.join("org.json");
    std::fs::copy(start_state, &state).unwrap();
    let sim = start(&state).await;
    let plan = switchboard_env(
        &sim,
        dir,
        &["plan", &example("contact-center"), "--out", "plan.json"],
        &[TOKENS],
    )
    .await;
    assert_eq!(plan.status.code(), Some(0), "{}", out(&plan));
    let text = std::fs::read_to_string(dir.join("plan.json")).unwrap();
    let (plan, _, _) = PlanDocument::read_file(&text, None).unwrap();
    sim.clear_journal();
    (sim, plan)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apply_killed_at_random_points_is_finished_by_the_next_apply() {
    let root = scratch("switchboard-crash");
    let start_state = drifted_contact_center().await;

    // How many requests an uninterrupted apply of the plan makes.
    let (sim, _) = planned(start_state, &root.join("whole")).await;
    let whole = switchboard_env(
        &sim,
        &root.join("whole"),
        &["apply", "plan.json"],
        &[TOKENS],
    )
    .await;
    assert_eq!(whole.status.code(), Some(0), "{}", out(&whole));
    let total = requests(&sim);
    // The writes are a narrow band of the run (reads before, verification after): half the
    // kills land among them.
    let journal = sim.journal();
    let is_write = |e: &switchboard_sim::JournalEntry| {
        e.method != "GET" && !e.path.ends_with("/search") && e.path.starts_with("/api/")
    };
    let index = |i: Option<usize>| u64::try_from(i.expect("the plan writes")).unwrap();
    let first_write = index(journal.iter().position(is_write));
    let last_write = index(journal.iter().rposition(is_write));
    let mut points = kill_points(2026, RUNS, total);
    points.extend(
        kill_points(2027, RUNS, last_write - first_write)
            .into_iter()
            .map(|p| first_write + p),
    );
    sim.shutdown().await;

    let mut broken = Vec::new();
    let mut killed_mid_run = 0;
    for (run, point) in points.into_iter().enumerate() {
        let dir = root.join(format!("run-{run}"));
        let (sim, plan) = planned(start_state, &dir).await;
        let before = OrgView::read(&sim.snapshot()).unwrap();

        let mut child = command(
            &sim,
            &dir,
            &["apply", "plan.json", "--audit-log", "audit.jsonl"],
            &[TOKENS],
        )
        .spawn()
        .unwrap();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if requests(&sim) >= point {
                child.kill().unwrap();
                break child.wait().unwrap();
            }
            tokio::time::sleep(Duration::from_micros(500)).await;
        };
        let was_killed = status.signal() == Some(9);
        killed_mid_run += usize::from(was_killed);
        // A request the killed process had sent is still handled, and journaled, after the
        // kill: wait until the simulator is quiet, so that neither the state read next nor
        // the re-run's journal holds the dead process's last writes.
        settle(&sim).await;
        let after_kill = OrgView::read(&sim.snapshot()).unwrap();
        let mut found: Vec<Violation> = check(&before, &after_kill, &plan);
        // The steps it finished are in the audit log, and true.
        let logged = audit_records(&dir);
        found.extend(logged_creates_exist(&logged, &after_kill));
        let logged_steps = logged.iter().filter(|r| r["record"] == "step").count();
        let own_writes = after_kill.audit.len() - before.audit.len();

        // The reviewed plan no longer matches an org it half changed: refused, nothing sent.
        if was_killed && own_writes > 0 {
            let journal_before = sim.journal().len();
            let again = switchboard_env(&sim, &dir, &["apply", "plan.json"], &[TOKENS]).await;
            let wrote = sim.journal()[journal_before..].iter().any(|e| {
                e.method != "GET" && !e.path.ends_with("/search") && e.path.starts_with("/api/")
            });
            if again.status.code() != Some(1) || !out(&again).contains("stale") || wrote {
                found.push(Violation(format!(
                    "the half-applied plan file was not refused as stale:\n{}",
                    out(&again)
                )));
            }
        }

        if let Err(why) = apply_converges(&sim, &dir).await {
            found.push(Violation(format!(
                "the next apply did not converge:\n{why}"
            )));
        }
        // The two runs together did what the plan said, and nothing else.
        let end = OrgView::read(&sim.snapshot()).unwrap();
        found.extend(check(&before, &end, &plan));
        found.sort();
        found.dedup();
        eprintln!(
            "run {run}: killed after {point} of {total} requests: {}, {own_writes} change(s) and {logged_steps} logged step(s) before the kill, {} violation(s)",
            if was_killed { "killed" } else { "had finished" },
            found.len()
        );
        if !found.is_empty() {
            let list: Vec<String> = found.iter().map(|v| format!("  - {v}")).collect();
            broken.push(format!(
                "run {run} (kill at request {point}):\n{}",
                list.join("\n")
            ));
        }
        sim.shutdown().await;
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
    assert!(
        killed_mid_run >= 10,
        "only {killed_mid_run} of {} runs were killed before they finished",
        2 * RUNS
    );
    let _ = std::fs::remove_dir_all(&root);
}
