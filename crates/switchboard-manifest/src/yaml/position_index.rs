//! Source positions by JSON pointer, so diagnostics found on the JSON value can be located.

use std::collections::HashMap;

use super::{Position, Spanned, Value};

/// The position of every node of a [`Spanned`] tree, looked up by JSON pointer (RFC 6901).
#[derive(Debug, Clone, Default)]
pub struct PositionIndex {
    values: HashMap<String, Position>,
    keys: HashMap<String, Position>,
}

impl PositionIndex {
    pub(super) fn of(root: &Spanned) -> PositionIndex {
        let mut index = PositionIndex::default();
        let mut pointer = String::new();
        index.record(root, &mut pointer);
        index
    }

    /// Walks the tree depth-first; `pointer` is the current node's pointer and is restored on
    /// return so one buffer serves the whole walk.
    fn record(&mut self, node: &Spanned, pointer: &mut String) {
        self.values.insert(pointer.clone(), node.at);
        let len = pointer.len();
        match &node.value {
            Value::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    pointer.push('/');
                    pointer.push_str(&i.to_string());
                    self.record(item, pointer);
                    pointer.truncate(len);
                }
            }
            Value::Map(entries) => {
                for (key, value) in entries {
                    pointer.push('/');
                    push_escaped(pointer, &key.name);
                    self.keys.insert(pointer.clone(), key.at);
                    self.record(value, pointer);
                    pointer.truncate(len);
                }
            }
            Value::Null | Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::String(_) => {}
        }
    }

    /// The position of the value at `pointer`, else of its nearest recorded ancestor.
    #[must_use]
    pub fn value(&self, pointer: &str) -> Option<Position> {
        let mut pointer = pointer;
        loop {
            if let Some(at) = self.values.get(pointer) {
                return Some(*at);
            }
            match pointer.rfind('/') {
                Some(slash) => pointer = &pointer[..slash],
                None if pointer.is_empty() => return None,
                None => pointer = "",
            }
        }
    }

    /// The position of the key of the mapping entry at `pointer`; for an array item or an
    /// unknown pointer, the same answer as [`PositionIndex::value`].
    #[must_use]
    pub fn key(&self, pointer: &str) -> Option<Position> {
        self.keys
            .get(pointer)
            .copied()
            .or_else(|| self.value(pointer))
    }
}

/// Appends a key as one pointer segment: `~` becomes `~0` and `/` becomes `~1`.
fn push_escaped(pointer: &mut String, key: &str) {
    for c in key.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}
