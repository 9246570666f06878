//! What a release is made of: the version the binary reports, the container image's
//! Containerfile, and the release workflow, whose archive names `cargo binstall` must find
//! (docs/install.md). Nothing here builds an image or needs the network.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_yaml_ng::Value;

/// The targets a release builds, as docs/install.md lists them.
const TARGETS: [&str; 5] = [
    "x86_64-unknown-linux-musl",
    "aarch64-unknown-linux-musl",
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
    "x86_64-pc-windows-msvc",
];

/// The OCI labels the image carries.
const LABELS: [&str; 6] = [
    "org.opencontainers.image.source",
    "org.opencontainers.image.version",
    "org.opencontainers.image.revision",
    "org.opencontainers.image.title",
    "org.opencontainers.image.description",
    "org.opencontainers.image.licenses",
];

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn read(path: &str) -> String {
    let path = repo_root().join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

// ---------------------------------------------------------------------------------------
// `switchboard --version`

/// `0.1.0 (a1b2c3d4e5f6 2026-12-07)` → ("0.1.0", "a1b2c3d4e5f6", Some("2026-12-07")).
fn parse_version(line: &str) -> Option<(&str, &str, Option<&str>)> {
    let rest = line.strip_prefix("switchboard ")?;
    let (version, build) = rest.split_once(' ')?;
    let build = build.strip_prefix('(')?.strip_suffix(')')?;
    let mut words = build.split(' ');
    let commit = words.next()?;
    let date = words.next();
    if words.next().is_some() {
        return None;
    }
    let is_commit = commit == "unknown"
        || ((7..=40).contains(&commit.len()) && commit.chars().all(|c| c.is_ascii_hexdigit()));
    let is_date = date.is_none_or(|d| {
        d.len() == 10
            && d.char_indices().all(|(i, c)| {
                if i == 4 || i == 7 {
                    c == '-'
                } else {
                    c.is_ascii_digit()
                }
            })
    });
    (is_commit && is_date).then_some((version, commit, date))
}

#[test]
fn version_names_the_release_and_the_commit() {
    let workspace: toml::Table = read("Cargo.toml").parse().unwrap();
    let release = workspace["workspace"]["package"]["version"]
        .as_str()
        .unwrap();
    for flag in ["--version", "-V"] {
        let output = Command::new(env!("CARGO_BIN_EXE_switchboard"))
            .arg(flag)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        let stdout = String::from_utf8(output.stdout).unwrap();
        let line = stdout.trim_end();
        let (version, commit, _date) = parse_version(line).unwrap_or_else(|| {
            panic!("{flag}: `{line}` is not `switchboard VERSION (COMMIT [DATE])`")
        });
        assert_eq!(
            version, release,
            "{flag}: the workspace version is the release version"
        );
        // Built from a git checkout (CI's clone, a developer's tree), it names that checkout's
        // HEAD: the build script reruns whenever HEAD moves.
        let head = Command::new("git")
            .args(["rev-parse", "HEAD"])
            .current_dir(repo_root())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
        if let Some(head) = head {
            assert!(
                head.starts_with(commit),
                "{flag}: `{line}` does not name HEAD {head}"
            );
        }
    }
}

#[test]
fn version_lines_are_read_as_written() {
    assert_eq!(
        parse_version("switchboard 0.1.0 (a1b2c3d4e5f6 2026-12-07)"),
        Some(("0.1.0", "a1b2c3d4e5f6", Some("2026-12-07")))
    );
    assert_eq!(
        parse_version("switchboard 0.1.0 (unknown)"),
        Some(("0.1.0", "unknown", None))
    );
    for bad in [
        "switchboard 0.1.0",
        "switchboard 0.1.0 ()",
        "switchboard 0.1.0 (main)",
        "switchboard 0.1.0 (a1b2c3d4e5f6 yesterday)",
        "switchboard-plan 0.1.0 (unknown)",
    ] {
        assert_eq!(parse_version(bad), None, "{bad}");
    }
}

// ---------------------------------------------------------------------------------------
// The Containerfile

/// One instruction: its keyword (upper case) and the rest of its line, continuations joined.
#[derive(Debug)]
struct Instruction {
    keyword: String,
    arguments: String,
}

fn instructions(text: &str) -> Vec<Instruction> {
    let mut instructions = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if current.is_empty() && (trimmed.is_empty() || trimmed.starts_with('#')) {
            continue;
        }
        if let Some(continued) = trimmed.strip_suffix('\\') {
            current.push_str(continued);
            current.push(' ');
            continue;
        }
        current.push_str(trimmed);
        let (keyword, arguments) = current.split_once(' ').unwrap_or((&current, ""));
        instructions.push(Instruction {
            keyword: keyword.to_ascii_uppercase(),
            arguments: arguments.trim().to_string(),
        });
        current.clear();
    }
    instructions
}

