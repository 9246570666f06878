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
    // A line per step as it ends, and totals that read as the plan's.
    let plan_line = out(&plan)
        .lines()
        .find(|l| l.starts_with("Plan: "))
        .map(|l| {
            l.trim_start_matches("Plan: ")
                .trim_end_matches('.')
                .to_string()
        })
        .unwrap();
    let steps = text
        .lines()
        .filter(|l| l.ends_with("): created") || l.ends_with("): updated"))
        .count();
    assert_eq!(steps, 7, "{text}");
    assert!(
        text.contains(&format!("(the plan: {plan_line}).")),
        "{plan_line:?} in:\n{text}"
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

/// Runs `switchboard apply` on a plan file and checks that it was refused with exit 1,
/// every word of `expected` in what it printed, no panic, and nothing written.
async fn assert_refused(sim: &RunningSim, dir: &std::path::Path, file: &str, expected: &[&str]) {
    sim.clear_journal();
    let apply = switchboard(sim, dir, &["apply", file]).await;
    let text = out(&apply);
    assert_eq!(apply.status.code(), Some(1), "{file}: {text}");
    let stderr = String::from_utf8_lossy(&apply.stderr);
    for word in expected {
        assert!(stderr.contains(word), "{file}: no {word:?} in {stderr}");
    }
    assert!(!text.contains("panicked"), "{file}: {text}");
    assert_eq!(writes(sim), 0, "{file}: nothing was written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_file_of_another_version_truncated_or_with_a_forged_checksum_is_refused() {
    let sim = seeded_sim().await;
    let dir = scratch("switchboard-apply-tampered");
    let plan = switchboard(&sim, &dir, &["plan", &quickstart(), "--out", "plan.json"]).await;
    assert_eq!(plan.status.code(), Some(0), "{}", out(&plan));
    let text = std::fs::read_to_string(dir.join("plan.json")).unwrap();
    let document: Value = serde_json::from_str(&text).unwrap();

    let mut future = document.clone();
    future["format_version"] = Value::from("9.0");
    let mut unversioned = document.clone();
    unversioned
        .as_object_mut()
        .unwrap()
        .remove("format_version");
    let mut forged = document.clone();
    forged["checksum"] = Value::from(format!("sha256:{}", "0".repeat(64)));
    let cases: [(&str, String, &[&str]); 4] = [
        (
            "future.json",
            future.to_string(),
            &[
                "future.json is refused",
                "format_version \"9.0\" is not supported",
                "\"1.0\"",
                "hint: make the plan again",
            ],
        ),
        (
            "unversioned.json",
            unversioned.to_string(),
            &[
                "unversioned.json is refused",
                "not a switchboard plan file",
                "no format_version",
            ],
        ),
        (
            "truncated.json",
            text[..text.len() / 2].to_string(),
            &[
                "truncated.json is refused",
                "not a switchboard plan file",
                "EOF",
            ],
        ),
        (
            "forged.json",
            forged.to_string(),
            &[
                "forged.json is refused",
                "modified after it was written",
                "checksum does not match",
                "hint: never edit a plan file",
            ],
        ),
    ];
    for (file, content, expected) in cases {
        std::fs::write(dir.join(file), content).unwrap();
        assert_refused(&sim, &dir, file, expected).await;
    }
    std::fs::remove_dir_all(&dir).unwrap();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_listings_fail_the_apply_before_anything_is_written() {
    use switchboard_sim::{FaultAction, FaultRule, Faults};

    const QUEUES: &str = "/api/v2/routing/queues";
    let raw = |status: u16, content_type: &str, body: &str| FaultAction::Raw {
        status,
        content_type: content_type.into(),
        body: body.into(),
    };
    // (what the listing answers, what the error must say besides the endpoint)
    let cases: [(&str, FaultAction, &[&str]); 6] = [
        (
            "truncated JSON",
            raw(200, "application/json", r#"{"entities": [{"id": "q1", "na"#),
            &["EOF"],
        ),
        (
            "wrong types",
            raw(200, "application/json", r#"{"entities": "nope"}"#),
            &["invalid type"],
        ),
        // A 502 is retried with backoff for over a minute (eight attempts); the proxy's
        // page that is not retried shows the same decoding path at once.
        (
            "an HTML page from a proxy",
            raw(
                200,
                "text/html",
                "<html><body><h1>Welcome to nginx</h1></body></html>",
            ),
            &["text/html", "proxy"],
        ),
        (
            "an HTML error page from a proxy",
            raw(
                500,
                "text/html",
                "<html><body><h1>500 Internal Server Error</h1><hr>nginx</body></html>",
            ),
            &["500"],
        ),
        (
            "an empty body",
            raw(200, "application/json", ""),
            &["empty"],
        ),
        (
            "a redirect to itself",
            FaultAction::Redirect {
                location: QUEUES.into(),
            },
            &["redirect"],
        ),
    ];
    let dir = scratch("switchboard-apply-malformed");
    for (case, action, expected) in cases {
        let sim = seeded_sim().await;
        sim.set_faults(
            Faults::none().rule(FaultRule::new(action).method("GET").path_prefix(QUEUES)),
        );
        let apply = switchboard(&sim, &dir, &["apply", &quickstart(), "--auto-approve"]).await;
        let stderr = String::from_utf8_lossy(&apply.stderr);
        assert_eq!(apply.status.code(), Some(1), "{case}: {}", out(&apply));
        assert!(
            stderr.contains(QUEUES),
            "{case}: the endpoint is named: {stderr}"
        );
        assert!(
            stderr.matches("hint:").count() <= 1,
            "{case}: the error is said once: {stderr}"
        );
        for word in expected {
            assert!(stderr.contains(word), "{case}: no {word:?} in {stderr}");
        }
        assert!(!out(&apply).contains("panicked"), "{case}: {}", out(&apply));
        assert_eq!(writes(&sim), 0, "{case}: nothing was written");
        sim.shutdown().await;
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The plan file at `path` with one more change: a delete of queue "Sales EN" (division
/// Sales, outside the quickstart's scope), its checksum recomputed as anyone can.
fn with_an_added_delete(path: &std::path::Path) -> String {
    use switchboard_plan::document::PlanDocument;
    let mut document: PlanDocument =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut delete = document.resource_changes[0].clone();
    delete.address = "queue[\"Sales EN\"]".into();
    delete.kind = switchboard_plan::ResourceKind::Queue;
    delete.name = "Sales EN".into();
    delete.actions = vec!["delete".into()];
    delete.id = Some("q-sales".into());
    delete.attributes.clear();
    delete.elements.clear();
    document.resource_changes.push(delete);
    let seal = document.seal.take();
    document.checksum = String::new();
    document.checksum = switchboard_plan::fingerprint::of(&document);
    document.seal = seal;
    document.to_json()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edited_plan_file_is_refused_even_with_its_checksum_recomputed() {
    let sim = seeded_sim().await;
    let dir = scratch("switchboard-apply-edited");
    let plan = switchboard(&sim, &dir, &["plan", &quickstart(), "--out", "plan.json"]).await;
    assert_eq!(plan.status.code(), Some(0), "{}", out(&plan));
    std::fs::write(
        dir.join("edited.json"),
        with_an_added_delete(&dir.join("plan.json")),
    )
    .unwrap();
    sim.clear_journal();
    let refused = switchboard(&sim, &dir, &["apply", "edited.json"]).await;
    let text = out(&refused);
    assert_eq!(refused.status.code(), Some(1), "{text}");
    assert!(
        text.contains("does not make these changes")
            && text.contains("queue \"Sales EN\" will be destroyed"),
        "{text}"
    );
    assert_eq!(writes(&sim), 0, "nothing was written");

    // Sealed with the pipeline's key, the same edit fails the seal.
    let key = [("SWITCHBOARD_PLAN_KEY", "a pipeline secret")];
    let plan = crate::org::switchboard_env(
        &sim,
        &dir,
        &["plan", &quickstart(), "--out", "sealed.json"],
        &key,
    )
    .await;
    assert_eq!(plan.status.code(), Some(0), "{}", out(&plan));
    std::fs::write(
        dir.join("edited.json"),
        with_an_added_delete(&dir.join("sealed.json")),
    )
    .unwrap();
    let refused = crate::org::switchboard_env(&sim, &dir, &["apply", "edited.json"], &key).await;
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        out(&refused).contains("seal does not match"),
        "{}",
        out(&refused)
    );
    let unkeyed = switchboard(&sim, &dir, &["apply", "sealed.json"]).await;
    assert_eq!(unkeyed.status.code(), Some(1));
    assert!(
        out(&unkeyed).contains("is sealed, but no key"),
        "{}",
        out(&unkeyed)
    );
    let unsealed = crate::org::switchboard_env(&sim, &dir, &["apply", "plan.json"], &key).await;
    assert_eq!(unsealed.status.code(), Some(1));
    assert!(
        out(&unsealed).contains("is not sealed"),
        "{}",
        out(&unsealed)
    );
    assert_eq!(writes(&sim), 0, "nothing was written");
    assert!(
        !std::fs::read_to_string(dir.join("sealed.json"))
            .unwrap()
            .contains("a pipeline secret"),
        "the key is never written"
    );
    let applied = crate::org::switchboard_env(&sim, &dir, &["apply", "sealed.json"], &key).await;
    assert_eq!(applied.status.code(), Some(0), "{}", out(&applied));
    std::fs::remove_dir_all(&dir).unwrap();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_file_is_applied_once_and_only_while_it_is_fresh() {
    let sim = seeded_sim().await;
    let dir = scratch("switchboard-apply-once");
    let plan = switchboard(&sim, &dir, &["plan", &quickstart(), "--out", "plan.json"]).await;
    assert_eq!(plan.status.code(), Some(0), "{}", out(&plan));
    let old = switchboard(&sim, &dir, &["apply", "plan.json", "--max-plan-age", "1ms"]).await;
    assert_eq!(old.status.code(), Some(1));
    assert!(
        out(&old).contains("ago, longer than the 1ms allowed (flag --max-plan-age)"),
        "{}",
        out(&old)
    );
    let first = switchboard(&sim, &dir, &["apply", "plan.json"]).await;
    assert_eq!(first.status.code(), Some(0), "{}", out(&first));
    // Someone deletes the queue the plan created; the same file must not bring it back.
    sim.admin().delete_queue("Refunds EN").unwrap();
    sim.clear_journal();
    let again = switchboard(&sim, &dir, &["apply", "plan.json"]).await;
    let text = out(&again);
    assert_eq!(again.status.code(), Some(1), "{text}");
    assert!(
        text.contains("the plan is stale") && text.contains("skill \"Refunds\" now exists"),
        "{text}"
    );
    assert_eq!(writes(&sim), 0, "nothing was written");
    std::fs::remove_dir_all(&dir).unwrap();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strict_makes_every_warning_an_error_and_a_target_must_match_something() {
    let sim = seeded_sim().await;
    let dir = scratch("switchboard-strict");
    std::fs::write(
        dir.join("manifest.yaml"),
        "version: 1\norg: { name: Switchboard Demo Org, region: mypurecloud.ie }\nqueues:\n  - name: Billing EN\n    members:\n      mode: additive\n      users: [{ user: new.hire@example.com }]\n",
    )
    .unwrap();
    let lenient = switchboard(&sim, &dir, &["plan", "manifest.yaml"]).await;
    assert_eq!(lenient.status.code(), Some(0), "{}", out(&lenient));
    assert!(out(&lenient).contains("no user has the email new.hire@example.com"));
    for (args, env) in [
        (vec!["plan", "manifest.yaml", "--strict"], vec![]),
        (
            vec!["plan", "manifest.yaml"],
            vec![("SWITCHBOARD_STRICT", "true")],
        ),
        (
            vec!["apply", "manifest.yaml", "--auto-approve", "--strict"],
            vec![],
        ),
        (vec!["drift", "manifest.yaml", "--strict"], vec![]),
    ] {
        let strict = crate::org::switchboard_env(&sim, &dir, &args, &env).await;
        let text = out(&strict);
        assert_eq!(strict.status.code(), Some(1), "{args:?}: {text}");
        assert!(
            text.contains("warning(s)") && text.contains("new.hire@example.com"),
            "{args:?}: {text}"
        );
    }
    std::fs::write(dir.join("switchboard.toml"), "strict = true\n").unwrap();
    let from_file = switchboard(&sim, &dir, &["plan", "manifest.yaml"]).await;
    assert_eq!(from_file.status.code(), Some(1), "{}", out(&from_file));
    assert!(
        out(&from_file).contains("switchboard.toml"),
        "{}",
        out(&from_file)
    );
    std::fs::remove_file(dir.join("switchboard.toml")).unwrap();

    let typo = switchboard(
        &sim,
        &dir,
        &["plan", &quickstart(), "--target", "queue:Biling EN"],
    )
    .await;
    assert_eq!(typo.status.code(), Some(1));
    assert!(
        out(&typo).contains("--target `queue:Biling EN` matches nothing"),
        "{}",
        out(&typo)
    );
    let spelt_otherwise = switchboard(
        &sim,
        &dir,
        &["plan", &quickstart(), "--target", "queue:billing en"],
    )
    .await;
    assert_eq!(
        spelt_otherwise.status.code(),
        Some(0),
        "{}",
        out(&spelt_otherwise)
    );
    std::fs::remove_dir_all(&dir).unwrap();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_with_a_failed_step_is_never_reported_verified() {
    // Both at once: each waits out verification's settling window.
    tokio::join!(failed_run("text"), failed_run("markdown"));
}

/// Applies the quickstart in `format` to an org where creating the new queue fails with a 400
/// (not retried: the create may have happened, and it had not), so that its members and
/// codes are skipped; checks what is printed, the exit code and the audit log.
async fn failed_run(format: &str) {
    use switchboard_sim::{FaultAction, FaultRule, Faults};
    let sim = Sim::builder()
        .fixture(Fixture::from_yaml(ORG).unwrap())
        .faults(
            Faults::none().rule(
                FaultRule::new(FaultAction::Status {
                    status: 400,
                    retry_after: None,
                })
                .method("POST")
                .path_prefix("/api/v2/routing/queues")
                .times(1),
            ),
        )
        .start()
        .await
        .unwrap();
    let dir = scratch(&format!("switchboard-apply-not-verified-{format}"));
    let apply = switchboard(
        &sim,
        &dir,
        &["apply", &quickstart(), "--auto-approve", "--format", format],
    )
    .await;
    let text = out(&apply);
    assert_eq!(apply.status.code(), Some(1), "{text}");
    assert!(!text.contains("Verified:"), "{text}");
    let stdout = String::from_utf8_lossy(&apply.stdout);
    let expected: &[&str] = match format {
        "text" => &[
            "  ! queue \"Refunds EN\" (create) failed: ",
            "  - members of queue \"Refunds EN\" (create) skipped: ",
            "Running apply again converges: it plans what is left.\n",
            "\nNot verified: 3 step(s) did not apply (listed above)",
        ],
        _ => &[
            "\n- `!` <code>queue \"Refunds EN\"</code> (create) **failed**: ",
            "\n- `-` <code>members of queue \"Refunds EN\"</code> (create) **skipped**: ",
            "\n\nRunning apply again converges: it plans what is left.\n",
            "\n\n> [!CAUTION]\n> **Not verified:** 3 step(s) did not apply (listed above)",
        ],
    };
    for expected in expected {
        assert!(
            stdout.contains(expected),
            "{format}: {expected:?} in:\n{stdout}"
        );
    }
    let (done, planned) = done_and_planned(&stdout);
    assert_eq!(
        (done, planned),
        ([1, 3, 0], [4, 3, 0]),
        "{format}: the skill added, the queue and its codes and members not: {stdout}"
    );
    let audit = std::fs::read_to_string(dir.join("switchboard-audit.jsonl")).unwrap();
    let totals: Value = serde_json::from_str(audit.lines().last().unwrap()).unwrap();
    assert_eq!(totals["verified"], false, "{totals}");
    std::fs::remove_dir_all(&dir).unwrap();
    sim.shutdown().await;
}

/// The six numbers of the line `Done: A added, B changed, C destroyed (the plan: D to add, E
/// to change, F to destroy).`: what was done, and what the plan counted.
fn done_and_planned(output: &str) -> ([u64; 3], [u64; 3]) {
    let line = output
        .lines()
        .find(|l| l.starts_with("Done: "))
        .unwrap_or_else(|| panic!("no Done line in:\n{output}"));
    let numbers: Vec<u64> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
        .map(|n| n.parse().unwrap())
        .collect();
    assert_eq!(numbers.len(), 6, "{line}");
    (
        [numbers[0], numbers[1], numbers[2]],
        [numbers[3], numbers[4], numbers[5]],
    )
}

/// Applies `manifest` to `sim` (a fresh org) with `--auto-approve` in `format`, and checks
/// that it exits 0, that what it did is what its plan counted, that no line prints a JSON
/// literal for a list setting, that Markdown fits in a pull-request comment, and that a plan
/// afterwards has no changes. Answers what it
/// printed on stdout, the audit log's path and the run id replaced.
///
/// The step lines come in plan order whatever the concurrency: `run_observed` runs a wave's
/// steps through `buffered`, which hands each result on in the order the steps were
/// started, so a step's line waits for those before it. No sorting is needed.
async fn applied(sim: &RunningSim, manifest: &str, format: &str) -> String {
    let dir = scratch(&format!(
        "switchboard-apply-{format}-{}",
        manifest.rsplit('/').next().unwrap()
    ));
    let audit = dir.join("audit.jsonl");
    // At one token's 300 requests a minute, the contact center's ~400 writes would take two
    // minutes; what is printed does not depend on the pace.
    let pool = [("SWITCHBOARD_TOKEN_POOL", "8")];
    let apply = crate::org::switchboard_env(
        sim,
        &dir,
        &[
            "apply",
            manifest,
            "--auto-approve",
            "--format",
            format,
            "--audit-log",
            audit.to_str().unwrap(),
        ],
        &pool,
    )
    .await;
    assert_eq!(apply.status.code(), Some(0), "{format}: {}", out(&apply));
    let text = String::from_utf8(apply.stdout.clone()).unwrap();
    if format == "markdown" {
        assert!(
            text.chars().count() <= 65_536,
            "it fits in a pull-request comment: {} characters",
            text.chars().count()
        );
    }

    let (done, planned) = done_and_planned(&text);
    assert_eq!(done, planned, "{format}: done as planned:\n{text}");
    let [add, change, destroy] = planned;
    assert!(
        text.contains(&format!(
            "Plan: {add} to add, {change} to change, {destroy} to destroy."
        )),
        "{format}: the Done line counts as the plan shown did:\n{text}"
    );
    assert!(
        crate::org::json_literals(&text).is_empty(),
        "{format}: {:#?}",
        crate::org::json_literals(&text)
    );

    let again =
        crate::org::switchboard_env(sim, &dir, &["plan", manifest, "--detailed-exitcode"], &pool)
            .await;
    assert_eq!(
        again.status.code(),
        Some(0),
        "{format}: plan → apply → plan is empty: {}",
        out(&again)
    );
    assert!(
        out(&again).contains("No changes. The org matches the manifest."),
        "{}",
        out(&again)
    );

    let records = std::fs::read_to_string(&audit).unwrap();
    let totals: Value = serde_json::from_str(records.lines().last().unwrap()).unwrap();
    let run_id = totals["run_id"].as_str().unwrap();
    let path = audit.to_str().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    // Markdown shows the path escaped (`_` as `&#95;`, ...).
    text.replace(&switchboard_plan::render::escape(path), "[audit log]")
        .replace(path, "[audit log]")
        .replace(run_id, "[run id]")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quickstart_applies_as_planned_in_text_and_markdown() {
    for format in ["text", "markdown"] {
        let sim = seeded_sim().await;
        let output = applied(&sim, &quickstart(), format).await;
        insta::assert_snapshot!(format!("quickstart-apply-{format}"), output);
        sim.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_contact_center_applies_every_setting_as_planned_in_text_and_markdown() {
    let contact_center = example("contact-center");
    let loaded = switchboard_manifest::load(
        std::path::Path::new(&contact_center),
        &switchboard_manifest::LoadOptions::default(),
    );
    let manifest = loaded.manifest.unwrap();
    for format in ["text", "markdown"] {
        let sim = Sim::builder()
            .fixture(switchboard_seed::bare_org(&manifest))
            .start()
            .await
            .unwrap();
        let output = applied(&sim, &contact_center, format).await;
        insta::assert_snapshot!(format!("contact-center-apply-{format}"), output);
        sim.shutdown().await;
    }
}
