//! `switchboard plan` end to end: the built binary against a seeded in-process simulator
//! over real HTTP.

use std::process::{Command, Output};

use switchboard_plan::document::PlanDocument;
use switchboard_sim::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, RunningSim};

use crate::org::{example, json_literals, scratch, seeded_sim};

/// Runs the binary against `sim` from the temporary directory.
async fn switchboard(sim: &RunningSim, args: &[&str]) -> Output {
    crate::org::switchboard(sim, &std::env::temp_dir(), args).await
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quickstart_plans_as_expected_in_every_format_and_identically_every_time() {
    let sim = seeded_sim().await;
    let quickstart = example("quickstart");
    for format in ["text", "json", "markdown"] {
        let first = switchboard(&sim, &["plan", &quickstart, "--format", format]).await;
        assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
        let second = switchboard(&sim, &["plan", &quickstart, "--format", format]).await;
        assert_eq!(
            first.stdout, second.stdout,
            "{format}: the same org and manifest give byte-identical output"
        );
        let output = stdout(&first);
        assert!(
            !output.contains('\u{1b}'),
            "no colour when stdout is not a terminal"
        );
        if format != "json" {
            assert!(
                json_literals(&output).is_empty(),
                "{format}: {:#?}",
                json_literals(&output)
            );
        }
        insta::assert_snapshot!(format!("quickstart-plan-{format}"), output);
    }
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn detailed_exitcode_and_the_plan_file() {
    let sim = seeded_sim().await;
    let dir = scratch("switchboard-plan");
    let file = dir.join("plan.json");
    let output = switchboard(
        &sim,
        &[
            "plan",
            &example("quickstart"),
            "--detailed-exitcode",
            "--out",
            file.to_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let (plan, manifest, _) =
        PlanDocument::read_file(&std::fs::read_to_string(&file).unwrap(), None).unwrap();
    assert_eq!(manifest.org.id.as_deref(), Some(sim.org_id().as_str()));
    assert_eq!(plan.org.id, sim.org_id());
    assert!(plan.manifest_hash.starts_with("sha256:"));
    assert!(
        plan.changes
            .iter()
            .filter(|c| c.action != switchboard_plan::Action::Create)
            .all(|c| c.fingerprint.is_some()),
        "every change to an existing object carries its fingerprint"
    );

    // A target narrows the plan to one queue (one the org has, the manifest does not
    // manage); with nothing to do there, exit 0. A target naming nothing is an error (see
    // apply.rs).
    let output = switchboard(
        &sim,
        &[
            "plan",
            &example("quickstart"),
            "--detailed-exitcode",
            "--target",
            "queue:Tech Support EN",
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).ends_with("No changes. The org matches the manifest.\n"),
        "{}",
        stdout(&output)
    );
    std::fs::remove_dir_all(&dir).unwrap();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_orgs_manifest_is_refused_before_any_plan_is_shown() {
    let sim = seeded_sim().await;
    let dir = scratch("switchboard-guard");
    let manifest = std::fs::read_to_string(format!("{}/manifest.yaml", example("quickstart")))
        .unwrap()
        .replace(
            "id: 5b5e6a2c-7d1f-4c3b-9a8e-0d15c0a1b2c3",
            "id: 00000000-0000-4000-8000-000000000000",
        );
    let file = dir.join("manifest.yaml");
    std::fs::write(&file, manifest).unwrap();
    let output = switchboard(&sim, &["plan", file.to_str().unwrap()]).await;
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).is_empty(), "no plan is shown");
    assert!(
        stderr(&output).contains("refusing to plan: the manifest is for org"),
        "{}",
        stderr(&output)
    );
    std::fs::remove_dir_all(&dir).unwrap();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_manifest_sends_nothing() {
    let sim = seeded_sim().await;
    let dir = scratch("switchboard-invalid");
    let file = dir.join("manifest.yaml");
    std::fs::write(
        &file,
        "version: 1\norg: {name: Switchboard Demo Org, region: mypurecloud.ie}\nskills: [{name: A}, {name: A}]\n",
    )
    .unwrap();
    let output = switchboard(&sim, &["plan", file.to_str().unwrap()]).await;
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("declared twice"),
        "{}",
        stderr(&output)
    );
    assert!(sim.journal().is_empty(), "no request reached the org");
    std::fs::remove_dir_all(&dir).unwrap();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_region_other_than_the_manifests_is_refused() {
    let sim = seeded_sim().await;
    let url = sim.base_url();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_switchboard"))
            .args(["plan", &example("quickstart")])
            .env("GENESYS_REGION", "mypurecloud.de")
            .env("GENESYS_BASE_URL", &url)
            .env("GENESYS_LOGIN_URL", &url)
            .env("GENESYS_CLIENT_ID", DEMO_CLIENT_ID)
            .env("GENESYS_CLIENT_SECRET", DEMO_CLIENT_SECRET)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(
            "the manifest is for region mypurecloud.ie, but the region configured by environment GENESYS_REGION is mypurecloud.de"
        ),
        "{}",
        stderr(&output)
    );
    assert!(sim.journal().is_empty(), "nothing was sent");
    sim.shutdown().await;
}

#[test]
fn an_address_nothing_answers_fails_in_a_few_attempts_each_said_with_a_hint() {
    // A port nothing listens on: bound, then let go.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let output = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["plan", &example("quickstart")])
        .env("GENESYS_BASE_URL", &url)
        .env("GENESYS_LOGIN_URL", &url)
        .env("GENESYS_CLIENT_ID", "someone")
        .env("GENESYS_CLIENT_SECRET", "not-a-secret-that-matters")
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    let stderr = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    // Connection refused is retried briefly, not for minutes: the attempts, not the
    // clock, are what the test holds (each retry waits 0.5 s and more).
    let retries = stderr.matches("retrying the token request").count();
    assert!((1..=3).contains(&retries), "{retries} retries:\n{stderr}");
    assert!(
        stderr.contains(&format!("gave up after {} attempts", retries + 1)),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: the API address could not be reached")
            && stderr.contains("GENESYS_BASE_URL"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_contact_center_plans_every_setting_without_a_json_literal_in_text_and_markdown() {
    let contact_center = example("contact-center");
    let loaded = switchboard_manifest::load(
        std::path::Path::new(&contact_center),
        &switchboard_manifest::LoadOptions::default(),
    );
    let manifest = loaded.manifest.unwrap();
    let sim = switchboard_sim::Sim::builder()
        .fixture(switchboard_seed::bare_org(&manifest))
        .start()
        .await
        .unwrap();
    for format in ["text", "markdown"] {
        let output = switchboard(&sim, &["plan", &contact_center, "--format", format]).await;
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let text = stdout(&output);
        assert!(
            json_literals(&text).is_empty(),
            "{format}: {:#?}",
            json_literals(&text)
        );
        // The queue that sets everything a queue has is in it, as a reviewer reads it.
        assert!(text.contains("ring 3 (default ring)"), "{text}");
        insta::assert_snapshot!(format!("contact-center-plan-{format}"), text);
    }
    sim.shutdown().await;
}
