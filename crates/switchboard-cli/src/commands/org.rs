//! What every command that talks to an org does first: load and validate the manifest
//! (nothing is sent when it has an error), then connect with the environment's credentials,
//! refusing a region other than the manifest's.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use switchboard_client::{Client, ClientConfig, ConfigError, Region};
use switchboard_fetch::fetch_with_progress;
use switchboard_manifest::{Live, LoadOptions, Loaded, Manifest, load};

use crate::secret;
use crate::settings::Settings;
use crate::terminal::{ReadProgress, note};

/// The manifest at `path` (with the `env` overlay), or `None` after printing its findings
/// on stderr when it has an error. Warnings are printed too, and do not stop anything.
pub fn load_manifest(path: &Path, env: Option<&str>) -> anyhow::Result<Option<Manifest>> {
    load_manifest_checked(path, env, false)
}

/// [`load_manifest`]; with `strict` (`--strict`), a warning finding refuses the manifest
/// as an error does.
pub fn load_manifest_checked(
    path: &Path,
    env: Option<&str>,
    strict: bool,
) -> anyhow::Result<Option<Manifest>> {
    let loaded = load(
        path,
        &LoadOptions {
            env: env.map(String::from),
            ..LoadOptions::default()
        },
    );
    if strict && !loaded.has_errors() && !loaded.diagnostics.is_empty() {
        let mut stderr = std::io::stderr().lock();
        let _ = stderr.write_all(loaded.findings_text().as_bytes());
        let _ = writeln!(stderr, "--strict: the manifest's warnings count as errors");
        drop(stderr);
        refused_manifest();
        return Ok(None);
    }
    if report_findings(&loaded) {
        refused_manifest();
        return Ok(None);
    }
    Ok(loaded.manifest)
}

/// Says on stderr that an invalid manifest stopped the command before any request.
pub fn refused_manifest() {
    let _ = writeln!(
        std::io::stderr().lock(),
        "the manifest is not valid; nothing was read from or sent to the org"
    );
}

/// Prints a loaded manifest's findings on stderr (warnings only without `--quiet`); true
/// when it has an error.
pub fn report_findings(loaded: &Loaded) -> bool {
    if loaded.has_errors() {
        let _ = std::io::stderr()
            .lock()
            .write_all(loaded.findings_text().as_bytes());
        true
    } else {
        if !loaded.diagnostics.is_empty() {
            note(&loaded.findings_text());
        }
        false
    }
}

/// A client for the org the credentials belong to, with the resolved `settings`, refusing
/// a region other than the manifest's.
pub fn connect(manifest: &Manifest, settings: &Settings) -> anyhow::Result<Client> {
    let config = client_config(settings)?;
    if let Some(configured) = config.hosts.region {
        let wanted: Region = manifest
            .org
            .region
            .parse()
            .context("the manifest's org.region")?;
        if wanted != configured {
            let source = settings
                .region
                .as_ref()
                .map_or_else(|| "the environment".to_string(), |r| r.source.to_string());
            bail!(
                "refusing to connect: the manifest is for region {wanted}, but the region configured by {source} is {configured}\nhint: set the region to {wanted} (--region, GENESYS_REGION or switchboard.toml; `switchboard config` shows which is used), or use the manifest (or --env overlay) for {configured}"
            );
        }
    }
    Ok(Client::new(config)?)
}

/// The client settings: the region and the client id from the environment (the region
/// also from `settings`), the secret from exactly one of `GENESYS_CLIENT_SECRET`,
/// `GENESYS_CLIENT_SECRET_FILE` and `--client-secret-stdin`, and the concurrency, token
/// pool and request timeout `settings` resolved.
pub fn client_config(settings: &Settings) -> anyhow::Result<ClientConfig> {
    let mut config = match ClientConfig::from_env_with(
        settings.environment(|key| std::env::var(key).ok()),
        |path| std::fs::read_to_string(path),
        secret::client_secret_from_stdin(),
    ) {
        Ok(config) => config,
        Err(ConfigError::NoSecret) => bail!(
            "no client secret given\nhint: set GENESYS_CLIENT_SECRET, point GENESYS_CLIENT_SECRET_FILE at a file holding it, or pipe it in with --client-secret-stdin"
        ),
        Err(error) => return Err(error.into()),
    };
    config.request_timeout = settings.request_timeout.value;
    config.token_pool_size = settings.token_pool.value;
    config.max_concurrency = settings.concurrency.value;
    Ok(config)
}

/// Reads what `manifest` manages from the org, with a progress bar on a terminal.
pub async fn read(client: &Client, manifest: &Manifest) -> anyhow::Result<Live> {
    let progress = ReadProgress::new("reading the org");
    let live = fetch_with_progress(client, manifest, &progress).await;
    progress.finish();
    Ok(live?)
}
