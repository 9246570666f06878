//! `switchboard drift` end to end: the quickstart applied to a seeded simulator is in sync;
//! edits made in the admin UI are drift, named with their before → after and the person who
//! made them; without the audit permission, drift is still reported, with one note.

use std::process::Output;

use serde_json::Value;
use switchboard_sim::{FaultAction, FaultRule, Faults};

use crate::org::{example, scratch, seeded_sim, switchboard};

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_edits_after_an_apply_are_drift_attributed_to_the_person_who_made_them() {
    let sim = seeded_sim().await;
    let dir = scratch("switchboard-drift");
    let quickstart = example("quickstart");

    let applied = switchboard(&sim, &dir, &["apply", &quickstart, "--auto-approve"]).await;
    assert_eq!(applied.status.code(), Some(0), "{}", stderr(&applied));

    // In sync: exit 0. Unmanaged objects in scope (the quickstart prunes nothing) are listed
    // and counted in the coverage, but are not drift.
    let output = switchboard(&sim, &dir, &["drift", &quickstart]).await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.ends_with("No drift: the org matches the manifest.\n"),
        "{text}"
    );
    assert!(text.contains("Coverage: "), "{text}");
    assert!(
        text.contains("Unmanaged: in the org and in scope, not in the manifest"),
        "{text}"
    );
    // Edits in the admin UI: the queue's description and a member's ring.
    let admin = sim.admin();
    admin
        .set_queue_field(
            "Billing EN",
            "/description",
            Value::String("Edited in the admin UI".into()),
        )
        .unwrap();
    admin
        .set_member_ring("Billing EN", "bo.berg@example.com", 3)
        .unwrap();

    let output = switchboard(&sim, &dir, &["drift", &quickstart]).await;
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        !text.contains('\u{1b}'),
        "no colour when stdout is not a terminal"
    );
    for expected in [
        "Changed outside git (1):",
        "  ~ queue \"Billing EN\" (id ",
        "      ~ description: \"Billing questions in English\" → \"Edited in the admin UI\"",
        "      ~ members bo.berg@example.com: 2 → 3",
        "MemberUpdate by Dana Admin (user)",
        "Update by Dana Admin (user): description",
        "Drift: 1 changed outside git, 0 missing, 0 unmanaged to be pruned.",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }
    assert!(!text.contains("attribution unavailable"), "{text}");

    // JSON: the documented fields.
    let output = switchboard(&sim, &dir, &["drift", &quickstart, "--format", "json"]).await;
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let document: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(document["format_version"], "1.0");
    assert_eq!(document["in_sync"], false);
    assert_eq!(document["org"]["id"], sim.org_id());
    assert_eq!(document["summary"]["drifted"], 1);
    assert_eq!(document["summary"]["changed"], 1);
    let overall = &document["coverage"]["overall"];
    assert!(overall["managed"].as_u64().unwrap() > 0, "{overall}");
    assert!(
        overall["unmanaged"].is_u64() && overall["ratio"].is_f64(),
        "{overall}"
    );
    assert!(document["coverage"]["by_kind"]["queue"]["managed"].is_u64());
    assert_eq!(document["attribution"]["status"], "complete");
    assert_eq!(document["attribution"]["window_days"], 30);
    let queue = &document["objects"][0];
    assert_eq!(queue["address"], "queue[\"Billing EN\"]");
    assert_eq!(queue["kind"], "queue");
    assert_eq!(queue["name"], "Billing EN");
    assert_eq!(queue["class"], "changed");
    assert_eq!(queue["drift"], true);
    assert!(queue["id"].is_string());
    let changes = queue["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert_eq!(changes[0]["path"], "description");
    assert_eq!(changes[0]["op"], "changed");
    assert_eq!(changes[0]["before"], "Billing questions in English");
    assert_eq!(changes[0]["after"], "Edited in the admin UI");
    assert_eq!(changes[1]["path"], "members");
    assert_eq!(changes[1]["key"], "bo.berg@example.com");
    assert_eq!(
        (changes[1]["before"].clone(), changes[1]["after"].clone()),
        (2.into(), 3.into())
    );
    let last = &queue["attribution"][0];
    assert_eq!(last["who"], "Dana Admin");
    assert_eq!(last["who_kind"], "user");
    assert_eq!(last["action"], "MemberUpdate");
    assert!(last["when"].as_str().is_some_and(|w| !w.is_empty()));

    let output = switchboard(&sim, &dir, &["drift", &quickstart, "--format", "markdown"]).await;
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let md = stdout(&output);
    assert!(
        md.contains("> [!WARNING]") && md.contains("Dana Admin"),
        "{md}"
    );

    // Without the audit permission: still drift (exit 2), and one note saying why no one is
    // named.
    sim.set_faults(
        Faults::none().rule(
            FaultRule::new(FaultAction::Status {
                status: 403,
                retry_after: None,
            })
            .path_prefix("/api/v2/audits"),
        ),
    );
    let output = switchboard(&sim, &dir, &["drift", &quickstart]).await;
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("  ~ queue \"Billing EN\" (id "), "{text}");
    assert_eq!(
        text.matches("attribution unavailable").count(),
        1,
        "said once:\n{text}"
    );
    assert!(
        text.contains("the OAuth client lacks the audits:audit:view permission"),
        "{text}"
    );
    assert!(!text.contains("Dana Admin"), "{text}");
    assert!(
        !stderr(&output).contains("attribution unavailable"),
        "{}",
        stderr(&output)
    );
    std::fs::remove_dir_all(&dir).unwrap();
    sim.shutdown().await;
}
