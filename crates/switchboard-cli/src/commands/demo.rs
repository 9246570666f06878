//! `switchboard demo`: an in-process simulator seeded with the demo org, and the quickstart
//! manifest validated, planned, applied and planned again against it over real HTTP,
//! printing each step.

use std::time::Instant;

use anyhow::Context;
use switchboard_client::{Client, ClientConfig, Credentials, Hosts};
use switchboard_sim::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Fixture, Sim};

use super::Outcome;
use crate::cli::DemoArgs;

/// The demo org, built into the binary so the demo runs from any directory.
const DEMO_FIXTURE: &str = include_str!("../../../../examples/sim-org.yaml");

/// The quickstart manifest, likewise built in.
const QUICKSTART: &str = include_str!("../../../../examples/quickstart/manifest.yaml");

/// Runs the walkthrough.
pub async fn run(_args: DemoArgs) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let fixture =
        Fixture::from_yaml(DEMO_FIXTURE).context("the built-in demo org does not load")?;

    step(1, "start a simulated Genesys Cloud org on this machine");
    let sim = Sim::builder()
        .fixture(fixture)
        .start()
        .await
        .context("could not start the simulator")?;
    println!(
        "  listening on {} (loopback only; OAuth and API on one address)",
        sim.base_url()
    );

    step(
        2,
        "authenticate with OAuth client credentials and check which org this is",
    );
    let hosts = Hosts::from_urls(&sim.base_url(), &sim.base_url())?;
    let client = Client::new(ClientConfig::new(
        hosts,
        Credentials::new(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET),
    ))?;
    let org = client.organization().await?;
    let token = client.token_info().await?;
    println!(
        "  org {} ({}), OAuth client {}",
        org.name.as_deref().unwrap_or("?"),
        org.id.as_deref().unwrap_or("?"),
        token
            .oauth_client
            .and_then(|c| c.name.or(c.id))
            .unwrap_or_else(|| "?".into())
    );

    step(
        3,
        "validate the quickstart manifest offline (no credentials, no API calls)",
    );
    let loaded = switchboard_manifest::load_str("examples/quickstart/manifest.yaml", QUICKSTART);
    print!("{}", loaded.findings_text());
    let Some(manifest) = loaded.manifest else {
        anyhow::bail!("the built-in quickstart manifest does not validate");
    };
    println!(
        "  valid: {} skills, {} wrap-up codes, {} queues, {} agents, for org {:?}",
        manifest.skills.len(),
        manifest.wrapup_codes.len(),
        manifest.queues.len(),
        manifest.agents.len(),
        manifest.org.name.as_deref().unwrap_or("?")
    );
    println!("  try: switchboard validate examples/quickstart --format json");

    step(
        4,
        "plan: read what the manifest manages, and show what apply would change",
    );
    let before = client.stats().requests;
    let live = switchboard_fetch::fetch(&client, &manifest).await?;
    println!(
        "  read {} queues, {} skills and {} users in {} requests (one per page, nothing per object)\n",
        live.queues.len(),
        live.skills.len(),
        live.users.len(),
        client.stats().requests - before
    );
    let plan = switchboard_plan::diff(&manifest, &live, &switchboard_plan::Policy::default())?;
    let style = switchboard_plan::render::TextStyle {
        color: crate::terminal::colour_stdout(),
    };
    for line in switchboard_plan::render::text(&plan, &style).lines() {
        if line.is_empty() {
            println!();
        } else {
            println!("  {line}");
        }
    }
    println!(
        "\n  try: switchboard plan examples/quickstart --format markdown (see README.md for the environment)"
    );

    step(5, "apply the plan: wave by wave, with bulk writes");
    let report = switchboard_apply::run(&client, &plan, &live).await;
    for result in &report.steps {
        let status = match &result.status {
            switchboard_apply::Status::Applied => "applied".to_string(),
            switchboard_apply::Status::Adopted => "adopted (it already existed)".to_string(),
            switchboard_apply::Status::Failed(why) => format!("FAILED: {why}"),
            switchboard_apply::Status::Skipped(why) => format!("skipped: {why}"),
        };
        println!("  {:<50} {status}", result.object);
    }
    if !report.succeeded() {
        anyhow::bail!("the demo's apply did not succeed");
    }

    step(6, "plan again: the org now matches the manifest");
    let live = switchboard_fetch::fetch(&client, &manifest).await?;
    let again = switchboard_plan::diff(&manifest, &live, &switchboard_plan::Policy::default())?;
    for line in switchboard_plan::render::text(&again, &style).lines() {
        println!("  {line}");
    }
    if !again.changes.is_empty() {
        anyhow::bail!("the demo's org did not converge");
    }

    step(7, "what it cost");
    let stats = client.stats();
    println!(
        "  {} API requests and {} token request(s); {} retries, {} rate-limited answers",
        stats.requests, stats.token_requests, stats.retries, stats.rate_limited
    );
    println!(
        "  the simulator's journal recorded {} requests",
        sim.journal().len()
    );
    sim.shutdown().await;
    println!("\ndone in {:.1}s", started.elapsed().as_secs_f64());
    println!(
        "next: README.md covers writing and validating a manifest, running the simulator, and connecting a real org"
    );
    Ok(Outcome::Success)
}

fn step(number: u32, title: &str) {
    println!("\n== {number}. {title}");
}
