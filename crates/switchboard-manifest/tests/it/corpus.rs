//! The corpus of broken manifests in `tests/corpus/`: every case is refused, and what the
//! user sees — every diagnostic, rendered as the CLI prints it — is a snapshot.
//!
//! Conventions of the corpus:
//! - a case is a file `NN-short-name.yaml`, loaded alone, or a directory `NN-short-name/`,
//!   loaded as a multi-file manifest;
//! - a directory named `NN-short-name.env-ENV/` is loaded with the environment overlay `ENV`
//!   (as `--env ENV`); `%2F` in `ENV` stands for `/`, so `.env-..%2Fx` loads `--env ../x`;
//! - the first line of every YAML file is a comment saying what is wrong (a case about raw
//!   bytes still starts with one, as the bad bytes come later);
//! - a case fails with at least one error, except the cases in [`WARNING_ONLY`], which must
//!   warn.
//!
//! Paths in the snapshots are relative to `tests/corpus/`, so they read the same on every
//! machine. Accept changed snapshots with
//! `INSTA_UPDATE=always cargo test -p switchboard-manifest --test it corpus`, after reading
//! them: each must name the real problem at the line and column of the offending key or value.

use std::path::{Path, PathBuf};

use switchboard_manifest::{LoadOptions, Loaded, Severity, load};

/// Cases that are only suspicious: they must warn, and may have no error.
const WARNING_ONLY: &[&str] = &[
    "84-last-ring-timeout",
    "92-spaced-name",
    "105-routing-settings-empty",
];

/// The fewest cases the corpus may hold.
const MIN_CASES: usize = 40;

/// One corpus case.
#[derive(Debug)]
struct Case {
    /// The file or directory name without `.yaml`, e.g. `62-missing-env.env-prod`.
    name: String,
    path: PathBuf,
    env: Option<String>,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("corpus")
}

fn cases() -> Vec<Case> {
    let mut cases: Vec<Case> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter_map(|path| {
            let file_name = path.file_name()?.to_str()?.to_string();
            if path.is_dir() {
                let env = file_name
                    .split_once(".env-")
                    .map(|(_, env)| env.replace("%2F", "/"));
                Some(Case {
                    name: file_name,
                    path,
                    env,
                })
            } else {
                let name = file_name.strip_suffix(".yaml")?.to_string();
                Some(Case {
                    name,
                    path,
                    env: None,
                })
            }
        })
        .collect();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    cases
}

/// Every diagnostic as the CLI prints it, one per line, with corpus paths made relative.
fn render(loaded: &Loaded) -> String {
    let root = format!("{}{}", corpus_dir().display(), std::path::MAIN_SEPARATOR);
    loaded
        .diagnostics
        .iter()
        .map(|diagnostic| diagnostic.to_string().replace(&root, ""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The YAML files of a case, to check their first-line comments.
fn yaml_files(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_path_buf()];
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(path).unwrap() {
        let child = entry.unwrap().path();
        if child.is_dir() {
            files.extend(yaml_files(&child));
        } else if child
            .extension()
            .is_some_and(|ext| ext == "yaml" || ext == "yml")
        {
            files.push(child);
        }
    }
    files
}

#[test]
fn every_corpus_case_is_refused_with_located_diagnostics() {
    let cases = cases();
    assert!(
        cases.len() >= MIN_CASES,
        "the corpus holds {} cases; it needs at least {MIN_CASES}",
        cases.len()
    );
    for case in &cases {
        for file in yaml_files(&case.path) {
            let bytes = std::fs::read(&file).unwrap();
            assert!(
                bytes.starts_with(b"# "),
                "{} does not start with a comment saying what is wrong",
                file.display()
            );
        }

        let options = LoadOptions {
            env: case.env.clone(),
            ..LoadOptions::default()
        };
        let loaded = load(&case.path, &options);
        let rendered = render(&loaded);
        let count = |severity| {
            loaded
                .diagnostics
                .iter()
                .filter(|d| d.severity == severity)
                .count()
        };
        if WARNING_ONLY.contains(&case.name.as_str()) {
            assert!(
                count(Severity::Warning) > 0,
                "case {} must warn; it found:\n{rendered}",
                case.name
            );
        } else {
            assert!(
                count(Severity::Error) > 0,
                "case {} must fail; it found:\n{rendered}",
                case.name
            );
            assert!(
                loaded.manifest.is_none(),
                "case {} failed but still returned a manifest",
                case.name
            );
        }
        insta::assert_snapshot!(case.name.clone(), rendered);
    }
}
