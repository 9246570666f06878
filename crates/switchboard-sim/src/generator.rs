//! Large generated orgs, for paging and performance tests and benchmarks. Everything comes
//! from one seeded RNG and name-derived ids, so the same spec always gives the same org.
//! The objects queues reference (flows, prompts, scripts, groups, teams, skill groups) are in
//! `lookups`, drawn after everything else so that they change nothing before them; those
//! their other settings reference (libraries, email domains, SMS numbers, recipients, edge
//! groups, sites) in `setting_lookups`, which draws nothing, and the settings that name them
//! in `queue_settings`, which draws from an RNG of its own.

mod lookups;
mod queue_settings;
mod setting_lookups;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use rand::rngs::StdRng;
use rand::seq::index::sample;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::ids;
use crate::org::{Attribute, Member, MemberBy, OrgState, Queue, User, UserState, WrapupCode};

/// The size and seed of a generated org part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct GeneratorSpec {
    /// The RNG seed; the same seed gives the same names, ids and assignments.
    pub seed: u64,
    /// Queues to create.
    pub queues: usize,
    /// Users to create.
    pub users: usize,
    /// Skills to create.
    pub skills: usize,
    /// Routing languages to create.
    pub languages: usize,
    /// Wrap-up codes to create.
    pub wrapup_codes: usize,
    /// Queue member rows in total, spread evenly over the queues.
    pub memberships: usize,
    /// Wrap-up codes on each queue.
    pub wrapup_codes_per_queue: usize,
    /// Skills assigned to each user.
    pub skills_per_user: usize,
    /// The share of queues, in percent (0–100), given one or two member groups (directory
    /// groups, teams or skill groups), whose users become members with `memberBy: group`,
    /// and an in-queue call flow (`queueFlow`). Flows, prompts, scripts, groups, teams and
    /// skill groups are generated in numbers that grow with the queue count (see the
    /// module); 0 leaves every queue without member groups and flow.
    pub member_group_percent: u8,
    /// The share of queues, in percent (0–100), given the settings that reference other
    /// objects: a default media language and, each on its own chance, customer-first
    /// callbacks with flows, message sub-type settings and inactivity timeout, outbound email
    /// and messaging addresses, canned-response libraries, direct and agent-owned routing,
    /// and conditional group activation (see `generator/queue_settings.rs`). Drawn from an
    /// RNG of its own: 0, the default, changes nothing else.
    #[serde(skip_serializing_if = "is_zero")]
    pub queue_settings_percent: u8,
    /// The queue count the flows, prompts, scripts, groups and teams are generated for, when
    /// not `queues` ([`GeneratorSpec::users_only`] keeps them: they are not routing
    /// configuration, and a manifest names them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lookups_for_queues: Option<usize>,
    /// The share of users, in percent (0–100), given maximum capacity settings of their own
    /// (blended agents: a call, two or three chats, an email, two messages); the others use
    /// the org default. Kept by [`GeneratorSpec::users_only`]: capacity belongs to the user.
    pub capacity_percent: u8,
}

fn is_zero(n: &u8) -> bool {
    *n == 0
}

impl Default for GeneratorSpec {
    fn default() -> Self {
        GeneratorSpec::small()
    }
}

impl GeneratorSpec {
    /// 50 queues, 500 users, 30 skills, 5 languages, 20 wrap-up codes, 1,500 memberships,
    /// 33 flows, 25 prompts, 2 scripts, 5 groups, 5 teams and 2 skill groups, no queue using
    /// them (`member_group_percent` 0; the bench sets 30).
    pub fn small() -> GeneratorSpec {
        GeneratorSpec {
            seed: 1,
            queues: 50,
            users: 500,
            skills: 30,
            languages: 5,
            wrapup_codes: 20,
            memberships: 1_500,
            wrapup_codes_per_queue: 3,
            skills_per_user: 3,
            member_group_percent: 0,
            queue_settings_percent: 0,
            lookups_for_queues: None,
            capacity_percent: 0,
        }
    }

