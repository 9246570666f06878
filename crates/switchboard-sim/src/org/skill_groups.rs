//! Skill groups (`/api/v2/routing/skillgroups`, API-FACTS-LOOKUPS L2.1): create, PATCH with
//! the full definition, delete, member divisions, and their members, computed from the skill
//! conditions (see `skill_conditions`) over the users of the member divisions.
//!
//! Members are recomputed on every read, so `memberCount` is always exact and `status` is
//! always `Complete` (the real API fills groups asynchronously and calls the count estimated).

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::skill_conditions::{
    Comparator, NameIndex, Operation, RoutingCondition, SkillCondition, parse_conditions,
};
use super::{GroupKind, OpResult, OrgState, User, UserState, iso, json_changes, name_key};
use crate::api_error::ApiError;
use crate::audit::{Actor, PropertyChange};
use crate::queue_rules::strip_nulls;
use crate::request_definitions;

/// The audit entity type (API-FACTS §6 lists `SkillGroup`).
pub(crate) const SKILL_GROUP_ENTITY: &str = "SkillGroup";

/// The message of a duplicate name.
// unverified: the code and message for a duplicate skill group name are not documented;
// 400 duplicate.name, the code the 2018 spec gives for queue and wrap-up code names, is used.
const DUPLICATE: &str = "A skill group with that name already exists.";

/// A skill group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SkillGroup {
    pub id: String,
    pub name: String,
    pub division_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub conditions: Vec<SkillCondition>,
    /// Division ids whose users can be members; none means every division.
    // unverified: the facts do not say whom a skill group without member divisions holds;
    // the simulator takes the users of every division.
    pub member_divisions: BTreeSet<String>,
    pub date_created: DateTime<Utc>,
    pub date_modified: DateTime<Utc>,
}

/// A checked `SkillGroupWithMemberDivisions` (POST) or `SkillGroup` (PATCH) body.
#[derive(Debug)]
pub(crate) struct ValidSkillGroup {
    pub name: String,
    pub description: Option<String>,
    pub division_id: Option<String>,
    pub conditions: Vec<SkillCondition>,
    pub member_divisions: BTreeSet<String>,
}

