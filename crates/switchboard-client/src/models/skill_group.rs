//! Skill groups (API-FACTS-LOOKUPS L2.1): groups whose members are computed from
//! conditions on skills and languages. Updated by a PATCH that carries the whole definition,
//! so [`SkillGroup`] and its conditions keep every field they do not name in `extra`, at
//! every level, and a read-modify-write never drops one. Required fields are required here
//! as in the description: a skill group read without `skillConditions` does not decode,
//! rather than being written back with none.

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::{EntityRef, Extra};

/// `SkillGroupDefinition`: a skill group as the listing gives it, without its conditions.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SkillGroupDefinition {
    /// Skill group id.
    pub id: Option<String>,
    /// Skill group name.
    pub name: String,
    /// Division (`WritableDivision`).
    pub division: Option<EntityRef>,
    /// Free text.
    pub description: Option<String>,
    /// Estimated members: "It can take some time for the count to be updated".
    pub member_count: Option<i64>,
    /// Last modification time.
    pub date_modified: Option<String>,
    /// Creation time.
    pub date_created: Option<String>,
    /// API path.
    pub self_uri: Option<String>,
}

/// `SkillGroup`: read by id, and the body of the PATCH that updates one (send the whole
/// definition: [`SkillGroup::to_request`]).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SkillGroup {
    /// Skill group id.
    pub id: Option<String>,
    /// Skill group name.
    pub name: String,
    /// Division (`WritableDivision`).
    pub division: Option<EntityRef>,
    /// Free text.
    pub description: Option<String>,
    /// Read-only: estimated members.
    pub member_count: Option<i64>,
    /// Read-only: last modification time.
    pub date_modified: Option<String>,
    /// Read-only: creation time.
    pub date_created: Option<String>,
    /// Read-only: `InProgress` or `Complete`, the membership's filling status.
    pub status: Option<String>,
    /// The membership rule.
    pub skill_conditions: Vec<SkillGroupCondition>,
    /// API path.
    pub self_uri: Option<String>,
    /// Every other field, verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

impl SkillGroup {
    /// The body for the update PATCH: the object as read, minus what the server computes
    /// (count, dates, status, self URI).
    pub fn to_request(&self) -> SkillGroup {
        SkillGroup {
            member_count: None,
            date_modified: None,
            date_created: None,
            status: None,
            self_uri: None,
            ..self.clone()
        }
    }
}

/// `SkillGroupWithMemberDivisions`: the create body and answer, a [`SkillGroup`] with the
/// divisions its members may come from.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SkillGroupWithMemberDivisions {
    /// Ids of the divisions members may come from.
    pub member_divisions: Option<Vec<String>>,
    /// The skill group (with every other field, verbatim, in its `extra`).
    #[serde(flatten)]
    pub group: SkillGroup,
}

impl SkillGroupWithMemberDivisions {
    /// The body for the create POST: what the server computes (and the id) left out.
    pub fn to_request(&self) -> SkillGroupWithMemberDivisions {
        SkillGroupWithMemberDivisions {
            member_divisions: self.member_divisions.clone(),
            group: SkillGroup {
                id: None,
                ..self.group.to_request()
            },
        }
    }
}

/// `SkillGroupCondition`: routing and language conditions joined by one operation.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SkillGroupCondition {
    /// Conditions on routing skills.
    pub routing_skill_conditions: Vec<SkillGroupRoutingCondition>,
    /// Conditions on languages.
    pub language_skill_conditions: Vec<SkillGroupLanguageCondition>,
    /// `And`, `Not` or `Or`.
    pub operation: String,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `SkillGroupRoutingCondition`: a routing skill's proficiency compared to a value.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SkillGroupRoutingCondition {
    /// The routing skill, a string (CX as Code writes the skill's name here, not its id).
    pub routing_skill: String,
    /// `EqualTo`, `NotEqualTo`, `LessThan`, `GreaterThan`, `GreaterThanOrEqualTo` or
    /// `LessThanOrEqualTo`.
    pub comparator: String,
    /// Integer 0 to 5.
    pub proficiency: i64,
    /// Nested conditions.
    pub child_conditions: Option<Vec<SkillGroupCondition>>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `SkillGroupLanguageCondition`: a language's proficiency compared to a value.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SkillGroupLanguageCondition {
    /// The language, a string.
    pub language_skill: String,
    /// As [`SkillGroupRoutingCondition::comparator`].
    pub comparator: String,
    /// Integer 0 to 5.
    pub proficiency: i64,
    /// Nested conditions.
    pub child_conditions: Option<Vec<SkillGroupCondition>>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `SkillGroupMemberDivisions`: divisions to add to and remove from a skill group's member
/// divisions.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SkillGroupMemberDivisions {
    /// Division ids to add.
    pub add_division_ids: Option<Vec<String>>,
    /// Division ids to remove.
    pub remove_division_ids: Option<Vec<String>>,
}

/// `UserReferenceWithName`: a skill group member.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserReferenceWithName {
    /// User id.
    pub id: Option<String>,
    /// User name (with `expand=entities`).
    pub name: Option<String>,
    /// API path.
    pub self_uri: Option<String>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_fields_survive_a_round_trip_at_every_level() {
        let wire = json!({
            "id": "sg1", "name": "Spanish speakers", "futureTop": 1,
            "skillConditions": [{
                "operation": "And", "futureCondition": {"a": 1},
                "routingSkillConditions": [{
                    "routingSkill": "Billing", "comparator": "GreaterThan", "proficiency": 2,
                    "futureRouting": true,
                    "childConditions": [{
                        "operation": "Not", "routingSkillConditions": [],
                        "languageSkillConditions": [{
                            "languageSkill": "Spanish", "comparator": "EqualTo",
                            "proficiency": 5, "futureLanguage": "x"
                        }]
                    }]
                }],
                "languageSkillConditions": []
            }],
            "memberCount": 12, "status": "Complete"
        });
        let group: SkillGroup = serde_json::from_value(wire.clone()).unwrap();
        assert_eq!(serde_json::to_value(&group).unwrap(), wire);
        let request = serde_json::to_value(group.to_request()).unwrap();
        assert!(request.get("memberCount").is_none() && request.get("status").is_none());
        assert_eq!(request["skillConditions"], wire["skillConditions"]);
        assert_eq!(request["futureTop"], 1);
    }

    #[test]
    fn a_skill_group_without_its_conditions_does_not_decode() {
        let read = serde_json::from_value::<SkillGroup>(json!({"id": "sg1", "name": "n"}));
        assert!(read.is_err());
    }
}
