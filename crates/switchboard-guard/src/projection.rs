//! The org before the plan and as it would be after it: each queue's members, and each
//! member's skills, from the live snapshot and the plan's changes. Both guards read it.
//!
//! A change that safety policy refused before the guards run (protect, blast radius,
//! dependency) does not happen, so it is left out of "after". A change the guards refuse
//! themselves is still counted: the guards judge the plan as written.

use std::collections::{BTreeMap, BTreeSet};

use switchboard_manifest::Live;
use switchboard_manifest::live::{LiveMember, LiveUser};
use switchboard_manifest::model::Queue;
use switchboard_plan::{Action, Change, ElementOp, Plan, ResourceKind};

use crate::groups::{self, GroupChange};

/// What the plan and the snapshot say, indexed once.
#[derive(Debug)]
pub(crate) struct Projection<'a> {
    plan: &'a Plan,
    live: &'a Live,
    /// Every user read, by id: the named users (with their email) and the members' users.
    users: BTreeMap<&'a str, KnownUser<'a>>,
    /// Skill id → the name it counts as (a replaced skill's old id counts as the new name).
    skill_names: BTreeMap<&'a str, &'a str>,
    /// User id → the index of the plan's change of that agent's skills.
    agent_skills: BTreeMap<&'a str, usize>,
}

#[derive(Debug, Clone, Copy)]
struct KnownUser<'a> {
    user: &'a LiveUser,
    email: Option<&'a str>,
}

/// Whether and how a queue exists in the org.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LiveState {
    /// The plan creates it.
    Absent,
    /// It exists but its members were not read (`mode: ignore`, or not managed).
    Unread,
    /// It exists and its members are known.
    Read,
}

/// One queue's members before and after the plan, by user id.
#[derive(Debug, Clone)]
pub(crate) struct Membership {
    /// Whether the queue exists live, and whether its members were read.
    pub state: LiveState,
    /// The members now (direct and through groups).
    pub before: BTreeMap<String, Member>,
    /// The members once the plan's member change runs.
    pub after: BTreeMap<String, Member>,
    /// The index of the plan's change of the queue's members, refused or not.
    pub change: Option<usize>,
    /// The index of the plan's change of the queue's member groups (a change of the queue's
    /// settings), refused or not.
    pub group_change: Option<usize>,
    /// Members the group change takes out: through a skill group it removes, and neither a
    /// direct member nor in a skill group the queue keeps.
    pub left_by_groups: BTreeSet<String>,
    /// The groups the group change adds or removes whose members could not be counted, each
    /// with why (see `crate::groups`).
    pub uncounted: Vec<String>,
    /// Skill group ids whose members the guards need and have not read yet.
    pub to_read: BTreeSet<String>,
}

/// What the guards need to know of one member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Member {
    /// Joined to the queue (members the plan adds start joined).
    pub joined: bool,
    /// How messages name the member: email, else name, else id.
    pub label: String,
}

