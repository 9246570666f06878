//! Where each value of one file is written: its span, its style (block or flow, plain or
//! quoted), its anchors and aliases, and the lines it occupies.
//!
//! [`crate::yaml`] keeps only where a value starts, which is all a diagnostic needs. Editing
//! needs more: where it ends, how it is written, and whether an anchor or alias shares it. This
//! is a second, independent reading of saphyr's events; nodes are found by the start position
//! both readings agree on ([`Position::from_marker`]).

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use super::text::Lines;
use crate::yaml::Position;

/// A value as written in one file.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    /// Where the value starts (its anchor or tag, if it has one).
    pub start: Position,
    /// Just past its last character; for a block collection, past its last value.
    pub end: Position,
    /// The last line holding any of its text.
    pub last_line: u32,
    /// The collection holding it.
    pub parent: Option<usize>,
    /// `&name`: aliases may copy it, so an edit here would change them too.
    pub anchored: bool,
    /// `!tag`.
    pub tagged: bool,
    /// What it is.
    pub kind: Kind,
}

#[derive(Debug, Clone)]
pub(crate) enum Kind {
    Scalar(ScalarStyle),
    /// `*name`: a copy of an anchored value written elsewhere.
    Alias,
    Seq {
        flow: bool,
        items: Vec<usize>,
    },
    Map {
        flow: bool,
        entries: Vec<Entry>,
    },
}

/// A mapping entry: where its key is written, and its value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    pub key_start: Position,
    pub key_end: Position,
    pub value: usize,
}

/// Every value of one file, by start position.
#[derive(Debug, Clone, Default)]
pub(crate) struct Layout {
    pub nodes: Vec<Node>,
    /// Values by start position; a sequence written without indentation under its key
    /// starts where its first item does, so a position may hold two.
    by_start: HashMap<Position, Vec<usize>>,
    /// Key start → (mapping, entry index).
    by_key: HashMap<Position, (usize, usize)>,
}

