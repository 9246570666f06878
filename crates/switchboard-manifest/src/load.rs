//! Loading a manifest: a file or a directory of files, an optional environment overlay,
//! then the schema check and the semantic rules, with every finding located.

use std::path::{Path, PathBuf};

use crate::diagnostic::{self, Diagnostic, Finding, yaml_path};
use crate::model::Manifest;
use crate::tree::{self, Node, Origin};
use crate::yaml::{self, Limits, Position};
use crate::{rules, schema};

/// How to load.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Environment whose overlay (`environments/<env>.yaml`) is merged over the base.
    pub env: Option<String>,
    /// Size and expansion limits for each file.
    pub limits: Limits,
}

/// What loading found: the manifest when it is valid, and every finding.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The manifest, when there is no error.
    pub manifest: Option<Manifest>,
    /// Errors and warnings, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// The files read, in merge order (the overlay last).
    pub files: Vec<PathBuf>,
    /// Where each value of the merged manifest was written, when it was read whole.
    locator: Option<Locator>,
}

/// Where the values of a merged manifest were written: a finding made later (at plan time,
/// against the org) is placed at `file:line:column` like the loader's own.
#[derive(Debug, Clone)]
struct Locator {
    /// The merged tree, with where each key and value was written.
    root: tree::Node,
    names: Vec<String>,
}

impl Locator {
    fn locate(&self, pointer: &str, mut diagnostic: Diagnostic) -> Diagnostic {
        diagnostic.path = yaml_path(pointer, Some(&self.root));
        match self.root.value_origin(pointer) {
            Some(origin) => diagnostic.at_origin(origin, &self.names),
            None => diagnostic,
        }
    }
}

impl Loaded {
    /// Every finding as people read it, one per line (hints on their own indented line).
    pub fn findings_text(&self) -> String {
        self.diagnostics.iter().map(|d| format!("{d}\n")).collect()
    }

    /// True when any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// `diagnostic` placed where the value at `pointer` (a JSON pointer into the merged
    /// manifest, e.g. `/queues/2/queueFlow`) was written, with its YAML path.
    pub fn locate(&self, pointer: &str, diagnostic: Diagnostic) -> Diagnostic {
        match &self.locator {
            Some(locator) => locator.locate(pointer, diagnostic),
            None => diagnostic,
        }
    }
}

/// Loads and validates the manifest at `path` (a file or a directory).
pub fn load(path: &Path, options: &LoadOptions) -> Loaded {
    let read = read_files(path, options);
    let overlay = options.env.is_some();
    load_sources(
        read.files,
        &read.sources,
        read.diagnostics,
        overlay,
        &options.limits,
    )
}

/// The files of a manifest and their texts, read but not parsed.
pub(crate) struct ReadFiles {
    /// The files, in merge order (the overlay last).
    pub files: Vec<PathBuf>,
    /// Each file's text (empty when it could not be read).
    pub sources: Vec<String>,
    /// Why a file could not be found or read.
    pub diagnostics: Vec<Diagnostic>,
}