impl<'a> Projection<'a> {
    /// Indexes `plan` and `live`.
    pub fn new(plan: &'a Plan, live: &'a Live) -> Projection<'a> {
        let mut users: BTreeMap<&str, KnownUser<'_>> = live
            .users
            .iter()
            .map(|(email, user)| {
                let email = Some(email.as_str());
                (user.id.as_str(), KnownUser { user, email })
            })
            .collect();
        // A member user read for the guards has its skills even where the snapshot's copy
        // of a named user does not (the snapshot reads skills only when agents are managed).
        for user in live.member_users.values() {
            users
                .entry(user.id.as_str())
                .and_modify(|known| known.user = user)
                .or_insert(KnownUser { user, email: None });
        }
        Projection {
            plan,
            live,
            skill_names: skill_names(plan, live),
            agent_skills: agent_skills(plan, live),
            users,
        }
    }

    /// Whether the plan has any change of the queue's settings, members or wrap-up codes.
    pub fn changes_queue(&self, name: &str) -> bool {
        self.plan.changes.iter().any(|c| {
            c.address.name == name
                && matches!(
                    c.address.kind,
                    ResourceKind::Queue
                        | ResourceKind::QueueMembers
                        | ResourceKind::QueueWrapupCodes
                )
        })
    }

    /// The plan being judged.
    pub fn plan(&self) -> &'a Plan {
        self.plan
    }

    /// Whether the plan changes the capacity of any of these users (by id).
    pub fn changes_capacity_of<'u>(&self, mut ids: impl Iterator<Item = &'u String>) -> bool {
        ids.any(|id| {
            self.plan.runnable().any(|c| {
                c.address.kind == ResourceKind::AgentCapacity && c.id.as_deref() == Some(id)
            })
        })
    }

    /// Whether the plan changes the skills of any of these users.
    pub fn changes_skills_of<'u>(&self, mut ids: impl Iterator<Item = &'u String>) -> bool {
        ids.any(|id| self.agent_skills.contains_key(id.as_str()))
    }

    /// Whether the user was read (named by the manifest, or read as a member).
    pub fn knows(&self, id: &str) -> bool {
        self.users.contains_key(id)
    }

    /// Whether the user was read for the guards (`live.member_users`).
    pub fn read_as_member(&self, id: &str) -> bool {
        self.live.member_users.contains_key(id)
    }

    /// Whether the user is active; an unknown user is not.
    pub fn is_active(&self, id: &str) -> bool {
        self.users
            .get(id)
            .is_some_and(|known| known.user.state == "active")
    }

    /// The queue's members before and after the plan.
    pub fn membership(&self, queue: &Queue) -> Membership {
        let change = self.plan.changes.iter().position(|c| {
            c.address.kind == ResourceKind::QueueMembers && c.address.name == queue.name
        });
        let (state, before) = match self.live_queue(queue) {
            None => (LiveState::Absent, BTreeMap::new()),
            Some(live) => match &live.members {
                None => (LiveState::Unread, BTreeMap::new()),
                Some(members) => (LiveState::Read, self.members(members)),
            },
        };
        let mut after = before.clone();
        let members_change = change.and_then(|i| self.running(i));
        if let Some(running) = members_change {
            self.apply_members(running, &mut after);
        }
        let group_change = self.plan.changes.iter().position(|c| {
            c.address.kind == ResourceKind::Queue
                && c.address.name == queue.name
                && c.attributes.iter().any(|a| a.path == groups::MEMBER_GROUPS)
        });
        let mut expansion = GroupChange::default();
        let mut left_by_groups = BTreeSet::new();
        if let Some(running) = group_change.and_then(|i| self.running(i)) {
            expansion = groups::expand(self.plan, self.live, running);
            let direct = self.direct_after(queue, members_change);
            for id in &expansion.leaving {
                if !direct.contains(id) && after.remove(id).is_some() {
                    left_by_groups.insert(id.clone());
                }
            }
            for id in &expansion.joining {
                left_by_groups.remove(id);
                after.entry(id.clone()).or_insert_with(|| Member {
                    joined: true,
                    label: self.label(id, None, None),
                });
            }
        }
        Membership {
            state,
            before,
            after,
            change,
            group_change,
            left_by_groups,
            uncounted: expansion.uncounted,
            to_read: expansion.to_read,
        }
    }

    /// The queue's direct members once the plan's member change (`members_change`, when it
    /// runs) has run.
    fn direct_after(&self, queue: &Queue, members_change: Option<&Change>) -> BTreeSet<String> {
        let mut direct: BTreeSet<String> = self
            .live_queue(queue)
            .and_then(|q| q.members.as_ref())
            .into_iter()
            .flatten()
            .filter(|m| !m.by_group)
            .map(|m| m.user_id.clone())
            .collect();
        for element in members_change.iter().flat_map(|c| &c.elements) {
            let Some(id) = &element.id else { continue };
            match element.op {
                ElementOp::Remove => {
                    direct.remove(id);
                }
                ElementOp::Add => {
                    direct.insert(id.clone());
                }
                ElementOp::Update => {}
            }
        }
        direct
    }

    /// The live queue behind a manifest queue: under its name, or a former one.
    fn live_queue(&self, queue: &Queue) -> Option<&'a switchboard_manifest::live::LiveQueue> {
        std::iter::once(&queue.name)
            .chain(&queue.renamed_from)
            .find_map(|name| self.live.queues.get(name))
    }

    fn members(&self, members: &[LiveMember]) -> BTreeMap<String, Member> {
        let mut out: BTreeMap<String, Member> = BTreeMap::new();
        for member in members {
            let joined = member.joined != Some(false);
            out.entry(member.user_id.clone())
                .and_modify(|m| m.joined |= joined)
                .or_insert_with(|| Member {
                    joined,
                    label: self.label(&member.user_id, Some(member), None),
                });
        }
        out
    }

    fn apply_members(&self, change: &Change, members: &mut BTreeMap<String, Member>) {
        for element in &change.elements {
            let Some(id) = &element.id else { continue };
            match element.op {
                ElementOp::Remove => {
                    members.remove(id);
                }
                ElementOp::Add => {
                    let label = self.label(id, None, Some(&element.key));
                    members.insert(
                        id.clone(),
                        Member {
                            joined: true,
                            label,
                        },
                    );
                }
                ElementOp::Update => {}
            }
        }
    }

    /// How to name a user: the email the manifest knows them by, the member listing's
    /// email or name, the plan's key, or the id.
    fn label(&self, id: &str, member: Option<&LiveMember>, key: Option<&str>) -> String {
        self.users
            .get(id)
            .and_then(|known| known.email.map(str::to_string))
            .or_else(|| {
                member
                    .and_then(|m| m.email.as_ref())
                    .map(|e| e.to_lowercase())
            })
            .or_else(|| member.and_then(|m| m.name.clone()))
            .or_else(|| key.map(str::to_string))
            .unwrap_or_else(|| id.to_string())
    }

    /// Whether the change at `index` will run: safety policy did not refuse it.
    pub fn runs(&self, index: usize) -> bool {
        self.running(index).is_some()
    }

    /// The change at `index`, unless safety policy refused it already.
    fn running(&self, index: usize) -> Option<&'a Change> {
        self.plan.changes.get(index).filter(|c| c.refused.is_none())
    }

    /// The index of the plan's change of the user's skills, refused or not.
    pub fn skills_change(&self, id: &str) -> Option<usize> {
        self.agent_skills.get(id).copied()
    }

    /// The user's skills now, by the name each counts as, with proficiency.
    pub fn skills_before(&self, id: &str) -> BTreeMap<String, f64> {
        let Some(known) = self.users.get(id) else {
            return BTreeMap::new();
        };
        let mut skills: BTreeMap<String, f64> = BTreeMap::new();
        for (skill_id, proficiency) in &known.user.skills {
            if let Some(name) = self.skill_names.get(skill_id.as_str()) {
                let held = skills.entry((*name).to_string()).or_insert(*proficiency);
                *held = held.max(*proficiency);
            }
        }
        skills
    }

    /// The user's skills once the plan's change of them runs.
    pub fn skills_after(&self, id: &str) -> BTreeMap<String, f64> {
        let mut skills = self.skills_before(id);
        let change = self.skills_change(id).and_then(|i| self.running(i));
        for element in change.iter().flat_map(|c| &c.elements) {
            match element.op {
                ElementOp::Remove => {
                    skills.remove(&element.key);
                }
                ElementOp::Add | ElementOp::Update => {
                    if let Some(p) = element.after.as_ref().and_then(serde_json::Value::as_f64) {
                        skills.insert(element.key.clone(), p);
                    }
                }
            }
        }
        skills
    }
}

