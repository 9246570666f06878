//! The manifest as a tree that remembers, for every value, which file and position it came
//! from — through the merge of several files and an environment overlay — so that findings
//! on the merged whole point back at the line someone wrote.

use serde_json::Value as Json;

use crate::diagnostic::Diagnostic;
use crate::yaml::{self, Position, Spanned};

/// Where a value was written: a file (index into the loaded file list) and a position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Origin {
    pub file: usize,
    pub at: Position,
}

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub value: Value,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Scalar(Json),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// A mapping entry: key, where the key was written, value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    pub key: String,
    pub key_origin: Origin,
    pub node: Node,
}

/// Top-level keys whose lists several files may each contribute to.
pub(crate) const LIST_KINDS: [&str; 5] = ["skills", "languages", "wrapupCodes", "queues", "agents"];

/// How the items of a top-level list are identified when an overlay changes them.
pub(crate) fn identity_key(kind: &str) -> &'static str {
    if kind == "agents" { "user" } else { "name" }
}

impl Node {
    /// Converts a parsed file.
    pub fn from_yaml(spanned: &Spanned, file: usize) -> Node {
        let origin = Origin {
            file,
            at: spanned.at,
        };
        let value = match &spanned.value {
            yaml::Value::Null
            | yaml::Value::Bool(_)
            | yaml::Value::Int(_)
            | yaml::Value::Float(_)
            | yaml::Value::String(_) => Value::Scalar(spanned.to_json()),
            yaml::Value::Seq(items) => Value::Seq(
                items
                    .iter()
                    .map(|item| Node::from_yaml(item, file))
                    .collect(),
            ),
            yaml::Value::Map(entries) => Value::Map(
                entries
                    .iter()
                    .map(|(key, node)| Entry {
                        key: key.name.clone(),
                        key_origin: Origin { file, at: key.at },
                        node: Node::from_yaml(node, file),
                    })
                    .collect(),
            ),
        };
        Node { value, origin }
    }

    fn entry(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|e| e.key == key).map(|e| &e.node),
            _ => None,
        }
    }

    /// The JSON value of the tree.
    pub fn to_json(&self) -> Json {
        match &self.value {
            Value::Scalar(json) => json.clone(),
            Value::Seq(items) => Json::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => Json::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.node.to_json()))
                    .collect(),
            ),
        }
    }

    /// The node at `pointer` (a JSON pointer), or the nearest one on its way that exists,
    /// and, when the pointer ends at an entry of a mapping, that entry.
    fn walk(&self, pointer: &str) -> Option<(&Node, Option<&Entry>)> {
        if pointer.is_empty() {
            return Some((self, None));
        }
        let mut node = self;
        let mut last = None;
        for segment in pointer.strip_prefix('/')?.split('/') {
            let segment = segment.replace("~1", "/").replace("~0", "~");
            let next = match &node.value {
                Value::Seq(items) => segment
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| items.get(i))
                    .map(|item| (item, None)),
                // The last of equal keys, as the merged JSON keeps it.
                Value::Map(entries) => entries
                    .iter()
                    .rev()
                    .find(|entry| entry.key == segment)
                    .map(|entry| (&entry.node, Some(entry))),
                Value::Scalar(_) => None,
            };
            let Some((child, entry)) = next else {
                return Some((node, None));
            };
            node = child;
            last = entry;
        }
        Some((node, last))
    }

    /// Where the value at `pointer` was written, or its nearest written ancestor. The tree
    /// is walked rather than indexed: an index of every pointer took more memory than the
    /// tree itself for a large manifest.
    pub fn value_origin(&self, pointer: &str) -> Option<Origin> {
        self.walk(pointer).map(|(node, _)| node.origin)
    }

    /// Where the key of the entry at `pointer` was written (for unknown-key findings), or
    /// else where its value (or nearest ancestor) was.
    pub fn key_origin(&self, pointer: &str) -> Option<Origin> {
        self.walk(pointer)
            .map(|(node, entry)| entry.map_or(node.origin, |e| e.key_origin))
    }
}

