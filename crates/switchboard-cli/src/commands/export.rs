//! `switchboard export`: the live org written as a manifest directory, checked by loading it
//! back and planning it against the same snapshot (it must plan to no changes).

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use switchboard_client::{Client, ClientConfig, Region};
use switchboard_export::{ExportOptions, Section, export};
use switchboard_fetch::{EverythingScope, fetch_everything_with_progress};
use switchboard_manifest::{LoadOptions, load};
use switchboard_plan::render::{TextStyle, text};
use switchboard_plan::{Policy, diff};

use super::Outcome;
use crate::terminal::{ReadProgress, colour_stdout, note};

/// The region written in `org.region` when no region is configured and the API address
/// names none (a simulator).
pub const FALLBACK_REGION: &str = "mypurecloud.com";

const EXPORT_EXAMPLES: &str = concat!(
    "\
Examples:
  switchboard export                                   # everything, into ./exported
  switchboard export --out manifests/ --force          # refresh an earlier export
  switchboard export --include queues --division Sales --out sales/
  switchboard plan exported/ --detailed-exitcode       # exits 0: no changes

The written manifest is loaded back and planned against the org before export
exits 0. Exit codes: 0 written and checked, 1 error.
With GENESYS_BASE_URL (a simulator), --region only names the region written in
org.region.
",
    crate::cli::credentials_help!()
);

/// `switchboard export`.
#[derive(Debug, Args)]
#[command(after_help = EXPORT_EXAMPLES)]
pub struct ExportArgs {
    /// The directory to write the manifest to; refused when it is not empty, unless
    /// `--force`.
    #[arg(long, value_name = "DIR", default_value = "exported")]
    pub out: PathBuf,

    /// Only these kinds, comma-separated: skills, languages, wrapupCodes, skillGroups,
    /// queues, agents. The kinds they refer to by name are written too (queues: wrapupCodes
    /// and skills; agents and skillGroups: skills and languages).
    #[arg(long, value_name = "KINDS", value_delimiter = ',')]
    pub include: Vec<Section>,

    /// Only the queues of this division, and as agents only their direct members.
    #[arg(long, value_name = "NAME")]
    pub division: Option<String>,

    /// Also write agents' capacity (`capacity`) for every agent with settings of its own:
    /// one request per active user, since the API has no bulk read of utilization.
    #[arg(long)]
    pub capacity: bool,

    /// Also write the org's routing settings (`routingSettings` in `org.yaml`): three
    /// requests, one of which needs `routing:transcriptionSettings:view`.
    #[arg(long)]
    pub routing_settings: bool,

    /// Write into a directory that is not empty: the files export writes (the top-level
    /// ones and every `queues/*.yaml`) are replaced, other files are left alone. A directory
    /// holding other manifest files is refused all the same.
    #[arg(long)]
    pub force: bool,

    /// Region, concurrency, token pool and request timeout.
    #[command(flatten)]
    pub connection: crate::settings::ConnectionArgs,
}

/// Exports; exit 1 when the org cannot be read, the directory is refused, or the written
/// manifest does not load or plan to no changes.
pub async fn run(args: &ExportArgs) -> anyhow::Result<Outcome> {
    check_target(&args.out, args.force)?;
    let config = super::org::client_config(&crate::settings::Settings::resolve(
        &args.connection,
        None,
        &Default::default(),
        None,
    )?)?;
    let region = region(&config);
    let include: BTreeSet<Section> = if args.include.is_empty() {
        Section::ALL.into_iter().collect()
    } else {
        args.include.iter().copied().collect()
    };
    let options = ExportOptions {
        region,
        include,
        division: args.division.clone(),
    };
    let sections = options.sections();
    let queues = sections.contains(&Section::Queues);
    let agents = sections.contains(&Section::Agents);
    let scope = EverythingScope {
        // With --division, agents are the direct members of the division's queues.
        queue_members: queues || (agents && args.division.is_some()),
        queue_wrapup_codes: queues,
        divisions: args.division.iter().cloned().collect(),
        users: queues || agents,
        skill_groups: sections.contains(&Section::SkillGroups),
        capacity: args.capacity && agents,
        routing_settings: args.routing_settings,
    };
    let client = Client::new(config)?;
    let progress = ReadProgress::new("reading the org");
    let live = fetch_everything_with_progress(&client, &scope, &progress).await;
    progress.finish();
    let live = live?;
    let exported = export(&live, &options)?;
    write_files(&args.out, &exported.files, args.force)?;

    for written in &exported.notes {
        note(&format!("note: {}: {}\n", written.subject, written.message));
    }

    // The export must load as it is, and plan to nothing against what it was made from.
    let loaded = load(&args.out, &LoadOptions::default());
    let failed = super::org::report_findings(&loaded);
    let Some(manifest) = loaded.manifest.filter(|_| !failed) else {
        bail!(
            "the exported manifest in {} does not load (see above); this is a bug in switchboard export",
            args.out.display()
        );
    };
    let plan = diff(&manifest, &live, &Policy::default())?;
    if !plan.changes.is_empty() {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(
            text(
                &plan,
                &TextStyle {
                    color: colour_stdout(),
                },
            )
            .as_bytes(),
        )?;
        writeln!(
            std::io::stderr().lock(),
            "error: the exported manifest in {} would change the org (plan above); this is a bug in switchboard export",
            args.out.display()
        )?;
        return Ok(Outcome::Failure);
    }

    let m = &exported.manifest;
    let mut stdout = std::io::stdout().lock();
    writeln!(
        stdout,
        "Exported org {:?} to {}: {} skills, {} languages, {} wrap-up codes, {} queues, {} agents.",
        live.org.name,
        args.out.display(),
        m.skills.len(),
        m.languages.len(),
        m.wrapup_codes.len(),
        m.queues.len(),
        m.agents.len()
    )?;
    for file in &exported.files {
        writeln!(stdout, "  {}", file.path)?;
    }
    writeln!(
        stdout,
        "It loads without errors and plans no changes against the org{}.",
        if exported.notes.is_empty() {
            String::new()
        } else {
            format!(
                "; {} note(s) on what was not written are on stderr and atop the files",
                exported.notes.len()
            )
        }
    )?;
    Ok(Outcome::Success)
}

