//! Builds the positioned tree from saphyr's events, enforcing the manifest rules and limits.
//!
//! The builder keeps its own stack instead of recursing, so nesting costs heap, not stack,
//! and the depth limit is checked before a collection is opened.

use std::collections::HashMap;

use saphyr_parser::{ScalarStyle, Tag};

use super::scalar::{self, CoreTag};
use super::{Key, Limits, Position, Spanned, Value, YamlError};

/// An anchored node kept for its aliases, with what copying it would cost.
#[derive(Debug)]
struct Anchored {
    node: Spanned,
    /// Nodes in the subtree, including the copies its own aliases expanded to.
    nodes: usize,
    /// Collection levels in the subtree: 0 for a scalar.
    height: usize,
}

/// A sequence or mapping whose end event has not come yet.
#[derive(Debug)]
struct Open {
    at: Position,
    anchor: usize,
    /// The builder's node count before this collection was counted.
    nodes_before: usize,
    /// The largest height among the children so far.
    child_height: usize,
    kind: OpenKind,
}

#[derive(Debug)]
enum OpenKind {
    Seq(Vec<Spanned>),
    Map {
        entries: Vec<(Key, Spanned)>,
        /// Each key's line, to name the first one when a key repeats.
        seen: HashMap<String, u32>,
        /// The key read last, waiting for its value.
        key: Option<Key>,
    },
}

impl Open {
    fn expects_key(&self) -> bool {
        matches!(self.kind, OpenKind::Map { key: None, .. })
    }
}

/// Receives events one at a time; the first rule broken ends the parse.
#[derive(Debug)]
pub(super) struct TreeBuilder<'l> {
    limits: &'l Limits,
    nodes: usize,
    stack: Vec<Open>,
    anchors: HashMap<usize, Anchored>,
    root: Option<Spanned>,
}

impl<'l> TreeBuilder<'l> {
    pub(super) fn new(limits: &'l Limits) -> Self {
        TreeBuilder {
            limits,
            nodes: 0,
            stack: Vec::new(),
            anchors: HashMap::new(),
            root: None,
        }
    }

    /// The document's root, if it had one.
    pub(super) fn finish(self) -> Option<Spanned> {
        self.root
    }

    pub(super) fn scalar(
        &mut self,
        text: &str,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        at: Position,
    ) -> Result<(), YamlError> {
        let tag = tag.map(|tag| CoreTag::from_tag(tag, at)).transpose()?;
        self.count(1, at)?;
        if self.stack.last().is_some_and(Open::expects_key) {
            let key = scalar_key(text, style, tag, at)?;
            if anchor != 0 {
                // An anchored key can be aliased as a value later.
                let node = Spanned {
                    value: Value::String(key.name.clone()),
                    at,
                };
                self.anchors.insert(
                    anchor,
                    Anchored {
                        node,
                        nodes: 1,
                        height: 0,
                    },
                );
            }
            return self.set_key(key);
        }
        let value = match tag {
            Some(tag) => scalar::resolve_tagged(tag, text, at)?,
            None if style == ScalarStyle::Plain => scalar::resolve_plain(text, at)?,
            None => Value::String(text.to_owned()),
        };
        self.complete(Spanned { value, at }, 1, 0, anchor)
    }

    pub(super) fn start_seq(
        &mut self,
        anchor: usize,
        tag: Option<&Tag>,
        at: Position,
    ) -> Result<(), YamlError> {
        self.start(anchor, tag, at, CoreTag::Seq, OpenKind::Seq(Vec::new()))
    }

    pub(super) fn start_map(
        &mut self,
        anchor: usize,
        tag: Option<&Tag>,
        at: Position,
    ) -> Result<(), YamlError> {
        let kind = OpenKind::Map {
            entries: Vec::new(),
            seen: HashMap::new(),
            key: None,
        };
        self.start(anchor, tag, at, CoreTag::Map, kind)
    }

    fn start(
        &mut self,
        anchor: usize,
        tag: Option<&Tag>,
        at: Position,
        expected: CoreTag,
        kind: OpenKind,
    ) -> Result<(), YamlError> {
        if let Some(tag) = tag {
            let tag = CoreTag::from_tag(tag, at)?;
            if tag != expected {
                let what = if expected == CoreTag::Seq {
                    "sequence"
                } else {
                    "mapping"
                };
                return Err(YamlError::new(
                    format!("tag {} cannot be applied to a {what}", tag.name()),
                    at,
                ));
            }
        }
        if self.stack.last().is_some_and(Open::expects_key) {
            let what = if expected == CoreTag::Seq {
                "a sequence"
            } else {
                "a mapping"
            };
            return Err(not_a_string_key(what, at));
        }
        self.check_depth(self.stack.len() + 1, at)?;
        let nodes_before = self.nodes;
        self.count(1, at)?;
        self.stack.push(Open {
            at,
            anchor,
            nodes_before,
            child_height: 0,
            kind,
        });
        Ok(())
    }

