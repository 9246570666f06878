//! Writing skill groups (API-FACTS-LOOKUPS L2.1): a create carries everything, member
//! divisions included; an update is a read-modify-write PATCH of the whole definition
//! (`SkillGroup`: the API's PATCH needs it whole), then the member divisions' add and remove
//! lists (`POST …/members/divisions`), each only when something differs.

use std::collections::BTreeSet;

use serde_json::Value;
use switchboard_client::models::{
    EntityRef, SkillGroup, SkillGroupCondition, SkillGroupMemberDivisions,
    SkillGroupWithMemberDivisions,
};
use switchboard_plan::{Change, fingerprint};

use super::{Cx, Problem, attribute, tolerating_lag};

impl Cx<'_> {
    /// Creates the skill group with the plan's values; answers its id.
    pub(super) async fn create_skill_group(
        &self,
        change: &Change,
    ) -> Result<Option<String>, Problem> {
        let mut group = SkillGroup {
            name: change.address.name.clone(),
            description: attribute(change, "description")
                .and_then(Value::as_str)
                .map(String::from),
            skill_conditions: self.planned_conditions(change)?.unwrap_or_default(),
            ..SkillGroup::default()
        };
        if let Some(division) = attribute(change, "division").and_then(Value::as_str) {
            group.division = Some(EntityRef::id(self.division_id(division)?));
        }
        let request = SkillGroupWithMemberDivisions {
            member_divisions: self
                .planned_member_divisions(change)?
                .map(|ids| ids.into_iter().collect()),
            group,
        };
        Ok(self
            .client
            .create_skill_group(&request.to_request())
            .await?
            .group
            .id)
    }

    /// Read-modify-write of a skill group: read it (and its member divisions, where the plan
    /// compared or changes them), check it is as the plan saw it, set what the plan shows,
    /// keep everything else as read, and write only what differs.
    pub(super) async fn write_skill_group(&self, change: &Change, id: &str) -> Result<(), Problem> {
        let name = change.address.name.as_str();
        let current = tolerating_lag(|| self.client.get_skill_group(id)).await?;
        let wanted_divisions = self.planned_member_divisions(change)?;
        let compared_divisions = self
            .live
            .skill_groups
            .values()
            .any(|g| g.id == id && g.member_division_ids.is_some());
        let current_divisions = if compared_divisions || wanted_divisions.is_some() {
            let listed = self.client.skill_group_member_divisions(id).await?;
            Some(
                listed
                    .into_iter()
                    .filter_map(|d| d.id)
                    .collect::<BTreeSet<String>>(),
            )
        } else {
            None
        };
        // The precondition, just before the write: the skill group is as the plan saw it.
        if let Some(recorded) = &change.fingerprint {
            let body = serde_json::to_value(&current)
                .map_err(|e| Problem::Invalid(format!("skill group body: {e}")))?;
            let divisions = current_divisions.as_ref().filter(|_| compared_divisions);
            if fingerprint::of_skill_group(id, Some(&body), divisions) != *recorded {
                return Err(Problem::Invalid(format!(
                    "skill group {name:?} read just before its write differs from the plan's (edited since, or an incomplete answer); it is not written: make the plan again"
                )));
            }
        }
        let mut request = current.to_request();
        request.name = name.to_string();
        if let Some(description) = change.attributes.iter().find(|a| a.path == "description") {
            request.description = description
                .after
                .as_ref()
                .and_then(Value::as_str)
                .map(String::from);
        }
        if let Some(division) = attribute(change, "division").and_then(Value::as_str) {
            request.division = Some(EntityRef::id(self.division_id(division)?));
        }
        if let Some(conditions) = self.planned_conditions(change)? {
            request.skill_conditions = conditions;
        }
        if request != current.to_request() {
            self.client.update_skill_group(id, &request).await?;
        }
        if let (Some(wanted), Some(current)) = (wanted_divisions, current_divisions) {
            let add: Vec<String> = wanted.difference(&current).cloned().collect();
            let remove: Vec<String> = current.difference(&wanted).cloned().collect();
            if !add.is_empty() || !remove.is_empty() {
                let change = SkillGroupMemberDivisions {
                    add_division_ids: (!add.is_empty()).then_some(add),
                    remove_division_ids: (!remove.is_empty()).then_some(remove),
                };
                self.client
                    .change_skill_group_member_divisions(id, &change)
                    .await?;
            }
        }
        Ok(())
    }

    /// The conditions the plan sets, as the API takes them.
    fn planned_conditions(
        &self,
        change: &Change,
    ) -> Result<Option<Vec<SkillGroupCondition>>, Problem> {
        attribute(change, "skillConditions")
            .map(|value| {
                serde_json::from_value(value.clone()).map_err(|e| {
                    Problem::Invalid(format!("the plan's skill conditions cannot be sent: {e}"))
                })
            })
            .transpose()
    }

    /// The member divisions the plan sets, as ids.
    fn planned_member_divisions(
        &self,
        change: &Change,
    ) -> Result<Option<BTreeSet<String>>, Problem> {
        let Some(names) = attribute(change, "memberDivisions") else {
            return Ok(None);
        };
        names
            .as_array()
            .into_iter()
            .flatten()
            .map(|name| {
                let name = name.as_str().ok_or_else(|| {
                    Problem::Invalid("a member division that is not a name".into())
                })?;
                self.division_id(name)
            })
            .collect::<Result<BTreeSet<String>, Problem>>()
            .map(Some)
    }
}
