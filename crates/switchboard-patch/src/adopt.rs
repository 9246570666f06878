//! The plan's changes read backwards: for each difference, the manifest edits that make the
//! manifest say what the org has. Each difference is a [`Claim`]: adopted only when every one
//! of its edits is made.

use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};
use switchboard_export::{ExportOptions, Note as ExportNote};
use switchboard_manifest::Live;
use switchboard_manifest::edit::{Edit, Editable};
use switchboard_manifest::live::LiveUser;
use switchboard_plan::{
    Action, AttributeChange, Change, ElementChange, ElementOp, Plan, RefusalReason, ResourceKind,
};

use crate::Note;
use crate::locate::{self, pointer};
use crate::values;
use crate::verify::Item;

/// The edits that adopt a plan's differences, grouped by difference.
#[derive(Debug, Clone, Default)]
pub(crate) struct Adoption {
    edits: Vec<Edit>,
    claims: Vec<Claim>,
    /// What is not adopted, and why.
    pub notes: Vec<Note>,
    /// Users the snapshot lacks that members the patch lists are (see `verify`).
    pub users: BTreeMap<String, LiveUser>,
}

/// One difference (or an object and the collections that go with it) and its edits.
#[derive(Debug, Clone)]
struct Claim {
    subject: String,
    items: Vec<Item>,
    edits: Vec<usize>,
    state: State,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Active,
    Adopted,
    Dropped,
}

impl Adoption {
    /// The edits of the differences still to adopt, in the order they were found, with their
    /// indexes.
    pub fn active_edits(&self) -> Vec<(usize, Edit)> {
        let wanted: BTreeSet<usize> = self
            .claims
            .iter()
            .filter(|c| c.state == State::Active)
            .flat_map(|c| c.edits.iter().copied())
            .collect();
        let mut edits: Vec<(usize, Edit)> = wanted
            .into_iter()
            .filter_map(|i| Some((i, self.edits.get(i)?.clone())))
            .collect();
        // Items are added before any is removed, so that an object placed after one that
        // goes still lands in that object's file.
        edits.sort_by_key(|(_, edit)| matches!(edit, Edit::RemoveItem { .. }));
        edits
    }

    /// Records which edits were made (`made`) and why others were not (`refused`). A
    /// difference with every edit made is adopted; one with none is dropped with a note; one
    /// with some is dropped too, and `true` says the edits must be made again without it.
    pub fn settle(&mut self, made: &[usize], refused: &[(usize, String)]) -> bool {
        let made: BTreeSet<usize> = made.iter().copied().collect();
        let mut again = false;
        for claim in self.claims.iter_mut().filter(|c| c.state == State::Active) {
            let done = claim.edits.iter().filter(|e| made.contains(e)).count();
            if done == claim.edits.len() {
                claim.state = State::Adopted;
                continue;
            }
            again |= done > 0;
            claim.state = State::Dropped;
            let why = claim
                .edits
                .iter()
                .find_map(|e| refused.iter().find(|(i, _)| i == e).map(|(_, m)| m.clone()))
                .unwrap_or_else(|| "its edits could not all be made".into());
            self.notes.push(Note::new(&claim.subject, why));
        }
        if again {
            for claim in &mut self.claims {
                if claim.state == State::Adopted {
                    claim.state = State::Active;
                }
            }
        }
        again
    }

    /// The differences adopted.
    pub fn adopted_items(&self) -> BTreeSet<Item> {
        self.claims
            .iter()
            .filter(|c| c.state == State::Adopted)
            .flat_map(|c| c.items.iter().cloned())
            .collect()
    }

    /// How many differences are adopted.
    pub fn adopted_count(&self) -> usize {
        self.adopted_items().len()
    }
}

/// The adoption of every difference of `plan` (the plan of `manifest` against `live`).
pub(crate) fn adoption(manifest: &Editable, live: &Live, plan: &Plan) -> Adoption {
    let mut cx = Cx {
        manifest,
        json: manifest.json(),
        live,
        export: OnceCell::new(),
        out: Adoption::default(),
        declared: BTreeMap::new(),
        removed_queues: BTreeMap::new(),
        rings: BTreeMap::new(),
    };
    for change in &plan.changes {
        cx.change(change);
    }
    cx.out
}

