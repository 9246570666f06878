//! Queue settings in one vocabulary: the manifest's. The desired queue is serialised as the
//! manifest spells it; the live queue body (the API's spelling) is translated into the same
//! shape, ids resolved to names. Both are then compared leaf by leaf, only where the
//! manifest sets a value.
//!
//! The API's shapes translated here (API-FACTS §5, `Queue` in openapi.json):
//! - `bullseye.rings[] {expansionCriteria[] {type: TIMEOUT_SECONDS, threshold}, actions
//!   {skillsToRemove[] {id, name}}}` ↔ `{expansionTimeoutSeconds, skillsToRemove: [name]}`;
//! - `conditionalGroupRouting.rules[] {queue {id}, groups[] {id, name, type}, ...}` ↔
//!   `{queue: name, groups: [{name, type}], ...}`;
//! - `division {id, name}` ↔ the division's name;
//! - flows and prompts, `DomainEntityRef {id, name, selfUri}` ↔ `{id, name}`;
//! - `defaultScripts {<type>: Script {id, name, ...}}` ↔ `{<type>: {id, name}}`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};
use switchboard_manifest::Live;
use switchboard_manifest::model::{Mode, Queue};
use switchboard_manifest::names::name_key;
use switchboard_manifest::references::{NESTED_FIELDS, QUEUE_FIELDS, ReferenceKind};

use super::references::Resolution;

use crate::model::AttributeChange;

/// Queue settings that are single values, spelled and shaped the same in the manifest and
/// in the API's queue body.
pub const SCALAR_QUEUE_SETTINGS: [&str; 13] = [
    "description",
    "skillEvaluationMethod",
    "scoringMethod",
    "lastAgentRoutingMode",
    "autoAnswerOnly",
    "enableTranscription",
    "enableAudioMonitoring",
    "enableManualAssignment",
    "suppressInQueueCallRecording",
    "callingPartyName",
    "callingPartyNumber",
    "defaultMediaLanguage",
    "peerId",
];

/// Manifest keys of a queue that are not settings of the queue object itself.
const NOT_SETTINGS: [&str; 6] = [
    "name",
    "renamedFrom",
    "wrapupCodes",
    "members",
    "distribution",
    "coverage",
];

