//! Renderers: pure functions of a [`Report`](crate::Report). Text for terminals, Markdown for
//! an issue body, JSON for pipelines.

mod json;
mod markdown;
mod text;

pub use json::{DriftDocument, json};
pub use markdown::{MARKDOWN_LIMIT, markdown};
pub use text::{TextStyle, text};

use serde_json::Value;

use crate::model::{ChangeOp, DriftChange, Report};

/// Replaces control characters (escape sequences, newlines, ...) and bidirectional overrides
/// with their Rust escapes, so that user data can neither drive a terminal, break a line,
/// nor reorder what is shown around it.
pub(crate) fn clean(text: &str) -> String {
    let unsafe_char = |c: char| {
        c != '\t'
            && (c.is_control()
                || matches!(c, '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
    };
    if !text.chars().any(unsafe_char) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// A value on one line: JSON (strings quoted), or `(unset)`.
pub(crate) fn value(value: Option<&Value>) -> String {
    match value {
        None => "(unset)".to_string(),
        Some(value) => serde_json::to_string(value).unwrap_or_default(),
    }
}

/// One difference in words, without its sign: `description: "a" → "b"`,
/// `members ana@example.com: 1 → 2`, `wrapupCodes Resolved`, `skills Billing (4)`.
/// Not yet cleaned.
pub(crate) fn describe_change(change: &DriftChange) -> String {
    let subject = match &change.key {
        Some(key) => format!("{} {key}", change.path),
        None => change.path.clone(),
    };
    let mut line = match (change.op, &change.key) {
        (ChangeOp::Changed, _) => format!(
            "{subject}: {} → {}",
            value(change.before.as_ref()),
            value(change.after.as_ref())
        ),
        (ChangeOp::Removed, None) => format!("{subject}: {}", value(change.before.as_ref())),
        (ChangeOp::Removed, Some(_)) => match &change.before {
            Some(v) => format!("{subject} ({})", value(Some(v))),
            None => subject,
        },
        (ChangeOp::Added, _) => match &change.after {
            Some(v) => format!("{subject} ({})", value(Some(v))),
            None => subject,
        },
    };
    if let Some(note) = &change.note {
        line.push_str(&format!(" [{note}]"));
    }
    line
}

/// The closing line: `Drift: 1 changed outside git, 0 missing, 0 unmanaged to be pruned.`
/// or `No drift: the org matches the manifest.`
pub(crate) fn verdict(report: &Report) -> String {
    if report.in_sync() {
        "No drift: the org matches the manifest.".to_string()
    } else {
        format!("Drift: {}.", counts(report))
    }
}

/// What a record by the OAuth client the report was read with says after it.
pub(crate) const OWN_CLIENT: &str =
    " [switchboard's own client: an apply, not a change outside git]";

/// The line after the verdict when there is drift: how to undo it, and how to keep it.
pub(crate) fn next_step(report: &Report) -> Option<String> {
    (!report.in_sync()).then(|| {
        "Next: `switchboard apply` with this manifest puts the org back as git has it (its plan \
         shows these changes the other way round); to keep them instead, `switchboard drift \
         --patch FILE` writes them into the manifest as a patch for `git apply`."
            .to_string()
    })
}

/// For a `--since` check: `Compared only the 2 objects changed between START and END
/// (5 audit records).`
pub(crate) fn since_line(report: &Report) -> Option<String> {
    let since = report.since.as_ref()?;
    let objects = match since.checked.len() {
        1 => "the 1 object".to_string(),
        n => format!("the {n} objects"),
    };
    Some(format!(
        "Compared only {objects} the audit trail shows changed between {} and {} ({} audit records).",
        since.start, since.end, since.audit_records
    ))
}

/// `1 changed outside git, 0 missing, 0 unmanaged to be pruned`.
pub(crate) fn counts(report: &Report) -> String {
    let summary = report.summary();
    let pruned = report
        .objects
        .iter()
        .filter(|o| o.drift && o.class == crate::model::Class::Unmanaged)
        .count();
    format!(
        "{} changed outside git, {} missing, {pruned} unmanaged to be pruned",
        summary.changed, summary.missing
    )
}

/// Why an unmanaged object is or is not drift, in words.
pub(crate) fn unmanaged_note(object: &crate::model::DriftObject) -> Option<&'static str> {
    if object.protected {
        Some("protected")
    } else if object.drift {
        Some("prune is on: apply would delete it")
    } else {
        None
    }
}

/// `coverage: 10 of 13 objects in scope are managed (76.9 %)`.
/// The objects of `class` a report lists: every one, but when there is no drift at all the
/// unmanaged ones are left out (they are not drift; the coverage counts them, and the JSON
/// lists them).
pub(crate) fn listed(
    report: &Report,
    class: crate::model::Class,
) -> Vec<&crate::model::DriftObject> {
    if class == crate::model::Class::Unmanaged && report.in_sync() {
        return Vec::new();
    }
    report.of_class(class).collect()
}

/// The coverage per kind, leaving out the kinds with nothing in scope (a kind the manifest
/// does not read, such as skill groups when it manages none).
pub(crate) fn coverage_rows(
    report: &Report,
) -> impl Iterator<Item = (crate::model::ObjectKind, &crate::model::Share)> {
    crate::model::ObjectKind::NAMED
        .into_iter()
        .filter_map(|kind| {
            let share = report.coverage.by_kind.get(&kind)?;
            (share.managed + share.unmanaged > 0).then_some((kind, share))
        })
}

pub(crate) fn coverage_line(report: &Report) -> String {
    let overall = report.coverage.overall;
    format!(
        "{} of {} objects in scope are managed ({})",
        overall.managed,
        overall.managed + overall.unmanaged,
        overall.percent()
    )
}