struct Cx<'a> {
    manifest: &'a Editable,
    json: &'a Value,
    live: &'a Live,
    /// The org as `export` writes it (its manifest as JSON, whole numbers as integers, and
    /// its notes), made when an object must be added.
    export: OnceCell<Option<(Value, Vec<ExportNote>)>>,
    out: Adoption,
    /// Declarations this patch adds, by list and name, with their edit.
    declared: BTreeMap<(&'static str, String), usize>,
    /// Queues this patch removes, with their claim, which their collections join.
    removed_queues: BTreeMap<String, usize>,
    /// Queues whose bullseye this patch sets to the org's, with their ring count.
    rings: BTreeMap<String, usize>,
}

impl Cx<'_> {
    fn note(&mut self, subject: impl Into<String>, message: impl Into<String>) {
        self.out.notes.push(Note::new(subject, message));
    }

    fn edit(&mut self, edit: Edit) -> usize {
        self.out.edits.push(edit);
        self.out.edits.len() - 1
    }

    fn claim(&mut self, subject: &str, item: Item, edits: Vec<Edit>, shared: &[usize]) -> usize {
        let mut indexes: Vec<usize> = shared.to_vec();
        indexes.extend(edits.into_iter().map(|e| self.edit(e)));
        self.out.claims.push(Claim {
            subject: subject.to_string(),
            items: vec![item],
            edits: indexes,
            state: State::Active,
        });
        self.out.claims.len() - 1
    }

    fn change(&mut self, change: &Change) {
        let address = &change.address;
        let subject = address.kind.describe(&address.name);
        match (change.action, address.kind.is_collection()) {
            (Action::Delete, _) => {
                let protected = change
                    .refused
                    .as_ref()
                    .is_some_and(|r| r.reason == RefusalReason::Protected);
                // A protected object is never deleted, so it is not drift.
                if !protected {
                    self.unmanaged(change, &subject);
                }
            }
            (Action::Create, false) => self.missing(change, &subject),
            (Action::Create, true) => match self.removed_queues.get(&address.name) {
                Some(claim) => {
                    if let Some(claim) = self.out.claims.get_mut(*claim) {
                        claim
                            .items
                            .push(Item::Object(address.clone(), Action::Create));
                    }
                }
                None => self.note(subject, "its owner is missing from the org; not adopted"),
            },
            (Action::Replace, _) => self.note(
                subject,
                format!(
                    "it replaces skill {:?} (`renamedFrom`), which the org still has; not adopted: apply the replace, or take it out of `renamedFrom`",
                    change.renamed_from.as_deref().unwrap_or_default()
                ),
            ),
            (Action::Update, _) => match address.kind {
                ResourceKind::QueueMembers => self.members(change, &subject),
                ResourceKind::QueueWrapupCodes => self.codes(change, &subject),
                ResourceKind::AgentSkills | ResourceKind::AgentLanguages => {
                    self.proficiencies(change, &subject);
                }
                ResourceKind::AgentCapacity => self.capacity(change, &subject),
                ResourceKind::OrgUtilization => {
                    let keep = |_: &str, _: &str, _: &Value| false;
                    self.attributes_at(change, &subject, "/utilization", &change.attributes, &keep);
                }
                ResourceKind::RoutingSettings => {
                    let keep = |_: &str, _: &str, _: &Value| false;
                    self.attributes_at(
                        change,
                        &subject,
                        "/routingSettings",
                        &change.attributes,
                        &keep,
                    );
                }
                _ => self.attributes(change, &subject),
            },
        }
    }

    /// The manifest's index of the object a change is about.
    fn object(&mut self, change: &Change, subject: &str) -> Option<(&'static str, usize)> {
        let key = locate::list_key(change.address.kind)?;
        match locate::object(self.json, key, &change.address.name) {
            Some(index) => Some((key, index)),
            None => {
                self.note(subject, "not found in the manifest's files; not adopted");
                None
            }
        }
    }

    /// In the manifest, not in the org: it goes from the manifest.
    fn missing(&mut self, change: &Change, subject: &str) {
        let Some((key, index)) = self.object(change, subject) else {
            return;
        };
        let edit = Edit::RemoveItem {
            pointer: pointer(&[key, &index.to_string()]),
        };
        let item = Item::Object(change.address.clone(), Action::Create);
        let claim = self.claim(subject, item, vec![edit], &[]);
        if change.address.kind == ResourceKind::Queue {
            self.removed_queues
                .insert(change.address.name.clone(), claim);
        }
    }

    /// In the org, in scope, pruned: it is added to the manifest as export writes it.
    fn unmanaged(&mut self, change: &Change, subject: &str) {
        let Some(key) = locate::list_key(change.address.kind) else {
            return;
        };
        // The same declaration may be needed by an assignment the patch adopts too.
        let Ok(Some(edit)) = self.declare(key, &change.address.name, subject) else {
            return;
        };
        let item = Item::Object(change.address.clone(), Action::Delete);
        self.claim(subject, item, Vec::new(), &[edit]);
    }

    /// The live object `name` of the list `key` as export writes it, placed in the manifest.
    fn new_object(&mut self, key: &'static str, name: &str, subject: &str) -> Option<Edit> {
        let (mut value, notes) = match self.exported(key, name) {
            Some(found) => found,
            None => {
                self.note(subject, "export cannot write it; not adopted");
                return None;
            }
        };
        for message in notes {
            self.note(
                subject,
                format!("added without what export leaves out: {message}"),
            );
        }
        // A division the manifest does not manage cannot be named; left out, the object
        // stays where it is.
        let outside = value
            .get("division")
            .and_then(Value::as_str)
            .is_some_and(|d| !self.in_scope(d));
        if outside && let Some(object) = value.as_object_mut() {
            object.remove("division");
        }
        Some(self.placed(key, value))
    }

    /// Whether the manifest's `scope.divisions` lists `division`.
    fn in_scope(&self, division: &str) -> bool {
        self.manifest
            .manifest()
            .scope
            .iter()
            .flat_map(|s| &s.divisions)
            .any(|d| d == division)
    }

    /// Whether the queue at `queue` (a pointer) has `ring` once patched: its bullseye as the
    /// patch leaves it must have that many rings, or the manifest would not load.
    fn has_ring(&self, name: &str, queue: &str, ring: &Value) -> bool {
        let ring = ring.as_u64().unwrap_or(u64::MAX);
        let rings = self.rings.get(name).copied().unwrap_or_else(|| {
            self.json
                .pointer(&format!("{queue}/bullseye/rings"))
                .and_then(Value::as_array)
                .map_or(0, Vec::len)
        });
        ring <= 1 || u64::try_from(rings).is_ok_and(|rings| ring <= rings)
    }

    /// Where a new object goes: after the last one of its division (queues), or the last one,
    /// in a base file rather than the environment overlay.
    fn placed(&self, key: &str, value: Value) -> Edit {
        let list = pointer(&[key]);
        let Some(items) = self.json.pointer(&list).and_then(Value::as_array) else {
            return Edit::Insert {
                pointer: String::new(),
                key: key.to_string(),
                value: Value::Array(vec![value]),
            };
        };
        let overlay = self.manifest.overlay();
        let in_base = |i: &usize| self.manifest.file_of(&format!("{list}/{i}")) != overlay;
        let division = value.get("division");
        let after = (0..items.len())
            .rev()
            .filter(in_base)
            .find(|i| division.is_some() && items[*i].get("division") == division)
            .or_else(|| (0..items.len()).rev().find(in_base));
        Edit::Add {
            pointer: list,
            value,
            after,
        }
    }

    /// Export's form of a live object, with its notes.
    fn exported(&self, key: &str, name: &str) -> Option<(Value, Vec<String>)> {
        let (manifest, notes) = self
            .export
            .get_or_init(|| {
                let region = self.manifest.manifest().org.region.clone();
                let export =
                    switchboard_export::export(self.live, &ExportOptions::all(region)).ok()?;
                let manifest = serde_json::to_value(&export.manifest).ok()?;
                Some((values::whole_numbers(manifest), export.notes))
            })
            .as_ref()?;
        let index = locate::object(manifest, key, name)?;
        let value = manifest.get(key)?.get(index)?.clone();
        // Export's notes about one object are about queues (what a manifest cannot say).
        let subject = format!("queue {name:?}");
        let notes = notes
            .iter()
            .filter(|n| key == "queues" && n.subject == subject)
            .map(|n| n.message.clone())
            .collect();
        Some((value, notes))
    }

    /// The edit declaring `name` in the list `key`, when the manifest does not yet: shared
    /// by every difference that needs it.
    fn declare(
        &mut self,
        key: &'static str,
        name: &str,
        subject: &str,
    ) -> Result<Option<usize>, ()> {
        if locate::declares(self.json, key, name) {
            return Ok(None);
        }
        if let Some(edit) = self.declared.get(&(key, name.to_string())) {
            return Ok(Some(*edit));
        }
        let edit = self.new_object(key, name, subject).ok_or(())?;
        let index = self.edit(edit);
        self.declared.insert((key, name.to_string()), index);
        Ok(Some(index))
    }

    /// Attributes of a skill, wrap-up code or queue: the live values.
    fn attributes(&mut self, change: &Change, subject: &str) {
        let Some((key, index)) = self.object(change, subject) else {
            return;
        };
        let base = pointer(&[key, &index.to_string()]);
        let name = change.address.name.clone();
        // The plan spells out a group routing rule's queue when the manifest leaves it out.
        let keep = move |at: &str, key: &str, value: &Value| {
            key == "queue"
                && at.contains("/conditionalGroupRouting/rules/")
                && value.as_str() == Some(name.as_str())
        };
        self.attributes_at(change, subject, &base, &change.attributes, &keep);
    }

    /// An agent's capacity, field by field under its `capacity`. Whether the agent has
    /// settings of its own (`level`) is the capacity's mode, which a person chooses: noted,
    /// not adopted.
    fn capacity(&mut self, change: &Change, subject: &str) {
        let Some(agent) = locate::by_email(self.json, "/agents", &change.address.name) else {
            self.note(
                subject,
                "the agent is not found in the manifest's files; not adopted",
            );
            return;
        };
        let base = pointer(&["agents", &agent.to_string(), "capacity"]);
        let (level, fields): (Vec<AttributeChange>, Vec<AttributeChange>) = change
            .attributes
            .iter()
            .cloned()
            .partition(|a| a.path == "level");
        for attribute in level {
            let shown = |v: &Option<Value>| v.as_ref().and_then(Value::as_str).map(String::from);
            self.note(
                subject,
                format!(
                    "the org's level is {:?}, the manifest's {:?}; not adopted: set the capacity's `mode` (orgDefault for the org default)",
                    shown(&attribute.before).unwrap_or_default(),
                    shown(&attribute.after).unwrap_or_default()
                ),
            );
        }
        self.attributes_at(change, subject, &base, &fields, &|_, _, _| false);
    }

    /// Adopts each of `attributes` of `change` at its path under `base` (a JSON pointer).
    fn attributes_at(
        &mut self,
        change: &Change,
        subject: &str,
        base: &str,
        attributes: &[AttributeChange],
        keep: &dyn Fn(&str, &str, &Value) -> bool,
    ) {
        for attribute in attributes {
            if attribute.path == "name" {
                self.note(
                    subject,
                    format!(
                        "it is still called {:?} in the org (a pending rename, `renamedFrom`); not adopted: apply the rename, or take it out of `renamedFrom`",
                        change.renamed_from.as_deref().unwrap_or_default()
                    ),
                );
                continue;
            }
            if attribute.path == "division"
                && let Some(Value::String(division)) = &attribute.before
                && !self.in_scope(division)
            {
                self.note(
                    subject,
                    format!(
                        "it is in division {division:?} in the org, which `scope.divisions` does not list; not adopted: add the division to the scope first"
                    ),
                );
                continue;
            }
            let segments: Vec<&str> = attribute.path.split('.').collect();
            let at = format!("{base}{}", pointer(&segments));
            let mut edits = Vec::new();
            match (&attribute.before, self.json.pointer(&at)) {
                (None, Some(_)) => edits.push(Edit::RemoveKey {
                    pointer: at.clone(),
                }),
                (Some(live), Some(have)) => {
                    if let Err(why) = values::adopt(&at, have, live, keep, &mut edits) {
                        self.note(subject, format!("{}: {why}; not adopted", attribute.path));
                        continue;
                    }
                }
                (Some(live), None) => edits.extend(self.set_missing(base, &segments, live)),
                (None, None) => {}
            }
            if edits.is_empty() {
                self.note(subject, format!("{}: no edit adopts it", attribute.path));
                continue;
            }
            if attribute.path == "bullseye.rings"
                && let Some(Value::Array(rings)) = &attribute.before
            {
                self.rings.insert(change.address.name.clone(), rings.len());
            }
            let item = Item::Attribute(change.address.clone(), attribute.path.clone());
            self.claim(subject, item, edits, &[]);
        }
    }

    /// The edit that sets a value the manifest does not have yet: its first missing key,
    /// holding the rest of the path.
    fn set_missing(&self, base: &str, segments: &[&str], value: &Value) -> Option<Edit> {
        let mut at = base.to_string();
        for (i, segment) in segments.iter().enumerate() {
            let next = format!("{at}{}", pointer(&[segment]));
            if self.json.pointer(&next).is_none() {
                let nested = segments[i + 1..]
                    .iter()
                    .rev()
                    .fold(value.clone(), |inner, key| {
                        let mut map = Map::new();
                        map.insert((*key).to_string(), inner);
                        Value::Object(map)
                    });
                return Some(Edit::Insert {
                    pointer: at,
                    key: (*segment).to_string(),
                    value: nested,
                });
            }
            at = next;
        }
        None
    }

    /// The edit that adds `item` to the list `key` of the mapping at `parent`, or writes
    /// `key: [item]` there when the manifest has no such list.
    fn append(&self, parent: &str, key: &str, item: Value) -> Edit {
        let list = format!("{parent}{}", pointer(&[key]));
        if self.json.pointer(&list).is_some() {
            Edit::Add {
                pointer: list,
                value: item,
                after: None,
            }
        } else {
            Edit::Insert {
                pointer: parent.to_string(),
                key: key.to_string(),
                value: Value::Array(vec![item]),
            }
        }
    }

    fn queue(&mut self, change: &Change, subject: &str) -> Option<String> {
        match locate::object(self.json, "queues", &change.address.name) {
            Some(index) => Some(pointer(&["queues", &index.to_string()])),
            None => {
                self.note(
                    subject,
                    "the queue is not found in the manifest's files; not adopted",
                );
                None
            }
        }
    }

    fn element_item(change: &Change, element: &ElementChange) -> Item {
        Item::Element(change.address.clone(), element.key.clone(), element.op)
    }

    /// A queue's members: rings set, members the org lacks taken out, members it has listed.
    fn members(&mut self, change: &Change, subject: &str) {
        let Some(queue) = self.queue(change, subject) else {
            return;
        };
        let users = format!("{queue}/members/users");
        for element in &change.elements {
            let who = format!("{subject}: {}", element.key);
            let found = locate::by_email(self.json, &users, &element.key);
            let edit = match (element.op, found) {
                (ElementOp::Add, Some(j)) => Edit::RemoveItem {
                    pointer: format!("{users}/{j}"),
                },
                (ElementOp::Update, Some(j)) => {
                    let member = format!("{users}/{j}");
                    if self.json.pointer(&format!("{member}/weight")).is_some() {
                        self.note(
                            who,
                            "the member's weight is realised as a ring, and the org has moved it to another ring; not adopted: set the weight by hand",
                        );
                        continue;
                    }
                    let Some(ring) = element.before.clone() else {
                        continue;
                    };
                    if !self.has_ring(&change.address.name, &queue, &ring) {
                        self.note(who, no_such_ring(&ring));
                        continue;
                    }
                    if self.json.pointer(&format!("{member}/ring")).is_some() {
                        Edit::Replace {
                            pointer: format!("{member}/ring"),
                            value: ring,
                        }
                    } else {
                        Edit::Insert {
                            pointer: member,
                            key: "ring".into(),
                            value: ring,
                        }
                    }
                }
                (ElementOp::Remove, _) => {
                    if !element.key.contains('@') {
                        self.note(who, "the org does not give the member's email; not adopted");
                        continue;
                    }
                    if let Some(ring) = &element.before
                        && !self.has_ring(&change.address.name, &queue, ring)
                    {
                        self.note(who, no_such_ring(ring));
                        continue;
                    }
                    let mut member = json!({ "user": element.key });
                    if let Some(ring) = element.before.as_ref().filter(|r| r.as_i64() != Some(1))
                        && let Some(object) = member.as_object_mut()
                    {
                        object.insert("ring".into(), ring.clone());
                    }
                    if !self.live.users.contains_key(&element.key) {
                        self.out.users.insert(
                            element.key.clone(),
                            LiveUser {
                                id: element.id.clone().unwrap_or_default(),
                                state: "active".into(),
                                ..LiveUser::default()
                            },
                        );
                    }
                    self.append(&format!("{queue}/members"), "users", member)
                }
                (_, None) => {
                    self.note(who, "not found among the manifest's members; not adopted");
                    continue;
                }
            };
            self.claim(
                subject,
                Self::element_item(change, element),
                vec![edit],
                &[],
            );
        }
    }

    /// A queue's wrap-up codes: codes the org lacks taken out, codes it has listed (and
    /// declared, when the manifest does not declare them).
    fn codes(&mut self, change: &Change, subject: &str) {
        let Some(queue) = self.queue(change, subject) else {
            return;
        };
        let codes = format!("{queue}/wrapupCodes/codes");
        for element in &change.elements {
            let who = format!("{subject}: {}", element.key);
            let item = Self::element_item(change, element);
            match element.op {
                ElementOp::Add => match locate::string_item(self.json, &codes, &element.key) {
                    Some(j) => {
                        let edit = Edit::RemoveItem {
                            pointer: format!("{codes}/{j}"),
                        };
                        self.claim(subject, item, vec![edit], &[]);
                    }
                    None => self.note(who, "not found among the queue's codes; not adopted"),
                },
                ElementOp::Remove => {
                    let Ok(declared) = self.declare("wrapupCodes", &element.key, &who) else {
                        continue;
                    };
                    let code = Value::String(element.key.clone());
                    let edit = self.append(&format!("{queue}/wrapupCodes"), "codes", code);
                    let shared: Vec<usize> = declared.into_iter().collect();
                    self.claim(subject, item, vec![edit], &shared);
                }
                ElementOp::Update => {}
            }
        }
    }

    /// An agent's skills or languages: proficiencies set, assignments the org lacks taken
    /// out, assignments it has listed (and declared, when the manifest does not).
    fn proficiencies(&mut self, change: &Change, subject: &str) {
        let Some(agent) = locate::by_email(self.json, "/agents", &change.address.name) else {
            self.note(
                subject,
                "the agent is not found in the manifest's files; not adopted",
            );
            return;
        };
        // The agent's field is named as the list that declares what it assigns.
        let list = if change.address.kind == ResourceKind::AgentSkills {
            "skills"
        } else {
            "languages"
        };
        let set = pointer(&["agents", &agent.to_string(), list]);
        let proficiency = format!("{set}/proficiency");
        for element in &change.elements {
            let who = format!("{subject}: {}", element.key);
            let at = format!("{proficiency}{}", pointer(&[&element.key]));
            let item = Self::element_item(change, element);
            match (element.op, element.before.clone()) {
                (ElementOp::Add, _) if self.json.pointer(&at).is_some() => {
                    self.claim(subject, item, vec![Edit::RemoveKey { pointer: at }], &[]);
                }
                (ElementOp::Update, Some(value)) => {
                    self.claim(
                        subject,
                        item,
                        vec![Edit::Replace { pointer: at, value }],
                        &[],
                    );
                }
                (ElementOp::Remove, Some(value)) => {
                    let Ok(declared) = self.declare(list, &element.key, &who) else {
                        continue;
                    };
                    let edit = if self.json.pointer(&proficiency).is_some() {
                        Edit::Insert {
                            pointer: proficiency.clone(),
                            key: element.key.clone(),
                            value,
                        }
                    } else {
                        let mut map = Map::new();
                        map.insert(element.key.clone(), value);
                        Edit::Insert {
                            pointer: set.clone(),
                            key: "proficiency".into(),
                            value: Value::Object(map),
                        }
                    };
                    let shared: Vec<usize> = declared.into_iter().collect();
                    self.claim(subject, item, vec![edit], &shared);
                }
                _ => self.note(who, "not found in the manifest's files; not adopted"),
            }
        }
    }
}

/// Why a member the org has in `ring` is not adopted.
fn no_such_ring(ring: &Value) -> String {
    format!(
        "the org has it in ring {ring}, which the manifest's bullseye does not have; not adopted: add the ring first"
    )
}

#[cfg(test)]
impl Adoption {
    /// An adoption that claims `items` adopted without any edit, for checking the check.
    pub(crate) fn claiming(items: Vec<Item>) -> Adoption {
        Adoption {
            claims: vec![Claim {
                subject: "test".into(),
                items,
                edits: Vec::new(),
                state: State::Adopted,
            }],
            ..Adoption::default()
        }
    }
}