impl Layout {
    /// Reads `text`; `None` when it is not YAML this crate reads (the caller has parsed it
    /// with [`crate::yaml::parse`] already, so this does not happen for valid manifests).
    pub fn of(text: &str) -> Option<Layout> {
        let lines = Lines::of(text);
        let mut layout = Layout::default();
        // Open collections, and for a mapping the key waiting for its value.
        let mut open: Vec<(usize, Option<(Position, Position)>)> = Vec::new();
        for item in Parser::new_from_str(text) {
            let (event, span) = item.ok()?;
            let start = Position::from_marker(&span.start);
            let end = Position::from_marker(&span.end);
            match event {
                Event::Scalar(_, style, anchor, tag) => {
                    let expects_key = open
                        .last()
                        .is_some_and(|(id, key)| key.is_none() && layout.is_map(*id));
                    if expects_key {
                        if let Some((_, key)) = open.last_mut() {
                            *key = Some((start, end));
                        }
                        continue;
                    }
                    let (end, last_line) = match style {
                        ScalarStyle::Literal | ScalarStyle::Folded => {
                            (end, block_scalar_last_line(&lines, start, end))
                        }
                        // saphyr's span of a quoted scalar runs on over the spaces after it.
                        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                            let end = closing_quote(&lines, start, style).unwrap_or(end);
                            (end, end.line)
                        }
                        ScalarStyle::Plain => (end, end.line),
                    };
                    let node = Node {
                        start,
                        end,
                        last_line,
                        parent: None,
                        anchored: anchor != 0,
                        tagged: tag.is_some(),
                        kind: Kind::Scalar(style),
                    };
                    layout.attach(node, &mut open);
                }
                Event::Alias(_) => {
                    let node = Node {
                        start,
                        end,
                        last_line: end.line,
                        parent: None,
                        anchored: false,
                        tagged: false,
                        kind: Kind::Alias,
                    };
                    layout.attach(node, &mut open);
                }
                Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                    let kind = if matches!(event, Event::SequenceStart(..)) {
                        Kind::Seq {
                            flow: false,
                            items: Vec::new(),
                        }
                    } else {
                        Kind::Map {
                            flow: false,
                            entries: Vec::new(),
                        }
                    };
                    let node = Node {
                        start,
                        end: start,
                        last_line: start.line,
                        parent: None,
                        anchored: anchor != 0,
                        tagged: tag.is_some(),
                        kind,
                    };
                    let id = layout.attach(node, &mut open);
                    open.push((id, None));
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let (id, _) = open.pop()?;
                    layout.close(id, span);
                }
                Event::Nothing
                | Event::StreamStart
                | Event::StreamEnd
                | Event::DocumentStart(_)
                | Event::DocumentEnd => {}
            }
        }
        Some(layout)
    }

    /// Whether `id` is a mapping.
    pub fn is_map(&self, id: usize) -> bool {
        self.nodes
            .get(id)
            .is_some_and(|n| matches!(n.kind, Kind::Map { .. }))
    }

    /// Places a new node in the open collection (or as the root) and returns its id.
    fn attach(
        &mut self,
        mut node: Node,
        open: &mut [(usize, Option<(Position, Position)>)],
    ) -> usize {
        let id = self.nodes.len();
        let parent = open.last_mut();
        node.parent = parent.as_ref().map(|(p, _)| *p);
        self.by_start.entry(node.start).or_default().push(id);
        self.nodes.push(node);
        if let Some((parent, key)) = parent
            && let Some(container) = self.nodes.get_mut(*parent)
        {
            match &mut container.kind {
                Kind::Seq { items, .. } => items.push(id),
                Kind::Map { entries, .. } => {
                    if let Some((key_start, key_end)) = key.take() {
                        self.by_key.insert(key_start, (*parent, entries.len()));
                        entries.push(Entry {
                            key_start,
                            key_end,
                            value: id,
                        });
                    }
                }
                Kind::Scalar(_) | Kind::Alias => {}
            }
        }
        id
    }

    /// Ends a collection: a flow one at its closing bracket, a block one with its last value.
    fn close(&mut self, id: usize, span: Span) {
        let flow = span.start != span.end;
        let last_child = self.nodes.get(id).and_then(|node| match &node.kind {
            Kind::Seq { items, .. } => items.last().copied(),
            Kind::Map { entries, .. } => entries.last().map(|e| e.value),
            _ => None,
        });
        let (end, last_line) = if flow {
            // The span of a closing bracket runs on over the spaces after it.
            let at = Position::from_marker(&span.start);
            let end = Position {
                line: at.line,
                column: at.column + 1,
            };
            (end, end.line)
        } else {
            match last_child.and_then(|c| self.nodes.get(c)) {
                Some(child) => (child.end, child.last_line),
                None => {
                    let at = Position::from_marker(&span.start);
                    (at, at.line)
                }
            }
        };
        if let Some(node) = self.nodes.get_mut(id) {
            node.end = end;
            node.last_line = last_line;
            match &mut node.kind {
                Kind::Seq { flow: f, .. } | Kind::Map { flow: f, .. } => *f = flow,
                Kind::Scalar(_) | Kind::Alias => {}
            }
        }
    }

    /// The values written at `start`, outermost first.
    pub fn at(&self, start: Position) -> &[usize] {
        self.by_start.get(&start).map_or(&[], Vec::as_slice)
    }

    /// The mapping and entry whose key is written at `start`.
    pub fn key_at(&self, start: Position) -> Option<(usize, usize)> {
        self.by_key.get(&start).copied()
    }

    pub fn node(&self, id: usize) -> Option<&Node> {
        self.nodes.get(id)
    }

    /// The node and the collections holding it, innermost first.
    pub fn ancestry(&self, id: usize) -> impl Iterator<Item = &Node> {
        let mut next = Some(id);
        std::iter::from_fn(move || {
            let node = self.nodes.get(next?)?;
            next = node.parent;
            Some(node)
        })
    }

    /// The node and everything inside it.
    pub fn subtree(&self, id: usize) -> Vec<&Node> {
        let mut found = Vec::new();
        let mut pending = vec![id];
        while let Some(id) = pending.pop() {
            let Some(node) = self.nodes.get(id) else {
                continue;
            };
            match &node.kind {
                Kind::Seq { items, .. } => pending.extend(items),
                Kind::Map { entries, .. } => pending.extend(entries.iter().map(|e| e.value)),
                Kind::Scalar(_) | Kind::Alias => {}
            }
            found.push(node);
        }
        found
    }

    /// Whether the node sits inside a flow collection, where `,[]{}` end a plain scalar.
    pub fn in_flow(&self, id: usize) -> bool {
        self.ancestry(id).skip(1).any(Node::is_flow)
    }

    /// The mapping entry whose value is `id`, with its mapping.
    pub fn owner_entry(&self, id: usize) -> Option<(usize, Entry)> {
        let parent = self.nodes.get(id)?.parent?;
        match &self.nodes.get(parent)?.kind {
            Kind::Map { entries, .. } => {
                entries.iter().find(|e| e.value == id).map(|e| (parent, *e))
            }
            _ => None,
        }
    }

    /// How far a block sequence's dashes sit right of the key that holds it, as this file
    /// writes it (`key:\n  - a` is 2, `key:\n- a` is 0); 2 when the file has no such sequence.
    pub fn sequence_offset(&self, lines: &Lines<'_>) -> usize {
        self.nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| matches!(n.kind, Kind::Seq { flow: false, .. }))
            .find_map(|(id, seq)| {
                let (_, entry) = self.owner_entry(id)?;
                // A sequence without indentation starts at its first item, after the dash.
                let dash = if lines.slice(
                    seq.start,
                    Position {
                        line: seq.start.line,
                        column: seq.start.column + 1,
                    },
                ) == Some("-")
                {
                    seq.start
                } else {
                    lines.dash_before(seq.start)?
                };
                let offset = dash.column.checked_sub(entry.key_start.column)?;
                usize::try_from(offset).ok()
            })
            .unwrap_or(2)
    }
}

