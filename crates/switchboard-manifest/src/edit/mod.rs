//! Editing a manifest's source files in place: the value at a JSON pointer of the merged
//! manifest is changed in the file and on the lines where it was written, and nowhere else.
//!
//! This is how switchboard writes to files people own (`drift --patch` turns drift into a
//! pull request): comments, key order, quoting and indentation are left as they are, only
//! the lines an edit touches change, and new lines are indented like their siblings. A value
//! written in the environment overlay is edited in the overlay; a key or item the manifest
//! lacks is added where its mapping or list is written (for a list several files add to,
//! after the item named by [`Edit::Add`]'s `after`).
//!
//! An edit is never a guess. What cannot be edited faithfully as text (a value from an alias
//! or inside an anchor, a block scalar, a scalar or flow collection over several lines, a
//! tagged value) is refused with an [`EditNote`] at its `file:line:column`. Every edit that is
//! made is checked by reading the files again: the merged manifest must be exactly what it was
//! with that one value changed, or the edit is undone and noted.
//!
//! Architecture Invariant: the editing is pure (texts in, texts out); only
//! [`Editable::load`] reads files, and nothing here writes any.

mod layout;
mod ops;
mod path;
mod render;
mod state;
#[cfg(test)]
mod tests;
mod text;

use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use crate::diagnostic::Diagnostic;
use crate::load::{self, LoadOptions, Loaded};
use crate::model::Manifest;
use crate::yaml::{Limits, Position};

use ops::Op;
use state::State;

/// One file of a manifest and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The file's path, as it was loaded.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
}

/// One change to the merged manifest, addressed by JSON pointer (RFC 6901), e.g.
/// `/queues/0/members/users/1/ring`.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Replaces the single value at `pointer` with `value` (a scalar), in the quoting style
    /// it was written in when that style can hold the new value.
    Replace {
        /// The value to replace.
        pointer: String,
        /// Its new value: a string, number, boolean or null.
        value: Json,
    },
    /// Adds `key: value` to the mapping at `pointer`, which must not have `key` yet: after
    /// its last entry, at that entry's indentation.
    Insert {
        /// The mapping.
        pointer: String,
        /// The new key.
        key: String,
        /// Its value; mappings and lists are written in block style below the key.
        value: Json,
    },
    /// Adds `value` to the list at `pointer`: after item `after` (in the file that item is
    /// written in), or after the last item; in the style of that item.
    Add {
        /// The list.
        pointer: String,
        /// The new item.
        value: Json,
        /// The item the new one follows; the last when `None`.
        after: Option<usize>,
    },
    /// Removes the list item at `pointer` (and an item the environment overlay writes for the
    /// same named object, for the top-level lists); an emptied list becomes `[]`.
    RemoveItem {
        /// The item.
        pointer: String,
    },
    /// Removes the mapping entry at `pointer`; an emptied mapping becomes `{}`.
    RemoveKey {
        /// The entry.
        pointer: String,
    },
}

impl Edit {
    /// The pointer the edit is addressed to.
    pub fn pointer(&self) -> &str {
        match self {
            Edit::Replace { pointer, .. }
            | Edit::Insert { pointer, .. }
            | Edit::Add { pointer, .. }
            | Edit::RemoveItem { pointer }
            | Edit::RemoveKey { pointer } => pointer,
        }
    }

    fn op(&self) -> Option<Op> {
        let path = path::parse(self.pointer())?;
        Some(match self {
            Edit::Replace { value, .. } => Op::Replace {
                path,
                value: value.clone(),
            },
            Edit::Insert { key, value, .. } => Op::Insert {
                path,
                key: key.clone(),
                value: value.clone(),
            },
            Edit::Add { value, after, .. } => Op::Add {
                path,
                value: value.clone(),
                after: *after,
            },
            Edit::RemoveItem { .. } => Op::RemoveItem { path },
            Edit::RemoveKey { .. } => Op::RemoveKey { path },
        })
    }
}

/// Why an edit was not made, located where it could be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditNote {
    /// The edit's index in the list given to [`Editable::edit`].
    pub edit: usize,
    /// The file the value is written in, when known.
    pub file: Option<PathBuf>,
    /// Where in that file.
    pub at: Option<Position>,
    /// What stopped it, and what to do.
    pub message: String,
}

impl fmt::Display for EditNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.at) {
            (Some(file), Some(at)) => write!(f, "{}:{at}: {}", file.display(), self.message),
            (Some(file), None) => write!(f, "{}: {}", file.display(), self.message),
            _ => f.write_str(&self.message),
        }
    }
}

/// The files after [`Editable::edit`].
#[derive(Debug, Clone, PartialEq)]
pub struct Edited {
    /// Every file, in load order, with its new text.
    pub files: Vec<SourceFile>,
    /// Whether each edit was made, by index.
    pub applied: Vec<bool>,
    /// Why the others were not.
    pub notes: Vec<EditNote>,
}

/// A valid manifest loaded with its files' texts, ready to be edited.
#[derive(Debug, Clone)]
pub struct Editable {
    root: PathBuf,
    files: Vec<SourceFile>,
    loaded: Loaded,
    manifest: Manifest,
    /// The files as read for editing: every edit starts from a clone of it.
    state: State,
}

