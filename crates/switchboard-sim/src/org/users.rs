//! Users (seeded, never created through the API) and their routing skill and language
//! assignments.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::{Attribute, MemberExpand, OpResult, OrgState, User};
use crate::api_error::ApiError;
use crate::audit::{Actor, PropertyChange};

/// Proficiencies the API accepts, for skills and languages alike.
const PROFICIENCY: std::ops::RangeInclusive<f64> = 0.0..=5.0;

/// A user's routing status as the simulator reports it: nobody is ever on queue.
pub(crate) fn routing_status(user_id: &str) -> Value {
    json!({"userId": user_id, "status": "OFF_QUEUE", "startTime": "2026-01-01T00:00:00.000Z"})
}

/// What assignments add to the kinds of routing attribute.
impl Attribute {
    fn segment(self) -> &'static str {
        match self {
            Attribute::Skill => "routingskills",
            Attribute::Language => "routinglanguages",
        }
    }

    fn uri_field(self) -> &'static str {
        match self {
            Attribute::Skill => "skillUri",
            Attribute::Language => "languageUri",
        }
    }

    /// Languages are stored rounded: "API accepts a float, but the backend rounds to the
    /// nearest int" (the vendor's Terraform provider, API-FACTS §5).
    fn stored(self, proficiency: f64) -> f64 {
        match self {
            Attribute::Skill => proficiency,
            Attribute::Language => proficiency.round(),
        }
    }
}

impl User {
    /// The user's skills or languages: id → proficiency.
    pub(super) fn assigned(&self, kind: Attribute) -> &BTreeMap<String, f64> {
        kind.pick(&self.skills, &self.languages)
    }

    /// [`User::assigned`], to change.
    pub(super) fn assigned_mut(&mut self, kind: Attribute) -> &mut BTreeMap<String, f64> {
        kind.pick(&mut self.skills, &mut self.languages)
    }
}

impl OrgState {
    pub(crate) fn user_id_by_email(&self, email: &str) -> Option<String> {
        self.users
            .values()
            .find(|u| u.email.eq_ignore_ascii_case(email))
            .map(|u| u.id.clone())
    }

    fn attribute_name(&self, kind: Attribute, id: &str) -> String {
        self.attributes(kind)
            .get(id)
            .map(|a| a.name.clone())
            .unwrap_or_default()
    }

    fn assignments(&self, kind: Attribute, user_id: &str) -> Option<&BTreeMap<String, f64>> {
        Some(self.users.get(user_id)?.assigned(kind))
    }

    /// Assigns skills or languages to a user: `replace` makes the given set the whole set
    /// (PUT bulk), otherwise entries are added or updated (POST, PATCH bulk, PUT one).
    pub(crate) fn assign(
        &mut self,
        actor: &Actor,
        kind: Attribute,
        user_id: &str,
        entries: &[(String, f64)],
        replace: bool,
    ) -> OpResult<()> {
        let Some(old) = self.assignments(kind, user_id).cloned() else {
            return Err(ApiError::not_found_id(user_id));
        };
        let mut seen = BTreeSet::new();
        for (id, proficiency) in entries {
            if !PROFICIENCY.contains(proficiency) {
                return Err(ApiError::invalid_value(
                    "proficiency",
                    format!(
                        "Value [{proficiency}] is not valid for field [proficiency]: it must be between 0.0 and 5.0"
                    ),
                ));
            }
            if !self.attribute_is_active(kind, id) {
                // unverified: an unknown or deleted skill/language id in the body gives 400
                // invalid.value here.
                return Err(ApiError::invalid_value(
                    "id",
                    format!("{} [{id}] does not exist.", kind.label()),
                )
                .entity(id, None));
            }
            if !seen.insert(id.clone()) {
                return Err(ApiError::invalid_value(
                    "id",
                    format!(
                        "{} [{id}] appears more than once in the request.",
                        kind.label()
                    ),
                ));
            }
        }
        let mut new = if replace {
            BTreeMap::new()
        } else {
            old.clone()
        };
        for (id, proficiency) in entries {
            new.insert(id.clone(), kind.stored(*proficiency));
        }
        let mut assigned = Vec::new();
        let mut unassigned = Vec::new();
        for (id, p) in &new {
            if old.get(id) != Some(p) {
                let name = self.attribute_name(kind, id);
                assigned.push(PropertyChange::new(
                    &format!("{}:{name}", kind.segment()),
                    old.get(id).map(|o| o.to_string()),
                    [p.to_string()],
                ));
            }
        }
        for (id, p) in &old {
            if !new.contains_key(id) {
                let name = self.attribute_name(kind, id);
                unassigned.push(PropertyChange::new(
                    &format!("{}:{name}", kind.segment()),
                    [p.to_string()],
                    [],
                ));
            }
        }
        let Some(user) = self.users.get_mut(user_id) else {
            return Err(ApiError::not_found_id(user_id));
        };
        *user.assigned_mut(kind) = new;
        let name = user.name.clone();
        let changed = !(assigned.is_empty() && unassigned.is_empty());
        if !assigned.is_empty() {
            self.record(actor, "User", user_id, &name, "Assign", assigned);
        }
        if !unassigned.is_empty() {
            self.record(actor, "User", user_id, &name, "Unassign", unassigned);
        }
        if changed {
            self.sync_user_group_memberships(actor, user_id);
        }
        Ok(())
    }

