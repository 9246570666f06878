//! The committed schema is fresh, and every example under `examples/` validates cleanly.

use std::path::{Path, PathBuf};

use switchboard_manifest::{
    LoadOptions, Loaded, Manifest, fragment_schema_text, json_schema_text, load,
};

const SCHEMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../schemas/manifest.schema.json"
);
const FRAGMENT_SCHEMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../schemas/manifest-fragment.schema.json"
);
const QUICKSTART: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/quickstart/manifest.yaml"
);
const CONTACT_CENTER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/contact-center");
const MULTI_ENVIRONMENT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/multi-environment"
);
const PROMOTION: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/promotion");

#[test]
fn the_committed_schemas_are_fresh() {
    for (file, expected) in [
        (SCHEMA, json_schema_text()),
        (FRAGMENT_SCHEMA, fragment_schema_text()),
    ] {
        if std::env::var_os("SWITCHBOARD_BLESS").is_some_and(|v| v == "1") {
            std::fs::write(file, &expected).unwrap();
            continue;
        }
        let committed = std::fs::read_to_string(file).unwrap_or_default();
        assert!(
            committed == expected,
            "{file} is stale: run SWITCHBOARD_BLESS=1 cargo test -p switchboard-manifest"
        );
    }
}

fn load_clean(path: &str, env: Option<&str>) -> Manifest {
    let loaded = load(
        Path::new(path),
        &LoadOptions {
            env: env.map(str::to_string),
            ..LoadOptions::default()
        },
    );
    assert!(
        loaded.diagnostics.is_empty(),
        "{path} (env {env:?}):\n{}",
        shown(&loaded)
    );
    loaded
        .manifest
        .unwrap_or_else(|| panic!("{path} (env {env:?}) gave no manifest"))
}

fn shown(loaded: &Loaded) -> String {
    loaded.findings_text()
}

#[test]
fn the_quickstart_validates_without_findings() {
    let manifest = load_clean(QUICKSTART, None);
    assert_eq!(
        manifest.org.name.as_deref(),
        Some("Switchboard Demo Org"),
        "the quickstart targets the simulator's org"
    );
    assert_eq!(
        manifest.org.id.as_deref(),
        Some("5b5e6a2c-7d1f-4c3b-9a8e-0d15c0a1b2c3")
    );
}

#[test]
fn the_contact_center_validates_and_is_realistically_large() {
    let manifest = load_clean(CONTACT_CENTER, None);
    assert!(
        manifest.queues.len() >= 35,
        "{} queues",
        manifest.queues.len()
    );
    assert_eq!(manifest.languages.len(), 3);
    assert!(
        manifest.agents.len() >= 50,
        "{} agents",
        manifest.agents.len()
    );
}

#[test]
fn the_multi_environment_example_validates_for_each_environment() {
    let dev = load_clean(MULTI_ENVIRONMENT, Some("dev"));
    let prod = load_clean(MULTI_ENVIRONMENT, Some("prod"));
    assert_ne!(dev.org, prod.org, "each environment guards its own org");
    assert_eq!(
        dev.queues.len(),
        prod.queues.len(),
        "both environments share the base queues"
    );
    assert_ne!(
        dev.queues, prod.queues,
        "the overlays change per-environment values"
    );
}

#[test]
fn the_promotion_example_is_one_queue_for_two_orgs_by_names_only() {
    let dev = load_clean(PROMOTION, Some("dev"));
    let prod = load_clean(PROMOTION, Some("prod"));
    assert_ne!(dev.org, prod.org, "each environment guards its own org");
    assert_eq!(dev.queues, prod.queues, "the same queue in both");
    let references = switchboard_manifest::references::references(&dev);
    assert_eq!(references.len(), 10);
    assert!(
        references
            .iter()
            .all(|r| r.name.is_some() && r.id.is_none()),
        "by name only: {references:?}"
    );
}

#[test]
fn the_multi_environment_example_needs_an_environment_for_its_org() {
    let loaded = load(Path::new(MULTI_ENVIRONMENT), &LoadOptions::default());
    assert!(loaded.manifest.is_none());
    let [only] = loaded.diagnostics.as_slice() else {
        panic!("expected exactly one finding:\n{}", shown(&loaded));
    };
    assert!(only.is_error(), "{only}");
    assert_eq!(only.message, "missing required key `org`", "{only}");
    assert!(
        only.hint
            .as_deref()
            .is_some_and(|hint| hint.contains("--env")),
        "{only}"
    );
}

/// Every YAML file of the examples (the simulator's fixture has its own schema).
fn example_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![
        PathBuf::from(QUICKSTART),
        PathBuf::from(CONTACT_CENTER),
        PathBuf::from(MULTI_ENVIRONMENT),
        PathBuf::from(PROMOTION),
    ];
    while let Some(path) = pending.pop() {
        if path.is_dir() {
            pending.extend(
                std::fs::read_dir(&path)
                    .unwrap()
                    .map(|entry| entry.unwrap().path()),
            );
        } else if path
            .extension()
            .is_some_and(|ext| ext == "yaml" || ext == "yml")
        {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// A file that holds the org guard is a whole manifest for an editor; any other file is a
/// fragment of one (a split file or an environment overlay).
fn holds_the_org_guard(text: &str) -> bool {
    text.lines().any(|line| line.starts_with("org:"))
}

#[test]
fn every_example_file_names_the_right_schema_for_editors() {
    const PREFIX: &str = "# yaml-language-server: $schema=";
    let files = example_files();
    assert!(files.len() >= 10, "{files:?}");
    let whole = std::fs::canonicalize(SCHEMA).unwrap();
    let fragment = std::fs::canonicalize(FRAGMENT_SCHEMA).unwrap();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let first = text.lines().next().unwrap_or_default();
        let target = first
            .strip_prefix(PREFIX)
            .unwrap_or_else(|| panic!("{} does not start with `{PREFIX}...`", file.display()));
        let resolved =
            std::fs::canonicalize(file.parent().unwrap().join(target)).unwrap_or_default();
        let standalone =
            holds_the_org_guard(&text) && text.lines().any(|l| l.starts_with("version:"));
        let expected = if standalone { &whole } else { &fragment };
        assert_eq!(
            &resolved,
            expected,
            "{}: `{target}` is not the schema for this kind of file",
            file.display()
        );
    }
}