impl Editable {
    /// Loads the manifest at `path` as [`crate::load`] does, keeping its texts.
    ///
    /// # Errors
    ///
    /// The [`Loaded`] findings when the manifest has an error.
    pub fn load(path: &Path, options: &LoadOptions) -> Result<Editable, Box<Loaded>> {
        let read = load::read_files(path, options);
        let root = if path.is_dir() {
            path.to_path_buf()
        } else {
            path.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        let files = read
            .files
            .into_iter()
            .zip(read.sources)
            .map(|(path, text)| SourceFile { path, text })
            .collect();
        Editable::new(
            root,
            files,
            options.env.is_some(),
            options.limits,
            read.diagnostics,
        )
    }

    /// A manifest held in memory: `files` in merge order, the environment overlay last when
    /// `overlay` is true; `root` is the directory their paths are relative to.
    ///
    /// # Errors
    ///
    /// The [`Loaded`] findings when the manifest has an error.
    pub fn from_sources(
        root: impl Into<PathBuf>,
        files: Vec<SourceFile>,
        overlay: bool,
    ) -> Result<Editable, Box<Loaded>> {
        Editable::new(root.into(), files, overlay, Limits::default(), Vec::new())
    }

    /// Validates `files` as the loader does (`read_findings` are those of reading them) and
    /// reads them for editing.
    fn new(
        root: PathBuf,
        files: Vec<SourceFile>,
        overlay: bool,
        limits: Limits,
        read_findings: Vec<Diagnostic>,
    ) -> Result<Editable, Box<Loaded>> {
        let texts: Vec<String> = files.iter().map(|f| f.text.clone()).collect();
        let paths = files.iter().map(|f| f.path.clone()).collect();
        let loaded = load::load_sources(paths, &texts, read_findings, overlay, &limits);
        let Some(manifest) = loaded.manifest.clone() else {
            return Err(Box::new(loaded));
        };
        let overlay_index = overlay.then(|| files.len().saturating_sub(1));
        let Some(state) = State::read(texts, overlay_index, limits) else {
            return Err(Box::new(loaded));
        };
        Ok(Editable {
            root,
            files,
            loaded,
            manifest,
            state,
        })
    }

    /// The same manifest with new texts for its files (e.g. [`Edited::files`]), validated
    /// again.
    ///
    /// # Errors
    ///
    /// The [`Loaded`] findings when the new texts do not make a valid manifest.
    pub fn with_files(&self, files: Vec<SourceFile>) -> Result<Editable, Box<Loaded>> {
        Editable::new(
            self.root.clone(),
            files,
            self.state.overlay.is_some(),
            self.state.limits,
            Vec::new(),
        )
    }

    /// The validated manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The load's findings (warnings only: a manifest with errors is not editable).
    pub fn loaded(&self) -> &Loaded {
        &self.loaded
    }

    /// The files, in merge order (the overlay last).
    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    /// The directory the files' paths are relative to: the manifest directory, or the
    /// manifest file's directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The index of the environment overlay's file, when one is merged.
    pub fn overlay(&self) -> Option<usize> {
        self.state.overlay
    }

    /// A file's path relative to [`Editable::root`], `/`-separated.
    pub fn relative_path(&self, file: usize) -> Option<String> {
        let path = &self.files.get(file)?.path;
        let relative = path.strip_prefix(&self.root).unwrap_or(path);
        Some(
            relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/"),
        )
    }

    /// The merged manifest as written (before defaults), as JSON: what pointers address.
    pub fn json(&self) -> &Json {
        &self.state.json
    }

    /// The file the value at `pointer` is written in.
    pub fn file_of(&self, pointer: &str) -> Option<usize> {
        self.state.json.pointer(pointer)?;
        Some(self.state.merged.value_origin(pointer)?.file)
    }

    /// Makes `edits`, in order, each addressed to the manifest as it was before any of them
    /// (pointers follow the items earlier edits add or remove). An edit that cannot be made
    /// faithfully is skipped with a note; the others are still made.
    pub fn edit(&self, edits: &[Edit]) -> Edited {
        let mut applied = vec![false; edits.len()];
        let mut notes = Vec::new();
        let mut state = self.state.clone();
        let mut pending: Vec<Option<Op>> = edits.iter().map(Edit::op).collect();
        for index in 0..edits.len() {
            let note = |refusal: state::Refusal| EditNote {
                edit: index,
                file: refusal
                    .file
                    .and_then(|f| self.files.get(f))
                    .map(|f| f.path.clone()),
                at: refusal.at,
                message: refusal.message,
            };
            let Some(op) = pending.get(index).cloned().flatten() else {
                let message = if path::parse(edits[index].pointer()).is_none() {
                    format!("`{}` is not a JSON pointer", edits[index].pointer())
                } else {
                    "the value is inside one an earlier edit removed".to_string()
                };
                notes.push(note(state::Refusal::new(message)));
                continue;
            };
            let planned = match ops::plan(&state, &op) {
                Ok(planned) => planned,
                Err(refusal) => {
                    notes.push(note(refusal));
                    continue;
                }
            };
            match state.spliced(&planned.splices) {
                Some(next) if next.json == planned.expected => state = next,
                _ => {
                    let mut refusal = state::Refusal::new(
                        "the edit did not read back as the intended value, so it was not made; edit it by hand",
                    );
                    if let Some(first) = planned.splices.first() {
                        refusal.file = Some(first.file);
                    }
                    notes.push(note(refusal));
                    continue;
                }
            }
            applied[index] = true;
            if let Some((seq, shift)) = &planned.shift {
                for later in pending.iter_mut().skip(index + 1) {
                    *later = later.take().and_then(|op| ops::shift(op, seq, *shift));
                }
            }
        }
        let files = self
            .files
            .iter()
            .zip(state.texts)
            .map(|(file, text)| SourceFile {
                path: file.path.clone(),
                text,
            })
            .collect();
        Edited {
            files,
            applied,
            notes,
        }
    }
}
