//! `switchboard export` end to end: the built binary against the seeded demo org, then
//! `switchboard plan` of what it wrote.

use std::path::Path;
use std::process::Output;

use crate::org::{scratch, seeded_sim, switchboard};

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Every file under `dir`, relative path → contents, sorted.
fn files(dir: &Path) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in std::fs::read_dir(next).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                found.push((relative, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    found.sort();
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_org_exports_to_a_directory_that_plans_no_changes() {
    let sim = seeded_sim().await;
    let dir = scratch("switchboard-export-cli");
    let _ = std::fs::remove_dir_all(dir.join("first"));

    let output = switchboard(&sim, &dir, &["export", "--out", "first"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).starts_with("Exported org \"Switchboard Demo Org\" to first: 6 skills, 2 languages, 5 wrap-up codes, 4 queues, 7 agents."),
        "{}",
        stdout(&output)
    );
    assert!(stdout(&output).contains("plans no changes"));
    assert!(
        stderr(&output).contains("note: agent hugo.haddad@example.com: inactive"),
        "{}",
        stderr(&output)
    );
    let written = files(&dir.join("first"));
    let paths: Vec<&str> = written.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "agents.yaml",
            "languages.yaml",
            "org.yaml",
            "queues/customer-care.yaml",
            "queues/sales.yaml",
            "skill-groups.yaml",
            "skills.yaml",
            "wrapup-codes.yaml"
        ]
    );
    let org = &written[2].1;
    assert!(org.contains(&format!("  id: {}\n", sim.org_id())));
    assert!(
        org.contains("  region: mypurecloud.com\n"),
        "a simulator names no region: the fallback\n{org}"
    );

    // The directory plans to no changes.
    let plan = switchboard(&sim, &dir, &["plan", "first", "--detailed-exitcode"]).await;
    assert_eq!(
        plan.status.code(),
        Some(0),
        "{}{}",
        stdout(&plan),
        stderr(&plan)
    );
    assert!(stdout(&plan).contains("No changes."), "{}", stdout(&plan));

    // A directory that is not empty is refused before anything is read; --force replaces.
    sim.clear_journal();
    let output = switchboard(&sim, &dir, &["export", "--out", "first"]).await;
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("refusing to write into first: it is not empty"));
    assert!(
        sim.journal().iter().all(|e| !e.path.starts_with("/api/")),
        "nothing was read"
    );
    let output = switchboard(
        &sim,
        &dir,
        &[
            "export",
            "--out",
            "first",
            "--force",
            "--region",
            "eu-west-1",
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // The same org, the same bytes (but for the region asked for).
    let again = files(&dir.join("first"));
    assert_eq!(again.len(), written.len());
    for ((path, before), (_, after)) in written.iter().zip(&again) {
        if path == "org.yaml" {
            assert!(after.contains("  region: mypurecloud.ie\n"), "{after}");
            assert_eq!(before.replace("mypurecloud.com", "mypurecloud.ie"), *after);
        } else {
            assert_eq!(before, after, "{path}");
        }
    }

    // A hand-written manifest there is refused up front, even with --force: its files would
    // load as one manifest with the export's. Nothing is read or written.
    let hand = dir.join("hand");
    std::fs::create_dir_all(&hand).unwrap();
    std::fs::write(hand.join("manifest.yaml"), "version: 1\n").unwrap();
    std::fs::write(hand.join("README.md"), "notes\n").unwrap();
    sim.clear_journal();
    let output = switchboard(&sim, &dir, &["export", "--out", "hand", "--force"]).await;
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("refusing to write into hand: it holds manifest files export does not write (hand/manifest.yaml)"),
        "{}",
        stderr(&output)
    );
    assert!(!stderr(&output).contains("bug"), "{}", stderr(&output));
    assert!(sim.journal().iter().all(|e| !e.path.starts_with("/api/")));
    assert_eq!(
        std::fs::read_dir(&hand).unwrap().count(),
        2,
        "nothing was written"
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn include_and_division_narrow_the_export() {
    let sim = seeded_sim().await;
    let dir = scratch("switchboard-export-cli-narrow");
    let _ = std::fs::remove_dir_all(dir.join("sales"));
    let output = switchboard(
        &sim,
        &dir,
        &[
            "export",
            "--out",
            "sales",
            "--include",
            "queues,agents",
            "--division",
            "Sales",
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let written = files(&dir.join("sales"));
    let paths: Vec<&str> = written.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "agents.yaml",
            "languages.yaml",
            "org.yaml",
            "queues/sales.yaml",
            "skills.yaml",
            "wrapup-codes.yaml"
        ]
    );
    let agents = &written[0].1;
    assert!(agents.contains("- user: eli.tanaka@example.com\n"));
    assert!(
        !agents.contains("ana.silva"),
        "only the Sales queue's direct members"
    );
    let plan = switchboard(&sim, &dir, &["plan", "sales", "--detailed-exitcode"]).await;
    assert_eq!(
        plan.status.code(),
        Some(0),
        "{}{}",
        stdout(&plan),
        stderr(&plan)
    );

    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn routing_settings_export_plan_apply_and_plan_again_with_no_changes() {
    let sim = seeded_sim().await;
    let dir = scratch("switchboard-export-routing-settings");
    let _ = std::fs::remove_dir_all(dir.join("org"));

    let output = switchboard(
        &sim,
        &dir,
        &["export", "--out", "org", "--routing-settings"],
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("plans no changes"),
        "{}",
        stdout(&output)
    );
    let org_file = dir.join("org").join("org.yaml");
    let org = std::fs::read_to_string(&org_file).unwrap();
    assert!(
        org.contains("routingSettings:") && org.contains("transcriptionConfidenceThreshold: 50"),
        "{org}"
    );

    // Changed in git: planned as one change, applied, then nothing left to do.
    std::fs::write(
        &org_file,
        org.replace(
            "transcriptionConfidenceThreshold: 50",
            "transcriptionConfidenceThreshold: 60",
        ),
    )
    .unwrap();
    let plan = switchboard(&sim, &dir, &["plan", "org", "--out", "plan.json"]).await;
    assert_eq!(plan.status.code(), Some(0), "{}", stderr(&plan));
    assert!(
        stdout(&plan).contains("~ transcription.transcriptionConfidenceThreshold = 50 → 60"),
        "{}",
        stdout(&plan)
    );
    let apply = switchboard(&sim, &dir, &["apply", "plan.json"]).await;
    assert_eq!(
        apply.status.code(),
        Some(0),
        "{}{}",
        stdout(&apply),
        stderr(&apply)
    );
    let again = switchboard(&sim, &dir, &["plan", "org", "--detailed-exitcode"]).await;
    assert_eq!(again.status.code(), Some(0), "{}", stdout(&again));
    assert!(stdout(&again).contains("No changes."), "{}", stdout(&again));
    sim.shutdown().await;
}
