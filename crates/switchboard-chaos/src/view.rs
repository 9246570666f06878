//! What the checker reads from a simulator snapshot (`RunningSim::snapshot`): the live
//! objects by id, queue members, agents' assignments and the audit trail. Anything missing
//! or of the wrong shape is an error, never a panic: a checker that skips what it cannot
//! read would pass a broken run.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

/// The kinds of named objects, as the snapshot keys them.
pub const OBJECT_KINDS: [&str; 4] = ["queues", "skills", "languages", "wrapupCodes"];

/// One org, as the checker sees it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrgView {
    /// `(kind, id)` → name of every live object (soft-deleted skills and languages are not
    /// live).
    pub objects: BTreeMap<(String, String), String>,
    /// Queue id → the user ids of its members.
    pub members: BTreeMap<String, BTreeSet<String>>,
    /// User id → the user.
    pub users: BTreeMap<String, UserView>,
    /// The audit trail, oldest first.
    pub audit: Vec<AuditView>,
}

/// One user: the email and the ids of the assigned skills and languages.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserView {
    /// The email, lower case (the plan addresses agents by it).
    pub email: String,
    /// Assigned skill ids.
    pub skills: BTreeSet<String>,
    /// Assigned language ids.
    pub languages: BTreeSet<String>,
}

/// One audit record.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditView {
    /// Whether an OAuth client made it (switchboard), rather than a person in the admin UI.
    pub by_client: bool,
    /// `Queue`, `User`, `Skill`, `Language`, `WrapupCode`, ...
    pub entity_type: String,
    /// The changed object's id.
    pub entity_id: String,
    /// Its name at the time.
    pub entity_name: String,
    /// `Create`, `Update`, `Delete`, `MemberAdd`, `MemberRemove`, `Assign`, `Unassign`, ...
    pub action: String,
    /// For member records: the user id.
    pub user_id: Option<String>,
}

impl OrgView {
    /// Reads a snapshot.
    pub fn read(snapshot: &Value) -> Result<OrgView, String> {
        let mut view = OrgView::default();
        for kind in OBJECT_KINDS {
            for (id, object) in map(snapshot, kind)? {
                if object.get("state").and_then(Value::as_str) == Some("deleted") {
                    continue;
                }
                let name = text(object, "name", kind)?;
                view.objects
                    .insert((kind.to_string(), id.clone()), name.to_string());
                if kind == "queues" {
                    let members = object
                        .get("members")
                        .and_then(Value::as_object)
                        .ok_or_else(|| format!("queue {id} has no members map"))?;
                    view.members
                        .insert(id.clone(), members.keys().cloned().collect());
                }
            }
        }
        for (id, user) in map(snapshot, "users")? {
            let ids = |key: &str| -> Result<BTreeSet<String>, String> {
                Ok(user
                    .get(key)
                    .and_then(Value::as_object)
                    .ok_or_else(|| format!("user {id} has no {key} map"))?
                    .keys()
                    .cloned()
                    .collect())
            };
            view.users.insert(
                id.clone(),
                UserView {
                    email: text(user, "email", "users")?.to_lowercase(),
                    skills: ids("skills")?,
                    languages: ids("languages")?,
                },
            );
        }
        let audit = snapshot
            .get("audit")
            .and_then(Value::as_array)
            .ok_or("the snapshot has no audit trail")?;
        for record in audit {
            let by_client = record.pointer("/actor/kind").and_then(Value::as_str) == Some("client");
            let user_id = record
                .get("propertyChanges")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter(|p| p.get("property").and_then(Value::as_str) == Some("userId"))
                .flat_map(|p| ["oldValues", "newValues"].map(|k| p.get(k)))
                .flatten()
                .filter_map(Value::as_array)
                .flatten()
                .find_map(Value::as_str)
                .map(String::from);
            view.audit.push(AuditView {
                by_client,
                entity_type: text(record, "entityType", "audit")?.to_string(),
                entity_id: text(record, "entityId", "audit")?.to_string(),
                entity_name: text(record, "entityName", "audit")?.to_string(),
                action: text(record, "action", "audit")?.to_string(),
                user_id,
            });
        }
        Ok(view)
    }

    /// The live ids of `kind` objects named `name` (case-insensitive, as the API compares
    /// names).
    pub fn ids_named(&self, kind: &str, name: &str) -> Vec<&str> {
        self.objects
            .iter()
            .filter(|((k, _), n)| k == kind && n.eq_ignore_ascii_case(name))
            .map(|((_, id), _)| id.as_str())
            .collect()
    }
}

fn map<'a>(snapshot: &'a Value, key: &str) -> Result<&'a Map<String, Value>, String> {
    snapshot
        .get(key)
        .and_then(Value::as_object)
        .ok_or_else(|| format!("the snapshot has no {key} map"))
}

fn text<'a>(object: &'a Value, key: &str, what: &str) -> Result<&'a str, String> {
    object
        .get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("a {what} entry has no {key}"))
}