/// The settings `queue` sets, in manifest vocabulary, normalised. A conditional group
/// routing rule without `queue` means this queue, so it is spelled out.
pub(crate) fn desired_settings(queue: &Queue) -> Map<String, Value> {
    let mut settings = match serde_json::to_value(queue) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    for key in NOT_SETTINGS {
        settings.remove(key);
    }
    // Member groups compare as one list under `memberGroups.groups`, in one order; `ignore`
    // compares nothing, and an authoritative empty list is kept (it removes every group).
    settings.remove("memberGroups");
    if let Some(groups) = queue
        .member_groups
        .as_ref()
        .filter(|g| g.mode != Mode::Ignore)
    {
        let groups = groups
            .groups
            .iter()
            .filter_map(|group| serde_json::to_value(group).ok())
            .collect();
        settings.insert("memberGroups".into(), member_groups(groups));
    }
    for groups in ring_groups(&mut settings) {
        groups.sort_by_cached_key(group_key);
    }
    if let Some(rules) = settings
        .get_mut("conditionalGroupRouting")
        .and_then(|c| c.get_mut("rules"))
        .and_then(Value::as_array_mut)
    {
        for rule in rules.iter_mut().filter_map(Value::as_object_mut) {
            rule.entry("queue")
                .or_insert_with(|| Value::String(queue.name.clone()));
        }
    }
    super::translate::desired_settings(&queue.name, &mut settings);
    match normalise(Value::Object(settings), EmptyArrays::Keep) {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// The live queue `body` in manifest vocabulary: every setting the manifest can express,
/// whether or not this manifest sets it. `name` is the queue's manifest name and
/// `queue_names` maps live queue ids to the names they count as (a renamed queue's new
/// name), for the queues conditional group routing rules refer to by id.
/// The settings of the live queue `name` as a manifest spells them (what drift reports and
/// export writes), every one the manifest can express; `None` when the org has no such queue.
/// For many queues, build one [`LiveNames`] and call [`LiveNames::queue_settings`].
pub fn queue_settings(live: &Live, name: &str) -> Option<Map<String, Value>> {
    LiveNames::of(live).queue_settings(name)
}

/// The live org's ids → names, which queue settings refer to (divisions, bullseye skills,
/// conditional group routing queues): built once for all queues, not per queue.
#[derive(Debug)]
pub struct LiveNames<'a> {
    live: &'a Live,
    /// Queue id → the name it counts as (a renamed queue's manifest name, in a diff).
    queues: BTreeMap<&'a str, String>,
    skills: BTreeMap<&'a str, &'a str>,
    divisions: BTreeMap<&'a str, &'a str>,
    /// Flows, prompts and groups: `(kind, id)` → name, as the lookups found them and, for the
    /// objects the manifest resolved, as the manifest spells them.
    references: BTreeMap<(ReferenceKind, String), String>,
    /// Per kind, the names the manifest's references resolved (by the rule's key): a live
    /// object of another id that carries one must not read as the same reference.
    claimed: BTreeMap<ReferenceKind, BTreeSet<String>>,
    /// The objects the manifest's references resolved to.
    resolved: BTreeSet<(ReferenceKind, String)>,
}

impl<'a> LiveNames<'a> {
    /// The names of `live`, every queue under its live name.
    pub fn of(live: &'a Live) -> LiveNames<'a> {
        let queues = live
            .queues
            .iter()
            .map(|(name, q)| (q.id.as_str(), name.clone()))
            .collect();
        LiveNames::with_queues(live, queues)
    }

    /// The names of `live`, queues named as `queues` says.
    pub(crate) fn with_queues(live: &'a Live, queues: BTreeMap<&'a str, String>) -> LiveNames<'a> {
        LiveNames {
            live,
            queues,
            skills: live
                .skills
                .iter()
                .map(|(name, s)| (s.id.as_str(), name.as_str()))
                .collect(),
            divisions: live
                .divisions
                .iter()
                .map(|(name, d)| (d.id.as_str(), name.as_str()))
                .collect(),
            // What the lookups found, over what the queues' own answers name.
            references: super::references::named_by_queues(live)
                .into_iter()
                .chain(live.references.iter().flat_map(|(kind, found)| {
                    found
                        .iter()
                        .map(|r| ((*kind, r.id.clone()), r.name.clone()))
                }))
                .collect(),
            claimed: BTreeMap::new(),
            resolved: BTreeSet::new(),
        }
    }

    /// References named as the manifest resolved them: an object the manifest names reads
    /// under the manifest's spelling, and another object that carries one of the manifest's
    /// names reads with its id beside it, so that it never compares equal.
    pub(crate) fn with_references(mut self, resolution: &Resolution) -> Self {
        for ((kind, id), name) in &resolution.spelling {
            self.references.insert((*kind, id.clone()), name.clone());
            self.resolved.insert((*kind, id.clone()));
            self.claimed
                .entry(*kind)
                .or_default()
                .insert(name_key(name));
        }
        self
    }

    /// The name a live reference `{id, name}` of `kind` reads as: the manifest's spelling for
    /// the object it resolved, else the name the lookups or the reference itself give — with
    /// the id beside it when that name is one the manifest resolved to another object.
    pub(crate) fn reference_name(
        &self,
        kind: ReferenceKind,
        reference: &Map<String, Value>,
    ) -> Option<Value> {
        let id = reference.get("id").and_then(Value::as_str);
        let looked_up = id.and_then(|id| self.references.get(&(kind, id.to_string())));
        if let (Some(id), Some(name)) = (id, looked_up)
            && self.resolved.contains(&(kind, id.to_string()))
        {
            return Some(Value::String(name.clone()));
        }
        let name = looked_up
            .map(String::as_str)
            .or_else(|| reference.get("name").and_then(Value::as_str));
        let claimed = |name: &str| {
            self.claimed
                .get(&kind)
                .is_some_and(|names| names.contains(&name_key(name)))
        };
        match (name, id) {
            (Some(name), Some(id)) if claimed(name) => {
                Some(Value::String(format!("{name} (id {id})")))
            }
            (Some(name), _) => Some(Value::String(name.to_string())),
            (None, _) => None,
        }
    }

    /// Skills named by `spelling` (id → name) rather than as the org spells them: the
    /// manifest's spelling of a skill the name rule finds under another.
    pub(crate) fn with_skill_spelling(mut self, spelling: &'a BTreeMap<String, String>) -> Self {
        for (id, name) in spelling {
            self.skills.insert(id.as_str(), name.as_str());
        }
        self
    }

    /// The name the live queue `id` counts as.
    pub(crate) fn queue_name(&self, id: &str) -> Option<String> {
        self.queues.get(id).cloned()
    }

    /// The settings of the live queue `name` (see [`queue_settings`]).
    pub fn queue_settings(&self, name: &str) -> Option<Map<String, Value>> {
        let queue = self.live.queues.get(name)?;
        Some(live_settings(name, &queue.body, self))
    }
}

pub(crate) fn live_settings(name: &str, body: &Value, names: &LiveNames<'_>) -> Map<String, Value> {
    let mut view = Map::new();
    let whole = body;
    let Some(body) = body.as_object() else {
        return view;
    };
    let as_is =
        SCALAR_QUEUE_SETTINGS
            .iter()
            .chain(&["mediaSettings", "acwSettings", "agentOwnedRouting"]);
    for &key in as_is {
        if let Some(value) = body.get(key) {
            view.insert(key.into(), value.clone());
        }
    }
    if let Some(division) = body.get("division") {
        let by_id = division
            .get("id")
            .and_then(Value::as_str)
            .and_then(|id| names.divisions.get(id))
            .map(|name| name.to_string());
        let name = by_id.or_else(|| {
            division
                .get("name")
                .and_then(Value::as_str)
                .map(String::from)
        });
        if let Some(name) = name {
            view.insert("division".into(), Value::String(name));
        }
    }
    let reference = |kind: ReferenceKind, reference: &Map<String, Value>| {
        let mut out = pick(reference, &["id"]);
        if let Some(name) = names.reference_name(kind, reference) {
            out.insert("name".into(), name);
        }
        Value::Object(out)
    };
    for (key, kind) in QUEUE_FIELDS {
        if let Some(found) = body.get(key).and_then(Value::as_object) {
            view.insert(key.into(), reference(kind, found));
        }
    }
    if let Some(scripts) = body.get("defaultScripts").and_then(Value::as_object) {
        let scripts: Map<String, Value> = scripts
            .iter()
            .filter_map(|(kind, script)| {
                let script = script.as_object()?;
                Some((kind.clone(), reference(ReferenceKind::Script, script)))
            })
            .collect();
        view.insert("defaultScripts".into(), Value::Object(scripts));
    }
    if let Some(groups) = body.get("memberGroups").filter(|g| g.is_array()) {
        view.insert(
            "memberGroups".into(),
            member_groups(named_groups(Some(groups), names)),
        );
    }
    if let Some(rules) = body.get("routingRules").and_then(Value::as_array) {
        let rules = rules
            .iter()
            .filter_map(Value::as_object)
            .map(|rule| Value::Object(pick(rule, &["operator", "threshold", "waitSeconds"])))
            .collect();
        view.insert("routingRules".into(), Value::Array(rules));
    }
    if let Some(rings) = whole.pointer("/bullseye/rings").and_then(Value::as_array) {
        let rings = rings
            .iter()
            .map(|ring| bullseye_ring(ring, names))
            .collect();
        let mut bullseye = Map::new();
        bullseye.insert("rings".into(), Value::Array(rings));
        view.insert("bullseye".into(), Value::Object(bullseye));
    }
    if let Some(rules) = whole
        .pointer("/conditionalGroupRouting/rules")
        .and_then(Value::as_array)
    {
        let rules = rules
            .iter()
            .filter_map(Value::as_object)
            .map(|rule| group_routing_rule(name, rule, names))
            .collect();
        let mut routing = Map::new();
        routing.insert("rules".into(), Value::Array(rules));
        view.insert("conditionalGroupRouting".into(), Value::Object(routing));
    }
    super::translate::read_settings(name, body, &mut view, names);
    match normalise(Value::Object(view), EmptyArrays::Drop) {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn bullseye_ring(ring: &Value, names: &LiveNames<'_>) -> Value {
    let skills = &names.skills;
    let mut out = Map::new();
    let timeout = ring
        .get("expansionCriteria")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|c| c.get("type").and_then(Value::as_str) == Some("TIMEOUT_SECONDS"))
        .and_then(|c| c.get("threshold"))
        .cloned();
    if let Some(timeout) = timeout {
        out.insert("expansionTimeoutSeconds".into(), timeout);
    }
    let removed: Vec<Value> = ring
        .pointer("/actions/skillsToRemove")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|skill| {
            let by_id = skill
                .get("id")
                .and_then(Value::as_str)
                .and_then(|id| skills.get(id).map(|name| name.to_string()));
            by_id
                .or_else(|| skill.get("name").and_then(Value::as_str).map(String::from))
                .or_else(|| skill.get("id").and_then(Value::as_str).map(String::from))
        })
        .map(Value::String)
        .collect();
    if !removed.is_empty() {
        out.insert("skillsToRemove".into(), Value::Array(removed));
    }
    let mut groups = named_groups(ring.get("memberGroups"), names);
    if !groups.is_empty() {
        groups.sort_by_cached_key(group_key);
        out.insert("memberGroups".into(), Value::Array(groups));
    }
    Value::Object(out)
}

fn group_routing_rule(this_queue: &str, rule: &Map<String, Value>, names: &LiveNames<'_>) -> Value {
    let queues = &names.queues;
    let mut out = pick(
        rule,
        &["metric", "operator", "conditionValue", "waitSeconds"],
    );
    let queue = match rule.get("queue") {
        Some(queue) => queue
            .get("id")
            .and_then(Value::as_str)
            .and_then(|id| queues.get(id).cloned())
            .or_else(|| queue.get("name").and_then(Value::as_str).map(String::from))
            .or_else(|| queue.get("id").and_then(Value::as_str).map(String::from)),
        None => Some(this_queue.to_string()),
    };
    if let Some(queue) = queue {
        out.insert("queue".into(), Value::String(queue));
    }
    let groups = named_groups(rule.get("groups"), names);
    out.insert("groups".into(), Value::Array(groups));
    Value::Object(out)
}

/// A group of the API's answer (`MemberGroup {id, name, type}`) as the manifest spells it:
/// `{name, id, type}`, named as [`LiveNames::reference_name`] says; a group the answer does
/// not name reads by its id, as a name (the manifest's groups always have one).
fn member_group(group: &Map<String, Value>, names: &LiveNames<'_>) -> Map<String, Value> {
    let mut g = Map::new();
    let kind = group
        .get("type")
        .and_then(Value::as_str)
        .and_then(ReferenceKind::of_group_type);
    let name = match kind {
        Some(kind) => names.reference_name(kind, group),
        None => group.get("name").cloned(),
    }
    .or_else(|| group.get("id").cloned());
    if let Some(name) = name {
        g.insert("name".into(), name);
    }
    if let Some(id) = group.get("id") {
        g.insert("id".into(), id.clone());
    }
    if let Some(kind) = group.get("type") {
        g.insert("type".into(), kind.clone());
    }
    g
}

/// The groups of an API list (`MemberGroup[]`) as the manifest spells them.
pub(crate) fn named_groups(list: Option<&Value>, names: &LiveNames<'_>) -> Vec<Value> {
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .map(|group| Value::Object(member_group(group, names)))
        .collect()
}

/// A queue's member groups as compared: `{groups: [...]}`, ordered by type and name (by the
/// name rule), so that order never makes a difference.
fn member_groups(mut groups: Vec<Value>) -> Value {
    groups.sort_by_cached_key(group_key);
    let mut out = Map::new();
    out.insert("groups".into(), Value::Array(groups));
    Value::Object(out)
}

/// A group's identity in a list: its type and its name by the name rule.
pub(crate) fn group_key(group: &Value) -> (String, String) {
    let text = |key: &str| group.get(key).and_then(Value::as_str).unwrap_or_default();
    (text("type").to_string(), name_key(text("name")))
}

/// The desired settings' references named as `resolution` spells each object: two references
/// to one object that spell its name otherwise (case, spaces) read the same, as the live
/// side does.
pub(crate) fn spell_references(desired: &mut Map<String, Value>, resolution: &Resolution) {
    let spell = |kind: Option<ReferenceKind>, reference: &mut Value| {
        let Some(name) = reference.get_mut("name") else {
            return;
        };
        let spelt = kind
            .zip(name.as_str())
            .and_then(|(kind, text)| resolution.spelling_of(kind, text));
        if let Some(spelt) = spelt {
            *name = Value::String(spelt.to_string());
        }
    };
    let kind_of = |group: &Value| {
        group
            .get("type")
            .and_then(Value::as_str)
            .and_then(ReferenceKind::of_group_type)
    };
    for (key, kind) in QUEUE_FIELDS {
        if let Some(reference) = desired.get_mut(key) {
            spell(Some(kind), reference);
        }
    }
    for field in NESTED_FIELDS {
        if let Some(reference) = path_mut(desired, field.manifest) {
            spell(Some(field.kind), reference);
        }
    }
    if let Some(Value::Array(libraries)) = desired
        .get_mut("cannedResponseLibraries")
        .and_then(|l| l.get_mut("libraries"))
    {
        for library in libraries.iter_mut() {
            let spelt = library
                .as_str()
                .and_then(|name| resolution.spelling_of(ReferenceKind::Library, name));
            if let Some(spelt) = spelt {
                *library = Value::String(spelt.to_string());
            }
        }
        libraries.sort_by_cached_key(|n| name_key(n.as_str().unwrap_or_default()));
    }
    if let Some(Value::Object(cga)) = desired.get_mut("conditionalGroupActivation") {
        for groups in super::translate::activation_groups_mut(cga) {
            for group in groups.iter_mut() {
                spell(kind_of(group), group);
            }
            groups.sort_by_cached_key(group_key);
        }
    }
    if let Some(Value::Object(scripts)) = desired.get_mut("defaultScripts") {
        for script in scripts.values_mut() {
            spell(Some(ReferenceKind::Script), script);
        }
    }
    if let Some(Value::Array(groups)) = desired
        .get_mut("memberGroups")
        .and_then(|g| g.get_mut("groups"))
    {
        for group in groups.iter_mut() {
            spell(kind_of(group), group);
        }
        groups.sort_by_cached_key(group_key);
    }
    for groups in ring_groups(desired) {
        for group in groups.iter_mut() {
            spell(kind_of(group), group);
        }
        groups.sort_by_cached_key(group_key);
    }
    if let Some(Value::Array(rules)) = desired
        .get_mut("conditionalGroupRouting")
        .and_then(|c| c.get_mut("rules"))
    {
        let groups = rules
            .iter_mut()
            .filter_map(|rule| rule.get_mut("groups"))
            .filter_map(Value::as_array_mut)
            .flatten();
        for group in groups {
            spell(kind_of(group), group);
        }
    }
}

/// The value at `path` (object keys) in `map`.
fn path_mut<'a>(map: &'a mut Map<String, Value>, path: &[&str]) -> Option<&'a mut Value> {
    let (first, rest) = path.split_first()?;
    rest.iter()
        .try_fold(map.get_mut(*first)?, |here, key| here.get_mut(*key))
}

