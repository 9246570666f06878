//! Names → ids while a plan runs: seeded from the fresh read, filled in as earlier waves
//! create objects. A name with no id means its create failed or was skipped, so whatever
//! needs it is skipped too.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, PoisonError};

use switchboard_plan::ALL_DIVISIONS;
use switchboard_plan::live::{LiveReferent, Referent, find_referent};
use switchboard_plan::names::NameIndex;
use switchboard_plan::references::ReferenceKind;
use switchboard_plan::{Action, Live, Plan, ResourceKind};

use crate::queue_body;

/// Ids by kind and name.
#[derive(Debug, Default)]
pub(crate) struct Ids {
    known: Mutex<BTreeMap<(ResourceKind, String), String>>,
    /// Ids this run created or adopted: never the object a delete of the plan means.
    made: Mutex<BTreeSet<String>>,
    divisions: BTreeMap<String, String>,
    /// Flows, prompts and groups, as the fresh read's lookups found them.
    references: BTreeMap<ReferenceKind, Vec<LiveReferent>>,
}

impl Ids {
    /// The ids of `live`, plus those the plan records for renamed objects (under their new
    /// names). A replaced skill's old id is not the new skill's.
    pub(crate) fn new(live: &Live, plan: &Plan) -> Ids {
        let mut known = BTreeMap::new();
        for (name, skill) in &live.skills {
            known.insert((ResourceKind::Skill, name.clone()), skill.id.clone());
        }
        for (name, language) in &live.languages {
            known.insert((ResourceKind::Language, name.clone()), language.id.clone());
        }
        for (name, code) in &live.wrapup_codes {
            known.insert((ResourceKind::WrapupCode, name.clone()), code.id.clone());
        }
        for (name, group) in &live.skill_groups {
            known.insert((ResourceKind::SkillGroup, name.clone()), group.id.clone());
        }
        for (name, queue) in &live.queues {
            known.insert((ResourceKind::Queue, name.clone()), queue.id.clone());
        }
        for (name, label) in &live.utilization_labels {
            known.insert(
                (ResourceKind::UtilizationLabel, name.clone()),
                label.id.clone(),
            );
        }
        for change in plan.runnable() {
            let renamed_object =
                change.action == Action::Update && !change.address.kind.is_collection();
            if let (Some(id), true) = (&change.id, renamed_object) {
                known.insert(
                    (change.address.kind, change.address.name.clone()),
                    id.clone(),
                );
            }
        }
        Ids {
            known: Mutex::new(known),
            made: Mutex::new(BTreeSet::new()),
            divisions: live
                .divisions
                .iter()
                .map(|(name, d)| (name.clone(), d.id.clone()))
                .collect(),
            references: live.references.clone(),
        }
    }

    /// The id of `kind` `name`.
    pub(crate) fn get(&self, kind: ResourceKind, name: &str) -> Option<String> {
        self.known
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&(kind, name.to_string()))
            .cloned()
    }

    /// The id of `kind` `name` by the name rule: the one spelt exactly so, else the one
    /// object the same by the rule (none when several are).
    pub(crate) fn named(&self, kind: ResourceKind, name: &str) -> Option<String> {
        let known = self.known.lock().unwrap_or_else(PoisonError::into_inner);
        let index = NameIndex::new(
            known
                .keys()
                .filter(|(k, _)| *k == kind)
                .map(|(_, n)| n.as_str()),
        );
        let found = index.find(name).name()?;
        known.get(&(kind, found.to_string())).cloned()
    }

    /// Records a created (or adopted) object.
    pub(crate) fn insert(&self, kind: ResourceKind, name: &str, id: String) {
        self.known
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert((kind, name.to_string()), id);
    }

    /// Notes an object this run created or adopted.
    pub(crate) fn made(&self, id: &str) {
        self.made
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id.to_string());
    }

    /// Whether this run created or adopted the object `id`.
    pub(crate) fn was_made(&self, id: &str) -> bool {
        self.made
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(id)
    }

    /// A division's id by name.
    pub(crate) fn division_id(&self, name: &str) -> Option<String> {
        // Every division (a wrap-up code's `*`) is the API's id as well.
        if name == ALL_DIVISIONS {
            return Some(ALL_DIVISIONS.to_string());
        }
        self.divisions.get(name).cloned()
    }
}

impl queue_body::Ids for Ids {
    fn skill(&self, name: &str) -> Option<String> {
        self.get(ResourceKind::Skill, name)
    }

    fn queue(&self, name: &str) -> Option<String> {
        self.get(ResourceKind::Queue, name)
    }

    fn division(&self, name: &str) -> Option<String> {
        self.division_id(name)
    }

    fn referent(&self, kind: ReferenceKind, name: &str) -> Option<String> {
        // A skill group the plan manages: as found (under its manifest name once renamed) or
        // as created by an earlier wave.
        if kind == ReferenceKind::SkillGroup
            && let Some(id) = self.named(ResourceKind::SkillGroup, name)
        {
            return Some(id);
        }
        match find_referent(self.references.get(&kind)?, name) {
            Referent::One(found) => Some(found.id.clone()),
            Referent::Several(_) | Referent::None | Referent::NotLookedUp => None,
        }
    }

    fn email_route(&self, address: &str) -> Option<LiveReferent> {
        match find_referent(self.references.get(&ReferenceKind::EmailAddress)?, address) {
            Referent::One(found) => Some(found.clone()),
            Referent::Several(_) | Referent::None | Referent::NotLookedUp => None,
        }
    }
}
