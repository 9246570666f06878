//! `switchboard demo`: an in-process simulator seeded with the demo org, and the quickstart
//! manifest taken through what switchboard does — validate, plan, apply, plan again, an
//! edit "made in the admin UI", drift with attribution, the patch that adopts it, and an
//! export — over real HTTP, printing each step. Nothing is written to disk.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, bail};
use switchboard_client::{Client, ClientConfig, Credentials, Hosts};
use switchboard_drift::{Plans, attribute, classify};
use switchboard_export::{ExportOptions, Section, export};
use switchboard_fetch::{EverythingScope, fetch, fetch_everything};
use switchboard_manifest::edit::{Editable, SourceFile};
use switchboard_manifest::{Live, Manifest};
use switchboard_plan::render::{TextStyle, text};
use switchboard_plan::{Plan, Policy, diff};
use switchboard_sim::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Fixture, RunningSim, Sim};

use super::Outcome;
use crate::cli::DemoArgs;
use crate::terminal::colour_stdout;

/// The demo org, built into the binary so the demo runs from any directory.
const DEMO_FIXTURE: &str = include_str!("../../../../examples/sim-org.yaml");

/// The quickstart manifest, likewise built in, under the path it has in the repository.
const QUICKSTART: &str = include_str!("../../../../examples/quickstart/manifest.yaml");
const QUICKSTART_DIR: &str = "examples/quickstart";
const QUICKSTART_FILE: &str = "manifest.yaml";

/// The edits "made in the admin UI" in step 5: a queue setting and an agent's skill.
const EDITED_QUEUE: &str = "Billing EN";
const ALERTING_TIMEOUT: &str = "/mediaSettings/call/alertingTimeoutSeconds";
const NEW_ALERTING_TIMEOUT: u32 = 12;
const EDITED_AGENT: &str = "bo.berg@example.com";
const EDITED_SKILL: &str = "Billing";
const NEW_PROFICIENCY: f64 = 2.0;

/// Runs the walkthrough.
pub async fn run(_args: DemoArgs) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let fixture =
        Fixture::from_yaml(DEMO_FIXTURE).context("the built-in demo org does not load")?;
    let sim = Sim::builder()
        .fixture(fixture)
        .start()
        .await
        .context("could not start the simulator")?;
    let outcome = walk_through(&sim).await;
    sim.shutdown().await;
    outcome?;
    println!("\ndone in {:.1}s", started.elapsed().as_secs_f64());
    println!(
        "next: connect your own org with docs/getting-started.md; docs/recipes/ has CI pipelines for pull-request plans, drift checks and apply on merge"
    );
    Ok(Outcome::Success)
}

