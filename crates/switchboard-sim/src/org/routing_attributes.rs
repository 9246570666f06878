//! Routing skills and languages: the org's two kinds of routing attribute, created and
//! soft deleted alike. Only skills have a division (see `skills`); users are assigned
//! either with a proficiency (see `users`).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::{EntityState, OpResult, OrgState, RoutingAttribute, iso};
use crate::api_error::ApiError;
use crate::audit::{Actor, PropertyChange};

/// Skills or languages: the two kinds of routing attribute a user is assigned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Attribute {
    Skill,
    Language,
}

impl Attribute {
    /// Of a value for skills and one for languages, the one for this kind.
    pub(crate) fn pick<T>(self, skill: T, language: T) -> T {
        match self {
            Attribute::Skill => skill,
            Attribute::Language => language,
        }
    }

    /// The kind as error messages name it ("Skill [id] does not exist.").
    pub(super) fn label(self) -> &'static str {
        self.pick("Skill", "Language")
    }

    /// The kind as a noun in a sentence ("A skill named [x] already exists.").
    pub(crate) fn noun(self) -> &'static str {
        self.pick("skill", "language")
    }

    /// The audit entity type.
    fn entity_type(self) -> &'static str {
        self.pick("RoutingSkill", "RoutingLanguage")
    }

    /// The `selfUri` of one skill or language.
    pub(super) fn entity_uri(self, id: &str) -> String {
        let collection = self.pick("skills", "languages");
        format!("/api/v2/routing/{collection}/{id}")
    }
}

impl OrgState {
    /// Every skill or every language, deleted ones included.
    pub(crate) fn attributes(&self, kind: Attribute) -> &BTreeMap<String, RoutingAttribute> {
        kind.pick(&self.skills, &self.languages)
    }

    fn attributes_mut(&mut self, kind: Attribute) -> &mut BTreeMap<String, RoutingAttribute> {
        kind.pick(&mut self.skills, &mut self.languages)
    }

    /// Whether the skill or language exists and is not deleted.
    pub(crate) fn attribute_is_active(&self, kind: Attribute, id: &str) -> bool {
        self.attributes(kind)
            .get(id)
            .is_some_and(|a| a.state == EntityState::Active)
    }

    /// The active skill or language with this name, if any.
    pub(crate) fn active_attribute_id(&self, kind: Attribute, name: &str) -> Option<String> {
        self.attributes(kind)
            .values()
            .find(|a| a.state == EntityState::Active && a.name == name)
            .map(|a| a.id.clone())
    }

    /// A new active skill (in the home division) or language, not yet stored.
    pub(crate) fn new_attribute(
        &self,
        kind: Attribute,
        id: String,
        name: String,
        now: DateTime<Utc>,
    ) -> RoutingAttribute {
        RoutingAttribute {
            id,
            name,
            state: EntityState::Active,
            division_id: kind.pick(Some(self.home_division_id()), None),
            date_modified: now,
            version: 1,
        }
    }

    /// Stores a skill or language as it is, unaudited (the generator's bulk seeding).
    pub(crate) fn insert_attribute(&mut self, kind: Attribute, attribute: RoutingAttribute) {
        self.attributes_mut(kind)
            .insert(attribute.id.clone(), attribute);
    }

    /// POST /routing/skills, /routing/languages. A deleted one's name may be reused; an
    /// active one's may not (409 `general.conflict`, 2018 spec, for skills).
    // unverified: the duplicate-name answer for languages is not documented; 409
    // general.conflict, as for skills, is the simulator's choice.
    pub(crate) fn create_attribute(
        &mut self,
        actor: &Actor,
        kind: Attribute,
        name: &str,
        id: String,
    ) -> OpResult<String> {
        let name = name.trim();
        if name.is_empty() {
            return Err(ApiError::required_missing("name"));
        }
        let taken = self
            .attributes(kind)
            .values()
            .any(|a| a.state == EntityState::Active && a.name.eq_ignore_ascii_case(name));
        if taken {
            return Err(ApiError::conflict(format!(
                "A {} named [{name}] already exists.",
                kind.noun()
            )));
        }
        let attribute = self.new_attribute(kind, id.clone(), name.to_string(), Utc::now());
        self.attributes_mut(kind).insert(id.clone(), attribute);
        self.hide_new(&id);
        self.record(
            actor,
            kind.entity_type(),
            &id,
            name,
            "Create",
            vec![PropertyChange::new("name", [], [name.to_string()])],
        );
        Ok(id)
    }

    /// DELETE /routing/skills/{id}, /routing/languages/{id}: a soft delete. It stays listed
    /// with state `deleted`, users lose the assignment, and skill group conditions that name
    /// it are then held by nobody (see `skill_conditions`).
    // unverified: deleting an already deleted one answers 404 here.
    pub(crate) fn delete_attribute(
        &mut self,
        actor: &Actor,
        kind: Attribute,
        id: &str,
    ) -> OpResult<()> {
        let Some(attribute) = self.attributes_mut(kind).get_mut(id) else {
            return Err(ApiError::not_found_id(id));
        };
        if attribute.state == EntityState::Deleted {
            return Err(ApiError::not_found_id(id));
        }
        attribute.state = EntityState::Deleted;
        attribute.date_modified = Utc::now();
        attribute.version += 1;
        let name = attribute.name.clone();
        for user in self.users.values_mut() {
            user.assigned_mut(kind).remove(id);
        }
        self.record(
            actor,
            kind.entity_type(),
            id,
            &name,
            "Delete",
            vec![PropertyChange::new(
                "state",
                ["active".to_string()],
                ["deleted".to_string()],
            )],
        );
        // Users lost it, so skill groups that name it may lose members.
        self.sync_skill_group_queues(actor);
        Ok(())
    }

    /// The `RoutingSkill` or `Language` JSON; only a skill has a `division`.
    pub(crate) fn render_attribute(&self, kind: Attribute, a: &RoutingAttribute) -> Value {
        let mut v = json!({
            "id": a.id,
            "name": a.name,
            "dateModified": iso(a.date_modified),
            "state": a.state.as_str(),
            "version": a.version.to_string(),
            "selfUri": kind.entity_uri(&a.id),
        });
        if kind == Attribute::Skill {
            v["division"] = self.division_ref(a.division_id.as_deref().unwrap_or_default());
        }
        v
    }
}
