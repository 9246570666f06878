//! The manifest reference (`docs/manifest.md`), rendered from the JSON schema.
//!
//! Everything about the keys comes from [`json_schema`]: types, required keys, defaults,
//! descriptions (the model's doc comments), enum values and ranges. The schema's objects are
//! JSON maps and lose the order the fields are declared in, so that order is read from the
//! model's `Deserialize` implementations (see [`field_orders`]); the page then lists fields
//! as the types declare them, and the top-level keys as a manifest is usually written.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::{Map, Value as Json};

use switchboard_manifest::{Manifest, json_schema};

use super::{cell, escape_html, paragraphs, slug};

/// The manifest reference, as `docs/manifest.md` holds it: GitHub-flavoured Markdown.
pub fn manifest_markdown() -> String {
    Reference::new(json_schema()).render()
}

const INTRO: &str = r#"A manifest is the routing configuration of one Genesys Cloud org, written as YAML and
kept in git: skills, languages, wrap-up codes, queues (with their settings, wrap-up codes and
members) and agents' skills and languages. `switchboard validate` checks it without calling
any API, `switchboard plan` compares it with the org, and `switchboard apply` changes the org
to match it.

This page is generated from the manifest's JSON schema
([`schemas/manifest.schema.json`](../schemas/manifest.schema.json), also printed by
`switchboard schema`), which is itself generated from the manifest's types: the two cannot
disagree.

## Files and environments

- **One file.** `switchboard validate manifest.yaml` reads that file.
- **A directory.** `switchboard validate manifests/` reads every `*.yaml` and `*.yml` file in
  it and in its sub-directories, sorted by path, except hidden files and folders and the
  `environments/` folder. The top-level lists (`skills`, `languages`, `wrapupCodes`, `queues`,
  `agents`) are concatenated in file order; any other top-level key may be written in one file
  only (`version` may repeat with the same value).
- **Environment overlays.** With `--env <env>`, `environments/<env>.yaml` beside the manifest
  (inside the directory, or next to the file) is merged over it: mappings key by key, the
  overlay winning; items of the top-level lists by `name` (by `user` for `agents`), new ones
  appended; any other list (such as `members.users`) is replaced whole. Environment names use
  letters, digits, `-` and `_`. An overlay typically holds the `org` guard and the values that
  differ per environment.

`version` and `org` are required of the merged whole, not of each file.

## Editor support

