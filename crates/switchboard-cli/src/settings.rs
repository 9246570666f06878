//! The connection settings of every command that talks to an org — region, concurrency,
//! token pool size, request timeout and audit log path — resolved from flags, then the
//! environment, then `switchboard.toml`, then the defaults. Secrets are never among them:
//! the file refuses them, and `switchboard config` only says where a secret would come from.

use std::fmt;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use serde::Deserialize;
use switchboard_client::Region;

use crate::duration::parse_duration;

/// The settings file looked for in the current directory.
pub const FILE_NAME: &str = "switchboard.toml";
/// The variable naming another settings file.
pub const CONFIG_VARIABLE: &str = "SWITCHBOARD_CONFIG";

const REGION: &str = "GENESYS_REGION";
const CONCURRENCY: &str = "SWITCHBOARD_CONCURRENCY";
const TOKEN_POOL: &str = "SWITCHBOARD_TOKEN_POOL";
const REQUEST_TIMEOUT: &str = "SWITCHBOARD_REQUEST_TIMEOUT";
const AUDIT_LOG: &str = "SWITCHBOARD_AUDIT_LOG";
const STRICT: &str = "SWITCHBOARD_STRICT";
const MAX_PLAN_AGE: &str = "SWITCHBOARD_MAX_PLAN_AGE";

/// The client's defaults (`ClientConfig::new`): 10 requests in flight, one token, 30 s.
const DEFAULT_CONCURRENCY: usize = 10;
const DEFAULT_TOKEN_POOL: usize = 1;
const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// How old a plan file apply accepts by default: a plan reviewed in a pull request and
/// applied on merge the same working day, and never last week's.
pub const DEFAULT_MAX_PLAN_AGE: Duration = Duration::from_secs(24 * 60 * 60);
/// Where apply and `watch --remediate` append their audit records by default.
pub const DEFAULT_AUDIT_LOG: &str = "switchboard-audit.jsonl";

/// More requests in flight than this only queue behind the rate budget.
const MAX_CONCURRENCY: usize = 100;
/// More tokens than this from one OAuth client is abuse of the platform's limits.
const MAX_TOKEN_POOL: usize = 50;

/// The flags of the commands that connect to an org; each overrides its variable and the
/// settings file.
#[derive(Debug, Clone, Default, Args)]
pub struct ConnectionArgs {
    /// The org's region, such as `mypurecloud.ie` [env: GENESYS_REGION; file: region].
    #[arg(long, value_name = "REGION", help_heading = "Connection")]
    pub region: Option<String>,

    /// At most this many requests in flight, 1 to 100 [env: SWITCHBOARD_CONCURRENCY; file:
    /// concurrency; default 10].
    #[arg(long, value_name = "N", help_heading = "Connection")]
    pub concurrency: Option<String>,

    /// Obtain this many OAuth tokens, 1 to 50, each with its own budget of 300 requests a
    /// minute [env: SWITCHBOARD_TOKEN_POOL; file: token_pool; default 1].
    #[arg(long, value_name = "N", help_heading = "Connection")]
    pub token_pool: Option<String>,

    /// The time limit of one HTTP attempt, such as `10s` [env: SWITCHBOARD_REQUEST_TIMEOUT;
    /// file: request_timeout; default 30s].
    #[arg(long, value_name = "DURATION", help_heading = "Connection")]
    pub request_timeout: Option<String>,

    /// Read the org's OAuth client secret from the first line of stdin, instead of
    /// GENESYS_CLIENT_SECRET or GENESYS_CLIENT_SECRET_FILE.
    #[arg(long, help_heading = "Connection")]
    pub client_secret_stdin: bool,
}

/// `--strict`, on plan, apply, drift and config.
#[derive(Debug, Clone, Default, Args)]
pub struct StrictArg {
    /// Every warning is an error (exit 1): a listed user without an account or inactive, a
    /// `protect` entry that matches nothing, a manifest warning, a collection not read. For
    /// pipelines that must not pass on a warning nobody reads [env: SWITCHBOARD_STRICT=true;
    /// file: strict].
    #[arg(long, help_heading = "Checks")]
    pub strict: bool,
}

