//! Routing skills: the division change, which only skills have. There is no rename;
//! create and soft delete are shared with languages (see `routing_attributes`).

use chrono::Utc;

use super::{OpResult, OrgState};
use crate::api_error::ApiError;
use crate::audit::Actor;

impl OrgState {
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
        let old = skill.division_id.replace(division_id.to_string());
        skill.date_modified = Utc::now();
        skill.version += 1;
        let name = skill.name.clone();
        self.record_division_move(actor, "RoutingSkill", id, &name, old, division_id);
        Ok(())
    }
}
