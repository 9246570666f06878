//! The GitHub Actions recipe (docs/recipes/github/*.yml), run as GitHub would run it: each
//! job's steps in order, `run:` steps with `bash --noprofile --norc -eo pipefail {0}`, `env:`
//! merged from workflow, job and step, the three allowed actions emulated by copying files,
//! and the GitHub REST API served by the fake forge.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_yaml_ng::{Mapping, Value};

use super::forge::{Forge, GITHUB_REPOSITORY, GITHUB_TOKEN, Run};
use super::recipe_yaml::{key, string};
use super::session::{clean_env, copy_dir};

/// The workflow `docs/recipes/github/<file>`.
pub fn load(file: &str) -> Mapping {
    super::recipe_yaml::load("github", file)
}

/// The step every job installs switchboard with; the harness skips it and puts the binary
/// under test on PATH instead.
pub const INSTALL_STEP: &str = "Install switchboard";

/// What triggers a run.
#[derive(Debug, Clone)]
pub enum Event {
    PullRequest { number: u64, head_sha: String },
    Push { sha: String },
    Schedule,
}

impl Event {
    fn name(&self) -> &'static str {
        match self {
            Event::PullRequest { .. } => "pull_request",
            Event::Push { .. } => "push",
            Event::Schedule => "schedule",
        }
    }

    fn sha(&self) -> String {
        match self {
            Event::PullRequest { head_sha, .. } => head_sha.clone(),
            Event::Push { sha } => sha.clone(),
            Event::Schedule => "5c4e1d7a0b2f3e4d5c6b7a8f9e0d1c2b3a4f5e6d".into(),
        }
    }
}

/// A finished run of a one-job workflow.
#[derive(Debug)]
pub struct JobRun {
    pub run_id: u64,
    pub success: bool,
    /// The job summary (every step's `$GITHUB_STEP_SUMMARY`).
    pub summary: String,
    /// What each step printed, for failure messages.
    pub log: String,
}

/// Where the runs happen.
pub struct Runner {
    pub forge: Forge,
    /// The repository's files, as `actions/checkout` gives them.
    pub checkout: PathBuf,
    /// `<artifacts>/<run id>/<name>/...`
    pub artifacts: PathBuf,
    pub bin: PathBuf,
    pub root: PathBuf,
    /// Environment of the (self-hosted) runner: the simulator's URLs.
    pub runner_env: Vec<(String, String)>,
    pub secrets: HashMap<String, String>,
}

fn mapping<'a>(map: &'a Mapping, name: &str) -> Option<&'a Mapping> {
    key(map, name).map(|value| {
        value
            .as_mapping()
            .unwrap_or_else(|| panic!("`{name}` is not a mapping"))
    })
}

fn only_keys(map: &Mapping, allowed: &[&str], what: &str) {
    for name in map.keys() {
        let name = string(name);
        assert!(
            allowed.contains(&name.as_str()),
            "{what}: `{name}` is not supported by the harness (known: {allowed:?})"
        );
    }
}

/// `permissions:` as name -> level.
pub fn permissions(workflow: &Mapping) -> Vec<(String, String)> {
    mapping(workflow, "permissions")
        .expect("a workflow-level `permissions:`")
        .iter()
        .map(|(k, v)| (string(k), string(v)))
        .collect()
}

/// The single job of a workflow.
pub fn job(workflow: &Mapping) -> (String, Mapping) {
    let jobs = mapping(workflow, "jobs").expect("jobs");
    assert_eq!(jobs.len(), 1, "the recipe's workflows have one job each");
    let (name, job) = jobs.iter().next().unwrap();
    (string(name), job.as_mapping().unwrap().clone())
}

