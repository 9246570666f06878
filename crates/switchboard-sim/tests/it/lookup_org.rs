//! An org with every kind of object a queue references, for the lookup, skill-group and
//! member-group tests.

use serde_json::Value;
use switchboard_sim::{Fixture, Sim};

use crate::support::Api;

/// The org id of [`lookup_org`] unless a test asks for another.
pub const ORG_A: &str = "0f6c2f4e-1b5a-4d7e-8c3b-2a9d4e6f8a10";
/// A second org id: the same fixture there gives other ids.
pub const ORG_B: &str = "7d1e9b3c-5a2f-4c8d-9e6b-1f3a5c7e9b20";

const YAML: &str = r#"
divisions:
  - { name: Customer Care }
  - { name: Sales }
skills: [{ name: Billing }, { name: Sales }, { name: VIP }]
languages: [{ name: English }, { name: Spanish }]
users:
  - { name: Ana Silva, email: ana@example.com, division: Customer Care, skills: { Billing: 5 }, languages: { English: 5 } }
  - { name: Bo Berg, email: bo@example.com, division: Customer Care, skills: { Billing: 3 }, languages: { Spanish: 4 } }
  - { name: Chen Okafor, email: chen@example.com, division: Sales, skills: { Sales: 4, Billing: 4 } }
  - { name: Dara Novak, email: dara@example.com, division: Sales, skills: { Sales: 2, VIP: 5 } }
  - { name: Eli Tanaka, email: eli@example.com, state: deleted, skills: { Billing: 5 } }
flows:
  - { name: Billing In-Queue, type: inqueuecall, division: Customer Care }
  - { name: Billing In-Queue, type: inqueueemail }
  - { name: Billing Inbound, type: inboundcall, description: The main number }
  - { name: Sales In-Queue, type: INQUEUECALL, division: Sales }
  - { name: Old In-Queue, type: inqueuecall, deleted: true }
prompts:
  - { name: Billing Whisper }
  - { name: Billing Hold }
  - { name: Sales Whisper, description: Played to agents }
scripts:
  - { name: Billing Script }
  - { name: Sales Script, division: Sales }
  - { name: Draft Billing Script, published: false }
groups:
  - { name: Billing Agents, members: [ana@example.com, bo@example.com] }
  - { name: Billing Agents EU, members: [bo@example.com] }
  - { name: Sales Agents, description: Everyone in sales, members: [chen@example.com, eli@example.com] }
teams:
  - { name: Team Alpha, division: Customer Care, members: [ana@example.com] }
  - { name: Team Beta, division: Sales, members: [chen@example.com, dara@example.com] }
  - { name: alpha squad }
skillGroups:
  - name: Billing Experts
    division: Customer Care
    description: Billing at 4 or more
    skillConditions:
      - routingSkillConditions: [{ routingSkill: Billing, comparator: GreaterThanOrEqualTo, proficiency: 4 }]
        languageSkillConditions: []
        operation: And
  - name: VIP Sales
    skillConditions:
      - routingSkillConditions:
          - { routingSkill: VIP, comparator: GreaterThan, proficiency: 3 }
          - { routingSkill: Sales, comparator: GreaterThan, proficiency: 3 }
        languageSkillConditions: []
        operation: Or
    memberDivisions: [Sales]
cannedResponseLibraries: [{ name: Billing Answers }, { name: Billing Forms }, { name: Sales Answers }]
emailDomains:
  - name: Support.Example.com
    routes:
      - { pattern: billing, fromName: Billing Team }
      - { pattern: billing-eu, fromName: Billing EU, fromEmail: eu@support.example.com }
  - name: sales.example.com
    routes: [{ pattern: sales }]
smsPhoneNumbers: [{ phoneNumber: "+13175550100" }, { phoneNumber: "+13175550199" }, { phoneNumber: "+442075550100" }]
messageRecipients:
  - { name: Web Chat, messengerType: open }
  - { name: Billing WhatsApp, messengerType: whatsapp }
  - { name: Web Chat, messengerType: whatsapp }
edgeGroups: [{ name: Callback Edges }, { name: Backup Edges }]
sites: [{ name: Indianapolis }, { name: Dublin }]
queues:
  - name: Billing EN
    division: Customer Care
    settings:
      bullseye:
        rings:
          - expansionCriteria: [{ type: TIMEOUT_SECONDS, threshold: 10 }]
          - {}
    memberGroups:
      - { name: Billing Agents, type: GROUP }
      - { name: Team Beta, type: TEAM, ring: 2 }
    members:
      - { user: ana@example.com, ring: 2 }
  - name: Sales EN
    division: Sales
    memberGroups: [{ name: Billing Experts, type: SKILLGROUP }]
  - name: Plain
"#;

/// The lookup org, with this org id.
pub fn lookup_org(org_id: &str) -> Fixture {
    let mut f = Fixture::from_yaml(YAML).unwrap();
    f.org = Some(switchboard_sim::FixtureOrg {
        name: Some("Lookup Org".into()),
        id: Some(org_id.into()),
    });
    f
}

/// A simulator seeded with the lookup org.
pub async fn start() -> Api {
    Api::start(Sim::builder().fixture(lookup_org(ORG_A))).await
}

/// The names of a listing's entities (or a search's results).
pub fn names(body: &Value) -> Vec<String> {
    body.get("entities")
        .or(body.get("results"))
        .and_then(Value::as_array)
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect()
}

/// The id of the first entity (or result) named `name`.
pub fn id_named(body: &Value, name: &str) -> String {
    body.get("entities")
        .or(body.get("results"))
        .and_then(Value::as_array)
        .unwrap()
        .iter()
        .find(|e| e["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {body}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}
