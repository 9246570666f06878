//! Queue membership through member groups: "Queue membership will update to match group
//! membership changes" (`Queue.memberGroups` in the description). The users a queue's member
//! groups reach are its members with `memberBy: group`, added and removed as the queue's
//! member groups, the groups' members, or (for skill groups) users' skills, languages and
//! divisions change. Each such change is audited as a `MemberAdd`/`MemberRemove`/
//! `MemberUpdate` of the queue, like a direct change, so the `v2.routing.queues.{id}.users`
//! topic reports it.
//!
//! Choices where the facts are silent:
// unverified: all of the following is the simulator's reading; the facts only say that
// membership follows the groups.
//! - a user who is a direct member and also reached through a group stays a direct member
//!   (`memberBy: user`, the ring they were given); adding such a group member directly makes
//!   them a direct member at ring 1, and removing a direct member a group reaches makes them a
//!   group member again. A group member cannot be removed or given a ring directly.
//! - a group member's ring is the lowest ring among the lists that reach them (1 for the
//!   queue's own `memberGroups`, n for ring n's); they join the queue joined.
//! - deleted users are nobody's members; inactive users are.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::Utc;

use super::member_groups::sources;
use super::skill_conditions::NameIndex;
use super::{GroupKind, Member, MemberBy, OrgState, User, UserState};
use crate::audit::{Actor, PropertyChange};

/// Who each group reaches, computed at most once per sync.
#[derive(Default)]
struct Reach {
    names: Option<NameIndex>,
    memo: HashMap<(GroupKind, String), BTreeSet<String>>,
}

impl OrgState {
    /// The users (ids) a group of this kind reaches, deleted users left out.
    fn reach(&self, reach: &mut Reach, kind: GroupKind, id: &str) -> BTreeSet<String> {
        if let Some(found) = reach.memo.get(&(kind, id.to_string())) {
            return found.clone();
        }
        let live = |ids: &BTreeSet<String>| -> BTreeSet<String> {
            ids.iter()
                .filter(|u| {
                    self.users
                        .get(*u)
                        .is_some_and(|u| u.state != UserState::Deleted)
                })
                .cloned()
                .collect()
        };
        let found = match kind {
            GroupKind::Group => self.groups.get(id).map(|g| live(&g.members)),
            GroupKind::Team => self.teams.get(id).map(|t| live(&t.members)),
            GroupKind::SkillGroup => self.skill_groups.get(id).map(|g| {
                let names = reach.names.get_or_insert_with(|| self.condition_names());
                self.users
                    .values()
                    .filter(|u| self.in_skill_group(g, u, names))
                    .map(|u| u.id.clone())
                    .collect()
            }),
        }
        .unwrap_or_default();
        reach.memo.insert((kind, id.to_string()), found.clone());
        found
    }

    /// Whether a group reaches one user (cheaper than [`Self::group_users`] for one user).
    fn reaches(&self, names: &NameIndex, kind: GroupKind, id: &str, user: &User) -> bool {
        if user.state == UserState::Deleted {
            return false;
        }
        match kind {
            GroupKind::Group => self
                .groups
                .get(id)
                .is_some_and(|g| g.members.contains(&user.id)),
            GroupKind::Team => self
                .teams
                .get(id)
                .is_some_and(|t| t.members.contains(&user.id)),
            GroupKind::SkillGroup => self
                .skill_groups
                .get(id)
                .is_some_and(|g| self.in_skill_group(g, user, names)),
        }
    }

    /// Brings one queue's group members in line with its member groups.
    pub(crate) fn sync_group_members(&mut self, actor: &Actor, queue_id: &str) {
        self.sync_queues(actor, &[queue_id.to_string()]);
    }

    /// Brings the group members of the queues that name this group in line.
    pub(crate) fn sync_queues_using(&mut self, actor: &Actor, kind: GroupKind, id: &str) {
        let queues: Vec<String> = self
            .queues
            .values()
            .filter(|q| {
                sources(&q.settings)
                    .iter()
                    .any(|(k, i, _)| *k == kind && i == id)
            })
            .map(|q| q.id.clone())
            .collect();
        self.sync_queues(actor, &queues);
    }

    /// Brings the group members of every queue with skill groups in line: after a change
    /// that can move many users in or out of skill groups (a skill deleted).
    pub(crate) fn sync_skill_group_queues(&mut self, actor: &Actor) {
        let queues: Vec<String> = self
            .queues
            .values()
            .filter(|q| {
                sources(&q.settings)
                    .iter()
                    .any(|(k, _, _)| *k == GroupKind::SkillGroup)
            })
            .map(|q| q.id.clone())
            .collect();
        self.sync_queues(actor, &queues);
    }

    /// Brings every queue's group members in line (the seeding and the generator).
    pub(crate) fn sync_all_group_members(&mut self, actor: &Actor) {
        let queues: Vec<String> = self.queues.keys().cloned().collect();
        self.sync_queues(actor, &queues);
    }

    fn sync_queues(&mut self, actor: &Actor, queue_ids: &[String]) {
        let mut reach = Reach::default();
        for queue_id in queue_ids {
            let Some(queue) = self.queues.get(queue_id) else {
                continue;
            };
            let mut wanted: BTreeMap<String, u8> = queue.opaque_group_members.clone();
            for (kind, id, ring) in sources(&queue.settings) {
                for user in self.reach(&mut reach, kind, &id) {
                    let at = wanted.entry(user).or_insert(ring);
                    *at = (*at).min(ring);
                }
            }
            self.set_group_rows(actor, queue_id, &wanted, None);
        }
    }

