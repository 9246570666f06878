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
    let url = sim.base_url();
    let dir = dir.to_path_buf();
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_switchboard"))
            .args(&args)
            .current_dir(&dir)
            .stdin(Stdio::null())
            .env_remove("GENESYS_REGION")
            .env_remove("NO_COLOR")
            .env("GENESYS_BASE_URL", &url)
            .env("GENESYS_LOGIN_URL", &url)
            .env("GENESYS_CLIENT_ID", DEMO_CLIENT_ID)
            .env("GENESYS_CLIENT_SECRET", DEMO_CLIENT_SECRET)
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}
