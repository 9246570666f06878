//! What the text and Markdown renderers share: how values are printed, the line diff of long
//! values, and the lines that show one change. The renderers only lay the lines out (and
//! colour them, or escape them).

use std::fmt::Write as _;

use crate::sorted_json::{self, Layout};
use serde_json::{Map, Value};
use similar::{ChangeTag, TextDiff};
use switchboard_manifest::model::Mode;

use crate::model::{
    Action, AttributeChange, Change, ElementChange, ElementOp, RefusalReason, ResourceKind,
};

/// How many unchanged lines a line diff shows around each change.
const DIFF_CONTEXT: usize = 3;

/// One line of a change as both renderers show it: `sign` is `+`, `~`, `-`, `-/+` (from
/// [`Action::symbol`] and [`ElementOp::symbol`]), `#` for the header comment, or empty for a
/// context or note line. `depth` is the nesting level (0 for the change itself). The text is
/// already [`clean`]: it holds no control characters. Drift reports show their differences
/// with the same lines ([`attribute_lines`], [`element_line`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The nesting level: 0 for an object, 1 for its attributes and elements, 2 and more for
    /// the items of a list setting.
    pub depth: usize,
    /// What apply does to the line: `+`, `~`, `-`, `-/+`; `#` for a comment; empty for a
    /// context or note line.
    pub sign: &'static str,
    /// The words, without control characters.
    pub text: String,
}

impl Line {
    /// A line of `text`, [`clean`]ed.
    pub fn new(depth: usize, sign: &'static str, text: impl AsRef<str>) -> Line {
        Line {
            depth,
            sign,
            text: clean(text.as_ref()),
        }
    }
}

/// The sign of a header comment line.
pub(crate) const COMMENT: &str = "#";
/// The sign of a context or note line: nothing is done to it.
pub const NONE: &str = "";

