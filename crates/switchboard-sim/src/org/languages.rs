//! Routing languages: create and soft delete.

use chrono::Utc;
use serde_json::{Value, json};

use super::{EntityState, Language, OpResult, OrgState, iso};
use crate::api_error::ApiError;
use crate::audit::{Actor, PropertyChange};

impl OrgState {
    pub(crate) fn language_is_active(&self, id: &str) -> bool {
        self.languages
            .get(id)
            .is_some_and(|l| l.state == EntityState::Active)
    }

    /// The active language with this name, if any.
    pub(crate) fn active_language_id(&self, name: &str) -> Option<String> {
        self.languages
            .values()
            .find(|l| l.state == EntityState::Active && l.name == name)
            .map(|l| l.id.clone())
    }

    /// POST /routing/languages.
    // unverified: the duplicate-name answer for languages is not documented; 409
    // general.conflict, as for skills, is the simulator's choice.
    pub(crate) fn create_language(
        &mut self,
        actor: &Actor,
        name: &str,
        id: String,
    ) -> OpResult<String> {
        let name = name.trim();
        if name.is_empty() {
            return Err(ApiError::required_missing("name"));
        }
        let taken = self
            .languages
            .values()
            .any(|l| l.state == EntityState::Active && l.name.eq_ignore_ascii_case(name));
        if taken {
            return Err(ApiError::conflict(format!(
                "A language named [{name}] already exists."
            )));
        }
        self.languages.insert(
            id.clone(),
            Language {
                id: id.clone(),
                name: name.to_string(),
                state: EntityState::Active,
                date_modified: Utc::now(),
                version: 1,
            },
        );
        self.hide_new(&id);
        self.record(
            actor,
            "RoutingLanguage",
            &id,
            name,
            "Create",
            vec![PropertyChange::new("name", [], [name.to_string()])],
        );
        Ok(id)
    }

    /// DELETE /routing/languages/{id}: a soft delete, like skills.
    pub(crate) fn delete_language(&mut self, actor: &Actor, id: &str) -> OpResult<()> {
        let Some(language) = self.languages.get_mut(id) else {
            return Err(ApiError::not_found_id(id));
        };
        if language.state == EntityState::Deleted {
            return Err(ApiError::not_found_id(id));
        }
        language.state = EntityState::Deleted;
        language.date_modified = Utc::now();
        language.version += 1;
        let name = language.name.clone();
        for user in self.users.values_mut() {
            user.languages.remove(id);
        }
        self.record(
            actor,
            "RoutingLanguage",
            id,
            &name,
            "Delete",
            vec![PropertyChange::new(
                "state",
                ["active".to_string()],
                ["deleted".to_string()],
            )],
        );
        Ok(())
    }

    /// The `Language` JSON.
    pub(crate) fn render_language(&self, l: &Language) -> Value {
        json!({
            "id": l.id,
            "name": l.name,
            "dateModified": iso(l.date_modified),
            "state": l.state.as_str(),
            "version": l.version.to_string(),
            "selfUri": format!("/api/v2/routing/languages/{}", l.id),
        })
    }
}
