//! Client configuration: where the org is, how to authenticate, and how hard to push.

use std::fmt;
use std::io;
use std::num::{NonZeroU32, NonZeroUsize};
use std::path::{Path, PathBuf};
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use url::{Host, Url};

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

    /// Wraps a client id and a secret that is already wrapped (read from a file or stdin).
    pub fn from_secret(client_id: impl Into<String>, client_secret: SecretString) -> Self {
        Credentials {
            client_id: client_id.into(),
            client_secret,
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
    let Some(host) = url.host() else {
        return Err(ConfigError::BadUrl {
            value: raw.to_string(),
            reason: "expected an http:// or https:// URL with a host".into(),
        });
    };
    match url.scheme() {
        "https" => Ok(url),
        // The token request carries the client secret and every API request a bearer
        // token: in clear text they may only travel inside this machine.
        "http" if is_loopback(&host) => Ok(url),
        "http" => Err(ConfigError::BadUrl {
            value: raw.to_string(),
            reason: "plain http is only allowed for a loopback address (127.0.0.0/8, ::1, localhost), where the simulator runs\nhint: real orgs are reached over https://".into(),
        }),
        _ => Err(ConfigError::BadUrl {
            value: raw.to_string(),
            reason: "expected an http:// or https:// URL with a host".into(),
        }),
    }
}

fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(ip) => ip.is_loopback(),
        // `::ffff:127.0.0.1` is loopback too.
        Host::Ipv6(ip) => ip.to_canonical().is_loopback(),
    }
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

    /// Reads `GENESYS_REGION`, `GENESYS_CLIENT_ID`, `GENESYS_CLIENT_SECRET` (or
    /// `GENESYS_CLIENT_SECRET_FILE`), `GENESYS_BASE_URL` and `GENESYS_LOGIN_URL` through
    /// `lookup` (pass `|k| std::env::var(k).ok()` for the process environment).
    ///
    /// `GENESYS_BASE_URL` overrides the region's API host; `GENESYS_LOGIN_URL` overrides its
    /// login host and defaults to the base URL when only that is set (the simulator serves
    /// both on one address). `GENESYS_CLIENT_SECRET_FILE` names a file holding the secret
    /// (trailing whitespace is dropped); exactly one of the two may be set.
    pub fn from_env(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        Self::from_env_with(lookup, |path| std::fs::read_to_string(path), None)
    }

    /// [`ClientConfig::from_env`] with the reader of `GENESYS_CLIENT_SECRET_FILE`, and a
    /// secret the caller has read from a source of its own, named as the user knows it
    /// (`("--client-secret-stdin", secret)`). Exactly one of `GENESYS_CLIENT_SECRET`,
    /// `GENESYS_CLIENT_SECRET_FILE` and `given` may be set.
    pub fn from_env_with(
        lookup: impl Fn(&str) -> Option<String>,
        read_file: impl Fn(&Path) -> io::Result<String>,
        given: Option<(&'static str, SecretString)>,
    ) -> Result<Self, ConfigError> {
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
        let secret = client_secret(
            get(CLIENT_SECRET),
            get(CLIENT_SECRET_FILE),
            read_file,
            given,
        )?;
        Ok(ClientConfig::new(
            hosts,
            Credentials::from_secret(client_id, secret),
        ))
    }
}

const CLIENT_SECRET: &str = "GENESYS_CLIENT_SECRET";
const CLIENT_SECRET_FILE: &str = "GENESYS_CLIENT_SECRET_FILE";

/// The one secret among the sources that are set.
fn client_secret(
    value: Option<String>,
    file: Option<String>,
    read_file: impl Fn(&Path) -> io::Result<String>,
    given: Option<(&'static str, SecretString)>,
) -> Result<SecretString, ConfigError> {
    let sources: Vec<&'static str> = [
        value.is_some().then_some(CLIENT_SECRET),
        file.is_some().then_some(CLIENT_SECRET_FILE),
        given.as_ref().map(|(source, _)| *source),
    ]
    .into_iter()
    .flatten()
    .collect();
    if let [first, second, ..] = sources[..] {
        return Err(ConfigError::TwoSecrets { first, second });
    }
    if let Some((_, secret)) = given {
        return Ok(secret);
    }
    if let Some(value) = value {
        return Ok(SecretString::from(value));
    }
    let Some(file) = file else {
        return Err(ConfigError::NoSecret);
    };
    secret_from_file(&PathBuf::from(file), CLIENT_SECRET_FILE, read_file)
}