    /// Removes one assignment (DELETE .../routingskills/{id}, .../routinglanguages/{id}).
    pub(crate) fn unassign(
        &mut self,
        actor: &Actor,
        kind: Attribute,
        user_id: &str,
        id: &str,
    ) -> OpResult<()> {
        let name = self.attribute_name(kind, id);
        let Some(user) = self.users.get_mut(user_id) else {
            return Err(ApiError::not_found_id(user_id));
        };
        let Some(old) = user.assigned_mut(kind).remove(id) else {
            return Err(ApiError::not_found_id(id));
        };
        let user_name = user.name.clone();
        self.record(
            actor,
            "User",
            user_id,
            &user_name,
            "Unassign",
            vec![PropertyChange::new(
                &format!("{}:{name}", kind.segment()),
                [old.to_string()],
                [],
            )],
        );
        self.sync_user_group_memberships(actor, user_id);
        Ok(())
    }

    /// A user's assignments as `UserRoutingSkill` / `UserRoutingLanguage` JSON, sorted by
    /// name then id.
    pub(crate) fn render_assignments(&self, kind: Attribute, user_id: &str) -> Vec<Value> {
        let Some(map) = self.assignments(kind, user_id) else {
            return Vec::new();
        };
        let mut out: Vec<(String, Value)> = map
            .iter()
            .map(|(id, p)| {
                let name = self.attribute_name(kind, id);
                (
                    name.to_lowercase(),
                    self.render_assignment(kind, user_id, id, *p),
                )
            })
            .collect();
        out.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| a.1["id"].as_str().cmp(&b.1["id"].as_str()))
        });
        out.into_iter().map(|(_, v)| v).collect()
    }

    pub(crate) fn render_assignment(
        &self,
        kind: Attribute,
        user_id: &str,
        id: &str,
        proficiency: f64,
    ) -> Value {
        let mut v = json!({
            "id": id,
            "name": self.attribute_name(kind, id),
            "proficiency": proficiency,
            "state": "active",
            "selfUri": format!("/api/v2/users/{user_id}/{}/{id}", kind.segment()),
        });
        v[kind.uri_field()] = json!(kind.entity_uri(id));
        v
    }

    /// One assignment's JSON, if the user has it.
    pub(crate) fn assignment(&self, kind: Attribute, user_id: &str, id: &str) -> Option<Value> {
        let p = *self.assignments(kind, user_id)?.get(id)?;
        Some(self.render_assignment(kind, user_id, id, p))
    }

    /// The `User` JSON.
    pub(crate) fn render_user(&self, u: &User, expand: MemberExpand) -> Value {
        let mut v = json!({
            "id": u.id,
            "name": u.name,
            "division": self.division_ref(&u.division_id),
            "chat": {"jabberId": format!("{}@switchboard.sim", u.id)},
            "email": u.email,
            "primaryContactInfo": [{"address": u.email, "mediaType": "EMAIL", "type": "PRIMARY"}],
            "addresses": [],
            "state": u.state.as_str(),
            "username": u.email,
            "version": u.version,
            "acdAutoAnswer": false,
            "selfUri": format!("/api/v2/users/{}", u.id),
        });
        if expand.skills {
            v["skills"] = Value::Array(self.render_assignments(Attribute::Skill, &u.id));
        }
        if expand.languages {
            v["languages"] = Value::Array(self.render_assignments(Attribute::Language, &u.id));
        }
        if expand.routing_status {
            v["routingStatus"] = routing_status(&u.id);
        }
        v
    }

    /// Moves a user to another division (the divisions objects endpoint).
    pub(crate) fn move_user(&mut self, actor: &Actor, id: &str, division_id: &str) -> OpResult<()> {
        let Some(user) = self.users.get_mut(id) else {
            return Err(ApiError::invalid_value(
                "body",
                format!("User [{id}] does not exist."),
            ));
        };
        let old = std::mem::replace(&mut user.division_id, division_id.to_string());
        user.version += 1;
        let name = user.name.clone();
        self.record_division_move(actor, "User", id, &name, Some(old), division_id);
        self.sync_user_group_memberships(actor, id);
        Ok(())
    }
}