    /// 1,000 queues, 5,000 users, 300 skills, 10 languages, 200 wrap-up codes, 25,000
    /// memberships, 5 wrap-up codes per queue, 5 skills per user, 650 flows, 44 prompts, 40
    /// scripts, 100 groups, 100 teams and 50 skill groups, no queue using them
    /// (`member_group_percent` 0; the bench sets 30).
    pub fn large() -> GeneratorSpec {
        GeneratorSpec {
            seed: 1,
            queues: 1_000,
            users: 5_000,
            skills: 300,
            languages: 10,
            wrapup_codes: 200,
            memberships: 25_000,
            wrapup_codes_per_queue: 5,
            skills_per_user: 5,
            member_group_percent: 0,
            queue_settings_percent: 0,
            lookups_for_queues: None,
            capacity_percent: 0,
        }
    }

    /// The same users (same emails and names), and the same flows, prompts, scripts,
    /// directory groups and teams (by name), and nothing else: no skills, languages, wrap-up
    /// codes, skill groups, queues or assignments. The org an apply from scratch starts from.
    pub fn users_only(self) -> GeneratorSpec {
        GeneratorSpec {
            lookups_for_queues: Some(self.lookups_for_queues.unwrap_or(self.queues)),
            queues: 0,
            skills: 0,
            languages: 0,
            wrapup_codes: 0,
            memberships: 0,
            wrapup_codes_per_queue: 0,
            skills_per_user: 0,
            ..self
        }
    }

    /// The same spec with another seed (chainable).
    pub fn with_seed(mut self, seed: u64) -> GeneratorSpec {
        self.seed = seed;
        self
    }
}

pub(super) const DEPARTMENTS: [&str; 8] = [
    "Billing",
    "Sales",
    "Support",
    "Retention",
    "Claims",
    "Technical",
    "Accounts",
    "Returns",
];
pub(super) const LOCALES: [&str; 5] = ["EN", "ES", "FR", "DE", "PT"];
pub(super) const SKILL_WORDS: [&str; 10] = [
    "Billing",
    "Sales",
    "Support",
    "Retention",
    "Claims",
    "Payments",
    "Fraud",
    "Shipping",
    "Loyalty",
    "Onboarding",
];
const LANGUAGE_NAMES: [&str; 12] = [
    "English",
    "Spanish",
    "French",
    "German",
    "Portuguese",
    "Italian",
    "Dutch",
    "Japanese",
    "Mandarin",
    "Arabic",
    "Hindi",
    "Korean",
];
const CODE_WORDS: [&str; 8] = [
    "Resolved",
    "Escalated",
    "Callback Scheduled",
    "Transferred",
    "No Answer",
    "Sale Completed",
    "Complaint",
    "Follow Up",
];
const FIRST: [&str; 16] = [
    "Ana", "Bo", "Chen", "Dara", "Eli", "Femi", "Gita", "Hugo", "Ines", "Jon", "Kai", "Lena", "Mo",
    "Nia", "Omar", "Pia",
];
pub(super) const LAST: [&str; 12] = [
    "Silva", "Berg", "Okafor", "Novak", "Tanaka", "Moreau", "Costa", "Haddad", "Larsen", "Ruiz",
    "Kowalski", "Singh",
];

/// A name not used yet in `taken` (a generated name only clashes with a fixture's).
pub(super) fn unique(taken: &mut BTreeSet<String>, name: String, i: usize) -> String {
    let name = if taken.contains(&name.to_lowercase()) {
        format!("{name} gen{i:05}")
    } else {
        name
    };
    taken.insert(name.to_lowercase());
    name
}

/// Adds `count` active skills or languages, the `i`th named `name_of(i)` (made unique), and
/// answers their ids.
fn generate_attributes(
    org: &mut OrgState,
    kind: Attribute,
    ns: &uuid::Uuid,
    count: usize,
    now: DateTime<Utc>,
    name_of: impl Fn(usize) -> String,
) -> Vec<String> {
    let mut taken: BTreeSet<String> = org
        .attributes(kind)
        .values()
        .map(|a| a.name.to_lowercase())
        .collect();
    let mut created = Vec::with_capacity(count);
    for i in 0..count {
        let name = unique(&mut taken, name_of(i), i);
        let id = ids::derived(ns, kind.pick("skill", "language"), &name);
        let attribute = org.new_attribute(kind, id.clone(), name, now);
        org.insert_attribute(kind, attribute);
        created.push(id);
    }
    created
}

