//! The org and manifest of the differential checker: rich enough that the true plan deletes,
//! removes and overwrites something of every kind, so that a read fault has something to make
//! worse, and with objects of every kind outside the manifest's scope, so that it has
//! something to wrongly take.

use std::fmt;

use serde_json::{Value, json};
use switchboard_manifest::{Manifest, load_str};
use switchboard_sim::Fixture;

/// The org's id (the manifest's guard names it).
pub(crate) const ORG_ID: &str = "7c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e";
/// The org's name.
pub(crate) const ORG_NAME: &str = "Differential Org";
/// The division the manifest's scope names.
pub(crate) const IN_SCOPE: &str = "Customer Care";
/// Skills the fixture cannot place (it puts every skill in the home division) and the run
/// moves into the scope's division before the first read: one the manifest prunes, one it
/// protects.
pub(crate) const SKILLS_IN_SCOPE: [&str; 2] = ["Fax Support", "Winback"];
/// Generated agents; the first [`BILLING_EN_MEMBERS`] are members of Billing EN.
const AGENTS: usize = 120;
/// Billing EN's live members among the generated agents: two member pages of 100.
const BILLING_EN_MEMBERS: usize = 110;
/// How many of them the manifest lists (the rest are removed).
const BILLING_EN_LISTED: usize = 60;
/// Generated agents who hold the skill Billing (the replace moves them).
const BILLING_HOLDERS: usize = 6;
/// Wrap-up codes in the Sales division (outside the scope): with the others, more than one
/// page of the wrap-up code listing (100 a page).
const SALES_CODES: usize = 100;

/// Which of the two manifests a seed plans: they differ in how users are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scenario {
    /// Skill Billing is replaced by Billing Support (`renamedFrom`): every holder must be
    /// found, so users are read from the user listing with their skills expanded.
    Replace,
    /// No replace, and fewer than 100 named users: users are read by the user search.
    Search,
}

impl Scenario {
    /// Both scenarios.
    pub const ALL: [Scenario; 2] = [Scenario::Replace, Scenario::Search];

    /// The name of the skill the manifest declares in Billing's place.
    fn billing(self) -> &'static str {
        match self {
            Scenario::Replace => "Billing Support",
            Scenario::Search => "Billing",
        }
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Scenario::Replace => "replace",
            Scenario::Search => "search",
        })
    }
}

fn agent(i: usize) -> String {
    format!("agent{i:03}@example.com")
}

