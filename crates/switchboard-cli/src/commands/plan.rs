//! `switchboard plan`: load the manifest, read the org at the request floor, diff, render.

use std::io::Write;

use anyhow::Context;
use switchboard_plan::document::{PlanDocument, json};
use switchboard_plan::render::{MARKDOWN_LIMIT, TextStyle, markdown, text};
use switchboard_plan::{Plan, diff};

use super::Outcome;
use super::org::{connect, load_manifest, read};
use crate::cli::{PlanArgs, PlanFormat};
use crate::terminal::colour_stdout;

/// Plans; exit 2 with `--detailed-exitcode` when there are changes.
pub async fn run(args: &PlanArgs) -> anyhow::Result<Outcome> {
    let Some(manifest) = load_manifest(&args.path, args.env.as_deref())? else {
        return Ok(Outcome::Failure);
    };
    let client = connect(&manifest)?;
    let live = read(&client, &manifest).await?;
    let plan = diff(&manifest, &live, &args.policy.policy())?;
    let output = render(&plan, args.format);
    std::io::stdout().lock().write_all(output.as_bytes())?;
    if let Some(out) = &args.out {
        let document = PlanDocument::file(&plan, &manifest).to_json();
        std::fs::write(out, document)
            .with_context(|| format!("could not write the plan file {}", out.display()))?;
        tracing::info!(file = %out.display(), "plan file written");
    }
    Ok(if args.detailed_exitcode && !plan.changes.is_empty() {
        Outcome::Changes
    } else {
        Outcome::Success
    })
}

/// The plan in `format`; text is coloured only on a terminal without `NO_COLOR`.
pub(crate) fn render(plan: &Plan, format: PlanFormat) -> String {
    match format {
        PlanFormat::Text => text(
            plan,
            &TextStyle {
                color: colour_stdout(),
            },
        ),
        PlanFormat::Json => json(plan),
        PlanFormat::Markdown => markdown(plan, MARKDOWN_LIMIT),
    }
}
