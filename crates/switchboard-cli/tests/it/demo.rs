use std::process::Command;

#[test]
fn the_demo_walks_through_every_step_and_succeeds() {
    let output = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .arg("demo")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "stdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for heading in [
        "== 1.", "== 2.", "== 3.", "== 4.", "== 5.", "== 6.", "== 7.",
    ] {
        assert!(stdout.contains(heading), "missing {heading}:\n{stdout}");
    }
    assert!(stdout.contains("Switchboard Demo Org"), "{stdout}");
    assert!(
        stdout.contains("Plan: 4 to add, 3 to change, 0 to destroy."),
        "the quickstart's plan is shown:\n{stdout}"
    );
    assert!(
        stdout.contains("No changes. The org matches the manifest."),
        "plan → apply → plan is empty:\n{stdout}"
    );
    assert!(
        stdout.contains("0 retries, 0 rate-limited answers"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("switchboard-demo-secret"),
        "the demo prints no secret"
    );
}
