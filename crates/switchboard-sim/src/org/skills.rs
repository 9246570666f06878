//! Routing skills: create, soft delete, division change. There is no rename.

use chrono::Utc;
use serde_json::{Value, json};

use super::{EntityState, OpResult, OrgState, Skill, iso};
use crate::api_error::ApiError;
use crate::audit::{Actor, PropertyChange};

impl OrgState {
    pub(crate) fn skill_is_active(&self, id: &str) -> bool {
        self.skills
            .get(id)
            .is_some_and(|s| s.state == EntityState::Active)
    }

    /// The active skill with this name, if any.
    pub(crate) fn active_skill_id(&self, name: &str) -> Option<String> {
        self.skills
            .values()
            .find(|s| s.state == EntityState::Active && s.name == name)
            .map(|s| s.id.clone())
    }

    /// POST /routing/skills. A deleted skill's name may be reused; an active one's may not
    /// (409 `general.conflict`, 2018 spec).
    pub(crate) fn create_skill(
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
            .skills
            .values()
            .any(|s| s.state == EntityState::Active && s.name.eq_ignore_ascii_case(name));
        if taken {
            return Err(ApiError::conflict(format!(
                "A skill named [{name}] already exists."
            )));
        }
        let skill = Skill {
            id: id.clone(),
            name: name.to_string(),
            state: EntityState::Active,
            division_id: self.home_division_id(),
            date_modified: Utc::now(),
            version: 1,
        };
        self.skills.insert(id.clone(), skill);
        self.hide_new(&id);
        self.record(
            actor,
            "RoutingSkill",
            &id,
            name,
            "Create",
            vec![PropertyChange::new("name", [], [name.to_string()])],
        );
        Ok(id)
    }

    /// DELETE /routing/skills/{id}: a soft delete. The skill stays listed with state
    /// `deleted`, and users lose the assignment.
    // unverified: deleting an already deleted skill answers 404 here.
    pub(crate) fn delete_skill(&mut self, actor: &Actor, id: &str) -> OpResult<()> {
        let Some(skill) = self.skills.get_mut(id) else {
            return Err(ApiError::not_found_id(id));
        };
        if skill.state == EntityState::Deleted {
            return Err(ApiError::not_found_id(id));
        }
        skill.state = EntityState::Deleted;
        skill.date_modified = Utc::now();
        skill.version += 1;
        let name = skill.name.clone();
        for user in self.users.values_mut() {
            user.skills.remove(id);
        }
        self.record(
            actor,
            "RoutingSkill",
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

    /// PATCH /routing/skills/{id} with `UpdateSkillDivisionRequest`.
    pub(crate) fn set_skill_division(
        &mut self,
        actor: &Actor,
        id: &str,
        division_id: &str,
    ) -> OpResult<()> {
        if !self.divisions.contains_key(division_id) {
            return Err(ApiError::invalid_value(
                "divisionId",
                format!("Division [{division_id}] does not exist."),
            ));
        }
        let Some(skill) = self.skills.get_mut(id) else {
            return Err(ApiError::not_found_id(id));
        };
        let old = std::mem::replace(&mut skill.division_id, division_id.to_string());
        skill.date_modified = Utc::now();
        skill.version += 1;
        let name = skill.name.clone();
        self.record(
            actor,
            "RoutingSkill",
            id,
            &name,
            "Update",
            vec![PropertyChange::new(
                "division",
                [old],
                [division_id.to_string()],
            )],
        );
        Ok(())
    }

    /// The `RoutingSkill` JSON.
    pub(crate) fn render_skill(&self, s: &Skill) -> Value {
        json!({
            "id": s.id,
            "name": s.name,
            "dateModified": iso(s.date_modified),
            "state": s.state.as_str(),
            "version": s.version.to_string(),
            "division": self.division_ref(&s.division_id),
            "selfUri": format!("/api/v2/routing/skills/{}", s.id),
        })
    }
}
