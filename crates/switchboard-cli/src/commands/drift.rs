//! `switchboard drift`: load the manifest, read the org, classify every difference (changed
//! outside git, missing, unmanaged), ask the audit trail who made it, report. Exit 2 on drift.
//! With `--patch FILE`, also write the manifest edits that adopt the org's values.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, ValueEnum};
use switchboard_drift::render::{MARKDOWN_LIMIT, TextStyle, json, markdown, text};
use switchboard_drift::{Plans, Report, attribute, classify};
use switchboard_manifest::edit::Editable;
use switchboard_manifest::{Live, LoadOptions};

use super::Outcome;
use super::org::{connect, load_manifest_checked, read, refused_manifest, report_findings};
use super::since::report_since;
use crate::terminal::{colour_stdout, note};

const DRIFT_EXAMPLES: &str = "\
Examples:
  switchboard drift manifests/ --env prod
  switchboard drift manifests/ --env prod --format markdown > drift.md   # an issue body
  switchboard drift manifests/ --format json > drift.json                # for a pipeline
  switchboard drift manifests/ --since 1h     # only what the audit trail shows changed
  switchboard drift manifests/ --env prod --patch adopt.patch            # drift as a pull request
  git -C manifests apply \"$PWD/adopt.patch\"

Drift is what changed in the org outside git (an object or its members, queue wrap-up
codes, agent skills), what the manifest declares and the org lacks, and unmanaged objects
in scope that apply would delete (prune on, not protected). Other unmanaged objects are
listed and counted in the coverage, without being drift.
The text and Markdown reports show each object and difference as a plan does: the sign is
what apply would do, and `→` goes from the org's value to the manifest's.
--patch writes the manifest edits that adopt the org's values (a unified diff, paths
relative to the manifest directory; empty when in sync); what it leaves alone is said on
stderr.
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

    /// Compare only what the audit trail shows changed in this window (e.g. 1h, 2d; at
    /// most 14 days): O(changes) reads instead of O(org). A full check when the audit
    /// trail cannot be read.
    #[arg(
        long,
        value_name = "DURATION",
        value_parser = crate::duration::parse_duration,
        conflicts_with = "patch"
    )]
    pub since: Option<std::time::Duration>,

    /// Output format: `text` for terminals, `markdown` for a tracking issue's body, `json`
    /// for pipelines (versioned, see docs/drift.md).
    #[arg(long, value_enum, default_value_t = DriftFormat::Text)]
    pub format: DriftFormat,

    /// Also write the manifest edits that adopt the org's values here: a unified diff for
    /// `git apply` in the manifest directory, empty when in sync.
    #[arg(long, value_name = "FILE")]
    pub patch: Option<PathBuf>,

    /// Region, concurrency, token pool and request timeout.
    #[command(flatten)]
    pub connection: crate::settings::ConnectionArgs,

    /// `--strict`.
    #[command(flatten)]
    pub strict: crate::settings::StrictArg,
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
    let settings = crate::settings::Settings::resolve(
        &args.connection,
        None,
        &crate::settings::ChecksArgs::of(&args.strict, None),
        Some(&args.path),
    )?;
    let (manifest, editable) = match &args.patch {
        None => (
            load_manifest_checked(&args.path, args.env.as_deref(), settings.strict.value)?,
            None,
        ),
        Some(_) => match load_editable(&args.path, args.env.as_deref())? {
            Some(editable) => (Some(editable.manifest().clone()), Some(editable)),
            None => (None, None),
        },
    };
    let Some(manifest) = manifest else {
        return Ok(Outcome::Failure);
    };
    let client = connect(&manifest, &settings)?;
    // `--patch` needs the whole org read (it conflicts with `--since`).
    let classified = async {
        Ok::<_, anyhow::Error>(match args.since {
            Some(window) => (report_since(&client, &manifest, window).await?, None),
            None => {
                let live = read(&client, &manifest).await?;
                (classify(&Plans::of(&manifest, &live)?, &live), Some(live))
            }
        })
    };
    let (mut report, live) = classified
        .await
        .map_err(|error| super::plan::located(error, &args.path, args.env.as_deref()))?;
    attribute(&client, &mut report).await;
    let output = render(&report, args.format);
    std::io::stdout().lock().write_all(output.as_bytes())?;
    if let (Some(file), Some(editable), Some(live)) = (&args.patch, &editable, &live) {
        write_patch(file, editable, live)?;
    }
    super::plan::refuse_warnings(&settings, "report's", &report.warnings)?;
    Ok(if report.in_sync() {
        Outcome::Success
    } else {
        Outcome::Changes
    })
}

/// The manifest with its files' texts, for `--patch`; findings are printed as
/// [`load_manifest`] prints them, and `None` means it has an error.
fn load_editable(path: &Path, env: Option<&str>) -> anyhow::Result<Option<Editable>> {
    let options = LoadOptions {
        env: env.map(String::from),
        ..LoadOptions::default()
    };
    let (loaded, editable) = match Editable::load(path, &options) {
        Ok(editable) => (editable.loaded().clone(), Some(editable)),
        Err(loaded) => (*loaded, None),
    };
    report_findings(&loaded);
    if editable.is_none() {
        refused_manifest();
    }
    Ok(editable)
}

/// Writes the patch that adopts `live` into `file` (empty when there is nothing to adopt),
/// and says on stderr what it adopts and what it leaves alone.
fn write_patch(file: &Path, editable: &Editable, live: &Live) -> anyhow::Result<()> {
    let patch = switchboard_patch::patch(editable, live)?;
    std::fs::write(file, &patch.diff)
        .with_context(|| format!("cannot write the patch to {}", file.display()))?;
    for not_adopted in &patch.notes {
        note(&format!("patch: not adopted: {not_adopted}\n"));
    }
    if patch.diff.is_empty() {
        note(&format!(
            "patch: nothing to adopt; wrote an empty {}\n",
            file.display()
        ));
        return Ok(());
    }
    let root = editable.root();
    let root = if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    };
    let absolute = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    note(&format!(
        "patch: {} adopted in {} file(s), written to {}\nhint: review it, then apply it from the manifest directory: git -C {} apply {}\n",
        plural(patch.adopted, "difference"),
        patch.files.len(),
        file.display(),
        shell_word(&root.display().to_string()),
        shell_word(&absolute.display().to_string()),
    ));
    Ok(())
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A path as one shell word, quoted when it needs to be.
fn shell_word(text: &str) -> String {
    if text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+:@".contains(c))
    {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
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
