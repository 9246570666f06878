//! The org as the simulator holds it, counted: what the request floors are computed from.
//! Taken from the simulator's state, not through the API, so counting costs no request and
//! does not depend on the code under test.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use serde_json::Value;

/// Counts of one org.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Census {
    /// Divisions.
    pub divisions: usize,
    /// Skills, as the skills listing returns them.
    pub skills: usize,
    /// Routing languages.
    pub languages: usize,
    /// Wrap-up codes.
    pub wrapup_codes: usize,
    /// Queues, sorted by name.
    pub queues: Vec<QueueCensus>,
    /// Users, active and inactive (deleted ones are not listed).
    pub users: usize,
    /// Users, by email.
    pub agents: BTreeMap<String, AgentCensus>,
    /// Active users: export with `--capacity` reads each one's utilization.
    pub active_users: usize,
    /// Active users with capacity settings of their own (lower-case emails): an export
    /// writes their `capacity`, so a manifest made by export manages it and a read of it
    /// reads their utilization, one request each.
    pub capacity_agents: BTreeSet<String>,
    /// Skill groups.
    pub skill_groups: usize,
    /// What the queues name by reference.
    pub references: ReferenceCensus,
}

/// What the queues name by reference (`memberGroups`, `queueFlow`), and how many objects
/// of those kinds the org has: what the lookups of a read of those names cost.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReferenceCensus {
    /// The directory groups the queues name, by distinct name.
    pub group_names: usize,
    /// Whether a queue names a team.
    pub names_teams: bool,
    /// The org's teams.
    pub teams: usize,
    /// Whether a queue names an in-queue call flow.
    pub names_call_flows: bool,
    /// The org's in-queue call flows (not deleted).
    pub call_flows: usize,
}

/// One queue.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueueCensus {
    /// Its name.
    pub name: String,
    /// Its members' emails, direct and through groups (what its member listing returns).
    pub members: Vec<String>,
    /// Its direct members' emails (what a manifest lists and apply adds).
    pub direct_members: Vec<String>,
    /// Direct members in a ring other than 1.
    pub outer_ring_members: usize,
    /// Its wrap-up codes.
    pub wrapup_codes: usize,
}

/// One user's routing attributes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AgentCensus {
    /// Skill name → proficiency.
    pub skills: BTreeMap<String, f64>,
    /// Routing languages.
    pub languages: usize,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct State {
    divisions: BTreeMap<String, Value>,
    skills: BTreeMap<String, Named>,
    languages: BTreeMap<String, Named>,
    wrapup_codes: BTreeMap<String, Value>,
    users: BTreeMap<String, UserRow>,
    queues: BTreeMap<String, QueueRow>,
    #[serde(default)]
    skill_groups: BTreeMap<String, Value>,
    #[serde(default)]
    groups: BTreeMap<String, Named>,
    #[serde(default)]
    teams: BTreeMap<String, Value>,
    #[serde(default)]
    flows: BTreeMap<String, FlowRow>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FlowRow {
    flow_type: String,
    deleted: bool,
}

#[derive(Deserialize)]
struct Named {
    name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UserRow {
    email: String,
    state: String,
    skills: BTreeMap<String, f64>,
    languages: BTreeMap<String, f64>,
    /// The user's own utilization, `null` when the org default applies.
    #[serde(default)]
    utilization: Option<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct QueueRow {
    name: String,
    members: BTreeMap<String, MemberRow>,
    wrapup_codes: BTreeSet<String>,
    /// The queue's writable fields, as written.
    #[serde(default)]
    settings: serde_json::Map<String, Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MemberRow {
    ring: u8,
    /// `user` (direct) or `group`.
    member_by: String,
}

/// The simulator's state did not have the expected shape.
#[derive(Debug, thiserror::Error)]
#[error("the simulator's state could not be counted: {0}")]
pub struct CensusError(String);

/// What the queues of `state` name, and the org's objects of those kinds.
fn references(state: &State) -> ReferenceCensus {
    let groups = state
        .queues
        .values()
        .filter_map(|q| q.settings.get("memberGroups")?.as_array())
        .flatten();
    let of_type = |kind: &'static str| {
        groups
            .clone()
            .filter(move |g| g.get("type").and_then(Value::as_str) == Some(kind))
            .filter_map(|g| g.get("id")?.as_str())
    };
    let group_names: BTreeSet<&str> = of_type("GROUP")
        .filter_map(|id| Some(state.groups.get(id)?.name.as_str()))
        .collect();
    ReferenceCensus {
        group_names: group_names.len(),
        names_teams: of_type("TEAM").next().is_some(),
        teams: state.teams.len(),
        names_call_flows: state
            .queues
            .values()
            .any(|q| q.settings.contains_key("queueFlow")),
        call_flows: state
            .flows
            .values()
            .filter(|f| f.flow_type == "INQUEUECALL" && !f.deleted)
            .count(),
    }
}

impl Census {
    /// Counts the org in a simulator snapshot ([`switchboard_sim::RunningSim::snapshot`]).
    pub fn of(snapshot: &Value) -> Result<Census, CensusError> {
        let state = State::deserialize(snapshot).map_err(|e| CensusError(e.to_string()))?;
        let skill_names: BTreeMap<&str, &str> = state
            .skills
            .iter()
            .map(|(id, s)| (id.as_str(), s.name.as_str()))
            .collect();
        let emails: BTreeMap<&str, &str> = state
            .users
            .iter()
            .map(|(id, u)| (id.as_str(), u.email.as_str()))
            .collect();
        let mut queues: Vec<QueueCensus> = state
            .queues
            .values()
            .map(|q| QueueCensus {
                name: q.name.clone(),
                members: q
                    .members
                    .keys()
                    .filter_map(|id| emails.get(id.as_str()).map(|e| e.to_string()))
                    .collect(),
                direct_members: q
                    .members
                    .iter()
                    .filter(|(_, m)| m.member_by == "user")
                    .filter_map(|(id, _)| emails.get(id.as_str()).map(|e| e.to_string()))
                    .collect(),
                outer_ring_members: q
                    .members
                    .values()
                    .filter(|m| m.member_by == "user" && m.ring != 1)
                    .count(),
                wrapup_codes: q.wrapup_codes.len(),
            })
            .collect();
        queues.sort_by(|a, b| a.name.cmp(&b.name));
        let listed: Vec<&UserRow> = state
            .users
            .values()
            .filter(|u| u.state != "deleted")
            .collect();
        Ok(Census {
            divisions: state.divisions.len(),
            skills: state.skills.len(),
            languages: state.languages.len(),
            wrapup_codes: state.wrapup_codes.len(),
            skill_groups: state.skill_groups.len(),
            references: references(&state),
            users: listed.len(),
            active_users: listed.iter().filter(|u| u.state == "active").count(),
            capacity_agents: listed
                .iter()
                .filter(|u| u.state == "active" && u.utilization.is_some())
                .map(|u| u.email.to_lowercase())
                .collect(),
            agents: listed
                .iter()
                .map(|u| {
                    let skills = u
                        .skills
                        .iter()
                        .filter_map(|(id, p)| Some((skill_names.get(id.as_str())?.to_string(), *p)))
                        .collect();
                    (
                        u.email.clone(),
                        AgentCensus {
                            skills,
                            languages: u.languages.len(),
                        },
                    )
                })
                .collect(),
            queues,
        })
    }

    /// Queue memberships in all.
    pub fn memberships(&self) -> usize {
        self.queues.iter().map(|q| q.members.len()).sum()
    }
}
