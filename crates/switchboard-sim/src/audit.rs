//! The audit trail: one record per change, by an OAuth client through the API or by a
//! person in the admin UI, served as `AuditLogMessage`s by the audit query endpoints.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::org::iso;

/// The name of the person the admin UI edits are attributed to.
pub(crate) const ADMIN_NAME: &str = "Dana Admin";

/// The service every routing change is audited under.
pub(crate) const SERVICE_NAME: &str = "Routing";

/// Who made a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub(crate) enum Actor {
    /// An OAuth client (client credentials grant) through the API.
    Client { id: String },
    /// A person, e.g. the admin editing in the UI.
    User { id: String, name: String },
}

impl Actor {
    /// The id put in `createdBy` / `modifiedBy` fields.
    // unverified: for client-credentials changes the real API's createdBy/modifiedBy value
    // is not documented; the client id is used.
    pub(crate) fn id(&self) -> &str {
        match self {
            Actor::Client { id } | Actor::User { id, .. } => id,
        }
    }
}

/// One changed property, as the audit service reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PropertyChange {
    pub property: String,
    pub old_values: Vec<String>,
    pub new_values: Vec<String>,
}

impl PropertyChange {
    pub(crate) fn new(
        property: &str,
        old: impl IntoIterator<Item = String>,
        new: impl IntoIterator<Item = String>,
    ) -> PropertyChange {
        PropertyChange {
            property: property.to_string(),
            old_values: old.into_iter().collect(),
            new_values: new.into_iter().collect(),
        }
    }
}

/// One audited change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AuditRecord {
    pub id: String,
    pub event_date: DateTime<Utc>,
    pub actor: Actor,
    pub entity_type: String,
    pub entity_id: String,
    pub entity_name: String,
    pub action: String,
    pub property_changes: Vec<PropertyChange>,
}

impl AuditRecord {
    /// The `AuditLogMessage` JSON of this record.
    pub(crate) fn message(&self, org_id: &str) -> Value {
        let mut m = json!({
            "id": self.id,
            "userHomeOrgId": org_id,
            "remoteIp": ["127.0.0.1"],
            "serviceName": SERVICE_NAME,
            "level": "USER",
            "eventDate": iso(self.event_date),
            "action": self.action,
            "entity": {
                "id": self.entity_id,
                "name": self.entity_name,
            },
            "entityType": self.entity_type,
            "status": "SUCCESS",
            "propertyChanges": self.property_changes.iter().map(|c| json!({
                "property": c.property,
                "oldValues": c.old_values,
                "newValues": c.new_values,
            })).collect::<Vec<_>>(),
        });
        match &self.actor {
            Actor::Client { id } => {
                m["client"] = json!({"id": id, "selfUri": format!("/api/v2/oauth/clients/{id}")});
            }
            Actor::User { id, name } => {
                m["user"] =
                    json!({"id": id, "name": name, "selfUri": format!("/api/v2/users/{id}")});
                m["application"] = Value::String("Genesys Cloud Admin UI".into());
            }
        }
        m
    }

    /// Whether an `AuditQueryFilter {property, value}` matches this record.
    pub(crate) fn matches_filter(&self, property: &str, value: &str) -> bool {
        match property {
            "EntityId" => self.entity_id == value,
            "EntityType" => self.entity_type.eq_ignore_ascii_case(value),
            "Action" => self.action.eq_ignore_ascii_case(value),
            "UserId" => matches!(&self.actor, Actor::User { id, .. } if id == value),
            "ClientId" => matches!(&self.actor, Actor::Client { id } if id == value),
            // The sim has a single org, so a trustee filter never matches.
            _ => false,
        }
    }
}

/// Whether two JSON values are equal, numbers compared by value: `15` and `15.0` are the same
/// number (a client may re-send an integer as a float), which `Value`'s `==` does not see.
pub(crate) fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => match (x.as_u64(), y.as_u64()) {
                (Some(x), Some(y)) => x == y,
                // An integer beyond 2^53 and a float are compared as floats, so approximately;
                // no writable field of the API holds such integers.
                _ => x.as_f64() == y.as_f64(),
            },
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        (a, b) => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::json_changes;

    #[test]
    fn numbers_are_compared_by_value() {
        assert!(same_json(&json!(15), &json!(15.0)));
        assert!(same_json(&json!(-3), &json!(-3.0)));
        assert!(same_json(&json!(u64::MAX), &json!(u64::MAX)));
        assert!(!same_json(&json!(15), &json!(15.5)));
        assert!(!same_json(&json!(15), &json!("15")));
        assert!(same_json(
            &json!({"a": [1, {"b": 2.0}], "c": "x"}),
            &json!({"c": "x", "a": [1.0, {"b": 2}]})
        ));
        assert!(!same_json(&json!({"a": 1}), &json!({"a": 1, "b": 1})));
        assert!(!same_json(&json!([1, 2]), &json!([1])));
    }

    #[test]
    fn a_number_resent_as_a_float_is_no_change() {
        let mut changes = Vec::new();
        let old = json!({"mediaSettings": {"call": {"autoAnswerAlertToneSeconds": 15}}, "n": [1]});
        let new =
            json!({"mediaSettings": {"call": {"autoAnswerAlertToneSeconds": 15.0}}, "n": [1.0]});
        json_changes("", &old, &new, &mut changes);
        assert_eq!(changes, []);
        let new =
            json!({"mediaSettings": {"call": {"autoAnswerAlertToneSeconds": 15.5}}, "n": [1]});
        json_changes("", &old, &new, &mut changes);
        assert_eq!(
            changes,
            [PropertyChange::new(
                "mediaSettings.call.autoAnswerAlertToneSeconds",
                ["15".to_owned()],
                ["15.5".to_owned()]
            )]
        );
    }
}