Start a manifest file with a comment naming its schema, and editors that use the YAML
language server (VS Code's YAML extension, among others) complete keys, show these
descriptions, and flag mistakes as you type:

```yaml
# yaml-language-server: $schema=../schemas/manifest.schema.json
version: 1
org:
  name: Acme Prod
  region: mypurecloud.ie
```

The path is relative to the file. One file of a split manifest, or an environment overlay,
points at `schemas/manifest-fragment.schema.json` instead: the same schema with no key
required.

## Conventions

- Keys are camelCase, and use the Genesys Cloud API's field names wherever the concept is the
  same. Unknown keys are errors, with the closest known key suggested.
- `null` is not a value: leave a key out instead.
- Objects refer to each other by name (skills, languages, wrap-up codes, divisions, flows and
  prompts), never by id, except where a table says otherwise.
- A queue setting left out is unmanaged: switchboard neither reads it into the plan nor
  changes it.
"#;

/// What the page is made of: the schema, its definitions and the fields' declared order.
struct Reference {
    root: Map<String, Json>,
    defs: Map<String, Json>,
    orders: BTreeMap<&'static str, &'static [&'static str]>,
    /// Definitions in the order the page shows them: as first reached from the top-level
    /// keys, depth first, in field order.
    sequence: Vec<String>,
    /// For each top-level key, the definitions first reached from it.
    sections: BTreeMap<String, Vec<String>>,
    /// Where each definition appears in a manifest, as YAML paths.
    paths: BTreeMap<String, Vec<String>>,
}

/// How a definition is shown.
#[derive(Clone, Copy, PartialEq, Eq)]
enum DefKind {
    Object,
    Enum,
    Scalar,
}

impl Reference {
    fn new(schema: Json) -> Reference {
        let Json::Object(mut root) = schema else {
            return Reference::empty();
        };
        let defs = match root.remove("$defs").or_else(|| root.remove("definitions")) {
            Some(Json::Object(defs)) => defs,
            _ => Map::new(),
        };
        let mut reference = Reference {
            root,
            defs,
            orders: field_orders(),
            sequence: Vec::new(),
            sections: BTreeMap::new(),
            paths: BTreeMap::new(),
        };
        reference.walk();
        reference
    }

    fn empty() -> Reference {
        Reference {
            root: Map::new(),
            defs: Map::new(),
            orders: BTreeMap::new(),
            sequence: Vec::new(),
            sections: BTreeMap::new(),
            paths: BTreeMap::new(),
        }
    }

    /// Orders the definitions and finds where each appears.
    fn walk(&mut self) {
        let mut seen = BTreeSet::new();
        let keys: Vec<(String, Json)> = self
            .fields(&self.root, "Manifest")
            .into_iter()
            .map(|(key, node)| (key.to_string(), node.clone()))
            .collect();
        for (key, node) in &keys {
            let mut found = Vec::new();
            self.reach(node, key, &mut seen, &mut found, 0);
            self.sections.insert(key.clone(), found.clone());
            self.sequence.extend(found);
        }
        // Definitions nothing refers to (there should be none) still get a section.
        let rest: Vec<String> = self
            .defs
            .keys()
            .filter(|name| !seen.contains(*name))
            .cloned()
            .collect();
        self.sequence.extend(rest);
    }

    /// Visits the definitions `node` refers to, at YAML path `path`.
    fn reach(
        &mut self,
        node: &Json,
        path: &str,
        seen: &mut BTreeSet<String>,
        found: &mut Vec<String>,
        depth: usize,
    ) {
        if depth > 32 {
            return;
        }
        if let Some(name) = ref_name(node) {
            let name = name.to_string();
            self.paths
                .entry(name.clone())
                .or_default()
                .push(path.to_string());
            let Some(Json::Object(def)) = self.defs.get(&name).cloned() else {
                return;
            };
            let first = seen.insert(name.clone());
            if first {
                found.push(name.clone());
            }
            // Paths go on through a definition every time; its own order only once.
            let fields: Vec<(String, Json)> = self
                .fields(&def, &name)
                .into_iter()
                .map(|(key, node)| (key.to_string(), node.clone()))
                .collect();
            for (key, child) in &fields {
                self.reach(child, &format!("{path}.{key}"), seen, found, depth + 1);
            }
            if let Some(child) = def.get("additionalProperties") {
                self.reach(child, &format!("{path}.<key>"), seen, found, depth + 1);
            }
            return;
        }
        if let Some(items) = node.get("items") {
            self.reach(items, &format!("{path}[]"), seen, found, depth + 1);
        }
        if let Some(values) = node.get("additionalProperties") {
            self.reach(values, &format!("{path}.<key>"), seen, found, depth + 1);
        }
        for branch in ["oneOf", "anyOf", "allOf"]
            .iter()
            .filter_map(|k| node.get(*k).and_then(Json::as_array))
            .flatten()
        {
            self.reach(branch, path, seen, found, depth + 1);
        }
    }

    /// An object's properties: in the declared order, then any the order does not know,
    /// alphabetically.
    fn fields<'a>(&self, object: &'a Map<String, Json>, name: &str) -> Vec<(&'a str, &'a Json)> {
        let Some(Json::Object(properties)) = object.get("properties") else {
            return Vec::new();
        };
        let declared = self.orders.get(name).copied().unwrap_or_default();
        let mut fields: Vec<(&str, &Json)> = declared
            .iter()
            .filter_map(|key| properties.get_key_value(*key))
            .map(|(key, node)| (key.as_str(), node))
            .collect();
        fields.extend(
            properties
                .iter()
                .filter(|(key, _)| !declared.contains(&key.as_str()))
                .map(|(key, node)| (key.as_str(), node)),
        );
        fields
    }

    fn kind(&self, name: &str) -> DefKind {
        let Some(def) = self.defs.get(name) else {
            return DefKind::Scalar;
        };
        if def.get("properties").is_some() || def.get("type") == Some(&Json::from("object")) {
            DefKind::Object
        } else if !enum_values(def).is_empty() {
            DefKind::Enum
        } else {
            DefKind::Scalar
        }
    }

    fn heading(&self, name: &str) -> String {
        let what = match self.kind(name) {
            DefKind::Object => "object",
            DefKind::Enum => "enum",
            DefKind::Scalar => self
                .defs
                .get(name)
                .and_then(|d| d.get("type"))
                .and_then(Json::as_str)
                .unwrap_or("value"),
        };
        format!("`{name}` {what}")
    }

    fn link(&self, name: &str) -> String {
        if self.defs.contains_key(name) {
            format!("[`{name}`](#{})", slug(&self.heading(name)))
        } else {
            format!("`{name}`")
        }
    }

    fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# Manifest reference\n\n");
        out.push_str(
            "<!-- Generated from the manifest's JSON schema by crates/switchboard-cli/src/reference/manifest.rs;\n     do not edit. Regenerate: SWITCHBOARD_BLESS=1 cargo test -p switchboard-cli --bin switchboard reference -->\n\n",
        );
        out.push_str(INTRO);
        self.render_contents(&mut out);
        self.render_top_level(&mut out);
        let keys: Vec<&str> = self
            .fields(&self.root, "Manifest")
            .into_iter()
            .map(|(key, _)| key)
            .collect();
        for key in keys {
            self.render_key(&mut out, key);
        }
        let placed: BTreeSet<&String> = self.sections.values().flatten().collect();
        let orphans: Vec<&String> = self
            .sequence
            .iter()
            .filter(|name| !placed.contains(name))
            .collect();
        if !orphans.is_empty() {
            out.push_str("## Other types\n\n");
            for name in orphans {
                self.render_def(&mut out, name);
            }
        }
        while out.ends_with("\n\n") {
            out.pop();
        }
        out
    }

    fn render_contents(&self, out: &mut String) {
        out.push_str("\n## Contents\n\n");
        out.push_str("- [Top-level keys](#top-level-keys)\n");
        for (key, _) in self.fields(&self.root, "Manifest") {
            let _ = writeln!(out, "- [`{key}`](#{})", slug(&format!("`{key}`")));
            for name in self.sections.get(key).into_iter().flatten() {
                let _ = writeln!(out, "  - {}", self.link(name));
            }
        }
        out.push('\n');
    }

    fn render_top_level(&self, out: &mut String) {
        out.push_str("## Top-level keys\n\n");
        if let Some(description) = self.root.get("description").and_then(Json::as_str) {
            let _ = writeln!(out, "{}\n", self.prose(description));
        }
        self.render_table(out, &self.root, "Manifest", true);
    }

    fn render_key(&self, out: &mut String, key: &str) {
        let Some(node) = self
            .root
            .get("properties")
            .and_then(|p| p.get(key))
            .cloned()
        else {
            return;
        };
        let _ = writeln!(out, "## `{key}`\n");
        let required = required(&self.root).contains(&key);
        let mut facts = vec![
            format!("**Type:** {}", self.type_of(&node)),
            format!("**Required:** {}", if required { "yes" } else { "no" }),
        ];
        if let Some(default) = node.get("default") {
            facts.push(format!("**Default:** `{default}`"));
        }
        facts.extend(self.constraints(&node));
        let _ = writeln!(out, "{}\n", facts.join(" · "));
        if let Some(description) = node.get("description").and_then(Json::as_str) {
            let _ = writeln!(out, "{}\n", self.prose(description));
        }
        for name in self.sections.get(key).into_iter().flatten() {
            self.render_def(out, name);
        }
    }

    fn render_def(&self, out: &mut String, name: &str) {
        let Some(Json::Object(def)) = self.defs.get(name) else {
            return;
        };
        let _ = writeln!(out, "### {}\n", self.heading(name));
        if let Some(description) = def.get("description").and_then(Json::as_str) {
            let _ = writeln!(out, "{}\n", self.prose(description));
        }
        if let Some(paths) = self.paths.get(name) {
            let mut paths: Vec<&String> = paths.iter().collect();
            paths.dedup();
            let shown: Vec<String> = paths.iter().map(|p| format!("`{p}`")).collect();
            let _ = writeln!(out, "Appears at: {}.\n", shown.join(", "));
        }
        match self.kind(name) {
            DefKind::Object => self.render_table(out, def, name, false),
            DefKind::Enum => {
                out.push_str("| Value | Description |\n|---|---|\n");
                for (value, description) in enum_values(&Json::Object(def.clone())) {
                    let _ = writeln!(
                        out,
                        "| `{}` | {} |",
                        cell(&value),
                        self.cell_text(description.as_deref().unwrap_or(""))
                    );
                }
                out.push('\n');
            }
            DefKind::Scalar => {
                let node = Json::Object(def.clone());
                let mut facts = vec![format!("**Type:** {}", self.type_of(&node))];
                facts.extend(self.constraints(&node));
                let _ = writeln!(out, "{}\n", facts.join(" · "));
            }
        }
    }

    /// The field table of an object. On the top-level table each key links to its section.
    fn render_table(&self, out: &mut String, object: &Map<String, Json>, name: &str, top: bool) {
        let fields = self.fields(object, name);
        if fields.is_empty() {
            if let Some(values) = object.get("additionalProperties") {
                let _ = writeln!(out, "A mapping of names to {}.\n", self.type_of(values));
            }
            return;
        }
        let required = required(object);
        out.push_str("| Field | Type | Required | Default | Description |\n");
        out.push_str("|---|---|---|---|---|\n");
        for (key, node) in fields {
            let field = if top {
                format!("[`{key}`](#{})", slug(&format!("`{key}`")))
            } else {
                format!("`{key}`")
            };
            let default = node
                .get("default")
                .map(|d| format!("`{}`", cell(&d.to_string())))
                .unwrap_or_default();
            let mut description = node
                .get("description")
                .and_then(Json::as_str)
                .map(|d| self.cell_text(d))
                .unwrap_or_default();
            let constraints = self.constraints(node);
            if !constraints.is_empty() {
                if !description.is_empty() {
                    description.push_str("<br>");
                }
                description.push_str(&cell(&constraints.join(" · ")));
            }
            let _ = writeln!(
                out,
                "| {field} | {} | {} | {default} | {description} |",
                cell(&self.type_of(node)),
                if required.contains(&key) { "yes" } else { "" },
            );
        }
        out.push('\n');
    }

    /// A value's type in words, with definitions linked.
    fn type_of(&self, node: &Json) -> String {
        if let Some(name) = ref_name(node) {
            return self.link(name);
        }
        if let Some(items) = node.get("items") {
            return format!("list of {}", self.type_of(items));
        }
        if let Some(values) = node.get("additionalProperties").filter(|v| v.is_object()) {
            return format!("map of string to {}", self.type_of(values));
        }
        match node.get("type") {
            Some(Json::String(kind)) => kind.clone(),
            Some(Json::Array(kinds)) => kinds
                .iter()
                .filter_map(Json::as_str)
                .collect::<Vec<_>>()
                .join(" or "),
            _ if !enum_values(node).is_empty() => "string".into(),
            _ => "any".into(),
        }
    }

    /// The checks on a value beyond its type: allowed values, ranges, lengths, patterns.
    fn constraints(&self, node: &Json) -> Vec<String> {
        let mut facts = Vec::new();
        let target = ref_name(node)
            .filter(|name| self.kind(name) == DefKind::Enum)
            .and_then(|name| self.defs.get(name));
        let values = enum_values(target.unwrap_or(node));
        let described = node
            .get("description")
            .and_then(Json::as_str)
            .unwrap_or_default();
        // Not when the description already names every value.
        if !values.is_empty()
            && !values
                .iter()
                .all(|(v, _)| described.contains(&format!("`{v}`")))
        {
            let shown: Vec<String> = values.iter().map(|(v, _)| format!("`{v}`")).collect();
            facts.push(format!("One of {}", shown.join(", ")));
        }
        if let Some(items) = node.get("items") {
            let values = enum_values(
                ref_name(items)
                    .and_then(|name| self.defs.get(name))
                    .unwrap_or(items),
            );
            if !values.is_empty() {
                let shown: Vec<String> = values.iter().map(|(v, _)| format!("`{v}`")).collect();
                facts.push(format!("Items one of {}", shown.join(", ")));
            }
        }
        let bound = |key: &str| node.get(key).map(number);
        if let Some(range) = range(bound("minimum"), bound("maximum")) {
            facts.push(format!("Range: {range}"));
        }
        if let Some(above) = bound("exclusiveMinimum") {
            facts.push(format!("Greater than {above}"));
        }
        if let Some(below) = bound("exclusiveMaximum") {
            facts.push(format!("Less than {below}"));
        }
        if let Some(range) = range(bound("minLength"), bound("maxLength")) {
            let unit = if range.ends_with(" 1") {
                "character"
            } else {
                "characters"
            };
            facts.push(format!("Length: {range} {unit}"));
        }
        if let Some(range) = range(bound("minItems"), bound("maxItems")) {
            facts.push(format!("Items: {range}"));
        }
        if let Some(range) = range(bound("minProperties"), bound("maxProperties")) {
            facts.push(format!("Entries: {range}"));
        }
        if let Some(pattern) = node.get("pattern").and_then(Json::as_str) {
            facts.push(format!("Pattern: `{pattern}`"));
        }
        if node.get("uniqueItems") == Some(&Json::Bool(true)) {
            facts.push("Items unique".into());
        }
        facts
    }

    /// A description as paragraphs of Markdown.
    fn prose(&self, text: &str) -> String {
        paragraphs(text)
            .iter()
            .map(|p| self.links(&escape_html(p)))
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    /// A description inside a table cell: one line, `|` escaped, paragraphs as `<br><br>`.
    fn cell_text(&self, text: &str) -> String {
        paragraphs(text)
            .iter()
            .map(|p| cell(&self.links(&escape_html(p))))
            .collect::<Vec<_>>()
            .join("<br><br>")
    }

    /// Rustdoc links in doc comments (`` [`Type`] ``) as links to the type's section.
    fn links(&self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("[`") {
            let after = &rest[start + 2..];
            let Some(end) = after.find("`]") else {
                break;
            };
            let name = &after[..end];
            let tail = &after[end + 2..];
            out.push_str(&rest[..start]);
            if tail.starts_with('(') || tail.starts_with('[') {
                // Already a Markdown link.
                out.push_str(&rest[start..start + 2 + end + 2]);
            } else {
                out.push_str(&self.link(name));
            }
            rest = tail;
        }
        out.push_str(rest);
        out
    }
}

/// The `$ref` target's name, for `#/$defs/Name` and `#/definitions/Name`.
fn ref_name(node: &Json) -> Option<&str> {
    let reference = node.get("$ref")?.as_str()?;
    reference
        .strip_prefix("#/$defs/")
        .or_else(|| reference.strip_prefix("#/definitions/"))
}

fn required(object: &Map<String, Json>) -> Vec<&str> {
    object
        .get("required")
        .and_then(Json::as_array)
        .map(|keys| keys.iter().filter_map(Json::as_str).collect())
        .unwrap_or_default()
}

/// The values an enum allows, with their descriptions: `enum`, or `oneOf`/`anyOf` of `const`.
fn enum_values(node: &Json) -> Vec<(String, Option<String>)> {
    let shown = |value: &Json| match value {
        Json::String(text) => text.clone(),
        other => other.to_string(),
    };
    if let Some(values) = node.get("enum").and_then(Json::as_array) {
        return values.iter().map(|v| (shown(v), None)).collect();
    }
    if let Some(value) = node.get("const") {
        return vec![(shown(value), None)];
    }
    let Some(branches) = node
        .get("oneOf")
        .or_else(|| node.get("anyOf"))
        .and_then(Json::as_array)
    else {
        return Vec::new();
    };
    let mut values = Vec::new();
    for branch in branches {
        let description = branch
            .get("description")
            .and_then(Json::as_str)
            .map(str::to_string);
        if let Some(value) = branch.get("const") {
            values.push((shown(value), description));
        } else if let Some(more) = branch.get("enum").and_then(Json::as_array) {
            values.extend(more.iter().map(|v| (shown(v), description.clone())));
        } else {
            // A branch that is not a value: this is not an enum.
            return Vec::new();
        }
    }
    values
}

/// A JSON number without a needless `.0`.
fn number(value: &Json) -> String {
    match value.as_f64() {
        Some(f) if value.is_f64() && f.fract() == 0.0 && f.abs() < 1e15 => {
            format!("{}", f as i64)
        }
        _ => value.to_string(),
    }
}

fn range(min: Option<String>, max: Option<String>) -> Option<String> {
    match (min, max) {
        (Some(min), Some(max)) if min == max => Some(format!("exactly {min}")),
        (Some(min), Some(max)) => Some(format!("{min} to {max}")),
        (Some(min), None) => Some(format!("at least {min}")),
        (None, Some(max)) => Some(format!("at most {max}")),
        (None, None) => None,
    }
}

/// Every struct's fields in the order they are declared, by type name (which is also the
/// schema's definition name), read from the model's derived `Deserialize` implementations.
fn field_orders() -> BTreeMap<&'static str, &'static [&'static str]> {
    let mut orders = BTreeMap::new();
    // The recorder fails nowhere the model can take it, but a failure only costs the order.
    let _ = <Manifest as serde::Deserialize>::deserialize(order::Recorder {
        orders: &mut orders,
        depth: 0,
        again: false,
    });
    orders
}

/// A deserializer that produces nothing but a minimal value of any type, noting each struct's
/// declared fields (serde passes them to `deserialize_struct`) on the way.
mod order {
    use std::collections::BTreeMap;

    use serde::de::value::{Error, StrDeserializer};
    use serde::de::{self, DeserializeSeed, Error as _, IntoDeserializer, Visitor};

    pub(super) struct Recorder<'r> {
        pub orders: &'r mut BTreeMap<&'static str, &'static [&'static str]>,
        pub depth: usize,
        /// Inside a struct met before (a recursive type, such as a skill group condition's
        /// child conditions): its sequences are empty, so the recursion ends.
        pub again: bool,
    }

    impl Recorder<'_> {
        fn child(&mut self) -> Result<Recorder<'_>, Error> {
            if self.depth > 32 {
                return Err(Error::custom("the model nests too deep"));
            }
            Ok(Recorder {
                orders: self.orders,
                depth: self.depth + 1,
                again: self.again,
            })
        }
    }

    impl<'de> de::Deserializer<'de> for Recorder<'_> {
        type Error = Error;

        fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_unit()
        }

        fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_bool(false)
        }

        fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_i64(0)
        }

        fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_i64(0)
        }

        fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_i64(0)
        }

        fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_i64(0)
        }

        fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_u64(1)
        }

        fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_u64(1)
        }

        fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_u64(1)
        }

        fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_u64(1)
        }

        fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_f64(0.0)
        }

        fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_f64(0.0)
        }

        fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_char('a')
        }

        fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_str("")
        }

        fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_str("")
        }

        fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_bytes(&[])
        }

        fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_bytes(&[])
        }

        fn deserialize_option<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_some(self.child()?)
        }

        fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_unit()
        }

        fn deserialize_unit_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            visitor: V,
        ) -> Result<V::Value, Error> {
            visitor.visit_unit()
        }

        fn deserialize_newtype_struct<V: Visitor<'de>>(
            mut self,
            _name: &'static str,
            visitor: V,
        ) -> Result<V::Value, Error> {
            visitor.visit_newtype_struct(self.child()?)
        }

        fn deserialize_seq<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Error> {
            // One item, so the item type is visited too (none inside a struct met before).
            let item = if self.again {
                None
            } else {
                Some(self.child()?)
            };
            visitor.visit_seq(Items { item })
        }

        fn deserialize_tuple<V: Visitor<'de>>(
            self,
            _len: usize,
            visitor: V,
        ) -> Result<V::Value, Error> {
            self.deserialize_seq(visitor)
        }

        fn deserialize_tuple_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            _len: usize,
            visitor: V,
        ) -> Result<V::Value, Error> {
            self.deserialize_seq(visitor)
        }

        fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            // No entries: a map's key type is not a struct in the model.
            visitor.visit_map(Fields {
                recorder: self,
                fields: &[],
                next: 0,
            })
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            name: &'static str,
            fields: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, Error> {
            let mut recorder = self;
            recorder.again |= recorder.orders.contains_key(name);
            recorder.orders.entry(name).or_insert(fields);
            visitor.visit_map(Fields {
                recorder,
                fields,
                next: 0,
            })
        }

        fn deserialize_enum<V: Visitor<'de>>(
            self,
            _name: &'static str,
            variants: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, Error> {
            let first = variants
                .first()
                .ok_or_else(|| Error::custom("an enum without variants"))?;
            visitor.visit_enum(de::value::StrDeserializer::<Error>::new(first))
        }

        fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_str("")
        }

        fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_unit()
        }
    }

    /// A sequence of at most one item.
    struct Items<'r> {
        item: Option<Recorder<'r>>,
    }

    impl<'de> de::SeqAccess<'de> for Items<'_> {
        type Error = Error;

        fn next_element_seed<T: DeserializeSeed<'de>>(
            &mut self,
            seed: T,
        ) -> Result<Option<T::Value>, Error> {
            self.item
                .take()
                .map(|item| seed.deserialize(item))
                .transpose()
        }
    }

    /// Every field of a struct, once.
    struct Fields<'r> {
        recorder: Recorder<'r>,
        fields: &'static [&'static str],
        next: usize,
    }

    impl<'de> de::MapAccess<'de> for Fields<'_> {
        type Error = Error;

        fn next_key_seed<K: DeserializeSeed<'de>>(
            &mut self,
            seed: K,
        ) -> Result<Option<K::Value>, Error> {
            let Some(field) = self.fields.get(self.next) else {
                return Ok(None);
            };
            self.next += 1;
            let key: StrDeserializer<'static, Error> = (*field).into_deserializer();
            seed.deserialize(key).map(Some)
        }

        fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
            seed.deserialize(self.recorder.child()?)
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    #[test]
    fn fields_keep_their_declared_order() {
        let orders = field_orders();
        assert_eq!(
            orders.get("Manifest").unwrap()[..3],
            ["version", "org", "scope"]
        );
        assert_eq!(orders.get("Queue").unwrap()[0], "name");
        assert!(orders.contains_key("ServiceLevel"), "{orders:?}");
    }

    #[test]
    fn every_definition_has_a_section_and_every_link_an_anchor() {
        let page = manifest_markdown();
        let anchors = super::super::tests::assert_links_resolve(&page);
        let reference = Reference::new(json_schema());
        for name in reference.defs.keys() {
            assert!(
                anchors.contains(&slug(&reference.heading(name))),
                "{name} has no section"
            );
        }
    }

    #[test]
    fn cells_never_break_a_table() {
        assert_eq!(cell("a | b\nc"), "a \\| b c");
        assert_eq!(escape_html("`<env>` and <env>"), "`<env>` and &lt;env>");
        assert_eq!(slug("`Queue` object"), "queue-object");
    }
}
