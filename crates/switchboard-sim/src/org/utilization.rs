//! Max utilization, org-wide and per agent.

use serde_json::{Map, Value, json};

use super::{OpResult, OrgState};
use crate::api_error::ApiError;
use crate::audit::{Actor, PropertyChange, same_json};
use crate::queue_rules::strip_nulls;
use crate::request_definitions;

/// The media types utilization is set for (the vendor's Terraform provider uses these).
pub(crate) const MEDIA_TYPES: [&str; 5] = ["call", "callback", "chat", "email", "message"];

/// Capacities the API accepts per media type (Terraform provider: 0–25).
const CAPACITY: std::ops::RangeInclusive<i64> = 0..=25;

/// The org utilization before anyone sets it, and after DELETE.
// unverified: the system defaults are not documented; these are the commonly seen ones.
pub(crate) fn default_utilization() -> Value {
    let media = |capacity: i64| json!({"maximumCapacity": capacity, "interruptableMediaTypes": [], "includeNonAcd": false});
    json!({
        "utilization": {
            "call": media(1),
            "callback": media(1),
            "chat": media(4),
            "email": media(1),
            "message": media(4),
        },
        "labelUtilizations": {},
    })
}

impl OrgState {
    /// Checks a `UtilizationRequest` and returns the stored form: the request's media
    /// types over the defaults.
    pub(crate) fn validate_utilization(&self, body: &Value) -> OpResult<Value> {
        if !body.is_object() {
            return Err(ApiError::bad_request(
                "The body must be a UtilizationRequest JSON object.",
            ));
        }
        request_definitions::check("UtilizationRequest", body)?;
        // `null` is absent (as the check above reads it): nothing stored, nothing echoed.
        let mut body = body.clone();
        strip_nulls(&mut body);
        let mut stored = default_utilization();
        if let Some(media) = body.get("utilization").and_then(Value::as_object) {
            for (media_type, settings) in media {
                if !MEDIA_TYPES.contains(&media_type.as_str()) {
                    return Err(ApiError::invalid_value(
                        &format!("utilization.{media_type}"),
                        format!(
                            "Value [{media_type}] is not a valid media type. Allowable values are: {}",
                            MEDIA_TYPES.join(", ")
                        ),
                    ));
                }
                let capacity = settings.get("maximumCapacity").and_then(Value::as_i64);
                if let Some(c) = capacity
                    && !CAPACITY.contains(&c)
                {
                    return Err(ApiError::invalid_value(
                        &format!("utilization.{media_type}.maximumCapacity"),
                        format!(
                            "Value [{c}] is not valid for field [maximumCapacity]: it must be between 0 and 25"
                        ),
                    ));
                }
                for other in settings
                    .get("interruptableMediaTypes")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if !other.as_str().is_some_and(|s| MEDIA_TYPES.contains(&s)) {
                        return Err(ApiError::invalid_value(
                            &format!("utilization.{media_type}.interruptableMediaTypes"),
                            format!("Value [{other}] is not a valid media type."),
                        ));
                    }
                }
                let mut entry = Map::new();
                entry.insert("maximumCapacity".into(), json!(capacity.unwrap_or(1)));
                entry.insert(
                    "interruptableMediaTypes".into(),
                    settings
                        .get("interruptableMediaTypes")
                        .cloned()
                        .unwrap_or(json!([])),
                );
                entry.insert(
                    "includeNonAcd".into(),
                    settings
                        .get("includeNonAcd")
                        .cloned()
                        .unwrap_or(json!(false)),
                );
                stored["utilization"][media_type] = Value::Object(entry);
            }
        }
        if let Some(labels) = body.get("labelUtilizations").and_then(Value::as_object) {
            let unknown = |label: &str, at: String| {
                ApiError::invalid_value(&at, format!("Utilization label [{label}] does not exist."))
            };
            for (label, settings) in labels {
                if !self.utilization_labels.contains_key(label) {
                    return Err(unknown(label, format!("labelUtilizations.{label}")));
                }
                // unverified: the description gives no range for a label's maximumCapacity
                // (API-FACTS-LOOKUPS L2.2); a negative one is refused as meaningless.
                let capacity = settings.get("maximumCapacity").and_then(Value::as_i64);
                if let Some(c) = capacity
                    && c < 0
                {
                    return Err(ApiError::invalid_value(
                        &format!("labelUtilizations.{label}.maximumCapacity"),
                        format!("Value [{c}] is not valid for field [maximumCapacity]"),
                    ));
                }
                let mut interrupting = Vec::new();
                for other in settings
                    .get("interruptingLabelIds")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    match other.as_str() {
                        Some(id) if self.utilization_labels.contains_key(id) => {
                            interrupting.push(json!(id));
                        }
                        _ => {
                            return Err(unknown(
                                &audit_text(other),
                                format!("labelUtilizations.{label}.interruptingLabelIds"),
                            ));
                        }
                    }
                }
                stored["labelUtilizations"][label] = json!({
                    "maximumCapacity": capacity.unwrap_or(1),
                    "interruptingLabelIds": interrupting,
                });
            }
        }
        if let Some(max) = body.get("maxInboundCalls") {
            stored["maxInboundCalls"] = max.clone();
        }
        Ok(stored)
    }

    /// The org utilization in effect, as stored (label utilizations without their names).
    pub(crate) fn org_utilization(&self) -> Value {
        self.org_utilization
            .clone()
            .unwrap_or_else(default_utilization)
    }

    /// The org utilization as a read returns it (`UtilizationResponse`: each label
    /// utilization with its `labelName`).
    pub(crate) fn org_utilization_response(&self) -> Value {
        let mut v = self.org_utilization();
        self.render_label_utilizations(&mut v);
        v
    }

    /// PUT (Some) or DELETE (None) /routing/utilization.
    pub(crate) fn set_org_utilization(&mut self, actor: &Actor, value: Option<Value>) {
        let old = self.org_utilization();
        self.org_utilization = value;
        let new = self.org_utilization();
        let mut changes = Vec::new();
        super::json_changes("", &old, &new, &mut changes);
        let org_id = self.org.id.clone();
        let org_name = self.org.name.clone();
        self.record(
            actor,
            "MaxOrgRoutingUtilizationCapacity",
            &org_id,
            &org_name,
            "Update",
            changes,
        );
    }

    /// GET /routing/users/{id}/utilization: the agent's own settings, or the org's.
    pub(crate) fn user_utilization(&self, user_id: &str) -> OpResult<Value> {
        let Some(user) = self.users.get(user_id) else {
            return Err(ApiError::not_found_id(user_id));
        };
        let (mut v, level) = match &user.utilization {
            Some(own) => (own.clone(), "Agent"),
            None => (self.org_utilization(), "Organization"),
        };
        v["level"] = json!(level);
        self.render_label_utilizations(&mut v);
        Ok(v)
    }

    /// PUT (Some) or DELETE (None) /routing/users/{id}/utilization.
    pub(crate) fn set_user_utilization(
        &mut self,
        actor: &Actor,
        user_id: &str,
        value: Option<Value>,
    ) -> OpResult<()> {
        let Some(user) = self.users.get_mut(user_id) else {
            return Err(ApiError::not_found_id(user_id));
        };
        let changed = match (&user.utilization, &value) {
            (Some(old), Some(new)) => !same_json(old, new),
            (old, new) => old.is_some() != new.is_some(),
        };
        user.utilization = value;
        let name = user.name.clone();
        if changed {
            self.record(
                actor,
                "User",
                user_id,
                &name,
                "Update",
                vec![PropertyChange::new("utilization", [], [])],
            );
        }
        Ok(())
    }
}

/// A JSON value as text, for an error message.
fn audit_text(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_string)
}
