//! Every shell command in the documentation, and the CI recipes, run against the simulator.
//!
//! # Documented commands
//!
//! - Every fenced block whose info string is `sh` or `bash`, in `README.md` and in every
//!   `docs/**/*.md`, is **run**. A block whose info string is `sh real-org` (or
//!   `bash real-org`) needs a real Genesys Cloud org: it is only checked, with `bash -n`, and
//!   every `switchboard SUBCOMMAND --flag` in it must name a subcommand whose `--help` lists
//!   that flag. A block whose info string is `sh dev` holds switchboard's own development
//!   commands (`cargo bench`, a `cargo test` of one suite, `cargo deny`): they need the
//!   source tree, minutes or the network, and are checked like `real-org` blocks; README.md
//!   and the recipes may not have any. Any other attribute on an `sh` block fails the test; other languages (`yaml`,
//!   `text`, `console`, ...) are neither run nor checked.
//! - Each Markdown file is one session: its run blocks' commands run in order in ONE bash
//!   process (so `export` carries over), in a fresh directory holding copies of the
//!   repository's `examples/` and `schemas/` (a `git init`ed directory, so
//!   `git -C examples/quickstart apply ../../adopt.patch` works). The files run one after
//!   another in one test, so the README's simulator port does not clash.
//! - A command is a line, with `\` continuations joined and lines gathered until they are
//!   complete shell syntax; blank and comment-only lines are skipped.
//! - `cargo run --release -- ` is replaced by the binary under test, which is on PATH as
//!   `switchboard`. `cargo test --workspace` (the CI itself) is the only command not run; any
//!   other `cargo` command fails the test.
//! - A `switchboard` command must exit 0 or 2 (2 is "changes" or "drift"); any other command
//!   must exit 0. `switchboard sim ...` runs in the background and the session waits until
//!   its port (`--port`, default 8089) answers; it is stopped when the session ends, also on
//!   failure. `switchboard watch ...` is interrupted (SIGINT) after 3 s: it must still have
//!   been running, with nothing on stderr that says error.
//! - The session's environment has no `GENESYS_*` or `SWITCHBOARD_*` variable of the test's.
//!
//! # Recipes
//!
//! The workflow files of docs/recipes/ are parsed and their jobs run, step by step, as
//! GitHub Actions and GitLab CI would (see [`github`] and [`gitlab`]), against a fake
//! GitHub/GitLab API ([`forge`]) and an in-process simulator seeded with
//! `examples/sim-org.yaml`; the repository checked out holds `examples/quickstart` as
//! `manifests/`. The step named `Install switchboard` (GitHub) and a job's `before_script`
//! (GitLab) are not run: the binary under test is on PATH instead. The simulator's URLs are
//! in the runner's environment (`GENESYS_BASE_URL`, `GENESYS_LOGIN_URL`); the secrets
//! `GENESYS_REGION`, `GENESYS_CLIENT_ID` and `GENESYS_CLIENT_SECRET` are the demo client's.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod forge;
mod github;
mod gitlab;
mod markdown;
mod recipe_yaml;
mod session;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::json;
use switchboard_sim::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, RunningSim};

use crate::org::{example, out, seeded_sim};
use forge::Forge;
use markdown::{Treatment, commands, shell_blocks};
use session::{EXEMPT, Kind, clean_env, copy_dir, repo_root};

/// A fresh directory of this test process's own.
pub fn scratch_dir(name: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "switchboard-doc-{name}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A directory holding `switchboard`: the binary under test.
fn bin_dir(root: &Path) -> PathBuf {
    let bin = root.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_switchboard"), bin.join("switchboard")).unwrap();
    bin
}

/// README.md and every docs/**/*.md, relative to the repository, README first.
fn markdown_files(repo: &Path) -> Vec<String> {
    fn walk(dir: &Path, repo: &Path, files: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, repo, files);
            } else if path.extension().is_some_and(|e| e == "md") {
                files.push(path.strip_prefix(repo).unwrap().display().to_string());
            }
        }
    }
    let mut docs = Vec::new();
    walk(&repo.join("docs"), repo, &mut docs);
    docs.sort();
    let mut files = vec!["README.md".to_string()];
    files.extend(docs);
    files
}

