use std::process::{Command, Output};

use serde_json::Value;

fn switchboard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(args)
        .output()
        .unwrap()
}

fn example(name: &str) -> String {
    format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn a_valid_manifest_passes_with_a_summary() {
    let output = switchboard(&["validate", &example("quickstart")]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("manifest is valid"), "{stdout}");
}

#[test]
fn the_contact_center_example_validates_cleanly() {
    let output = switchboard(&["validate", &example("contact-center")]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(
        stdout.starts_with("manifest is valid"),
        "no findings at all:\n{stdout}"
    );
}

#[test]
fn errors_are_located_listed_together_and_exit_1() {
    let dir = std::env::temp_dir().join(format!("switchboard-validate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("broken.yaml");
    std::fs::write(
        &file,
        "version: 1\norg: {name: Acme, region: mypurecloud.ie}\nqueues:\n  - name: Billing\n    members:\n      mode: additive\n      users:\n        - {user: ana@acme.com, ring: 9}\n        - {user: not-an-email}\n    bullseye: {rings: [{expansionTimeoutSeconds: 10}, {}]}\n    mediaSetings: {}\n",
    )
    .unwrap();
    let output = switchboard(&["validate", file.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("broken.yaml:11:5: error: unknown key `mediaSetings`"),
        "{stdout}"
    );
    assert!(
        stdout.contains("hint: did you mean `mediaSettings`?"),
        "{stdout}"
    );
    assert!(stdout.contains("manifest is not valid"), "{stdout}");

    // Structure first: once the structure is right, the rules report every finding at once.
    std::fs::write(
        &file,
        std::fs::read_to_string(&file)
            .unwrap()
            .replace("    mediaSetings: {}\n", ""),
    )
    .unwrap();
    let output = switchboard(&["validate", "--format", "json", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    // One convention for every JSON output: plan, drift and validate write "1.0".
    assert_eq!(report["format_version"], "1.0");
    assert_eq!(report["valid"], false);
    let messages: Vec<String> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| format!("{}:{} {}", d["line"], d["column"], d["message"]))
        .collect();
    assert_eq!(report["errors"], 2, "{messages:?}");
    assert!(
        messages.iter().any(
            |m| m.starts_with("8:") && m.contains("`ring`: 9 is greater than the maximum of 6")
        ),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("9:") && m.contains("not an email")),
        "{messages:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_schema_command_prints_the_committed_schemas() {
    for (args, file) in [
        (&["schema"][..], "manifest.schema.json"),
        (
            &["schema", "--fragment"][..],
            "manifest-fragment.schema.json",
        ),
    ] {
        let output = switchboard(args);
        assert!(output.status.success());
        let committed = std::fs::read_to_string(format!(
            "{}/../../schemas/{file}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            committed,
            "{args:?}"
        );
    }
}

#[test]
fn environments_are_merged_with_env() {
    for env in ["dev", "prod"] {
        let output = switchboard(&["validate", &example("multi-environment"), "--env", env]);
        assert!(
            output.status.success(),
            "{env}: {}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
    let output = switchboard(&[
        "validate",
        &example("multi-environment"),
        "--env",
        "staging",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("no environment `staging`") && stdout.contains("dev, prod"),
        "{stdout}"
    );
}
