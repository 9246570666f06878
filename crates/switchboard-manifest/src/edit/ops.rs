//! Each edit as byte-range replacements of the text, touching only the lines it must, and
//! the merged value the manifest should read as afterwards.
//!
//! Block collections gain and lose whole lines, indented like their siblings; flow
//! collections written on one line gain and lose `, item` in place. What cannot be done
//! faithfully is refused with a located reason: aliases and anchors, block scalars (`|`,
//! `>`), scalars or flow collections written over several lines, tags.

use saphyr_parser::ScalarStyle;
use serde_json::Value as Json;

use super::layout::{Entry, Kind, Layout, Node as LNode};
use super::path::{self, Path};
use super::render::{self, Block};
use super::state::{Refusal, Splice, State};
use super::text::Lines;
use crate::tree::{self, LIST_KINDS, identity_key};
use crate::yaml::Position;

/// An edit with its pointers split.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Op {
    Replace {
        path: Path,
        value: Json,
    },
    Insert {
        path: Path,
        key: String,
        value: Json,
    },
    Add {
        path: Path,
        value: Json,
        after: Option<usize>,
    },
    RemoveItem {
        path: Path,
    },
    RemoveKey {
        path: Path,
    },
}

/// What an edit does to the text, and what the manifest must read as afterwards.
#[derive(Debug)]
pub(crate) struct Planned {
    pub splices: Vec<Splice>,
    pub expected: Json,
    /// For an item added or removed: the sequence and what happened to its indexes.
    pub shift: Option<(Path, path::Shift)>,
}

/// `op` addressed to the same value after an item was added to or removed from `seq`;
/// `None` when its value was inside the removed item.
pub(crate) fn shift(op: Op, seq: &[String], shift: path::Shift) -> Option<Op> {
    let moved = |path: &Path| path::shifted(path, seq, shift);
    Some(match op {
        Op::Replace { path, value } => Op::Replace {
            path: moved(&path)?,
            value,
        },
        Op::Insert { path, key, value } => Op::Insert {
            path: moved(&path)?,
            key,
            value,
        },
        Op::Add { path, value, after } => {
            let after = match (after, path.as_slice() == seq, shift) {
                // Items added after the same item stay in the order they were asked for.
                (Some(a), true, path::Shift::Inserted(at)) if a + 1 >= at => Some(a + 1),
                (Some(a), true, path::Shift::Removed(at)) if a >= at => a.checked_sub(1),
                (after, _, _) => after,
            };
            Op::Add {
                path: moved(&path)?,
                value,
                after,
            }
        }
        Op::RemoveItem { path } => Op::RemoveItem {
            path: moved(&path)?,
        },
        Op::RemoveKey { path } => Op::RemoveKey {
            path: moved(&path)?,
        },
    })
}

pub(crate) fn plan(state: &State, op: &Op) -> Result<Planned, Refusal> {
    match op {
        Op::Replace { path, value } => replace(state, path, value),
        Op::Insert { path, key, value } => insert(state, path, key, value),
        Op::Add { path, value, after } => add(state, path, value, *after),
        Op::RemoveItem { path } => remove_item(state, path),
        Op::RemoveKey { path } => remove_key(state, path),
    }
}

fn unexpected() -> Refusal {
    Refusal::new("the edit does not fit the manifest's current value")
}

fn offset(lines: &Lines<'_>, at: Position) -> Result<usize, Refusal> {
    lines
        .offset(at)
        .ok_or_else(|| Refusal::new("a position is outside its file"))
}

fn node(layout: &Layout, id: usize) -> Result<&LNode, Refusal> {
    layout
        .node(id)
        .ok_or_else(|| Refusal::new("a value is missing from its file's layout"))
}

/// Refuses a flow collection written over several lines: a comment or a line break inside
/// it may sit where the edit goes.
fn one_line_flow(file: usize, collection: &LNode) -> Result<(), Refusal> {
    if collection.single_line() {
        Ok(())
    } else {
        Err(Refusal::new(
            "the collection is written in flow style ([...] or {...}) over several lines; edit it by hand",
        )
        .at(file, collection.start))
    }
}

/// Whether a flow mapping is written `{ a: 1 }` rather than `{a: 1}`.
fn spaced(lines: &Lines<'_>, collection: &LNode) -> bool {
    lines
        .slice(collection.start, collection.end)
        .is_none_or(|text| text.chars().count() <= 2 || text.chars().nth(1) == Some(' '))
}

