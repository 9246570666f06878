//! A YAML reader that remembers where every value came from and refuses what a manifest must
//! never contain.
//!
//! Manifests are edited by people in pull requests, so every diagnostic has to point at a line
//! and column. `parse` turns one YAML document into a [`Spanned`] tree; [`Spanned::to_json`]
//! hands the data to serde and schema validation, and [`Spanned::positions`] maps the JSON
//! pointers those report back to the source.
//!
//! What is refused, and why:
//! - more than one document, duplicate keys, keys that are not strings, merge keys (`<<`) and
//!   tags outside the core schema: each has no faithful JSON meaning, or silently changes one;
//! - `.inf`, `.nan` and numbers out of range: JSON cannot hold them;
//! - inputs over [`Limits`]: size, nesting and node count (which counts every copy an alias
//!   expands to, so a "billion laughs" document fails before it is expanded).
//!
//! Scalars follow the YAML 1.2 core schema on plain scalars only. YAML 1.1 spellings such as
//! `yes`, `no`, `on` and `off` are strings, and `017` is the integer 17.
//!
//! Architecture Invariant: this module does no I/O; it reads a `&str` and returns data.

mod position_index;
mod scalar;
mod tree_builder;

#[cfg(test)]
mod tests;

use saphyr_parser::{Event, Marker, Parser, ScanError};

pub use position_index::PositionIndex;
use tree_builder::TreeBuilder;

/// A position in a source file, 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Position {
    /// The line, starting at 1.
    pub line: u32,
    /// The column in characters, starting at 1.
    pub column: u32,
}

impl Position {
    /// The first character of a file.
    pub const START: Position = Position { line: 1, column: 1 };

    /// Converts saphyr's marker (1-based line, 0-based column) to a 1-based position.
    pub(crate) fn from_marker(marker: &Marker) -> Position {
        Position {
            line: to_u32(marker.line()).max(1),
            column: to_u32(marker.col()).saturating_add(1),
        }
    }
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A YAML value with the position where it starts.
///
/// A value copied from an alias (`*name`) is positioned at the alias; the values inside the
/// copy keep the positions of the anchored original.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned {
    /// The value.
    pub value: Value,
    /// Where the value starts (its tag or anchor, if it has one).
    pub at: Position,
}

/// A YAML value that JSON can represent.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`, `~` or nothing.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer that fits in 64 bits.
    Int(i64),
    /// A finite floating-point number.
    Float(f64),
    /// Any other scalar, and every quoted or block scalar.
    String(String),
    /// A sequence.
    Seq(Vec<Spanned>),
    /// A mapping with its keys in document order; keys are always strings here.
    Map(Vec<(Key, Spanned)>),
}

/// A mapping key and its own position.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// The key's text; a plain key such as `on` or `1` is taken as written.
    pub name: String,
    /// Where the key starts.
    pub at: Position,
}

/// Limits that make hostile input fail fast.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The largest accepted input, in bytes (default 8 MiB).
    pub max_bytes: usize,
    /// The most nodes (keys and values) a document may produce, counting every copy an alias
    /// expands to (default 1,000,000).
    pub max_nodes: usize,
    /// The deepest nesting of sequences and mappings (default 64); this also bounds the
    /// recursion of [`Spanned::to_json`] and [`Spanned::positions`].
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 8 * MIB,
            max_nodes: 1_000_000,
            max_depth: 64,
        }
    }
}

const MIB: usize = 1024 * 1024;

/// Why a YAML document was refused, and where.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct YamlError {
    /// One line saying what is wrong, lower-case, no trailing period.
    pub message: String,
    /// Where the problem is.
    pub at: Position,
    /// What the user can do about it, when there is something to say.
    pub hint: Option<String>,
}

impl YamlError {
    fn new(message: impl Into<String>, at: Position) -> YamlError {
        YamlError {
            message: message.into(),
            at,
            hint: None,
        }
    }

    fn with_hint(mut self, hint: impl Into<String>) -> YamlError {
        self.hint = Some(hint.into());
        self
    }
}