/// The `memberGroups` lists of a settings map's bullseye rings (of the rings that have one).
fn ring_groups(settings: &mut Map<String, Value>) -> impl Iterator<Item = &mut Vec<Value>> {
    settings
        .get_mut("bullseye")
        .and_then(|b| b.get_mut("rings"))
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
        .filter_map(|ring| ring.get_mut("memberGroups"))
        .filter_map(Value::as_array_mut)
}

/// Drops the id of each of `live`'s groups that no group of `desired` of its type and name
/// gives one for: an id is compared only where the manifest gives it.
fn align_group_ids(desired: &[Value], live: &mut [Value]) {
    let with_id: BTreeSet<(String, String)> = desired
        .iter()
        .filter(|g| g.get("id").is_some())
        .map(group_key)
        .collect();
    for group in live.iter_mut() {
        let keep = with_id.contains(&group_key(group));
        if let (false, Some(group)) = (keep, group.as_object_mut()) {
            group.remove("id");
        }
    }
}

/// `memberGroups.groups` of a settings map; empty when there are none.
fn groups_of(settings: &Map<String, Value>) -> &[Value] {
    settings
        .get("memberGroups")
        .and_then(|g| g.get("groups"))
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// With `memberGroups` in `additive` mode, the groups the queue has that the manifest does
/// not list are kept: they join the desired list (with their ids), so nothing is removed.
pub(crate) fn keep_live_member_groups(desired: &mut Map<String, Value>, live: &Map<String, Value>) {
    let kept: Vec<Value> = groups_of(live).to_vec();
    let Some(Value::Array(wanted)) = desired
        .get_mut("memberGroups")
        .and_then(|g| g.get_mut("groups"))
    else {
        return;
    };
    let listed: BTreeSet<(String, String)> = wanted.iter().map(group_key).collect();
    wanted.extend(
        kept.into_iter()
            .filter(|group| !listed.contains(&group_key(group))),
    );
    wanted.sort_by_cached_key(group_key);
}

fn pick(object: &Map<String, Value>, keys: &[&str]) -> Map<String, Value> {
    keys.iter()
        .filter_map(|k| object.get(*k).map(|v| ((*k).to_string(), v.clone())))
        .collect()
}

/// What [`normalise`] does with an empty array.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum EmptyArrays {
    /// Keep it: the manifest wrote `[]` on purpose (e.g. `routingRules: []` clears them).
    Keep,
    /// Drop it: the API's `[]` and an absent field mean the same.
    Drop,
}