/// How far nested mappings are indented in this file (2 when nothing shows it).
fn step(layout: &Layout) -> usize {
    layout
        .nodes
        .iter()
        .filter(|n| matches!(n.kind, Kind::Map { flow: false, .. }))
        .find_map(|map| {
            let parent = layout.node(map.parent?)?;
            let Kind::Map {
                flow: false,
                entries,
            } = &parent.kind
            else {
                return None;
            };
            let owner = entries
                .iter()
                .find(|e| layout.node(e.value).map(|v| v.start) == Some(map.start))?;
            let step = map.start.column.checked_sub(owner.key_start.column)?;
            (step > 0).then(|| usize::try_from(step).ok()).flatten()
        })
        .unwrap_or(2)
}

fn block(layout: &Layout, lines: &Lines<'_>) -> Block {
    Block {
        step: step(layout),
        sequence: layout.sequence_offset(lines),
    }
}

fn indent(column: u32) -> usize {
    usize::try_from(column.saturating_sub(1)).unwrap_or(0)
}

/// Inserts `new` as whole lines after `line`.
fn after_line(
    lines: &Lines<'_>,
    file: usize,
    line: u32,
    new: &[String],
) -> Result<Splice, Refusal> {
    let nl = lines.newline();
    let body = new.join(nl);
    let (at, text) = if lines.has_break(line) {
        let at = lines.after(line).ok_or_else(unexpected)?;
        (at, format!("{body}{nl}"))
    } else {
        let at = lines.content_end(line).ok_or_else(unexpected)?;
        (at, format!("{nl}{body}"))
    };
    Ok(Splice {
        file,
        start: at,
        end: at,
        text,
    })
}

/// Deletes lines `first` to `last` whole. A blank line that set them apart goes with them
/// when a blank line (or the end of the file) follows too, so the spacing stays as it was.
fn delete_lines(lines: &Lines<'_>, file: usize, first: u32, last: u32) -> Result<Splice, Refusal> {
    let blank = |line: u32| lines.text(line).is_none_or(|t| t.trim().is_empty());
    let first = if first > 1 && blank(first - 1) && blank(last + 1) {
        first - 1
    } else {
        first
    };
    let mut start = lines.start(first).ok_or_else(unexpected)?;
    let end = lines.after(last).ok_or_else(unexpected)?;
    if !lines.has_break(last) && first > 1 {
        // The last line has no break: take the one before the first line instead.
        let previous = lines.content_end(first - 1).ok_or_else(unexpected)?;
        start = previous;
    }
    Ok(Splice {
        file,
        start,
        end,
        text: String::new(),
    })
}

fn replace(state: &State, path: &Path, value: &Json) -> Result<Planned, Refusal> {
    let merged = state.resolve(path)?;
    if !matches!(merged.value, tree::Value::Scalar(_)) {
        return Err(
            Refusal::new("only a single value can be replaced, not a list or mapping")
                .at(merged.origin.file, merged.origin.at),
        );
    }
    let (file, id) = state.locate(merged)?;
    let layout = state.layout(file)?;
    let lines = state.lines(file)?;
    let scalar = node(layout, id)?;
    let here = |message: &str| Refusal::new(message).at(file, scalar.start);
    let Kind::Scalar(style) = scalar.kind else {
        return Err(here("the value is not written as a scalar"));
    };
    if scalar.tagged {
        return Err(here("the value has a tag (!...); edit it by hand"));
    }
    if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
        return Err(here(
            "the value is a block scalar (| or >); edit it by hand",
        ));
    }
    if scalar.start.line != scalar.end.line {
        return Err(here(
            "the value is written over several lines; edit it by hand",
        ));
    }
    let text = render::scalar(value, style, layout.in_flow(id))
        .ok_or_else(|| here("a list or mapping cannot replace a single value"))?;
    let start = offset(&lines, scalar.start)?;
    let splice = if scalar.start == scalar.end {
        // An empty value (`key:`) is positioned at its `:`.
        if state.texts.get(file).and_then(|t| t.get(start..=start)) != Some(":") {
            return Err(here("the empty value could not be placed"));
        }
        Splice {
            file,
            start: start + 1,
            end: start + 1,
            text: format!(" {text}"),
        }
    } else {
        Splice {
            file,
            start,
            end: offset(&lines, scalar.end)?,
            text,
        }
    };
    Ok(Planned {
        splices: vec![splice],
        expected: path::replaced(&state.json, path, value.clone()).ok_or_else(unexpected)?,
        shift: None,
    })
}