/// Parses one YAML document into a positioned tree.
///
/// Empty input, or input holding only comments, gives `Ok(None)`.
///
/// # Errors
///
/// Returns a [`YamlError`] for invalid YAML, for anything the module documentation lists as
/// refused, and when `limits` are exceeded.
pub fn parse(source: &str, limits: &Limits) -> Result<Option<Spanned>, YamlError> {
    if source.len() > limits.max_bytes {
        return Err(YamlError::new(
            format!(
                "the file is {} bytes; manifests are limited to {}",
                group_thousands(source.len()),
                describe_size(limits.max_bytes)
            ),
            Position::START,
        )
        .with_hint("split the manifest into smaller files"));
    }

    let mut builder = TreeBuilder::new(limits);
    let mut documents = 0_usize;
    for item in Parser::new_from_str(source) {
        let (event, span) = item.map_err(|error| scan_error(&error, source))?;
        let at = Position::from_marker(&span.start);
        match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(
                        YamlError::new("a manifest file holds one YAML document", at).with_hint(
                            "remove this `---` or move the next document to its own file",
                        ),
                    );
                }
            }
            Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
            Event::Alias(id) => builder.alias(id, at)?,
            Event::Scalar(text, style, anchor, tag) => {
                builder.scalar(&text, style, anchor, tag.as_deref(), at)?;
            }
            Event::SequenceStart(anchor, tag) => builder.start_seq(anchor, tag.as_deref(), at)?,
            Event::MappingStart(anchor, tag) => builder.start_map(anchor, tag.as_deref(), at)?,
            Event::SequenceEnd | Event::MappingEnd => builder.end_collection()?,
        }
    }
    Ok(builder.finish())
}

/// Turns a scanner or parser error into a located error, rewording the common ones.
fn scan_error(error: &ScanError, source: &str) -> YamlError {
    let at = within_line(source, Position::from_marker(error.marker()));
    let info = error.info();
    if info.contains("tab") {
        let at = leading_tab_near(source, at).unwrap_or(at);
        return YamlError::new("tabs are not allowed for indentation in YAML", at)
            .with_hint("indent with spaces");
    }
    if info == "recursion limit exceeded" {
        // saphyr's own flow nesting limit, met while its scanner looks ahead of our depth check.
        return YamlError::new("the document nests too deeply", at)
            .with_hint("flatten the structure");
    }
    let error = YamlError::new(info, at);
    if info.contains("mapping values are not allowed") {
        error.with_hint("check the indentation; quote a value that contains `: `")
    } else if info.contains("quoted scalar") {
        error.with_hint("check that every quote is closed and that inner quotes are escaped")
    } else {
        error
    }
}

/// An error position made to count characters and to stay on its line.
///
/// saphyr 0.3 advances the column of a directive line (`%NAME param`) by the bytes of the
/// name and the parameters, not by their characters, so an error after a non-ASCII directive
/// would point past the end of the line. A directive line is ASCII up to what saphyr counts
/// in bytes, so its column is a byte offset there and is converted; any other column is
/// kept, only capped at the end of the line.
fn within_line(source: &str, at: Position) -> Position {
    let Some(line) = usize::try_from(at.line)
        .ok()
        .and_then(|line| line.checked_sub(1))
        .and_then(|index| lines(source).nth(index))
    else {
        return at;
    };
    let column = usize::try_from(at.column).unwrap_or(usize::MAX);
    let characters = if line.starts_with('%') {
        let mut bytes = column.saturating_sub(1).min(line.len());
        while !line.is_char_boundary(bytes) {
            bytes -= 1;
        }
        line[..bytes].chars().count()
    } else {
        column.saturating_sub(1).min(line.chars().count())
    };
    Position {
        line: at.line,
        column: to_u32(characters + 1),
    }
}

/// The lines of `source` as YAML counts them: broken at `\r\n`, `\n` and a lone `\r`.
pub(crate) fn lines(source: &str) -> impl Iterator<Item = &str> {
    source
        .split('\n')
        .flat_map(|line| line.strip_suffix('\r').unwrap_or(line).split('\r'))
}

/// Finds the tab the scanner complained about: saphyr sometimes reports the line before it
/// (a block scalar header) or the column after it.
fn leading_tab_near(source: &str, at: Position) -> Option<Position> {
    let first = usize::try_from(at.line).ok()?.checked_sub(1)?;
    lines(source)
        .enumerate()
        .skip(first)
        .take(3)
        .find_map(|(index, line)| {
            let column = line
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .position(|c| c == '\t')?;
            Some(Position {
                line: to_u32(index + 1),
                column: to_u32(column + 1),
            })
        })
}

fn describe_size(bytes: usize) -> String {
    const KIB: usize = 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{} bytes", group_thousands(bytes))
    }
}

/// `52428800` → `52,428,800`.
fn group_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

impl Spanned {
    /// Converts the tree to JSON.
    ///
    /// Objects keep document order only if serde_json's `preserve_order` feature is on;
    /// otherwise they are sorted by key. [`Value::Map`] always keeps document order.
    #[must_use]
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            // `parse` refuses non-finite floats, so the `Null` fallback is never taken.
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Seq(items) => {
                serde_json::Value::Array(items.iter().map(Spanned::to_json).collect())
            }
            Value::Map(entries) => serde_json::Value::Object(
                entries
                    .iter()
                    .map(|(key, value)| (key.name.clone(), value.to_json()))
                    .collect(),
            ),
        }
    }

    /// Records the position of every node under its JSON pointer (RFC 6901), so diagnostics
    /// found on the JSON value can be located in the source.
    #[must_use]
    pub fn positions(&self) -> PositionIndex {
        PositionIndex::of(self)
    }
}