/// `KEY=VALUE` pairs of a LABEL or ENV, values unquoted.
fn pairs(arguments: &str) -> BTreeMap<String, String> {
    let mut pairs = BTreeMap::new();
    let mut rest = arguments.trim();
    while let Some((key, after)) = rest.split_once('=') {
        let (value, next) = match after.strip_prefix('"') {
            Some(quoted) => {
                let end = quoted.find('"').expect("a closing quote");
                (&quoted[..end], &quoted[end + 1..])
            }
            None => after.split_once(' ').unwrap_or((after, "")),
        };
        pairs.insert(key.trim().to_string(), value.to_string());
        rest = next.trim();
    }
    pairs
}

/// The default value of each `ARG NAME=default` of a stage.
fn arg_defaults(stage: &[Instruction]) -> BTreeMap<String, String> {
    stage
        .iter()
        .filter(|i| i.keyword == "ARG")
        .map(|i| match i.arguments.split_once('=') {
            Some((name, value)) => (name.to_string(), value.trim_matches('"').to_string()),
            None => (i.arguments.clone(), String::new()),
        })
        .collect()
}

#[test]
fn the_image_is_the_static_binary_run_by_a_numeric_non_root_user() {
    let all = instructions(&read("Containerfile"));
    let last_from = all
        .iter()
        .rposition(|i| i.keyword == "FROM")
        .expect("a FROM");
    let stage = &all[last_from..];

    let base = stage[0].arguments.split_whitespace().next().unwrap();
    assert!(
        base == "scratch" || base.starts_with("gcr.io/distroless/static"),
        "the final stage is FROM {base}: it must be scratch or distroless static"
    );
    // No RUN in the final stage: it has no shell to run one with, and the build stays offline.
    assert!(
        stage.iter().all(|i| i.keyword != "RUN"),
        "the final stage runs a command: {stage:?}"
    );

    let user = stage
        .iter()
        .rev()
        .find(|i| i.keyword == "USER")
        .expect("a USER");
    for id in user.arguments.split(':') {
        let id: u32 = id
            .parse()
            .unwrap_or_else(|_| panic!("USER {}: give numeric ids", user.arguments));
        assert_ne!(id, 0, "USER {}: not root", user.arguments);
    }

    let entrypoint = stage
        .iter()
        .rev()
        .find(|i| i.keyword == "ENTRYPOINT")
        .expect("an ENTRYPOINT");
    let entrypoint: Vec<String> = serde_json::from_str(&entrypoint.arguments)
        .unwrap_or_else(|e| panic!("ENTRYPOINT must be the exec (JSON) form: {e}"));
    assert_eq!(entrypoint, ["switchboard"]);

    let labels: BTreeMap<String, String> = stage
        .iter()
        .filter(|i| i.keyword == "LABEL")
        .flat_map(|i| pairs(&i.arguments))
        .collect();
    for label in LABELS {
        assert!(
            labels.get(label).is_some_and(|v| !v.is_empty()),
            "no label {label}: {labels:?}"
        );
    }
    let args = arg_defaults(stage);
    for (label, arg) in [
        ("version", "VERSION"),
        ("revision", "REVISION"),
        ("source", "SOURCE"),
    ] {
        assert_eq!(
            labels[&format!("org.opencontainers.image.{label}")],
            format!("${{{arg}}}"),
            "the {label} label comes from the build argument {arg}"
        );
        assert!(args.contains_key(arg), "no ARG {arg}");
    }
    let workspace: toml::Table = read("Cargo.toml").parse().unwrap();
    assert_eq!(
        labels["org.opencontainers.image.licenses"],
        workspace["workspace"]["package"]["license"]
            .as_str()
            .unwrap()
    );

    // The binary lands on the image's PATH, under the name the entrypoint runs.
    let env: BTreeMap<String, String> = stage
        .iter()
        .filter(|i| i.keyword == "ENV")
        .flat_map(|i| pairs(&i.arguments))
        .collect();
    let copies: Vec<&str> = stage
        .iter()
        .filter(|i| i.keyword == "COPY")
        .map(|i| i.arguments.as_str())
        .collect();
    let binary = copies
        .iter()
        .find(|c| c.starts_with("${BINARY} "))
        .expect("COPY ${BINARY} ...");
    let destination = binary.split_whitespace().last().unwrap();
    let directory = destination.strip_suffix("/switchboard").unwrap();
    assert!(
        env.get("PATH")
            .is_some_and(|path| path.split(':').any(|p| p == directory)),
        "{destination} is not on the image's PATH: {env:?}"
    );
    assert!(
        copies.iter().any(|c| c.starts_with("${CA_CERTIFICATES} ")
            && c.ends_with(" /etc/ssl/certs/ca-certificates.crt")),
        "the CA bundle: {copies:?}"
    );

    // The build context lets through exactly what the COPYs take by default.
    let ignore = read(".dockerignore");
    let kept: Vec<&str> = ignore
        .lines()
        .filter_map(|l| l.trim().strip_prefix('!'))
        .collect();
    assert!(
        ignore.lines().any(|l| l.trim() == "*"),
        ".dockerignore leaves everything out first"
    );
    for arg in ["BINARY", "CA_CERTIFICATES"] {
        assert!(
            kept.contains(&args[arg].as_str()),
            ".dockerignore does not keep {arg}'s default {}: {kept:?}",
            args[arg]
        );
    }
}

