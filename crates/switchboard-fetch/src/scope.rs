//! What a manifest needs read: which queues' members and codes, which users, and whether
//! their skills and languages matter.

use std::collections::{BTreeMap, BTreeSet};

use switchboard_manifest::Manifest;
use switchboard_manifest::model::{CapacityMode, Mode, Queue};
use switchboard_manifest::names::{NameIndex, find_declared};

/// The reads a manifest calls for, beyond the org-wide listings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchScope {
    /// Live queue names whose members are read: those whose members the manifest manages,
    /// and those with `coverage` (skill coverage counts every member, direct or through a
    /// group).
    pub member_queues: BTreeSet<String>,
    /// Live queue names whose wrap-up codes are managed.
    pub code_queues: BTreeSet<String>,
    /// Live queue names whose manifest queue lists users as members: their members are read
    /// even when the queue reports none (the count may be stale, and the plan would add).
    pub listing_queues: BTreeSet<String>,
    /// Every name a manifest queue may have in the org (its name, then its former names).
    pub queue_names: BTreeMap<String, Vec<String>>,
    /// Users the manifest names, lower-case emails.
    pub users: BTreeSet<String>,
    /// Whether users' skills and languages are needed (some agent manages them).
    pub user_assignments: bool,
    /// Agents whose capacity (utilization) the manifest manages, lower-case emails: one read
    /// each.
    pub capacity_users: BTreeSet<String>,
    /// Ids of live skills a manifest skill replaces (a `renamedFrom` name found in the org as
    /// another skill than the new name's, before the new one exists or after, when a replace
    /// was left half done): every user holding one is read, so the plan can move every
    /// assignment.
    pub replaced_skill_ids: BTreeSet<String>,
}

impl FetchScope {
    /// The scope of `manifest`.
    pub fn of(manifest: &Manifest) -> FetchScope {
        let mut scope = FetchScope::default();
        for queue in &manifest.queues {
            let names: Vec<String> = std::iter::once(queue.name.clone())
                .chain(queue.renamed_from.iter().cloned())
                .collect();
            scope.queue_names.insert(queue.name.clone(), names);
            if let Some(members) = managed_members(queue) {
                scope
                    .users
                    .extend(members.iter().map(|m| m.user.to_lowercase()));
            }
        }
        for agent in &manifest.agents {
            scope.users.insert(agent.user.to_lowercase());
            let manages = |set: &Option<switchboard_manifest::model::Proficiencies>| {
                set.as_ref().is_some_and(|s| s.mode != Mode::Ignore)
            };
            scope.user_assignments |= manages(&agent.skills) || manages(&agent.languages);
            if agent
                .capacity
                .as_ref()
                .is_some_and(|c| c.mode != CapacityMode::Ignore)
            {
                scope.capacity_users.insert(agent.user.to_lowercase());
            }
        }
        scope
    }

    /// Given the live skills (name → id), notes the skills a manifest skill replaces.
    pub fn resolve_skills(&mut self, manifest: &Manifest, live: &BTreeMap<String, String>) {
        let index = NameIndex::new(live.keys().map(String::as_str));
        for skill in &manifest.skills {
            let new = index.find(&skill.name).name().and_then(|n| live.get(n));
            for old in &skill.renamed_from {
                let Some(id) = index.find(old).name().and_then(|n| live.get(n)) else {
                    continue;
                };
                if Some(id) != new {
                    self.replaced_skill_ids.insert(id.clone());
                }
            }
        }
    }

    /// Given the live queue names, decides which live queue each manifest queue is (by the
    /// name rule: its name first, then a former name; see `switchboard_manifest::names`) and
    /// which of them, among those `wanted` accepts, need members and codes read.
    pub fn resolve_queues(
        &mut self,
        manifest: &Manifest,
        live: &NameIndex,
        wanted: impl Fn(&str) -> bool,
    ) {
        for queue in &manifest.queues {
            // An ambiguous name is refused by the plan; nothing is read for it.
            let Ok(Some(found)) = find_declared(live, &queue.name, &queue.renamed_from) else {
                continue;
            };
            if !wanted(found) {
                continue;
            }
            if let Some(members) = managed_members(queue) {
                self.member_queues.insert(found.to_string());
                if !members.is_empty() {
                    self.listing_queues.insert(found.to_string());
                }
            }
            if queue.coverage.is_some() {
                self.member_queues.insert(found.to_string());
            }
            if queue
                .wrapup_codes
                .as_ref()
                .is_some_and(|codes| codes.mode != Mode::Ignore)
            {
                self.code_queues.insert(found.to_string());
            }
        }
    }
}

fn managed_members(queue: &Queue) -> Option<&[switchboard_manifest::model::Member]> {
    queue
        .members
        .as_ref()
        .filter(|m| m.mode != Mode::Ignore)
        .map(|m| m.users.as_slice())
}
