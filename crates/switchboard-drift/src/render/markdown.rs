//! The report as GitHub-flavoured Markdown, for the body of a tracking issue (or a job
//! summary).

use std::fmt::Write as _;

use switchboard_plan::render::{Line, NONE, code, diff_fence, escape};

use crate::model::{Class, DriftObject, Report};
use crate::render::{
    OWN_CLIENT, counts, coverage_line, heading, next_step, object_lines, since_line,
    unmanaged_note, verdict,
};

/// The most characters a GitHub issue body (and comment) holds.
pub const MARKDOWN_LIMIT: usize = 65_536;

/// How much a rendering shows.
#[derive(Debug, Clone, Copy)]
struct Detail {
    /// Each object's differences and audit trail.
    changes: bool,
    /// At most this many objects per class (the rest are counted).
    cap: Option<usize>,
}

/// The report as Markdown, at most `limit` characters when it can be.
///
/// In order: a title; a `> [!WARNING]` callout when there is drift (or a line saying the org
/// is in sync); a table of counts; the coverage table; a section per class listing each
/// object with its differences and most recent audited changes; the attribution note; the
/// warnings; a footer with the manifest hash. When it does not fit, the per-object details
/// go first, then each class's list is cut short (`… and N more`), drift counted first.
///
/// Each object's sign and differences are those of its plan: the sign is what apply would
/// do, and the differences sit in a `diff` fence as the plan's Markdown shows them (`~` as
/// `!`, each `→` from the org's value to the manifest's).
///
/// Names are user data: outside a fence they are shown in `<code>` with every Markdown and
/// HTML character as an entity (no mentions, links or emoji); in a fence, as written.
pub fn markdown(report: &Report, limit: usize) -> String {
    let attempts = [
        Detail {
            changes: true,
            cap: None,
        },
        Detail {
            changes: false,
            cap: None,
        },
        Detail {
            changes: false,
            cap: Some(200),
        },
        Detail {
            changes: false,
            cap: Some(50),
        },
        Detail {
            changes: false,
            cap: Some(10),
        },
        Detail {
            changes: false,
            cap: Some(0),
        },
    ];
    let mut last = String::new();
    for detail in attempts {
        last = render(report, detail);
        if last.chars().count() <= limit {
            return last;
        }
    }
    last
}