/// Skill id → name, with each replace that will run mapping the old id to the new name.
fn skill_names<'a>(plan: &'a Plan, live: &'a Live) -> BTreeMap<&'a str, &'a str> {
    let mut names: BTreeMap<&str, &str> = live
        .skills
        .iter()
        .map(|(name, skill)| (skill.id.as_str(), name.as_str()))
        .collect();
    let replaces = plan.changes.iter().filter(|c| {
        c.address.kind == ResourceKind::Skill && c.action == Action::Replace && c.refused.is_none()
    });
    for change in replaces {
        if let Some(old) = &change.id {
            names.insert(old.as_str(), change.address.name.as_str());
        }
    }
    names
}

/// User id → the index of the change of that agent's skills.
fn agent_skills<'a>(plan: &'a Plan, live: &'a Live) -> BTreeMap<&'a str, usize> {
    plan.changes
        .iter()
        .enumerate()
        .filter(|(_, c)| c.address.kind == ResourceKind::AgentSkills)
        .filter_map(|(index, change)| {
            let id = change
                .id
                .as_deref()
                .or_else(|| live.users.get(&change.address.name).map(|u| u.id.as_str()))?;
            Some((id, index))
        })
        .collect()
}

impl Membership {
    /// Every user id that is a member before or after.
    pub fn everyone(&self) -> BTreeSet<&String> {
        self.before.keys().chain(self.after.keys()).collect()
    }

    /// A warning per group whose members the guards could not count, about queue `queue`.
    pub fn uncounted_warnings(&self, queue: &str) -> Vec<switchboard_plan::Warning> {
        self.uncounted
            .iter()
            .map(|why| {
                switchboard_plan::Warning::new(
                    format!("queue {queue:?}"),
                    format!(
                        "the guards do not count the members the plan's member group change brings or takes through {why}"
                    ),
                )
            })
            .collect()
    }

    /// The changes that take members out that the guards would refuse, of those that run:
    /// the member change when it removes one of `lost` (or anyone, when `lost` is empty),
    /// the group change when one of `lost` leaves through it. When neither does, the member
    /// change, else the group change (the changes that shape the queue's membership).
    pub fn refusable(&self, projection: &Projection<'_>, lost: &BTreeSet<&String>) -> Vec<usize> {
        let runs = |index: &usize| projection.runs(*index);
        let through_groups = lost.iter().any(|id| self.left_by_groups.contains(*id));
        let directly = lost.is_empty() || lost.iter().any(|id| !self.left_by_groups.contains(*id));
        let mut out: Vec<usize> = Vec::new();
        if directly && let Some(index) = self.change.filter(runs) {
            out.push(index);
        }
        if through_groups && let Some(index) = self.group_change.filter(runs) {
            out.push(index);
        }
        if out.is_empty()
            && let Some(index) = self.change.filter(runs).or(self.group_change.filter(runs))
        {
            out.push(index);
        }
        out
    }
}
