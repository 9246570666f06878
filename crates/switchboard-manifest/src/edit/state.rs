//! The texts being edited, read the way the loader reads them: each file parsed and laid out,
//! all of them merged. Every edit is checked against a fresh reading of its result.

use serde_json::Value as Json;

use super::layout::{self, Layout};
use super::path;
use super::text::Lines;
use crate::tree::{self, Node};
use crate::yaml::{self, Limits, Position};

/// Why an edit was not made, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub message: String,
    pub file: Option<usize>,
    pub at: Option<Position>,
}

impl Refusal {
    pub fn new(message: impl Into<String>) -> Refusal {
        Refusal {
            message: message.into(),
            file: None,
            at: None,
        }
    }

    pub fn at(mut self, file: usize, at: Position) -> Refusal {
        self.file = Some(file);
        self.at = Some(at);
        self
    }
}

/// One replacement of a byte range of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Splice {
    pub file: usize,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// The texts and their reading.
#[derive(Debug, Clone)]
pub(crate) struct State {
    pub texts: Vec<String>,
    /// Each file's tree (`None` for an empty file).
    trees: Vec<Option<Node>>,
    pub layouts: Vec<Layout>,
    pub overlay: Option<usize>,
    pub limits: Limits,
    pub merged: Node,
    pub json: Json,
}

impl State {
    /// Reads `texts`; `None` when one does not parse or nothing is left to merge.
    pub fn read(texts: Vec<String>, overlay: Option<usize>, limits: Limits) -> Option<State> {
        let mut trees = Vec::new();
        let mut layouts = Vec::new();
        for (file, text) in texts.iter().enumerate() {
            let (tree, layout) = read_file(text, file, &limits)?;
            trees.push(tree);
            layouts.push(layout);
        }
        let (merged, json) = merge(&trees, overlay)?;
        Some(State {
            texts,
            trees,
            layouts,
            overlay,
            limits,
            merged,
            json,
        })
    }

    /// The state after `splices`, read afresh; `None` when the result does not parse.
    pub fn spliced(&self, splices: &[Splice]) -> Option<State> {
        let mut next = self.clone();
        let mut touched: Vec<usize> = splices.iter().map(|s| s.file).collect();
        touched.sort_unstable();
        touched.dedup();
        for file in touched {
            let mut mine: Vec<&Splice> = splices.iter().filter(|s| s.file == file).collect();
            // From the end, so earlier offsets stay valid; splices of one edit never overlap.
            mine.sort_by_key(|s| std::cmp::Reverse((s.start, s.end)));
            let text = next.texts.get_mut(file)?;
            for splice in mine {
                if splice.start > splice.end
                    || splice.end > text.len()
                    || !text.is_char_boundary(splice.start)
                    || !text.is_char_boundary(splice.end)
                {
                    return None;
                }
                text.replace_range(splice.start..splice.end, &splice.text);
            }
            let (tree, layout) = read_file(next.texts.get(file)?, file, &self.limits)?;
            *next.trees.get_mut(file)? = tree;
            *next.layouts.get_mut(file)? = layout;
        }
        let (merged, json) = merge(&next.trees, next.overlay)?;
        next.merged = merged;
        next.json = json;
        Some(next)
    }

