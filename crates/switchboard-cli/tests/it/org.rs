//! What the tests that run the binary against a simulated org share.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use switchboard_sim::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Fixture, RunningSim, Sim};

/// The demo org's fixture.
pub const ORG: &str = include_str!("../../../../examples/sim-org.yaml");

/// The path of `examples/<name>`.
pub fn example(name: &str) -> String {
    format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// An in-process simulator of the demo org.
pub async fn seeded_sim() -> RunningSim {
    Sim::builder()
        .fixture(Fixture::from_yaml(ORG).unwrap())
        .start()
        .await
        .unwrap()
}

/// A fresh directory of this test process's own.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the binary in `dir` against `sim`, with the demo client's credentials and no
/// terminal (stdin closed), off the async runtime, which keeps serving the sim.
pub async fn switchboard(sim: &RunningSim, dir: &Path, args: &[&str]) -> Output {
    switchboard_env(sim, dir, args, &[]).await
}

/// [`switchboard`] with `env` added.
pub async fn switchboard_env(
    sim: &RunningSim,
    dir: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> Output {
    let mut command = command(sim, dir, args, env);
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

/// The command [`switchboard_env`] runs, for tests that spawn it themselves.
pub fn command(sim: &RunningSim, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let url = sim.base_url();
    let mut command = Command::new(env!("CARGO_BIN_EXE_switchboard"));
    command
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .env_remove("GENESYS_REGION")
        .env_remove("NO_COLOR")
        .env_remove("SWITCHBOARD_LOG")
        .env_remove("SWITCHBOARD_CONFIG")
        .env_remove("SWITCHBOARD_CONCURRENCY")
        .env_remove("SWITCHBOARD_TOKEN_POOL")
        .env_remove("SWITCHBOARD_REQUEST_TIMEOUT")
        .env_remove("SWITCHBOARD_AUDIT_LOG")
        .env("GENESYS_BASE_URL", &url)
        .env("GENESYS_LOGIN_URL", &url)
        .env("GENESYS_CLIENT_ID", DEMO_CLIENT_ID)
        .env("GENESYS_CLIENT_SECRET", DEMO_CLIENT_SECRET);
    for (key, value) in env {
        command.env(key, value);
    }
    command
}

/// What a run printed: stdout, then stderr.
pub fn out(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Lines of a rendering (a plan, an apply, a drift report) that print a JSON array or
/// object literal, where a list setting should read as a list.
pub fn json_literals(output: &str) -> Vec<&str> {
    output
        .lines()
        .filter(|line| {
            let text = line.trim_start_matches(['+', '-', '~', '!', ' ']);
            text.starts_with('[')
                || text.starts_with('{')
                || line.contains("= [")
                || line.contains("= {")
                || line.contains("→ [")
                || line.contains("→ {")
        })
        .collect()
}