// ---------------------------------------------------------------------------------------
// The release workflow and the binstall metadata

fn workflow() -> (String, Value) {
    let text = read(".github/workflows/release.yml");
    let value = serde_yaml_ng::from_str(&text).unwrap();
    (text, value)
}

/// The `run:` of the step named `name` in job `job`.
fn step_run<'a>(workflow: &'a Value, job: &str, name: &str) -> &'a str {
    workflow["jobs"][job]["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|s| s["name"].as_str() == Some(name))
        .unwrap_or_else(|| panic!("job {job} has no step `{name}`"))["run"]
        .as_str()
        .unwrap()
}

/// The quoted value assigned to `variable` in a shell script.
fn assigned<'a>(script: &'a str, variable: &str) -> &'a str {
    let prefix = format!("{variable}=\"");
    script
        .lines()
        .find_map(|l| l.trim().strip_prefix(prefix.as_str()))
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap_or_else(|| panic!("no {variable}=\"...\" in:\n{script}"))
}

fn is_windows(target: &str) -> bool {
    target.contains("-windows-")
}

/// A binstall template with its `{ key }`s filled in.
fn render(template: &str, values: &[(&str, &str)]) -> String {
    let mut text = template.to_string();
    for (key, value) in values {
        text = text.replace(&format!("{{ {key} }}"), value);
    }
    assert!(!text.contains('{'), "unknown key in `{template}`: {text}");
    text
}