    /// The merged value at `path`.
    pub fn resolve(&self, path: &[String]) -> Result<&Node, Refusal> {
        let mut node = &self.merged;
        for segment in path {
            let next = match &node.value {
                tree::Value::Map(entries) => {
                    entries.iter().find(|e| &e.key == segment).map(|e| &e.node)
                }
                tree::Value::Seq(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
                tree::Value::Scalar(_) => None,
            };
            node = next.ok_or_else(|| {
                Refusal::new(format!("{} is not in the manifest", path::pointer(path)))
            })?;
        }
        Ok(node)
    }

    /// The mapping entry at `path` (its key's origin and its value).
    pub fn resolve_entry(&self, path: &[String]) -> Result<&tree::Entry, Refusal> {
        let (key, parent) = path
            .split_last()
            .ok_or_else(|| Refusal::new("the root is not a mapping entry"))?;
        match &self.resolve(parent)?.value {
            tree::Value::Map(entries) => entries.iter().find(|e| &e.key == key).ok_or_else(|| {
                Refusal::new(format!("{} is not in the manifest", path::pointer(path)))
            }),
            _ => Err(Refusal::new(format!(
                "{} is not a mapping",
                path::pointer(parent)
            ))),
        }
    }

    /// Where a merged value is written: its file and its layout node, refused when an anchor
    /// or alias shares it (an edit there would change other values too, or could not reach it).
    pub fn locate(&self, node: &Node) -> Result<(usize, usize), Refusal> {
        let file = node.origin.file;
        let here = |message: &str| Refusal::new(message).at(file, node.origin.at);
        let layout = self
            .layouts
            .get(file)
            .ok_or_else(|| here("the value's file is not loaded"))?;
        // An alias stands for whatever it copies; otherwise the kinds must agree.
        let candidates: Vec<usize> = layout
            .at(node.origin.at)
            .iter()
            .copied()
            .filter(|id| {
                layout.node(*id).is_some_and(|n| {
                    matches!(
                        (&n.kind, &node.value),
                        (layout::Kind::Alias, _)
                            | (layout::Kind::Scalar(_), tree::Value::Scalar(_))
                            | (layout::Kind::Seq { .. }, tree::Value::Seq(_))
                            | (layout::Kind::Map { .. }, tree::Value::Map(_))
                    )
                })
            })
            .collect();
        let id = match candidates.as_slice() {
            [id] => *id,
            [] => return Err(here("the value could not be found in its file")),
            _ => {
                return Err(here(
                    "nested lists start at the same place; edit them by hand",
                ));
            }
        };
        self.check_shared(file, id)?;
        Ok((file, id))
    }

    /// Refuses a node that is an alias, or is (or is inside) an anchored value.
    pub fn check_shared(&self, file: usize, id: usize) -> Result<(), Refusal> {
        let layout = self
            .layouts
            .get(file)
            .ok_or_else(|| Refusal::new("no such file"))?;
        for node in layout.ancestry(id) {
            if matches!(node.kind, layout::Kind::Alias) {
                return Err(Refusal::new(
                    "the value comes from an alias (*name); edit the anchored value by hand",
                )
                .at(file, node.start));
            }
            if node.anchored {
                return Err(Refusal::new(
                    "the value is inside an anchored value (&name) that aliases may copy; edit it by hand",
                )
                .at(file, node.start));
            }
        }
        Ok(())
    }

    /// Refuses removing a value that holds an anchor: an alias elsewhere may need it.
    pub fn check_no_anchor_inside(&self, file: usize, id: usize) -> Result<(), Refusal> {
        let layout = self
            .layouts
            .get(file)
            .ok_or_else(|| Refusal::new("no such file"))?;
        match layout.subtree(id).into_iter().find(|n| n.anchored) {
            Some(anchored) => Err(Refusal::new(
                "the value holds an anchor (&name) that aliases may use; remove it by hand",
            )
            .at(file, anchored.start)),
            None => Ok(()),
        }
    }

    pub fn layout(&self, file: usize) -> Result<&Layout, Refusal> {
        self.layouts
            .get(file)
            .ok_or_else(|| Refusal::new("no such file"))
    }

    pub fn lines(&self, file: usize) -> Result<Lines<'_>, Refusal> {
        self.texts
            .get(file)
            .map(|t| Lines::of(t))
            .ok_or_else(|| Refusal::new("no such file"))
    }

    /// Each file's own tree, for finding what an overlay writes about an item.
    pub fn file_tree(&self, file: usize) -> Option<&Node> {
        self.trees.get(file)?.as_ref()
    }
}

fn read_file(text: &str, file: usize, limits: &Limits) -> Option<(Option<Node>, Layout)> {
    let tree = yaml::parse(text, limits)
        .ok()?
        .map(|spanned| Node::from_yaml(&spanned, file));
    Some((tree, Layout::of(text)?))
}

/// The files merged as the loader merges them (its findings are the loader's to report).
fn merge(trees: &[Option<Node>], overlay: Option<usize>) -> Option<(Node, Json)> {
    let mut base = Vec::new();
    let mut environment = None;
    for (file, tree) in trees.iter().enumerate() {
        match tree {
            Some(node) if Some(file) == overlay => environment = Some(node.clone()),
            Some(node) => base.push(node.clone()),
            None => {}
        }
    }
    let (merged, _) = tree::merge_base(base, &[]);
    let mut merged = merged?;
    if let Some(environment) = environment {
        tree::apply_overlay(&mut merged, environment);
    }
    let json = merged.to_json();
    Some((merged, json))
}
