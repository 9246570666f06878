//! Skill-group conditions (`SkillGroupCondition`, API-FACTS-LOOKUPS L2.1): which users a skill
//! group holds. Skills and languages are named, not given by id, as the API takes them.
//!
//! The facts give the shape and the enums, not the meaning; the simulator reads them so:
// unverified: the evaluation below is the simulator's reading of the shape; no SDK text
// describes it.
//! - a condition combines its routing and language conditions by its `operation`: `And`, all
//!   of them hold; `Or`, at least one does; `Not`, none does. A condition with neither holds.
//! - a routing (language) condition holds for a user who has the skill (language) with a
//!   proficiency that compares to the condition's as `comparator` says, and for whom each of
//!   its `childConditions` holds. A user without the skill satisfies no comparator on it
//!   (`NotEqualTo` and `LessThan` included); `Not` selects the users without it.
//! - a skill group's `skillConditions` must all hold; a skill group without any holds nobody.
//! - a name that names no skill (language), e.g. of one deleted since, is held by nobody.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Attribute, EntityState, OpResult, OrgState, User};
use crate::api_error::ApiError;

/// The documented proficiency range of a condition ("Integer range 0-5").
const PROFICIENCY: std::ops::RangeInclusive<i64> = 0..=5;

/// How a condition's proficiency compares to a user's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Comparator {
    EqualTo,
    NotEqualTo,
    LessThan,
    GreaterThan,
    GreaterThanOrEqualTo,
    LessThanOrEqualTo,
}

impl Comparator {
    /// Whether a user's proficiency `have` satisfies the comparison with `want`.
    fn holds(self, have: f64, want: f64) -> bool {
        match self {
            Comparator::EqualTo => have == want,
            Comparator::NotEqualTo => have != want,
            Comparator::LessThan => have < want,
            Comparator::GreaterThan => have > want,
            Comparator::GreaterThanOrEqualTo => have >= want,
            Comparator::LessThanOrEqualTo => have <= want,
        }
    }
}

/// How a condition combines its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Operation {
    And,
    Not,
    Or,
}

/// A `SkillGroupCondition`, stored as given so that it reads back the same.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct SkillCondition {
    pub routing_skill_conditions: Vec<RoutingCondition>,
    pub language_skill_conditions: Vec<LanguageCondition>,
    pub operation: Operation,
}

/// A `SkillGroupRoutingCondition`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct RoutingCondition {
    pub routing_skill: String,
    pub comparator: Comparator,
    pub proficiency: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child_conditions: Option<Vec<SkillCondition>>,
}

/// A `SkillGroupLanguageCondition`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct LanguageCondition {
    pub language_skill: String,
    pub comparator: Comparator,
    pub proficiency: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child_conditions: Option<Vec<SkillCondition>>,
}

/// The parts routing and language conditions share.
struct Leaf<'a> {
    kind: Attribute,
    name: &'a str,
    comparator: Comparator,
    proficiency: i64,
    children: &'a [SkillCondition],
}

impl SkillCondition {
    fn leaves(&self) -> impl Iterator<Item = Leaf<'_>> {
        let routing = self.routing_skill_conditions.iter().map(|c| Leaf {
            kind: Attribute::Skill,
            name: &c.routing_skill,
            comparator: c.comparator,
            proficiency: c.proficiency,
            children: c.child_conditions.as_deref().unwrap_or_default(),
        });
        let languages = self.language_skill_conditions.iter().map(|c| Leaf {
            kind: Attribute::Language,
            name: &c.language_skill,
            comparator: c.comparator,
            proficiency: c.proficiency,
            children: c.child_conditions.as_deref().unwrap_or_default(),
        });
        routing.chain(languages)
    }
}

/// Reads `skillConditions` from a body already checked against the description.
pub(crate) fn parse_conditions(value: &Value) -> OpResult<Vec<SkillCondition>> {
    serde_json::from_value(value.clone()).map_err(|e| {
        ApiError::bad_request(format!("skillConditions could not be read: {e}"))
            .detail("bad.request", "skillConditions")
    })
}

