//! What every command that talks to an org does first: load and validate the manifest
//! (nothing is sent when it has an error), then connect with the environment's credentials,
//! refusing a region other than the manifest's.

use std::io::Write;
use std::num::NonZeroUsize;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use switchboard_client::{Client, ClientConfig, ConfigError, Region};
use switchboard_fetch::fetch_with_progress;
use switchboard_manifest::{Live, LoadOptions, Manifest, load};

use crate::duration::parse_duration;
use crate::secret;
use crate::terminal::ReadProgress;

/// The variable bounding one HTTP attempt (a duration such as `30s`).
const REQUEST_TIMEOUT: &str = "SWITCHBOARD_REQUEST_TIMEOUT";
const TOKEN_POOL: &str = "SWITCHBOARD_TOKEN_POOL";

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
/// `GENESYS_CLIENT_ID`, the secret (see [`client_config`]), or `GENESYS_BASE_URL` for a
/// simulator.
pub fn connect(manifest: &Manifest) -> anyhow::Result<Client> {
    let config = client_config()?;
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

/// The client settings from the environment: the secret from exactly one of
/// `GENESYS_CLIENT_SECRET`, `GENESYS_CLIENT_SECRET_FILE` and `--client-secret-stdin`, and
/// the timeout of one attempt from `SWITCHBOARD_REQUEST_TIMEOUT` (30 s when unset), the
/// number of tokens from `SWITCHBOARD_TOKEN_POOL` (1 when unset).
pub fn client_config() -> anyhow::Result<ClientConfig> {
    let mut config = match ClientConfig::from_env_with(
        |key| std::env::var(key).ok(),
        |path| std::fs::read_to_string(path),
        secret::client_secret_from_stdin(),
    ) {
        Ok(config) => config,
        Err(ConfigError::NoSecret) => bail!(
            "no client secret given\nhint: set GENESYS_CLIENT_SECRET, point GENESYS_CLIENT_SECRET_FILE at a file holding it, or pipe it in with --client-secret-stdin"
        ),
        Err(error) => return Err(error.into()),
    };
    if let Some(timeout) = request_timeout()? {
        config.request_timeout = timeout;
    }
    if let Some(tokens) = token_pool()? {
        config.token_pool_size = tokens;
    }
    Ok(config)
}

/// `SWITCHBOARD_TOKEN_POOL`, when set: how many tokens to obtain from the OAuth client, each
/// with its own request budget (API-FACTS: `client.credentials.token.rate.per.minute` is 300 per token).
fn token_pool() -> anyhow::Result<Option<NonZeroUsize>> {
    match std::env::var(TOKEN_POOL) {
        Ok(raw) if raw.trim().is_empty() => Ok(None),
        Ok(raw) => match raw.trim().parse::<NonZeroUsize>() {
            Ok(n) if n.get() <= 50 => Ok(Some(n)),
            _ => bail!(
                "{TOKEN_POOL} must be a whole number from 1 to 50, not {raw:?}\nhint: 1 (the default) keeps under 300 requests a minute; each more token adds 300"
            ),
        },
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => bail!("{TOKEN_POOL} is not valid UTF-8"),
    }
}

/// `SWITCHBOARD_REQUEST_TIMEOUT`, when set.
fn request_timeout() -> anyhow::Result<Option<Duration>> {
    match std::env::var(REQUEST_TIMEOUT) {
        Ok(raw) if raw.trim().is_empty() => Ok(None),
        Ok(raw) => parse_duration(&raw)
            .map(Some)
            .map_err(|reason| anyhow!("{REQUEST_TIMEOUT}: {reason}")),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => bail!("{REQUEST_TIMEOUT} is not valid UTF-8"),
    }
}

/// Reads what `manifest` manages from the org, with a progress bar on a terminal.
pub async fn read(client: &Client, manifest: &Manifest) -> anyhow::Result<Live> {
    let progress = ReadProgress::new("reading the org");
    let live = fetch_with_progress(client, manifest, &progress).await;
    progress.finish();
    Ok(live?)
}
