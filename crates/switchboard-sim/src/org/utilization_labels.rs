//! Utilization labels (API-FACTS-LOOKUPS L2.2): a name, and the capacity set for it through
//! `labelUtilizations` in the org's and the agents' utilization.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{OpResult, OrgState, name_key};
use crate::api_error::ApiError;
use crate::audit::{Actor, PropertyChange};

// unverified: the vendor's message and code for a duplicate label name are not documented;
// the other routing objects answer 400 `duplicate.name`, so this does too.
const DUPLICATE_LABEL: &str = "A utilization label with this name already exists.";

/// One label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UtilizationLabel {
    pub id: String,
    pub name: String,
}

impl OrgState {
    /// The label as `UtilizationLabel`.
    pub(crate) fn render_utilization_label(&self, label: &UtilizationLabel) -> Value {
        json!({
            "id": label.id,
            "name": label.name,
            "selfUri": format!("/api/v2/routing/utilization/labels/{}", label.id),
        })
    }

    /// Labels sorted by name (`sortOrder`), filtered by `name` (exact or `*`-wildcarded,
    /// case-insensitive).
    pub(crate) fn utilization_labels_sorted(&self) -> Vec<&UtilizationLabel> {
        let mut labels: Vec<&UtilizationLabel> = self
            .utilization_labels
            .values()
            .filter(|l| self.visible(&l.id))
            .collect();
        labels.sort_by_key(|l| name_key(&l.name, &l.id));
        labels
    }

    /// A `CreateUtilizationLabelRequest` / `UpdateUtilizationLabelRequest`'s name.
    fn label_name(body: &Value) -> OpResult<String> {
        match body.get("name").and_then(Value::as_str).map(str::trim) {
            Some(name) if !name.is_empty() => Ok(name.to_string()),
            _ => Err(ApiError::required_missing("name")),
        }
    }

    fn label_name_taken(&self, name: &str, except: Option<&str>) -> bool {
        self.utilization_labels
            .values()
            .any(|l| Some(l.id.as_str()) != except && l.name.eq_ignore_ascii_case(name))
    }

    /// POST: a label. The request's optional org-level `utilization` is set in the org's
    /// `labelUtilizations`.
    pub(crate) fn create_utilization_label(
        &mut self,
        actor: &Actor,
        body: &Value,
        id: String,
    ) -> OpResult<String> {
        crate::request_definitions::check("CreateUtilizationLabelRequest", body)?;
        let name = Self::label_name(body)?;
        if self.label_name_taken(&name, None) {
            return Err(ApiError::duplicate_name(DUPLICATE_LABEL));
        }
        self.utilization_labels.insert(
            id.clone(),
            UtilizationLabel {
                id: id.clone(),
                name: name.clone(),
            },
        );
        if let Some(settings) = body.get("utilization").filter(|v| v.is_object()) {
            let mut org = self.org_utilization();
            org["labelUtilizations"][&id] = settings.clone();
            match self.validate_utilization(&org) {
                Ok(valid) => self.org_utilization = Some(valid),
                Err(error) => {
                    self.utilization_labels.remove(&id);
                    return Err(error);
                }
            }
        }
        self.hide_new(&id);
        self.record(
            actor,
            "UtilizationLabel",
            &id,
            &name,
            "Create",
            vec![PropertyChange::new("name", [], [name.clone()])],
        );
        Ok(id)
    }

    /// PUT: only the name changes.
    pub(crate) fn rename_utilization_label(
        &mut self,
        actor: &Actor,
        id: &str,
        body: &Value,
    ) -> OpResult<()> {
        crate::request_definitions::check("UpdateUtilizationLabelRequest", body)?;
        let name = Self::label_name(body)?;
        if self.label_name_taken(&name, Some(id)) {
            return Err(ApiError::duplicate_name(DUPLICATE_LABEL));
        }
        let Some(label) = self.utilization_labels.get_mut(id) else {
            return Err(ApiError::not_found_id(id));
        };
        let old = std::mem::replace(&mut label.name, name.clone());
        if old != name {
            self.record(
                actor,
                "UtilizationLabel",
                id,
                &name,
                "Update",
                vec![PropertyChange::new("name", [old], [name.clone()])],
            );
        }
        Ok(())
    }

    /// The ids of the users whose own utilization names the label (as a label, or as one
    /// that may interrupt another).
    pub(crate) fn utilization_label_users(&self, id: &str) -> Vec<String> {
        self.users
            .values()
            .filter(|u| u.utilization.as_ref().is_some_and(|v| names_label(v, id)))
            .map(|u| u.id.clone())
            .collect()
    }

    /// DELETE: refused while the org's or an agent's utilization uses the label, unless
    /// `forceDelete`, which removes every usage first.
    // unverified: the description says `forceDelete` "removes all label usages (if found)
    // without warning", which implies a plain delete of a label in use is refused; the
    // status and code are not documented. The simulator answers 409 `general.conflict`.
    pub(crate) fn delete_utilization_label(
        &mut self,
        actor: &Actor,
        id: &str,
        force: bool,
    ) -> OpResult<()> {
        let Some(label) = self.utilization_labels.get(id).cloned() else {
            return Err(ApiError::not_found_id(id));
        };
        let users = self.utilization_label_users(id);
        let by_org = self
            .org_utilization
            .as_ref()
            .is_some_and(|v| names_label(v, id));
        if !force && (by_org || !users.is_empty()) {
            return Err(ApiError::conflict(format!(
                "Utilization label [{}] is in use by {} agent(s){}; remove those usages or delete with forceDelete=true.",
                label.name,
                users.len(),
                if by_org { " and the organization" } else { "" }
            )));
        }
        if let Some(org) = self.org_utilization.as_mut() {
            remove_label(org, id);
        }
        for user in self.users.values_mut() {
            if let Some(own) = user.utilization.as_mut() {
                remove_label(own, id);
            }
        }
        self.utilization_labels.remove(id);
        self.record(
            actor,
            "UtilizationLabel",
            id,
            &label.name,
            "Delete",
            vec![PropertyChange::new("name", [label.name.clone()], [])],
        );
        Ok(())
    }

    /// `labelUtilizations` as read: each stored entry with its `labelName`.
    pub(crate) fn render_label_utilizations(&self, utilization: &mut Value) {
        let Some(labels) = utilization
            .get_mut("labelUtilizations")
            .and_then(Value::as_object_mut)
        else {
            return;
        };
        for (id, entry) in labels.iter_mut() {
            if let Some(label) = self.utilization_labels.get(id) {
                entry["labelName"] = json!(label.name);
            }
        }
    }
}

/// Whether a stored utilization names the label `id`.
fn names_label(utilization: &Value, id: &str) -> bool {
    let Some(labels) = utilization
        .get("labelUtilizations")
        .and_then(Value::as_object)
    else {
        return false;
    };
    labels.contains_key(id)
        || labels.values().any(|entry| {
            entry
                .get("interruptingLabelIds")
                .and_then(Value::as_array)
                .is_some_and(|ids| ids.iter().any(|i| i.as_str() == Some(id)))
        })
}

/// Removes the label `id` from a stored utilization, as an entry and as an interrupting label.
fn remove_label(utilization: &mut Value, id: &str) {
    let Some(labels) = utilization
        .get_mut("labelUtilizations")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    labels.remove(id);
    for entry in labels.values_mut() {
        if let Some(ids) = entry
            .get_mut("interruptingLabelIds")
            .and_then(Value::as_array_mut)
        {
            ids.retain(|i| i.as_str() != Some(id));
        }
    }
}
