//! Client configuration: where the org is, how to authenticate, and how hard to push.

use std::fmt;
use std::num::{NonZeroU32, NonZeroUsize};
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use url::Url;

use crate::region::{Region, UnknownRegion};
use crate::retry::RetryPolicy;

/// OAuth client-credentials pair. The secret is never shown by `Debug` or `Display`.
#[derive(Clone)]
pub struct Credentials {
    client_id: String,
    client_secret: SecretString,
}

impl Credentials {
    /// Wraps a client id and its secret.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Credentials {
            client_id: client_id.into(),
            client_secret: SecretString::from(client_secret.into()),
        }
    }

    /// The OAuth client id (not secret: it is shown in error messages to help diagnose 401/403).
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    pub(crate) fn secret(&self) -> &str {
        self.client_secret.expose_secret()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .finish()
    }
}

/// Where requests go: the API base URL and the OAuth login base URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hosts {
    /// Base for `/api/v2/...`, e.g. `https://api.mypurecloud.ie`.
    pub api: Url,
    /// Base for `/oauth/token`, e.g. `https://login.mypurecloud.ie`.
    pub login: Url,
    /// The region the hosts belong to, when known (used in error hints).
    pub region: Option<Region>,
}

impl Hosts {
    /// The hosts of a Genesys Cloud region.
    // The region table holds only valid host names (a unit test parses every entry), so
    // these parses cannot fail.
    #[allow(clippy::expect_used)]
    pub fn for_region(region: Region) -> Self {
        Hosts {
            api: Url::parse(&region.api_base_url()).expect("region table holds valid hosts"),
            login: Url::parse(&region.login_base_url()).expect("region table holds valid hosts"),
            region: Some(region),
        }
    }

    /// Explicit hosts, as for the simulator (which serves both on one address).
    pub fn from_urls(api: &str, login: &str) -> Result<Self, ConfigError> {
        Ok(Hosts {
            api: parse_base(api)?,
            login: parse_base(login)?,
            region: None,
        })
    }
}

fn parse_base(raw: &str) -> Result<Url, ConfigError> {
    let url = Url::parse(raw.trim()).map_err(|source| ConfigError::BadUrl {
        value: raw.to_string(),
        reason: source.to_string(),
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(ConfigError::BadUrl {
            value: raw.to_string(),
            reason: "expected an http:// or https:// URL with a host".into(),
        });
    }
    Ok(url)
}

/// A per-token request budget: at most `requests` in any `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateBudget {
    /// Requests allowed per window (Genesys default: 300).
    pub requests: NonZeroU32,
    /// The window (Genesys: one minute).
    pub window: Duration,
}

impl Default for RateBudget {
    /// 300 requests per minute per client-credentials token (API-FACTS §3).
    fn default() -> Self {
        RateBudget {
            requests: NonZeroU32::MIN.saturating_add(299),
            window: Duration::from_secs(60),
        }
    }
}

/// Everything the client needs to talk to one org.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// API and login hosts.
    pub hosts: Hosts,
    /// OAuth client credentials.
    pub credentials: Credentials,
    /// How many tokens to obtain from the same client; each has its own rate budget.
    pub token_pool_size: NonZeroUsize,
    /// The per-token budget the client keeps under.
    pub rate_budget: RateBudget,
    /// At most this many requests in flight at once.
    pub max_concurrency: NonZeroUsize,
    /// Timeout for one HTTP attempt (connect to last body byte).
    pub request_timeout: Duration,
    /// Retry policy for transient failures.
    pub retry: RetryPolicy,
}

impl ClientConfig {
    /// A configuration with the defaults: one token, 300 requests/minute, 10 in flight.
    pub fn new(hosts: Hosts, credentials: Credentials) -> Self {
        ClientConfig {
            hosts,
            credentials,
            token_pool_size: NonZeroUsize::MIN,
            rate_budget: RateBudget::default(),
            max_concurrency: NonZeroUsize::MIN.saturating_add(9),
            request_timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
        }
    }

