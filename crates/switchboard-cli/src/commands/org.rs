//! What every command that talks to an org does first: load and validate the manifest
//! (nothing is sent when it has an error), then connect with the environment's credentials,
//! refusing a region other than the manifest's.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use switchboard_client::{Client, ClientConfig, Region};
use switchboard_fetch::fetch_with_progress;
use switchboard_manifest::{Live, LoadOptions, Manifest, load};

use crate::terminal::ReadProgress;

/// The manifest at `path` (with the `env` overlay), or `None` after printing its findings
/// on stderr when it has an error. Warnings are printed too, and do not stop anything.
pub fn load_manifest(path: &Path, env: Option<&str>) -> anyhow::Result<Option<Manifest>> {
    let loaded = load(
        path,
        &LoadOptions {
            env: env.map(String::from),
            ..LoadOptions::default()
        },
    );
    if !loaded.diagnostics.is_empty() {
        let mut stderr = std::io::stderr().lock();
        stderr.write_all(loaded.findings_text().as_bytes())?;
    }
    if loaded.has_errors() {
        writeln!(
            std::io::stderr().lock(),
            "the manifest is not valid; nothing was read from or sent to the org"
        )?;
        return Ok(None);
    }
    Ok(loaded.manifest)
}

/// A client for the org the environment's credentials belong to: `GENESYS_REGION`,
/// `GENESYS_CLIENT_ID`, `GENESYS_CLIENT_SECRET`, or `GENESYS_BASE_URL` for a simulator.
pub fn connect(manifest: &Manifest) -> anyhow::Result<Client> {
    let config = ClientConfig::from_env(|key| std::env::var(key).ok())?;
    if let Some(configured) = config.hosts.region {
        let wanted: Region = manifest
            .org
            .region
            .parse()
            .context("the manifest's org.region")?;
        if wanted != configured {
            bail!(
                "refusing to connect: the manifest is for region {wanted}, but GENESYS_REGION is {configured}\nhint: set GENESYS_REGION={wanted}, or use the manifest (or --env overlay) for {configured}"
            );
        }
    }
    Ok(Client::new(config)?)
}

/// Reads what `manifest` manages from the org, with a progress bar on a terminal.
pub async fn read(client: &Client, manifest: &Manifest) -> anyhow::Result<Live> {
    let progress = ReadProgress::new("reading the org");
    let live = fetch_with_progress(client, manifest, &progress).await;
    progress.finish();
    Ok(live?)
}