/// Finds and reads the files of the manifest at `path`, the overlay last.
pub(crate) fn read_files(path: &Path, options: &LoadOptions) -> ReadFiles {
    let mut diagnostics = Vec::new();
    let mut files = discover(path, &mut diagnostics);
    if let Some(env) = &options.env {
        match overlay_file(path, env) {
            Ok(file) => files.push(file),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    let mut sources = Vec::new();
    for file in &files {
        match read(file, &options.limits) {
            Ok(text) => sources.push(text),
            Err(diagnostic) => {
                diagnostics.push(*diagnostic);
                sources.push(String::new());
            }
        }
    }
    ReadFiles {
        files,
        sources,
        diagnostics,
    }
}

/// Validates texts already read: `files` name them, in merge order, the environment overlay
/// last when `overlay` is true. `diagnostics` are the findings of reading them.
pub(crate) fn load_sources(
    files: Vec<PathBuf>,
    sources: &[String],
    mut diagnostics: Vec<Diagnostic>,
    overlay: bool,
    limits: &Limits,
) -> Loaded {
    if diagnostics.iter().any(Diagnostic::is_error) {
        return finish(None, diagnostics, files, None);
    }
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    let overlay = overlay.then(|| files.len().saturating_sub(1));
    let (manifest, more, locator) = validate(sources, &names, overlay, limits);
    diagnostics.extend(more);
    finish(manifest, diagnostics, files, locator)
}

/// Loads one manifest held in memory (`name` is used in findings).
pub fn load_str(name: &str, text: &str) -> Loaded {
    let limits = Limits::default();
    if text.len() > limits.max_bytes {
        return finish(
            None,
            vec![too_large(Path::new(name), text.len() as u64, &limits)],
            vec![PathBuf::from(name)],
            None,
        );
    }
    let (manifest, diagnostics, locator) = validate(
        &[text.to_string()],
        &[name.to_string()],
        None,
        &Limits::default(),
    );
    finish(manifest, diagnostics, vec![PathBuf::from(name)], locator)
}

fn finish(
    manifest: Option<Manifest>,
    mut diagnostics: Vec<Diagnostic>,
    files: Vec<PathBuf>,
    locator: Option<Locator>,
) -> Loaded {
    diagnostic::sort(&mut diagnostics);
    let manifest = manifest.filter(|_| !diagnostics.iter().any(Diagnostic::is_error));
    Loaded {
        locator: locator.filter(|_| manifest.is_some()),
        manifest,
        diagnostics,
        files,
    }
}

/// Parses, merges and checks sources; `overlay` is the index of the environment file.
fn validate(
    sources: &[String],
    names: &[String],
    overlay: Option<usize>,
    limits: &Limits,
) -> (Option<Manifest>, Vec<Diagnostic>, Option<Locator>) {
    let mut diagnostics = Vec::new();
    let mut base = Vec::new();
    let mut environment = None;
    for (file, text) in sources.iter().enumerate() {
        let origin = |at| Origin { file, at };
        match yaml::parse(text, limits) {
            Err(error) => {
                let mut found = Diagnostic::error("", error.message.clone());
                if let Some(hint) = &error.hint {
                    found = found.with_hint(hint.clone());
                }
                diagnostics.push(found.at_origin(origin(error.at), names));
            }
            Ok(None) => diagnostics
                .push(Diagnostic::warning("", "the file is empty").at_origin(origin(START), names)),
            Ok(Some(spanned)) => {
                let node = Node::from_yaml(&spanned, file);
                if !matches!(node.value, tree::Value::Map(_)) {
                    diagnostics.push(
                        Diagnostic::error("", "a manifest file is a mapping of keys")
                            .with_hint(
                                "start with `version: 1`, then `org:`, `skills:`, `queues:` ...",
                            )
                            .at_origin(node.origin, names),
                    );
                } else if Some(file) == overlay {
                    environment = Some(node);
                } else {
                    base.push(node);
                }
            }
        }
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return (None, diagnostics, None);
    }
    let (root, merge_findings) = tree::merge_base(base, names);
    diagnostics.extend(merge_findings);
    let Some(mut root) = root else {
        let mut empty = Diagnostic::error("", "the manifest is empty")
            .with_hint("a manifest needs at least `version: 1` and an `org:` guard");
        if let Some(name) = names.first() {
            empty = empty.at(name.clone(), Some(START));
        }
        diagnostics.push(empty);
        return (None, diagnostics, None);
    };
    if let Some(environment) = environment {
        tree::apply_overlay(&mut root, environment);
    }
    let json = root.to_json();
    // A finding about a mapping or a list points at its key (where it starts), a finding
    // about a scalar at the value, unless the finding asks for the key.
    let locate = |found: Finding| {
        let Finding {
            pointer,
            at_key,
            mut diagnostic,
        } = found;
        let container = json
            .pointer(&pointer)
            .is_some_and(|v| v.is_object() || v.is_array());
        let origin = if at_key || (container && !pointer.is_empty()) {
            root.key_origin(&pointer)
        } else {
            root.value_origin(&pointer)
        };
        diagnostic.path = yaml_path(&pointer, Some(&json));
        match origin {
            Some(origin) => diagnostic.at_origin(origin, names),
            None => diagnostic,
        }
    };
    let structural = schema::check(&json);
    // The rules still run when the structure has errors, as long as what is left fits the
    // types (unknown keys are dropped for this), so every finding is reported at once. The
    // JSON is copied only to drop unknown keys: for a large manifest it is tens of MB.
    let unknown_keys: Vec<&str> = structural
        .iter()
        .filter(|f| f.at_key)
        .map(|f| f.pointer.as_str())
        .collect();
    let fits = if unknown_keys.is_empty() {
        <Manifest as serde::Deserialize>::deserialize(&json)
    } else {
        let mut fitting = json.clone();
        for pointer in unknown_keys {
            remove(&mut fitting, pointer);
        }
        serde_json::from_value(fitting)
    };
    let reported: Vec<String> = structural.iter().map(|f| f.pointer.clone()).collect();
    let valid_structure = structural.is_empty();
    diagnostics.extend(structural.into_iter().map(locate));
    let manifest: Manifest = match fits {
        Ok(manifest) => manifest,
        Err(error) if valid_structure => {
            diagnostics.push(locate(Finding::new(
                "",
                Diagnostic::error("", format!("the manifest does not fit its types: {error}")),
            )));
            return (None, diagnostics, None);
        }
        Err(_) => return (None, diagnostics, None),
    };
    let already = |pointer: &str| {
        reported
            .iter()
            .any(|r| pointer == r || pointer.starts_with(&format!("{r}/")))
    };
    diagnostics.extend(
        rules::check(&manifest)
            .into_iter()
            .filter(|f| !already(&f.pointer))
            .map(locate),
    );
    drop(json);
    let locator = Locator {
        root,
        names: names.to_vec(),
    };
    (Some(manifest), diagnostics, Some(locator))
}

/// Removes the value at a JSON pointer.
fn remove(json: &mut serde_json::Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let key = last.replace("~1", "/").replace("~0", "~");
    if let Some(serde_json::Value::Object(object)) = json.pointer_mut(parent) {
        object.remove(&key);
    }
}

const START: Position = Position { line: 1, column: 1 };

/// The files [`load`] reads for `path` (see `discover`), without its complaints: none for a
/// path that does not exist or holds no YAML.
pub fn manifest_files(path: &Path) -> Vec<PathBuf> {
    discover(path, &mut Vec::new())
}

/// The files of a manifest: the file itself, or a directory's `*.yaml`/`*.yml` files (in
/// sub-directories too, except `environments/` and hidden ones), sorted by path.
fn discover(path: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_path_buf()];
    }
    if !path.is_dir() {
        diagnostics.push(
            Diagnostic::error("", format!("{} does not exist", path.display()))
                .with_hint("pass a manifest file or a directory of YAML files"),
        );
        return Vec::new();
    }
    let mut files = Vec::new();
    let mut pending = vec![path.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            diagnostics.push(Diagnostic::error(
                "",
                format!("cannot read directory {}", dir.display()),
            ));
            continue;
        };
        for entry in entries.flatten() {
            let child = entry.path();
            if entry.file_name().to_string_lossy().starts_with('.') {
                // Hidden files and folders (.git, .github) are never part of a manifest.
                continue;
            }
            if child.is_dir() {
                if !(dir == path && entry.file_name() == "environments") {
                    pending.push(child);
                }
            } else if child
                .extension()
                .is_some_and(|ext| ext == "yaml" || ext == "yml")
            {
                files.push(child);
            }
        }
    }
    files.sort();
    if files.is_empty() && diagnostics.is_empty() {
        diagnostics.push(
            Diagnostic::error(
                "",
                format!("{} holds no .yaml or .yml files", path.display()),
            )
            .with_hint("a manifest directory holds one or more YAML files"),
        );
    }
    files
}

