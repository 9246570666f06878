//! `switchboard sim`: the simulator as a standalone server.

use std::io::Write;
use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{Context, bail};
use secrecy::{ExposeSecret, SecretString};
use switchboard_sim::{
    ClientCredentials, DEFAULT_ORG_ID, DEFAULT_ORG_NAME, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET,
    FaultAction, FaultRule, GeneratorSpec, Latency, Sim, SimConfig,
};

use super::Outcome;
use crate::cli::{GeneratedSize, SimArgs};
use crate::secret;

/// The variable holding the secret of `--client-id`.
const SIM_CLIENT_SECRET: &str = "SWITCHBOARD_SIM_CLIENT_SECRET";

/// Runs the simulator until Ctrl-C, then saves its state if asked to.
pub async fn run(args: SimArgs) -> anyhow::Result<Outcome> {
    let config = resolve(&args)?;
    let demo_client = config.demo_client;
    let mut builder = Sim::builder().config(config);
    if let Some(path) = &args.seed_from {
        builder = builder.fixture(org_for(path, args.env.as_deref())?);
    }
    let sim = builder
        .start()
        .await
        .context("could not start the simulator")?;
    let url = sim.base_url();
    let mut banner = format!("switchboard sim listening on {url}\n");
    banner.push_str(&format!(
        "  org: {DEFAULT_ORG_NAME} ({DEFAULT_ORG_ID}) unless the seed names another\n"
    ));
    if demo_client {
        banner.push_str(&format!(
            "  demo client: {DEMO_CLIENT_ID} / {DEMO_CLIENT_SECRET}\n"
        ));
        banner.push_str(&format!(
            "  try: curl -u {DEMO_CLIENT_ID}:{DEMO_CLIENT_SECRET} -d grant_type=client_credentials {url}/oauth/token\n"
        ));
    }
    banner.push_str(&format!(
        "  point switchboard at it with GENESYS_BASE_URL={url}\npress Ctrl-C to stop\n"
    ));
    say(&banner);
    tokio::signal::ctrl_c()
        .await
        .context("could not wait for Ctrl-C")?;
    say("stopping\n");
    sim.save_state()
        .context("could not save the simulator state")?;
    sim.shutdown().await;
    Ok(Outcome::Success)
}

/// The org the manifest at `path` is for, before anything was configured
/// ([`switchboard_seed::bare_org`]). A manifest with errors is refused, with its findings.
fn org_for(path: &std::path::Path, env: Option<&str>) -> anyhow::Result<switchboard_sim::Fixture> {
    let loaded = switchboard_manifest::load(
        path,
        &switchboard_manifest::LoadOptions {
            env: env.map(String::from),
            ..switchboard_manifest::LoadOptions::default()
        },
    );
    match loaded.manifest.as_ref() {
        Some(manifest) if !loaded.has_errors() => Ok(switchboard_seed::bare_org(manifest)),
        _ => bail!(
            "{}could not seed the org of {}: the manifest has errors\nhint: switchboard validate {} shows them",
            loaded.findings_text(),
            path.display(),
            path.display()
        ),
    }
}

/// Settings: the config file first, then flags (and their environment variables) over it.
fn resolve(args: &SimArgs) -> anyhow::Result<SimConfig> {
    let mut config = match &args.config {
        Some(path) => SimConfig::from_file(path)
            .with_context(|| format!("could not read {}", path.display()))?,
        None => SimConfig::default(),
    };
    config.bind = SocketAddr::new(args.bind, args.port);
    if let Some(seed) = &args.seed {
        config.fixture = Some(seed.clone());
    }
    if let Some(size) = args.generate {
        config.generate = Some(match size {
            GeneratedSize::Small => GeneratorSpec::small(),
            GeneratedSize::Large => GeneratorSpec::large(),
        });
    }
    if let Some(state) = &args.state {
        config.state_file = Some(state.clone());
    }
    if let Some(journal) = &args.journal {
        config.journal.file = Some(journal.clone());
    }
    config.journal.response_bodies |= args.journal_bodies;
    match (&args.client_id, client_secret(args)?) {
        (Some(id), Some(secret)) => config.clients.push(ClientCredentials::new(
            id.clone(),
            secret.expose_secret().to_string(),
        )),
        (Some(_), None) => bail!(
            "--client-id needs a secret\nhint: set {SIM_CLIENT_SECRET}, or pass --client-secret-file FILE"
        ),
        (None, Some(_)) => {
            bail!(
                "a client secret needs --client-id\nhint: pass --client-id ID or set SWITCHBOARD_SIM_CLIENT_ID"
            )
        }
        (None, None) => {}
    }
    if args.no_demo_client {
        config.demo_client = false;
    }
    if let Some(seconds) = args.token_lifetime {
        config.token_lifetime = Duration::from_secs(seconds);
    }
    if let Some(limit) = args.rate_limit {
        config.rate_limit.per_window = limit;
        config.rate_limit.window = Duration::from_secs(60);
    }
    if args.latency_ms.is_some() || args.jitter_ms.is_some() {
        config.faults.latency = Some(Latency {
            fixed_ms: args.latency_ms.unwrap_or(0),
            jitter_ms: args.jitter_ms.unwrap_or(0),
            ..Latency::default()
        });
    }
    if let Some(rate) = args.error_rate {
        let rate = probability("--error-rate", rate)?;
        // One rule per status, each taking its share of what the earlier ones let through.
        for (index, status) in [502u16, 503, 504].into_iter().enumerate() {
            let share = rate / (3.0 - rate * index as f64);
            config.faults.rules.push(
                FaultRule::new(FaultAction::Status {
                    status,
                    retry_after: None,
                })
                .path_prefix("/api/v2/")
                .probability(share),
            );
        }
    }
    if let Some(rate) = args.drop_rate {
        let rate = probability("--drop-rate", rate)?;
        config.faults.rules.push(
            FaultRule::new(FaultAction::Drop)
                .path_prefix("/api/v2/")
                .probability(rate),
        );
    }
    if let Some(ms) = args.eventual_consistency_ms {
        config.faults.eventual_consistency_ms = ms;
    }
    if let Some(seed) = args.fault_seed {
        config.faults.seed = seed;
    }
    Ok(config)
}

/// The secret of `--client-id`: `SWITCHBOARD_SIM_CLIENT_SECRET` or `--client-secret-file`,
/// not both.
fn client_secret(args: &SimArgs) -> anyhow::Result<Option<SecretString>> {
    let value = std::env::var(SIM_CLIENT_SECRET)
        .ok()
        .filter(|value| !value.is_empty())
        .map(SecretString::from);
    match (value, &args.client_secret_file) {
        (Some(_), Some(_)) => bail!(
            "the client secret is given twice, by {SIM_CLIENT_SECRET} and by --client-secret-file\nhint: keep only one of them"
        ),
        (Some(value), None) => Ok(Some(value)),
        (None, Some(path)) => secret::read_file(path, "--client-secret-file").map(Some),
        (None, None) => Ok(None),
    }
}

/// Writes to stderr; a closed stderr (a supervisor that stopped reading) must not stop the
/// server, so write errors are ignored.
fn say(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

fn probability(flag: &str, rate: f64) -> anyhow::Result<f64> {
    if !(0.0..=1.0).contains(&rate) {
        bail!("{flag} must be between 0 and 1, got {rate}");
    }
    Ok(rate)
}