impl Runner {
    /// Runs `file`'s job for `event` and records the run in the fake API.
    pub fn run(&self, file: &str, event: &Event) -> JobRun {
        let workflow = load(file);
        only_keys(
            &workflow,
            &[
                "name",
                "on",
                "permissions",
                "concurrency",
                "env",
                "defaults",
                "jobs",
            ],
            file,
        );
        let shell = mapping(&workflow, "defaults")
            .and_then(|d| mapping(d, "run"))
            .and_then(|r| key(r, "shell"))
            .map(string);
        assert_eq!(
            shell.as_deref(),
            Some("bash"),
            "{file}: defaults.run.shell must be bash"
        );
        let (job_name, job) = job(&workflow);
        only_keys(
            &job,
            &["runs-on", "env", "steps", "permissions"],
            &format!("{file}: job {job_name}"),
        );

        let run_id = self.forge.state().github.id();
        let workspace = self.root.join(format!("run-{run_id}/workspace"));
        let temp = self.root.join(format!("run-{run_id}/temp"));
        std::fs::create_dir_all(&workspace).unwrap();
        std::fs::create_dir_all(&temp).unwrap();

        let mut env: Vec<(String, String)> = clean_env(&self.bin);
        env.extend(self.runner_env.iter().cloned());
        let sha = event.sha();
        for (name, value) in [
            ("CI", "true".to_string()),
            ("GITHUB_ACTIONS", "true".into()),
            ("GITHUB_API_URL", self.forge.url.clone()),
            ("GITHUB_SERVER_URL", "https://github.com".into()),
            ("GITHUB_REPOSITORY", GITHUB_REPOSITORY.into()),
            ("GITHUB_EVENT_NAME", event.name().into()),
            ("GITHUB_SHA", sha.clone()),
            ("GITHUB_RUN_ID", run_id.to_string()),
            ("GITHUB_WORKSPACE", workspace.display().to_string()),
            ("RUNNER_TEMP", temp.display().to_string()),
        ] {
            env.push((name.into(), value));
        }
        let mut outputs: HashMap<String, HashMap<String, String>> = HashMap::new();
        let context = |expr: &str, outputs: &HashMap<String, HashMap<String, String>>| -> String {
            self.expression(expr, event, outputs, file)
        };
        for scope in [mapping(&workflow, "env"), mapping(&job, "env")]
            .into_iter()
            .flatten()
        {
            for (k, v) in scope {
                env.push((string(k), substitute(&string(v), |e| context(e, &outputs))));
            }
        }

        let mut success = true;
        let mut summary = String::new();
        let mut log = String::new();
        let steps = key(&job, "steps")
            .and_then(Value::as_sequence)
            .expect("steps");
        for (index, step) in steps.iter().enumerate() {
            let step = step.as_mapping().unwrap();
            only_keys(
                step,
                &["name", "id", "uses", "with", "run", "env", "if"],
                &format!("{file}: step {index}"),
            );
            let name = key(step, "name")
                .map(string)
                .unwrap_or_else(|| format!("step {index}"));
            match key(step, "if").map(string).as_deref() {
                None if !success => continue,
                None | Some("always()") => {}
                Some(other) => {
                    panic!("{file}: step `{name}`: `if: {other}` is not supported by the harness")
                }
            }
            if name == INSTALL_STEP {
                let run = key(step, "run").map(string).unwrap_or_default();
                assert!(
                    run.starts_with("cargo install --locked --git \"$SWITCHBOARD_GIT\""),
                    "{file}: `{INSTALL_STEP}` must `cargo install --locked --git \"$SWITCHBOARD_GIT\" ...`: {run}"
                );
                continue;
            }
            let mut step_env = env.clone();
            if let Some(scope) = mapping(step, "env") {
                for (k, v) in scope {
                    step_env.push((string(k), substitute(&string(v), |e| context(e, &outputs))));
                }
            }
            let with: HashMap<String, String> = mapping(step, "with")
                .map(|with| {
                    with.iter()
                        .map(|(k, v)| (string(k), substitute(&string(v), |e| context(e, &outputs))))
                        .collect()
                })
                .unwrap_or_default();
            let ok = if let Some(uses) = key(step, "uses").map(string) {
                let result = self.action(&uses, &with, &workspace, run_id, file);
                log.push_str(&format!("--- {name} ({uses}): {result:?}\n"));
                result.is_ok()
            } else {
                let script = substitute(
                    &key(step, "run").map(string).unwrap_or_else(|| {
                        panic!("{file}: step `{name}` has neither run nor uses")
                    }),
                    |e| context(e, &outputs),
                );
                let script_path = temp.join(format!("step-{index}.sh"));
                std::fs::write(&script_path, script).unwrap();
                let output_file = temp.join(format!("output-{index}"));
                let summary_file = temp.join(format!("summary-{index}"));
                std::fs::write(&output_file, "").unwrap();
                std::fs::write(&summary_file, "").unwrap();
                let output = Command::new("bash")
                    .args(["--noprofile", "--norc", "-eo", "pipefail"])
                    .arg(&script_path)
                    .current_dir(&workspace)
                    .env_clear()
                    .envs(step_env.iter().map(|(k, v)| (k, v)))
                    .env("GITHUB_OUTPUT", &output_file)
                    .env("GITHUB_STEP_SUMMARY", &summary_file)
                    .stdin(std::process::Stdio::null())
                    .output()
                    .unwrap();
                log.push_str(&format!(
                    "--- {name}: {}\n{}{}",
                    output.status,
                    String::from_utf8_lossy(&output.stdout),
                    String::from_utf8_lossy(&output.stderr)
                ));
                summary.push_str(&std::fs::read_to_string(&summary_file).unwrap());
                if let Some(id) = key(step, "id").map(string) {
                    outputs.insert(
                        id,
                        parse_outputs(&std::fs::read_to_string(&output_file).unwrap()),
                    );
                }
                output.status.success()
            };
            success &= ok;
        }
        self.forge.state().github.runs.push(Run {
            id: run_id,
            workflow: file.to_string(),
            event: event.name().into(),
            head_sha: sha,
            success,
        });
        JobRun {
            run_id,
            success,
            summary,
            log,
        }
    }