    pub(super) fn end_collection(&mut self) -> Result<(), YamlError> {
        let Some(open) = self.stack.pop() else {
            // saphyr balances start and end events; an unmatched end has nothing to close.
            return Ok(());
        };
        let value = match open.kind {
            OpenKind::Seq(items) => Value::Seq(items),
            OpenKind::Map { entries, .. } => Value::Map(entries),
        };
        let nodes = self.nodes - open.nodes_before;
        let node = Spanned { value, at: open.at };
        self.complete(node, nodes, open.child_height + 1, open.anchor)
    }

    pub(super) fn alias(&mut self, anchor: usize, at: Position) -> Result<(), YamlError> {
        if self.stack.last().is_some_and(Open::expects_key) {
            return Err(YamlError::new("aliases cannot be used as mapping keys", at)
                .with_hint("write the key out as a string"));
        }
        let Some(anchored) = self.anchors.get(&anchor) else {
            // saphyr rejects unknown anchors, so the anchor is still open: `&a [*a]`.
            return Err(YamlError::new(
                "an alias cannot refer to a value that contains it",
                at,
            ));
        };
        let (nodes, height) = (anchored.nodes, anchored.height);
        // Check the cost before copying anything: this is what stops a "billion laughs".
        if self.nodes.saturating_add(nodes) > self.limits.max_nodes {
            return Err(YamlError::new(
                format!(
                    "the document expands to more than {} values (alias expansion); is it a YAML bomb?",
                    self.limits.max_nodes
                ),
                at,
            )
            .with_hint("an alias copies its whole anchored value; avoid aliasing large values many times"));
        }
        self.check_depth(self.stack.len() + height, at)?;
        self.nodes += nodes;
        let mut node = anchored.node.clone();
        node.at = at;
        self.complete(node, nodes, height, 0)
    }

    /// Places a finished node in its parent (or as the root) and remembers it if anchored.
    fn complete(
        &mut self,
        node: Spanned,
        nodes: usize,
        height: usize,
        anchor: usize,
    ) -> Result<(), YamlError> {
        if anchor != 0 {
            let anchored = Anchored {
                node: node.clone(),
                nodes,
                height,
            };
            self.anchors.insert(anchor, anchored);
        }
        let Some(parent) = self.stack.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        parent.child_height = parent.child_height.max(height);
        match &mut parent.kind {
            OpenKind::Seq(items) => items.push(node),
            OpenKind::Map { entries, key, .. } => {
                if let Some(key) = key.take() {
                    entries.push((key, node));
                }
            }
        }
        Ok(())
    }

    fn set_key(&mut self, key: Key) -> Result<(), YamlError> {
        let Some(Open {
            kind: OpenKind::Map {
                seen, key: slot, ..
            },
            ..
        }) = self.stack.last_mut()
        else {
            return Ok(());
        };
        if let Some(first_line) = seen.get(&key.name) {
            return Err(YamlError::new(
                format!("duplicate key `{}` (first at line {first_line})", key.name),
                key.at,
            )
            .with_hint("remove or rename one of the two entries"));
        }
        seen.insert(key.name.clone(), key.at.line);
        *slot = Some(key);
        Ok(())
    }

    fn count(&mut self, nodes: usize, at: Position) -> Result<(), YamlError> {
        self.nodes = self.nodes.saturating_add(nodes);
        if self.nodes > self.limits.max_nodes {
            return Err(YamlError::new(
                format!(
                    "the document has more than {} values",
                    self.limits.max_nodes
                ),
                at,
            )
            .with_hint("split the manifest into smaller files"));
        }
        Ok(())
    }

    fn check_depth(&self, depth: usize, at: Position) -> Result<(), YamlError> {
        if depth > self.limits.max_depth {
            return Err(YamlError::new(
                format!(
                    "the document nests deeper than {} levels",
                    self.limits.max_depth
                ),
                at,
            )
            .with_hint("flatten the structure"));
        }
        Ok(())
    }
}

/// Reads a scalar in key position: plain keys are taken as written (`on`, `1`, `null`).
fn scalar_key(
    text: &str,
    style: ScalarStyle,
    tag: Option<CoreTag>,
    at: Position,
) -> Result<Key, YamlError> {
    let plain = style == ScalarStyle::Plain;
    match tag {
        None | Some(CoreTag::Str) => {}
        Some(tag) => return Err(not_a_string_key(&format!("a {} value", tag.name()), at)),
    }
    if plain && tag.is_none() {
        if text.is_empty() {
            return Err(YamlError::new("a mapping key is missing", at)
                .with_hint("write a key before the `:`, or quote `\"\"` for an empty one"));
        }
        if text == "<<" {
            return Err(YamlError::new(
                "merge keys (<<) are not supported; repeat the values or use an environment overlay",
                at,
            ));
        }
    }
    Ok(Key {
        name: text.to_owned(),
        at,
    })
}

fn not_a_string_key(what: &str, at: Position) -> YamlError {
    YamlError::new(format!("mapping keys must be strings, not {what}"), at)
        .with_hint("use a plain or quoted string as the key")
}