impl crate::diagnostic::Document for Node {
    fn is_list(&self) -> bool {
        matches!(self.value, Value::Seq(_))
    }

    fn item(&self, index: usize) -> Option<&Self> {
        match &self.value {
            Value::Seq(items) => items.get(index),
            _ => None,
        }
    }

    fn is_map(&self) -> bool {
        matches!(self.value, Value::Map(_))
    }

    fn entry(&self, key: &str) -> Option<&Self> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .rev()
                .find(|entry| entry.key == key)
                .map(|entry| &entry.node),
            _ => None,
        }
    }
}

/// Merges the base files: list kinds concatenate in file order; any other top-level key may
/// be written in one file only (`version` may repeat if equal).
pub(crate) fn merge_base(files: Vec<Node>, names: &[String]) -> (Option<Node>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut iter = files.into_iter();
    let Some(mut merged) = iter.next() else {
        return (None, diagnostics);
    };
    for file in iter {
        let (Value::Map(target), Value::Map(entries)) = (&mut merged.value, file.value) else {
            continue;
        };
        for entry in entries {
            match target.iter_mut().find(|e| e.key == entry.key) {
                None => target.push(entry),
                Some(existing) if LIST_KINDS.contains(&entry.key.as_str()) => {
                    if let (Value::Seq(items), Value::Seq(more)) =
                        (&mut existing.node.value, &entry.node.value)
                    {
                        items.extend(more.iter().cloned());
                    } else {
                        diagnostics.push(
                            Diagnostic::error(
                                format!("/{}", entry.key),
                                format!("`{}` must be a list in every file", entry.key),
                            )
                            .with_hint("write it as a list of items (`- name: ...`)")
                            .at_origin(entry.node.origin, names),
                        );
                    }
                }
                Some(existing)
                    if entry.key == "version"
                        && existing.node.to_json() == entry.node.to_json() => {}
                Some(existing) => {
                    let first = existing.key_origin;
                    diagnostics.push(
                        Diagnostic::error(
                            entry.key.clone(),
                            format!(
                                "`{}` is defined in two files (first in {}:{})",
                                entry.key,
                                names.get(first.file).map_or("?", String::as_str),
                                first.at.line
                            ),
                        )
                        .with_hint("define it once, or put the values that differ per environment in environments/<env>.yaml")
                        .at_origin(entry.key_origin, names),
                    );
                }
            }
        }
    }
    (Some(merged), diagnostics)
}

/// Applies an environment overlay: mappings merge key by key (the overlay wins), items of
/// the top-level lists merge by name (by `user` for agents) and new ones are appended;
/// any other list is replaced whole.
pub(crate) fn apply_overlay(base: &mut Node, overlay: Node) {
    overlay_node(base, overlay, true);
}

fn overlay_node(base: &mut Node, overlay: Node, top: bool) {
    match (&mut base.value, overlay.value) {
        (Value::Map(target), Value::Map(entries)) => {
            for entry in entries {
                match target.iter_mut().find(|e| e.key == entry.key) {
                    Some(existing) if top && LIST_KINDS.contains(&entry.key.as_str()) => {
                        merge_named_list(&mut existing.node, entry.node, identity_key(&entry.key));
                    }
                    Some(existing) => {
                        existing.key_origin = entry.key_origin;
                        overlay_node(&mut existing.node, entry.node, false);
                    }
                    None => target.push(entry),
                }
            }
        }
        (_, value) => {
            base.value = value;
            base.origin = overlay.origin;
        }
    }
}

fn merge_named_list(base: &mut Node, overlay: Node, key: &str) {
    let Value::Seq(items) = overlay.value else {
        *base = overlay;
        return;
    };
    let Value::Seq(existing) = &mut base.value else {
        base.value = Value::Seq(items);
        base.origin = overlay.origin;
        return;
    };
    for item in items {
        let id = item.entry(key).map(Node::to_json);
        match existing
            .iter_mut()
            .find(|e| id.is_some() && e.entry(key).map(Node::to_json) == id)
        {
            Some(target) => overlay_node(target, item, false),
            None => existing.push(item),
        }
    }
}

