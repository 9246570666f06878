//! What validation found: each finding located at `file:line:column` and a YAML path, with a
//! one-line message and a hint where there is something to do.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

use crate::yaml::Position;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The manifest cannot be used.
    Error,
    /// Probably a mistake; the manifest can still be used.
    Warning,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, when the finding is in one.
    pub file: Option<PathBuf>,
    /// Line and column in `file`.
    #[serde(flatten)]
    pub position: Option<Position>,
    /// Where in the manifest, e.g. `queues[3].members.users[0].ring`; empty for the whole file.
    pub path: String,
    /// What is wrong, in one line.
    pub message: String,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error with no location yet.
    pub fn error(path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: None,
            position: None,
            path: path.into(),
            message: message.into(),
            hint: None,
        }
    }

    /// A warning with no location yet.
    pub fn warning(path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Places the finding in a file.
    pub fn at(mut self, file: impl Into<PathBuf>, position: Option<Position>) -> Self {
        self.file = Some(file.into());
        self.position = position;
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line:column: error: message (at path)` and an indented `hint:` line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.position) {
            (Some(file), Some(at)) => write!(f, "{}:{}:{}: ", file.display(), at.line, at.column)?,
            (Some(file), None) => write!(f, "{}: ", file.display())?,
            (None, _) => {}
        }
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{severity}: {}", printable(&self.message))?;
        if !self.path.is_empty() {
            write!(f, " (at {})", printable(&self.path))?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {}", printable(hint))?;
        }
        Ok(())
    }
}

/// A finding before it is located: the diagnostic, the JSON pointer of what it is about,
/// and whether to point at that entry's key rather than its value.
#[derive(Debug, Clone)]
pub(crate) struct Finding {
    pub pointer: String,
    pub at_key: bool,
    pub diagnostic: Diagnostic,
}

impl Finding {
    /// A finding about the value at `pointer`.
    pub fn new(pointer: impl Into<String>, diagnostic: Diagnostic) -> Finding {
        Finding {
            pointer: pointer.into(),
            at_key: false,
            diagnostic,
        }
    }

    /// Points at the entry's key instead (an unknown key, an undeclared name used as a key).
    pub fn at_key(mut self) -> Finding {
        self.at_key = true;
        self
    }
}

/// Text with control characters escaped, so that a key like `"\e[2J"` in a manifest cannot
/// drive the reader's terminal.
fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(char::is_control) {
        text.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// Sorts findings by file, position, then message, so output is stable.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.position, a.severity, &a.path, &a.message)
            .cmp(&(&b.file, b.position, b.severity, &b.path, &b.message))
    });
}

/// A document a JSON pointer is read against: what tells a list's indexes from a mapping's
/// keys. The merged JSON of a manifest is one, and so is the tree it was read from.
pub trait Document {
    /// Whether it is a list.
    fn is_list(&self) -> bool;
    /// A list's item.
    fn item(&self, index: usize) -> Option<&Self>;
    /// Whether it is a mapping.
    fn is_map(&self) -> bool;
    /// A mapping's value at `key`.
    fn entry(&self, key: &str) -> Option<&Self>;
}

impl Document for serde_json::Value {
    fn is_list(&self) -> bool {
        self.is_array()
    }

    fn item(&self, index: usize) -> Option<&Self> {
        self.as_array()?.get(index)
    }

    fn is_map(&self) -> bool {
        self.is_object()
    }

    fn entry(&self, key: &str) -> Option<&Self> {
        self.as_object()?.get(key)
    }
}

/// A JSON pointer (`/queues/3/members/users/0/ring`) as a YAML path
/// (`queues[3].members.users[0].ring`). `document` tells list indexes from keys that are
/// numbers; without it, any all-digit segment reads as an index.
pub fn yaml_path<D: Document>(pointer: &str, document: Option<&D>) -> String {
    let mut out = String::new();
    let mut node = document;
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        let index = match node {
            Some(list) if list.is_list() => {
                node = segment.parse::<usize>().ok().and_then(|i| list.item(i));
                true
            }
            Some(map) if map.is_map() => {
                node = map.entry(&segment);
                false
            }
            _ => {
                node = None;
                !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit())
            }
        };
        if index {
            out.push_str(&format!("[{segment}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&segment);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_read_as_yaml_paths() {
        for (pointer, path) in [
            ("", ""),
            (
                "/queues/3/members/users/0/ring",
                "queues[3].members.users[0].ring",
            ),
            (
                "/agents/0/skills/proficiency/Billing~1EN",
                "agents[0].skills.proficiency.Billing/EN",
            ),
        ] {
            assert_eq!(yaml_path::<serde_json::Value>(pointer, None), path);
        }
    }

    #[test]
    fn keys_that_are_numbers_are_not_read_as_indexes() {
        let document = serde_json::json!({"skills": [{"1": "x"}]});
        assert_eq!(yaml_path("/skills/0/1", Some(&document)), "skills[0].1");
    }

    #[test]
    fn control_characters_are_escaped() {
        let diagnostic = Diagnostic::error("", "unknown key `\u{1b}[2J`");
        assert_eq!(diagnostic.to_string(), "error: unknown key `\\u{1b}[2J`");
    }

    #[test]
    fn displays_location_message_path_and_hint() {
        let diagnostic = Diagnostic::error("queues[0].ring", "ring 7 is out of range 1-6")
            .with_hint("use a ring from 1 to 6")
            .at("m.yaml", Some(Position { line: 4, column: 9 }));
        assert_eq!(
            diagnostic.to_string(),
            "m.yaml:4:9: error: ring 7 is out of range 1-6 (at queues[0].ring)\n  hint: use a ring from 1 to 6"
        );
    }
}
