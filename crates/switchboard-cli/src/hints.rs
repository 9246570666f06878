//! The `hint:` line of an error that did not bring its own: what to do next, by kind.

use switchboard_client::{Error, TransportKind};

/// Where the common errors and their fixes are listed.
const TROUBLESHOOTING: &str = "docs/troubleshooting.md";

/// A hint for a client error (or for any other error, when `None`).
pub fn for_client_error(error: Option<&Error>) -> String {
    let Some(error) = error else {
        return format!(
            "run again with -v for details; {TROUBLESHOOTING} lists common errors and their fixes"
        );
    };
    match error {
        Error::Transport { kind: TransportKind::Connect, .. } => {
            "the API address could not be reached from here: check the region (the manifest's `org.region`, or GENESYS_REGION) or GENESYS_BASE_URL, then the network (proxy, firewall); `switchboard config` shows the address in use".into()
        }
        Error::Transport { kind: TransportKind::Timeout, .. } => {
            "raise the request timeout (--request-timeout, SWITCHBOARD_REQUEST_TIMEOUT or request_timeout in switchboard.toml), or lower --concurrency".into()
        }
        Error::Transport { kind: TransportKind::Interrupted, .. } => {
            "run it again: reading is safe to repeat, and apply plans again what it did not finish".into()
        }
        Error::RetriesExhausted { last, .. } => match last.status() {
            Some(429) => "another integration may share this OAuth client's budget of 300 requests a minute per token: give switchboard its own OAuth client, or more tokens (--token-pool)".into(),
            Some(500..=599) => "Genesys Cloud kept failing; run again later, and quote the correlation id to Genesys support if it persists".into(),
            _ => for_client_error(Some(last)),
        },
        _ => format!("run again with -v for details; {TROUBLESHOOTING} lists common errors and their fixes"),
    }
}