    /// The value of `${{ expr }}`: only what the recipe uses; anything else fails the test.
    fn expression(
        &self,
        expr: &str,
        event: &Event,
        outputs: &HashMap<String, HashMap<String, String>>,
        file: &str,
    ) -> String {
        if let Some(name) = expr.strip_prefix("secrets.") {
            if name == "GITHUB_TOKEN" {
                return GITHUB_TOKEN.into();
            }
            return self
                .secrets
                .get(name)
                .unwrap_or_else(|| panic!("{file}: no secret {name} in the test's table"))
                .clone();
        }
        if expr == "github.token" {
            return GITHUB_TOKEN.into();
        }
        if expr == "github.event.pull_request.number" {
            let Event::PullRequest { number, .. } = event else {
                panic!("{file}: `{expr}` outside a pull_request run");
            };
            return number.to_string();
        }
        if let Some(rest) = expr.strip_prefix("steps.") {
            let (id, output) = rest
                .split_once(".outputs.")
                .unwrap_or_else(|| panic!("{file}: unknown expression `{expr}`"));
            return outputs
                .get(id)
                .and_then(|o| o.get(output))
                .cloned()
                .unwrap_or_default();
        }
        panic!("{file}: the harness does not know the expression `${{{{ {expr} }}}}`")
    }

    /// The allowed actions, emulated.
    fn action(
        &self,
        uses: &str,
        with: &HashMap<String, String>,
        workspace: &Path,
        run_id: u64,
        file: &str,
    ) -> Result<(), String> {
        let allow = |keys: &[&str]| {
            for k in with.keys() {
                assert!(
                    keys.contains(&k.as_str()),
                    "{file}: {uses}: input `{k}` is not supported by the harness"
                );
            }
        };
        match uses {
            "actions/checkout@v4" => {
                allow(&[]);
                copy_dir(&self.checkout, workspace);
                Ok(())
            }
            "actions/upload-artifact@v4" => {
                allow(&["name", "path", "if-no-files-found", "retention-days"]);
                let name = with
                    .get("name")
                    .cloned()
                    .unwrap_or_else(|| "artifact".into());
                let path = with.get("path").expect("upload-artifact: path");
                let source = workspace.join(path);
                if !source.is_file() {
                    return match with.get("if-no-files-found").map_or("warn", String::as_str) {
                        "error" => Err(format!("no file {path}")),
                        _ => Ok(()),
                    };
                }
                let target = self.artifacts.join(run_id.to_string()).join(&name);
                std::fs::create_dir_all(&target).unwrap();
                std::fs::copy(&source, target.join(Path::new(path).file_name().unwrap())).unwrap();
                Ok(())
            }
            "actions/download-artifact@v4" => {
                allow(&["name", "path", "run-id", "github-token"]);
                let name = with.get("name").expect("download-artifact: name");
                let run = match with.get("run-id") {
                    Some(run) => {
                        if with.get("github-token").map(String::as_str) != Some(GITHUB_TOKEN) {
                            return Err("run-id needs github-token".into());
                        }
                        run.clone()
                    }
                    None => run_id.to_string(),
                };
                let source = self.artifacts.join(&run).join(name);
                if !source.is_dir() {
                    return Err(format!("no artifact {name} in run {run:?}"));
                }
                copy_dir(
                    &source,
                    &workspace.join(with.get("path").map_or(".", String::as_str)),
                );
                Ok(())
            }
            other => panic!("{file}: `uses: {other}` is not one of the actions the recipe may use"),
        }
    }
}

/// Replaces every `${{ ... }}` in `text`.
pub fn substitute(text: &str, mut value: impl FnMut(&str) -> String) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("}}").expect("an unterminated ${{") + start;
        out.push_str(&value(rest[start + 3..end].trim()));
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

/// `$GITHUB_OUTPUT`: `name=value` lines and `name<<DELIMITER` blocks.
fn parse_outputs(text: &str) -> HashMap<String, String> {
    let mut outputs = HashMap::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some((name, delimiter)) = line.split_once("<<") {
            let value: Vec<&str> = lines.by_ref().take_while(|l| *l != delimiter).collect();
            outputs.insert(name.to_string(), value.join("\n"));
        } else if let Some((name, value)) = line.split_once('=') {
            outputs.insert(name.to_string(), value.to_string());
        }
    }
    outputs
}

/// The directory a run's artifact `name` was stored in.
pub fn artifact(runner: &Runner, run_id: u64, name: &str) -> PathBuf {
    runner.artifacts.join(run_id.to_string()).join(name)
}
