//! Architecture invariants from docs/ARCHITECTURE.md, checked over `cargo metadata`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use serde_json::Value;

/// Which of our crates each crate may depend on (normal dependencies; tests may use more).
const ALLOWED: &[(&str, &[&str])] = &[
    ("switchboard-manifest", &[]),
    ("switchboard-openapi", &[]),
    ("switchboard-client", &[]),
    ("switchboard-sim", &["switchboard-openapi"]),
    ("switchboard-weights", &[]),
    (
        "switchboard-plan",
        &["switchboard-manifest", "switchboard-weights"],
    ),
    (
        "switchboard-guard",
        &["switchboard-plan", "switchboard-manifest"],
    ),
    (
        "switchboard-fetch",
        &["switchboard-client", "switchboard-manifest"],
    ),
    (
        "switchboard-apply",
        &["switchboard-plan", "switchboard-client"],
    ),
    (
        "switchboard-drift",
        &[
            "switchboard-plan",
            "switchboard-manifest",
            "switchboard-client",
            "switchboard-fetch",
        ],
    ),
    (
        "switchboard-export",
        &["switchboard-plan", "switchboard-manifest"],
    ),
    (
        "switchboard-watch",
        &[
            "switchboard-apply",
            "switchboard-client",
            "switchboard-drift",
            "switchboard-fetch",
            "switchboard-manifest",
            "switchboard-plan",
        ],
    ),
    (
        "switchboard-patch",
        &[
            "switchboard-manifest",
            "switchboard-plan",
            "switchboard-export",
        ],
    ),
    (
        "switchboard-bench",
        &[
            "switchboard-apply",
            "switchboard-client",
            "switchboard-drift",
            "switchboard-export",
            "switchboard-fetch",
            "switchboard-manifest",
            "switchboard-plan",
            "switchboard-sim",
        ],
    ),
    (
        "switchboard-seed",
        &["switchboard-manifest", "switchboard-sim"],
    ),
    (
        "switchboard-chaos",
        &[
            "switchboard-client",
            "switchboard-fetch",
            "switchboard-manifest",
            "switchboard-plan",
            "switchboard-sim",
        ],
    ),
    (
        "switchboard-cli",
        &[
            "switchboard-apply",
            "switchboard-bench",
            "switchboard-drift",
            "switchboard-export",
            "switchboard-fetch",
            "switchboard-guard",
            "switchboard-patch",
            "switchboard-plan",
            "switchboard-manifest",
            "switchboard-client",
            "switchboard-watch",
            "switchboard-sim",
            "switchboard-seed",
        ],
    ),
];

fn workspace_packages() -> Vec<Value> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: Value =
        serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");
    metadata["packages"].as_array().cloned().unwrap_or_default()
}

#[test]
fn crates_depend_only_in_the_documented_direction() {
    let allowed: BTreeMap<&str, BTreeSet<&str>> = ALLOWED
        .iter()
        .map(|(name, deps)| (*name, deps.iter().copied().collect()))
        .collect();
    let packages = workspace_packages();
    assert!(
        packages.len() >= 4,
        "expected the workspace's crates, found {}",
        packages.len()
    );
    let mut violations = Vec::new();
    for package in &packages {
        let name = package["name"].as_str().unwrap_or_default();
        if name == "switchboard-tests" {
            continue;
        }
        let Some(permitted) = allowed.get(name) else {
            violations.push(format!(
                "{name} is not in the dependency table of docs/ARCHITECTURE.md"
            ));
            continue;
        };
        for dependency in package["dependencies"].as_array().into_iter().flatten() {
            let target = dependency["name"].as_str().unwrap_or_default();
            let normal = dependency["kind"].is_null();
            if normal && target.starts_with("switchboard-") && !permitted.contains(target) {
                violations.push(format!("{name} must not depend on {target}"));
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn crate_directories_are_named_after_their_packages() {
    for package in workspace_packages() {
        let name = package["name"].as_str().unwrap_or_default();
        let manifest = package["manifest_path"].as_str().unwrap_or_default();
        let directory = std::path::Path::new(manifest)
            .parent()
            .and_then(|dir| dir.file_name())
            .and_then(|dir| dir.to_str())
            .unwrap_or_default();
        if name == "switchboard-tests" {
            assert_eq!(directory, "tests");
        } else {
            assert_eq!(directory, name, "crates/{directory} holds package {name}");
        }
    }
}