    /// Reads `GENESYS_REGION`, `GENESYS_CLIENT_ID`, `GENESYS_CLIENT_SECRET`,
    /// `GENESYS_BASE_URL` and `GENESYS_LOGIN_URL` through `lookup` (pass
    /// `|k| std::env::var(k).ok()` for the process environment).
    ///
    /// `GENESYS_BASE_URL` overrides the region's API host; `GENESYS_LOGIN_URL` overrides its
    /// login host and defaults to the base URL when only that is set (the simulator serves
    /// both on one address).
    pub fn from_env(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |key: &str| lookup(key).filter(|value| !value.trim().is_empty());
        let region = get("GENESYS_REGION")
            .map(|raw| raw.parse::<Region>())
            .transpose()?;
        let base = get("GENESYS_BASE_URL");
        let login = get("GENESYS_LOGIN_URL");
        let hosts = match (region, base, login) {
            (_, Some(base), login) => {
                let mut hosts = Hosts::from_urls(&base, login.as_deref().unwrap_or(&base))?;
                hosts.region = region;
                hosts
            }
            (Some(region), None, login) => {
                let mut hosts = Hosts::for_region(region);
                if let Some(login) = login {
                    hosts.login = parse_base(&login)?;
                }
                hosts
            }
            (None, None, _) => return Err(ConfigError::NoRegion),
        };
        let client_id =
            get("GENESYS_CLIENT_ID").ok_or(ConfigError::Missing("GENESYS_CLIENT_ID"))?;
        let secret =
            get("GENESYS_CLIENT_SECRET").ok_or(ConfigError::Missing("GENESYS_CLIENT_SECRET"))?;
        Ok(ClientConfig::new(
            hosts,
            Credentials::new(client_id, secret),
        ))
    }
}

/// A configuration problem, found before any request is made.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Neither a region nor a base URL was given.
    #[error(
        "no Genesys Cloud region configured\nhint: set GENESYS_REGION (for example mypurecloud.ie), or GENESYS_BASE_URL for a simulator"
    )]
    NoRegion,
    /// A required variable is missing.
    #[error(
        "{0} is not set\nhint: create an OAuth client-credentials client in the org and export its id and secret"
    )]
    Missing(&'static str),
    /// The region name is not known.
    #[error(transparent)]
    Region(#[from] UnknownRegion),
    /// The HTTP stack could not be set up (TLS initialisation).
    #[error("could not set up HTTP: {0}")]
    Http(String),
    /// A URL override does not parse.
    #[error("invalid URL `{value}`: {reason}")]
    BadUrl {
        /// The value given.
        value: String,
        /// Why it was refused.
        reason: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |key| map.get(key).cloned()
    }

    #[test]
    fn region_gives_api_and_login_hosts() {
        let config = ClientConfig::from_env(env(&[
            ("GENESYS_REGION", "mypurecloud.de"),
            ("GENESYS_CLIENT_ID", "id"),
            ("GENESYS_CLIENT_SECRET", "s3cret"),
        ]))
        .unwrap();
        assert_eq!(config.hosts.api.as_str(), "https://api.mypurecloud.de/");
        assert_eq!(config.hosts.login.as_str(), "https://login.mypurecloud.de/");
    }

    #[test]
    fn base_url_serves_both_when_login_is_not_given() {
        let config = ClientConfig::from_env(env(&[
            ("GENESYS_BASE_URL", "http://127.0.0.1:8089"),
            ("GENESYS_CLIENT_ID", "id"),
            ("GENESYS_CLIENT_SECRET", "s3cret"),
        ]))
        .unwrap();
        assert_eq!(config.hosts.api, config.hosts.login);
    }

    #[test]
    fn missing_pieces_are_named() {
        let err = ClientConfig::from_env(env(&[("GENESYS_CLIENT_ID", "id")])).unwrap_err();
        assert!(matches!(err, ConfigError::NoRegion), "{err}");
        let err = ClientConfig::from_env(env(&[
            ("GENESYS_REGION", "mypurecloud.ie"),
            ("GENESYS_CLIENT_ID", "id"),
        ]))
        .unwrap_err();
        assert!(err.to_string().contains("GENESYS_CLIENT_SECRET"), "{err}");
        let err = ClientConfig::from_env(env(&[("GENESYS_REGION", "moon-1")])).unwrap_err();
        assert!(err.to_string().contains("moon-1"), "{err}");
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let credentials = Credentials::new("my-client", "hunter2-very-secret");
        let config = ClientConfig::new(
            Hosts::for_region(Region::all().next().unwrap()),
            credentials,
        );
        let shown = format!("{config:?}");
        assert!(shown.contains("my-client"));
        assert!(!shown.contains("hunter2"), "{shown}");
    }
}