async fn walk_through(sim: &RunningSim) -> anyhow::Result<()> {
    println!(
        "A simulated Genesys Cloud org, \"Switchboard Demo Org\", is running on {} (loopback only).",
        sim.base_url()
    );
    println!(
        "switchboard talks to it over HTTP exactly as to a real org: OAuth client credentials, then the Platform API v2."
    );
    let hosts = Hosts::from_urls(&sim.base_url(), &sim.base_url())?;
    let client = Client::new(ClientConfig::new(
        hosts,
        Credentials::new(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET),
    ))?;
    let style = TextStyle {
        color: colour_stdout(),
    };

    step(
        1,
        "validate the manifest",
        Some("switchboard validate examples/quickstart"),
    );
    let editable = Editable::from_sources(
        QUICKSTART_DIR,
        vec![SourceFile {
            path: PathBuf::from(QUICKSTART_DIR).join(QUICKSTART_FILE),
            text: QUICKSTART.to_string(),
        }],
        false,
    )
    .map_err(|loaded| {
        anyhow::anyhow!(
            "the built-in quickstart manifest does not validate:\n{}",
            loaded.findings_text()
        )
    })?;
    print_indented(&editable.loaded().findings_text());
    let manifest = editable.manifest().clone();
    println!(
        "  valid: {}, {}, {}, {}, {}, for org {:?} ({})",
        count(manifest.skills.len(), "skill"),
        count(manifest.languages.len(), "language"),
        count(manifest.wrapup_codes.len(), "wrap-up code"),
        count(manifest.queues.len(), "queue"),
        count(manifest.agents.len(), "agent"),
        manifest.org.name.as_deref().unwrap_or("?"),
        manifest.org.region,
    );
    println!(
        "  offline: no credentials, no API calls; errors come as file:line:column with a hint"
    );

    step(
        2,
        "plan: what apply would change",
        Some("switchboard plan examples/quickstart"),
    );
    let before = client.stats().requests;
    let live = fetch(&client, &manifest).await?;
    println!(
        "  read {} queues, {} skills and {} users in {} requests (one per page of a list, none per object)\n",
        live.queues.len(),
        live.skills.len(),
        live.users.len(),
        client.stats().requests - before
    );
    let plan = diff(&manifest, &live, &Policy::default())?;
    print_indented(&text(&plan, &style));

    step(
        3,
        "apply: wave by wave, with bulk writes, then verify",
        Some(
            "switchboard apply examples/quickstart   # or: plan --out plan.json, review, apply plan.json",
        ),
    );
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
        bail!("the demo's apply did not succeed");
    }

    step(
        4,
        "plan again: nothing left to do",
        Some("switchboard plan examples/quickstart --detailed-exitcode   # exits 0"),
    );
    let live = converged(&client, &manifest, &style).await?;

    step(
        5,
        "meanwhile, Dana Admin changes the org in the admin UI",
        None,
    );
    let current = live
        .queues
        .get(EDITED_QUEUE)
        .and_then(|q| q.body.pointer(ALERTING_TIMEOUT))
        .map_or_else(|| "?".to_string(), ToString::to_string);
    sim.admin()
        .set_queue_field(
            EDITED_QUEUE,
            ALERTING_TIMEOUT,
            serde_json::json!(NEW_ALERTING_TIMEOUT),
        )
        .context("the admin edit of the queue")?;
    sim.admin()
        .set_user_skill(EDITED_AGENT, EDITED_SKILL, NEW_PROFICIENCY)
        .context("the admin edit of the agent")?;
    // No arrow here: in the drift report below, `→` goes from the org's value to the
    // manifest's, as in a plan.
    println!(
        "  queue {EDITED_QUEUE:?}: alerting timeout set to {NEW_ALERTING_TIMEOUT} s (was {current} s)"
    );
    println!("  agent {EDITED_AGENT}: {EDITED_SKILL} proficiency set to {NEW_PROFICIENCY}");

    step(
        6,
        "drift: what changed outside git, and who changed it",
        Some("switchboard drift examples/quickstart   # exits 2 on drift"),
    );
    let live = fetch(&client, &manifest).await?;
    let mut drift = classify(&Plans::of(&manifest, &live)?, &live);
    attribute(&client, &mut drift).await;
    print_indented(&switchboard_drift::render::text(
        &drift,
        &switchboard_drift::render::TextStyle { color: style.color },
    ));
    if drift.in_sync() {
        bail!("the demo's drift check found nothing to report");
    }

    step(
        7,
        "drift --patch: adopt the admin's changes into the manifest",
        Some(
            // drift exits 2 when there is drift (and so a patch): `&&` would never apply it.
            "switchboard drift examples/quickstart --patch adopt.patch; [ $? -eq 2 ] && git -C examples/quickstart apply ../../adopt.patch",
        ),
    );
    let patch = switchboard_patch::patch(&editable, &live)?;
    print_indented(&patch.diff);
    for note in &patch.notes {
        println!("  not adopted: {note}");
    }
    let patched = adopt(&editable, &patch)?;
    let after = diff(patched.manifest(), &live, &Policy::default())?;
    if !after.changes.is_empty() {
        bail!("the demo's patched manifest does not match the org");
    }
    println!(
        "\n  with the patch applied, a plan shows no changes: the org matches the manifest in git again"
    );
    println!(
        "  (or leave the manifest alone, and `switchboard apply` puts the org back as git says)"
    );

    step(
        8,
        "export: the whole org as a manifest directory, to start from",
        Some("switchboard export --out exported"),
    );
    export_org(&client, &manifest.org.region).await?;

    println!("\n== the org matches the manifest (the quickstart with the adopted patch)\n");
    converged(&client, patched.manifest(), &style).await?;

    let stats = client.stats();
    println!(
        "\nIn all: {} API requests and {} token request(s), {} retries, {} rate-limited answers; the simulator recorded {} requests.\nRequests are paced under the API's 300 a minute per token, as a real org requires: that is most of the time this took.",
        stats.requests,
        stats.token_requests,
        stats.retries,
        stats.rate_limited,
        sim.journal_len()
    );
    Ok(())
}

