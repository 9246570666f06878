//! The GitLab CI recipe (docs/recipes/gitlab/switchboard.gitlab-ci.yml), run as a GitLab
//! runner would: `extends:` merged, a job's `script:` lines run in order in one
//! `bash` with `set -eo pipefail`, global and job `variables:` plus the predefined `CI_*`
//! ones and the project's CI/CD variables in the environment, `$NAME` in a `variables:`
//! value expanded as GitLab expands it, `artifacts:paths` kept per job and served by the
//! fake forge. A job's `before_script:` installs tools only: it is checked, not run.
//!
//! Variables are scoped as on GitLab: the project's unprotected ones reach every job; a
//! protected variable with an environment scope reaches only the jobs of a protected
//! branch's pipeline (a push to the default branch, a schedule) that deploy to that
//! environment (`environment:`).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;

use serde_yaml_ng::{Mapping, Value};

use super::forge::{Forge, GITLAB_PROJECT_ID, Pipeline};
use super::recipe_yaml::{key, string};
use super::session::{clean_env, copy_dir};

pub const FILE: &str = "switchboard.gitlab-ci.yml";

/// What triggers a pipeline.
#[derive(Debug, Clone)]
pub enum Event {
    /// `diff_base_sha` is a commit of the checked-out repository: the merge request's base.
    MergeRequest {
        iid: u64,
        sha: String,
        diff_base_sha: String,
    },
    Push {
        sha: String,
    },
    Schedule,
}

#[derive(Debug)]
pub struct JobRun {
    pub job_id: u64,
    pub success: bool,
    pub log: String,
    /// The job's environment.
    pub env: Vec<(String, String)>,
}

pub struct Runner {
    pub forge: Forge,
    pub checkout: PathBuf,
    pub bin: PathBuf,
    pub root: PathBuf,
    pub runner_env: Vec<(String, String)>,
    /// The project's CI/CD variables, unprotected, for every environment.
    pub variables: HashMap<String, String>,
    /// Protected CI/CD variables by environment scope.
    pub protected_variables: HashMap<String, HashMap<String, String>>,
}

pub fn load() -> Mapping {
    super::recipe_yaml::load("gitlab", FILE)
}

/// GitLab's `extends:` merge: mappings merge deeply, anything else is replaced.
fn merge(base: &Value, over: &Value) -> Value {
    match (base, over) {
        (Value::Mapping(base), Value::Mapping(over)) => {
            let mut merged = base.clone();
            for (k, v) in over {
                let value = match merged.get(k) {
                    Some(old) => merge(old, v),
                    None => v.clone(),
                };
                merged.insert(k.clone(), value);
            }
            Value::Mapping(merged)
        }
        (_, over) => over.clone(),
    }
}

/// The job `name` with its `extends:` resolved.
pub fn job(config: &Mapping, name: &str) -> Mapping {
    let raw = key(config, name)
        .and_then(Value::as_mapping)
        .unwrap_or_else(|| panic!("{FILE}: no job `{name}`"))
        .clone();
    let mut resolved = Value::Mapping(Mapping::new());
    if let Some(extends) = key(&raw, "extends") {
        let parents: Vec<String> = match extends {
            Value::Sequence(list) => list.iter().map(string).collect(),
            other => vec![string(other)],
        };
        for parent in parents {
            resolved = merge(&resolved, &Value::Mapping(job(config, &parent)));
        }
    }
    let mut job = merge(&resolved, &Value::Mapping(raw))
        .as_mapping()
        .unwrap()
        .clone();
    job.remove(Value::String("extends".into()));
    for k in job.keys() {
        let k = string(k);
        assert!(
            [
                "image",
                "before_script",
                "script",
                "stage",
                "rules",
                "variables",
                "artifacts",
                "resource_group",
                "environment",
            ]
            .contains(&k.as_str()),
            "{FILE}: job `{name}`: `{k}` is not supported by the harness"
        );
    }
    job
}

/// The environment a job deploys to, if any.
pub fn environment(job: &Mapping) -> Option<String> {
    key(job, "environment").map(|value| match value {
        Value::Mapping(map) => string(key(map, "name").expect("environment.name")),
        other => string(other),
    })
}

/// `$NAME` and `${NAME}` in `value`, expanded from `known` (GitLab leaves an unknown one as
/// it is).
fn expand(value: &str, known: &HashMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find('$') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let (name, used) = if let Some(braced) = after.strip_prefix('{') {
            let end = braced.find('}').expect("an unterminated ${");
            (&braced[..end], end + 2)
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..end], end)
        };
        match known.get(name) {
            Some(value) => out.push_str(value),
            None => {
                write!(out, "${}", &after[..used]).unwrap();
            }
        }
        rest = &after[used..];
    }
    out.push_str(rest);
    out
}

/// The job's `rules:` as text, to check which pipelines it runs in.
pub fn rules(job: &Mapping) -> String {
    serde_yaml_ng::to_string(key(job, "rules").expect("rules")).unwrap()
}

fn lines(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_sequence)
        .map(|list| list.iter().map(string).collect())
        .unwrap_or_default()
}