/// Replaces control characters (escape sequences, carriage returns, newlines, ...) and
/// bidirectional overrides with their Rust escapes, so that user data can neither drive a
/// terminal, break a line or a list, nor reorder what is shown around it.
pub fn clean(text: &str) -> String {
    if !text.chars().any(is_unsafe) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

fn is_unsafe(c: char) -> bool {
    c != '\t'
        && (c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
}

/// A value on one line: JSON (strings quoted and escaped, object keys sorted), or `(unset)`.
pub(crate) fn scalar(value: Option<&Value>) -> String {
    match value {
        None => "(unset)".to_string(),
        Some(value) => sorted_json::to_string(value, Layout::Inline),
    }
}

/// A value over several lines, for a line diff: pretty JSON with sorted keys (deterministic
/// whatever order the map holds its keys in).
pub(crate) fn pretty(value: &Value) -> String {
    sorted_json::to_string(value, Layout::Pretty(0))
}

/// The line diff of two values (an unset side is empty), with `sign` `-`, `+` or empty for
/// context; runs of more than one unchanged line away from any change are folded into a note.
/// Strings are diffed as their own lines when both sides are strings, pretty JSON otherwise.
pub(crate) fn line_diff(
    before: Option<&Value>,
    after: Option<&Value>,
) -> Vec<(&'static str, String)> {
    let strings = [before, after]
        .iter()
        .all(|value| matches!(value, None | Some(Value::String(_))));
    let text = |value: Option<&Value>| {
        let mut text = match value {
            None => String::new(),
            Some(Value::String(s)) if strings => s.clone(),
            Some(value) => pretty(value),
        };
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text
    };
    let (old, new) = (text(before), text(after));
    let diff = TextDiff::from_lines(&old, &new);
    let changes: Vec<(&'static str, String)> = diff
        .iter_all_changes()
        .map(|change| {
            let sign = match change.tag() {
                ChangeTag::Delete => ElementOp::Remove.symbol(),
                ChangeTag::Insert => ElementOp::Add.symbol(),
                ChangeTag::Equal => NONE,
            };
            let line = change.value();
            (sign, line.strip_suffix('\n').unwrap_or(line).to_string())
        })
        .collect();
    if changes.iter().all(|(sign, _)| *sign == NONE) {
        // Equal as lines (only a trailing newline differs, or only the type): one line each.
        return vec![
            (ElementOp::Remove.symbol(), scalar(before)),
            (ElementOp::Add.symbol(), scalar(after)),
        ];
    }
    // Show the lines near a change; fold the other runs of unchanged lines.
    let near: Vec<bool> = (0..changes.len())
        .map(|i| {
            let from = i.saturating_sub(DIFF_CONTEXT);
            let to = (i + DIFF_CONTEXT + 1).min(changes.len());
            changes[from..to].iter().any(|(sign, _)| *sign != NONE)
        })
        .collect();
    let mut lines = Vec::new();
    let mut i = 0;
    while i < changes.len() {
        let run = near[i..].iter().take_while(|near| !**near).count();
        if run > 1 {
            lines.push((NONE, hidden_lines(run)));
            i += run;
        } else {
            lines.push(changes[i].clone());
            i += 1;
        }
    }
    lines
}

fn hidden_lines(count: usize) -> String {
    format!("({} hidden)", plural(count, "unchanged line"))
}

/// `1 member`, `3 members`.
pub(crate) fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("{count} {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// What one element of a collection of this kind is called, and what its value is called.
pub(crate) fn element_noun(kind: ResourceKind) -> (&'static str, Option<&'static str>) {
    match kind {
        ResourceKind::QueueMembers => ("member", Some("ring")),
        ResourceKind::QueueWrapupCodes => ("wrap-up code", None),
        ResourceKind::AgentSkills => ("skill", Some("proficiency")),
        ResourceKind::AgentLanguages => ("language", Some("proficiency")),
        // A replaced skill's elements are the agents whose assignment moves.
        ResourceKind::Skill | ResourceKind::Language => ("agent", Some("proficiency")),
        ResourceKind::WrapupCode => ("queue", None),
        ResourceKind::SkillGroup
        | ResourceKind::UtilizationLabel
        | ResourceKind::Queue
        | ResourceKind::AgentCapacity
        | ResourceKind::OrgUtilization
        | ResourceKind::RoutingSettings => ("element", None),
    }
}

/// What the `unchanged` count of a change of this kind counts.
fn unchanged_noun(kind: ResourceKind) -> &'static str {
    if kind.is_collection() {
        element_noun(kind).0
    } else {
        "attribute"
    }
}

/// `authoritative`, `additive`, `ignore`.
pub(crate) fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Authoritative => "authoritative",
        Mode::Additive => "additive",
        Mode::Ignore => "ignore",
    }
}

/// How a collection's mode reads in a header.
pub(crate) fn describe_mode(mode: Mode) -> String {
    let what = match mode {
        Mode::Authoritative => "what the manifest does not list is removed",
        Mode::Additive => "nothing is removed",
        Mode::Ignore => "not touched",
    };
    format!("{}: {what}", mode_name(mode))
}

/// `protected`, `blast radius`.
pub(crate) fn describe_reason(reason: RefusalReason) -> &'static str {
    match reason {
        RefusalReason::Protected => "protected",
        RefusalReason::BlastRadius => "blast radius",
        RefusalReason::Dependency => "depends on a refused change",
        RefusalReason::Capacity => "capacity guard",
        RefusalReason::Coverage => "skill coverage",
        RefusalReason::CannotRename => "cannot be renamed",
        RefusalReason::InUse => "still in use",
    }
}

/// `would be destroyed`: the verb of a change that will not run.
pub(crate) fn would(action: Action) -> String {
    action.verb().replacen("will", "would", 1)
}

/// How many elements a change adds, updates and removes.
pub(crate) fn element_counts(change: &Change) -> [(ElementOp, usize); 3] {
    let count = |op| change.elements.iter().filter(|e| e.op == op).count();
    [
        (ElementOp::Add, count(ElementOp::Add)),
        (ElementOp::Update, count(ElementOp::Update)),
        (ElementOp::Remove, count(ElementOp::Remove)),
    ]
}

/// The header comment of a change: `queue "Billing EN" will be updated in-place (…)`.
pub(crate) fn header(change: &Change) -> String {
    let kind = change.address.kind;
    let mut text = format!(
        "{} {}",
        kind.describe(&change.address.name),
        change.action.verb()
    );
    let mut notes = Vec::new();
    match (change.action, &change.renamed_from) {
        (Action::Replace, Some(old)) => notes.push(format!(
            "it cannot be renamed: its assignments move to the new one, then {} is destroyed",
            kind.describe(old)
        )),
        (_, Some(old)) => notes.push(format!("renamed from {old:?}")),
        _ => {}
    }
    if let Some(mode) = change.mode {
        notes.push(describe_mode(mode));
    }
    if !notes.is_empty() {
        let _ = write!(text, " ({})", notes.join("; "));
    }
    text
}