    /// Brings one user's group membership of every queue in line: after their skills,
    /// languages or division changed, or they joined or left a group.
    pub(crate) fn sync_user_group_memberships(&mut self, actor: &Actor, user_id: &str) {
        let Some(user) = self.users.get(user_id) else {
            return;
        };
        let names = self.condition_names();
        let mut plans = Vec::new();
        for queue in self.queues.values() {
            let groups = sources(&queue.settings);
            if groups.is_empty() && queue.opaque_group_members.is_empty() {
                continue;
            }
            let mut ring = queue.opaque_group_members.get(user_id).copied();
            for (kind, id, r) in groups {
                if self.reaches(&names, kind, &id, user) {
                    ring = Some(ring.map_or(r, |x| x.min(r)));
                }
            }
            let row = queue.members.get(user_id);
            let settled = match (ring, row) {
                (None, None) => true,
                (None, Some(m)) => m.member_by == MemberBy::User,
                (Some(r), Some(m)) => m.member_by == MemberBy::User || m.ring == r,
                (Some(_), None) => false,
            };
            if !settled {
                let wanted = ring.map(|r| (user_id.to_string(), r)).into_iter().collect();
                plans.push((queue.id.clone(), wanted));
            }
        }
        for (queue_id, wanted) in plans {
            self.set_group_rows(actor, &queue_id, &wanted, Some(user_id));
        }
    }

    /// Adds a user to (`present`) or removes one from a directory group or a team (the
    /// admin's edits: the API subset cannot), then updates the queues it reaches. Answers
    /// whether anything changed.
    pub(crate) fn set_group_member(
        &mut self,
        actor: &Actor,
        kind: GroupKind,
        group_id: &str,
        user_id: &str,
        present: bool,
    ) -> bool {
        let now = Utc::now();
        let changed = match kind {
            GroupKind::Group => self.groups.get_mut(group_id).is_some_and(|g| {
                let changed = toggle(&mut g.members, user_id, present);
                if changed {
                    g.date_modified = now;
                    g.version += 1;
                }
                changed
            }),
            GroupKind::Team => self.teams.get_mut(group_id).is_some_and(|t| {
                let changed = toggle(&mut t.members, user_id, present);
                if changed {
                    t.date_modified = now;
                }
                changed
            }),
            // A skill group's members follow from its conditions.
            GroupKind::SkillGroup => false,
        };
        if changed {
            self.sync_user_group_memberships(actor, user_id);
        }
        changed
    }

    /// Adds, re-rings and removes a queue's group rows so that they are `wanted` (user →
    /// ring); with `only`, only that user's row is looked at. Direct members stay as they are.
    fn set_group_rows(
        &mut self,
        actor: &Actor,
        queue_id: &str,
        wanted: &BTreeMap<String, u8>,
        only: Option<&str>,
    ) {
        let Some(queue) = self.queues.get_mut(queue_id) else {
            return;
        };
        let mut changes: Vec<(&str, Vec<PropertyChange>)> = Vec::new();
        let is_stale =
            |id: &String, m: &Member| m.member_by == MemberBy::Group && !wanted.contains_key(id);
        let stale: Vec<String> = match only {
            Some(user) => queue
                .members
                .get_key_value(user)
                .filter(|(id, m)| is_stale(id, m))
                .map(|(id, _)| vec![id.clone()])
                .unwrap_or_default(),
            None => queue
                .members
                .iter()
                .filter(|(id, m)| is_stale(id, m))
                .map(|(id, _)| id.clone())
                .collect(),
        };
        for id in stale {
            if let Some(m) = queue.members.remove(&id) {
                changes.push(("MemberRemove", member_change(&id, Some(m.ring), None)));
            }
        }
        for (id, ring) in wanted {
            match queue.members.get_mut(id) {
                None => {
                    queue.members.insert(
                        id.clone(),
                        Member {
                            ring: *ring,
                            joined: true,
                            member_by: MemberBy::Group,
                        },
                    );
                    changes.push(("MemberAdd", member_change(id, None, Some(*ring))));
                }
                Some(m) if m.member_by == MemberBy::Group && m.ring != *ring => {
                    changes.push(("MemberUpdate", member_change(id, Some(m.ring), Some(*ring))));
                    m.ring = *ring;
                }
                Some(_) => {}
            }
        }
        if changes.is_empty() {
            return;
        }
        queue.date_modified = Utc::now();
        let name = queue.name.clone();
        for (action, change) in changes {
            self.record(actor, "Queue", queue_id, &name, action, change);
        }
    }
}

/// Adds or removes `id`; whether the set changed.
fn toggle(set: &mut BTreeSet<String>, id: &str, present: bool) -> bool {
    if present {
        set.insert(id.to_string())
    } else {
        set.remove(id)
    }
}

/// The audit properties of a group member's change: the user, the ring before and after, and
/// that the membership is through a group.
fn member_change(user_id: &str, old: Option<u8>, new: Option<u8>) -> Vec<PropertyChange> {
    let user = |present: bool| present.then(|| user_id.to_string());
    vec![
        PropertyChange::new("userId", user(old.is_some()), user(new.is_some())),
        PropertyChange::new(
            "ringNumber",
            old.map(|r| r.to_string()),
            new.map(|r| r.to_string()),
        ),
        PropertyChange::new(
            "memberBy",
            old.map(|_| "group".to_string()),
            new.map(|_| "group".to_string()),
        ),
    ]
}
