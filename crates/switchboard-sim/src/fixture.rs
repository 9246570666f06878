//! The seed fixture: a small org described in YAML or JSON, checked as strictly as the API
//! would check the same objects, with errors that name the offending item.

mod lookups;
mod setting_lookups;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::config::ClientCredentials;
use crate::error::SimError;
use crate::ids;
use crate::org::{
    ALL_DIVISIONS, Attribute, Division, Member, MemberBy, OrgState, QueueDefinition, User,
    UserState,
};
use crate::{DEFAULT_ORG_ID, DEFAULT_ORG_NAME};
pub use lookups::{
    FixtureFlow, FixtureGroup, FixtureGroupType, FixtureMemberGroup, FixturePrompt, FixtureScript,
    FixtureSkillGroup, FixtureTeam,
};
pub use setting_lookups::{
    FixtureEmailDomain, FixtureEmailRoute, FixtureMessageRecipient, FixtureNamed,
    FixtureSmsPhoneNumber,
};

/// A seed for the simulated org.
///
/// Objects refer to each other by name (divisions, skills, languages, wrap-up codes, groups,
/// teams, skill groups) and users by email. Ids are derived from the org id, the kind and the
/// names, so the same fixture always gives the same ids, and two orgs different ones.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Fixture {
    /// The org's name and id (defaults: [`DEFAULT_ORG_NAME`], [`DEFAULT_ORG_ID`]).
    #[serde(default)]
    pub org: Option<FixtureOrg>,
    /// Divisions; a "Home" division is created when none is marked `home`.
    #[serde(default)]
    pub divisions: Vec<FixtureDivision>,
    /// Routing skills.
    #[serde(default)]
    pub skills: Vec<FixtureSkill>,
    /// Routing languages.
    #[serde(default)]
    pub languages: Vec<FixtureLanguage>,
    /// Wrap-up codes.
    #[serde(default)]
    pub wrapup_codes: Vec<FixtureWrapupCode>,
    /// Users (agents).
    #[serde(default)]
    pub users: Vec<FixtureUser>,
    /// Architect flows.
    #[serde(default)]
    pub flows: Vec<FixtureFlow>,
    /// Architect user prompts.
    #[serde(default)]
    pub prompts: Vec<FixturePrompt>,
    /// Scripts.
    #[serde(default)]
    pub scripts: Vec<FixtureScript>,
    /// Directory groups and their members.
    #[serde(default)]
    pub groups: Vec<FixtureGroup>,
    /// Teams and their members.
    #[serde(default)]
    pub teams: Vec<FixtureTeam>,
    /// Skill groups.
    #[serde(default)]
    pub skill_groups: Vec<FixtureSkillGroup>,
    /// Canned-response libraries (`cannedResponseLibraries.libraryIds`).
    #[serde(default)]
    pub canned_response_libraries: Vec<FixtureNamed>,
    /// Inbound email domains and their routes (`outboundEmailAddress`).
    #[serde(default)]
    pub email_domains: Vec<FixtureEmailDomain>,
    /// SMS phone numbers (`outboundMessagingAddresses.smsAddress`).
    #[serde(default)]
    pub sms_phone_numbers: Vec<FixtureSmsPhoneNumber>,
    /// Message recipients (`outboundMessagingAddresses.openMessagingRecipient`,
    /// `.whatsAppRecipient`).
    #[serde(default)]
    pub message_recipients: Vec<FixtureMessageRecipient>,
    /// Telephony edge groups (`mediaSettings.callback.edgeGroup`).
    #[serde(default)]
    pub edge_groups: Vec<FixtureNamed>,
    /// Telephony sites (`mediaSettings.callback.site`).
    #[serde(default)]
    pub sites: Vec<FixtureNamed>,
    /// Queues with their members and wrap-up codes.
    #[serde(default)]
    pub queues: Vec<FixtureQueue>,
    /// Extra OAuth clients the token endpoint accepts.
    #[serde(default)]
    pub clients: Vec<FixtureClient>,
}