/// The line that names the change, after its sign: `queue "Legacy" (id …)`.
pub(crate) fn title(change: &Change) -> String {
    let kind = change.address.kind;
    let mut text = kind.describe(&change.address.name);
    let mut notes = Vec::new();
    if let (Action::Replace, Some(old)) = (change.action, &change.renamed_from) {
        notes.push(format!("replaces {}", kind.describe(old)));
    }
    if matches!(change.action, Action::Delete | Action::Replace)
        && let Some(id) = &change.id
    {
        notes.push(format!("id {id}"));
    }
    if !notes.is_empty() {
        let _ = write!(text, " ({})", notes.join(", "));
    }
    text
}

/// Every line of one change: the header comment, the title, then its attributes, elements
/// and the count of what is unchanged.
pub(crate) fn change_lines(change: &Change) -> Vec<Line> {
    let mut lines = vec![
        Line::new(0, COMMENT, header(change)),
        Line::new(0, change.action.symbol(), title(change)),
    ];
    for attribute in &change.attributes {
        push_attribute_lines(&mut lines, change.action, attribute);
    }
    for element in &change.elements {
        lines.push(element_line(change.address.kind, element));
    }
    if change.unchanged > 0 {
        let noun = unchanged_noun(change.address.kind);
        lines.push(Line::new(
            1,
            NONE,
            format!(
                "({} hidden)",
                plural(change.unchanged, &format!("unchanged {noun}"))
            ),
        ));
    }
    lines
}

/// The lines of one attribute of a change whose action is `action`, at depth 1: `+ path =
/// value` on a create, `- path = value` on a delete, else `~ path = live → manifest`; a list
/// setting item by item (`~ ring 2`, `+ "Billing Answers"`), a long value as a line diff.
pub fn attribute_lines(action: Action, attribute: &AttributeChange) -> Vec<Line> {
    let mut lines = Vec::new();
    push_attribute_lines(&mut lines, action, attribute);
    lines
}

fn push_attribute_lines(lines: &mut Vec<Line>, action: Action, attribute: &AttributeChange) {
    let (before, after) = (attribute.before.as_ref(), attribute.after.as_ref());
    // A create shows what is set, a delete what goes, anything else before → after.
    let one_side = match (action, before, after) {
        (Action::Create | Action::Replace, None, Some(value)) => Some((Action::Create, value)),
        (Action::Delete, Some(value), None) => Some((Action::Delete, value)),
        _ => None,
    };
    let path = &attribute.path;
    // The attribute's own sign: what happens to it as a whole.
    let sign = one_side
        .map_or(Action::Update, |(action, _)| action)
        .symbol();
    if path == "memberGroups.groups"
        && let Some((diff, unchanged)) = keyed_groups(before, after)
    {
        lines.push(Line::new(1, sign, path));
        for (sign, text) in diff {
            lines.push(Line::new(2, sign, text));
        }
        if unchanged > 0 {
            lines.push(Line::new(
                2,
                NONE,
                format!("({} hidden)", plural(unchanged, "unchanged group")),
            ));
        }
        return;
    }
    let items = listed_values(before, after).or_else(|| keyed_items(path, before, after));
    if let Some(items) = items {
        lines.push(Line::new(1, sign, path));
        lines.extend(items);
        return;
    }
    if attribute.is_long() {
        lines.push(Line::new(1, sign, path));
        if one_side.is_none() {
            if before.is_none() {
                lines.push(Line::new(2, NONE, "(unset before)"));
            } else if after.is_none() {
                lines.push(Line::new(2, NONE, "(unset after)"));
            }
        }
        for (sign, text) in line_diff(before, after) {
            lines.push(Line::new(2, sign, text));
        }
    } else {
        match one_side {
            Some((action, value)) => lines.push(Line::new(
                1,
                action.symbol(),
                format!("{path} = {}", scalar(Some(value))),
            )),
            None => lines.push(Line::new(
                1,
                Action::Update.symbol(),
                format!("{path} = {} → {}", scalar(before), scalar(after)),
            )),
        }
    }
}