/// Adds a generated org part to `org`.
/// The `i`th user's own utilization, for `percent` % of users spread evenly (every user whose
/// index modulo 100 is below it); `None` for the others. Taken from no RNG, so that the rest
/// of a seed's org is the same whatever the share.
fn own_utilization(org: &OrgState, i: usize, percent: u8) -> Option<Value> {
    if i % 100 >= usize::from(percent) {
        return None;
    }
    let media = |capacity: usize, interruptable: &[&str]| json!({"maximumCapacity": capacity, "interruptableMediaTypes": interruptable, "includeNonAcd": false});
    let request = json!({
        "utilization": {
            "call": media(1, &[]),
            "callback": media(1, &["call"]),
            "chat": media(2 + i % 2, &["call"]),
            "email": media(1, &["call", "chat"]),
            "message": media(2, &["call"]),
        },
        "maxInboundCalls": 1,
    });
    org.validate_utilization(&request).ok()
}

pub(crate) fn generate(org: &mut OrgState, spec: &GeneratorSpec) {
    let mut rng = StdRng::seed_from_u64(spec.seed);
    let ns = ids::generator_namespace(&org.org.id, spec.seed);
    let now = Utc::now();
    let division = org.home_division_id();
    let admin = org.admin_actor();

    let skill_ids = generate_attributes(org, Attribute::Skill, &ns, spec.skills, now, |i| {
        format!("{} {:04}", SKILL_WORDS[i % SKILL_WORDS.len()], i + 1)
    });
    let language_ids =
        generate_attributes(org, Attribute::Language, &ns, spec.languages, now, |i| {
            match LANGUAGE_NAMES.get(i) {
                Some(n) => n.to_string(),
                None => format!("Language {:04}", i + 1),
            }
        });

    let mut taken: BTreeSet<String> = org
        .wrapup_codes
        .values()
        .map(|c| c.name.to_lowercase())
        .collect();
    let mut code_ids = Vec::with_capacity(spec.wrapup_codes);
    for i in 0..spec.wrapup_codes {
        let name = unique(
            &mut taken,
            format!("{} {:04}", CODE_WORDS[i % CODE_WORDS.len()], i + 1),
            i,
        );
        let id = ids::derived(&ns, "wrapupcode", &name);
        org.wrapup_codes.insert(
            id.clone(),
            WrapupCode {
                id: id.clone(),
                name,
                description: None,
                division_id: division.clone(),
                date_created: now,
                date_modified: now,
                created_by: Some(admin.id().to_string()),
                modified_by: Some(admin.id().to_string()),
            },
        );
        code_ids.push(id);
    }

    let mut taken: BTreeSet<String> = org.users.values().map(|u| u.email.to_lowercase()).collect();
    let mut user_ids = Vec::with_capacity(spec.users);
    for i in 0..spec.users {
        let email = unique(&mut taken, format!("agent{:04}@example.com", i + 1), i);
        let name = format!(
            "{} {} {:04}",
            FIRST[i % FIRST.len()],
            LAST[(i / FIRST.len()) % LAST.len()],
            i + 1
        );
        let id = ids::derived(&ns, "user", &email);
        let mut skills = BTreeMap::new();
        let k = spec.skills_per_user.min(skill_ids.len());
        for s in sample(&mut rng, skill_ids.len(), k) {
            skills.insert(skill_ids[s].clone(), f64::from(rng.random_range(1..=5u8)));
        }
        let mut languages = BTreeMap::new();
        if !language_ids.is_empty() {
            languages.insert(
                language_ids[i % language_ids.len()].clone(),
                f64::from(rng.random_range(3..=5u8)),
            );
        }
        org.users.insert(
            id.clone(),
            User {
                id: id.clone(),
                name,
                email,
                state: UserState::Active,
                division_id: division.clone(),
                version: 1,
                skills,
                languages,
                utilization: own_utilization(org, i, spec.capacity_percent),
            },
        );
        user_ids.push(id);
    }

    let template = json!({
        "mediaSettings": {
            "call": {"alertingTimeoutSeconds": 8, "serviceLevel": {"percentage": 0.8, "durationMs": 20000}},
            "chat": {"alertingTimeoutSeconds": 30, "serviceLevel": {"percentage": 0.8, "durationMs": 30000}},
            "email": {"alertingTimeoutSeconds": 300, "serviceLevel": {"percentage": 0.8, "durationMs": 86400000}},
        },
        "acwSettings": {"wrapupPrompt": "OPTIONAL", "timeoutMs": 60000},
        "skillEvaluationMethod": "BEST",
        // Members sit in rings 1-3, so the queues route bullseye with three rings.
        "bullseye": {"rings": [
            {"expansionCriteria": [{"type": "TIMEOUT_SECONDS", "threshold": 15}]},
            {"expansionCriteria": [{"type": "TIMEOUT_SECONDS", "threshold": 30}]},
            {},
        ]},
    });
    let mut taken: BTreeSet<String> = org.queues.values().map(|q| q.name.to_lowercase()).collect();
    let queues = spec.queues;
    let mut queue_ids = Vec::with_capacity(queues);
    for i in 0..queues {
        let base = format!(
            "{} {} {:04}",
            DEPARTMENTS[i % DEPARTMENTS.len()],
            LOCALES[(i / DEPARTMENTS.len()) % LOCALES.len()],
            i + 1
        );
        let name = unique(&mut taken, base, i);
        let id = ids::derived(&ns, "queue", &name);
        queue_ids.push(id.clone());
        let mut settings = template.clone();
        settings["mediaSettings"]["call"]["alertingTimeoutSeconds"] =
            json!(rng.random_range(8..=30u32));
        settings["description"] = json!(format!("{name} (generated)"));
        let Value::Object(settings) = settings else {
            continue;
        };
        let count = spec.memberships / queues + usize::from(i < spec.memberships % queues);
        let mut members = BTreeMap::new();
        for u in sample(&mut rng, user_ids.len(), count.min(user_ids.len())) {
            let ring = match rng.random_range(0..10u8) {
                0..=5 => 1,
                6..=8 => 2,
                _ => 3,
            };
            members.insert(
                user_ids[u].clone(),
                Member {
                    ring,
                    joined: rng.random_range(0..10u8) != 0,
                    member_by: MemberBy::User,
                },
            );
        }
        let wrapup_codes = sample(
            &mut rng,
            code_ids.len(),
            spec.wrapup_codes_per_queue.min(code_ids.len()),
        )
        .into_iter()
        .map(|c| code_ids[c].clone())
        .collect();
        org.queues.insert(
            id.clone(),
            Queue {
                id,
                name,
                division_id: division.clone(),
                settings,
                date_created: now,
                date_modified: now,
                created_by: Some(admin.id().to_string()),
                modified_by: Some(admin.id().to_string()),
                members,
                wrapup_codes,
                opaque_group_members: Default::default(),
            },
        );
    }
    lookups::generate_lookups(
        org,
        &mut rng,
        &lookups::Inputs {
            ns: &ns,
            now,
            division: &division,
            queues: &queue_ids,
            lookups_for_queues: spec.lookups_for_queues.unwrap_or(queue_ids.len()),
            users: &user_ids,
            skills: &skill_ids,
            member_group_percent: spec.member_group_percent,
        },
    );
    setting_lookups::generate_setting_lookups(
        org,
        &ns,
        now,
        spec.lookups_for_queues.unwrap_or(queue_ids.len()),
    );
    queue_settings::generate_queue_settings(
        org,
        spec.seed,
        &queue_ids,
        spec.queue_settings_percent,
    );
    // A generated org has no history: what its member groups bring is not audited.
    let (audited, unpublished) = (org.audit.len(), org.unpublished.len());
    org.sync_all_group_members(&admin);
    org.audit.truncate(audited);
    org.unpublished.truncate(unpublished);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::QueueDefinition;

    #[test]
    fn queue_settings_pass_the_queue_checks_and_change_nothing_else() {
        let build = |percent| {
            let mut org = OrgState::new(crate::DEFAULT_ORG_ID, "x");
            let spec = GeneratorSpec {
                member_group_percent: 30,
                queue_settings_percent: percent,
                ..GeneratorSpec::small()
            };
            generate(&mut org, &spec.with_seed(7));
            org
        };
        let (plain, set, again) = (build(0), build(60), build(60));
        let keys = [
            "defaultMediaLanguage",
            "outboundEmailAddress",
            "outboundMessagingAddresses",
            "cannedResponseLibraries",
            "directRouting",
            "agentOwnedRouting",
            "conditionalGroupActivation",
        ];
        assert!(
            plain
                .queues
                .values()
                .all(|q| keys.iter().all(|k| !q.settings.contains_key(*k))),
            "0 gives no queue the settings"
        );
        let with = set
            .queues
            .values()
            .filter(|q| q.settings.contains_key("defaultMediaLanguage"))
            .count();
        assert!((20..=40).contains(&with), "{with} of 50 queues");
        for key in keys {
            assert!(
                set.queues.values().any(|q| q.settings.contains_key(key)),
                "no queue has {key}"
            );
        }
        for (id, queue) in &set.queues {
            let body = set.queue_request_body(id).unwrap();
            let checked = set.validate_queue_body(&body, QueueDefinition::Replace);
            assert!(checked.is_ok(), "{}: {checked:?}\n{body}", queue.name);
            let before = &plain.queues[id];
            assert_eq!(queue.members, before.members, "{}", queue.name);
            assert_eq!(
                queue.settings.get("memberGroups"),
                before.settings.get("memberGroups")
            );
            assert_eq!(queue.settings["bullseye"], before.settings["bullseye"]);
        }
        assert_eq!(
            set.queues.values().map(|q| &q.settings).collect::<Vec<_>>(),
            again
                .queues
                .values()
                .map(|q| &q.settings)
                .collect::<Vec<_>>(),
            "the same seed, the same settings"
        );
    }

    #[test]
    fn same_seed_same_org() {
        let build = |seed| {
            let mut org = OrgState::new(crate::DEFAULT_ORG_ID, "x");
            let spec = GeneratorSpec {
                member_group_percent: 30,
                ..GeneratorSpec::small()
            };
            generate(&mut org, &spec.with_seed(seed));
            org
        };
        let (a, b, c) = (build(3), build(3), build(4));
        assert_eq!(
            a.queues.keys().collect::<Vec<_>>(),
            b.queues.keys().collect::<Vec<_>>()
        );
        assert_eq!(
            a.queues
                .values()
                .map(|q| q.members.clone())
                .collect::<Vec<_>>(),
            b.queues
                .values()
                .map(|q| q.members.clone())
                .collect::<Vec<_>>()
        );
        assert_ne!(
            a.queues.keys().collect::<Vec<_>>(),
            c.queues.keys().collect::<Vec<_>>()
        );
        let rows: usize = a
            .queues
            .values()
            .flat_map(|q| q.members.values())
            .filter(|m| m.member_by == MemberBy::User)
            .count();
        assert_eq!(rows, 1_500);
        let grouped = a
            .queues
            .values()
            .filter(|q| q.settings.contains_key("memberGroups"))
            .count();
        assert!((5..=25).contains(&grouped), "{grouped} of 50 queues");
        assert!(
            a.queues
                .values()
                .flat_map(|q| q.members.values())
                .any(|m| m.member_by == MemberBy::Group)
        );
        assert_eq!(a.flows.len(), 36);
        assert_eq!(
            (a.groups.len(), a.teams.len(), a.skill_groups.len()),
            (5, 5, 2)
        );
        assert_eq!(a.users.len(), 500);
    }
}
