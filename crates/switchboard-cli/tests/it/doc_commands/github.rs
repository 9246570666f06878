//! The GitHub Actions recipe (docs/recipes/github/*.yml), run as GitHub would run it: each
//! job's steps in order, `run:` steps with `bash --noprofile --norc -eo pipefail {0}`, `env:`
//! merged from workflow, job and step, step `if:` conditions, the allowed actions emulated,
//! and the GitHub REST API served by the fake forge.
//!
//! The repository's own action (`uses: ./` or `uses: <owner>/switchboard@v<version>`) is
//! run from `action.yml` as the runner runs a composite action: its inputs resolved from
//! `with:` and their defaults, its steps run in order with `${{ inputs.* }}` and its own
//! `${{ steps.* }}` substituted and the calling step's environment, and its `outputs:`
//! evaluated into the calling step's outputs. Its step named [`INSTALL_STEP`] is checked and
//! skipped: the binary under test is on PATH instead.
//!
//! Secrets are scoped as on GitHub: a job sees the repository's secrets, plus those of the
//! deployment environment it names (`environment:`); a secret the job cannot see fails the
//! test, and so does `secrets` inside the action (GitHub does not give it to actions).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_yaml_ng::{Mapping, Value};

use super::forge::{Forge, GITHUB_REPOSITORY, GITHUB_TOKEN, Run};
use super::recipe_yaml::{key, string};
use super::session::{clean_env, copy_dir, repo_root};

/// The workflow `docs/recipes/github/<file>`.
pub fn load(file: &str) -> Mapping {
    super::recipe_yaml::load("github", file)
}