#[test]
fn the_release_builds_the_five_targets_under_the_names_binstall_downloads() {
    let (text, workflow) = workflow();
    assert_eq!(
        workflow["on"]["push"]["tags"],
        serde_yaml_ng::from_str::<Value>("[\"v*\"]").unwrap()
    );
    assert!(
        workflow["env"]["SWITCHBOARD_COMMIT"].as_str().is_some(),
        "the builds say which commit they are"
    );

    let matrix: Vec<&str> = workflow["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|row| row["target"].as_str().unwrap())
        .collect();
    assert_eq!(matrix, TARGETS);

    // What the Archive step writes, for a target: `$name.tar.gz` or `$name.zip` holding
    // `$name/switchboard[.exe]`.
    let archive = step_run(&workflow, "build", "Archive");
    let name_template = assigned(archive, "name");
    for needle in [
        "cp \"target/$TARGET/release/switchboard$exe\" README.md CHANGELOG.md \"dist/$name/\"",
        "tar -czf \"$name.tar.gz\" \"$name\"",
        "7z a -tzip \"$name.zip\" \"$name\"",
    ] {
        assert!(
            archive.contains(needle),
            "the Archive step lacks `{needle}`:\n{archive}"
        );
    }
    // The release is the tag `v$VERSION`; prepare refuses any other.
    assert!(
        step_run(
            &workflow,
            "prepare",
            "The tag is v + the workspace version; the crate names this repository"
        )
        .contains("\"$GITHUB_REF_NAME\" != \"v$version\""),
    );

    let manifest: toml::Table = read("crates/switchboard-cli/Cargo.toml").parse().unwrap();
    let package = &manifest["package"];
    let binstall = &package["metadata"]["binstall"];
    let repo = package["repository"].as_str().unwrap();
    let version = "9.8.7";
    for target in TARGETS {
        let name = name_template
            .replace("$VERSION", version)
            .replace("$TARGET", target);
        let (file, format, exe) = if is_windows(target) {
            (format!("{name}.zip"), "zip", ".exe")
        } else {
            (format!("{name}.tar.gz"), "tgz", "")
        };
        let over = binstall
            .get("overrides")
            .and_then(|o| o.get(target))
            .and_then(|o| o.as_table());
        let setting = |key: &str| {
            over.and_then(|o| o.get(key))
                .or_else(|| binstall.get(key))
                .and_then(|v| v.as_str())
                .unwrap_or_else(|| panic!("binstall has no {key} for {target}"))
        };
        let values = [
            ("repo", repo),
            ("version", version),
            ("target", target),
            ("bin", "switchboard"),
            ("binary-ext", exe),
        ];
        assert_eq!(
            render(setting("pkg-url"), &values),
            format!("{repo}/releases/download/v{version}/{file}"),
            "{target}"
        );
        assert_eq!(setting("pkg-fmt"), format, "{target}");
        assert_eq!(
            render(setting("bin-dir"), &values),
            format!("{name}/switchboard{exe}"),
            "{target}"
        );
    }

    // Only the release job may write to the repository, only the image job to packages.
    assert_eq!(
        workflow["permissions"],
        serde_yaml_ng::from_str::<Value>("{}").unwrap()
    );
    for (job, body) in workflow["jobs"].as_mapping().unwrap() {
        let job = job.as_str().unwrap();
        let permissions = body["permissions"]
            .as_mapping()
            .unwrap_or_else(|| panic!("{job}: no permissions"));
        for (scope, level) in permissions {
            let allowed = match (scope.as_str().unwrap(), level.as_str().unwrap()) {
                (_, "read" | "none") => true,
                ("contents", "write") => job == "release",
                ("packages", "write") => job == "image",
                _ => false,
            };
            assert!(allowed, "{job}: {scope:?}: {level:?}");
        }
    }

    // Every action is one of GitHub's own, pinned to a commit, with its version beside it.
    for line in text
        .lines()
        .filter(|l| l.trim_start().starts_with("- uses:") || l.trim_start().starts_with("uses:"))
    {
        let uses = line.split("uses:").nth(1).unwrap().trim();
        let (action, comment) = uses.split_once(" # ").unwrap_or((uses, ""));
        let (name, commit) = action.split_once('@').unwrap();
        assert!(
            name.starts_with("actions/"),
            "{line}: only GitHub's own actions"
        );
        assert!(
            commit.len() == 40 && commit.chars().all(|c| c.is_ascii_hexdigit()),
            "{line}: pin a commit"
        );
        assert!(
            comment.starts_with('v'),
            "{line}: say which version the commit is"
        );
    }
}

#[test]
fn the_image_job_stages_the_files_where_the_containerfile_looks() {
    let (_, workflow) = workflow();
    let args = arg_defaults(&instructions(&read("Containerfile")));
    let stage = step_run(
        &workflow,
        "image",
        "Put the released binary and the runner's CA bundle where the Containerfile looks",
    );
    for arg in ["BINARY", "CA_CERTIFICATES"] {
        assert!(
            stage.contains(&args[arg]),
            "the image job does not put {arg} at {}:\n{stage}",
            args[arg]
        );
    }
    let build = step_run(
        &workflow,
        "image",
        "Build the image, offline (the Containerfile only copies files)",
    );
    assert!(build.contains("--network=none") && build.contains("--file Containerfile"));
    for arg in ["VERSION", "REVISION", "SOURCE"] {
        assert!(
            build.contains(&format!("--build-arg {arg}=")),
            "no --build-arg {arg}"
        );
    }
}
