//! The report for a terminal.

use switchboard_plan::render::paint::{BOLD_YELLOW, DIM, Paint};
use switchboard_plan::render::text_line;

use crate::model::{Attribution, Class, DriftObject, Report};
use crate::render::{
    OWN_CLIENT, clean, coverage_line, coverage_rows, heading, listed, next_step, object_lines,
    since_line, unmanaged_note, verdict,
};

/// How [`text`] renders.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextStyle {
    /// ANSI colours, the plan's (green `+`, yellow `~`, red `-`, bold headers). Without it the
    /// output holds no escape codes at all: user data is escaped too.
    pub color: bool,
}

/// The report as a terminal shows it: a section per class (changed outside git, missing,
/// unmanaged) with each object's differences and audit trail, the coverage, the warnings,
/// the attribution note if any, and a last line saying whether there is drift.
///
/// Objects and differences are the lines a plan of the manifest shows for them, signs and
/// colours included: each sign is what apply would do, and each `→` goes from the org's
/// value to the manifest's. Deterministic; ends with a newline.
pub fn text(report: &Report, style: &TextStyle) -> String {
    let paint = Paint(style.color);
    let mut blocks: Vec<String> = Vec::new();
    blocks.push(format!(
        "{}\n",
        paint.bold(&clean(&format!(
            "Drift of org {:?} ({}) from the manifest",
            report.org.name, report.org.id
        )))
    ));
    if let Some(line) = since_line(report) {
        blocks.push(format!("{}\n", clean(&line)));
    }
    for class in Class::ALL {
        let objects: Vec<&DriftObject> = listed(report, class);
        if objects.is_empty() {
            continue;
        }
        let mut block = format!(
            "{}\n",
            paint.bold(&format!("{}:", heading(class, &objects, str::to_string)))
        );
        for object in objects {
            block.push_str(&object_block(object, paint));
        }
        blocks.push(block);
    }
    blocks.push(coverage(report, paint));
    if !report.warnings.is_empty() {
        let mut block = format!("{}\n", paint.paint(BOLD_YELLOW, "Warnings:"));
        for warning in &report.warnings {
            block.push_str(&format!(
                "  - {}\n",
                clean(&format!("{}: {}", warning.subject, warning.message))
            ));
        }
        blocks.push(block);
    }
    if let Some(message) = &report.attribution.message {
        blocks.push(format!("{}\n", paint.paint(BOLD_YELLOW, &clean(message))));
    }
    blocks.push(format!("{}\n", paint.bold(&verdict(report))));
    let mut out = blocks.join("\n");
    if let Some(next) = next_step(report) {
        out.push_str(&format!("{}\n", clean(&next)));
    }
    out
}

fn object_block(object: &DriftObject, paint: Paint) -> String {
    let mut header = object.describe();
    if let Some(id) = &object.id {
        header.push_str(&format!(" (id {id})"));
    }
    if object.class == Class::Unmanaged
        && let Some(note) = unmanaged_note(object)
    {
        header.push_str(&format!(" [{note}]"));
    }
    let mut out = String::new();
    for line in object_lines(object, &header) {
        out.push_str(&text_line(&line, paint));
        out.push('\n');
    }
    if !object.attribution.is_empty() {
        let title = if object.class == Class::Missing {
            "deleted, per the audit trail:"
        } else {
            "last changes, per the audit trail (newest first):"
        };
        out.push_str(&format!("      {}\n", paint.paint(DIM, title)));
        for record in &object.attribution {
            out.push_str(&format!("        {}\n", clean(&attribution_line(record))));
        }
    }
    out
}

/// `2026-05-01T10:00:00.000Z  Update by Dana Admin (user): description`.
fn attribution_line(record: &Attribution) -> String {
    let mut line = format!(
        "{}  {} by {} ({})",
        record.when,
        record.action,
        record.who,
        record.who_kind.key()
    );
    if !record.properties.is_empty() {
        line.push_str(&format!(": {}", record.properties.join(", ")));
    }
    if record.own_client {
        line.push_str(OWN_CLIENT);
    }
    line
}

fn coverage(report: &Report, paint: Paint) -> String {
    let mut block = format!("{} {}\n", paint.bold("Coverage:"), coverage_line(report));
    for (kind, share) in coverage_rows(report) {
        block.push_str(&format!(
            "  {:<14} {:>5} of {:<5} {}\n",
            kind.plural(),
            share.managed,
            share.managed + share.unmanaged,
            share.percent()
        ));
    }
    block
}