/// `--max-plan-age`, on apply and config.
#[derive(Debug, Clone, Default, Args)]
pub struct PlanAgeArg {
    /// Refuse a plan file written longer ago than this, such as `2h` [env:
    /// SWITCHBOARD_MAX_PLAN_AGE; file: max_plan_age; default 24h].
    #[arg(long, value_name = "DURATION", help_heading = "Checks")]
    pub max_plan_age: Option<String>,
}

/// The checks' flags of one command: how strictly it judges what it finds, and how old a
/// plan file apply accepts.
#[derive(Debug, Clone, Default)]
pub struct ChecksArgs {
    /// `--strict`.
    pub strict: bool,
    /// `--max-plan-age`.
    pub max_plan_age: Option<String>,
}

impl ChecksArgs {
    /// The checks of a command with `strict` and, where it has one, `age`.
    pub fn of(strict: &StrictArg, age: Option<&PlanAgeArg>) -> ChecksArgs {
        ChecksArgs {
            strict: strict.strict,
            max_plan_age: age.and_then(|a| a.max_plan_age.clone()),
        }
    }
}

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A command-line flag.
    Flag(&'static str),
    /// An environment variable.
    Env(&'static str),
    /// The settings file.
    File(PathBuf),
    /// Switchboard's default.
    Default,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag(flag) => write!(f, "flag {flag}"),
            Source::Env(variable) => write!(f, "environment {variable}"),
            Source::File(path) => write!(f, "file {}", path.display()),
            Source::Default => f.write_str("default"),
        }
    }
}

/// A resolved value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    /// The value.
    pub value: T,
    /// Its source.
    pub source: Source,
}

/// Every resolved setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The settings file read, if any.
    pub file: Option<PathBuf>,
    /// The region, when one is set anywhere (a simulator needs none).
    pub region: Option<Setting<Region>>,
    /// Requests in flight at most.
    pub concurrency: Setting<NonZeroUsize>,
    /// OAuth tokens obtained.
    pub token_pool: Setting<NonZeroUsize>,
    /// The time limit of one HTTP attempt.
    pub request_timeout: Setting<Duration>,
    /// The audit log apply and `watch --remediate` append to.
    pub audit_log: Setting<PathBuf>,
    /// Whether every warning is an error.
    pub strict: Setting<bool>,
    /// The oldest plan file apply accepts.
    pub max_plan_age: Setting<Duration>,
}

/// `switchboard.toml`, as written. Every key is optional; unknown keys are refused.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    region: Option<String>,
    concurrency: Option<i64>,
    token_pool: Option<i64>,
    request_timeout: Option<String>,
    audit_log: Option<PathBuf>,
    strict: Option<bool>,
    max_plan_age: Option<String>,
}

impl Settings {
    /// Resolves the settings from `flags` (and `--audit-log`, `checks`), the process
    /// environment and the settings file.
    pub fn resolve(
        flags: &ConnectionArgs,
        audit_log: Option<&Path>,
        checks: &ChecksArgs,
        manifest: Option<&Path>,
    ) -> anyhow::Result<Settings> {
        let mut dirs = vec![PathBuf::from(".")];
        dirs.extend(manifest.map(manifest_dir));
        Self::resolve_with(
            flags,
            audit_log,
            checks,
            |key| std::env::var(key).ok(),
            |path| std::fs::read_to_string(path),
            &dirs,
        )
    }