/// The secret held in the file at `path`, which `source` (a variable or a flag) names:
/// trailing whitespace and newlines dropped. An unreadable or empty file is an error naming
/// `source` and the path, never the content.
pub fn secret_from_file(
    path: &Path,
    source: &str,
    read_file: impl Fn(&Path) -> io::Result<String>,
) -> Result<SecretString, ConfigError> {
    let refused = |reason: String| ConfigError::SecretFile {
        variable: source.to_string(),
        path: path.to_path_buf(),
        reason,
    };
    // The reason is the I/O error alone: it never quotes the file's content.
    let content = read_file(path).map_err(|error| refused(error.to_string()))?;
    let secret = content.trim_end();
    if secret.is_empty() {
        return Err(refused("the file is empty".into()));
    }
    Ok(SecretString::from(secret.to_string()))
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
    /// No source of the client secret is set.
    #[error(
        "GENESYS_CLIENT_SECRET is not set\nhint: export the OAuth client's secret in GENESYS_CLIENT_SECRET, or point GENESYS_CLIENT_SECRET_FILE at a file holding it"
    )]
    NoSecret,
    /// The client secret is given by more than one source.
    #[error(
        "the client secret is given twice, by {first} and by {second}\nhint: keep only one of them"
    )]
    TwoSecrets {
        /// One source, as the user set it (a variable or a flag).
        first: &'static str,
        /// The other.
        second: &'static str,
    },
    /// The file holding the client secret cannot be read, or is empty.
    #[error(
        "could not read the secret from {} ({variable}): {reason}\nhint: point {variable} at a readable file holding the secret",
        path.display()
    )]
    SecretFile {
        /// The variable (or flag) that names the file.
        variable: String,
        /// The file.
        path: PathBuf,
        /// Why it was refused (never its content).
        reason: String,
    },
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
    fn plain_http_is_only_for_loopback() {
        for allowed in [
            "http://127.0.0.1:8089",
            "http://127.8.9.10:8089",
            "http://localhost:1",
            "http://LOCALHOST:1",
            "http://[::1]:1",
            "https://api.mypurecloud.com",
            "https://10.0.0.5",
        ] {
            assert!(parse_base(allowed).is_ok(), "{allowed}");
        }
        for refused in [
            "http://api.mypurecloud.com",
            "http://10.0.0.5",
            "http://0.0.0.0:8089",
            "http://localhost.example.com",
            "http://[::2]:1",
        ] {
            let err = parse_base(refused).unwrap_err();
            let message = err.to_string();
            assert!(
                matches!(err, ConfigError::BadUrl { .. }),
                "{refused}: {message}"
            );
            assert!(
                message.contains("only allowed for a loopback address")
                    && message.contains("https://"),
                "{message}"
            );
        }
        let err = ClientConfig::from_env(env(&[
            ("GENESYS_REGION", "mypurecloud.ie"),
            ("GENESYS_LOGIN_URL", "http://login.mypurecloud.ie"),
            ("GENESYS_CLIENT_ID", "id"),
            ("GENESYS_CLIENT_SECRET", "s3cret"),
        ]))
        .unwrap_err();
        assert!(matches!(err, ConfigError::BadUrl { .. }), "{err}");
    }

    fn with_secret_sources(
        pairs: &[(&str, &str)],
        file: io::Result<&str>,
        given: Option<&str>,
    ) -> Result<ClientConfig, ConfigError> {
        let mut all = vec![
            ("GENESYS_BASE_URL", "http://127.0.0.1:8089"),
            ("GENESYS_CLIENT_ID", "id"),
        ];
        all.extend_from_slice(pairs);
        let file = file.map(str::to_string).map_err(|e| e.kind());
        ClientConfig::from_env_with(
            env(&all),
            move |_| file.clone().map_err(io::Error::from),
            given.map(|secret| ("--client-secret-stdin", SecretString::from(secret))),
        )
    }

    #[test]
    fn the_secret_comes_from_exactly_one_source() {
        let from_env = with_secret_sources(&[("GENESYS_CLIENT_SECRET", "s3cret")], Ok(""), None);
        assert_eq!(from_env.unwrap().credentials.secret(), "s3cret");

        let from_file = with_secret_sources(
            &[("GENESYS_CLIENT_SECRET_FILE", "/run/secrets/genesys")],
            Ok("fr0m-file \n\n"),
            None,
        );
        assert_eq!(from_file.unwrap().credentials.secret(), "fr0m-file");

        let given = with_secret_sources(&[], Ok(""), Some("g1ven"));
        assert_eq!(given.unwrap().credentials.secret(), "g1ven");

        let err = with_secret_sources(
            &[
                ("GENESYS_CLIENT_SECRET", "s3cret"),
                ("GENESYS_CLIENT_SECRET_FILE", "/run/secrets/genesys"),
            ],
            Ok("fr0m-file"),
            None,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("GENESYS_CLIENT_SECRET and by GENESYS_CLIENT_SECRET_FILE")
                && err.contains("hint:")
                && !err.contains("s3cret"),
            "{err}"
        );
        let err = with_secret_sources(
            &[("GENESYS_CLIENT_SECRET_FILE", "/run/secrets/genesys")],
            Ok(""),
            Some("g1ven"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("GENESYS_CLIENT_SECRET_FILE and by --client-secret-stdin"),
            "{err}"
        );

        let err = with_secret_sources(&[], Ok(""), None).unwrap_err();
        assert!(matches!(err, ConfigError::NoSecret), "{err}");
        assert!(
            err.to_string().contains("GENESYS_CLIENT_SECRET_FILE"),
            "{err}"
        );
    }

    #[test]
    fn an_unreadable_or_empty_secret_file_names_the_path_not_the_content() {
        let err = with_secret_sources(
            &[("GENESYS_CLIENT_SECRET_FILE", "/run/secrets/missing")],
            Err(io::Error::from(io::ErrorKind::NotFound)),
            None,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("/run/secrets/missing") && err.contains("GENESYS_CLIENT_SECRET_FILE"),
            "{err}"
        );
        let err = with_secret_sources(
            &[("GENESYS_CLIENT_SECRET_FILE", "/run/secrets/blank")],
            Ok(" \n\t\n"),
            None,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("/run/secrets/blank") && err.contains("empty"),
            "{err}"
        );
    }

    #[test]
    fn from_env_reads_the_secret_file() {
        let path =
            std::env::temp_dir().join(format!("switchboard-client-secret-{}", std::process::id()));
        std::fs::write(&path, "on-d1sk\n").unwrap();
        let config = ClientConfig::from_env(env(&[
            ("GENESYS_BASE_URL", "http://127.0.0.1:8089"),
            ("GENESYS_CLIENT_ID", "id"),
            ("GENESYS_CLIENT_SECRET_FILE", path.to_str().unwrap()),
        ]));
        std::fs::remove_file(&path).unwrap();
        assert_eq!(config.unwrap().credentials.secret(), "on-d1sk");
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
