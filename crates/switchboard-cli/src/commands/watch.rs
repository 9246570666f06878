//! `switchboard watch`: a long-running drift watcher. Events from the notification channels
//! (and a signed webhook receiver) trigger targeted checks; a full check runs every
//! `--interval`; drift is written as JSON lines on stdout, logged on stderr, optionally
//! posted to `--notify` and, with `--remediate`, re-applied to the drifted objects only.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use switchboard_watch::CancellationToken;
use switchboard_watch::check::Checker;
use switchboard_watch::notify::Notifier;
use switchboard_watch::receiver::ReceiverConfig;
use switchboard_watch::run::{WatchConfig, watch};
use switchboard_watch::shutdown::cancel_on_signals;

use super::Outcome;
use super::org::{connect, load_manifest};
use crate::duration::parse_duration;
use crate::secret;

/// The environment variable holding the secret webhook senders sign with (or, with
/// `_FILE`, naming a file holding it).
const WEBHOOK_SECRET: &str = "SWITCHBOARD_WEBHOOK_SECRET";
/// The environment variable holding the secret `--notify` posts are signed with (or, with
/// `_FILE`, naming a file holding it).
const NOTIFY_SECRET: &str = "SWITCHBOARD_NOTIFY_SECRET";

const WATCH_EXAMPLES: &str = concat!(
    "\
Examples:
  switchboard watch manifests/ --env prod
  switchboard watch manifests/ --interval 30m --notify https://wfm.example.com/hooks/routing
  SWITCHBOARD_WEBHOOK_SECRET_FILE=/run/secrets/webhook switchboard watch manifests/ --listen 0.0.0.0:8080
  switchboard watch manifests/ --remediate --audit-log /var/log/switchboard-audit.jsonl

Output: one JSON line per check, drift and remediation on stdout (docs/watch.md); logs on
stderr. Stops gracefully on SIGTERM or Ctrl-C.
--listen serves POST /events (HMAC-SHA256 signed with SWITCHBOARD_WEBHOOK_SECRET, or the
content of the file SWITCHBOARD_WEBHOOK_SECRET_FILE names) and GET /healthz. --notify
posts are signed with SWITCHBOARD_NOTIFY_SECRET (or _FILE) when it is set.
",
    crate::cli::credentials_help!()
);

/// `switchboard watch`.
#[derive(Debug, Args)]
#[command(after_help = WATCH_EXAMPLES)]
pub struct WatchArgs {
    /// A manifest file, or a directory of YAML files.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Merge `environments/<ENV>.yaml` over the base.
    #[arg(long, value_name = "ENV")]
    pub env: Option<String>,

    /// How often a full check runs (e.g. 15m, 1h).
    #[arg(long, value_name = "DURATION", default_value = "15m", value_parser = parse_duration)]
    pub interval: Duration,

    /// How long change events are gathered into one targeted check.
    #[arg(long, value_name = "DURATION", default_value = "300ms", value_parser = parse_duration)]
    pub debounce: Duration,

    /// Serve POST /events (signed webhook events, e.g. from an EventBridge relay) and
    /// GET /healthz on this port of the loopback address (`8080`), or on this address
    /// (`0.0.0.0:8080`). Needs SWITCHBOARD_WEBHOOK_SECRET or SWITCHBOARD_WEBHOOK_SECRET_FILE.
    #[arg(long, value_name = "[ADDR:]PORT", value_parser = parse_listen)]
    pub listen: Option<SocketAddr>,

    /// Do not subscribe to the org's notification channels (rely on --listen and
    /// --interval).
    #[arg(long)]
    pub no_notifications: bool,

    /// POST each drift (and remediation) record to this URL, retried with backoff.
    #[arg(long, value_name = "URL")]
    pub notify: Option<String>,

    /// Re-apply the manifest to drifted objects only, under apply's safety policy.
    #[arg(long)]
    pub remediate: bool,

    /// The audit log remediation appends to [env: SWITCHBOARD_AUDIT_LOG; file: audit_log;
    /// default switchboard-audit.jsonl].
    #[arg(long, value_name = "FILE")]
    pub audit_log: Option<PathBuf>,

    /// Region, concurrency, token pool and request timeout.
    #[command(flatten)]
    pub connection: crate::settings::ConnectionArgs,
}

/// Watches until SIGTERM or Ctrl-C.
pub async fn run(args: &WatchArgs) -> anyhow::Result<Outcome> {
    let receiver = match args.listen {
        Some(addr) => Some(ReceiverConfig::new(
            addr,
            secret::from_env_or_file(WEBHOOK_SECRET)?.with_context(|| {
                format!(
                    "--listen needs the shared secret\nhint: set {WEBHOOK_SECRET}, or point {WEBHOOK_SECRET}_FILE at a file holding it"
                )
            })?,
        )),
        None => None,
    };
    let notifier = match &args.notify {
        Some(url) => {
            Some(Notifier::new(url, secret::from_env_or_file(NOTIFY_SECRET)?).context("--notify")?)
        }
        None => None,
    };
    if args.no_notifications && receiver.is_none() {
        tracing::warn!("no event source: only the --interval checks will run");
    }
    let Some(manifest) = load_manifest(&args.path, args.env.as_deref())? else {
        return Ok(Outcome::Failure);
    };
    let settings = crate::settings::Settings::resolve(
        &args.connection,
        args.audit_log.as_deref(),
        &Default::default(),
        Some(&args.path),
    )?;
    let client = connect(&manifest, &settings)?;
    let config = WatchConfig {
        interval: args.interval,
        debounce: args.debounce,
        notifications: !args.no_notifications,
        receiver,
        notifier,
        remediate: args.remediate.then_some(settings.audit_log.value),
    };
    let shutdown = CancellationToken::new();
    cancel_on_signals(shutdown.clone());
    let mut stdout = std::io::stdout();
    watch(
        Checker::new(client, manifest),
        config,
        &mut stdout,
        shutdown,
    )
    .await?;
    Ok(Outcome::Success)
}

/// `--listen`: a port alone is on the loopback address, so that nothing is reachable from
/// other machines unless an address says so.
fn parse_listen(given: &str) -> Result<SocketAddr, String> {
    let given = given.trim();
    if let Ok(port) = given.parse::<u16>() {
        return Ok(SocketAddr::from(([127, 0, 0, 1], port)));
    }
    given.parse().map_err(|_| {
        format!(
            "invalid address {given:?}: expected a port (8080, on loopback) or ADDR:PORT (0.0.0.0:8080)"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::parse_listen;

    #[test]
    fn a_port_alone_listens_on_loopback_and_an_address_where_it_says() {
        assert_eq!(parse_listen("8080").unwrap().to_string(), "127.0.0.1:8080");
        assert_eq!(
            parse_listen("0.0.0.0:9000").unwrap().to_string(),
            "0.0.0.0:9000"
        );
        assert_eq!(
            parse_listen("[::1]:9000").unwrap().to_string(),
            "[::1]:9000"
        );
        assert!(
            parse_listen("example.com:80")
                .unwrap_err()
                .contains("ADDR:PORT")
        );
        assert!(parse_listen("70000").is_err());
    }
}
