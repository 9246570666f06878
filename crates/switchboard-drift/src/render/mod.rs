//! Renderers: pure functions of a [`Report`](crate::Report). Text for terminals, Markdown for
//! an issue body, JSON for pipelines.

mod json;
mod markdown;
mod text;

pub use json::{DriftDocument, json};
pub use markdown::{MARKDOWN_LIMIT, markdown};
pub use text::{TextStyle, text};

use switchboard_plan::render::{Line, NONE, attribute_lines, element_line};
use switchboard_plan::{Action, AttributeChange, ElementChange};

use crate::model::{Class, DriftObject, Report};

pub(crate) use switchboard_plan::render::clean;

/// The lines of an object, as a plan of the manifest shows them: the object at depth 0 with
/// what apply would do to it (`+` create a missing one, `~` update a changed one, `-` delete
/// an unmanaged one it prunes), `header` as its text; then its differences at depth 1 and
/// more, each with what apply would do to it and the org's value before the manifest's
/// (`~ description = "org" → "manifest"`, `- member dara@example.com`, `+ member
/// cy@example.com (ring 1)`). An element apply cannot add (a listed member without an
/// account) has no sign.
pub(crate) fn object_lines(object: &DriftObject, header: &str) -> Vec<Line> {
    let action = if object.class == Class::Missing {
        Action::Create
    } else {
        Action::Update
    };
    let mut lines = vec![Line::new(0, object.sign(), header)];
    for change in &object.changes {
        // The plan's direction: `before` is the org's value, `after` the manifest's.
        let (org, manifest) = (change.after.clone(), change.before.clone());
        let collection = object.kind.collection(&change.path);
        match (&change.key, collection) {
            (Some(key), Some(kind)) => {
                let element = ElementChange {
                    op: change.op.element_op(),
                    key: key.clone(),
                    id: None,
                    before: org,
                    after: manifest,
                    note: change.note.clone(),
                };
                let mut line = element_line(kind, &element);
                if change.plan_cannot_add {
                    line.sign = NONE;
                }
                lines.push(line);
            }
            (key, _) => {
                let path = match key {
                    Some(key) => format!("{} {key}", change.path),
                    None => change.path.clone(),
                };
                let attribute = AttributeChange {
                    path,
                    before: org,
                    after: manifest,
                };
                lines.extend(attribute_lines(action, &attribute));
            }
        }
    }
    lines
}

/// A section's heading, without its colon: the class, how many objects, and how to read
/// their lines. `sign` shows a sign in the words (quoted for Markdown).
pub(crate) fn heading(class: Class, objects: &[&DriftObject], sign: fn(&str) -> String) -> String {
    let count = objects.len();
    let deleted = objects.iter().filter(|o| o.drift).count();
    let them = if count == 1 { "it" } else { "them" };
    let reading = match class {
        Class::Changed => {
            "what apply would change back, the org's value → the manifest's".to_string()
        }
        Class::Missing => "what apply would create".to_string(),
        Class::Unmanaged if deleted == 0 => format!("apply leaves {them}"),
        Class::Unmanaged if deleted == count => "what apply would delete".to_string(),
        Class::Unmanaged => format!(
            "apply would delete those marked {}, and leave the rest",
            sign(Action::Delete.symbol())
        ),
    };
    format!("{} ({count}) — {reading}", class.title())
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
        "Next: `switchboard apply` with this manifest makes these changes (its plan shows the \
         same lines) and puts the org back as git has it; to keep the org's values instead, \
         `switchboard drift --patch FILE` writes them into the manifest as a patch for \
         `git apply`."
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

/// Why an unmanaged object is or is not drift, in words; nothing when its kind is simply not
/// pruned (it has no sign, and its section's heading says that apply leaves it).
pub(crate) fn unmanaged_note(object: &DriftObject) -> Option<&'static str> {
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