/// A queue's member groups before and after, keyed by type and name (by the name rule): a
/// line per group added (`+ TEAM "Night Team"`) or removed (`- GROUP "Billing Agents"`), and
/// how many are kept. `None` when either side is not a list of `{type, name}`, or when no
/// group is added or removed.
fn keyed_groups(
    before: Option<&Value>,
    after: Option<&Value>,
) -> Option<(Vec<(&'static str, String)>, usize)> {
    type Keyed = Vec<((String, String), String)>;
    let groups = |side: Option<&Value>| -> Option<Keyed> {
        match side {
            None => Some(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|group| {
                    let kind = group.get("type")?.as_str()?;
                    let name = group.get("name")?.as_str()?;
                    let key = (
                        kind.to_string(),
                        switchboard_manifest::names::name_key(name),
                    );
                    Some((key, clean(&format!("{kind} {name:?}"))))
                })
                .collect(),
            Some(_) => None,
        }
    };
    let (before, after) = (groups(before)?, groups(after)?);
    let has = |side: &Keyed, key: &(String, String)| side.iter().any(|(k, _)| k == key);
    let mut lines = Vec::new();
    for (key, label) in &before {
        if !has(&after, key) {
            lines.push((Action::Delete.symbol(), label.clone()));
        }
    }
    for (key, label) in &after {
        if !has(&before, key) {
            lines.push((Action::Create.symbol(), label.clone()));
        }
    }
    if lines.is_empty() {
        // The same groups, differing otherwise (an id): the whole lists say how.
        return None;
    }
    let kept = after.iter().filter(|(key, _)| has(&before, key)).count();
    Some((lines, kept))
}

/// A list of objects (bullseye rings, routing rules, group routing and activation rules) item
/// by item, each named by its place (`ring 2`, the last ring `default ring`, `rule 1`), and
/// each changed item field by field (`~ expansionTimeoutSeconds = 15 → 20`); unchanged items
/// are counted, not shown. `None` when a side is something other than a list of objects.
fn keyed_items(path: &str, before: Option<&Value>, after: Option<&Value>) -> Option<Vec<Line>> {
    let (old, new) = (objects(before)?, objects(after)?);
    if old.is_empty() && new.is_empty() {
        return None;
    }
    let noun = match path.rsplit('.').next() {
        Some("rings") => "ring",
        Some("rules" | "routingRules") => "rule",
        Some("conditions") => "condition",
        _ => "item",
    };
    let label = |index: usize, len: usize| {
        if noun == "ring" && index + 1 == len && len > 1 {
            format!("ring {} (default ring)", index + 1)
        } else {
            format!("{noun} {}", index + 1)
        }
    };
    let field = |key: &str, value: &Value| clean(&format!("{key} = {}", inline(value)));
    let mut lines = Vec::new();
    let mut unchanged = 0;
    for index in 0..old.len().max(new.len()) {
        match (old.get(index), new.get(index)) {
            (Some(a), Some(b)) if a == b => unchanged += 1,
            (Some(a), Some(b)) => {
                lines.push(Line::new(
                    2,
                    Action::Update.symbol(),
                    label(index, new.len()),
                ));
                let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
                for key in keys {
                    match (a.get(key), b.get(key)) {
                        (Some(x), Some(y)) if x == y => {}
                        (Some(x), Some(y)) => lines.push(Line::new(
                            3,
                            Action::Update.symbol(),
                            clean(&format!("{key} = {} → {}", inline(x), inline(y))),
                        )),
                        (Some(x), None) => {
                            lines.push(Line::new(3, Action::Delete.symbol(), field(key, x)));
                        }
                        (None, Some(y)) => {
                            lines.push(Line::new(3, Action::Create.symbol(), field(key, y)));
                        }
                        (None, None) => {}
                    }
                }
            }
            (Some(a), None) => {
                lines.push(Line::new(
                    2,
                    Action::Delete.symbol(),
                    label(index, old.len()),
                ));
                for (key, value) in a.iter() {
                    lines.push(Line::new(3, Action::Delete.symbol(), field(key, value)));
                }
            }
            (None, Some(b)) => {
                lines.push(Line::new(
                    2,
                    Action::Create.symbol(),
                    label(index, new.len()),
                ));
                if b.is_empty() {
                    lines.push(Line::new(3, NONE, "(no settings of its own)"));
                }
                for (key, value) in b.iter() {
                    lines.push(Line::new(3, Action::Create.symbol(), field(key, value)));
                }
            }
            (None, None) => {}
        }
    }
    if unchanged > 0 {
        lines.push(Line::new(
            2,
            NONE,
            format!(
                "({} hidden)",
                plural(unchanged, &format!("unchanged {noun}"))
            ),
        ));
    }
    Some(lines)
}

/// A list of plain values (names, addresses, media types) as a set: a line per value removed
/// (`- "Billing Answers"`) or added, and how many are kept. `None` when a side is anything
/// but a list of plain values, or when neither side has any.
fn listed_values(before: Option<&Value>, after: Option<&Value>) -> Option<Vec<Line>> {
    let (old, new) = (plain_values(before)?, plain_values(after)?);
    if old.is_empty() && new.is_empty() {
        return None;
    }
    let mut lines = Vec::new();
    for value in old.iter().filter(|v| !new.contains(v)) {
        lines.push(Line::new(
            2,
            Action::Delete.symbol(),
            clean(&scalar(Some(value))),
        ));
    }
    for value in new.iter().filter(|v| !old.contains(v)) {
        lines.push(Line::new(
            2,
            Action::Create.symbol(),
            clean(&scalar(Some(value))),
        ));
    }
    if lines.is_empty() {
        // The same values in another order.
        lines.push(Line::new(2, NONE, "(the same values, in another order)"));
    }
    let kept = new.iter().filter(|v| old.contains(v)).count();
    if kept > 0 {
        lines.push(Line::new(
            2,
            NONE,
            format!("({} hidden)", plural(kept, "unchanged value")),
        ));
    }
    Some(lines)
}

/// The values of a list of plain values; none for an unset side; `None` for anything else.
fn plain_values(side: Option<&Value>) -> Option<Vec<&Value>> {
    match side {
        None => Some(Vec::new()),
        Some(Value::Array(items)) if items.iter().all(|v| !v.is_object() && !v.is_array()) => {
            Some(items.iter().collect())
        }
        Some(_) => None,
    }
}

/// A value of an item's field on one line, lists without brackets: plain values separated by
/// commas (`"Refunds", "Disputes"`, `(none)` for an empty list), groups as `TEAM "Night"`,
/// objects as their fields in parentheses (`(metric = "ServiceLevel", queue = "Billing")`).
fn inline(value: &Value) -> String {
    let fields = |map: &Map<String, Value>| {
        format!(
            "({})",
            map.iter()
                .map(|(k, v)| format!("{k} = {}", inline(v)))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let item = |item: &Value| match item {
        Value::Object(map) => match (
            map.get("type").and_then(Value::as_str),
            map.get("name").and_then(Value::as_str),
        ) {
            (Some(kind), Some(name)) => format!("{kind} {name:?}"),
            _ => fields(map),
        },
        other => scalar(Some(other)),
    };
    match value {
        Value::Array(items) if items.is_empty() => "(none)".to_string(),
        Value::Array(items) => items.iter().map(item).collect::<Vec<_>>().join(", "),
        Value::Object(map) => fields(map),
        other => scalar(Some(other)),
    }
}

/// The items of a list of objects; none for an unset side; `None` for anything else.
fn objects(side: Option<&Value>) -> Option<Vec<&Map<String, Value>>> {
    match side {
        None => Some(Vec::new()),
        Some(Value::Array(items)) => items.iter().map(Value::as_object).collect(),
        Some(_) => None,
    }
}

/// The line of one element of a collection of `kind`, at depth 1:
/// `+ member ana@acme.com (ring 1)`, `~ skill Billing proficiency 3 → 5`, `- member cy@acme.com`.
pub fn element_line(kind: ResourceKind, element: &ElementChange) -> Line {
    let (noun, label) = element_noun(kind);
    let (before, after) = (element.before.as_ref(), element.after.as_ref());
    let mut text = format!("{noun} {}", element.key);
    match (element.op, label) {
        (ElementOp::Add, Some(label)) if after.is_some() => {
            let _ = write!(text, " ({label} {})", scalar(after));
        }
        (ElementOp::Add, None) if after.is_some() => {
            let _ = write!(text, " = {}", scalar(after));
        }
        (ElementOp::Update, Some(label)) => {
            let _ = write!(text, " {label} {} → {}", scalar(before), scalar(after));
        }
        (ElementOp::Update, None) if before.is_some() || after.is_some() => {
            let _ = write!(text, " {} → {}", scalar(before), scalar(after));
        }
        _ => {}
    }
    if let Some(note) = &element.note {
        let _ = write!(text, " — {note}");
    }
    Line::new(1, element.op.symbol(), text)
}
