//! Secret hygiene of the binary: the client secret, the Basic credential and every access
//! token stay out of stdout, stderr (at trace level) and every file a run writes; secrets
//! come from exactly one of the environment, a file or stdin, never from a flag; plain HTTP
//! is refused for anything but loopback.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use switchboard_sim::{Fixture, RunningSim, Sim};

use crate::org::{ORG, example, scratch};

const CLIENT_ID: &str = "secrets-test-client";
const SECRET: &str = "sw1tchb0ard-T0p-S3cret-Value";

/// The variables a run could inherit from the test's own environment.
const INHERITED: [&str; 11] = [
    "GENESYS_REGION",
    "GENESYS_BASE_URL",
    "GENESYS_LOGIN_URL",
    "GENESYS_CLIENT_ID",
    "GENESYS_CLIENT_SECRET",
    "GENESYS_CLIENT_SECRET_FILE",
    "SWITCHBOARD_LOG",
    "SWITCHBOARD_REQUEST_TIMEOUT",
    "SWITCHBOARD_SIM_CLIENT_ID",
    "SWITCHBOARD_SIM_CLIENT_SECRET",
    "SWITCHBOARD_WEBHOOK_SECRET",
];

/// The demo org, with one more OAuth client whose secret is distinctive.
async fn sim() -> RunningSim {
    Sim::builder()
        .fixture(Fixture::from_yaml(ORG).unwrap())
        .client(CLIENT_ID, SECRET)
        .start()
        .await
        .unwrap()
}

/// How to run the binary: arguments, variables and what stdin holds (closed when `None`).
struct Run {
    args: Vec<String>,
    env: Vec<(String, String)>,
    stdin: Option<String>,
}

impl Run {
    fn new(args: &[&str]) -> Self {
        Run {
            args: args.iter().map(|a| a.to_string()).collect(),
            env: Vec::new(),
            stdin: None,
        }
    }

    /// Against `url` with the test client's id (and no secret yet).
    fn against(args: &[&str], url: &str) -> Self {
        Run::new(args)
            .env("GENESYS_BASE_URL", url)
            .env("GENESYS_LOGIN_URL", url)
            .env("GENESYS_CLIENT_ID", CLIENT_ID)
    }

    fn env(mut self, key: &str, value: impl Into<String>) -> Self {
        self.env.push((key.to_string(), value.into()));
        self
    }

    fn stdin(mut self, text: &str) -> Self {
        self.stdin = Some(text.to_string());
        self
    }

    /// Runs in `dir`, off the async runtime (which keeps serving the sim).
    async fn output(self, dir: &Path) -> Output {
        let dir = dir.to_path_buf();
        tokio::task::spawn_blocking(move || self.output_blocking(&dir))
            .await
            .unwrap()
    }

    fn output_blocking(self, dir: &Path) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_switchboard"));
        command.args(&self.args).current_dir(dir);
        for key in INHERITED {
            command.env_remove(key);
        }
        command.env("NO_COLOR", "1").envs(self.env);
        let Some(text) = self.stdin else {
            return command.stdin(Stdio::null()).output().unwrap();
        };
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        std::io::Write::write_all(&mut stdin, text.as_bytes()).unwrap();
        drop(stdin);
        child.wait_with_output().unwrap()
    }
}

fn shown(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Every file under `dir`, as text.
fn files_under(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in std::fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
                found.push((path, text));
            }
        }
    }
    found
}

/// Standard base64 with padding, as in an HTTP Basic credential.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut encoded = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                encoded.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                encoded.push('=');
            }
        }
    }
    encoded
}

#[test]
fn the_basic_credential_helper_is_base64() {
    assert_eq!(base64(b"id:secret"), "aWQ6c2VjcmV0");
    assert_eq!(base64(b"ab"), "YWI=");
    assert_eq!(base64(b"a"), "YQ==");
}