fn insert(state: &State, path: &Path, key: &str, value: &Json) -> Result<Planned, Refusal> {
    let merged = state.resolve(path)?;
    match &merged.value {
        tree::Value::Map(entries) if entries.iter().any(|e| e.key == key) => {
            return Err(Refusal::new(format!("`{key}` is set already"))
                .at(merged.origin.file, merged.origin.at));
        }
        tree::Value::Map(_) => {}
        _ => {
            return Err(Refusal::new("a key can only be added to a mapping")
                .at(merged.origin.file, merged.origin.at));
        }
    }
    let (file, id) = state.locate(merged)?;
    let layout = state.layout(file)?;
    let lines = state.lines(file)?;
    let map = node(layout, id)?;
    let Kind::Map { flow, entries } = &map.kind else {
        return Err(Refusal::new("the mapping is not written as one").at(file, map.start));
    };
    let splice = if *flow {
        one_line_flow(file, map)?;
        let entry = format!("{}: {}", render::key(key, true), render::flow(value, true));
        match entries.last() {
            Some(last) => {
                let value_end = node(layout, last.value)?.end.max(last.key_end);
                let at = offset(&lines, value_end)?;
                Splice {
                    file,
                    start: at,
                    end: at,
                    text: format!(", {entry}"),
                }
            }
            None => Splice {
                file,
                start: offset(&lines, map.start)?,
                end: offset(&lines, map.end)?,
                text: format!("{{ {entry} }}"),
            },
        }
    } else {
        let last = entries.last().ok_or_else(unexpected)?;
        let line = node(layout, last.value)?.last_line.max(last.key_start.line);
        let new = block(layout, &lines).entry(key, value, indent(last.key_start.column));
        after_line(&lines, file, line, &new)?
    };
    Ok(Planned {
        splices: vec![splice],
        expected: path::inserted(&state.json, path, key, value.clone()).ok_or_else(unexpected)?,
        shift: None,
    })
}

fn add(state: &State, path: &Path, value: &Json, after: Option<usize>) -> Result<Planned, Refusal> {
    let merged = state.resolve(path)?;
    let tree::Value::Seq(items) = &merged.value else {
        return Err(Refusal::new("an item can only be added to a list")
            .at(merged.origin.file, merged.origin.at));
    };
    let (index, anchor) = match after {
        Some(after) => (
            after + 1,
            Some(items.get(after).ok_or_else(|| {
                Refusal::new(format!("{} has no item {after}", path::pointer(path)))
            })?),
        ),
        None => (items.len(), items.last()),
    };
    let splices = match anchor {
        Some(item) => add_after_item(state, item, value)?,
        None => add_to_empty(state, merged, value)?,
    };
    Ok(Planned {
        splices,
        expected: path::added(&state.json, path, index, value.clone()).ok_or_else(unexpected)?,
        shift: Some((path.clone(), path::Shift::Inserted(index))),
    })
}

fn add_after_item(state: &State, item: &tree::Node, value: &Json) -> Result<Vec<Splice>, Refusal> {
    let (file, item_id) = state.locate(item)?;
    let layout = state.layout(file)?;
    let lines = state.lines(file)?;
    let sibling = node(layout, item_id)?;
    let seq = node(layout, sibling.parent.ok_or_else(unexpected)?)?;
    let Kind::Seq { flow, .. } = seq.kind else {
        return Err(unexpected());
    };
    if flow {
        one_line_flow(file, seq)?;
        let at = offset(&lines, sibling.end)?;
        let spaced = !sibling.is_flow() || spaced(&lines, sibling);
        return Ok(vec![Splice {
            file,
            start: at,
            end: at,
            text: format!(", {}", render::flow(value, spaced)),
        }]);
    }
    let dash_indent = indent(dash(&lines, file, sibling)?.column);
    let new = if sibling.is_flow()
        && sibling.single_line()
        && matches!(value, Json::Array(_) | Json::Object(_))
    {
        vec![format!(
            "{}- {}",
            " ".repeat(dash_indent),
            render::flow(value, spaced(&lines, sibling))
        )]
    } else {
        block(layout, &lines).item(value, dash_indent)
    };
    Ok(vec![after_line(&lines, file, sibling.last_line, &new)?])
}