impl OrgState {
    /// Checks a skill group body against `definition` and the org: name and `skillConditions`
    /// are required, proficiencies are 0–5, skills, languages and divisions exist. Read-only
    /// fields (`id`, `memberCount`, `status`, dates, `selfUri`) are ignored.
    pub(crate) fn validate_skill_group(
        &self,
        body: &Value,
        definition: &str,
    ) -> OpResult<ValidSkillGroup> {
        if !body.is_object() {
            return Err(ApiError::bad_request(format!(
                "The body must be a {definition} JSON object."
            )));
        }
        request_definitions::check(definition, body)?;
        let mut body = body.clone();
        strip_nulls(&mut body);
        let name = match body.get("name").and_then(Value::as_str) {
            Some(s) if !s.trim().is_empty() => s.trim().to_string(),
            _ => return Err(ApiError::required_missing("name")),
        };
        let conditions = match body.get("skillConditions") {
            Some(v) => parse_conditions(v)?,
            None => return Err(ApiError::required_missing("skillConditions")),
        };
        self.check_conditions(&conditions)?;
        let division_id = match body.get("division") {
            None => None,
            Some(d) => Some(self.existing_division_id(d, "division")?),
        };
        let mut member_divisions = BTreeSet::new();
        let listed = body.get("memberDivisions").and_then(Value::as_array);
        for (i, id) in listed.into_iter().flatten().enumerate() {
            let id = id.as_str().unwrap_or_default();
            self.check_division_id(id, &format!("memberDivisions[{i}]"))?;
            member_divisions.insert(id.to_string());
        }
        Ok(ValidSkillGroup {
            name,
            description: body
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_string),
            division_id,
            conditions,
            member_divisions,
        })
    }

    /// 400 unless `id` names a division.
    pub(crate) fn check_division_id(&self, id: &str, field: &str) -> OpResult<()> {
        if self.divisions.contains_key(id) {
            Ok(())
        } else {
            Err(ApiError::invalid_value(
                field,
                format!("Division [{id}] does not exist."),
            ))
        }
    }

    fn skill_group_name_taken(&self, name: &str, except: Option<&str>) -> bool {
        self.skill_groups
            .values()
            .any(|g| Some(g.id.as_str()) != except && g.name.eq_ignore_ascii_case(name))
    }

    /// The skill group, once eventual consistency lets requests see it; else 404.
    pub(crate) fn visible_skill_group(&self, id: &str) -> OpResult<&SkillGroup> {
        match self.skill_groups.get(id) {
            Some(g) if self.visible(id) => Ok(g),
            _ => Err(ApiError::not_found_id(id)),
        }
    }

    /// Stores a generated skill group, unaudited: its users hold any of the skills (by name)
    /// at the least proficiency given.
    pub(crate) fn insert_generated_skill_group(
        &mut self,
        id: String,
        name: String,
        division_id: &str,
        any_of: &[(String, i64)],
        now: DateTime<Utc>,
    ) {
        let routing = any_of
            .iter()
            .map(|(skill, least)| RoutingCondition {
                routing_skill: skill.clone(),
                comparator: Comparator::GreaterThanOrEqualTo,
                proficiency: *least,
                child_conditions: None,
            })
            .collect();
        let operation = if any_of.len() > 1 {
            Operation::Or
        } else {
            Operation::And
        };
        let group = SkillGroup {
            id: id.clone(),
            name,
            division_id: division_id.to_string(),
            description: None,
            conditions: vec![SkillCondition {
                routing_skill_conditions: routing,
                language_skill_conditions: Vec::new(),
                operation,
            }],
            member_divisions: BTreeSet::new(),
            date_created: now,
            date_modified: now,
        };
        self.skill_groups.insert(id, group);
    }

    /// POST /routing/skillgroups.
    pub(crate) fn create_skill_group(&mut self, actor: &Actor, body: &Value) -> OpResult<String> {
        let valid = self.validate_skill_group(body, "SkillGroupWithMemberDivisions")?;
        self.insert_skill_group(actor, valid, crate::ids::random())
    }

    /// Adds a checked skill group under `id` (the seeding uses derived ids).
    pub(crate) fn insert_skill_group(
        &mut self,
        actor: &Actor,
        valid: ValidSkillGroup,
        id: String,
    ) -> OpResult<String> {
        if self.skill_group_name_taken(&valid.name, None) {
            return Err(ApiError::duplicate_name(DUPLICATE));
        }
        let now = Utc::now();
        let group = SkillGroup {
            id: id.clone(),
            name: valid.name,
            division_id: valid.division_id.unwrap_or_else(|| self.home_division_id()),
            description: valid.description.filter(|d| !d.is_empty()),
            conditions: valid.conditions,
            member_divisions: valid.member_divisions,
            date_created: now,
            date_modified: now,
        };
        let mut changes = Vec::new();
        json_changes("", &json!({}), &writable_view(&group), &mut changes);
        let name = group.name.clone();
        self.skill_groups.insert(id.clone(), group);
        self.hide_new(&id);
        self.record(actor, SKILL_GROUP_ENTITY, &id, &name, "Create", changes);
        Ok(id)
    }

    /// PATCH /routing/skillgroups/{id} with the full `SkillGroup` definition: name and
    /// conditions are replaced; a body without `description` or `division` keeps them (an
    /// empty description clears it).
    // unverified: whether a PATCH without description clears it is not documented; PATCH
    // semantics (absent means unchanged) are the simulator's reading.
    pub(crate) fn patch_skill_group(
        &mut self,
        actor: &Actor,
        id: &str,
        body: &Value,
    ) -> OpResult<()> {
        if !self.skill_groups.contains_key(id) {
            return Err(ApiError::not_found_id(id));
        }
        let valid = self.validate_skill_group(body, "SkillGroup")?;
        if self.skill_group_name_taken(&valid.name, Some(id)) {
            return Err(ApiError::duplicate_name(DUPLICATE));
        }
        let described = body.get("description").is_some_and(|d| !d.is_null());
        let Some(group) = self.skill_groups.get_mut(id) else {
            return Err(ApiError::not_found_id(id));
        };
        let before = writable_view(group);
        group.name = valid.name;
        group.conditions = valid.conditions;
        if described {
            group.description = valid.description.filter(|d| !d.is_empty());
        }
        if let Some(division) = valid.division_id {
            group.division_id = division;
        }
        group.date_modified = Utc::now();
        let after = writable_view(group);
        let name = group.name.clone();
        let mut changes = Vec::new();
        json_changes("", &before, &after, &mut changes);
        if !changes.is_empty() {
            self.record(actor, SKILL_GROUP_ENTITY, id, &name, "Update", changes);
        }
        self.sync_queues_using(actor, GroupKind::SkillGroup, id);
        Ok(())
    }

    /// DELETE /routing/skillgroups/{id}. A skill group a queue names in `memberGroups` (or a
    /// ring's) is refused, naming the queues.
    // unverified: the real API's answer to deleting a skill group in use is not documented;
    // 409 general.conflict is the simulator's choice, so that a client that deletes before it
    // updates the queues fails here.
    pub(crate) fn delete_skill_group(&mut self, actor: &Actor, id: &str) -> OpResult<()> {
        if !self.skill_groups.contains_key(id) {
            return Err(ApiError::not_found_id(id));
        }
        let users = self.queues_using(GroupKind::SkillGroup, id);
        if !users.is_empty() {
            return Err(ApiError::conflict(format!(
                "Skill group [{id}] is a member group of the queues [{}].",
                users.join(", ")
            ))
            .entity(id, None));
        }
        let Some(group) = self.skill_groups.remove(id) else {
            return Err(ApiError::not_found_id(id));
        };
        self.hidden_until.remove(id);
        self.record(
            actor,
            SKILL_GROUP_ENTITY,
            id,
            &group.name,
            "Delete",
            Vec::new(),
        );
        Ok(())
    }

    /// POST …/{id}/members/divisions: adds, then removes, member divisions. Every id must name
    /// a division; removing one that is not a member division is disregarded.
    pub(crate) fn change_skill_group_divisions(
        &mut self,
        actor: &Actor,
        id: &str,
        add: &[String],
        remove: &[String],
    ) -> OpResult<()> {
        for (field, ids) in [("addDivisionIds", add), ("removeDivisionIds", remove)] {
            for (i, division) in ids.iter().enumerate() {
                self.check_division_id(division, &format!("{field}[{i}]"))?;
            }
        }
        let Some(group) = self.skill_groups.get_mut(id) else {
            return Err(ApiError::not_found_id(id));
        };
        let before: Vec<String> = group.member_divisions.iter().cloned().collect();
        group.member_divisions.extend(add.iter().cloned());
        for division in remove {
            group.member_divisions.remove(division);
        }
        let after: Vec<String> = group.member_divisions.iter().cloned().collect();
        if before == after {
            return Ok(());
        }
        group.date_modified = Utc::now();
        let name = group.name.clone();
        self.record(
            actor,
            SKILL_GROUP_ENTITY,
            id,
            &name,
            "Update",
            vec![PropertyChange::new("memberDivisions", before, after)],
        );
        self.sync_queues_using(actor, GroupKind::SkillGroup, id);
        Ok(())
    }

    /// Whether the user is a member: not deleted, in a member division (any division when
    /// none is set), and every condition holds.
    pub(crate) fn in_skill_group(&self, g: &SkillGroup, user: &User, names: &NameIndex) -> bool {
        user.state != UserState::Deleted
            && (g.member_divisions.is_empty() || g.member_divisions.contains(&user.division_id))
            && names.all_hold(&g.conditions, user)
    }

    /// The members, sorted by name then id.
    pub(crate) fn skill_group_members(&self, g: &SkillGroup) -> Vec<&User> {
        let names = self.condition_names();
        let mut members: Vec<&User> = self
            .users
            .values()
            .filter(|u| self.in_skill_group(g, u, &names))
            .collect();
        members.sort_by_key(|u| name_key(&u.name, &u.id));
        members
    }

    /// How many members it has.
    fn skill_group_member_count(&self, g: &SkillGroup) -> usize {
        let names = self.condition_names();
        self.users
            .values()
            .filter(|u| self.in_skill_group(g, u, &names))
            .count()
    }

    /// The `SkillGroup` JSON (`with_member_divisions`: `SkillGroupWithMemberDivisions`).
    pub(crate) fn render_skill_group(&self, g: &SkillGroup, with_member_divisions: bool) -> Value {
        let mut v = self.render_skill_group_definition(g);
        v["status"] = json!("Complete");
        v["skillConditions"] = serde_json::to_value(&g.conditions).unwrap_or_default();
        if with_member_divisions {
            v["memberDivisions"] = json!(g.member_divisions);
        }
        v
    }

    /// The `SkillGroupDefinition` JSON the listing answers: no conditions and no status.
    pub(crate) fn render_skill_group_definition(&self, g: &SkillGroup) -> Value {
        let mut v = json!({
            "id": g.id,
            "name": g.name,
            "division": self.division_ref(&g.division_id),
            "memberCount": self.skill_group_member_count(g),
            "dateModified": iso(g.date_modified),
            "dateCreated": iso(g.date_created),
            "selfUri": format!("/api/v2/routing/skillgroups/{}", g.id),
        });
        if let Some(d) = &g.description {
            v["description"] = json!(d);
        }
        v
    }

    /// The member divisions as `Division` JSON; names only with `expand=entities`.
    // unverified: what an entry holds without the expand is not documented; the name is left
    // out, as the expand suggests.
    pub(crate) fn render_member_divisions(&self, g: &SkillGroup, expand: bool) -> Value {
        let entities: Vec<Value> = g
            .member_divisions
            .iter()
            .map(|id| {
                let mut d = self.division_ref(id);
                if !expand && let Some(d) = d.as_object_mut() {
                    d.remove("name");
                }
                d
            })
            .collect();
        json!({ "entities": entities })
    }
}

/// What a PATCH can change, for audit diffs.
impl OrgState {
    /// The skill group `id` as the `SkillGroup` body of a PATCH that changes nothing (null
    /// when there is none).
    pub(crate) fn skill_group_request_body(&self, id: &str) -> Value {
        let Some(g) = self.skill_groups.get(id) else {
            return Value::Null;
        };
        let mut body = json!({
            "name": g.name,
            "division": {"id": g.division_id},
            "skillConditions": serde_json::to_value(&g.conditions).unwrap_or_default(),
        });
        if let Some(description) = &g.description {
            body["description"] = Value::String(description.clone());
        }
        body
    }
}

fn writable_view(g: &SkillGroup) -> Value {
    json!({
        "name": g.name,
        "description": g.description,
        "division": g.division_id,
        "skillConditions": serde_json::to_value(&g.conditions).unwrap_or_default(),
    })
}
