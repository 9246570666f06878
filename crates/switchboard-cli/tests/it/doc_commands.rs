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
//!   and the recipes may not have any. A block whose info string is `sh install` installs
//!   switchboard itself (a release download, the container image, `cargo install`): it needs
//!   the network or a container engine, and is checked like `real-org` blocks, in any file.
//!   Any other attribute on an `sh` block fails the test; other languages (`yaml`,
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
//!   its port answers; it is stopped when the session ends, also on failure. The documented
//!   port, 8089, is replaced in every command by a port free when the test started (and
//!   given to a `sim` without `--port`), so a simulator left running on 8089 changes nothing. `switchboard watch ...` is interrupted (SIGINT) after 3 s: it must still have
//!   been running, with nothing on stderr that says error.
//! - The session's environment has no `GENESYS_*` or `SWITCHBOARD_*` variable of the test's.
//!
//! # Recipes
//!
//! The workflow files of docs/recipes/ are parsed and their jobs run, step by step, as
//! GitHub Actions and GitLab CI would (see [`github`] and [`gitlab`]), against a fake
//! GitHub/GitLab API ([`forge`]) and an in-process simulator seeded with
//! `examples/sim-org.yaml`; the repository checked out is a git work tree holding
//! `examples/quickstart` as `manifests/`, with a pull request's commits on a branch off
//! `main`. GitHub workflows run the repository's `action.yml` as a composite action; its
//! step named `Install switchboard` (GitHub) and a job's `before_script` (GitLab) are not
//! run: the binary under test is on PATH instead. The simulator's URLs are in the runner's
//! environment (`GENESYS_BASE_URL`, `GENESYS_LOGIN_URL`). The simulator accepts two OAuth
//! clients: a read-only one, whose secrets every job may read, and an apply one, whose
//! secrets only the protected `production` environment holds; the tests check from the
//! simulator's journal which client each job used, and that no plan or drift job's
//! environment ever held the apply client's secret.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod forge;
mod github;
mod gitlab;
mod markdown;
mod recipe_yaml;
mod session;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::json;
use switchboard_sim::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Fixture, RunningSim, Sim};