impl Node {
    pub fn is_flow(&self) -> bool {
        matches!(
            self.kind,
            Kind::Seq { flow: true, .. } | Kind::Map { flow: true, .. }
        )
    }

    pub fn single_line(&self) -> bool {
        self.start.line == self.last_line
    }
}

/// Just past the quote that closes the quoted scalar starting at `start` (at its quote, or at
/// an anchor or tag before it).
fn closing_quote(lines: &Lines<'_>, start: Position, style: ScalarStyle) -> Option<Position> {
    let quote = if style == ScalarStyle::SingleQuoted {
        '\''
    } else {
        '"'
    };
    let mut opened = false;
    let mut line = start.line;
    let mut skip = usize::try_from(start.column.saturating_sub(1)).ok()?;
    loop {
        let text = lines.text(line)?;
        let mut chars = text.chars().enumerate().skip(skip).peekable();
        while let Some((column, c)) = chars.next() {
            if !opened {
                opened = c == quote;
                continue;
            }
            if quote == '"' && c == '\\' {
                chars.next();
            } else if c == quote {
                if quote == '\'' && chars.peek().is_some_and(|(_, next)| *next == '\'') {
                    chars.next();
                    continue;
                }
                return Some(Position {
                    line,
                    column: u32::try_from(column + 2).ok()?,
                });
            }
        }
        line += 1;
        skip = 0;
    }
}

/// A block scalar's span runs to the next token, past trailing blank lines: its last line is
/// the last one with text indented as deep as its content.
fn block_scalar_last_line(lines: &Lines<'_>, start: Position, end: Position) -> u32 {
    let indent = start.column.saturating_sub(1);
    let mut last = start.line;
    for line in start.line..=end.line {
        let Some(text) = lines.text(line) else {
            break;
        };
        let spaces = text.chars().take_while(|c| *c == ' ').count();
        let blank = text.trim().is_empty();
        if !blank && u32::try_from(spaces).unwrap_or(u32::MAX) >= indent {
            last = line;
        } else if !blank {
            break;
        }
    }
    last
}