    /// [`Settings::resolve`] with the environment read through `env`, files through
    /// `read`, and `switchboard.toml` looked for in `dirs`, in order: the first found is read.
    pub fn resolve_with(
        flags: &ConnectionArgs,
        audit_log: Option<&Path>,
        checks: &ChecksArgs,
        env: impl Fn(&str) -> Option<String>,
        read: impl Fn(&Path) -> std::io::Result<String>,
        dirs: &[PathBuf],
    ) -> anyhow::Result<Settings> {
        let env = |key: &str| env(key).filter(|value| !value.trim().is_empty());
        let (file, from_file) = read_file(env(CONFIG_VARIABLE), &read, dirs)?;
        let file_source = || Source::File(file.clone().unwrap_or_default());
        let pick = |flag: &'static str,
                    given: Option<&String>,
                    variable: &'static str,
                    written: Option<String>|
         -> Option<(String, Source)> {
            given
                .map(|value| (value.clone(), Source::Flag(flag)))
                .or_else(|| env(variable).map(|value| (value, Source::Env(variable))))
                .or_else(|| written.map(|value| (value, file_source())))
        };

        let region = pick(
            "--region",
            flags.region.as_ref(),
            REGION,
            from_file.region.clone(),
        )
        .map(|(raw, source)| {
            raw.trim()
                .parse::<Region>()
                .map(|value| Setting {
                    value,
                    source: source.clone(),
                })
                .map_err(|error| invalid(&source, &raw, &error.to_string()))
        })
        .transpose()?;

        let concurrency = count(
            pick(
                "--concurrency",
                flags.concurrency.as_ref(),
                CONCURRENCY,
                from_file.concurrency.map(|n| n.to_string()),
            ),
            DEFAULT_CONCURRENCY,
            MAX_CONCURRENCY,
            "requests in flight",
        )?;
        let token_pool = count(
            pick(
                "--token-pool",
                flags.token_pool.as_ref(),
                TOKEN_POOL,
                from_file.token_pool.map(|n| n.to_string()),
            ),
            DEFAULT_TOKEN_POOL,
            MAX_TOKEN_POOL,
            "tokens, each with 300 requests a minute",
        )?;

        let request_timeout = duration(
            pick(
                "--request-timeout",
                flags.request_timeout.as_ref(),
                REQUEST_TIMEOUT,
                from_file.request_timeout.clone(),
            ),
            DEFAULT_REQUEST_TIMEOUT,
        )?;

        let audit_log = if let Some(path) = audit_log {
            Setting {
                value: path.to_path_buf(),
                source: Source::Flag("--audit-log"),
            }
        } else if let Some(path) = env(AUDIT_LOG) {
            Setting {
                value: PathBuf::from(path),
                source: Source::Env(AUDIT_LOG),
            }
        } else if let Some(path) = &from_file.audit_log {
            // Relative to the file's directory, as written there.
            let base = file
                .as_deref()
                .and_then(Path::parent)
                .unwrap_or(Path::new(""));
            Setting {
                value: base.join(path),
                source: file_source(),
            }
        } else {
            Setting {
                value: PathBuf::from(DEFAULT_AUDIT_LOG),
                source: Source::Default,
            }
        };

        let strict = match pick(
            "--strict",
            checks.strict.then(|| "true".to_string()).as_ref(),
            STRICT,
            from_file.strict.map(|value| value.to_string()),
        ) {
            Some((raw, source)) => {
                let value = match raw.trim().to_ascii_lowercase().as_str() {
                    "true" | "1" | "yes" => true,
                    "false" | "0" | "no" => false,
                    _ => return Err(invalid(&source, &raw, "expected true or false")),
                };
                Setting { value, source }
            }
            None => Setting {
                value: false,
                source: Source::Default,
            },
        };

        let max_plan_age = duration(
            pick(
                "--max-plan-age",
                checks.max_plan_age.as_ref(),
                MAX_PLAN_AGE,
                from_file.max_plan_age.clone(),
            ),
            DEFAULT_MAX_PLAN_AGE,
        )?;

        Ok(Settings {
            file,
            region,
            concurrency,
            token_pool,
            request_timeout,
            audit_log,
            strict,
            max_plan_age,
        })
    }