/// One comparable form: no nulls, no empty objects, whole-valued floats as integers (the API
/// returns `15` where the manifest's type reads `15.0`), and empty arrays as `arrays` says.
pub(crate) fn normalise(mut value: Value, arrays: EmptyArrays) -> Value {
    normalise_in_place(&mut value, arrays);
    value
}

/// [`normalise`] where the value lies: a large org's queue bodies are normalised on every
/// plan, and rebuilding each map cost more than the comparison.
fn normalise_in_place(value: &mut Value, arrays: EmptyArrays) {
    match value {
        Value::Object(map) => {
            for item in map.values_mut() {
                normalise_in_place(item, arrays);
            }
            map.retain(|_, item| !is_empty(item, arrays));
        }
        Value::Array(items) => {
            for item in items {
                normalise_in_place(item, arrays);
            }
        }
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 9.0e15 => {
                // Whole and well inside i64: the integer spells the same number.
                #[allow(clippy::cast_possible_truncation)]
                let whole = f as i64;
                *value = Value::from(whole);
            }
            _ => {}
        },
        _ => {}
    }
}

/// A number as the plan shows it: `4`, not `4.0`, when it is whole.
pub(crate) fn number(value: f64) -> Value {
    normalise(Value::from(value), EmptyArrays::Drop)
}

