use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A skill group: its members are the agents whose skills and languages meet its conditions
/// (the API computes them; there is no call to add or remove one). Written as the API's
/// `SkillGroupWithMemberDivisions`, with divisions by name (API-FACTS-LOOKUPS L2.1).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SkillGroup {
    /// Skill group name, unique in the org.
    #[schemars(length(min = 1, max = 255))]
    pub name: String,
    /// Former names: a skill group found under one of them is renamed in place.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub renamed_from: Vec<String>,
    /// Free text. When absent, the org's description is kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Division, by name (must be in `scope.divisions`). When absent, a new skill group goes
    /// to the home division and an existing one stays where it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub division: Option<String>,
    /// Who is a member: conditions on routing skills and languages, combined as the API
    /// combines them. An empty list matches no one.
    pub skill_conditions: Vec<SkillCondition>,
    /// The divisions, by name, whose agents can be members: exactly these when given. When
    /// absent they are not read and not changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_divisions: Option<Vec<String>>,
}

/// One `SkillGroupCondition`: routing-skill and language conditions joined by `operation`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SkillCondition {
    /// Conditions on routing skills.
    #[serde(default)]
    pub routing_skill_conditions: Vec<RoutingSkillCondition>,
    /// Conditions on languages.
    #[serde(default)]
    pub language_skill_conditions: Vec<LanguageSkillCondition>,
    /// How the conditions combine: `And`, `Or`, or `Not`.
    pub operation: ConditionOperation,
}

/// A routing skill's proficiency compared with a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RoutingSkillCondition {
    /// The skill, by name (declared under `skills`).
    pub routing_skill: String,
    /// How the agent's proficiency compares with `proficiency`.
    pub comparator: Comparator,
    /// 0 to 5.
    #[schemars(range(min = 0, max = 5))]
    pub proficiency: u8,
    /// Nested conditions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub child_conditions: Vec<SkillCondition>,
}

/// A language's proficiency compared with a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LanguageSkillCondition {
    /// The language, by name (declared under `languages`).
    pub language_skill: String,
    /// How the agent's proficiency compares with `proficiency`.
    pub comparator: Comparator,
    /// 0 to 5.
    #[schemars(range(min = 0, max = 5))]
    pub proficiency: u8,
    /// Nested conditions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub child_conditions: Vec<SkillCondition>,
}

/// How a skill group condition's parts combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ConditionOperation {
    /// Every condition holds.
    And,
    /// At least one holds.
    Or,
    /// None holds.
    Not,
}

/// A proficiency comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Comparator {
    /// `=`.
    EqualTo,
    /// `≠`.
    NotEqualTo,
    /// `<`.
    LessThan,
    /// `>`.
    GreaterThan,
    /// `≥`.
    GreaterThanOrEqualTo,
    /// `≤`.
    LessThanOrEqualTo,
}

impl SkillCondition {
    /// The skills (`true`) and languages (`false`) the condition names, nested ones
    /// included, with their JSON pointers below the condition.
    pub fn named(&self, at: &str, out: &mut Vec<(bool, String, String)>) {
        for (i, c) in self.routing_skill_conditions.iter().enumerate() {
            let here = format!("{at}/routingSkillConditions/{i}");
            out.push((
                true,
                format!("{here}/routingSkill"),
                c.routing_skill.clone(),
            ));
            for (j, child) in c.child_conditions.iter().enumerate() {
                child.named(&format!("{here}/childConditions/{j}"), out);
            }
        }
        for (i, c) in self.language_skill_conditions.iter().enumerate() {
            let here = format!("{at}/languageSkillConditions/{i}");
            out.push((
                false,
                format!("{here}/languageSkill"),
                c.language_skill.clone(),
            ));
            for (j, child) in c.child_conditions.iter().enumerate() {
                child.named(&format!("{here}/childConditions/{j}"), out);
            }
        }
    }
}
