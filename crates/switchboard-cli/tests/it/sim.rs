use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

/// `switchboard sim` on a free port; stopped when dropped.
struct RunningSim {
    child: Child,
    url: String,
}

impl RunningSim {
    fn start() -> RunningSim {
        let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/sim-org.yaml");
        RunningSim::with(&["--seed", fixture])
    }

    /// `switchboard sim --port 0` with `seed` (its seeding flags).
    fn with(seed: &[&str]) -> RunningSim {
        let mut child = Command::new(env!("CARGO_BIN_EXE_switchboard"))
            .args(["sim", "--port", "0"])
            .args(seed)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        let url = loop {
            line.clear();
            assert!(
                stderr.read_line(&mut line).unwrap() > 0,
                "the simulator exited before listening"
            );
            if let Some(url) = line.trim().strip_prefix("switchboard sim listening on ") {
                break url.to_string();
            }
        };
        // Keep reading what it prints, so it never writes into a full or closed pipe.
        std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
        RunningSim { child, url }
    }
}

impl Drop for RunningSim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn the_standalone_simulator_answers_like_the_real_api() {
    let sim = RunningSim::start();
    assert!(
        sim.url.starts_with("http://127.0.0.1:"),
        "bound to loopback: {}",
        sim.url
    );
    let http = reqwest::Client::new();

    // What `curl -u ID:SECRET -d grant_type=client_credentials URL/oauth/token` sends.
    let token = http
        .post(format!("{}/oauth/token", sim.url))
        .basic_auth("switchboard-demo", Some("switchboard-demo-secret"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials")
        .send()
        .await
        .unwrap();
    assert_eq!(token.status(), 200);
    assert!(token.headers().contains_key("inin-correlation-id"));
    let token: Value = token.json().await.unwrap();
    assert_eq!(token["token_type"], "bearer");
    assert!(token["expires_in"].as_u64().unwrap() > 0);
    let access = token["access_token"].as_str().unwrap();

    let queues = http
        .get(format!(
            "{}/api/v2/routing/queues?pageSize=2&pageNumber=1",
            sim.url
        ))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(queues.status(), 200);
    for header in [
        "inin-correlation-id",
        "inin-ratelimit-count",
        "inin-ratelimit-allowed",
        "inin-ratelimit-reset",
    ] {
        assert!(queues.headers().contains_key(header), "missing {header}");
    }
    let listing: Value = queues.json().await.unwrap();
    assert_eq!(listing["pageSize"], 2);
    assert_eq!(listing["total"], 4);
    assert_eq!(listing["pageCount"], 2);
    assert_eq!(listing["entities"].as_array().unwrap().len(), 2);
    assert!(
        listing["nextUri"]
            .as_str()
            .unwrap()
            .contains("pageNumber=2")
    );

    let refused = http
        .get(format!("{}/api/v2/routing/queues", sim.url))
        .bearer_auth("forged")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["status"], 401);
    assert!(body["code"].is_string() && body["contextId"].is_string());

    let wrong = http
        .post(format!("{}/oauth/token", sim.url))
        .basic_auth("switchboard-demo", Some("not-the-secret"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    assert_eq!(
        wrong.json::<Value>().await.unwrap()["error"],
        "invalid_client"
    );
}

#[test]
fn bad_flags_are_refused_with_a_hint() {
    let output = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["sim", "--port", "0", "--client-id", "only-an-id"])
        .env_remove("SWITCHBOARD_SIM_CLIENT_SECRET")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--client-id needs a secret") && stderr.contains("hint:"),
        "{stderr}"
    );
}

#[test]
fn the_example_settings_file_is_accepted() {
    let config = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/sim-faults.yaml"
    );
    let settings = switchboard_sim::SimConfig::from_file(config).unwrap();
    assert_eq!(settings.faults.rules.len(), 3);
    assert_eq!(settings.faults.out_of_band.len(), 1);
    assert!(
        settings.fixture.as_ref().is_some_and(|path| path.is_file()),
        "{:?}",
        settings.fixture
    );
}

/// Every example, with the simulator seeding getting-started.md gives it ("Try an example"):
/// `(example, environment, the simulator's seeding flags)`.
const EXAMPLES: &[(&str, Option<&str>, &[&str])] = &[
    ("quickstart", None, &["--seed-from", "examples/quickstart"]),
    (
        "contact-center",
        None,
        &["--seed-from", "examples/contact-center"],
    ),
    (
        "multi-environment",
        Some("dev"),
        &["--seed-from", "examples/multi-environment", "--env", "dev"],
    ),
    (
        "multi-environment",
        Some("prod"),
        &["--seed-from", "examples/multi-environment", "--env", "prod"],
    ),
    (
        "promotion",
        Some("dev"),
        &["--seed", "examples/sim-promotion-dev.yaml"],
    ),
    (
        "promotion",
        Some("prod"),
        &["--seed", "examples/sim-promotion-prod.yaml"],
    ),
];

#[test]
fn every_example_plans_against_the_simulator_its_one_liner_starts() {
    let repo = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let guide = std::fs::read_to_string(format!("{repo}/docs/getting-started.md")).unwrap();
    // Every example directory is covered.
    for entry in std::fs::read_dir(format!("{repo}/examples")).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().to_string();
        if entry.path().is_dir() && name != "forecasts" {
            assert!(
                EXAMPLES.iter().any(|(example, _, _)| *example == name),
                "examples/{name} has no simulator here"
            );
        }
    }
    for (example, env, seed) in EXAMPLES {
        let one_liner = format!("switchboard sim --port 8094 {}", seed.join(" "));
        assert!(
            guide.contains(&format!("`{one_liner}`")),
            "getting-started.md lacks `{one_liner}`"
        );
        let seed: Vec<String> = seed
            .iter()
            .map(|arg| {
                if arg.starts_with("examples/") {
                    format!("{repo}/{arg}")
                } else {
                    (*arg).to_string()
                }
            })
            .collect();
        let seed: Vec<&str> = seed.iter().map(String::as_str).collect();
        let sim = RunningSim::with(&seed);
        let path = format!("{repo}/examples/{example}");
        let mut args = vec!["plan", path.as_str(), "--detailed-exitcode"];
        if let Some(env) = env {
            args.extend(["--env", env]);
        }
        let output = Command::new(env!("CARGO_BIN_EXE_switchboard"))
            .args(&args)
            .env("GENESYS_BASE_URL", &sim.url)
            .env("GENESYS_LOGIN_URL", &sim.url)
            .env("GENESYS_CLIENT_ID", "switchboard-demo")
            .env("GENESYS_CLIENT_SECRET", "switchboard-demo-secret")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{example} {env:?}:\n{stdout}{stderr}"
        );
        assert!(stdout.contains("0 to destroy"), "{stdout}");
    }
}

#[test]
fn a_manifest_with_errors_seeds_nothing() {
    let dir = std::env::temp_dir().join(format!("switchboard-seed-from-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let manifest = dir.join("manifest.yaml");
    std::fs::write(
        &manifest,
        "version: 1\norg: { name: Acme }\nqueues: [{ nmae: Q }]\n",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["sim", "--port", "0", "--seed-from"])
        .arg(&manifest)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("could not seed the org of") && stderr.contains("nmae"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(dir);
}
