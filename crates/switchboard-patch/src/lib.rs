//! Drift turned into manifest edits: the patch that makes the manifest say what the org has.
//!
//! [`patch`] plans the manifest against the live org (as `drift` does), and for every
//! difference writes the edit that adopts the live value, in the file and on the lines where
//! the manifest says otherwise ([`switchboard_manifest::edit`]):
//!
//! | the plan says | the patch |
//! |---|---|
//! | an attribute would be updated | sets the manifest's value to the live one (removes it when the org has none) |
//! | an element would be added (the org lacks a member, code, skill) | removes it from the manifest |
//! | an element would be removed (the org has it, an `authoritative` list lacks it) | adds it, declaring the code, skill or language it names when the manifest does not |
//! | an element would be updated (a ring, a proficiency) | sets the live value |
//! | an object would be created (the org lacks it) | removes it from the manifest |
//! | an object would be deleted (unmanaged, pruned, not protected) | adds it, as `export` writes it, to a file that lists its kind |
//!
//! A pending rename (`renamedFrom`), a skill replace, and what cannot be edited faithfully
//! (see [`switchboard_manifest::edit`]) are left alone with a [`Note`].
//!
//! Nothing is trusted blindly: the patched texts are loaded again and planned against the same
//! org, and [`patch`] fails rather than return a patch after which an adopted difference
//! remains, a new one appears, or the manifest no longer loads.
//!
//! It is pure: texts and a snapshot in, a unified diff out; the caller writes the file.

mod adopt;
mod locate;
mod unified;
mod values;
mod verify;

use std::fmt;

use switchboard_manifest::Live;
use switchboard_manifest::edit::Editable;
use switchboard_plan::{PlanError, Policy, diff};

/// The edits that adopt the org's live values, as a unified diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patch {
    /// The unified diff (`--- a/<path>` / `+++ b/<path>`, paths relative to the manifest's
    /// directory) that `git apply` and `patch -p1` accept; empty when there is nothing to
    /// adopt.
    pub diff: String,
    /// Every file the patch changes, with its text before and after.
    pub files: Vec<PatchedFile>,
    /// How many differences the patch adopts.
    pub adopted: usize,
    /// The differences it leaves alone, and why.
    pub notes: Vec<Note>,
}

/// One changed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchedFile {
    /// The path relative to the manifest's directory, `/`-separated.
    pub path: String,
    /// The text now.
    pub before: String,
    /// The text with the patch applied.
    pub after: String,
}

/// A difference the patch does not adopt.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Note {
    /// What it is about: `queue "Billing EN"`, or a file and position.
    pub subject: String,
    /// Why, and what to do instead.
    pub message: String,
}

impl Note {
    pub(crate) fn new(subject: impl Into<String>, message: impl Into<String>) -> Note {
        Note {
            subject: subject.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.subject, self.message)
    }
}

/// Why no patch can be given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatchError {
    /// The manifest cannot be planned against this org at all.
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// The patched manifest does not load.
    #[error(
        "the patch would leave a manifest that does not load, so none was written:\n{findings}hint: this is a bug in switchboard; please report it with the manifest"
    )]
    Invalid {
        /// The findings of loading the patched files.
        findings: String,
    },
    /// After the patch, the manifest still differs from the org where it should not.
    #[error(
        "the patch would not adopt the org's values, so none was written; planned after it:\n{}\nhint: this is a bug in switchboard; please report it with the manifest and `drift --format json`",
        differences.iter().map(|d| format!("  {d}")).collect::<Vec<_>>().join("\n")
    )]
    NotAdopted {
        /// The differences that remain or appeared, one per line.
        differences: Vec<String>,
    },
}

/// The patch that makes `manifest` say what `live` has, checked by planning the patched
/// manifest against `live` again.
///
/// # Errors
///
/// [`PatchError::Plan`] when the manifest cannot be planned against this org (the org guard);
/// [`PatchError::Invalid`] or [`PatchError::NotAdopted`] when the edits would not do what
/// they must — a patch is never returned then.
pub fn patch(manifest: &Editable, live: &Live) -> Result<Patch, PatchError> {
    let plan = diff(manifest.manifest(), live, &Policy::default())?;
    let mut adoption = adopt::adoption(manifest, live, &plan);
    // A difference whose edits are only partly made is dropped whole, and the rest made
    // again, so that no patch holds half an adoption (say, a code declared but not listed).
    let edited = loop {
        let (indexes, edits): (Vec<usize>, Vec<_>) = adoption.active_edits().into_iter().unzip();
        let edited = manifest.edit(&edits);
        let made: Vec<usize> = indexes
            .iter()
            .zip(&edited.applied)
            .filter(|(_, applied)| **applied)
            .map(|(index, _)| *index)
            .collect();
        let refused: Vec<(usize, String)> = indexes
            .iter()
            .enumerate()
            .filter_map(|(position, index)| {
                let note = edited.notes.iter().find(|n| n.edit == position)?;
                Some((*index, note.to_string()))
            })
            .collect();
        if !adoption.settle(&made, &refused) {
            break edited;
        }
    };
    let patched = manifest
        .with_files(edited.files.clone())
        .map_err(|loaded| PatchError::Invalid {
            findings: loaded.findings_text(),
        })?;
    verify::adopted(&plan, &patched, live, &adoption)?;
    let files: Vec<PatchedFile> = manifest
        .files()
        .iter()
        .zip(&edited.files)
        .enumerate()
        .filter(|(_, (before, after))| before.text != after.text)
        .map(|(index, (before, after))| PatchedFile {
            path: manifest
                .relative_path(index)
                .unwrap_or_else(|| before.path.display().to_string()),
            before: before.text.clone(),
            after: after.text.clone(),
        })
        .collect();
    let mut notes = adoption.notes.clone();
    notes.sort();
    notes.dedup();
    Ok(Patch {
        diff: unified::diff(&files),
        files,
        adopted: adoption.adopted_count(),
        notes,
    })
}