impl Runner {
    /// Runs job `name` in a new pipeline for `event`, and records both in the fake API.
    pub fn run(&self, name: &str, event: &Event) -> JobRun {
        let config = load();
        let job = job(&config, name);
        let before = lines(key(&job, "before_script")).join("\n");
        for needle in [
            "$SWITCHBOARD_RELEASES/v$SWITCHBOARD_VERSION/$archive",
            "SHA256SUMS",
            "sha256sum -c",
        ] {
            assert!(
                before.contains(needle),
                "{FILE}: job `{name}`: before_script must download the release and check it \
                 against its SHA256SUMS (no `{needle}`): {before}"
            );
        }
        let (pipeline_id, job_id) = {
            let mut state = self.forge.state();
            (state.gitlab.id(), state.gitlab.id())
        };
        let workspace = self.root.join(format!("job-{job_id}"));
        copy_dir(&self.checkout, &workspace);

        let mut env = clean_env(&self.bin);
        env.extend(self.runner_env.iter().cloned());
        let (source, sha) = match event {
            Event::MergeRequest { sha, .. } => ("merge_request_event", sha.clone()),
            Event::Push { sha } => ("push", sha.clone()),
            Event::Schedule => (
                "schedule",
                "9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c".to_string(),
            ),
        };
        for (k, v) in [
            ("CI", "true".to_string()),
            ("GITLAB_CI", "true".into()),
            ("CI_API_V4_URL", format!("{}/api/v4", self.forge.url)),
            ("CI_PROJECT_ID", GITLAB_PROJECT_ID.to_string()),
            ("CI_PROJECT_DIR", workspace.display().to_string()),
            ("CI_PIPELINE_SOURCE", source.into()),
            ("CI_PIPELINE_ID", pipeline_id.to_string()),
            ("CI_JOB_ID", job_id.to_string()),
            ("CI_JOB_NAME", name.into()),
            ("CI_COMMIT_SHA", sha.clone()),
            ("CI_DEFAULT_BRANCH", "main".into()),
        ] {
            env.push((k.into(), v));
        }
        match event {
            Event::MergeRequest {
                iid, diff_base_sha, ..
            } => {
                env.push(("CI_MERGE_REQUEST_IID".into(), iid.to_string()));
                env.push((
                    "CI_MERGE_REQUEST_DIFF_BASE_SHA".into(),
                    diff_base_sha.clone(),
                ));
            }
            Event::Push { .. } | Event::Schedule => {
                env.push(("CI_COMMIT_BRANCH".into(), "main".into()))
            }
        }
        // The project's variables: protected ones only in a protected branch's pipeline, and
        // then only for the environment they are scoped to.
        let mut project = self.variables.clone();
        let protected_ref = !matches!(event, Event::MergeRequest { .. });
        if let Some(scoped) = environment(&job)
            .filter(|_| protected_ref)
            .and_then(|environment| self.protected_variables.get(&environment))
        {
            project.extend(scoped.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        let mut known: HashMap<String, String> = env.iter().cloned().collect();
        known.extend(project.iter().map(|(k, v)| (k.clone(), v.clone())));
        for scope in [key(&config, "variables"), key(&job, "variables")]
            .into_iter()
            .flatten()
        {
            for (k, v) in scope.as_mapping().expect("variables") {
                let value = expand(&string(v), &known);
                known.insert(string(k), value.clone());
                env.push((string(k), value));
            }
        }
        // A project variable wins over one of the same name in the file.
        env.extend(project.iter().map(|(k, v)| (k.clone(), v.clone())));

        let script = format!(
            "set -eo pipefail\n{}\n",
            lines(key(&job, "script")).join("\n")
        );
        let output = Command::new("bash")
            .args(["--noprofile", "--norc", "-c", &script])
            .current_dir(&workspace)
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        let success = output.status.success();
        let log = format!(
            "--- job {name} ({job_id}): {}\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );

        if let Some(artifacts) = key(&job, "artifacts").and_then(Value::as_mapping) {
            let when = key(artifacts, "when").map_or("on_success".to_string(), string);
            if success || when == "always" {
                for path in lines(key(artifacts, "paths")) {
                    let source = workspace.join(&path);
                    if source.is_file() {
                        let target = self
                            .forge
                            .gitlab_artifacts
                            .join(job_id.to_string())
                            .join(&path);
                        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                        std::fs::copy(&source, &target).unwrap();
                    }
                }
            }
        }

        let mut state = self.forge.state();
        state.gitlab.pipelines.push(Pipeline {
            id: pipeline_id,
            sha,
            success,
            jobs: vec![(job_id, name.to_string(), success)],
        });
        if let Event::MergeRequest { iid, .. } = event {
            let mr = state
                .gitlab
                .merge_requests
                .iter_mut()
                .find(|mr| mr.iid == *iid)
                .expect("the merge request exists");
            mr.head_pipeline = Some(pipeline_id);
        }
        JobRun {
            job_id,
            success,
            log,
            env,
        }
    }
}