/// The org's identity.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FixtureOrg {
    /// The org name.
    #[serde(default)]
    pub name: Option<String>,
    /// The org id, a UUID.
    #[serde(default)]
    pub id: Option<String>,
}

/// A division.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FixtureDivision {
    /// Unique name.
    pub name: String,
    /// A description.
    #[serde(default)]
    pub description: Option<String>,
    /// Whether this is the home division (at most one).
    #[serde(default)]
    pub home: bool,
}

/// A routing skill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FixtureSkill {
    /// Unique name.
    pub name: String,
}

/// A routing language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FixtureLanguage {
    /// Unique name.
    pub name: String,
}

/// A wrap-up code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FixtureWrapupCode {
    /// Unique name.
    pub name: String,
    /// A description.
    #[serde(default)]
    pub description: Option<String>,
    /// The division's name, or `*` for every division (home when absent: unlike a create
    /// through the API, which puts a code without a division in `*`).
    #[serde(default)]
    pub division: Option<String>,
}

/// A user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FixtureUser {
    /// Display name.
    pub name: String,
    /// Unique email (users are identified by it).
    pub email: String,
    /// active (default), inactive or deleted.
    #[serde(default)]
    pub state: Option<UserState>,
    /// The division's name (home when absent).
    #[serde(default)]
    pub division: Option<String>,
    /// Skill name → proficiency (0.0–5.0).
    #[serde(default)]
    pub skills: BTreeMap<String, f64>,
    /// Language name → proficiency (0–5).
    #[serde(default)]
    pub languages: BTreeMap<String, f64>,
    /// The agent's own max utilization, a `UtilizationRequest` object.
    #[serde(default)]
    pub utilization: Option<Map<String, Value>>,
}

/// A queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FixtureQueue {
    /// Unique name.
    pub name: String,
    /// The division's name (home when absent).
    #[serde(default)]
    pub division: Option<String>,
    /// A description.
    #[serde(default)]
    pub description: Option<String>,
    /// Any other `QueueRequest` fields, checked as a POST body would be.
    #[serde(default)]
    pub settings: Map<String, Value>,
    /// Member groups by name and type, the queue's own or a bullseye ring's; their users
    /// become members with `memberBy: group`.
    #[serde(default)]
    pub member_groups: Vec<FixtureMemberGroup>,
    /// Members.
    #[serde(default)]
    pub members: Vec<FixtureMember>,
    /// Wrap-up code names.
    #[serde(default)]
    pub wrapup_codes: Vec<String>,
}

/// A queue member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FixtureMember {
    /// The user's email.
    pub user: String,
    /// Ring number 1–6 (default 1).
    #[serde(default)]
    pub ring: Option<u8>,
    /// Whether the member is joined (default true).
    #[serde(default)]
    pub joined: Option<bool>,
    /// `user` (default), or `group` for a member through a group the fixture does not
    /// describe: it stays a group member whatever the queue's member groups.
    #[serde(default)]
    pub member_by: Option<MemberBy>,
}

/// An OAuth client; its Debug output never shows the secret.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FixtureClient {
    /// Client id.
    pub id: String,
    /// Client secret.
    pub secret: String,
}

impl fmt::Debug for FixtureClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FixtureClient")
            .field("id", &self.id)
            .field("secret", &"<redacted>")
            .finish()
    }
}

impl Fixture {
    /// An org before any routing was configured: its identity, these divisions and these
    /// users (active, named after their email), and no skills, languages, wrap-up codes or
    /// queues.
    pub fn bare(
        org: FixtureOrg,
        divisions: impl IntoIterator<Item = String>,
        emails: impl IntoIterator<Item = String>,
    ) -> Fixture {
        Fixture {
            org: Some(org),
            divisions: divisions
                .into_iter()
                .map(|name| FixtureDivision {
                    name,
                    description: None,
                    home: false,
                })
                .collect(),
            users: emails
                .into_iter()
                .map(|email| FixtureUser {
                    name: email.replace(['.', '@'], " "),
                    email,
                    state: None,
                    division: None,
                    skills: BTreeMap::new(),
                    languages: BTreeMap::new(),
                    utilization: None,
                })
                .collect(),
            ..Fixture::default()
        }
    }

