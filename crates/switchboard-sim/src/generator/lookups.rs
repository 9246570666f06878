//! The generated objects a queue references, in numbers that grow with the queue count `n`:
//! `n/5` in-queue flows of each in-queue type (call, email, message) and `⌈n/20⌉` inbound call
//! flows, `24 + n/50` user prompts, `n/25` scripts, `n/10` directory groups and `n/10` teams
//! (members drawn from the generated users), `n/20` skill groups of one to three skill
//! conditions over the generated skills, and member groups (one or two) and an in-queue call
//! flow on `memberGroupPercent` percent of the queues. None when `n` is 0. `n` is the queue
//! count, or `lookupsForQueues` when given (an org of users only keeps what a manifest
//! names).

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::index::sample;
use serde_json::{Value, json};

use super::{DEPARTMENTS, LAST, LOCALES, SKILL_WORDS, unique};
use crate::ids;
use crate::org::{DirectoryGroup, Flow, GroupKind, OrgState, Prompt, Script, Team};

/// What the generated lookups are made from.
pub(super) struct Inputs<'a> {
    pub ns: &'a uuid::Uuid,
    pub now: DateTime<Utc>,
    pub division: &'a str,
    pub queues: &'a [String],
    /// The `n` the counts grow with.
    pub lookups_for_queues: usize,
    pub users: &'a [String],
    pub skills: &'a [String],
    pub member_group_percent: u8,
}

/// A generated flow type: its `Flow.type`, the name its flows get, and one flow per how
/// many queues (rounded down; up for inbound flows, so that there is always one).
struct FlowKind {
    kind: &'static str,
    label: &'static str,
    per_queues: usize,
}

const FLOWS: [FlowKind; 5] = [
    FlowKind {
        kind: "INQUEUECALL",
        label: "In-Queue Call",
        per_queues: 5,
    },
    FlowKind {
        kind: "INQUEUEEMAIL",
        label: "In-Queue Email",
        per_queues: 5,
    },
    FlowKind {
        kind: "INQUEUESHORTMESSAGE",
        label: "In-Queue Message",
        per_queues: 5,
    },
    FlowKind {
        kind: "INBOUNDCALL",
        label: "Inbound Call",
        per_queues: 20,
    },
    // What a message inactivity timeout sends a conversation to ("routed to another
    // messaging flow", the admin guide's "Disconnect or reroute inactive messaging
    // conversations"): an inbound message flow.
    FlowKind {
        kind: "INBOUNDSHORTMESSAGE",
        label: "Inbound Message",
        per_queues: 20,
    },
];

impl FlowKind {
    fn count(&self, n: usize) -> usize {
        if self.kind.starts_with("INBOUND") {
            n.div_ceil(self.per_queues)
        } else {
            n / self.per_queues
        }
    }
}

fn dept(i: usize) -> String {
    format!(
        "{} {}",
        DEPARTMENTS[i % DEPARTMENTS.len()],
        LOCALES[(i / DEPARTMENTS.len()) % LOCALES.len()]
    )
}

/// Adds flows, prompts, scripts, groups, teams and skill groups, then member groups to some
/// queues; the caller brings the queues' group members in line.
pub(super) fn generate_lookups(org: &mut OrgState, rng: &mut StdRng, x: &Inputs<'_>) {
    let n = x.lookups_for_queues;
    if n == 0 {
        return;
    }
    // In-queue call flows, (id, name): a queue's `queueFlow` names one as the API answers it.
    let mut call_flows: Vec<(String, String)> = Vec::new();
    for flow_kind in &FLOWS {
        let FlowKind { kind, label, .. } = flow_kind;
        let mut taken: BTreeSet<String> = org
            .flows
            .values()
            .filter(|f| f.flow_type == *kind)
            .map(|f| f.name.to_lowercase())
            .collect();
        for i in 0..flow_kind.count(n) {
            let name = unique(&mut taken, format!("{} {label} {:04}", dept(i), i + 1), i);
            let id = ids::derived(x.ns, &format!("flow:{kind}"), &name);
            let flow = Flow {
                id: id.clone(),
                name,
                flow_type: kind.to_string(),
                division_id: x.division.to_string(),
                description: None,
                active: true,
                system: false,
                deleted: false,
            };
            if *kind == "INQUEUECALL" {
                call_flows.push((id.clone(), flow.name.clone()));
            }
            org.flows.insert(id, flow);
        }
    }
    let mut taken: BTreeSet<String> = org
        .prompts
        .values()
        .map(|p| p.name.to_lowercase())
        .collect();
    for i in 0..24 + n / 50 {
        let word = if i % 2 == 0 { "Whisper" } else { "On Hold" };
        let name = unique(
            &mut taken,
            format!("{word} {} {:03}", dept(i / 2), i + 1),
            i,
        );
        let id = ids::derived(x.ns, "prompt", &name);
        let prompt = Prompt {
            id: id.clone(),
            name,
            description: None,
            division_id: x.division.to_string(),
        };
        org.prompts.insert(id, prompt);
    }
    let mut taken: BTreeSet<String> = org
        .scripts
        .values()
        .map(|s| s.name.to_lowercase())
        .collect();
    for i in 0..n / 25 {
        let name = unique(&mut taken, format!("{} Script {:04}", dept(i), i + 1), i);
        let id = ids::derived(x.ns, "script", &name);
        let script = Script {
            id: id.clone(),
            name,
            division_id: x.division.to_string(),
            published: i % 5 != 4,
            date_created: x.now,
            date_modified: x.now,
        };
        org.scripts.insert(id, script);
    }
    let groups = generate_groups(org, rng, x, n / 10);
    let teams = generate_teams(org, rng, x, n / 10);
    let skill_groups = generate_skill_groups(org, rng, x, n / 20);
    let pool: Vec<(GroupKind, &String)> = groups
        .iter()
        .map(|g| (GroupKind::Group, g))
        .chain(teams.iter().map(|t| (GroupKind::Team, t)))
        .chain(skill_groups.iter().map(|s| (GroupKind::SkillGroup, s)))
        .collect();
    if pool.is_empty() {
        return;
    }
    for queue_id in x.queues {
        if rng.random_range(0..100u8) >= x.member_group_percent {
            continue;
        }
        let count = rng.random_range(1..=2usize).min(pool.len());
        let picked: Vec<Value> = sample(rng, pool.len(), count)
            .into_iter()
            .map(|i| json!({"id": pool[i].1, "type": pool[i].0.wire()}))
            .collect();
        let flow = (!call_flows.is_empty()).then(|| {
            let (id, name) = &call_flows[rng.random_range(0..call_flows.len())];
            json!({"id": id, "name": name})
        });
        if let Some(queue) = org.queues.get_mut(queue_id) {
            queue
                .settings
                .insert("memberGroups".into(), Value::Array(picked));
            if let Some(flow) = flow {
                queue.settings.insert("queueFlow".into(), flow);
            }
        }
    }
}

