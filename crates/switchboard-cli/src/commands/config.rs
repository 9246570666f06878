//! `switchboard config`: the settings a command would connect with, and where each came
//! from (flag, environment, `switchboard.toml`, default). The client secret is never read,
//! only where it would come from is shown.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde_json::{Value, json};

use super::Outcome;
use crate::settings::{CONFIG_VARIABLE, ConnectionArgs, FILE_NAME, Settings, Source};

const CONFIG_EXAMPLES: &str = "\
Examples:
  switchboard config
  switchboard config --format json
  SWITCHBOARD_CONFIG=ci/switchboard.toml switchboard config --token-pool 4

Settings come from flags, then the environment, then switchboard.toml in the current
directory (or the file SWITCHBOARD_CONFIG names), then the defaults. The file may set
region, concurrency, token_pool, request_timeout, audit_log, strict and max_plan_age;
never a secret.
Exit codes: 0 shown, 1 a setting (or the file) is invalid.";

/// `switchboard config`.
#[derive(Debug, Args)]
#[command(after_help = CONFIG_EXAMPLES)]
pub struct ConfigArgs {
    /// The manifest (a file or a directory) the settings are for: `switchboard.toml` is
    /// looked for in the current directory, then next to it, as plan, apply and drift do.
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,

    /// The audit log apply would append to [env: SWITCHBOARD_AUDIT_LOG; file: audit_log].
    #[arg(long, value_name = "FILE")]
    pub audit_log: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ConfigFormat::Text)]
    pub format: ConfigFormat,

    /// Region, concurrency, token pool and request timeout.
    #[command(flatten)]
    pub connection: ConnectionArgs,

    /// `--strict`.
    #[command(flatten)]
    pub strict: crate::settings::StrictArg,

    /// `--max-plan-age`.
    #[command(flatten)]
    pub plan_age: crate::settings::PlanAgeArg,
}

/// How `config` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConfigFormat {
    /// A table for people.
    Text,
    /// JSON for tools: `{"settings": {NAME: {"value", "source"}}}`.
    Json,
}

/// One row: a name, its value as shown, and where it came from.
struct Row {
    name: &'static str,
    value: Value,
    source: String,
}

/// Prints the resolved settings.
pub fn run(args: &ConfigArgs) -> anyhow::Result<Outcome> {
    let settings = Settings::resolve(
        &args.connection,
        args.audit_log.as_deref(),
        &crate::settings::ChecksArgs::of(&args.strict, Some(&args.plan_age)),
        args.path.as_deref(),
    )?;
    let rows = rows(&settings, |key| std::env::var(key).ok());
    let output = match args.format {
        ConfigFormat::Text => text(&settings, &rows),
        ConfigFormat::Json => json_text(&settings, &rows),
    };
    std::io::stdout().lock().write_all(output.as_bytes())?;
    Ok(Outcome::Success)
}

/// Every setting, with the connection the environment describes (never a secret's value).
fn rows(settings: &Settings, env: impl Fn(&str) -> Option<String>) -> Vec<Row> {
    let env = |key: &str| env(key).filter(|value| !value.trim().is_empty());
    let base = env("GENESYS_BASE_URL");
    let api = match (&base, &settings.region) {
        (Some(base), _) => Row {
            name: "api",
            value: json!(base.trim()),
            source: Source::Env("GENESYS_BASE_URL").to_string(),
        },
        (None, Some(region)) => Row {
            name: "api",
            value: json!(region.value.api_base_url()),
            source: "region".into(),
        },
        (None, None) => Row {
            name: "api",
            value: Value::Null,
            source: "-".into(),
        },
    };
    let region = match &settings.region {
        Some(region) => Row {
            name: "region",
            value: json!(region.value.to_string()),
            source: region.source.to_string(),
        },
        None => Row {
            name: "region",
            value: Value::Null,
            source: "-".into(),
        },
    };
    let client_id = match env("GENESYS_CLIENT_ID") {
        Some(id) => Row {
            name: "client_id",
            value: json!(id.trim()),
            source: Source::Env("GENESYS_CLIENT_ID").to_string(),
        },
        None => Row {
            name: "client_id",
            value: Value::Null,
            source: "-".into(),
        },
    };
    vec![
        region,
        api,
        client_id,
        secret_row(&env),
        Row {
            name: "concurrency",
            value: json!(settings.concurrency.value.get()),
            source: settings.concurrency.source.to_string(),
        },
        Row {
            name: "token_pool",
            value: json!(settings.token_pool.value.get()),
            source: settings.token_pool.source.to_string(),
        },
        Row {
            name: "request_timeout",
            value: json!(crate::duration::describe(settings.request_timeout.value)),
            source: settings.request_timeout.source.to_string(),
        },
        Row {
            name: "audit_log",
            value: json!(settings.audit_log.value.display().to_string()),
            source: settings.audit_log.source.to_string(),
        },
        Row {
            name: "strict",
            value: json!(settings.strict.value),
            source: settings.strict.source.to_string(),
        },
        Row {
            name: "max_plan_age",
            value: json!(crate::duration::describe(settings.max_plan_age.value)),
            source: settings.max_plan_age.source.to_string(),
        },
    ]
}

/// Where the client secret would come from; its value is never read here.
fn secret_row(env: &impl Fn(&str) -> Option<String>) -> Row {
    let mut sources: Vec<String> = Vec::new();
    if env("GENESYS_CLIENT_SECRET").is_some() {
        sources.push(Source::Env("GENESYS_CLIENT_SECRET").to_string());
    }
    if let Some(file) = env("GENESYS_CLIENT_SECRET_FILE") {
        sources.push(format!(
            "{} ({})",
            Source::Env("GENESYS_CLIENT_SECRET_FILE"),
            file.trim()
        ));
    }
    if crate::secret::client_secret_from_stdin().is_some() {
        sources.push(Source::Flag("--client-secret-stdin").to_string());
    }
    let value = match sources.len() {
        0 => Value::Null,
        1 => json!("(set, hidden)"),
        _ => json!("(set twice: refused, give exactly one)"),
    };
    Row {
        name: "client_secret",
        value,
        source: if sources.is_empty() {
            "-".into()
        } else {
            sources.join(", ")
        },
    }
}

fn file_line(settings: &Settings) -> String {
    match &settings.file {
        Some(path) => path.display().to_string(),
        None => format!("(none: no ./{FILE_NAME}, and {CONFIG_VARIABLE} is unset)"),
    }
}

/// A value as shown in the table: strings bare, nothing as `(not set)`.
fn shown(value: &Value) -> String {
    match value {
        Value::Null => "(not set)".into(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn text(settings: &Settings, rows: &[Row]) -> String {
    let width = rows
        .iter()
        .map(|r| shown(&r.value).len())
        .max()
        .unwrap_or(0);
    let mut out = format!("settings file    {}\n\n", file_line(settings));
    for row in rows {
        out.push_str(&format!(
            "{:<16} {:<width$}  {}\n",
            row.name,
            shown(&row.value),
            row.source
        ));
    }
    out
}

fn json_text(settings: &Settings, rows: &[Row]) -> String {
    let entries: serde_json::Map<String, Value> = rows
        .iter()
        .map(|row| {
            (
                row.name.to_string(),
                json!({ "value": row.value.clone(), "source": row.source }),
            )
        })
        .collect();
    let document = json!({
        "file": settings.file.as_ref().map(|p| p.display().to_string()),
        "settings": entries,
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}
