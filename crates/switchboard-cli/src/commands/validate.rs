//! `switchboard validate`: the manifest checked offline, every finding listed.

use std::io::Write;

use serde::Serialize;
use switchboard_manifest::{Diagnostic, LoadOptions, Loaded, Manifest, load};

use super::Outcome;
use crate::cli::{OutputFormat, ValidateArgs};

/// Version of the JSON output; bumped on any incompatible change. Written as the plan's and
/// the drift report's are: a string, `"1.0"`.
const FORMAT_VERSION: &str = "1.0";

/// Loads and validates; exit 1 when there is any error.
pub fn run(args: &ValidateArgs) -> anyhow::Result<Outcome> {
    let loaded = load(
        &args.path,
        &LoadOptions {
            env: args.env.clone(),
            ..LoadOptions::default()
        },
    );
    let text = match args.format {
        OutputFormat::Text => render_text(&loaded),
        OutputFormat::Json => {
            let mut json = serde_json::to_string_pretty(&Report::from(&loaded))?;
            json.push('\n');
            json
        }
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(if loaded.has_errors() {
        Outcome::Failure
    } else {
        Outcome::Success
    })
}

/// What `--format json` prints.
#[derive(Debug, Serialize)]
struct Report<'a> {
    format_version: &'static str,
    valid: bool,
    errors: usize,
    warnings: usize,
    files: Vec<String>,
    diagnostics: &'a [Diagnostic],
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<Summary>,
}

/// Counts per kind of a valid manifest.
#[derive(Debug, Serialize)]
struct Summary {
    skills: usize,
    languages: usize,
    wrapup_codes: usize,
    queues: usize,
    agents: usize,
}

impl From<&Manifest> for Summary {
    fn from(m: &Manifest) -> Self {
        Summary {
            skills: m.skills.len(),
            languages: m.languages.len(),
            wrapup_codes: m.wrapup_codes.len(),
            queues: m.queues.len(),
            agents: m.agents.len(),
        }
    }
}

impl<'a> From<&'a Loaded> for Report<'a> {
    fn from(loaded: &'a Loaded) -> Self {
        let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
        Report {
            format_version: FORMAT_VERSION,
            valid: errors == 0,
            errors,
            warnings: loaded.diagnostics.len() - errors,
            files: loaded
                .files
                .iter()
                .map(|f| f.display().to_string())
                .collect(),
            diagnostics: &loaded.diagnostics,
            summary: loaded.manifest.as_ref().map(Summary::from),
        }
    }
}

fn render_text(loaded: &Loaded) -> String {
    let mut out = loaded.findings_text();
    let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = loaded.diagnostics.len() - errors;
    let files = plural(loaded.files.len(), "file");
    match &loaded.manifest {
        Some(m) => out.push_str(&format!(
            "manifest is valid ({files}): {}, {}, {}, {}, {}{}\n",
            plural(m.skills.len(), "skill"),
            plural(m.languages.len(), "language"),
            plural(m.wrapup_codes.len(), "wrap-up code"),
            plural(m.queues.len(), "queue"),
            plural(m.agents.len(), "agent"),
            if warnings > 0 {
                format!("; {}", plural(warnings, "warning"))
            } else {
                String::new()
            },
        )),
        None => out.push_str(&format!(
            "manifest is not valid: {}, {} ({files})\n",
            plural(errors, "error"),
            plural(warnings, "warning")
        )),
    }
    out
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}