    /// Reads a fixture file (YAML, of which JSON is a subset).
    pub fn from_file(path: impl AsRef<Path>) -> Result<Fixture, SimError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| SimError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Fixture::from_yaml(&text).map_err(|error| match error {
            SimError::Parse { message, .. } => SimError::Parse {
                path: path.to_path_buf(),
                message,
            },
            other => other,
        })
    }

    /// Reads a fixture from YAML (or JSON) text, e.g. one built into a binary.
    pub fn from_yaml(text: &str) -> Result<Fixture, SimError> {
        serde_yaml_ng::from_str(text).map_err(|error| SimError::Parse {
            path: "<inline fixture>".into(),
            message: error.to_string(),
        })
    }

    /// The JSON schema of the fixture format (`schemas/sim-fixture.schema.json`).
    pub fn json_schema() -> Value {
        serde_json::to_value(schemars::schema_for!(Fixture)).unwrap_or(Value::Null)
    }
}

fn err(message: String) -> SimError {
    SimError::Fixture(message)
}

/// Builds the org a fixture describes, and returns the extra clients it names.
pub(crate) fn seed(f: &Fixture) -> Result<(OrgState, Vec<ClientCredentials>), SimError> {
    let org_id = f
        .org
        .as_ref()
        .and_then(|o| o.id.clone())
        .unwrap_or_else(|| DEFAULT_ORG_ID.to_string());
    if !ids::is_uuid(&org_id) {
        return Err(err(format!("org: id \"{org_id}\" is not a UUID")));
    }
    let org_name = f
        .org
        .as_ref()
        .and_then(|o| o.name.clone())
        .unwrap_or_else(|| DEFAULT_ORG_NAME.to_string());
    let mut org = OrgState::new(&org_id, &org_name);
    let ns = ids::org_namespace(&org_id);
    seed_divisions(&mut org, &f.divisions, &ns)?;
    let admin = org.admin_actor();

    for s in &f.skills {
        let id = ids::derived(&ns, "skill", &s.name);
        org.create_attribute(&admin, Attribute::Skill, &s.name, id)
            .map_err(|e| err(format!("skill \"{}\": {}", s.name, e.message)))?;
    }
    for l in &f.languages {
        let id = ids::derived(&ns, "language", &l.name);
        org.create_attribute(&admin, Attribute::Language, &l.name, id)
            .map_err(|e| err(format!("language \"{}\": {}", l.name, e.message)))?;
    }
    for c in &f.wrapup_codes {
        let at = |m: String| err(format!("wrap-up code \"{}\": {m}", c.name));
        let mut body = json!({"name": c.name});
        if let Some(d) = &c.description {
            body["description"] = json!(d);
        }
        let division = match c.division.as_deref() {
            None => org.home_division_id(),
            Some(ALL_DIVISIONS) => ALL_DIVISIONS.to_string(),
            Some(d) => division_id(&org, d).map_err(at)?,
        };
        body["division"] = json!({ "id": division });
        let valid = org
            .validate_wrapup_code_body(&body)
            .map_err(|e| at(e.message.clone()))?;
        org.create_wrapup_code(&admin, valid, ids::derived(&ns, "wrapupcode", &c.name))
            .map_err(|e| at(e.message.clone()))?;
    }
    for u in &f.users {
        seed_user(&mut org, u, &ns)?;
    }
    lookups::seed_lookups(&mut org, f, &ns)?;
    setting_lookups::seed_setting_lookups(&mut org, f, &ns)?;
    for q in &f.queues {
        seed_queue(&mut org, q, &ns)?;
    }
    // A seeded org has no history: its audit trail starts when the simulator does.
    org.audit.clear();
    org.unpublished.clear();
    Ok((org, fixture_clients(f)))
}

/// The OAuth clients a fixture names.
pub(crate) fn fixture_clients(f: &Fixture) -> Vec<ClientCredentials> {
    f.clients
        .iter()
        .map(|c| ClientCredentials {
            id: c.id.clone(),
            secret: c.secret.clone(),
        })
        .collect()
}

