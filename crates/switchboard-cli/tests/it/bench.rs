//! The CI smoke run of `switchboard bench`: the small org, the rate-limit window 600×
//! shorter and no added latency, so it takes seconds. It checks request counts against
//! the floors, never times.

use std::process::Command;

use serde_json::Value;

#[test]
fn a_small_bench_stays_at_the_request_floor() {
    let output = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args([
            "bench",
            "--size",
            "small",
            "--speedup",
            "600",
            "--latency-ms",
            "0",
            "--jitter-ms",
            "0",
            "--json",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();

    let rows = report["rows"].as_array().unwrap();
    let scenarios: Vec<&str> = rows
        .iter()
        .map(|r| r["scenario"].as_str().unwrap())
        .collect();
    for wanted in [
        "export",
        "plan, no changes",
        "plan, 1 % changed",
        "drift, full",
        "apply, from an empty org",
        "plan after apply",
        "per-object read (vendor pattern)",
    ] {
        assert!(scenarios.contains(&wanted), "{wanted} in {scenarios:?}");
    }
    for row in rows {
        let (requests, floor) = (
            row["requests"].as_u64().unwrap(),
            row["floor"].as_u64().unwrap(),
        );
        let target = row["request_target"].as_f64().unwrap();
        assert!(
            requests as f64 <= floor as f64 * target,
            "{}: {requests} requests, floor {floor}, target {target}×",
            row["scenario"]
        );
        assert_eq!(
            row["client_requests"], row["requests"],
            "{}: the client and the server count alike",
            row["scenario"]
        );
        assert_eq!(row["rate_limited"], 0, "{}: no 429", row["scenario"]);
    }
    let row = |name: &str| rows.iter().find(|r| r["scenario"] == name).unwrap();
    // The no-op plan and the re-plan after apply: no changes, so apply converged.
    assert!(
        row("plan, no changes")["outcome"]
            .as_str()
            .unwrap()
            .starts_with("0 changes")
    );
    assert!(
        row("plan after apply")["outcome"]
            .as_str()
            .unwrap()
            .starts_with("0 changes")
    );
    // 1 % of 50 queues and 500 agents: 1 queue re-timed, 1 losing a member, 5 agents.
    assert!(
        row("plan, 1 % changed")["outcome"]
            .as_str()
            .unwrap()
            .starts_with("7 changes")
    );
    assert!(
        row("drift, full")["outcome"]
            .as_str()
            .unwrap()
            .starts_with("7 drifted")
    );

    let side = &report["side_by_side"];
    assert!(side["request_ratio"].as_f64().unwrap() >= 8.0, "{side}");
    let request_checks: Vec<&Value> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "requests")
        .collect();
    assert!(request_checks.len() >= 9, "{request_checks:?}");
    for check in request_checks {
        assert_eq!(check["met"], true, "{check}");
    }
}
