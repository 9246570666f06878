//! Lines and byte offsets of a text, with positions counted in characters as the YAML reader
//! counts them.

use crate::yaml::Position;

/// The lines of a text (split at `\n`; a `\r` before it stays in the line's text).
#[derive(Debug, Clone)]
pub(crate) struct Lines<'a> {
    text: &'a str,
    /// Byte offset where each line starts; line 1 is at index 0.
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn of(text: &'a str) -> Lines<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(at, _)| at + 1));
        Lines { text, starts }
    }

    /// The line ending new lines should use: the file's own.
    pub fn newline(&self) -> &'static str {
        if self.text.contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        }
    }

    fn index(line: u32) -> Option<usize> {
        usize::try_from(line).ok()?.checked_sub(1)
    }

    /// Where `line` starts.
    pub fn start(&self, line: u32) -> Option<usize> {
        self.starts.get(Self::index(line)?).copied()
    }

    /// Where the line after `line` starts, or the end of the text.
    pub fn after(&self, line: u32) -> Option<usize> {
        let index = Self::index(line)?;
        if index >= self.starts.len() {
            return None;
        }
        Some(
            self.starts
                .get(index + 1)
                .copied()
                .unwrap_or(self.text.len()),
        )
    }

    /// Whether `line` ends with a line break.
    pub fn has_break(&self, line: u32) -> bool {
        Self::index(line).is_some_and(|i| i + 1 < self.starts.len())
    }

    /// The text of `line`, without its line break.
    pub fn text(&self, line: u32) -> Option<&'a str> {
        let start = self.start(line)?;
        let end = self.after(line)?;
        let text = self.text.get(start..end)?;
        Some(
            text.strip_suffix('\n')
                .map_or(text, |t| t.strip_suffix('\r').unwrap_or(t)),
        )
    }

    /// Where the text of `line` ends (before its line break).
    pub fn content_end(&self, line: u32) -> Option<usize> {
        Some(self.start(line)? + self.text(line)?.len())
    }

    /// The byte offset of a position (a column one past the line's last character is the
    /// end of the line).
    pub fn offset(&self, at: Position) -> Option<usize> {
        let start = self.start(at.line)?;
        let line = self.text(at.line)?;
        let column = usize::try_from(at.column).ok()?.checked_sub(1)?;
        if column == line.chars().count() {
            return Some(start + line.len());
        }
        line.char_indices().nth(column).map(|(i, _)| start + i)
    }

    /// The text between two positions.
    pub fn slice(&self, from: Position, to: Position) -> Option<&'a str> {
        self.text.get(self.offset(from)?..self.offset(to)?)
    }

    /// Whether only spaces come before column `column` of `line`.
    pub fn first_on_line(&self, at: Position) -> bool {
        let Some(line) = self.text(at.line) else {
            return false;
        };
        let before = usize::try_from(at.column.saturating_sub(1)).unwrap_or(usize::MAX);
        line.chars().take(before).all(|c| c == ' ')
    }

    /// The column of the `-` that starts the block sequence item beginning at `item`: it must
    /// be on the same line, with only spaces around it.
    pub fn dash_before(&self, item: Position) -> Option<Position> {
        let line = self.text(item.line)?;
        let before: Vec<char> = line
            .chars()
            .take(usize::try_from(item.column.saturating_sub(1)).ok()?)
            .collect();
        let dash = before.iter().rposition(|c| *c != ' ')?;
        if before.get(dash) != Some(&'-') {
            return None;
        }
        Some(Position {
            line: item.line,
            column: u32::try_from(dash + 1).ok()?,
        })
    }

    /// The `:` after a block mapping key ending at `key_end`, when only spaces come between.
    pub fn colon_after(&self, key_end: Position) -> Option<usize> {
        let from = self.offset(key_end)?;
        let end = self.content_end(key_end.line)?;
        let rest = self.text.get(from..end)?;
        let spaces = rest.len() - rest.trim_start_matches(' ').len();
        rest.get(spaces..)?
            .starts_with(':')
            .then_some(from + spaces)
    }

    /// Whether nothing but spaces and a comment follow `offset` on its line.
    pub fn only_comment_after(&self, offset: usize, line: u32) -> bool {
        let Some(end) = self.content_end(line) else {
            return false;
        };
        self.text
            .get(offset..end)
            .is_some_and(|rest| rest.trim().is_empty() || rest.trim_start().starts_with('#'))
    }
}