/// The org as the simulator seeds it.
pub(crate) fn fixture() -> Result<Fixture, serde_json::Error> {
    let mut users = vec![
        user(
            "Ana Silva",
            "ana.silva@example.com",
            IN_SCOPE,
            json!({"Billing": 5, "Disputes": 3, "Fax Support": 2, "Legacy CRM": 1}),
            json!({"English": 5, "Spanish": 4}),
        ),
        user(
            "Bo Berg",
            "bo.berg@example.com",
            IN_SCOPE,
            json!({"Billing": 3}),
            json!({"English": 5}),
        ),
        user(
            "Chen Okafor",
            "chen.okafor@example.com",
            IN_SCOPE,
            json!({"Technical Support": 3, "Billing": 2}),
            json!({"English": 5, "French": 2}),
        ),
        user(
            "Dara Novak",
            "dara.novak@example.com",
            IN_SCOPE,
            json!({"Technical Support": 5, "Winback": 2}),
            json!({"Spanish": 5}),
        ),
        user(
            "Eli Tanaka",
            "eli.tanaka@example.com",
            "Sales",
            json!({"VIP": 4}),
            json!({"English": 5}),
        ),
    ];
    let mut hugo = user(
        "Hugo Haddad",
        "hugo.haddad@example.com",
        IN_SCOPE,
        json!({"Billing": 1}),
        json!({"English": 3}),
    );
    hugo["state"] = json!("inactive");
    users.push(hugo);
    for i in 1..=AGENTS {
        let mut skills = json!({"Technical Support": 1 + i % 5});
        if i <= BILLING_HOLDERS {
            skills["Billing"] = json!(1 + i % 5);
        }
        users.push(user(
            &format!("Agent {i:03}"),
            &agent(i),
            IN_SCOPE,
            skills,
            json!({"English": 5}),
        ));
    }

    let mut codes = vec![
        json!({"name": "Resolved", "description": "Issue solved", "division": IN_SCOPE}),
        json!({"name": "Escalated", "division": IN_SCOPE}),
        json!({"name": "Callback Scheduled", "division": IN_SCOPE}),
        json!({"name": "Old Survey", "division": IN_SCOPE}),
        json!({"name": "Legacy Transfer", "division": IN_SCOPE}),
        json!({"name": "No Answer"}),
    ];
    codes.extend(
        (1..=SALES_CODES)
            .map(|i| json!({"name": format!("Sales Outcome {i:03}"), "division": "Sales"})),
    );

    let mut billing_en: Vec<Value> = (1..=BILLING_EN_MEMBERS)
        .map(|i| json!({"user": agent(i)}))
        .collect();
    billing_en.push(json!({"user": "ana.silva@example.com"}));
    let mut billing_es: Vec<Value> = (1..=10).map(|i| json!({"user": agent(i)})).collect();
    billing_es.push(json!({"user": "dara.novak@example.com"}));
    let two_rings = json!({"rings": [
        {"expansionCriteria": [{"type": "TIMEOUT_SECONDS", "threshold": 15}]},
        {},
    ]});

    serde_json::from_value(json!({
        "org": {"name": ORG_NAME, "id": ORG_ID},
        "divisions": [
            {"name": "Home", "home": true},
            {"name": IN_SCOPE},
            {"name": "Sales"},
        ],
        "skills": named(&["Billing", "Disputes", "Technical Support", "VIP", "Retention",
                          "Fax Support", "Winback", "Legacy CRM"]),
        "languages": named(&["English", "Spanish", "French", "German", "Klingon"]),
        "wrapupCodes": codes,
        "users": users,
        "queues": [
            {
                "name": "Billing EN",
                "division": IN_SCOPE,
                "settings": {"acwSettings": {"wrapupPrompt": "OPTIONAL"}, "skillEvaluationMethod": "BEST"},
                "members": billing_en,
                "wrapupCodes": ["Resolved", "Escalated", "Callback Scheduled", "Old Survey"],
            },
            {
                "name": "Billing ES",
                "division": IN_SCOPE,
                "members": billing_es,
                "wrapupCodes": ["Escalated"],
            },
            {
                "name": "Tech Support EN",
                "division": IN_SCOPE,
                "settings": {"bullseye": two_rings, "acwSettings": {"wrapupPrompt": "OPTIONAL"}},
                "members": [
                    {"user": "chen.okafor@example.com", "ring": 1},
                    {"user": "dara.novak@example.com", "ring": 2},
                    {"user": "hugo.haddad@example.com", "ring": 1},
                    {"user": agent(AGENTS), "ring": 2},
                ],
                "wrapupCodes": ["Resolved"],
            },
            {
                "name": "Sales EN",
                "division": "Sales",
                "settings": {"acwSettings": {"wrapupPrompt": "OPTIONAL"}},
                "members": [{"user": "eli.tanaka@example.com"}],
            },
            {"name": "Old Promo", "division": IN_SCOPE, "members": [{"user": agent(1)}]},
            {"name": "Legacy Escalations", "division": IN_SCOPE},
            {"name": "Sales Outbound", "division": "Sales", "members": [{"user": "eli.tanaka@example.com"}]},
            {"name": "Home Overflow"},
        ],
    }))
}

fn named(names: &[&str]) -> Vec<Value> {
    names.iter().map(|name| json!({"name": name})).collect()
}

fn user(name: &str, email: &str, division: &str, skills: Value, languages: Value) -> Value {
    json!({"name": name, "email": email, "division": division, "skills": skills, "languages": languages})
}