impl Diagnostic {
    /// Places a finding at an origin.
    pub(crate) fn at_origin(self, origin: Origin, names: &[String]) -> Diagnostic {
        let file = names.get(origin.file).cloned().unwrap_or_default();
        self.at(file, Some(origin.at))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use serde_json::json;

    fn node(file: usize, text: &str) -> Node {
        let spanned = yaml::parse(text, &yaml::Limits::default())
            .unwrap()
            .unwrap();
        Node::from_yaml(&spanned, file)
    }

    fn names() -> Vec<String> {
        vec!["a.yaml".into(), "b.yaml".into(), "env.yaml".into()]
    }

    #[test]
    fn list_kinds_concatenate_across_files_and_remember_their_file() {
        let a = node(0, "version: 1\nskills:\n  - name: A\n");
        let b = node(1, "version: 1\nskills:\n  - name: B\nqueues: []\n");
        let (merged, diagnostics) = merge_base(vec![a, b], &names());
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let merged = merged.unwrap();
        assert_eq!(
            merged.to_json(),
            json!({"version": 1, "skills": [{"name": "A"}, {"name": "B"}], "queues": []})
        );
        let b_name = merged.value_origin("/skills/1/name").unwrap();
        assert_eq!((b_name.file, b_name.at.line), (1, 3));
        // A pointer past what exists is placed at its nearest written ancestor; a key at
        // the key, not at its value.
        let b = merged.value_origin("/skills/1").unwrap();
        assert_eq!(merged.value_origin("/skills/1/colour/deep"), Some(b));
        assert_eq!(
            merged.value_origin("/skills/7"),
            merged.value_origin("/skills")
        );
        let key = merged.key_origin("/skills/1/name").unwrap();
        assert_eq!((key.file, key.at.line, key.at.column), (1, 3, 5));
        assert_eq!(merged.key_origin("/skills/1/colour"), Some(b));
        assert_eq!(merged.value_origin(""), Some(merged.origin));
        assert_eq!(merged.value_origin("skills"), None);
    }

    #[test]
    fn a_key_in_two_base_files_is_an_error_at_the_second() {
        let a = node(0, "org:\n  name: A\n  region: mypurecloud.ie\n");
        let b = node(1, "\norg:\n  name: B\n  region: mypurecloud.ie\n");
        let (_, diagnostics) = merge_base(vec![a, b], &names());
        assert_eq!(diagnostics.len(), 1);
        let shown = diagnostics[0].to_string();
        assert!(
            shown.starts_with(
                "b.yaml:2:1: error: `org` is defined in two files (first in a.yaml:1)"
            ),
            "{shown}"
        );
    }

    #[test]
    fn an_overlay_merges_maps_and_named_items_and_replaces_other_lists() {
        let (base, _) = merge_base(
            vec![node(
                0,
                "org: {name: Dev, region: mypurecloud.ie}\nprotect: [\"queue:A\"]\nqueues:\n  - name: A\n    description: base\n    members: {mode: additive}\n  - name: B\n",
            )],
            &names(),
        );
        let mut base = base.unwrap();
        apply_overlay(
            &mut base,
            node(
                2,
                "org: {name: Prod}\nprotect: [\"queue:B\"]\nqueues:\n  - name: A\n    description: prod\n  - name: C\n",
            ),
        );
        assert_eq!(
            base.to_json(),
            json!({
                "org": {"name": "Prod", "region": "mypurecloud.ie"},
                "protect": ["queue:B"],
                "queues": [
                    {"name": "A", "description": "prod", "members": {"mode": "additive"}},
                    {"name": "B"},
                    {"name": "C"}
                ]
            })
        );
        assert_eq!(base.value_origin("/queues/0/description").unwrap().file, 2);
        assert_eq!(base.value_origin("/queues/0/members/mode").unwrap().file, 0);
        assert_eq!(base.key_origin("/org/name").unwrap().file, 2);
    }
}
