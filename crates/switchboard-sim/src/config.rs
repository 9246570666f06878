//! The simulator's settings as one serde struct, loadable from YAML or JSON.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::SimError;
use crate::faults::Faults;
use crate::generator::GeneratorSpec;

/// Everything [`crate::SimBuilder`] can set, as one struct (for `switchboard sim --config FILE`).
///
/// Field names are camelCase in files, like the fixture and the API itself; durations are
/// milliseconds (`tokenLifetimeMs`, `channelLifetimeMs`, `rateLimit.windowMs`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct SimConfig {
    /// The address to listen on; default `127.0.0.1:0` (an ephemeral port).
    pub bind: SocketAddr,
    /// A fixture file (YAML or JSON) to seed the org from.
    pub fixture: Option<PathBuf>,
    /// A large generated org, added after the fixture.
    pub generate: Option<GeneratorSpec>,
    /// Extra OAuth clients the token endpoint accepts.
    pub clients: Vec<ClientCredentials>,
    /// Whether the demo client ([`crate::DEMO_CLIENT_ID`]) is accepted; default true.
    pub demo_client: bool,
    /// How long an access token lives; default 24 h.
    #[serde(rename = "tokenLifetimeMs", with = "millis")]
    pub token_lifetime: Duration,
    /// How long a notification channel lives; default 24 h, as the real API's. Shorter
    /// lifetimes let tests see channels expire and be renewed.
    #[serde(rename = "channelLifetimeMs", with = "millis")]
    pub channel_lifetime: Duration,
    /// The per-token request budget.
    pub rate_limit: RateLimit,
    /// Fault injection.
    pub faults: Faults,
    /// The request journal.
    pub journal: JournalConfig,
    /// Where the org state is loaded from on start (if it exists) and saved to.
    pub state_file: Option<PathBuf>,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            fixture: None,
            generate: None,
            clients: Vec::new(),
            demo_client: true,
            token_lifetime: Duration::from_secs(24 * 60 * 60),
            channel_lifetime: Duration::from_secs(24 * 60 * 60),
            rate_limit: RateLimit::default(),
            faults: Faults::none(),
            journal: JournalConfig::default(),
            state_file: None,
        }
    }
}

impl SimConfig {
    /// Reads a config file (YAML, of which JSON is a subset); relative paths in it are
    /// taken relative to the file's folder.
    pub fn from_file(path: impl AsRef<Path>) -> Result<SimConfig, SimError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| SimError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let mut config: SimConfig =
            serde_yaml_ng::from_str(&text).map_err(|error| SimError::Parse {
                path: path.to_path_buf(),
                message: error.to_string(),
            })?;
        let base = path.parent().unwrap_or(Path::new("."));
        let resolve = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        if let Some(p) = config.fixture.as_mut() {
            resolve(p);
        }
        if let Some(p) = config.state_file.as_mut() {
            resolve(p);
        }
        if let Some(p) = config.journal.file.as_mut() {
            resolve(p);
        }
        Ok(config)
    }
}

/// The per-token request budget: fixed windows that open at a token's first request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RateLimit {
    /// Requests allowed per window; 0 disables limiting.
    pub per_window: u32,
    /// The window length.
    #[serde(rename = "windowMs", with = "millis")]
    pub window: Duration,
}

impl Default for RateLimit {
    /// 300 requests per 60 s, the documented default for a client-credentials token.
    fn default() -> Self {
        RateLimit {
            per_window: 300,
            window: Duration::from_secs(60),
        }
    }
}

/// Where the request journal goes besides memory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct JournalConfig {
    /// A JSON-lines file the journal is also written to (created afresh on start).
    pub file: Option<PathBuf>,
    /// Whether response bodies are recorded too.
    pub response_bodies: bool,
}

/// An OAuth client the token endpoint accepts; its Debug output never shows the secret.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClientCredentials {
    /// The client id.
    pub id: String,
    /// The client secret.
    pub secret: String,
}

impl ClientCredentials {
    /// A client id and its secret.
    pub fn new(id: impl Into<String>, secret: impl Into<String>) -> ClientCredentials {
        ClientCredentials {
            id: id.into(),
            secret: secret.into(),
        }
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("id", &self.id)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// Serializes a [`Duration`] as whole milliseconds.
pub(crate) mod millis {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(value: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(u64::try_from(value.as_millis()).unwrap_or(u64::MAX))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        Ok(Duration::from_millis(u64::deserialize(d)?))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn debug_redacts_the_secret() {
        let c = ClientCredentials {
            id: "a".into(),
            secret: "hunter2".into(),
        };
        assert!(!format!("{c:?}").contains("hunter2"));
    }

    #[test]
    fn config_reads_camel_case_millis() {
        let c: SimConfig = serde_yaml_ng::from_str(
            "tokenLifetimeMs: 1500\nchannelLifetimeMs: 3000\nrateLimit: { perWindow: 5, windowMs: 200 }\n",
        )
        .unwrap();
        assert_eq!(c.token_lifetime, Duration::from_millis(1500));
        assert_eq!(c.channel_lifetime, Duration::from_millis(3000));
        assert_eq!(
            SimConfig::default().channel_lifetime,
            Duration::from_secs(24 * 60 * 60)
        );
        assert_eq!(c.rate_limit.per_window, 5);
        assert!(c.demo_client);
    }
}