use crate::org::{ORG, example, out};
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
        for block in blocks.iter().filter(|b| {
            matches!(
                b.treatment,
                Treatment::RealOrg | Treatment::Dev | Treatment::Install
            )
        }) {
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
fn the_documented_simulator_port_becomes_a_free_one() {
    let sim = session::as_installed("cargo run --release -- sim --port 8089 --seed x.yaml");
    let port = match session::kind(&sim) {
        Kind::Sim { port } => port,
        other => panic!("{other:?}"),
    };
    assert_ne!(port, 8089);
    assert_eq!(sim, format!("switchboard sim --port {port} --seed x.yaml"));
    assert_eq!(
        session::as_installed("curl http://127.0.0.1:8089/oauth/token"),
        format!("curl http://127.0.0.1:{port}/oauth/token")
    );
    assert_eq!(
        session::as_installed("switchboard sim --seed x.yaml"),
        format!("switchboard sim --port {port} --seed x.yaml")
    );
    // The listener that picked it is gone: the port is free for the session's simulator.
    // Another test's server may take the same ephemeral port meanwhile, for a while: the
    // port must come free within seconds, which a listener kept by the session never would.
    let free = (0..100).any(|_| {
        std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() || {
            std::thread::sleep(std::time::Duration::from_millis(100));
            false
        }
    });
    assert!(free, "port {port} stayed taken");
}

#[test]
fn the_harness_reads_commands_as_a_reader_types_them() {
    let text = "```sh\n# a comment\ncargo run --release -- sim --port 9 \\\n  --seed x.yaml\n\
                if true; then\n  echo yes\nfi\ncargo test --workspace   # the tests\n```\n\
                ```sh real-org\nswitchboard plan m/ --out p.json\n```\n```yaml\na: 1\n```\n\
                ```sh install\ncurl -fsSLO https://example.com/switchboard.tar.gz\n```\n";
    let blocks = shell_blocks(text, "t.md");
    assert_eq!(blocks.len(), 3);
    assert_eq!(blocks[1].treatment, Treatment::RealOrg);
    assert_eq!(blocks[2].treatment, Treatment::Install);
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
// ---------------------------------------------------------------------------------------
// The recipes' scenarios.

const MARKER: &str = "<!-- switchboard-plan -->";
const PR_HEAD: &str = "1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a";
const PR_HEAD_2: &str = "2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b";
const MERGE: &str = "3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c";
const STALE_HEAD: &str = "4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d";
const STALE_MERGE: &str = "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e";
const DOCS_HEAD: &str = "6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f";

/// The read-only OAuth client the plan and drift jobs use.
const PLAN_CLIENT: (&str, &str) = ("switchboard-plan", "plan-client-secret");
/// The apply client, which only the protected deployment environment holds.
const APPLY_CLIENT: (&str, &str) = ("switchboard-apply", "apply-client-secret");
/// The key that seals plan files, shared by the plan and apply jobs.
const PLAN_KEY: &str = "plan-key-of-the-recipe-tests";
/// What the plan job says when a pull request changes no manifest.
const NO_MANIFEST_CHANGES: &str = "No manifest changes";

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// The demo org, accepting the recipes' two OAuth clients (and the demo client, which the
/// test's own checks use).
async fn recipe_sim() -> RunningSim {
    Sim::builder()
        .fixture(Fixture::from_yaml(ORG).unwrap())
        .client(PLAN_CLIENT.0, PLAN_CLIENT.1)
        .client(APPLY_CLIENT.0, APPLY_CLIENT.1)
        .start()
        .await
        .unwrap()
}

/// The runner's environment for a simulator: its URLs stand in for a region.
fn sim_env(sim: &RunningSim) -> Vec<(String, String)> {
    vec![
        ("GENESYS_BASE_URL".into(), sim.base_url()),
        ("GENESYS_LOGIN_URL".into(), sim.base_url()),
    ]
}

fn demo_secrets() -> HashMap<String, String> {
    HashMap::from([
        ("GENESYS_REGION".into(), "mypurecloud.ie".into()),
        ("GENESYS_CLIENT_ID".into(), DEMO_CLIENT_ID.into()),
        ("GENESYS_CLIENT_SECRET".into(), DEMO_CLIENT_SECRET.into()),
    ])
}

/// The secrets every job may read: the region, the read-only client, the plan key.
fn plan_secrets() -> HashMap<String, String> {
    HashMap::from([
        ("GENESYS_REGION".into(), "mypurecloud.ie".into()),
        ("GENESYS_PLAN_CLIENT_ID".into(), PLAN_CLIENT.0.into()),
        ("GENESYS_PLAN_CLIENT_SECRET".into(), PLAN_CLIENT.1.into()),
        ("SWITCHBOARD_PLAN_KEY".into(), PLAN_KEY.into()),
    ])
}

/// The secrets only the `production` environment holds.
fn apply_secrets() -> HashMap<String, String> {
    HashMap::from([
        ("GENESYS_APPLY_CLIENT_ID".into(), APPLY_CLIENT.0.into()),
        ("GENESYS_APPLY_CLIENT_SECRET".into(), APPLY_CLIENT.1.into()),
    ])
}

/// The binary run directly, in `dir`, against `sim`, as the demo client.
fn direct(sim: &RunningSim, bin: &Path, dir: &Path, args: &[&str]) -> Output {
    Command::new("switchboard")
        .args(args)
        .current_dir(dir)
        .env_clear()
        .envs(clean_env(bin))
        .envs(sim_env(sim))
        .envs(demo_secrets())
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

/// The OAuth clients the simulator's journal has requests of.
fn clients(sim: &RunningSim) -> BTreeSet<String> {
    sim.journal()
        .iter()
        .filter_map(|e| e.client_id.clone())
        .collect()
}

/// No step of `run` had `value` anywhere in its environment.
fn assert_env_lacks(steps: &[(String, Vec<(String, String)>)], value: &str, what: &str) {
    for (step, env) in steps {
        for (name, held) in env {
            assert!(
                !held.contains(value),
                "{what}: step `{step}` has the apply client's secret in {name}"
            );
        }
    }
}

/// `git` in `repo`, as a fixed author; its stdout.
fn git(repo: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args([
            "-c",
            "user.name=Routing Team",
            "-c",
            "user.email=routing@example.com",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(repo)
        .output()
        .unwrap();
    assert!(output.status.success(), "git {args:?}: {}", out(&output));
    String::from_utf8(output.stdout).unwrap().trim().to_string()
}

/// Commits every change in `repo`; the new commit's id.
fn commit(repo: &Path, message: &str) -> String {
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", message]);
    git(repo, &["rev-parse", "HEAD"])
}

/// The repository the jobs check out, a git work tree: the quickstart as `manifests/` and a
/// README, committed on `main`. Returns it and the commit.
fn fake_repo(root: &Path) -> (PathBuf, String) {
    let repo = root.join("repo");
    copy_dir(Path::new(&example("quickstart")), &repo.join("manifests"));
    std::fs::write(repo.join("README.md"), "# Routing\n").unwrap();
    git(&repo, &["init", "-q"]);
    let base = commit(&repo, "the routing manifests");
    (repo, base)
}

/// A pull request's branch off `main` that changes the manifests without changing what
/// they say (a comment), so the plan is the plan of `main`'s manifests.
fn branch_touching_manifests(repo: &Path, branch: &str) {
    git(repo, &["checkout", "-q", "-b", branch, "main"]);
    let file = repo.join("manifests/manifest.yaml");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("# Reviewed by the routing team.\n");
    std::fs::write(&file, text).unwrap();
    commit(repo, "manifests: a comment");
}

/// A pull request's branch off `main` that changes only the README.
fn branch_touching_docs(repo: &Path, branch: &str) {
    git(repo, &["checkout", "-q", "-b", branch, "main"]);
    std::fs::write(
        repo.join("README.md"),
        "# Routing\n\nOwned by the routing team.\n",
    )
    .unwrap();
    commit(repo, "docs: who owns this");
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
    commit(repo, "Billing EN: alert for 9 s");
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

/// The `uses:` steps of a workflow's job that run the repository's action, with their
/// `with: command`.
fn action_commands(job: &serde_yaml_ng::Mapping) -> Vec<String> {
    job["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter(|s| s["uses"].as_str().is_some_and(github::is_own_action))
        .map(|s| {
            s["with"]["command"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

#[test]
fn github_action_metadata() {
    let action = github::load_action();
    // The action installs the release of this version unless told otherwise.
    assert_eq!(
        action["inputs"]["version"]["default"].as_str(),
        Some(env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(action["inputs"]["strict"]["default"].as_str(), Some("true"));
    let mut outputs: Vec<&str> = action["outputs"]
        .as_mapping()
        .unwrap()
        .keys()
        .map(|k| k.as_str().unwrap())
        .collect();
    outputs.sort_unstable();
    assert_eq!(
        outputs,
        [
            "add",
            "change",
            "destroy",
            "exit-code",
            "markdown",
            "outcome",
            "plan-file"
        ]
    );
    let steps = action["runs"]["steps"].as_sequence().unwrap();
    let install = steps
        .iter()
        .position(|s| s["name"].as_str() == Some(github::INSTALL_STEP))
        .expect("an install step");
    let cache = steps
        .iter()
        .position(|s| s["uses"].as_str() == Some("actions/cache@v4"))
        .expect("the release is cached");
    assert!(cache < install, "the cache is restored before the install");
    // No input is a credential: inputs are printed in the log.
    for (name, spec) in action["inputs"].as_mapping().unwrap() {
        let name = name.as_str().unwrap();
        assert!(
            !name.contains("secret") && !name.contains("client") && !name.contains("key"),
            "input {name}: credentials come from env, never inputs"
        );
        assert!(
            spec["description"].as_str().is_some_and(|d| !d.is_empty()),
            "input {name} has a description"
        );
    }
}

#[test]
fn github_action_reports_its_outcome() {
    use github::Runner;
    let rt = runtime();
    let root = scratch_dir("github-action");
    let forge = rt.block_on(Forge::start(root.join("gitlab-artifacts")));
    let sim = rt.block_on(recipe_sim());
    let bin = bin_dir(&root);
    let (repo, _) = fake_repo(&root);
    let runner = Runner {
        forge,
        checkout: repo.clone(),
        artifacts: root.join("artifacts"),
        bin: bin.clone(),
        root: root.clone(),
        runner_env: sim_env(&sim),
        secrets: HashMap::new(),
        environment_secrets: HashMap::new(),
    };
    let plan_file = root.join("reviewed.json").display().to_string();
    let plan_client = [
        ("GENESYS_REGION", "mypurecloud.ie"),
        ("GENESYS_CLIENT_ID", PLAN_CLIENT.0),
        ("GENESYS_CLIENT_SECRET", PLAN_CLIENT.1),
        ("SWITCHBOARD_PLAN_KEY", PLAN_KEY),
    ];
    let apply_client = [
        ("GENESYS_REGION", "mypurecloud.ie"),
        ("GENESYS_CLIENT_ID", APPLY_CLIENT.0),
        ("GENESYS_CLIENT_SECRET", APPLY_CLIENT.1),
        ("SWITCHBOARD_PLAN_KEY", PLAN_KEY),
    ];
    let read = |path: &str| std::fs::read_to_string(path).unwrap();

    // A plan with changes: exit 2 is a finding, not a failure; the counts are the file's.
    let expected = plan_markdown(&sim, &bin, &repo);
    let with = [
        ("command", "plan"),
        ("manifest", "manifests"),
        ("plan-file", plan_file.as_str()),
    ];
    let (plan, run) = runner.run_action(&with, &plan_client);
    let plan = plan.unwrap_or_else(|e| panic!("{e}\n{}", run.log));
    assert_eq!(plan["exit-code"], "2", "{}", run.log);
    assert_eq!(plan["outcome"], "changes");
    assert_eq!(plan["plan-file"], plan_file);
    assert_eq!(read(&plan["markdown"]), expected);
    assert_eq!(run.summary, expected);
    let document: serde_json::Value = serde_json::from_str(&read(&plan_file)).unwrap();
    assert!(
        document["seal"]
            .as_str()
            .is_some_and(|s| s.starts_with("hmac-sha256:")),
        "the plan file is sealed with SWITCHBOARD_PLAN_KEY"
    );
    for count in ["add", "change", "destroy"] {
        assert_eq!(
            plan[count],
            document["summary"][count].to_string(),
            "{count}"
        );
    }
    // The release it would install: this runner's archive, from the action's repository.
    let install: HashMap<String, String> = run.install_envs[0].iter().cloned().collect();
    assert_eq!(install["SB_REPOSITORY"], "acme/switchboard");
    assert_eq!(
        install["SB_ARCHIVE"],
        format!(
            "switchboard-{}-x86_64-unknown-linux-musl.tar.gz",
            env!("CARGO_PKG_VERSION")
        )
    );
    assert_eq!(install["SB_VERSION"], env!("CARGO_PKG_VERSION"));
    assert_ne!(plan["change"], "0");

    // Apply that plan file, as the apply client.
    sim.clear_journal();
    let (applied, run) = runner.run_action(
        &[("command", "apply"), ("plan-file", plan_file.as_str())],
        &apply_client,
    );
    let applied = applied.unwrap_or_else(|e| panic!("{e}\n{}", run.log));
    assert_eq!(applied["exit-code"], "0");
    assert_eq!(applied["outcome"], "applied");
    assert_eq!(applied["change"], plan["change"]);
    assert!(read(&applied["markdown"]).starts_with("### switchboard apply"));
    assert_eq!(clients(&sim), BTreeSet::from([APPLY_CLIENT.0.to_string()]));
    assert_in_sync(&sim, &bin, &repo);

    // No changes; in sync; then drift.
    // (`args` reach the command as separate words.)
    let (again, run) = runner.run_action(
        &[
            ("command", "plan"),
            ("manifest", "manifests"),
            ("args", "--max-change-percent 50  --concurrency 4"),
        ],
        &plan_client,
    );
    let again = again.unwrap_or_else(|e| panic!("{e}\n{}", run.log));
    assert_eq!(
        (again["exit-code"].as_str(), again["outcome"].as_str()),
        ("0", "no-changes")
    );
    assert_eq!(again["add"], "0");
    let drift = |runner: &Runner| {
        runner.run_action(
            &[
                ("command", "drift"),
                ("manifest", "manifests"),
                ("strict", "false"),
            ],
            &plan_client,
        )
    };
    let (in_sync, run) = drift(&runner);
    let in_sync = in_sync.unwrap_or_else(|e| panic!("{e}\n{}", run.log));
    assert_eq!(
        (in_sync["exit-code"].as_str(), in_sync["outcome"].as_str()),
        ("0", "in-sync")
    );
    assert_eq!(in_sync["plan-file"], "");
    sim.admin()
        .set_queue_field(
            "Billing EN",
            "/description",
            json!("Edited in the admin UI"),
        )
        .unwrap();
    let (drifted, run) = drift(&runner);
    let drifted = drifted.unwrap_or_else(|e| panic!("{e}\n{}", run.log));
    assert_eq!(
        (drifted["exit-code"].as_str(), drifted["outcome"].as_str()),
        ("2", "drift")
    );
    assert!(read(&drifted["markdown"]).contains("Edited in the admin UI"));

    // An error fails the step.
    let wrong = [
        ("GENESYS_REGION", "mypurecloud.ie"),
        ("GENESYS_CLIENT_ID", PLAN_CLIENT.0),
        ("GENESYS_CLIENT_SECRET", "not-the-secret"),
    ];
    let (failed, run) =
        runner.run_action(&[("command", "drift"), ("manifest", "manifests")], &wrong);
    assert!(failed.is_err(), "{}", run.log);
    assert!(
        run.log.contains("switchboard drift failed (exit 1)"),
        "{}",
        run.log
    );
    // So does a command the action does not run, before anything is called.
    let (refused, run) = runner.run_action(&[("command", "destroy")], &plan_client);
    assert!(refused.is_err());
    assert!(
        run.log
            .contains("the input command is plan, drift or apply")
    );

    drop(rt);
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn github_actions_recipe() {
    use github::{Event, Runner};
    let rt = runtime();
    let root = scratch_dir("github");
    let forge = rt.block_on(Forge::start(root.join("gitlab-artifacts")));
    let sim = rt.block_on(recipe_sim());
    let bin = bin_dir(&root);
    let (repo, base) = fake_repo(&root);

    // The workflows' shape: triggers, least privilege, one apply at a time, the action.
    for (file, permissions, command) in [
        (
            "plan.yml",
            vec!["contents: read", "pull-requests: write"],
            "plan",
        ),
        (
            "apply.yml",
            vec!["actions: read", "contents: read", "pull-requests: read"],
            "apply",
        ),
        (
            "drift.yml",
            vec!["contents: read", "issues: write"],
            "drift",
        ),
    ] {
        let workflow = github::load(file);
        assert_eq!(keys(&github::permissions(&workflow)), permissions, "{file}");
        let on = serde_yaml_ng::to_string(&workflow["on"]).unwrap();
        let expected: &[&str] = match file {
            "plan.yml" => &["pull_request:"],
            "apply.yml" => &["push:", "- main", "manifests/**"],
            _ => &["schedule:", "cron:", "workflow_dispatch"],
        };
        for needle in expected {
            assert!(on.contains(needle), "{file}: `on:` lacks {needle}:\n{on}");
        }
        let (_, job) = github::job(&workflow);
        assert_eq!(
            action_commands(&job),
            [command],
            "{file}: runs the action once"
        );
        // Only apply runs in the protected environment that holds the apply client.
        let environment = github::environment(&job);
        match file {
            "apply.yml" => assert_eq!(environment.as_deref(), Some("production")),
            _ => assert_eq!(environment, None, "{file}"),
        }
    }
    // A required check must report on every pull request: no path filter on the trigger.
    let plan_on = serde_yaml_ng::to_string(&github::load("plan.yml")["on"]).unwrap();
    assert!(!plan_on.contains("paths"), "plan.yml: {plan_on}");
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
        secrets: plan_secrets(),
        environment_secrets: HashMap::from([("production".to_string(), apply_secrets())]),
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
    let pull_request = |number: u64, head: &str| Event::PullRequest {
        number,
        head_sha: head.into(),
        base_sha: base.clone(),
    };
    // The plan job reads with the read-only client and never holds the apply client.
    let assert_plan_job = |run: &github::JobRun, sim: &RunningSim| {
        assert_env_lacks(&run.step_envs, APPLY_CLIENT.1, "plan.yml");
        assert!(
            run.secrets_read.iter().all(|s| !s.contains("APPLY")),
            "plan.yml reads {:?}",
            run.secrets_read
        );
        assert_eq!(clients(sim), BTreeSet::from([PLAN_CLIENT.0.to_string()]));
    };

    // A pull request with changes: one comment with the plan, the summary, the artifact.
    branch_touching_manifests(&repo, "pr-7");
    pull(7, PR_HEAD, None);
    let expected = plan_markdown(&sim, &bin, &repo);
    sim.clear_journal();
    let first = runner.run("plan.yml", &pull_request(7, PR_HEAD));
    assert!(first.success, "{}\ncalls:\n{}", first.log, forge.call_log());
    assert_plan_job(&first, &sim);
    assert_eq!(
        first.action_inputs[0]["strict"], "true",
        "plan.yml plans --strict"
    );
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
    assert!(
        plan["seal"].as_str().is_some(),
        "sealed with SWITCHBOARD_PLAN_KEY"
    );

    // A second push: the same comment, updated.
    push_an_edit(&repo);
    pull(7, PR_HEAD_2, None);
    let expected_2 = plan_markdown(&sim, &bin, &repo);
    assert_ne!(expected, expected_2);
    let second = runner.run("plan.yml", &pull_request(7, PR_HEAD_2));
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

    // The merge: the newest plan of the pull request's head is applied, by the apply
    // client; nothing is left.
    pull(7, PR_HEAD_2, Some(MERGE));
    sim.clear_journal();
    let apply = runner.run("apply.yml", &Event::Push { sha: MERGE.into() });
    assert!(apply.success, "{}\ncalls:\n{}", apply.log, forge.call_log());
    assert!(
        !forge
            .calls("GET", &format!("head_sha={PR_HEAD_2}"))
            .is_empty()
    );
    assert!(apply.secrets_read.contains("GENESYS_APPLY_CLIENT_SECRET"));
    assert_eq!(clients(&sim), BTreeSet::from([APPLY_CLIENT.0.to_string()]));
    assert!(
        github::artifact(&runner, apply.run_id, "switchboard-audit")
            .join("switchboard-audit.jsonl")
            .is_file()
    );
    assert_in_sync(&sim, &bin, &repo);
    assert_no_api_errors(&forge);

    // A stale plan: the org changed out of band after the plan; apply refuses, writes nothing.
    let stale_sim = rt.block_on(recipe_sim());
    runner.runner_env = sim_env(&stale_sim);
    pull(8, STALE_HEAD, None);
    let plan = runner.run("plan.yml", &pull_request(8, STALE_HEAD));
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

    // Drift, tracked in one issue, read with the read-only client.
    let drift_sim = rt.block_on(recipe_sim());
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
    drift_sim.clear_journal();
    let in_sync = runner.run("drift.yml", &Event::Schedule);
    assert!(in_sync.success, "{}", in_sync.log);
    assert!(drift_issues(&forge).is_empty(), "no issue while in sync");
    assert_env_lacks(&in_sync.step_envs, APPLY_CLIENT.1, "drift.yml");
    assert_eq!(
        clients(&drift_sim),
        BTreeSet::from([PLAN_CLIENT.0.to_string()])
    );

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
        .insert("GENESYS_PLAN_CLIENT_SECRET".into(), "not-the-secret".into());
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
    runner.secrets = plan_secrets();

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

    // A pull request that touches no manifest: a green plan check that says so, and nothing
    // else (no plan, no comment, no artifact, no request to the org).
    // (Number 9 is the drift issue.)
    branch_touching_docs(&repo, "pr-12");
    pull(12, DOCS_HEAD, None);
    forge.clear_calls();
    drift_sim.clear_journal();
    let docs = runner.run("plan.yml", &pull_request(12, DOCS_HEAD));
    assert!(docs.success, "{}", docs.log);
    assert!(
        docs.summary.starts_with(NO_MANIFEST_CHANGES),
        "job summary: {}",
        docs.summary
    );
    assert!(docs.action_inputs.is_empty(), "no plan: {}", docs.log);
    assert!(comments(12).is_empty());
    assert!(!github::artifact(&runner, docs.run_id, "switchboard-plan").exists());
    assert!(drift_sim.journal().is_empty(), "the org was not read");
    assert!(forge.state().calls.is_empty(), "{}", forge.call_log());

    drop(rt);
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn gitlab_ci_recipe() {
    use gitlab::{Event, Runner};
    let rt = runtime();
    let root = scratch_dir("gitlab");
    let forge = rt.block_on(Forge::start(root.join("gitlab-artifacts")));
    let sim = rt.block_on(recipe_sim());
    let bin = bin_dir(&root);
    let (repo, base) = fake_repo(&root);

    // The jobs' shape: which pipelines they run in, one apply at a time, in production.
    let config = gitlab::load();
    for (name, needles) in [
        (
            "plan",
            &["$CI_PIPELINE_SOURCE == \"merge_request_event\""][..],
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
    // "Pipelines must succeed" waits for the plan job: it runs in every merge request.
    let plan_rules = gitlab::rules(&gitlab::job(&config, "plan"));
    assert!(!plan_rules.contains("changes"), "plan: {plan_rules}");
    let apply_job = gitlab::job(&config, "apply");
    assert!(
        apply_job
            .get("resource_group")
            .and_then(|v| v.as_str())
            .is_some()
    );
    assert_eq!(
        gitlab::environment(&apply_job).as_deref(),
        Some("production")
    );
    for name in ["plan", "drift"] {
        assert_eq!(gitlab::environment(&gitlab::job(&config, name)), None);
    }
    let variables = config.get("variables").unwrap();
    assert_eq!(
        variables["SWITCHBOARD_VERSION"].as_str(),
        Some(env!("CARGO_PKG_VERSION"))
    );
    assert!(variables["SWITCHBOARD_RELEASES"].as_str().is_some());

    let mut runner = Runner {
        forge: forge.clone(),
        checkout: repo.clone(),
        bin: bin.clone(),
        root: root.clone(),
        runner_env: sim_env(&sim),
        variables: plan_secrets()
            .into_iter()
            .chain([(
                "SWITCHBOARD_GITLAB_TOKEN".to_string(),
                forge::GITLAB_TOKEN.to_string(),
            )])
            .collect(),
        protected_variables: HashMap::from([("production".to_string(), apply_secrets())]),
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
    let mr_event = |iid: u64, sha: &str| Event::MergeRequest {
        iid,
        sha: sha.into(),
        diff_base_sha: base.clone(),
    };
    let client_of = |run: &gitlab::JobRun| {
        run.env
            .iter()
            .rev()
            .find(|(k, _)| k == "GENESYS_CLIENT_ID")
            .map(|(_, v)| v.clone())
    };
    let assert_no_apply_secret = |run: &gitlab::JobRun, job: &str| {
        assert_env_lacks(&[(job.to_string(), run.env.clone())], APPLY_CLIENT.1, job);
    };

    // A merge request with changes: one note with the plan, the artifacts.
    branch_touching_manifests(&repo, "mr-5");
    merge_request(5, PR_HEAD, None);
    let expected = plan_markdown(&sim, &bin, &repo);
    sim.clear_journal();
    let first = runner.run("plan", &mr_event(5, PR_HEAD));
    assert!(first.success, "{}\ncalls:\n{}", first.log, forge.call_log());
    assert_no_apply_secret(&first, "plan");
    assert_eq!(client_of(&first).as_deref(), Some(PLAN_CLIENT.0));
    assert_eq!(clients(&sim), BTreeSet::from([PLAN_CLIENT.0.to_string()]));
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
    let second = runner.run("plan", &mr_event(5, PR_HEAD_2));
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

    // The merge: the plan of the merge request's head pipeline is applied, by the apply
    // client of the protected environment.
    merge_request(5, PR_HEAD_2, Some(MERGE));
    sim.clear_journal();
    let apply = runner.run("apply", &Event::Push { sha: MERGE.into() });
    assert!(apply.success, "{}\ncalls:\n{}", apply.log, forge.call_log());
    assert_eq!(client_of(&apply).as_deref(), Some(APPLY_CLIENT.0));
    assert_eq!(clients(&sim), BTreeSet::from([APPLY_CLIENT.0.to_string()]));
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
    let stale_sim = rt.block_on(recipe_sim());
    runner.runner_env = sim_env(&stale_sim);
    merge_request(6, STALE_HEAD, None);
    let plan = runner.run("plan", &mr_event(6, STALE_HEAD));
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

    // Drift, tracked in one issue, read with the read-only client.
    let drift_sim = rt.block_on(recipe_sim());
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
    assert_no_apply_secret(&in_sync, "drift");
    assert_eq!(client_of(&in_sync).as_deref(), Some(PLAN_CLIENT.0));

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
        .insert("GENESYS_PLAN_CLIENT_SECRET".into(), "not-the-secret".into());
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
        .insert("GENESYS_PLAN_CLIENT_SECRET".into(), PLAN_CLIENT.1.into());

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

    // A merge request that touches no manifest: the plan job passes and says so, and does
    // nothing else.
    branch_touching_docs(&repo, "mr-9");
    merge_request(9, DOCS_HEAD, None);
    forge.clear_calls();
    drift_sim.clear_journal();
    let docs = runner.run("plan", &mr_event(9, DOCS_HEAD));
    assert!(docs.success, "{}", docs.log);
    assert!(docs.log.contains(NO_MANIFEST_CHANGES), "{}", docs.log);
    assert!(notes(9).is_empty());
    assert!(!artifact(docs.job_id, "plan.json").exists());
    assert!(drift_sim.journal().is_empty(), "the org was not read");
    assert!(forge.state().calls.is_empty(), "{}", forge.call_log());

    drop(rt);
    let _ = std::fs::remove_dir_all(&root);
}