/// Refuses a target that is a file, or a non-empty directory without `--force`; before any
/// request is made.
fn check_target(out: &Path, force: bool) -> anyhow::Result<()> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        bail!("{} exists and is not a directory", out.display());
    }
    let empty = std::fs::read_dir(out)
        .with_context(|| format!("could not read {}", out.display()))?
        .next()
        .is_none();
    if !empty && !force {
        bail!(
            "refusing to write into {}: it is not empty\nhint: choose another --out, or add --force to replace the files export writes there",
            out.display()
        );
    }
    // Every YAML file under the directory loads as part of the manifest: one export does not
    // write would be declared twice beside what it writes (or contradict it).
    let foreign = foreign_yaml(out);
    if !foreign.is_empty() {
        let shown: Vec<String> = foreign
            .iter()
            .take(5)
            .map(|p| p.display().to_string())
            .collect();
        let more = foreign.len().saturating_sub(shown.len());
        bail!(
            "refusing to write into {}: it holds manifest files export does not write ({}{}), which would load as one manifest with what it writes; nothing was written\nhint: export into an empty directory (--out), and compare or move files from there",
            out.display(),
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        );
    }
    Ok(())
}

/// The manifest files under `out` (those `load` would read) that an export does not write
/// (it writes the top-level files and `queues/*.yaml`), sorted.
fn foreign_yaml(out: &Path) -> Vec<PathBuf> {
    let written: Vec<PathBuf> = switchboard_export::top_level_files()
        .iter()
        .map(|f| out.join(f))
        .collect();
    let queues = out.join("queues");
    switchboard_manifest::manifest_files(out)
        .into_iter()
        .filter(|path| {
            let queue_file = path.parent() == Some(queues.as_path())
                && path.extension().is_some_and(|e| e == "yaml");
            !written.contains(path) && !queue_file
        })
        .collect()
}

/// Writes the files under `out`; with `force`, first removes the files an earlier export
/// wrote there (a division gone since would otherwise leave its queues behind).
fn write_files(
    out: &Path,
    files: &[switchboard_export::ExportFile],
    force: bool,
) -> anyhow::Result<()> {
    if force && out.is_dir() {
        // The files at the top of an export directory, replaced with every `queues/*.yaml`.
        let mut stale: Vec<PathBuf> = switchboard_export::top_level_files()
            .iter()
            .map(|f| out.join(f))
            .collect();
        if let Ok(entries) = std::fs::read_dir(out.join("queues")) {
            stale.extend(
                entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "yaml")),
            );
        }
        for path in stale.iter().filter(|p| p.is_file()) {
            std::fs::remove_file(path)
                .with_context(|| format!("could not remove {}", path.display()))?;
        }
    }
    for file in files {
        let path = file
            .path
            .split('/')
            .fold(out.to_path_buf(), |path, part| path.join(part));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("could not create {}", parent.display()))?;
        }
        std::fs::write(&path, &file.contents)
            .with_context(|| format!("could not write {}", path.display()))?;
    }
    Ok(())
}

/// The region for `org.region`: the configured one (`--region`, `GENESYS_REGION` or
/// `switchboard.toml`), else the region the API address names
/// (`https://api.mypurecloud.ie`), else [`FALLBACK_REGION`] (a simulator).
fn region(config: &ClientConfig) -> String {
    config
        .hosts
        .region
        .or_else(|| {
            config
                .hosts
                .api
                .host_str()
                .and_then(|host| host.parse::<Region>().ok())
        })
        .map_or_else(|| FALLBACK_REGION.to_string(), |region| region.to_string())
}