fn is_empty(value: &Value, arrays: EmptyArrays) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty() && arrays == EmptyArrays::Drop,
        Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

/// Member groups and group routing groups carry an `id` only where the manifest gives one:
/// the live groups' ids are compared only for those.
pub(crate) fn align_groups(desired: &Map<String, Value>, live: &mut Map<String, Value>) {
    // The answer leaves an empty list out: a queue without `memberGroups` has none, which
    // is what an authoritative empty list asks for.
    if desired.contains_key("memberGroups") && !live.contains_key("memberGroups") {
        let mut none = Map::new();
        none.insert("groups".into(), Value::Array(Vec::new()));
        live.insert("memberGroups".into(), Value::Object(none));
    }
    if let Some(Value::Array(groups)) = live
        .get_mut("memberGroups")
        .and_then(|g| g.get_mut("groups"))
    {
        align_group_ids(groups_of(desired), groups);
    }
    // A ring's groups are compared only where the manifest's ring gives them (`[]` included:
    // the answer leaves an empty list out).
    let desired_rings = desired
        .get("bullseye")
        .and_then(|b| b.get("rings"))
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    if let Some(Value::Array(rings)) = live.get_mut("bullseye").and_then(|b| b.get_mut("rings")) {
        for (i, ring) in rings.iter_mut().enumerate() {
            let Some(ring) = ring.as_object_mut() else {
                continue;
            };
            match desired_rings
                .get(i)
                .and_then(|r| r.get("memberGroups"))
                .and_then(Value::as_array)
            {
                None => {
                    ring.remove("memberGroups");
                }
                Some(wanted) => {
                    let groups = ring
                        .entry("memberGroups")
                        .or_insert_with(|| Value::Array(Vec::new()));
                    if let Value::Array(groups) = groups {
                        align_group_ids(wanted, groups);
                    }
                }
            }
        }
    }
    let rules_of = |settings: &Map<String, Value>| -> Vec<Vec<bool>> {
        settings
            .get("conditionalGroupRouting")
            .and_then(|c| c.get("rules"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|rule| {
                rule.get("groups")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|g| g.get("id").is_some())
                    .collect()
            })
            .collect()
    };
    // A conditional group activation rule's groups: ids compared where the manifest's rule
    // gives them.
    let desired_rules = desired
        .get("conditionalGroupActivation")
        .and_then(|c| c.get("rules"))
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    if let Some(Value::Array(rules)) = live
        .get_mut("conditionalGroupActivation")
        .and_then(|c| c.get_mut("rules"))
    {
        for (i, rule) in rules.iter_mut().enumerate() {
            let wanted = desired_rules
                .get(i)
                .and_then(|r| r.get("groups"))
                .and_then(Value::as_array)
                .map_or(&[][..], Vec::as_slice);
            if let Some(Value::Array(groups)) = rule.get_mut("groups") {
                align_group_ids(wanted, groups);
            }
        }
    }
    let with_id = rules_of(desired);
    let Some(rules) = live
        .get_mut("conditionalGroupRouting")
        .and_then(|c| c.get_mut("rules"))
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    for (i, rule) in rules.iter_mut().enumerate() {
        let groups = rule.get_mut("groups").and_then(Value::as_array_mut);
        for (j, group) in groups.into_iter().flatten().enumerate() {
            let keep = with_id
                .get(i)
                .and_then(|r| r.get(j))
                .copied()
                .unwrap_or(false);
            if let (false, Some(group)) = (keep, group.as_object_mut()) {
                group.remove("id");
            }
        }
    }
}