/// `size` users drawn from the generated ones.
fn draw(rng: &mut StdRng, users: &[String], size: usize) -> BTreeSet<String> {
    sample(rng, users.len(), size.min(users.len()))
        .into_iter()
        .map(|i| users[i].clone())
        .collect()
}

fn generate_groups(
    org: &mut OrgState,
    rng: &mut StdRng,
    x: &Inputs<'_>,
    count: usize,
) -> Vec<String> {
    let mut taken: BTreeSet<String> = org.groups.values().map(|g| g.name.to_lowercase()).collect();
    let mut created = Vec::with_capacity(count);
    for i in 0..count {
        let name = unique(&mut taken, format!("{} Agents {:04}", dept(i), i + 1), i);
        let id = ids::derived(x.ns, "group", &name);
        let size = rng.random_range(5..=25usize);
        let group = DirectoryGroup {
            id: id.clone(),
            name,
            description: None,
            members: draw(rng, x.users, size),
            date_modified: x.now,
            version: 1,
        };
        org.groups.insert(id.clone(), group);
        created.push(id);
    }
    created
}

fn generate_teams(
    org: &mut OrgState,
    rng: &mut StdRng,
    x: &Inputs<'_>,
    count: usize,
) -> Vec<String> {
    let mut taken: BTreeSet<String> = org.teams.values().map(|t| t.name.to_lowercase()).collect();
    let mut created = Vec::with_capacity(count);
    for i in 0..count {
        let name = unique(
            &mut taken,
            format!("Team {} {:04}", LAST[i % LAST.len()], i + 1),
            i,
        );
        let id = ids::derived(x.ns, "team", &name);
        let size = rng.random_range(5..=15usize);
        let team = Team {
            id: id.clone(),
            name,
            division_id: x.division.to_string(),
            description: None,
            members: draw(rng, x.users, size),
            date_created: x.now,
            date_modified: x.now,
        };
        org.teams.insert(id.clone(), team);
        created.push(id);
    }
    created
}

/// Skill groups of one condition: one to three skills at a least proficiency, any of them
/// (`Or`) when there are several.
fn generate_skill_groups(
    org: &mut OrgState,
    rng: &mut StdRng,
    x: &Inputs<'_>,
    count: usize,
) -> Vec<String> {
    if x.skills.is_empty() {
        return Vec::new();
    }
    let mut taken: BTreeSet<String> = org
        .skill_groups
        .values()
        .map(|g| g.name.to_lowercase())
        .collect();
    let mut created = Vec::with_capacity(count);
    for i in 0..count {
        let name = unique(
            &mut taken,
            format!(
                "{} Experts {:04}",
                SKILL_WORDS[i % SKILL_WORDS.len()],
                i + 1
            ),
            i,
        );
        let k = rng.random_range(1..=3usize).min(x.skills.len());
        let routing: Vec<(String, i64)> = sample(rng, x.skills.len(), k)
            .into_iter()
            .map(|s| {
                let skill = org
                    .skills
                    .get(&x.skills[s])
                    .map(|a| a.name.clone())
                    .unwrap_or_default();
                (skill, rng.random_range(1..=3i64))
            })
            .collect();
        let id = ids::derived(x.ns, "skillgroup", &name);
        org.insert_generated_skill_group(id.clone(), name, x.division, &routing, x.now);
        created.push(id);
    }
    created
}