/// The active skills' and the languages' ids by lowercased name: what condition names resolve
/// against.
pub(crate) struct NameIndex {
    skills: HashMap<String, String>,
    languages: HashMap<String, String>,
}

impl NameIndex {
    fn id(&self, kind: Attribute, name: &str) -> Option<&String> {
        kind.pick(&self.skills, &self.languages)
            .get(&name.to_lowercase())
    }

    /// Whether there are conditions and every one holds for the user.
    pub(crate) fn all_hold(&self, conditions: &[SkillCondition], user: &User) -> bool {
        !conditions.is_empty() && conditions.iter().all(|c| self.holds(c, user))
    }

    fn holds(&self, c: &SkillCondition, user: &User) -> bool {
        let mut leaves = c.leaves().peekable();
        if leaves.peek().is_none() {
            return true;
        }
        match c.operation {
            Operation::And => leaves.all(|l| self.leaf_holds(&l, user)),
            Operation::Or => leaves.any(|l| self.leaf_holds(&l, user)),
            Operation::Not => !leaves.any(|l| self.leaf_holds(&l, user)),
        }
    }

    fn leaf_holds(&self, leaf: &Leaf<'_>, user: &User) -> bool {
        let assigned: &BTreeMap<String, f64> = leaf.kind.pick(&user.skills, &user.languages);
        let have = self
            .id(leaf.kind, leaf.name)
            .and_then(|id| assigned.get(id));
        have.is_some_and(|p| leaf.comparator.holds(*p, leaf.proficiency as f64))
            && leaf.children.iter().all(|c| self.holds(c, user))
    }
}

impl OrgState {
    /// The names conditions resolve against, as the org stands.
    pub(crate) fn condition_names(&self) -> NameIndex {
        let index = |kind: Attribute| {
            self.attributes(kind)
                .values()
                .filter(|a| a.state == EntityState::Active)
                .map(|a| (a.name.to_lowercase(), a.id.clone()))
                .collect()
        };
        NameIndex {
            skills: index(Attribute::Skill),
            languages: index(Attribute::Language),
        }
    }

    /// Checks what the description cannot: each proficiency is 0–5 and each name names an
    /// active skill or a language (case-insensitively).
    // unverified: the answer to an unknown skill or language name is not documented; 400
    // invalid.value naming it is the simulator's choice.
    pub(crate) fn check_conditions(&self, conditions: &[SkillCondition]) -> OpResult<()> {
        let names = self.condition_names();
        check_level(&names, conditions, "skillConditions")
    }
}

