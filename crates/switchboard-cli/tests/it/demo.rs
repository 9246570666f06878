use std::process::Command;

/// The demo, run as the README's first command runs it (from any directory, no credentials).
fn demo() -> (std::process::Output, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .arg("demo")
        .current_dir(std::env::temp_dir())
        .env_remove("GENESYS_CLIENT_SECRET")
        .env_remove("GENESYS_CLIENT_ID")
        .env_remove("GENESYS_REGION")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "stdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (output, stdout)
}

#[test]
fn the_demo_walks_through_every_step_and_ends_with_the_org_matching_the_manifest() {
    let (output, stdout) = demo();
    let headings = [
        "== 1. validate",
        "== 2. plan",
        "== 3. apply",
        "== 4. plan again",
        "== 5. meanwhile, Dana Admin changes the org in the admin UI",
        "== 6. drift",
        "== 7. drift --patch",
        "== 8. export",
        "== the org matches the manifest",
    ];
    let mut from = 0;
    for heading in headings {
        let at = stdout[from..]
            .find(heading)
            .unwrap_or_else(|| panic!("missing {heading:?} after byte {from}:\n{stdout}"));
        from += at + heading.len();
    }
    let section = |heading: &str| {
        let start = stdout.find(heading).unwrap();
        let rest = &stdout[start + heading.len()..];
        rest[..rest.find("\n== ").unwrap_or(rest.len())].to_string()
    };
    assert!(
        section("== 2. plan").contains("Plan: 4 to add, 3 to change, 0 to destroy."),
        "the quickstart's plan is shown:\n{stdout}"
    );
    assert!(
        section("== 4. plan again").contains("No changes. The org matches the manifest."),
        "plan → apply → plan is empty:\n{stdout}"
    );
    assert!(
        section("== 5. meanwhile").contains("alerting timeout set to 12 s (was 8 s)"),
        "the edit is told without an arrow, which the drift report uses the plan's way:\n{stdout}"
    );
    let drift = section("== 6. drift");
    assert!(
        drift.contains("~ mediaSettings.call.alertingTimeoutSeconds = 12 → 8\n"),
        "as its plan shows it, the org's value first:\n{drift}"
    );
    assert!(
        drift.contains("~ skill Billing proficiency 2 → 4\n"),
        "{drift}"
    );
    assert!(
        drift.contains("Update by Dana Admin (user)"),
        "drift is attributed to the person who made it:\n{drift}"
    );
    let patch = section("== 7. drift --patch");
    assert!(
        patch.contains("+      call: { alertingTimeoutSeconds: 12,")
            && patch.contains("+      proficiency: { Billing: 2, Refunds: 3 }"),
        "the patch adopts both edits:\n{patch}"
    );
    let export = section("== 8. export");
    assert!(export.contains("exported/queues/"), "{export}");
    assert!(
        export.contains("the export loads and plans to no changes"),
        "{export}"
    );
    assert!(
        section("== the org matches the manifest")
            .contains("No changes. The org matches the manifest."),
        "{stdout}"
    );
    assert!(
        stdout.contains("0 retries, 0 rate-limited answers"),
        "{stdout}"
    );
    assert!(
        stdout.contains("docs/getting-started.md"),
        "a pointer to the docs:\n{stdout}"
    );
    assert!(
        !stdout.contains("switchboard-demo-secret")
            && !String::from_utf8_lossy(&output.stderr).contains("switchboard-demo-secret"),
        "the demo prints no secret"
    );
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    for word in stdout.split_whitespace() {
        let word = word.trim_end_matches([',', ';', '.', ':']);
        if word.starts_with("docs/") {
            assert!(
                std::path::Path::new(root).join(word).exists(),
                "the demo points to {word}, which does not exist"
            );
        }
    }
}