fn render(report: &Report, detail: Detail) -> String {
    let mut out = String::new();
    let summary = report.summary();
    let _ = writeln!(
        out,
        "## switchboard drift: org {}\n",
        code(&report.org.name)
    );
    if let Some(line) = since_line(report) {
        let _ = writeln!(out, "{line}\n");
    }
    if report.in_sync() {
        let _ = writeln!(out, "**In sync.** {}\n", verdict(report));
    } else {
        let _ = writeln!(
            out,
            "> [!WARNING]\n> **{} object{} drifted** from the manifest: {}.\n",
            summary.drifted,
            if summary.drifted == 1 { "" } else { "s" },
            counts(report)
        );
        if let Some(next) = next_step(report) {
            // Our own words, no org data: written as they are (code spans kept).
            let _ = writeln!(out, "{next}\n");
        }
    }
    let pruned = report
        .objects
        .iter()
        .filter(|o| o.class == Class::Unmanaged && o.drift)
        .count();
    let _ = writeln!(out, "| | objects |\n|---|---:|");
    let _ = writeln!(out, "| {} | {} |", Class::Changed.title(), summary.changed);
    let _ = writeln!(out, "| {} | {} |", Class::Missing.title(), summary.missing);
    let _ = writeln!(
        out,
        "| Unmanaged (in scope, not in the manifest) | {} ({pruned} to be pruned) |\n",
        summary.unmanaged
    );
    let _ = writeln!(out, "**Coverage:** {}.\n", coverage_line(report));
    let _ = writeln!(
        out,
        "| kind | managed | unmanaged | coverage |\n|---|---:|---:|---:|"
    );
    for (kind, share) in crate::render::coverage_rows(report) {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            kind.plural(),
            share.managed,
            share.unmanaged,
            share.percent()
        );
    }
    out.push('\n');
    for class in Class::ALL {
        let mut objects: Vec<&DriftObject> = crate::render::listed(report, class);
        if objects.is_empty() {
            continue;
        }
        // Drift first, so a cut list keeps what matters.
        objects.sort_by_key(|o| !o.drift);
        let _ = writeln!(
            out,
            "### {}\n",
            heading(class, &objects, |sign| format!("`{sign}`"))
        );
        let shown = detail
            .cap
            .map_or(objects.len(), |cap| cap.min(objects.len()));
        for object in &objects[..shown] {
            object_markdown(&mut out, object, detail);
        }
        if shown < objects.len() {
            let _ = writeln!(out, "- … and {} more", objects.len() - shown);
        }
        out.push('\n');
    }
    if let Some(message) = &report.attribution.message {
        let _ = writeln!(out, "> [!NOTE]\n> {}\n", escape(message));
    }
    if !report.warnings.is_empty() {
        let _ = writeln!(out, "### Warnings\n");
        let shown = detail
            .cap
            .map_or(report.warnings.len(), |cap| cap.min(report.warnings.len()));
        for warning in &report.warnings[..shown] {
            let _ = writeln!(
                out,
                "- {}: {}",
                escape(&warning.subject),
                escape(&warning.message)
            );
        }
        if shown < report.warnings.len() {
            let _ = writeln!(out, "- … and {} more", report.warnings.len() - shown);
        }
        out.push('\n');
    }
    if !detail.changes {
        let _ = writeln!(
            out,
            "_Details were left out to fit GitHub's size limit: run `switchboard drift` for all of them._\n"
        );
    }
    let _ = writeln!(
        out,
        "<sub>switchboard {} · manifest {} · audit window {} days</sub>",
        env!("CARGO_PKG_VERSION"),
        code(&report.manifest_hash),
        report.attribution.window_days
    );
    out
}

fn object_markdown(out: &mut String, object: &DriftObject, detail: Detail) {
    let sign = object.sign();
    let mut line = if sign == NONE {
        format!("- {}", code(&object.describe()))
    } else {
        format!("- `{sign}` {}", code(&object.describe()))
    };
    if object.class == Class::Unmanaged
        && let Some(note) = unmanaged_note(object)
    {
        let _ = write!(line, " ({note})");
    }
    if !detail.changes {
        if !object.changes.is_empty() {
            let _ = write!(
                line,
                ": {} difference{}",
                object.changes.len(),
                if object.changes.len() == 1 { "" } else { "s" }
            );
        }
        if let Some(last) = object.attribution.first() {
            let _ = write!(
                line,
                "; last by {} ({}) at {}",
                code(&last.who),
                last.who_kind.key(),
                code(&last.when)
            );
        }
        let _ = writeln!(out, "{line}");
        return;
    }
    let _ = writeln!(out, "{line}");
    // The differences, one level up: the bullet is the object's line.
    let differences: Vec<Line> = object_lines(object, "")
        .into_iter()
        .skip(1)
        .map(|line| Line {
            depth: line.depth.saturating_sub(1),
            ..line
        })
        .collect();
    if !differences.is_empty() {
        for fence_line in diff_fence(&differences).lines() {
            let _ = writeln!(out, "  {fence_line}");
        }
    }
    if !object.attribution.is_empty() {
        let title = if object.class == Class::Missing {
            "deleted, per the audit trail"
        } else {
            "last changes, per the audit trail (newest first)"
        };
        let _ = writeln!(out, "  - {title}:");
        for record in &object.attribution {
            let mut line = format!(
                "{} {} by {} ({})",
                code(&record.when),
                escape(&record.action),
                code(&record.who),
                record.who_kind.key()
            );
            if !record.properties.is_empty() {
                let _ = write!(line, ": {}", escape(&record.properties.join(", ")));
            }
            if record.own_client {
                line.push_str(&escape(OWN_CLIENT));
            }
            let _ = writeln!(out, "    - {line}");
        }
    }
}