fn check_level(names: &NameIndex, conditions: &[SkillCondition], at: &str) -> OpResult<()> {
    for (i, c) in conditions.iter().enumerate() {
        let mut counts = [0usize; 2];
        for leaf in c.leaves() {
            let list = leaf
                .kind
                .pick("routingSkillConditions", "languageSkillConditions");
            let slot = leaf.kind.pick(0, 1);
            let here = format!("{at}[{i}].{list}[{}]", counts[slot]);
            counts[slot] += 1;
            if !PROFICIENCY.contains(&leaf.proficiency) {
                return Err(ApiError::invalid_value(
                    &format!("{here}.proficiency"),
                    format!(
                        "Value [{}] is not valid for field [proficiency]: it must be between 0 and 5",
                        leaf.proficiency
                    ),
                ));
            }
            if names.id(leaf.kind, leaf.name).is_none() {
                let field = leaf.kind.pick("routingSkill", "languageSkill");
                return Err(ApiError::invalid_value(
                    &format!("{here}.{field}"),
                    format!(
                        "{} [{}] does not exist.",
                        leaf.kind.pick("Skill", "Language"),
                        leaf.name
                    ),
                ));
            }
            check_level(names, leaf.children, &format!("{here}.childConditions"))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use serde_json::json;

    use super::*;
    use crate::org::UserState;

    fn org() -> (OrgState, User) {
        let mut org = OrgState::new(crate::DEFAULT_ORG_ID, "x");
        let now = chrono::Utc::now();
        for (kind, name) in [
            (Attribute::Skill, "Billing"),
            (Attribute::Skill, "Sales"),
            (Attribute::Language, "English"),
        ] {
            let a = org.new_attribute(kind, name.to_lowercase(), name.into(), now);
            org.insert_attribute(kind, a);
        }
        let user = User {
            id: "u".into(),
            name: "U".into(),
            email: "u@x".into(),
            state: UserState::Active,
            division_id: org.home_division_id(),
            version: 1,
            skills: BTreeMap::from([("billing".into(), 4.0)]),
            languages: BTreeMap::from([("english".into(), 5.0)]),
            utilization: None,
        };
        (org, user)
    }

    fn holds(org: &OrgState, user: &User, conditions: Value) -> bool {
        let c = parse_conditions(&conditions).unwrap();
        org.check_conditions(&c).unwrap();
        org.condition_names().all_hold(&c, user)
    }

    fn skill(name: &str, comparator: &str, p: i64) -> Value {
        json!({"routingSkill": name, "comparator": comparator, "proficiency": p})
    }

    fn cond(op: &str, routing: Vec<Value>, languages: Vec<Value>) -> Value {
        json!({"routingSkillConditions": routing, "languageSkillConditions": languages, "operation": op})
    }

    #[test]
    fn comparators_operations_and_children() {
        let (org, u) = org();
        let check = |c: Value| holds(&org, &u, json!([c]));
        assert!(check(cond(
            "And",
            vec![skill("billing", "GreaterThanOrEqualTo", 4)],
            vec![]
        )));
        assert!(!check(cond(
            "And",
            vec![skill("Billing", "GreaterThan", 4)],
            vec![]
        )));
        assert!(check(cond(
            "And",
            vec![skill("Billing", "NotEqualTo", 3)],
            vec![]
        )));
        assert!(
            !check(cond("And", vec![skill("Sales", "LessThan", 5)], vec![])),
            "not held"
        );
        assert!(check(cond(
            "Not",
            vec![skill("Sales", "GreaterThanOrEqualTo", 0)],
            vec![]
        )));
        assert!(check(cond(
            "Or",
            vec![skill("Sales", "EqualTo", 1), skill("Billing", "EqualTo", 4)],
            vec![]
        )));
        let english =
            json!({"languageSkill": "English", "comparator": "EqualTo", "proficiency": 5});
        assert!(check(cond(
            "And",
            vec![skill("Billing", "EqualTo", 4)],
            vec![english]
        )));
        let mut with_child = skill("Billing", "GreaterThan", 1);
        with_child["childConditions"] =
            json!([cond("And", vec![skill("Sales", "EqualTo", 1)], vec![])]);
        assert!(!check(cond("And", vec![with_child], vec![])));
        assert!(
            check(cond("And", vec![], vec![])),
            "an empty condition holds"
        );
        assert!(!holds(&org, &u, json!([])), "no conditions, no members");
    }

    #[test]
    fn bad_names_and_proficiencies_are_refused() {
        let (org, _) = org();
        let refuse = |v: Value| {
            let c = parse_conditions(&v).unwrap();
            org.check_conditions(&c).unwrap_err()
        };
        let e = refuse(json!([cond(
            "And",
            vec![skill("Nope", "EqualTo", 1)],
            vec![]
        )]));
        assert_eq!(
            e.details[0].field_name,
            "skillConditions[0].routingSkillConditions[0].routingSkill"
        );
        let e = refuse(json!([cond(
            "And",
            vec![skill("Billing", "EqualTo", 6)],
            vec![]
        )]));
        assert_eq!(e.code, "invalid.value");
        let mut nested = skill("Billing", "EqualTo", 1);
        nested["childConditions"] =
            json!([cond("And", vec![skill("Billing", "EqualTo", -1)], vec![])]);
        let e = refuse(json!([cond("And", vec![nested], vec![])]));
        assert_eq!(
            e.details[0].field_name,
            "skillConditions[0].routingSkillConditions[0].childConditions[0].routingSkillConditions[0].proficiency"
        );
    }
}