/// Whether `file` may hold a block treated so: `sh dev` is for the developer docs only.
fn dev_block_allowed(file: &str, treatment: Treatment) -> bool {
    treatment != Treatment::Dev || !(file == "README.md" || file.starts_with("docs/recipes/"))
}

#[test]
fn every_documented_shell_command_runs() {
    let repo = repo_root();
    let root = scratch_dir("docs");
    let bin = bin_dir(&root);
    let files = markdown_files(&repo);
    assert!(
        files.iter().any(|f| f == "docs/recipes/github-actions.md")
            && files.iter().any(|f| f == "docs/recipes/gitlab-ci.md"),
        "{files:?}"
    );

    let mut failures = Vec::new();
    let mut help = HashMap::new();
    let mut ran = Vec::new();
    let mut checked = 0;
    for file in &files {
        let text = std::fs::read_to_string(repo.join(file)).unwrap();
        let blocks = shell_blocks(&text, file);
        for block in blocks
            .iter()
            .filter(|b| matches!(b.treatment, Treatment::RealOrg | Treatment::Dev))
        {
            // Only the docs for people who work on switchboard itself may hold `dev` blocks.
            assert!(
                dev_block_allowed(file, block.treatment),
                "{file}:{}: `sh dev` blocks belong in docs for switchboard's developers, not in README.md or the recipes",
                block.line
            );
            checked += 1;
            failures.extend(session::check_real_org(file, block, &mut help));
        }
        if file == "README.md" {
            let run: Vec<_> = blocks
                .iter()
                .filter(|b| b.treatment == Treatment::Run)
                .collect();
            assert!(
                run.len() >= 5,
                "README.md has only {} run blocks",
                run.len()
            );
            let exempt = run
                .iter()
                .flat_map(|b| commands(b))
                .filter(|c| session::kind(&c.text) == Kind::Exempt)
                .count();
            assert_eq!(exempt, 1, "README.md shows `{EXEMPT}` once");
        }
        if blocks.iter().any(|b| b.treatment == Treatment::Run) {
            let started = std::time::Instant::now();
            let result = session::run_file(&repo, file, &blocks, &bin);
            eprintln!("{file}: {:.1} s", started.elapsed().as_secs_f64());
            match result {
                Ok(count) => ran.push((file.clone(), count)),
                Err(failure) => failures.push(*failure),
            }
        }
    }
    let readme = ran
        .iter()
        .find(|(f, _)| f == "README.md")
        .map_or(0, |(_, n)| *n);
    assert!(
        failures.is_empty(),
        "{} documented command(s) failed (ran: {ran:?}; {checked} real-org blocks checked):\n\n{}",
        failures.len(),
        failures
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n\n")
    );
    assert!(readme >= 15, "only {readme} README commands ran");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn the_harness_reads_commands_as_a_reader_types_them() {
    let text = "```sh\n# a comment\ncargo run --release -- sim --port 9 \\\n  --seed x.yaml\n\
                if true; then\n  echo yes\nfi\ncargo test --workspace   # the tests\n```\n\
                ```sh real-org\nswitchboard plan m/ --out p.json\n```\n```yaml\na: 1\n```\n";
    let blocks = shell_blocks(text, "t.md");
    assert_eq!(blocks.len(), 2);
    assert_eq!(blocks[1].treatment, Treatment::RealOrg);
    let commands = commands(&blocks[0]);
    let kinds: Vec<Kind> = commands.iter().map(|c| session::kind(&c.text)).collect();
    assert_eq!(kinds, [Kind::Sim { port: 9 }, Kind::Other, Kind::Exempt]);
    assert_eq!(commands[0].line, 3);
    assert_eq!(commands[1].text, "if true; then\n  echo yes\nfi");
    assert_eq!(
        markdown::switchboard_uses(
            "A=1 switchboard plan m --out=p.json > x.md && switchboard apply p.json"
        ),
        [
            ("plan".to_string(), vec!["--out".to_string()]),
            ("apply".to_string(), vec![])
        ]
    );
    let mut help = HashMap::new();
    let real_org = shell_blocks(
        "```sh real-org\nswitchboard plan m/ --out p.json --detailed-exitcode\n\
         switchboard plan m/ --no-such-flag\nswitchboard deploy m/\nif then\n```\n",
        "t.md",
    );
    let failures: Vec<String> = session::check_real_org("t.md", &real_org[0], &mut help)
        .iter()
        .map(|f| f.reason.clone())
        .collect();
    assert_eq!(
        failures,
        [
            "not valid bash (bash -n)",
            "`switchboard plan --help` does not list --no-such-flag",
            "`switchboard deploy` is not a subcommand",
        ]
    );
    assert_eq!(
        session::kind("switchboard watch m --interval 1m"),
        Kind::Watch
    );
    assert_eq!(session::kind("cargo bench -p x"), Kind::Cargo);
    assert_eq!(session::kind("FOO=1 switchboard plan m"), Kind::Switchboard);
}

// ---------------------------------------------------------------------------------------
// The recipes' scenarios.

const MARKER: &str = "<!-- switchboard-plan -->";
const PR_HEAD: &str = "1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a";
const PR_HEAD_2: &str = "2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b";
const MERGE: &str = "3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c";
const STALE_HEAD: &str = "4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d";
const STALE_MERGE: &str = "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e";

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// The runner's environment for a simulator: its URLs stand in for a region.
fn sim_env(sim: &RunningSim) -> Vec<(String, String)> {
    vec![
        ("GENESYS_BASE_URL".into(), sim.base_url()),
        ("GENESYS_LOGIN_URL".into(), sim.base_url()),
    ]
}

fn genesys_secrets() -> HashMap<String, String> {
    HashMap::from([
        ("GENESYS_REGION".into(), "mypurecloud.ie".into()),
        ("GENESYS_CLIENT_ID".into(), DEMO_CLIENT_ID.into()),
        ("GENESYS_CLIENT_SECRET".into(), DEMO_CLIENT_SECRET.into()),
    ])
}

/// The binary run directly, in `dir`, against `sim`.
fn direct(sim: &RunningSim, bin: &Path, dir: &Path, args: &[&str]) -> Output {
    Command::new("switchboard")
        .args(args)
        .current_dir(dir)
        .env_clear()
        .envs(clean_env(bin))
        .envs(sim_env(sim))
        .envs(genesys_secrets())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

/// The plan's Markdown, as the recipe should post it.
fn plan_markdown(sim: &RunningSim, bin: &Path, repo: &Path) -> String {
    let plan = direct(
        sim,
        bin,
        repo,
        &["plan", "manifests", "--format", "markdown"],
    );
    assert_eq!(plan.status.code(), Some(0), "{}", out(&plan));
    String::from_utf8(plan.stdout).unwrap()
}

/// Makes the org match the manifest.
fn apply_manifest(sim: &RunningSim, bin: &Path, repo: &Path) {
    let apply = direct(
        sim,
        bin,
        repo,
        &[
            "apply",
            "manifests",
            "--auto-approve",
            "--audit-log",
            "/dev/null",
        ],
    );
    assert_eq!(apply.status.code(), Some(0), "{}", out(&apply));
}

fn assert_in_sync(sim: &RunningSim, bin: &Path, repo: &Path) {
    let plan = direct(
        sim,
        bin,
        repo,
        &["plan", "manifests", "--detailed-exitcode"],
    );
    assert_eq!(
        plan.status.code(),
        Some(0),
        "a plan after apply has changes:\n{}",
        out(&plan)
    );
}

/// Requests that change the org (searches and audit queries are reads).
fn writes(sim: &RunningSim) -> Vec<String> {
    sim.journal()
        .iter()
        .filter(|e| e.path.starts_with("/api/v2/") && e.method != "GET")
        .filter(|e| !e.path.ends_with("/search") && !e.path.starts_with("/api/v2/audits/"))
        .map(|e| format!("{} {}", e.method, e.path))
        .collect()
}

/// The repository the jobs check out: the quickstart as `manifests/`.
fn fake_repo(root: &Path) -> PathBuf {
    let repo = root.join("repo");
    copy_dir(Path::new(&example("quickstart")), &repo.join("manifests"));
    repo
}

/// A pushed commit that changes a queue setting the plan then updates.
fn push_an_edit(repo: &Path) {
    let file = repo.join("manifests/manifest.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replacen(
        "alertingTimeoutSeconds: 8,",
        "alertingTimeoutSeconds: 9,",
        1,
    );
    assert_ne!(
        text, edited,
        "the quickstart sets Billing EN's alerting timeout to 8"
    );
    std::fs::write(&file, edited).unwrap();
}

/// No call the recipe made was answered with an error, other than the ones a failed job
/// is expected to cause.
fn assert_no_api_errors(forge: &Forge) {
    let errors: Vec<String> = forge
        .state()
        .calls
        .iter()
        .filter(|call| call.status >= 400)
        .map(ToString::to_string)
        .collect();
    assert!(
        errors.is_empty(),
        "API calls that failed: {errors:?}\nall calls:\n{}",
        forge.call_log()
    );
}

fn keys(permissions: &[(String, String)]) -> Vec<String> {
    let mut keys: Vec<String> = permissions
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    keys.sort();
    keys
}

#[test]
fn github_actions_recipe() {
    use github::{Event, Runner};
    let rt = runtime();
    let root = scratch_dir("github");
    let forge = rt.block_on(Forge::start(root.join("gitlab-artifacts")));
    let sim = rt.block_on(seeded_sim());
    let bin = bin_dir(&root);
    let repo = fake_repo(&root);

    // The workflows' shape: triggers, least privilege, one apply at a time, the install step.
    for (file, permissions) in [
        ("plan.yml", vec!["contents: read", "pull-requests: write"]),
        (
            "apply.yml",
            vec!["actions: read", "contents: read", "pull-requests: read"],
        ),
        ("drift.yml", vec!["contents: read", "issues: write"]),
    ] {
        let workflow = github::load(file);
        assert_eq!(keys(&github::permissions(&workflow)), permissions, "{file}");
        let on = serde_yaml_ng::to_string(&workflow["on"]).unwrap();
        let expected: &[&str] = match file {
            "plan.yml" => &["pull_request:", "manifests/**"],
            "apply.yml" => &["push:", "- main", "manifests/**"],
            _ => &["schedule:", "cron:", "workflow_dispatch"],
        };
        for needle in expected {
            assert!(on.contains(needle), "{file}: `on:` lacks {needle}:\n{on}");
        }
        assert!(
            workflow["env"]["SWITCHBOARD_GIT"].as_str().is_some(),
            "{file}: env.SWITCHBOARD_GIT"
        );
        let (_, job) = github::job(&workflow);
        let installs = job["steps"]
            .as_sequence()
            .unwrap()
            .iter()
            .filter(|s| s["name"].as_str() == Some(github::INSTALL_STEP))
            .count();
        assert_eq!(installs, 1, "{file}: one `{}` step", github::INSTALL_STEP);
    }
    let apply_workflow = github::load("apply.yml");
    assert!(apply_workflow["concurrency"]["group"].as_str().is_some());
    assert_eq!(
        apply_workflow["concurrency"]["cancel-in-progress"].as_bool(),
        Some(false)
    );

    let mut runner = Runner {
        forge: forge.clone(),
        checkout: repo.clone(),
        artifacts: root.join("artifacts"),
        bin: bin.clone(),
        root: root.clone(),
        runner_env: sim_env(&sim),
        secrets: genesys_secrets(),
    };
    let pull = |number: u64, head: &str, merged: Option<&str>| {
        let mut state = forge.state();
        let issues = &mut state.github.issues;
        if !issues.iter().any(|i| i.number == number) {
            issues.push(forge::Issue {
                number,
                title: format!("Routing change #{number}"),
                ..forge::Issue::default()
            });
        }
        let issue = issues.iter_mut().find(|i| i.number == number).unwrap();
        issue.open = merged.is_none();
        issue.pull = Some((head.to_string(), merged.map(str::to_string)));
    };
    let comments = |number: u64| forge.state().github.issue(number).comments.clone();

    // A pull request with changes: one comment with the plan, the summary, the artifact.
    pull(7, PR_HEAD, None);
    let expected = plan_markdown(&sim, &bin, &repo);
    let first = runner.run(
        "plan.yml",
        &Event::PullRequest {
            number: 7,
            head_sha: PR_HEAD.into(),
        },
    );
    assert!(first.success, "{}\ncalls:\n{}", first.log, forge.call_log());
    let posted = comments(7);
    assert_eq!(posted.len(), 1, "{posted:?}");
    assert_eq!(posted[0].body, format!("{MARKER}\n{expected}"));
    assert!(
        first.summary.contains(&expected),
        "job summary: {}",
        first.summary
    );
    let plan_file = github::artifact(&runner, first.run_id, "switchboard-plan").join("plan.json");
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&plan_file).unwrap()).unwrap();
    assert_eq!(plan["format_version"], "1.0");
    assert!(
        plan["resource_changes"]
            .as_array()
            .is_some_and(|c| !c.is_empty())
    );

    // A second push: the same comment, updated.
    push_an_edit(&repo);
    pull(7, PR_HEAD_2, None);
    let expected_2 = plan_markdown(&sim, &bin, &repo);
    assert_ne!(expected, expected_2);
    let second = runner.run(
        "plan.yml",
        &Event::PullRequest {
            number: 7,
            head_sha: PR_HEAD_2.into(),
        },
    );
    assert!(second.success, "{}", second.log);
    let updated = comments(7);
    assert_eq!(updated.len(), 1, "still one comment: {updated:?}");
    assert_eq!(updated[0].id, posted[0].id);
    assert_eq!(updated[0].body, format!("{MARKER}\n{expected_2}"));
    assert_eq!(forge.calls("POST", "/issues/7/comments").len(), 1);
    assert_eq!(
        forge
            .calls("PATCH", &format!("/issues/comments/{}", posted[0].id))
            .len(),
        1
    );
    assert_no_api_errors(&forge);

    // The merge: the newest plan of the pull request's head is applied; nothing is left.
    pull(7, PR_HEAD_2, Some(MERGE));
    let apply = runner.run("apply.yml", &Event::Push { sha: MERGE.into() });
    assert!(apply.success, "{}\ncalls:\n{}", apply.log, forge.call_log());
    assert!(
        !forge
            .calls("GET", &format!("head_sha={PR_HEAD_2}"))
            .is_empty()
    );
    assert!(
        github::artifact(&runner, apply.run_id, "switchboard-audit")
            .join("switchboard-audit.jsonl")
            .is_file()
    );
    assert_in_sync(&sim, &bin, &repo);
    assert_no_api_errors(&forge);

    // A stale plan: the org changed out of band after the plan; apply refuses, writes nothing.
    let stale_sim = rt.block_on(seeded_sim());
    runner.runner_env = sim_env(&stale_sim);
    pull(8, STALE_HEAD, None);
    let plan = runner.run(
        "plan.yml",
        &Event::PullRequest {
            number: 8,
            head_sha: STALE_HEAD.into(),
        },
    );
    assert!(plan.success, "{}", plan.log);
    stale_sim
        .admin()
        .set_queue_field(
            "Billing EN",
            "/description",
            json!("Edited in the admin UI"),
        )
        .unwrap();
    stale_sim.clear_journal();
    pull(8, STALE_HEAD, Some(STALE_MERGE));
    let refused = runner.run(
        "apply.yml",
        &Event::Push {
            sha: STALE_MERGE.into(),
        },
    );
    assert!(
        !refused.success,
        "a stale plan was applied:\n{}",
        refused.log
    );
    assert!(refused.log.contains("the plan is stale"), "{}", refused.log);
    assert_eq!(
        writes(&stale_sim),
        Vec::<String>::new(),
        "nothing was written"
    );

    // Drift, tracked in one issue.
    let drift_sim = rt.block_on(seeded_sim());
    runner.runner_env = sim_env(&drift_sim);
    apply_manifest(&drift_sim, &bin, &repo);
    let drift_issues = |forge: &Forge| -> Vec<forge::Issue> {
        forge
            .state()
            .github
            .issues
            .iter()
            .filter(|i| i.labels.iter().any(|l| l == "switchboard-drift"))
            .cloned()
            .collect()
    };
    let in_sync = runner.run("drift.yml", &Event::Schedule);
    assert!(in_sync.success, "{}", in_sync.log);
    assert!(drift_issues(&forge).is_empty(), "no issue while in sync");

    drift_sim
        .admin()
        .set_queue_field(
            "Billing EN",
            "/description",
            json!("Edited in the admin UI"),
        )
        .unwrap();
    let drifted = runner.run("drift.yml", &Event::Schedule);
    assert!(drifted.success, "{}", drifted.log);
    let opened = drift_issues(&forge);
    assert_eq!(opened.len(), 1, "{opened:?}");
    assert!(opened[0].open);
    assert!(
        opened[0].body.contains("Edited in the admin UI"),
        "{}",
        opened[0].body
    );
    assert_eq!(drifted.summary, opened[0].body);

    drift_sim
        .admin()
        .set_member_ring("Billing EN", "bo.berg@example.com", 3)
        .unwrap();
    let still = runner.run("drift.yml", &Event::Schedule);
    assert!(still.success, "{}", still.log);
    let updated = drift_issues(&forge);
    assert_eq!(updated.len(), 1, "still one issue: {updated:?}");
    assert_eq!(updated[0].number, opened[0].number);
    assert!(updated[0].open);
    assert_ne!(
        updated[0].body, opened[0].body,
        "the body follows the drift"
    );

    // An error fails the job and leaves the issue alone.
    forge.clear_calls();
    runner
        .secrets
        .insert("GENESYS_CLIENT_SECRET".into(), "not-the-secret".into());
    let error = runner.run("drift.yml", &Event::Schedule);
    assert!(
        !error.success,
        "a drift error must fail the job:\n{}",
        error.log
    );
    assert!(
        forge.state().calls.is_empty(),
        "no API call after an error: {}",
        forge.call_log()
    );
    assert!(drift_issues(&forge)[0].open);
    runner.secrets = genesys_secrets();

    apply_manifest(&drift_sim, &bin, &repo);
    let cleared = runner.run("drift.yml", &Event::Schedule);
    assert!(cleared.success, "{}", cleared.log);
    let closed = drift_issues(&forge);
    assert_eq!(closed.len(), 1);
    assert!(!closed[0].open, "the issue is closed once in sync");
    assert_eq!(
        closed[0].comments.last().map(|c| c.body.as_str()),
        Some("The org matches the manifest again.")
    );
    assert_no_api_errors(&forge);

    drop(rt);
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn gitlab_ci_recipe() {
    use gitlab::{Event, Runner};
    let rt = runtime();
    let root = scratch_dir("gitlab");
    let forge = rt.block_on(Forge::start(root.join("gitlab-artifacts")));
    let sim = rt.block_on(seeded_sim());
    let bin = bin_dir(&root);
    let repo = fake_repo(&root);

    // The jobs' shape: which pipelines they run in, one apply at a time.
    let config = gitlab::load();
    for (name, needles) in [
        (
            "plan",
            &[
                "$CI_PIPELINE_SOURCE == \"merge_request_event\"",
                "manifests/**",
            ][..],
        ),
        (
            "apply",
            &["$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", "manifests/**"][..],
        ),
        ("drift", &["$CI_PIPELINE_SOURCE == \"schedule\""][..]),
    ] {
        let rules = gitlab::rules(&gitlab::job(&config, name));
        for needle in needles {
            assert!(
                rules.contains(needle),
                "job {name}: rules lack {needle}:\n{rules}"
            );
        }
    }
    let apply_job = gitlab::job(&config, "apply");
    assert!(
        apply_job
            .get("resource_group")
            .and_then(|v| v.as_str())
            .is_some()
    );
    assert!(
        config.get("variables").unwrap()["SWITCHBOARD_GIT"]
            .as_str()
            .is_some()
    );

    let mut runner = Runner {
        forge: forge.clone(),
        checkout: repo.clone(),
        bin: bin.clone(),
        root: root.clone(),
        runner_env: sim_env(&sim),
        variables: genesys_secrets()
            .into_iter()
            .chain([(
                "SWITCHBOARD_GITLAB_TOKEN".to_string(),
                forge::GITLAB_TOKEN.to_string(),
            )])
            .collect(),
    };
    let merge_request = |iid: u64, sha: &str, merged: Option<&str>| {
        let mut state = forge.state();
        let mrs = &mut state.gitlab.merge_requests;
        let previous = mrs.iter().position(|m| m.iid == iid).map(|i| mrs.remove(i));
        let mut mr = previous.unwrap_or_else(|| forge::Thread {
            iid,
            ..forge::Thread::default()
        });
        mr.sha = sha.to_string();
        mr.open = merged.is_none();
        mr.merge_commit_sha = merged.map(str::to_string);
        mrs.push(mr);
    };
    let notes = |iid: u64| {
        forge
            .state()
            .gitlab
            .merge_requests
            .iter()
            .find(|m| m.iid == iid)
            .unwrap()
            .notes
            .clone()
    };
    let artifact = |job: u64, path: &str| forge.gitlab_artifacts.join(job.to_string()).join(path);

    // A merge request with changes: one note with the plan, the artifacts.
    merge_request(5, PR_HEAD, None);
    let expected = plan_markdown(&sim, &bin, &repo);
    let first = runner.run(
        "plan",
        &Event::MergeRequest {
            iid: 5,
            sha: PR_HEAD.into(),
        },
    );
    assert!(first.success, "{}\ncalls:\n{}", first.log, forge.call_log());
    let posted = notes(5);
    assert_eq!(posted.len(), 1, "{posted:?}");
    assert_eq!(posted[0].body, format!("{MARKER}\n{expected}"));
    assert_eq!(
        std::fs::read_to_string(artifact(first.job_id, "plan.md")).unwrap(),
        expected
    );
    assert!(artifact(first.job_id, "plan.json").is_file());

    // A second push: the same note, updated.
    push_an_edit(&repo);
    merge_request(5, PR_HEAD_2, None);
    let expected_2 = plan_markdown(&sim, &bin, &repo);
    let second = runner.run(
        "plan",
        &Event::MergeRequest {
            iid: 5,
            sha: PR_HEAD_2.into(),
        },
    );
    assert!(second.success, "{}", second.log);
    let updated = notes(5);
    assert_eq!(updated.len(), 1, "still one note: {updated:?}");
    assert_eq!(updated[0].id, posted[0].id);
    assert_eq!(updated[0].body, format!("{MARKER}\n{expected_2}"));
    assert_eq!(
        forge
            .calls("PUT", &format!("/notes/{}", posted[0].id))
            .len(),
        1
    );
    assert_no_api_errors(&forge);

    // The merge: the plan of the merge request's head pipeline is applied.
    merge_request(5, PR_HEAD_2, Some(MERGE));
    let apply = runner.run("apply", &Event::Push { sha: MERGE.into() });
    assert!(apply.success, "{}\ncalls:\n{}", apply.log, forge.call_log());
    assert!(
        !forge
            .calls(
                "GET",
                &format!("/jobs/{}/artifacts/plan.json", second.job_id)
            )
            .is_empty()
    );
    assert!(artifact(apply.job_id, "switchboard-audit.jsonl").is_file());
    assert_in_sync(&sim, &bin, &repo);
    assert_no_api_errors(&forge);

    // A stale plan.
    let stale_sim = rt.block_on(seeded_sim());
    runner.runner_env = sim_env(&stale_sim);
    merge_request(6, STALE_HEAD, None);
    let plan = runner.run(
        "plan",
        &Event::MergeRequest {
            iid: 6,
            sha: STALE_HEAD.into(),
        },
    );
    assert!(plan.success, "{}", plan.log);
    stale_sim
        .admin()
        .set_queue_field(
            "Billing EN",
            "/description",
            json!("Edited in the admin UI"),
        )
        .unwrap();
    stale_sim.clear_journal();
    merge_request(6, STALE_HEAD, Some(STALE_MERGE));
    let refused = runner.run(
        "apply",
        &Event::Push {
            sha: STALE_MERGE.into(),
        },
    );
    assert!(
        !refused.success,
        "a stale plan was applied:\n{}",
        refused.log
    );
    assert!(refused.log.contains("the plan is stale"), "{}", refused.log);
    assert_eq!(
        writes(&stale_sim),
        Vec::<String>::new(),
        "nothing was written"
    );

    // Drift, tracked in one issue.
    let drift_sim = rt.block_on(seeded_sim());
    runner.runner_env = sim_env(&drift_sim);
    apply_manifest(&drift_sim, &bin, &repo);
    let drift_issues = |forge: &Forge| -> Vec<forge::Thread> {
        forge
            .state()
            .gitlab
            .issues
            .iter()
            .filter(|i| i.labels.iter().any(|l| l == "switchboard-drift"))
            .cloned()
            .collect()
    };
    let in_sync = runner.run("drift", &Event::Schedule);
    assert!(in_sync.success, "{}", in_sync.log);
    assert!(drift_issues(&forge).is_empty(), "no issue while in sync");

    drift_sim
        .admin()
        .set_queue_field(
            "Billing EN",
            "/description",
            json!("Edited in the admin UI"),
        )
        .unwrap();
    let drifted = runner.run("drift", &Event::Schedule);
    assert!(drifted.success, "{}", drifted.log);
    let opened = drift_issues(&forge);
    assert_eq!(opened.len(), 1, "{opened:?}");
    assert!(opened[0].open);
    assert!(opened[0].description.contains("Edited in the admin UI"));
    assert_eq!(
        std::fs::read_to_string(artifact(drifted.job_id, "drift.md")).unwrap(),
        opened[0].description
    );

    drift_sim
        .admin()
        .set_member_ring("Billing EN", "bo.berg@example.com", 3)
        .unwrap();
    let still = runner.run("drift", &Event::Schedule);
    assert!(still.success, "{}", still.log);
    let updated = drift_issues(&forge);
    assert_eq!(updated.len(), 1, "still one issue: {updated:?}");
    assert_eq!(updated[0].iid, opened[0].iid);
    assert!(updated[0].open);
    assert_ne!(updated[0].description, opened[0].description);

    forge.clear_calls();
    runner
        .variables
        .insert("GENESYS_CLIENT_SECRET".into(), "not-the-secret".into());
    let error = runner.run("drift", &Event::Schedule);
    assert!(
        !error.success,
        "a drift error must fail the job:\n{}",
        error.log
    );
    assert!(
        forge.state().calls.is_empty(),
        "no API call after an error: {}",
        forge.call_log()
    );
    assert!(drift_issues(&forge)[0].open);
    runner
        .variables
        .insert("GENESYS_CLIENT_SECRET".into(), DEMO_CLIENT_SECRET.into());

    apply_manifest(&drift_sim, &bin, &repo);
    let cleared = runner.run("drift", &Event::Schedule);
    assert!(cleared.success, "{}", cleared.log);
    let closed = drift_issues(&forge);
    assert_eq!(closed.len(), 1);
    assert!(!closed[0].open, "the issue is closed once in sync");
    assert_eq!(
        closed[0].notes.last().map(|c| c.body.as_str()),
        Some("The org matches the manifest again.")
    );
    assert_no_api_errors(&forge);

    drop(rt);
    let _ = std::fs::remove_dir_all(&root);
}