/// The repository's `action.yml`.
pub fn load_action() -> Mapping {
    let path = repo_root().join("action.yml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("action.yml: {e}"))
}

/// The step of `action.yml` that installs switchboard; the harness skips it and puts the
/// binary under test on PATH instead.
pub const INSTALL_STEP: &str = "Install switchboard";

/// The action's repository as the runner checks it out for `uses: <owner>/<name>@<ref>`.
const ACTIONS_DIR: &str = "_actions";

/// What triggers a run.
#[derive(Debug, Clone)]
pub enum Event {
    /// `base_sha` is a commit of the checked-out repository: the pull request's base.
    PullRequest {
        number: u64,
        head_sha: String,
        base_sha: String,
    },
    Push {
        sha: String,
    },
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
    /// The environment each step that ran had, the action's steps included.
    pub step_envs: Vec<(String, Vec<(String, String)>)>,
    /// The names of the secrets the job's expressions read.
    pub secrets_read: BTreeSet<String>,
    /// The `with:` each use of the repository's action had, inputs resolved.
    pub action_inputs: Vec<HashMap<String, String>>,
    /// The `env:` the action's install step would have had, each time it was skipped.
    pub install_envs: Vec<Vec<(String, String)>>,
}

/// Where the runs happen.
pub struct Runner {
    pub forge: Forge,
    /// The repository's files (a git work tree), as `actions/checkout` gives them.
    pub checkout: PathBuf,
    /// `<artifacts>/<run id>/<name>/...`
    pub artifacts: PathBuf,
    pub bin: PathBuf,
    pub root: PathBuf,
    /// Environment of the (self-hosted) runner: the simulator's URLs.
    pub runner_env: Vec<(String, String)>,
    /// The repository's secrets.
    pub secrets: HashMap<String, String>,
    /// Deployment environments' secrets, by environment name.
    pub environment_secrets: HashMap<String, HashMap<String, String>>,
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

/// The deployment environment a job names, if any.
pub fn environment(job: &Mapping) -> Option<String> {
    key(job, "environment").map(|value| match value {
        Value::Mapping(map) => string(key(map, "name").expect("environment.name")),
        other => string(other),
    })
}

/// Whether `uses` names the repository's own action, pinned to this version's release tag.
pub fn is_own_action(uses: &str) -> bool {
    if uses == "./" {
        return true;
    }
    let Some((repo, reference)) = uses.split_once('@') else {
        return false;
    };
    let Some((_, name)) = repo.split_once('/') else {
        return false;
    };
    if name != "switchboard" {
        return false;
    }
    let release = format!("v{}", env!("CARGO_PKG_VERSION"));
    assert_eq!(
        reference, release,
        "`uses: {uses}` must pin this version's release tag"
    );
    true
}

/// The steps of one scope: the workflow's job, or one use of the action.
struct Scope {
    label: String,
    /// The action's inputs; `None` in the workflow itself.
    inputs: Option<HashMap<String, String>>,
    /// Step id -> its outputs.
    outputs: HashMap<String, HashMap<String, String>>,
    /// `GITHUB_ACTION_PATH` inside the action.
    action_path: Option<PathBuf>,
}

/// One job being run.
struct Job<'a> {
    runner: &'a Runner,
    file: &'a str,
    event: &'a Event,
    secrets: HashMap<String, String>,
    workspace: PathBuf,
    temp: PathBuf,
    tool_cache: PathBuf,
    run_id: u64,
    steps_run: usize,
    /// Directories steps added with `$GITHUB_PATH`, newest first.
    path: Vec<String>,
    summary: String,
    log: String,
    step_envs: Vec<(String, Vec<(String, String)>)>,
    secrets_read: BTreeSet<String>,
    action_inputs: Vec<HashMap<String, String>>,
    install_envs: Vec<Vec<(String, String)>>,
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
            &["runs-on", "env", "steps", "permissions", "environment"],
            &format!("{file}: job {job_name}"),
        );
        let mut secrets = self.secrets.clone();
        if let Some(name) = environment(&job) {
            let scoped = self
                .environment_secrets
                .get(&name)
                .unwrap_or_else(|| panic!("{file}: no environment `{name}` in the test's table"));
            secrets.extend(scoped.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        let (mut job_run, mut env) = self.start(file, event, secrets);
        let mut scope = Scope {
            label: file.to_string(),
            inputs: None,
            outputs: HashMap::new(),
            action_path: None,
        };
        for values in [mapping(&workflow, "env"), mapping(&job, "env")]
            .into_iter()
            .flatten()
        {
            for (k, v) in values {
                let value = job_run.substitute(&string(v), &scope, &env);
                env.push((string(k), value));
            }
        }
        let steps = key(&job, "steps")
            .and_then(Value::as_sequence)
            .expect("steps")
            .clone();
        let success = job_run.run_steps(&steps, &mut scope, &env);

        let run_id = job_run.run_id;
        self.forge.state().github.runs.push(Run {
            id: run_id,
            workflow: file.to_string(),
            event: event.name().into(),
            head_sha: event.sha(),
            success,
        });
        job_run.finish(success)
    }

    /// Runs the repository's action alone, as a step `uses: <owner>/switchboard@v<version>`
    /// with `with` and the step environment `env` would, in a scheduled run of a job whose
    /// workspace holds the checkout. Returns the action's outputs (or its failure) and the
    /// run.
    pub fn run_action(
        &self,
        with: &[(&str, &str)],
        env: &[(&str, &str)],
    ) -> (Result<HashMap<String, String>, String>, JobRun) {
        let event = Event::Schedule;
        let (mut job_run, mut job_env) = self.start("the action", &event, HashMap::new());
        copy_dir(&self.checkout, &job_run.workspace);
        job_env.extend(env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let with: HashMap<String, String> = with
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let uses = format!("acme/switchboard@v{}", env!("CARGO_PKG_VERSION"));
        let result = job_run.composite(&uses, &with, &job_env);
        let success = result.is_ok();
        (result, job_run.finish(success))
    }

    /// A new job of `file` for `event`, and its environment before any `env:`.
    fn start<'a>(
        &'a self,
        file: &'a str,
        event: &'a Event,
        secrets: HashMap<String, String>,
    ) -> (Job<'a>, Vec<(String, String)>) {
        let run_id = self.forge.state().github.id();
        let workspace = self.root.join(format!("run-{run_id}/workspace"));
        let temp = self.root.join(format!("run-{run_id}/temp"));
        let tool_cache = self.root.join(format!("run-{run_id}/toolcache"));
        for dir in [&workspace, &temp, &tool_cache] {
            std::fs::create_dir_all(dir).unwrap();
        }
        let mut env: Vec<(String, String)> = clean_env(&self.bin);
        env.extend(self.runner_env.iter().cloned());
        for (name, value) in [
            ("CI", "true".to_string()),
            ("GITHUB_ACTIONS", "true".into()),
            ("GITHUB_API_URL", self.forge.url.clone()),
            ("GITHUB_SERVER_URL", "https://github.com".into()),
            ("GITHUB_REPOSITORY", GITHUB_REPOSITORY.into()),
            ("GITHUB_EVENT_NAME", event.name().into()),
            ("GITHUB_SHA", event.sha()),
            ("GITHUB_RUN_ID", run_id.to_string()),
            ("GITHUB_WORKSPACE", workspace.display().to_string()),
            ("RUNNER_OS", "Linux".into()),
            ("RUNNER_ARCH", "X64".into()),
            ("RUNNER_TEMP", temp.display().to_string()),
            ("RUNNER_TOOL_CACHE", tool_cache.display().to_string()),
        ] {
            env.push((name.into(), value));
        }
        let job = Job {
            runner: self,
            file,
            event,
            secrets,
            workspace,
            temp,
            tool_cache,
            run_id,
            steps_run: 0,
            path: Vec::new(),
            summary: String::new(),
            log: String::new(),
            step_envs: Vec::new(),
            secrets_read: BTreeSet::new(),
            action_inputs: Vec::new(),
            install_envs: Vec::new(),
        };
        (job, env)
    }
}

impl Job<'_> {
    fn finish(self, success: bool) -> JobRun {
        JobRun {
            run_id: self.run_id,
            success,
            summary: self.summary,
            log: self.log,
            step_envs: self.step_envs,
            secrets_read: self.secrets_read,
            action_inputs: self.action_inputs,
            install_envs: self.install_envs,
        }
    }

    /// Runs `steps` in order, as the runner runs a job's or a composite action's steps.
    /// Returns whether every step that ran succeeded.
    fn run_steps(&mut self, steps: &[Value], scope: &mut Scope, env: &[(String, String)]) -> bool {
        let file = self.file;
        let in_action = scope.inputs.is_some();
        let mut success = true;
        for (index, step) in steps.iter().enumerate() {
            let step = step.as_mapping().unwrap();
            let allowed: &[&str] = if in_action {
                &["name", "id", "uses", "with", "run", "env", "if", "shell"]
            } else {
                &["name", "id", "uses", "with", "run", "env", "if"]
            };
            only_keys(step, allowed, &format!("{}: step {index}", scope.label));
            let name = key(step, "name")
                .map(string)
                .unwrap_or_else(|| format!("step {index}"));
            let label = format!("{}: {name}", scope.label);
            let condition = key(step, "if").map(string);
            if !self.condition(condition.as_deref(), success, scope, env, &label) {
                self.log.push_str(&format!("--- {label}: skipped\n"));
                continue;
            }
            if name == INSTALL_STEP {
                assert!(
                    in_action,
                    "{label}: switchboard is installed by the action, not by the workflow"
                );
                let run = key(step, "run").map(string).unwrap_or_default();
                for needle in [
                    "SHA256SUMS",
                    "sha256sum",
                    "$GITHUB_PATH",
                    "releases/download",
                ] {
                    assert!(
                        run.contains(needle),
                        "{label}: must download the release, check it against SHA256SUMS and \
                         add it to $GITHUB_PATH (no `{needle}`)"
                    );
                }
                // What it would have been given, for the tests to check.
                let mut install_env = Vec::new();
                if let Some(values) = mapping(step, "env") {
                    for (k, v) in values {
                        let value = self.substitute(&string(v), scope, env);
                        install_env.push((string(k), value));
                    }
                }
                self.install_envs.push(install_env);
                self.log
                    .push_str(&format!("--- {label}: not run by the harness\n"));
                continue;
            }
            let mut step_env = env.to_vec();
            if let Some(values) = mapping(step, "env") {
                for (k, v) in values {
                    let value = self.substitute(&string(v), scope, env);
                    step_env.push((string(k), value));
                }
            }
            let with: HashMap<String, String> = mapping(step, "with")
                .map(|with| {
                    with.iter()
                        .map(|(k, v)| (string(k), self.substitute(&string(v), scope, &step_env)))
                        .collect()
                })
                .unwrap_or_default();
            let id = key(step, "id").map(string);
            let result = if let Some(uses) = key(step, "uses").map(string) {
                let result = self.action(&uses, &with, &step_env, &label);
                let status = match &result {
                    Ok(_) => "ok".to_string(),
                    Err(e) => format!("failed: {e}"),
                };
                self.log
                    .push_str(&format!("--- {label} ({uses}): {status}\n"));
                result
            } else {
                if in_action {
                    assert_eq!(
                        key(step, "shell").map(string).as_deref(),
                        Some("bash"),
                        "{label}: a composite step runs with `shell: bash`"
                    );
                }
                let script = key(step, "run")
                    .map(string)
                    .unwrap_or_else(|| panic!("{file}: step `{name}` has neither run nor uses"));
                let script = self.substitute(&script, scope, &step_env);
                if let Some(path) = &scope.action_path {
                    step_env.push(("GITHUB_ACTION_PATH".into(), path.display().to_string()));
                }
                self.script(&label, &script, step_env)
            };
            match result {
                Ok(outputs) => {
                    if let Some(id) = id {
                        scope.outputs.insert(id, outputs);
                    }
                }
                Err(_) => success = false,
            }
        }
        success
    }

    /// Runs one `run:` script; its outputs, or an error.
    fn script(
        &mut self,
        label: &str,
        script: &str,
        mut env: Vec<(String, String)>,
    ) -> Result<HashMap<String, String>, String> {
        let index = self.steps_run;
        self.steps_run += 1;
        let script_path = self.temp.join(format!("step-{index}.sh"));
        std::fs::write(&script_path, script).unwrap();
        let output_file = self.temp.join(format!("output-{index}"));
        let summary_file = self.temp.join(format!("summary-{index}"));
        let path_file = self.temp.join(format!("path-{index}"));
        for file in [&output_file, &summary_file, &path_file] {
            std::fs::write(file, "").unwrap();
        }
        if !self.path.is_empty() {
            let path = env
                .iter()
                .rev()
                .find(|(k, _)| k == "PATH")
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            env.push(("PATH".into(), format!("{}:{path}", self.path.join(":"))));
        }
        self.step_envs.push((label.to_string(), env.clone()));
        let output = Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&script_path)
            .current_dir(&self.workspace)
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k, v)))
            .env("GITHUB_OUTPUT", &output_file)
            .env("GITHUB_STEP_SUMMARY", &summary_file)
            .env("GITHUB_PATH", &path_file)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        self.log.push_str(&format!(
            "--- {label}: {}\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
        self.summary
            .push_str(&std::fs::read_to_string(&summary_file).unwrap());
        for line in std::fs::read_to_string(&path_file).unwrap().lines().rev() {
            self.path.insert(0, line.to_string());
        }
        if output.status.success() {
            Ok(parse_outputs(
                &std::fs::read_to_string(&output_file).unwrap(),
            ))
        } else {
            Err(output.status.to_string())
        }
    }

    /// Whether a step runs: its `if:` (a status function, or a context compared with a
    /// string), and the status of the steps before it.
    fn condition(
        &mut self,
        condition: Option<&str>,
        success: bool,
        scope: &Scope,
        env: &[(String, String)],
        label: &str,
    ) -> bool {
        let Some(condition) = condition else {
            return success;
        };
        let condition = condition.trim();
        let condition = condition
            .strip_prefix("${{")
            .and_then(|c| c.strip_suffix("}}"))
            .unwrap_or(condition)
            .trim();
        match condition {
            "always()" => return true,
            "success()" => return success,
            "failure()" => return !success,
            _ => {}
        }
        let (left, right, equal) = if let Some((l, r)) = condition.split_once("==") {
            (l, r, true)
        } else if let Some((l, r)) = condition.split_once("!=") {
            (l, r, false)
        } else {
            panic!("{label}: `if: {condition}` is not supported by the harness")
        };
        let literal = right
            .trim()
            .strip_prefix('\'')
            .and_then(|r| r.strip_suffix('\''))
            .unwrap_or_else(|| panic!("{label}: `if:` compares with a 'string'"));
        let value = self.expression(left.trim(), scope, env);
        success && ((value == literal) == equal)
    }

    /// Replaces every `${{ ... }}` in `text`.
    fn substitute(&mut self, text: &str, scope: &Scope, env: &[(String, String)]) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${{") {
            out.push_str(&rest[..start]);
            let end = rest[start..].find("}}").expect("an unterminated ${{") + start;
            let value = self.expression(rest[start + 3..end].trim(), scope, env);
            out.push_str(&value);
            rest = &rest[end + 2..];
        }
        out.push_str(rest);
        out
    }

    /// The value of `${{ expr }}`: only what the recipes and the action use; anything else
    /// fails the test.
    fn expression(&mut self, expr: &str, scope: &Scope, env: &[(String, String)]) -> String {
        let file = &scope.label;
        if let Some(name) = expr.strip_prefix("secrets.") {
            assert!(
                scope.inputs.is_none(),
                "{file}: an action has no `secrets` context: the workflow passes secrets in `env:`"
            );
            self.secrets_read.insert(name.to_string());
            if name == "GITHUB_TOKEN" {
                return GITHUB_TOKEN.into();
            }
            return self.secrets.get(name).cloned().unwrap_or_else(|| {
                panic!(
                    "{file}: the secret {name} is not available to this job (the repository's \
                     secrets, and its environment's if it names one)"
                )
            });
        }
        if let Some(name) = expr.strip_prefix("inputs.") {
            let inputs = scope
                .inputs
                .as_ref()
                .unwrap_or_else(|| panic!("{file}: `inputs` outside the action"));
            return inputs
                .get(name)
                .cloned()
                .unwrap_or_else(|| panic!("{file}: no input `{name}`"));
        }
        if let Some(name) = expr.strip_prefix("env.") {
            return env
                .iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
        }
        match expr {
            "github.token" => return GITHUB_TOKEN.into(),
            "runner.tool_cache" => return self.tool_cache.display().to_string(),
            "runner.temp" => return self.temp.display().to_string(),
            "github.event.pull_request.number" | "github.event.pull_request.base.sha" => {
                let Event::PullRequest {
                    number, base_sha, ..
                } = self.event
                else {
                    panic!("{file}: `{expr}` outside a pull_request run");
                };
                return if expr.ends_with("number") {
                    number.to_string()
                } else {
                    base_sha.clone()
                };
            }
            _ => {}
        }
        if let Some(rest) = expr.strip_prefix("steps.") {
            let (id, output) = rest
                .split_once(".outputs.")
                .unwrap_or_else(|| panic!("{file}: unknown expression `{expr}`"));
            return scope
                .outputs
                .get(id)
                .and_then(|o| o.get(output))
                .cloned()
                .unwrap_or_default();
        }
        panic!("{file}: the harness does not know the expression `${{{{ {expr} }}}}`")
    }

    /// The allowed actions, emulated; the outputs of the step.
    fn action(
        &mut self,
        uses: &str,
        with: &HashMap<String, String>,
        env: &[(String, String)],
        label: &str,
    ) -> Result<HashMap<String, String>, String> {
        let allow = |keys: &[&str]| {
            for k in with.keys() {
                assert!(
                    keys.contains(&k.as_str()),
                    "{label}: {uses}: input `{k}` is not supported by the harness"
                );
            }
        };
        let workspace = self.workspace.clone();
        match uses {
            "actions/checkout@v4" => {
                allow(&["fetch-depth"]);
                copy_dir(&self.runner.checkout, &workspace);
                Ok(HashMap::new())
            }
            "actions/cache@v4" => {
                allow(&["path", "key"]);
                assert!(
                    with.get("key").is_some_and(|k| !k.is_empty())
                        && with.get("path").is_some_and(|p| !p.is_empty()),
                    "{label}: actions/cache needs a path and a key: {with:?}"
                );
                // A cache miss, as on a first run.
                Ok(HashMap::from([("cache-hit".into(), "false".into())]))
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
                        _ => Ok(HashMap::new()),
                    };
                }
                let target = self
                    .runner
                    .artifacts
                    .join(self.run_id.to_string())
                    .join(&name);
                std::fs::create_dir_all(&target).unwrap();
                std::fs::copy(&source, target.join(Path::new(path).file_name().unwrap())).unwrap();
                Ok(HashMap::new())
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
                    None => self.run_id.to_string(),
                };
                let source = self.runner.artifacts.join(&run).join(name);
                if !source.is_dir() {
                    return Err(format!("no artifact {name} in run {run:?}"));
                }
                copy_dir(
                    &source,
                    &workspace.join(with.get("path").map_or(".", String::as_str)),
                );
                Ok(HashMap::new())
            }
            own if is_own_action(own) => self.composite(own, with, env),
            other => {
                panic!("{label}: `uses: {other}` is not one of the actions the recipe may use")
            }
        }
    }

    /// Runs the repository's composite action.
    fn composite(
        &mut self,
        uses: &str,
        with: &HashMap<String, String>,
        env: &[(String, String)],
    ) -> Result<HashMap<String, String>, String> {
        let action = load_action();
        only_keys(
            &action,
            &[
                "name",
                "description",
                "author",
                "branding",
                "inputs",
                "outputs",
                "runs",
            ],
            "action.yml",
        );
        let runs = mapping(&action, "runs").expect("action.yml: runs");
        assert_eq!(
            key(runs, "using").map(string).as_deref(),
            Some("composite"),
            "action.yml: a composite action"
        );
        let declared = mapping(&action, "inputs").cloned().unwrap_or_default();
        for name in with.keys() {
            assert!(
                key(&declared, name).is_some(),
                "{}: `with: {name}` is not an input of action.yml",
                self.file
            );
        }
        let mut inputs = HashMap::new();
        for (name, spec) in &declared {
            let name = string(name);
            let spec = spec.as_mapping().expect("an input is a mapping");
            let required = key(spec, "required").and_then(Value::as_bool) == Some(true);
            let value = match (with.get(&name), key(spec, "default")) {
                (Some(value), _) => value.clone(),
                (None, Some(default)) => string(default),
                (None, None) => {
                    assert!(
                        !required,
                        "{}: the action's input `{name}` is required",
                        self.file
                    );
                    String::new()
                }
            };
            inputs.insert(name, value);
        }
        self.action_inputs.push(inputs.clone());

        // Where the runner puts an action used as <owner>/<name>@<ref>; `./` is the workspace.
        let action_path = match uses.split_once('@') {
            Some((repo, reference)) => {
                let path = self.tool_cache.join(ACTIONS_DIR).join(repo).join(reference);
                std::fs::create_dir_all(&path).unwrap();
                std::fs::copy(repo_root().join("action.yml"), path.join("action.yml")).unwrap();
                path
            }
            None => self.workspace.clone(),
        };
        let mut scope = Scope {
            label: format!("{} > action.yml", self.file),
            inputs: Some(inputs),
            outputs: HashMap::new(),
            action_path: Some(action_path),
        };
        let steps = key(runs, "steps")
            .and_then(Value::as_sequence)
            .expect("action.yml: runs.steps")
            .clone();
        let success = self.run_steps(&steps, &mut scope, env);
        let mut outputs = HashMap::new();
        for (name, spec) in mapping(&action, "outputs").cloned().unwrap_or_default() {
            let spec = spec.as_mapping().expect("an output is a mapping");
            let value = key(spec, "value")
                .map(string)
                .expect("an output has a value");
            let value = self.substitute(&value, &scope, env);
            outputs.insert(string(&name), value);
        }
        if success {
            Ok(outputs)
        } else {
            Err(format!("the action failed; its outputs: {outputs:?}"))
        }
    }
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