fn division_id(org: &OrgState, name: &str) -> Result<String, String> {
    org.divisions
        .values()
        .find(|d| d.name == name)
        .map(|d| d.id.clone())
        .ok_or_else(|| format!("division \"{name}\" does not exist"))
}

fn seed_divisions(
    org: &mut OrgState,
    divisions: &[FixtureDivision],
    ns: &uuid::Uuid,
) -> Result<(), SimError> {
    let homes: Vec<&FixtureDivision> = divisions.iter().filter(|d| d.home).collect();
    if homes.len() > 1 {
        return Err(err(format!(
            "divisions: {} are all marked home; at most one may be",
            homes
                .iter()
                .map(|d| format!("\"{}\"", d.name))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    if !homes.is_empty() {
        org.divisions.clear();
    }
    let mut seen = BTreeSet::new();
    for d in divisions {
        if d.name.trim().is_empty() {
            return Err(err("divisions: a division has an empty name".into()));
        }
        if !seen.insert(d.name.to_lowercase()) {
            return Err(err(format!(
                "division \"{}\": the name is used twice",
                d.name
            )));
        }
        let existing = org
            .divisions
            .values()
            .find(|x| x.name == d.name)
            .map(|x| x.id.clone());
        let id = existing.unwrap_or_else(|| ids::derived(ns, "division", &d.name));
        let home = d.home || org.divisions.get(&id).is_some_and(|x| x.home);
        org.divisions.insert(
            id.clone(),
            Division {
                id,
                name: d.name.clone(),
                description: d.description.clone().unwrap_or_default(),
                home,
            },
        );
    }
    Ok(())
}

fn seed_user(org: &mut OrgState, u: &FixtureUser, ns: &uuid::Uuid) -> Result<(), SimError> {
    let at = |m: String| err(format!("user \"{}\": {m}", u.email));
    if !u.email.contains('@') {
        return Err(at("the email is not an email address".into()));
    }
    if u.name.trim().is_empty() {
        return Err(at("the name is empty".into()));
    }
    if org.user_id_by_email(&u.email).is_some() {
        return Err(at("the email is used by two users".into()));
    }
    let id = ids::derived(ns, "user", &u.email.to_lowercase());
    let division = match &u.division {
        Some(d) => division_id(org, d).map_err(at)?,
        None => org.home_division_id(),
    };
    let utilization = match &u.utilization {
        None => None,
        Some(map) => Some(
            org.validate_utilization(&Value::Object(map.clone()))
                .map_err(|e| at(format!("utilization: {}", e.message)))?,
        ),
    };
    org.users.insert(
        id.clone(),
        User {
            id: id.clone(),
            name: u.name.clone(),
            email: u.email.clone(),
            state: u.state.unwrap_or(UserState::Active),
            division_id: division,
            version: 1,
            skills: BTreeMap::new(),
            languages: BTreeMap::new(),
            utilization,
        },
    );
    let admin = org.admin_actor();
    let assigned = [
        (Attribute::Skill, &u.skills),
        (Attribute::Language, &u.languages),
    ];
    for (kind, proficiencies) in assigned {
        let mut entries = Vec::new();
        for (name, p) in proficiencies {
            let found = org
                .active_attribute_id(kind, name)
                .ok_or_else(|| at(format!("{} \"{name}\" does not exist", kind.noun())))?;
            entries.push((found, *p));
        }
        org.assign(&admin, kind, &id, &entries, true)
            .map_err(|e| at(e.message.clone()))?;
    }
    Ok(())
}

fn seed_queue(org: &mut OrgState, q: &FixtureQueue, ns: &uuid::Uuid) -> Result<(), SimError> {
    let at = |m: String| err(format!("queue \"{}\": {m}", q.name));
    let mut body = q.settings.clone();
    body.insert("name".into(), json!(q.name));
    if let Some(d) = &q.description {
        body.insert("description".into(), json!(d));
    }
    if let Some(d) = &q.division {
        body.insert(
            "division".into(),
            json!({"id": division_id(org, d).map_err(at)?}),
        );
    }
    lookups::put_member_groups(org, &q.member_groups, &mut body).map_err(at)?;
    let valid = org
        .validate_queue_body(&Value::Object(body), QueueDefinition::Create)
        .map_err(|e| at(format!("settings: {}", e.message)))?;
    let admin = org.admin_actor();
    let id = org
        .insert_queue(&admin, valid, ids::derived(ns, "queue", &q.name))
        .map_err(|e| at(e.message.clone()))?;
    let mut members = BTreeMap::new();
    let mut opaque = BTreeMap::new();
    for m in &q.members {
        let user = org
            .user_id_by_email(&m.user)
            .ok_or_else(|| at(format!("member \"{}\" is not a user", m.user)))?;
        let ring = m.ring.unwrap_or(1);
        if !(1..=6).contains(&ring) {
            return Err(at(format!(
                "member \"{}\": ring {ring} is not between 1 and 6",
                m.user
            )));
        }
        let member = Member {
            ring,
            joined: m.joined.unwrap_or(true),
            member_by: m.member_by.unwrap_or(MemberBy::User),
        };
        if member.member_by == MemberBy::Group {
            opaque.insert(user.clone(), ring);
        }
        if members.insert(user, member).is_some() {
            return Err(at(format!("member \"{}\" is listed twice", m.user)));
        }
    }
    let mut codes = BTreeSet::new();
    for name in &q.wrapup_codes {
        let code = org
            .wrapup_code_id_by_name(name)
            .ok_or_else(|| at(format!("wrap-up code \"{name}\" does not exist")))?;
        codes.insert(code);
    }
    if let Some(queue) = org.queues.get_mut(&id) {
        queue.members = members;
        queue.wrapup_codes = codes;
        queue.opaque_group_members = opaque;
    }
    org.sync_group_members(&admin, &id);
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn parse(yaml: &str) -> Fixture {
        serde_yaml_ng::from_str(yaml).unwrap()
    }

    #[test]
    fn errors_name_the_item() {
        let f = parse(
            "users: [{name: Ana, email: ana@x.com}]\nqueues: [{name: Billing EN, members: [{user: x@y}]}]\n",
        );
        assert_eq!(
            seed(&f).unwrap_err().to_string(),
            "fixture: queue \"Billing EN\": member \"x@y\" is not a user"
        );
        let f = parse("queues: [{name: Q, settings: {acwSettings: {timeoutMs: 5}}}]\n");
        assert!(
            seed(&f)
                .unwrap_err()
                .to_string()
                .starts_with("fixture: queue \"Q\": settings:")
        );
        let f = parse("users: [{name: Ana, email: ana@x.com, skills: {Nope: 1}}]\n");
        assert_eq!(
            seed(&f).unwrap_err().to_string(),
            "fixture: user \"ana@x.com\": skill \"Nope\" does not exist"
        );
    }

    #[test]
    fn unknown_keys_are_refused() {
        assert!(serde_yaml_ng::from_str::<Fixture>("queuez: []\n").is_err());
    }

    #[test]
    fn home_division_is_created_or_taken() {
        let (org, _) = seed(&parse("divisions: [{name: Sales}]\n")).unwrap();
        assert_eq!(org.divisions.len(), 2);
        let (org, _) = seed(&parse(
            "divisions: [{name: Main, home: true}, {name: Sales}]\n",
        ))
        .unwrap();
        assert_eq!(org.divisions.len(), 2);
        assert_eq!(org.divisions[&org.home_division_id()].name, "Main");
    }

    #[test]
    fn same_fixture_same_ids() {
        let f = parse("skills: [{name: Billing}]\nqueues: [{name: Q}]\n");
        let (a, _) = seed(&f).unwrap();
        let (b, _) = seed(&f).unwrap();
        assert_eq!(
            a.queues.keys().collect::<Vec<_>>(),
            b.queues.keys().collect::<Vec<_>>()
        );
        assert!(a.audit.is_empty());
    }
}