/// An item added to an empty list, which only flow style writes (`[]`). A mapping item under
/// a block mapping's key turns the list into a block list, as people write lists of mappings.
fn add_to_empty(
    state: &State,
    seq_node: &tree::Node,
    value: &Json,
) -> Result<Vec<Splice>, Refusal> {
    let (file, id) = state.locate(seq_node)?;
    let layout = state.layout(file)?;
    let lines = state.lines(file)?;
    let seq = node(layout, id)?;
    if !seq.is_flow() {
        return Err(unexpected());
    }
    one_line_flow(file, seq)?;
    let start = offset(&lines, seq.start)?;
    let end = offset(&lines, seq.end)?;
    if matches!(value, Json::Object(_)) {
        let owner = layout.owner_entry(id).and_then(|(map, entry)| {
            let block_owner = layout.node(map).is_some_and(|m| !m.is_flow());
            let colon = lines.colon_after(entry.key_end)?;
            (block_owner
                && entry.key_start.line == seq.start.line
                && lines.only_comment_after(end, seq.end.line)
                && lines.text(seq.end.line).is_some_and(|t| !t.contains('#')))
            .then_some((entry, colon))
        });
        if let Some((entry, colon)) = owner {
            let nl = lines.newline();
            let dash = indent(entry.key_start.column) + layout.sequence_offset(&lines);
            let new = block(layout, &lines).item(value, dash);
            return Ok(vec![Splice {
                file,
                start: colon + 1,
                end,
                text: format!("{nl}{}", new.join(nl)),
            }]);
        }
    }
    Ok(vec![Splice {
        file,
        start,
        end,
        text: format!("[{}]", render::flow(value, true)),
    }])
}

fn remove_item(state: &State, path: &Path) -> Result<Planned, Refusal> {
    let (index, seq) = path
        .split_last()
        .and_then(|(last, seq)| Some((last.parse::<usize>().ok()?, seq.to_vec())))
        .ok_or_else(|| Refusal::new(format!("{} is not a list item", path::pointer(path))))?;
    let item = state.resolve(path)?;
    let (file, id) = state.locate(item)?;
    let mut splices = remove_item_at(state, file, id)?;
    // An overlay may write the same named object again: it goes too, or it would come back.
    if let ([kind, _], Some(overlay)) = (path.as_slice(), state.overlay)
        && LIST_KINDS.contains(&kind.as_str())
        && file != overlay
    {
        let identity = identity_key(kind);
        let name = path::get(&state.json, path)
            .and_then(|v| v.get(identity))
            .cloned();
        if let (Some(name), Some(tree)) = (name, state.file_tree(overlay))
            && let tree::Value::Map(entries) = &tree.value
            && let Some(list) = entries.iter().find(|e| &e.key == kind)
            && let tree::Value::Seq(items) = &list.node.value
        {
            for written in items
                .iter()
                .filter(|i| i.to_json().get(identity) == Some(&name))
            {
                let (file, id) = state.locate(written)?;
                splices.extend(remove_item_at(state, file, id)?);
            }
        }
    }
    Ok(Planned {
        splices,
        expected: path::removed(&state.json, path).ok_or_else(unexpected)?,
        shift: Some((seq, path::Shift::Removed(index))),
    })
}

fn remove_item_at(state: &State, file: usize, id: usize) -> Result<Vec<Splice>, Refusal> {
    state.check_no_anchor_inside(file, id)?;
    let layout = state.layout(file)?;
    let lines = state.lines(file)?;
    let item = node(layout, id)?;
    let seq_id = item.parent.ok_or_else(unexpected)?;
    let seq = node(layout, seq_id)?;
    let Kind::Seq { flow, items } = &seq.kind else {
        return Err(unexpected());
    };
    let k = items.iter().position(|i| *i == id).ok_or_else(unexpected)?;
    if *flow {
        one_line_flow(file, seq)?;
        let spans: Vec<(Position, Position)> = items
            .iter()
            .map(|i| node(layout, *i).map(|n| (n.start, n.end)))
            .collect::<Result<_, _>>()?;
        return Ok(vec![flow_removal(&lines, file, seq, &spans, k)?]);
    }
    let first = dash(&lines, file, item)?.line;
    let lines_out = delete_lines(&lines, file, first, item.last_line)?;
    if items.len() > 1 {
        return Ok(vec![lines_out]);
    }
    Ok(vec![
        emptied(layout, &lines, file, seq_id, item.start)?,
        lines_out,
    ])
}

/// The `-` that starts a block list item, which must be first on its line.
fn dash(lines: &Lines<'_>, file: usize, item: &LNode) -> Result<Position, Refusal> {
    lines
        .dash_before(item.start)
        .filter(|dash| lines.first_on_line(*dash))
        .ok_or_else(|| {
            Refusal::new("the list item does not start with `- ` on its own line; edit it by hand")
                .at(file, item.start)
        })
}