/// The manifest's text for `scenario`.
pub(crate) fn manifest_text(scenario: Scenario) -> String {
    let billing = scenario.billing();
    let billing_skill = match scenario {
        Scenario::Replace => format!("{{ name: {billing}, renamedFrom: [Billing] }}"),
        Scenario::Search => format!("{{ name: {billing} }}"),
    };
    let listed: String = (1..=BILLING_EN_LISTED)
        .map(|i| format!("        - {{ user: {} }}\n", agent(i)))
        .collect();
    let first = agent(1);
    format!(
        "\
version: 1
org: {{ name: {ORG_NAME}, id: {ORG_ID}, region: mypurecloud.com }}
scope: {{ divisions: [{IN_SCOPE}] }}
prune: {{ skills: true, languages: true, wrapupCodes: true, queues: true }}
protect:
  - \"queue:Legacy Escalations\"
  - \"skill:Winback\"
  - \"language:Klingon\"
  - \"wrapupCode:Legacy Transfer\"
skills:
  - {billing_skill}
  - {{ name: Disputes }}
  - {{ name: Technical Support }}
  - {{ name: VIP }}
  - {{ name: Retention }}
languages: [{{ name: English }}, {{ name: Spanish }}, {{ name: French }}]
wrapupCodes:
  - {{ name: Resolved, description: Solved on first contact, division: {IN_SCOPE} }}
  - {{ name: Escalated, division: {IN_SCOPE} }}
  - {{ name: Callback Scheduled, division: {IN_SCOPE} }}
queues:
  - name: Billing EN
    division: {IN_SCOPE}
    skillEvaluationMethod: BEST
    acwSettings: {{ wrapupPrompt: MANDATORY_TIMEOUT, timeoutMs: 60000 }}
    wrapupCodes: {{ mode: authoritative, codes: [Resolved, Escalated] }}
    members:
      mode: authoritative
      users:
{listed}        - {{ user: ana.silva@example.com }}
        - {{ user: ghost.one@example.com }}
        - {{ user: hugo.haddad@example.com }}
  - name: Billing ES
    division: {IN_SCOPE}
    wrapupCodes: {{ mode: additive, codes: [Resolved] }}
    members:
      mode: additive
      users: [{{ user: dara.novak@example.com }}, {{ user: bo.berg@example.com }}]
  - name: Tech Support EN
    division: {IN_SCOPE}
    acwSettings: {{ wrapupPrompt: OPTIONAL }}
    bullseye: {{ rings: [{{ expansionTimeoutSeconds: 15 }}, {{}}] }}
    wrapupCodes: {{ mode: authoritative, codes: [Resolved, Escalated] }}
    members:
      mode: authoritative
      users:
        - {{ user: chen.okafor@example.com, ring: 2 }}
        - {{ user: dara.novak@example.com, ring: 2 }}
        - {{ user: hugo.haddad@example.com }}
        - {{ user: bo.berg@example.com }}
        - {{ user: ghost.two@example.com }}
  - name: Sales EN
    acwSettings: {{ wrapupPrompt: OPTIONAL }}
    members: {{ mode: additive, users: [{{ user: eli.tanaka@example.com }}] }}
agents:
  - user: ana.silva@example.com
    skills: {{ mode: authoritative, proficiency: {{ {billing}: 5, Disputes: 3 }} }}
    languages: {{ mode: authoritative, proficiency: {{ English: 5 }} }}
  - user: bo.berg@example.com
    skills: {{ mode: additive, proficiency: {{ Technical Support: 2 }} }}
  - user: chen.okafor@example.com
    skills: {{ mode: authoritative, proficiency: {{ Technical Support: 4, {billing}: 2 }} }}
    languages: {{ mode: additive, proficiency: {{ English: 5 }} }}
  - user: dara.novak@example.com
    skills: {{ mode: authoritative, proficiency: {{ Technical Support: 5 }} }}
    languages: {{ mode: authoritative, proficiency: {{ Spanish: 5, English: 3 }} }}
  - user: {first}
    skills: {{ mode: authoritative, proficiency: {{ Technical Support: 2, {billing}: 3 }} }}
"
    )
}

/// The manifest for `scenario`, loaded and validated; the findings text when it does not
/// load.
pub(crate) fn manifest(scenario: Scenario) -> Result<Manifest, String> {
    let loaded = load_str("differential.yaml", &manifest_text(scenario));
    match loaded.manifest {
        Some(manifest) if !loaded.has_errors() => Ok(manifest),
        _ => Err(loaded.findings_text()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_manifests_load_without_errors() {
        for scenario in Scenario::ALL {
            if let Err(findings) = manifest(scenario) {
                panic!("the {scenario} manifest does not load:\n{findings}");
            }
        }
    }

    #[test]
    fn the_fixture_reads() {
        assert!(fixture().is_ok());
    }
}