    /// `lookup` for the client's environment reader, with `GENESYS_REGION` answered by
    /// the resolved region (flag, variable or file).
    pub fn environment(
        &self,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> impl Fn(&str) -> Option<String> {
        let region = self.region.as_ref().map(|r| r.value.to_string());
        move |key: &str| {
            if key == REGION {
                region.clone()
            } else {
                lookup(key)
            }
        }
    }
}

/// The directory a manifest path stands in: the path itself when it is a directory, else the
/// file's directory (`.` for a bare file name). `switchboard.toml` is looked for there too.
pub fn manifest_dir(path: &Path) -> PathBuf {
    if path.is_dir() {
        return path.to_path_buf();
    }
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The settings file: the one `SWITCHBOARD_CONFIG` names (which must exist), else
/// `switchboard.toml` in the first of `dirs` that has one.
fn read_file(
    named: Option<String>,
    read: &impl Fn(&Path) -> std::io::Result<String>,
    dirs: &[PathBuf],
) -> anyhow::Result<(Option<PathBuf>, FileSettings)> {
    let (path, text) = match named {
        Some(named) => {
            let path = PathBuf::from(named);
            let text = read(&path).with_context(|| {
                format!(
                    "cannot read the settings file {} that {CONFIG_VARIABLE} names\nhint: point {CONFIG_VARIABLE} at an existing file, or unset it to use ./{FILE_NAME}",
                    path.display()
                )
            })?;
            (path, text)
        }
        None => {
            let mut found = None;
            for dir in dirs {
                let path = dir.join(FILE_NAME);
                match read(&path) {
                    Ok(text) => {
                        found = Some((path, text));
                        break;
                    }
                    Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                    Err(error) => {
                        return Err(error)
                            .with_context(|| format!("cannot read {}", path.display()));
                    }
                }
            }
            match found {
                Some(found) => found,
                None => return Ok((None, FileSettings::default())),
            }
        }
    };
    let settings = parse(&text).map_err(|reason| {
        anyhow::anyhow!(
            "{}: {reason}\nhint: {FILE_NAME} may set region, concurrency, token_pool, request_timeout, audit_log, strict and max_plan_age; see docs/getting-started.md",
            path.display()
        )
    })?;
    Ok((Some(path), settings))
}

/// The file's settings, or why they are refused (one line, with the line and column).
fn parse(text: &str) -> Result<FileSettings, String> {
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| one_line(text, &e))?;
    if let Some(key) = table
        .keys()
        .find(|key| key.to_ascii_lowercase().contains("secret"))
    {
        return Err(format!(
            "`{key}`: secrets are never read from the settings file (it is usually committed); give the client secret in GENESYS_CLIENT_SECRET, GENESYS_CLIENT_SECRET_FILE or --client-secret-stdin"
        ));
    }
    toml::from_str(text).map_err(|e: toml::de::Error| one_line(text, &e))
}

/// A TOML error in `text` as `line L, column C: message`.
fn one_line(text: &str, error: &toml::de::Error) -> String {
    let message = error.message().trim().replace('\n', " ");
    match error.span() {
        Some(span) => {
            let before = text.get(..span.start).unwrap_or(text);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("line {line}, column {column}: {message}")
        }
        None => message,
    }
}

/// A whole number from 1 to `max`, or the default.
fn count(
    given: Option<(String, Source)>,
    default: usize,
    max: usize,
    unit: &str,
) -> anyhow::Result<Setting<NonZeroUsize>> {
    let Some((raw, source)) = given else {
        return Ok(Setting {
            value: NonZeroUsize::new(default).unwrap_or(NonZeroUsize::MIN),
            source: Source::Default,
        });
    };
    match raw.trim().parse::<NonZeroUsize>() {
        Ok(value) if value.get() <= max => Ok(Setting { value, source }),
        _ => Err(invalid(
            &source,
            &raw,
            &format!("expected a whole number from 1 to {max} ({unit})"),
        )),
    }
}

/// A duration setting, `default` unless given.
fn duration(
    given: Option<(String, Source)>,
    default: Duration,
) -> anyhow::Result<Setting<Duration>> {
    let Some((raw, source)) = given else {
        return Ok(Setting {
            value: default,
            source: Source::Default,
        });
    };
    let value = parse_duration(&raw).map_err(|reason| invalid(&source, &raw, &reason))?;
    Ok(Setting { value, source })
}

/// A refused value, named by where it came from; with a hint unless `reason` has one.
fn invalid(source: &Source, raw: &str, reason: &str) -> anyhow::Error {
    if reason.contains("\nhint:") {
        anyhow::anyhow!("{source}: {raw:?} is not valid: {reason}")
    } else {
        anyhow::anyhow!(
            "{source}: {raw:?} is not valid: {reason}\nhint: settings come from flags, then the environment, then {FILE_NAME}; `switchboard config` shows where each one comes from"
        )
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use std::collections::HashMap;
    use std::io;

    use super::*;

    /// Resolves with `vars` as the environment and `files` as the file system.
    fn resolve(
        flags: &ConnectionArgs,
        audit_log: Option<&str>,
        vars: &[(&str, &str)],
        files: &[(&str, &str)],
    ) -> anyhow::Result<Settings> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect();
        let files: HashMap<PathBuf, String> = files
            .iter()
            .map(|(k, v)| (PathBuf::from(k), (*v).to_string()))
            .collect();
        Settings::resolve_with(
            flags,
            audit_log.map(Path::new),
            &ChecksArgs::default(),
            |key| vars.get(key).cloned(),
            |path| {
                files
                    .get(path)
                    .cloned()
                    .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))
            },
            &[PathBuf::from("work"), PathBuf::from("manifests")],
        )
    }

    const FILE: &str = "region = \"mypurecloud.ie\"\nconcurrency = 4\ntoken_pool = 3\nrequest_timeout = \"10s\"\naudit_log = \"audit/apply.jsonl\"\n";

    #[test]
    fn without_flags_variables_or_file_the_defaults_hold() {
        let settings = resolve(&ConnectionArgs::default(), None, &[], &[]).unwrap();
        assert_eq!(settings.file, None);
        assert_eq!(settings.region, None);
        assert_eq!(settings.concurrency.value.get(), 10);
        assert_eq!(settings.token_pool.value.get(), 1);
        assert_eq!(settings.request_timeout.value, Duration::from_secs(30));
        assert_eq!(settings.audit_log.value, PathBuf::from(DEFAULT_AUDIT_LOG));
        assert_eq!(settings.audit_log.source, Source::Default);
    }

    #[test]
    fn the_file_sets_every_setting_and_its_audit_log_is_relative_to_it() {
        let settings = resolve(
            &ConnectionArgs::default(),
            None,
            &[],
            &[("work/switchboard.toml", FILE)],
        )
        .unwrap();
        let file = Source::File(PathBuf::from("work/switchboard.toml"));
        assert_eq!(settings.region.unwrap().value.to_string(), "mypurecloud.ie");
        assert_eq!(settings.concurrency.value.get(), 4);
        assert_eq!(settings.token_pool.value.get(), 3);
        assert_eq!(settings.token_pool.source, file);
        assert_eq!(settings.request_timeout.value, Duration::from_secs(10));
        assert_eq!(
            settings.audit_log.value,
            PathBuf::from("work/audit/apply.jsonl")
        );
        assert_eq!(settings.audit_log.source, file);
    }

    #[test]
    fn flags_beat_the_environment_which_beats_the_file() {
        let flags = ConnectionArgs {
            token_pool: Some("5".into()),
            ..ConnectionArgs::default()
        };
        let settings = resolve(
            &flags,
            Some("flag.jsonl"),
            &[
                ("SWITCHBOARD_TOKEN_POOL", "2"),
                ("SWITCHBOARD_CONCURRENCY", "7"),
                ("GENESYS_REGION", "usw2.pure.cloud"),
            ],
            &[("work/switchboard.toml", FILE)],
        )
        .unwrap();
        assert_eq!(settings.token_pool.value.get(), 5);
        assert_eq!(settings.token_pool.source, Source::Flag("--token-pool"));
        assert_eq!(settings.concurrency.value.get(), 7);
        assert_eq!(
            settings.concurrency.source,
            Source::Env("SWITCHBOARD_CONCURRENCY")
        );
        assert_eq!(
            settings.region.unwrap().value.to_string(),
            "usw2.pure.cloud"
        );
        assert_eq!(settings.audit_log.value, PathBuf::from("flag.jsonl"));
        assert_eq!(
            settings.request_timeout.value,
            Duration::from_secs(10),
            "from the file"
        );
    }

    #[test]
    fn the_client_reads_the_resolved_region() {
        let settings = resolve(
            &ConnectionArgs::default(),
            None,
            &[],
            &[("work/switchboard.toml", FILE)],
        )
        .unwrap();
        let lookup = settings.environment(|key| (key == "GENESYS_CLIENT_ID").then(|| "id".into()));
        assert_eq!(lookup("GENESYS_REGION").as_deref(), Some("mypurecloud.ie"));
        assert_eq!(lookup("GENESYS_CLIENT_ID").as_deref(), Some("id"));
    }

    #[test]
    fn the_file_next_to_the_manifest_is_read_when_the_current_directory_has_none() {
        let settings = resolve(
            &ConnectionArgs::default(),
            None,
            &[],
            &[("manifests/switchboard.toml", "token_pool = 4\n")],
        )
        .unwrap();
        assert_eq!(settings.token_pool.value.get(), 4);
        assert_eq!(
            settings.file,
            Some(PathBuf::from("manifests/switchboard.toml"))
        );
        // The current directory's comes first.
        let settings = resolve(
            &ConnectionArgs::default(),
            None,
            &[],
            &[
                ("manifests/switchboard.toml", "token_pool = 4\n"),
                ("work/switchboard.toml", "token_pool = 6\n"),
            ],
        )
        .unwrap();
        assert_eq!(settings.token_pool.value.get(), 6);
    }

    #[test]
    fn switchboard_config_names_another_file_which_must_exist() {
        let settings = resolve(
            &ConnectionArgs::default(),
            None,
            &[("SWITCHBOARD_CONFIG", "ci/sb.toml")],
            &[
                ("ci/sb.toml", "token_pool = 9\n"),
                ("work/switchboard.toml", FILE),
            ],
        )
        .unwrap();
        assert_eq!(settings.token_pool.value.get(), 9);
        assert_eq!(
            settings.concurrency.value.get(),
            10,
            "./switchboard.toml is not read"
        );
        let error = resolve(
            &ConnectionArgs::default(),
            None,
            &[("SWITCHBOARD_CONFIG", "missing.toml")],
            &[],
        )
        .unwrap_err();
        assert!(format!("{error:#}").contains("missing.toml"), "{error:#}");
    }

    #[test]
    fn a_secret_in_the_file_is_refused_without_quoting_it() {
        let error = resolve(
            &ConnectionArgs::default(),
            None,
            &[],
            &[("work/switchboard.toml", "client_secret = \"hunter2\"\n")],
        )
        .unwrap_err();
        let message = format!("{error:#}");
        assert!(message.contains("secrets are never read"), "{message}");
        assert!(!message.contains("hunter2"), "{message}");
    }

    #[test]
    fn bad_values_are_refused_with_where_they_came_from() {
        let error = resolve(
            &ConnectionArgs::default(),
            None,
            &[],
            &[(
                "work/switchboard.toml",
                "region = \"mypurecloud.ie\"\ntokn_pool = 3\n",
            )],
        )
        .unwrap_err();
        assert!(format!("{error}").contains("line 2, column 1"), "{error}");
        for (flags, vars, expected) in [
            (
                ConnectionArgs {
                    token_pool: Some("51".into()),
                    ..ConnectionArgs::default()
                },
                vec![],
                "flag --token-pool",
            ),
            (
                ConnectionArgs::default(),
                vec![("SWITCHBOARD_CONCURRENCY", "0")],
                "environment SWITCHBOARD_CONCURRENCY",
            ),
            (
                ConnectionArgs::default(),
                vec![("SWITCHBOARD_REQUEST_TIMEOUT", "soon")],
                "environment SWITCHBOARD_REQUEST_TIMEOUT",
            ),
            (
                ConnectionArgs {
                    region: Some("atlantis".into()),
                    ..ConnectionArgs::default()
                },
                vec![],
                "flag --region",
            ),
        ] {
            let error = resolve(&flags, None, &vars, &[]).unwrap_err();
            let message = format!("{error:#}");
            assert!(message.starts_with(expected), "{message}");
            assert!(message.contains("\nhint: "), "{message}");
        }
    }
}
