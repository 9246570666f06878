//! The org as the simulator holds it, counted: what the request floors are computed from.
//! Taken from the simulator's state, not through the API, so counting costs no request and
//! does not depend on the code under test.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use serde_json::Value;
use switchboard_client::api::{
    email_domains, libraries, message_recipients, sms_numbers, telephony,
};

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
    /// The org's flows (not deleted) of the types the queues name, all read in one listing.
    pub flows: usize,
    /// Per other kind the queues name (libraries, SMS numbers, Open Messaging and WhatsApp
    /// recipients, edge groups, sites, email domains): how many the org lists and the page
    /// size, each kind in a listing of its own.
    pub listings: Vec<(usize, u32)>,
    /// The inbound routes of each email domain the queues' addresses name (one listing per
    /// domain, `email_domains::PAGE_SIZE` a page).
    pub routes: Vec<usize>,
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
    #[serde(default)]
    canned_response_libraries: BTreeMap<String, Value>,
    #[serde(default)]
    sms_numbers: BTreeMap<String, Value>,
    #[serde(default)]
    message_recipients: BTreeMap<String, RecipientRow>,
    #[serde(default)]
    edge_groups: BTreeMap<String, Value>,
    #[serde(default)]
    sites: BTreeMap<String, Value>,
    #[serde(default)]
    email_domains: BTreeMap<String, DomainRow>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RecipientRow {
    messenger_type: String,
}

#[derive(Deserialize)]
struct DomainRow {
    id: String,
    routes: BTreeMap<String, Value>,
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
    let settings = || state.queues.values().map(|q| &q.settings);
    let at = |pointer: &'static str| {
        settings().filter_map(move |s| Value::Object(s.clone()).pointer(pointer).cloned())
    };
    // Groups: the queues' own and those conditional group activation turns on.
    let groups: Vec<Value> = settings()
        .filter_map(|s| s.get("memberGroups")?.as_array().cloned())
        .flatten()
        .chain(
            at("/conditionalGroupActivation/rules")
                .filter_map(|rules| rules.as_array().cloned())
                .flatten()
                .filter_map(|rule| rule.get("groups")?.as_array().cloned())
                .flatten(),
        )
        .collect();
    let of_type = |kind: &'static str| {
        groups
            .iter()
            .filter(move |g| g.get("type").and_then(Value::as_str) == Some(kind))
            .filter_map(|g| g.get("id")?.as_str())
    };
    let group_names: BTreeSet<&str> = of_type("GROUP")
        .filter_map(|id| Some(state.groups.get(id)?.name.as_str()))
        .collect();
    // Flows: one listing of every type a queue names.
    let mut flow_types: BTreeSet<&str> = BTreeSet::new();
    for (pointer, kind) in [
        ("/queueFlow", "INQUEUECALL"),
        ("/emailInQueueFlow", "INQUEUEEMAIL"),
        ("/messageInQueueFlow", "INQUEUESHORTMESSAGE"),
        ("/mediaSettings/callback/liveVoiceFlow", "INBOUNDCALL"),
        (
            "/mediaSettings/callback/answeringMachineFlow",
            "INBOUNDCALL",
        ),
        (
            "/mediaSettings/message/inactivityTimeoutSettings/flowId",
            "INBOUNDSHORTMESSAGE",
        ),
    ] {
        if at(pointer).next().is_some() {
            flow_types.insert(kind);
        }
    }
    let flows = state
        .flows
        .values()
        .filter(|f| flow_types.contains(f.flow_type.as_str()) && !f.deleted)
        .count();
    // The other kinds, each listed whole when a queue names one.
    let recipients = |kind: &str| {
        state
            .message_recipients
            .values()
            .filter(|r| r.messenger_type == kind)
            .count()
    };
    let mut listings = Vec::new();
    for (pointer, count, page) in [
        (
            "/cannedResponseLibraries/libraryIds/0",
            state.canned_response_libraries.len(),
            libraries::PAGE_SIZE,
        ),
        (
            "/outboundMessagingAddresses/smsAddress",
            state.sms_numbers.len(),
            sms_numbers::PAGE_SIZE,
        ),
        (
            "/outboundMessagingAddresses/openMessagingRecipient",
            recipients("open"),
            message_recipients::PAGE_SIZE,
        ),
        (
            "/outboundMessagingAddresses/whatsAppRecipient",
            recipients("whatsapp"),
            message_recipients::PAGE_SIZE,
        ),
        (
            "/mediaSettings/callback/edgeGroup",
            state.edge_groups.len(),
            telephony::PAGE_SIZE,
        ),
        (
            "/mediaSettings/callback/site",
            state.sites.len(),
            telephony::PAGE_SIZE,
        ),
    ] {
        if at(pointer).next().is_some() {
            listings.push((count, page));
        }
    }
    // Email: the domains' listing, then the routes of each domain an address names.
    let domains: BTreeSet<String> = at("/outboundEmailAddress")
        .chain(
            at("/mediaSettings/email/allOutboundEmailAddresses")
                .filter_map(|all| all.as_array().cloned())
                .flatten(),
        )
        .filter_map(|a| Some(a.pointer("/domain/id")?.as_str()?.to_ascii_lowercase()))
        .collect();
    let mut routes = Vec::new();
    if !domains.is_empty() {
        listings.push((state.email_domains.len(), email_domains::PAGE_SIZE));
        routes = state
            .email_domains
            .values()
            .filter(|d| domains.contains(&d.id.to_ascii_lowercase()))
            .map(|d| d.routes.len())
            .collect();
    }
    ReferenceCensus {
        group_names: group_names.len(),
        names_teams: of_type("TEAM").next().is_some(),
        teams: state.teams.len(),
        flows,
        listings,
        routes,
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