/// Compares the desired settings with the live ones where the manifest sets them. Objects
/// are walked key by key; arrays and scalars are leaves. Returns the changed leaves and the
/// number of unchanged ones.
pub(crate) fn compare(
    desired: &Map<String, Value>,
    live: Option<&Map<String, Value>>,
) -> (Vec<AttributeChange>, usize) {
    let mut changes = Vec::new();
    let mut unchanged = 0;
    walk("", desired, live, &mut changes, &mut unchanged);
    (changes, unchanged)
}

fn walk(
    prefix: &str,
    desired: &Map<String, Value>,
    live: Option<&Map<String, Value>>,
    changes: &mut Vec<AttributeChange>,
    unchanged: &mut usize,
) {
    for (key, want) in desired {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        let have = live.and_then(|l| l.get(key));
        match (want, have) {
            (Value::Object(want), Some(Value::Object(have))) => {
                walk(&path, want, Some(have), changes, unchanged);
            }
            (Value::Object(want), None) => walk(&path, want, None, changes, unchanged),
            _ if Some(want) == have => *unchanged += 1,
            // An empty list asked for and none live: the same thing.
            (Value::Array(items), None) if items.is_empty() && live.is_some() => *unchanged += 1,
            _ => changes.push(AttributeChange {
                path,
                before: have.cloned(),
                after: Some(want.clone()),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn whole_floats_compare_equal_to_integers() {
        assert_eq!(
            normalise(
                json!({"a": 15.0, "b": [1.5, null], "c": {}, "d": []}),
                EmptyArrays::Drop
            ),
            json!({"a": 15, "b": [1.5, null]})
        );
    }

    #[test]
    fn only_the_leaves_the_manifest_sets_are_compared() {
        let desired =
            json!({"mediaSettings": {"call": {"alertingTimeoutSeconds": 8}}, "description": "x"});
        let live = json!({"mediaSettings": {"call": {"alertingTimeoutSeconds": 10, "enableAutoAnswer": true}, "chat": {}}, "description": "x", "scoringMethod": "PriorityOnly"});
        let (changes, unchanged) = compare(desired.as_object().unwrap(), live.as_object());
        assert_eq!(unchanged, 1);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].path, "mediaSettings.call.alertingTimeoutSeconds");
        assert_eq!(changes[0].before, Some(json!(10)));
        assert_eq!(changes[0].after, Some(json!(8)));
    }

    #[test]
    fn api_bullseye_reads_as_manifest_rings() {
        let mut live = Live::default();
        live.skills.insert(
            "Refunds".into(),
            switchboard_manifest::live::LiveObject {
                id: "s1".into(),
                division_id: None,
            },
        );
        let body = json!({"bullseye": {"rings": [
            {"expansionCriteria": [{"type": "TIMEOUT_SECONDS", "threshold": 20}], "actions": {"skillsToRemove": [{"id": "s1", "selfUri": "/x"}]}},
            {}
        ]}});
        let view = live_settings("Q", &body, &LiveNames::with_queues(&live, BTreeMap::new()));
        assert_eq!(
            Value::Object(view),
            json!({"bullseye": {"rings": [{"expansionTimeoutSeconds": 20, "skillsToRemove": ["Refunds"]}, {}]}})
        );
    }
}
