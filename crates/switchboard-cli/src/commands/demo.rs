//! `switchboard demo`: an in-process simulator and a real client round trip against it,
//! over real HTTP, printing each step.

use std::time::Instant;

use anyhow::Context;
use switchboard_client::models::{QueueFilter, WrapupCodeRequest};
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

    step(3, "read the routing configuration, one request per page");
    let divisions = client.list_divisions().await?;
    let skills = client.list_skills().await?;
    let languages = client.list_languages().await?;
    let codes = client.list_wrapup_codes().await?;
    let queues = client.list_queues(&QueueFilter::default()).await?;
    println!(
        "  {} divisions, {} skills, {} languages, {} wrap-up codes, {} queues",
        divisions.len(),
        skills.iter().filter(|s| s.is_live()).count(),
        languages.iter().filter(|l| l.is_live()).count(),
        codes.len(),
        queues.len()
    );
    for queue in &queues {
        let id = queue.id.as_deref().unwrap_or_default();
        let members = client.list_queue_members(id).await?;
        let queue_codes = client.list_queue_wrapup_codes(id).await?;
        println!(
            "  - {:<24} {} members, {} wrap-up codes",
            queue.name,
            members.len(),
            queue_codes.len()
        );
    }

    step(
        4,
        "write: create a wrap-up code, add it to a queue, then undo both",
    );
    let created = client
        .create_wrapup_code(&WrapupCodeRequest {
            name: "Demo Follow-up".into(),
            description: Some("created by switchboard demo".into()),
            division: None,
        })
        .await?;
    let code_id = created.id.clone().unwrap_or_default();
    println!("  created wrap-up code {:?} ({code_id})", created.name);
    if let Some(queue) = queues.first() {
        let queue_id = queue.id.as_deref().unwrap_or_default();
        client
            .add_queue_wrapup_codes(queue_id, std::slice::from_ref(&code_id))
            .await?;
        println!("  added it to queue {:?}", queue.name);
        client.remove_queue_wrapup_code(queue_id, &code_id).await?;
        println!("  removed it from queue {:?}", queue.name);
    }
    client.delete_wrapup_code(&code_id).await?;
    println!("  deleted it again");

    step(
        5,
        "validate the quickstart manifest offline (no credentials, no API calls)",
    );
    let loaded = switchboard_manifest::load_str("examples/quickstart/manifest.yaml", QUICKSTART);
    print!("{}", loaded.findings_text());
    match &loaded.manifest {
        Some(m) => println!(
            "  valid: {} skills, {} wrap-up codes, {} queues, {} agents, for org {:?}",
            m.skills.len(),
            m.wrapup_codes.len(),
            m.queues.len(),
            m.agents.len(),
            m.org.name.as_deref().unwrap_or("?")
        ),
        None => anyhow::bail!("the built-in quickstart manifest does not validate"),
    }
    println!("  try: switchboard validate examples/quickstart --format json");

    step(6, "what it cost");
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