/// A block collection whose last item or key, starting at `last`, is removed becomes `[]` or
/// `{}`, written after the key that holds it (which must be on an earlier line).
fn emptied(
    layout: &Layout,
    lines: &Lines<'_>,
    file: usize,
    collection: usize,
    last: Position,
) -> Result<Splice, Refusal> {
    let (what, element, empty) = if layout.is_map(collection) {
        ("mapping", "key", "{}")
    } else {
        ("list", "item", "[]")
    };
    let (_, owner) = layout.owner_entry(collection).ok_or_else(|| {
        Refusal::new(format!(
            "the {what}'s last {element} cannot be removed here; edit it by hand"
        ))
        .at(file, last)
    })?;
    let colon = lines
        .colon_after(owner.key_end)
        .filter(|_| owner.key_start.line < last.line)
        .ok_or_else(|| {
            Refusal::new(format!(
                "the {what}'s key could not be found to write `{empty}`"
            ))
            .at(file, owner.key_start)
        })?;
    Ok(Splice {
        file,
        start: colon + 1,
        end: colon + 1,
        text: format!(" {empty}"),
    })
}

/// Removes item `k` of a one-line flow collection, with the comma that joins it to the rest.
fn flow_removal(
    lines: &Lines<'_>,
    file: usize,
    collection: &LNode,
    spans: &[(Position, Position)],
    k: usize,
) -> Result<Splice, Refusal> {
    let (start, end) = match (spans.get(k.wrapping_sub(1)), spans.get(k), spans.get(k + 1)) {
        (_, Some((start, _)), Some((next, _))) => (*start, *next),
        (Some((_, previous_end)), Some((_, end)), None) => (*previous_end, *end),
        (None, Some(_), None) => {
            let empty = if matches!(collection.kind, Kind::Map { .. }) {
                "{}"
            } else {
                "[]"
            };
            return Ok(Splice {
                file,
                start: offset(lines, collection.start)?,
                end: offset(lines, collection.end)?,
                text: empty.into(),
            });
        }
        _ => return Err(unexpected()),
    };
    Ok(Splice {
        file,
        start: offset(lines, start)?,
        end: offset(lines, end)?,
        text: String::new(),
    })
}

fn remove_key(state: &State, path: &Path) -> Result<Planned, Refusal> {
    let entry = state.resolve_entry(path)?;
    let file = entry.key_origin.file;
    let layout = state.layout(file)?;
    let (map_id, index) = layout.key_at(entry.key_origin.at).ok_or_else(|| {
        Refusal::new("the key could not be found in its file").at(file, entry.key_origin.at)
    })?;
    state.check_shared(file, map_id)?;
    let lines = state.lines(file)?;
    let map = node(layout, map_id)?;
    let Kind::Map { flow, entries } = &map.kind else {
        return Err(unexpected());
    };
    let this = entries.get(index).ok_or_else(unexpected)?;
    state.check_no_anchor_inside(file, this.value)?;
    let value = node(layout, this.value)?;
    let splices = if *flow {
        one_line_flow(file, map)?;
        let spans: Vec<(Position, Position)> = entries
            .iter()
            .map(|e| node(layout, e.value).map(|v| (e.key_start, v.end.max(e.key_end))))
            .collect::<Result<_, _>>()?;
        vec![flow_removal(&lines, file, map, &spans, index)?]
    } else {
        remove_block_entry(layout, &lines, file, map_id, entries, index, value)?
    };
    Ok(Planned {
        splices,
        expected: path::removed(&state.json, path).ok_or_else(unexpected)?,
        shift: None,
    })
}

fn remove_block_entry(
    layout: &Layout,
    lines: &Lines<'_>,
    file: usize,
    map_id: usize,
    entries: &[Entry],
    index: usize,
    value: &LNode,
) -> Result<Vec<Splice>, Refusal> {
    let this = entries.get(index).ok_or_else(unexpected)?;
    let last = value.last_line.max(this.key_start.line);
    let next = entries.get(index + 1);
    let only = entries.len() == 1;
    if lines.first_on_line(this.key_start) {
        let lines_out = delete_lines(lines, file, this.key_start.line, last)?;
        if !only {
            return Ok(vec![lines_out]);
        }
        return Ok(vec![
            emptied(layout, lines, file, map_id, this.key_start)?,
            lines_out,
        ]);
    }
    // The first key of a list item, after its `- `: the next key moves up beside the dash.
    let start = offset(lines, this.key_start)?;
    match next {
        Some(next) => Ok(vec![Splice {
            file,
            start,
            end: offset(lines, next.key_start)?,
            text: String::new(),
        }]),
        None => Ok(vec![Splice {
            file,
            start,
            end: lines.content_end(last).ok_or_else(unexpected)?,
            text: "{}".into(),
        }]),
    }
}