/// Reads the org again and shows that `manifest` plans to no changes against it.
async fn converged(
    client: &Client,
    manifest: &Manifest,
    style: &TextStyle,
) -> anyhow::Result<Live> {
    let live = fetch(client, manifest).await?;
    let again = diff(manifest, &live, &Policy::default())?;
    print_indented(&text(&again, style));
    if !again.changes.is_empty() {
        bail!("the demo's org did not converge");
    }
    Ok(live)
}

/// The manifest with the patch's files in place of the originals.
fn adopt(editable: &Editable, patch: &switchboard_patch::Patch) -> anyhow::Result<Editable> {
    let files = editable
        .files()
        .iter()
        .map(|file| {
            let path = file.path.to_string_lossy();
            let after = patch
                .files
                .iter()
                .find(|patched| path.ends_with(&patched.path))
                .map_or_else(|| file.text.clone(), |patched| patched.after.clone());
            SourceFile {
                path: file.path.clone(),
                text: after,
            }
        })
        .collect();
    editable.with_files(files).map_err(|loaded| {
        anyhow::anyhow!(
            "the demo's patched manifest does not load:\n{}",
            loaded.findings_text()
        )
    })
}

/// Exports everything, lists the files, shows one, and checks that the export plans to no
/// changes against the org it came from.
async fn export_org(client: &Client, region: &str) -> anyhow::Result<()> {
    let scope = EverythingScope::default();
    let live = fetch_everything(client, &scope).await?;
    let options = ExportOptions {
        region: region.to_string(),
        include: Section::ALL.into_iter().collect(),
        division: None,
    };
    let exported = export(&live, &options)?;
    for file in &exported.files {
        println!(
            "  exported/{:<32} {} lines",
            file.path,
            file.contents.lines().count()
        );
    }
    if let Some(queue) = exported
        .files
        .iter()
        .find(|f| f.path.starts_with("queues/"))
    {
        println!("\n  exported/{}:", queue.path);
        for line in queue.contents.lines().take(14) {
            println!("  | {line}");
        }
        println!("  | ...");
    }
    let files = exported
        .files
        .iter()
        .map(|file| SourceFile {
            path: PathBuf::from("exported").join(&file.path),
            text: file.contents.clone(),
        })
        .collect();
    let reloaded = Editable::from_sources("exported", files, false).map_err(|loaded| {
        anyhow::anyhow!(
            "the demo's export does not load:\n{}",
            loaded.findings_text()
        )
    })?;
    let plan: Plan = diff(reloaded.manifest(), &live, &Policy::default())?;
    if !plan.changes.is_empty() {
        bail!("the demo's export does not plan to no changes");
    }
    println!("\n  the export loads and plans to no changes against the org it came from");
    Ok(())
}

/// A step's heading, with the command that does the same on a real org.
fn step(number: u32, title: &str, command: Option<&str>) {
    match command {
        Some(command) => println!("\n== {number}. {title}\n   $ {command}\n"),
        None => println!("\n== {number}. {title}\n"),
    }
}

/// `1 queue`, `2 queues`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Prints `text` indented by two spaces, blank lines kept blank.
fn print_indented(text: &str) {
    for line in text.lines() {
        if line.is_empty() {
            println!();
        } else {
            println!("  {line}");
        }
    }
}
