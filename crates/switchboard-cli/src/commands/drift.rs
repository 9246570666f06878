//! `switchboard drift`: load the manifest, read the org, classify every difference (changed
//! outside git, missing, unmanaged), ask the audit trail who made it, report. Exit 2 on drift.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use switchboard_drift::render::{MARKDOWN_LIMIT, TextStyle, json, markdown, text};
use switchboard_drift::{Plans, Report, attribute, classify};

use super::Outcome;
use super::org::{connect, load_manifest, read};
use crate::terminal::colour_stdout;

const DRIFT_EXAMPLES: &str = "\
Examples:
  switchboard drift manifests/ --env prod
  switchboard drift manifests/ --env prod --format markdown > drift.md   # an issue body
  switchboard drift manifests/ --format json > drift.json                # for a pipeline

Drift is what changed in the org outside git (an object or its members, queue wrap-up
codes, agent skills), what the manifest declares and the org lacks, and unmanaged objects
in scope that apply would delete (prune on, not protected). Other unmanaged objects are
listed and counted in the coverage, without being drift.
Exit codes: 0 in sync, 1 error, 2 drift.
Attribution reads the audit trail (permission audits:audit:view); without it drift is
still reported.";

/// `switchboard drift`.
#[derive(Debug, Args)]
#[command(after_help = DRIFT_EXAMPLES)]
pub struct DriftArgs {
    /// A manifest file, or a directory of YAML files.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Merge `environments/<ENV>.yaml` over the base.
    #[arg(long, value_name = "ENV")]
    pub env: Option<String>,

    /// Output format: `text` for terminals, `markdown` for a tracking issue's body, `json`
    /// for pipelines (versioned, see docs/drift.md).
    #[arg(long, value_enum, default_value_t = DriftFormat::Text)]
    pub format: DriftFormat,
}

/// How a drift report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DriftFormat {
    /// A readable report, in sections.
    Text,
    /// Versioned JSON (`format_version` 1.0), for pipelines.
    Json,
    /// GitHub-flavoured Markdown, at most 65,536 characters.
    Markdown,
}

/// Reports drift; exit 0 in sync, 2 drift.
pub async fn run(args: &DriftArgs) -> anyhow::Result<Outcome> {
    let Some(manifest) = load_manifest(&args.path, args.env.as_deref())? else {
        return Ok(Outcome::Failure);
    };
    let client = connect(&manifest)?;
    let live = read(&client, &manifest).await?;
    let mut report = classify(&Plans::of(&manifest, &live)?, &live);
    attribute(&client, &mut report).await;
    let output = render(&report, args.format);
    std::io::stdout().lock().write_all(output.as_bytes())?;
    Ok(if report.in_sync() {
        Outcome::Success
    } else {
        Outcome::Changes
    })
}

/// The report in `format`; text is coloured only on a terminal without `NO_COLOR`.
fn render(report: &Report, format: DriftFormat) -> String {
    match format {
        DriftFormat::Text => text(
            report,
            &TextStyle {
                color: colour_stdout(),
            },
        ),
        DriftFormat::Json => json(report),
        DriftFormat::Markdown => markdown(report, MARKDOWN_LIMIT),
    }
}