/// `environments/<env>.yaml` beside the manifest.
fn overlay_file(path: &Path, env: &str) -> Result<PathBuf, Diagnostic> {
    if env.is_empty()
        || !env
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(
            Diagnostic::error("", format!("`{env}` is not an environment name"))
                .with_hint("environment names use letters, digits, - and _"),
        );
    }
    let base = if path.is_dir() {
        path
    } else {
        path.parent().unwrap_or(Path::new("."))
    };
    let dir = base.join("environments");
    for ext in ["yaml", "yml"] {
        let candidate = dir.join(format!("{env}.{ext}"));
        if candidate.is_file() {
            return Ok(candidate);
        }
    }
    let mut available: Vec<String> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let p = e.path();
            p.extension()
                .is_some_and(|x| x == "yaml" || x == "yml")
                .then(|| p.file_stem()?.to_str().map(str::to_string))?
        })
        .collect();
    available.sort();
    let hint = if available.is_empty() {
        format!("create {}/{env}.yaml", dir.display())
    } else {
        format!("environments here: {}", available.join(", "))
    };
    Err(Diagnostic::error(
        "",
        format!(
            "no environment `{env}` ({}/{env}.yaml does not exist)",
            dir.display()
        ),
    )
    .with_hint(hint))
}

/// The finding for a file over the size limit.
fn too_large(file: &Path, size: u64, limits: &Limits) -> Diagnostic {
    let mib = |bytes: u64| bytes as f64 / (1024.0 * 1024.0);
    Diagnostic::error(
        "",
        format!(
            "the file is {:.1} MiB; manifests are limited to {:.0} MiB per file",
            mib(size),
            mib(limits.max_bytes as u64)
        ),
    )
    .with_hint("split the manifest into several files in a directory")
    .at(file, Some(START))
}

/// Reads a file, refusing a file over the size limit before reading it and bytes that are
/// not UTF-8.
fn read(file: &Path, limits: &Limits) -> Result<String, Box<Diagnostic>> {
    let fail = |message: String, at: Option<Position>| {
        Box::new(Diagnostic::error("", message).at(file, at))
    };
    let size = std::fs::metadata(file)
        .map_err(|e| fail(format!("cannot read the file: {e}"), None))?
        .len();
    if size > limits.max_bytes as u64 {
        return Err(Box::new(too_large(file, size, limits)));
    }
    let bytes =
        std::fs::read(file).map_err(|e| fail(format!("cannot read the file: {e}"), None))?;
    String::from_utf8(bytes).map_err(|error| {
        let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
        let text = String::from_utf8_lossy(valid);
        // Lines as YAML and the other findings count them: a lone `\r` breaks a line too.
        let line = yaml::lines(&text).count();
        let column = yaml::lines(&text).last().map_or(0, |l| l.chars().count()) + 1;
        let at = Position {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
        };
        Box::new(
            Diagnostic::error("", "the file is not UTF-8 text")
                .with_hint("save it as UTF-8")
                .at(file, Some(at)),
        )
    })
}