/// A loopback port nothing listens on.
fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_or_token_appears_in_any_output_or_file_at_trace_level() {
    let sim = sim().await;
    let url = sim.base_url();
    let dir = scratch("switchboard-secrets-trace");
    let quickstart = example("quickstart");
    let traced = |args: &[&str]| {
        Run::against(args, &url)
            .env("GENESYS_CLIENT_SECRET", SECRET)
            .env("SWITCHBOARD_LOG", "trace")
    };

    // The client gives up on a closed port only after its retries (about a minute): that
    // run goes on while the others do.
    let closed = {
        let run = Run::against(&["plan", &quickstart], &closed_port_url())
            .env("GENESYS_CLIENT_SECRET", SECRET)
            .env("SWITCHBOARD_LOG", "trace");
        let dir = dir.clone();
        tokio::task::spawn_blocking(move || run.output_blocking(&dir))
    };

    let mut outputs = Vec::new();
    let plan = traced(&["plan", &quickstart, "--out", "plan.json"])
        .output(&dir)
        .await;
    assert_eq!(plan.status.code(), Some(0), "{}", shown(&plan));
    let apply = traced(&["apply", "plan.json", "--audit-log", "audit.jsonl"])
        .output(&dir)
        .await;
    assert_eq!(apply.status.code(), Some(0), "{}", shown(&apply));
    assert!(
        shown(&apply).contains("Verified: a new plan shows no changes."),
        "{}",
        shown(&apply)
    );
    assert!(
        String::from_utf8_lossy(&apply.stderr).contains("TRACE"),
        "the run was logged at trace level: {}",
        shown(&apply)
    );
    outputs.extend([plan, apply]);
    for args in [
        &["plan", &quickstart, "--format", "json"][..],
        &["drift", &quickstart],
    ] {
        outputs.push(traced(args).output(&dir).await);
    }

    let wrong = Run::against(&["plan", &quickstart], &url)
        .env("GENESYS_CLIENT_SECRET", "not-the-secret")
        .env("SWITCHBOARD_LOG", "trace")
        .output(&dir)
        .await;
    assert_eq!(wrong.status.code(), Some(1), "{}", shown(&wrong));
    assert!(shown(&wrong).contains(CLIENT_ID), "{}", shown(&wrong));
    outputs.push(wrong);

    let closed = closed.await.unwrap();
    assert_eq!(closed.status.code(), Some(1), "{}", shown(&closed));
    outputs.push(closed);

    let tokens = sim.issued_tokens();
    assert!(!tokens.is_empty(), "the runs authenticated");
    let mut forbidden = vec![
        SECRET.to_string(),
        base64(format!("{CLIENT_ID}:{SECRET}").as_bytes()),
    ];
    forbidden.extend(tokens);

    let mut places: Vec<(String, String)> = outputs
        .iter()
        .enumerate()
        .map(|(index, output)| (format!("output of run {index}"), shown(output)))
        .collect();
    let logged: usize = places.iter().map(|(_, text)| text.len()).sum();
    assert!(
        logged > 10_000,
        "trace output is substantial: {logged} bytes"
    );
    let files = files_under(&dir);
    for expected in ["plan.json", "audit.jsonl"] {
        assert!(
            files.iter().any(|(path, _)| path.ends_with(expected)),
            "{expected} was written"
        );
    }
    places.extend(
        files
            .into_iter()
            .map(|(path, text)| (path.display().to_string(), text)),
    );
    for (place, text) in &places {
        for secret in &forbidden {
            assert!(
                !text.contains(secret.as_str()),
                "a secret ({} characters) leaked into {place}",
                secret.len()
            );
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_secret_can_come_from_a_file_or_from_stdin() {
    let sim = sim().await;
    let url = sim.base_url();
    let dir = scratch("switchboard-secrets-sources");
    let quickstart = example("quickstart");
    let secret_file = dir.join("client-secret");
    std::fs::write(&secret_file, format!("{SECRET}\n")).unwrap();

    let from_file = Run::against(&["plan", &quickstart], &url)
        .env(
            "GENESYS_CLIENT_SECRET_FILE",
            secret_file.display().to_string(),
        )
        .output(&dir)
        .await;
    assert_eq!(from_file.status.code(), Some(0), "{}", shown(&from_file));

    let from_stdin = Run::against(&["plan", &quickstart, "--client-secret-stdin"], &url)
        .stdin(&format!("{SECRET}\n"))
        .output(&dir)
        .await;
    assert_eq!(from_stdin.status.code(), Some(0), "{}", shown(&from_stdin));

    let empty_stdin = Run::against(&["plan", &quickstart, "--client-secret-stdin"], &url)
        .stdin("\n")
        .output(&dir)
        .await;
    assert_eq!(empty_stdin.status.code(), Some(1));
    assert!(
        shown(&empty_stdin).contains("the first line of stdin is empty"),
        "{}",
        shown(&empty_stdin)
    );

    let missing = dir.join("no-such-secret");
    let unreadable = Run::against(&["plan", &quickstart], &url)
        .env("GENESYS_CLIENT_SECRET_FILE", missing.display().to_string())
        .output(&dir)
        .await;
    assert_eq!(unreadable.status.code(), Some(1));
    assert!(
        shown(&unreadable).contains(&missing.display().to_string())
            && shown(&unreadable).contains("hint:"),
        "{}",
        shown(&unreadable)
    );

    let blank = dir.join("blank-secret");
    std::fs::write(&blank, "\n\n").unwrap();
    let empty = Run::against(&["plan", &quickstart], &url)
        .env("GENESYS_CLIENT_SECRET_FILE", blank.display().to_string())
        .output(&dir)
        .await;
    assert_eq!(empty.status.code(), Some(1));
    assert!(
        shown(&empty).contains(&blank.display().to_string()) && shown(&empty).contains("empty"),
        "{}",
        shown(&empty)
    );

    let missing_everything = Run::against(&["plan", &quickstart], &url)
        .output(&dir)
        .await;
    assert_eq!(missing_everything.status.code(), Some(1));
    let text = shown(&missing_everything);
    assert!(
        text.contains("no client secret given")
            && text.contains("GENESYS_CLIENT_SECRET_FILE")
            && text.contains("--client-secret-stdin"),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secret_given_as_a_flag_is_refused_without_echoing_it() {
    let sim = sim().await;
    let url = sim.base_url();
    let dir = scratch("switchboard-secrets-flags");
    let quickstart = example("quickstart");
    let quickstart = quickstart.as_str();
    let with_equals = format!("--client-secret={SECRET}");
    for (args, hint) in [
        (
            vec!["plan", quickstart, "--client-secret", SECRET],
            "GENESYS_CLIENT_SECRET_FILE",
        ),
        (
            vec!["apply", &with_equals, quickstart, "--auto-approve"],
            "--client-secret-stdin",
        ),
        (
            vec!["--client-secret", SECRET, "drift", quickstart],
            "GENESYS_CLIENT_SECRET",
        ),
        (
            vec!["sim", "--port", "0", "--client-secret", SECRET],
            "SWITCHBOARD_SIM_CLIENT_SECRET",
        ),
        (
            vec!["watch", quickstart, "--webhook-secret", SECRET],
            "SWITCHBOARD_WEBHOOK_SECRET_FILE",
        ),
    ] {
        let output = Run::against(&args, &url)
            .env("GENESYS_CLIENT_SECRET", SECRET)
            .output(&dir)
            .await;
        let text = shown(&output);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {text}");
        assert!(
            text.contains(
                "refusing a secret on the command line (--client-secret): flags end up in shell history and process lists"
            ) || text.contains("refusing a secret on the command line (--webhook-secret)"),
            "{args:?}: {text}"
        );
        assert!(
            text.lines()
                .any(|line| line.starts_with("hint:") && line.contains(hint)),
            "{args:?}: {text}"
        );
        assert!(!text.contains(SECRET), "{args:?} echoed the secret");
    }
    assert!(sim.journal().is_empty(), "nothing was sent");

    for command in ["plan", "apply", "drift", "watch", "sim"] {
        let help = Run::new(&[command, "--help"]).output(&dir).await;
        let text = String::from_utf8_lossy(&help.stdout)
            .replace("--client-secret-stdin", "")
            .replace("--client-secret-file", "");
        assert!(
            !text.contains("--client-secret") && !text.contains("--webhook-secret"),
            "{command} --help advertises a secret flag: {text}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_sources_of_one_secret_are_refused() {
    let sim = sim().await;
    let url = sim.base_url();
    let dir = scratch("switchboard-secrets-two");
    let quickstart = example("quickstart");
    let secret_file = dir.join("client-secret");
    std::fs::write(&secret_file, SECRET).unwrap();

    let env_and_file = Run::against(&["plan", &quickstart], &url)
        .env("GENESYS_CLIENT_SECRET", SECRET)
        .env(
            "GENESYS_CLIENT_SECRET_FILE",
            secret_file.display().to_string(),
        )
        .output(&dir)
        .await;
    let env_and_stdin = Run::against(&["plan", &quickstart, "--client-secret-stdin"], &url)
        .env("GENESYS_CLIENT_SECRET", SECRET)
        .stdin(SECRET)
        .output(&dir)
        .await;
    for (output, second) in [
        (env_and_file, "GENESYS_CLIENT_SECRET_FILE"),
        (env_and_stdin, "--client-secret-stdin"),
    ] {
        let text = shown(&output);
        assert_eq!(output.status.code(), Some(1), "{text}");
        assert!(
            text.contains(&format!(
                "the client secret is given twice, by GENESYS_CLIENT_SECRET and by {second}"
            )) && text.contains("hint:"),
            "{text}"
        );
        assert!(!text.contains(SECRET), "{text}");
    }

    let sim_twice = Run::new(&[
        "sim",
        "--port",
        "0",
        "--client-id",
        "extra",
        "--client-secret-file",
        &secret_file.display().to_string(),
    ])
    .env("SWITCHBOARD_SIM_CLIENT_SECRET", SECRET)
    .output(&dir)
    .await;
    let text = shown(&sim_twice);
    assert_eq!(sim_twice.status.code(), Some(1), "{text}");
    assert!(
        text.contains("by SWITCHBOARD_SIM_CLIENT_SECRET and by --client-secret-file")
            && !text.contains(SECRET),
        "{text}"
    );
    assert!(sim.journal().is_empty(), "nothing was sent");
    std::fs::remove_dir_all(&dir).unwrap();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_is_refused_for_anything_but_loopback() {
    let dir = scratch("switchboard-secrets-http");
    let quickstart = example("quickstart");
    for url in ["http://api.mypurecloud.ie", "http://10.0.0.5:8089"] {
        let output = Run::against(&["plan", &quickstart], url)
            .env("GENESYS_CLIENT_SECRET", SECRET)
            .output(&dir)
            .await;
        let text = shown(&output);
        assert_eq!(output.status.code(), Some(1), "{text}");
        assert!(
            text.contains("plain http is only allowed for a loopback address")
                && text.contains("hint: real orgs are reached over https://"),
            "{text}"
        );
        assert!(
            !text.contains("could not connect") && !text.contains("oauth/token"),
            "refused before any request: {text}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_request_timeout_names_the_variable() {
    let sim = sim().await;
    let dir = scratch("switchboard-secrets-timeout");
    let output = Run::against(&["plan", &example("quickstart")], &sim.base_url())
        .env("GENESYS_CLIENT_SECRET", SECRET)
        .env("SWITCHBOARD_REQUEST_TIMEOUT", "soon")
        .output(&dir)
        .await;
    let text = shown(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("environment SWITCHBOARD_REQUEST_TIMEOUT: \"soon\" is not valid: invalid duration \"soon\""),
        "{text}"
    );
    assert!(sim.journal().is_empty(), "nothing was sent");
    std::fs::remove_dir_all(&dir).unwrap();
    sim.shutdown().await;
}

#[test]
fn only_the_commands_that_read_a_secret_take_client_secret_stdin() {
    for command in ["validate", "schema", "sim", "bench", "demo"] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_switchboard"))
            .args([command, "--client-secret-stdin"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !output.status.success()
                && stderr.contains("unexpected argument '--client-secret-stdin'"),
            "{command}: {stderr}"
        );
    }
    for command in ["plan", "apply", "drift", "watch", "export", "config"] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_switchboard"))
            .args([command, "--help"])
            .output()
            .unwrap();
        let help = String::from_utf8_lossy(&output.stdout);
        assert!(help.contains("--client-secret-stdin"), "{command}: {help}");
    }
}
