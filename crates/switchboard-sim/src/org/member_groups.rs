//! A queue's member groups (`MemberGroup {id, type}` in `memberGroups` and in each bullseye
//! ring's `memberGroups`): checked on create and replace, stored as `{id, type}`, and
//! answered with `name` and `selfUri` filled in. Who they make members is `group_members`.
//!
//! Conditional group activation rules' `groups` are `MemberGroup`s too, checked, stored and
//! answered the same way; they make nobody a member. Conditional group routing's `groups`
//! are kept as given, unchecked.

use serde_json::{Map, Value, json};

use super::{OpResult, OrgState};
use crate::api_error::ApiError;

/// The three kinds of member group (`MemberGroup.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum GroupKind {
    /// A directory group (`GROUP`).
    Group,
    /// A team (`TEAM`).
    Team,
    /// A skill group (`SKILLGROUP`).
    SkillGroup,
}

impl GroupKind {
    /// The wire spelling.
    pub(crate) fn wire(self) -> &'static str {
        match self {
            GroupKind::Group => "GROUP",
            GroupKind::Team => "TEAM",
            GroupKind::SkillGroup => "SKILLGROUP",
        }
    }

    /// The kind a wire spelling names.
    pub(crate) fn from_wire(s: &str) -> Option<GroupKind> {
        [GroupKind::Group, GroupKind::Team, GroupKind::SkillGroup]
            .into_iter()
            .find(|k| k.wire() == s)
    }

    /// The kind as error messages name it.
    fn label(self) -> &'static str {
        match self {
            GroupKind::Group => "Group",
            GroupKind::Team => "Team",
            GroupKind::SkillGroup => "Skill group",
        }
    }

    /// The `selfUri` of one group of this kind.
    pub(crate) fn uri(self, id: &str) -> String {
        match self {
            GroupKind::Group => format!("/api/v2/groups/{id}"),
            GroupKind::Team => format!("/api/v2/teams/{id}"),
            GroupKind::SkillGroup => format!("/api/v2/routing/skillgroups/{id}"),
        }
    }
}

/// One `memberGroups` array of a queue: where it is (as error messages name fields), and its
/// entries.
struct GroupList<'a> {
    field: String,
    entries: &'a mut Vec<Value>,
}

/// Every `MemberGroup` array in a queue's settings: the queue's own `memberGroups`, each
/// bullseye ring's, and each conditional group activation rule's `groups`.
fn lists_mut(settings: &mut Map<String, Value>) -> Vec<GroupList<'_>> {
    let mut out = Vec::new();
    let (own, bullseye, activation) = {
        let mut own = None;
        let mut bullseye = None;
        let mut activation = None;
        for (key, value) in settings.iter_mut() {
            match key.as_str() {
                "memberGroups" => own = value.as_array_mut(),
                "bullseye" => bullseye = value.get_mut("rings").and_then(Value::as_array_mut),
                "conditionalGroupActivation" => {
                    activation = value.get_mut("rules").and_then(Value::as_array_mut)
                }
                _ => {}
            }
        }
        (own, bullseye, activation)
    };
    if let Some(entries) = own {
        out.push(GroupList {
            field: "memberGroups".into(),
            entries,
        });
    }
    for (i, ring) in bullseye.into_iter().flatten().enumerate() {
        if let Some(entries) = ring.get_mut("memberGroups").and_then(Value::as_array_mut) {
            out.push(GroupList {
                field: format!("bullseye.rings[{i}].memberGroups"),
                entries,
            });
        }
    }
    for (i, rule) in activation.into_iter().flatten().enumerate() {
        if let Some(entries) = rule.get_mut("groups").and_then(Value::as_array_mut) {
            out.push(GroupList {
                field: format!("conditionalGroupActivation.rules[{i}].groups"),
                entries,
            });
        }
    }
    out
}

/// The groups a queue's settings name, with the ring each one's users join: 1 for the
/// queue's own `memberGroups`, n for ring n's.
// unverified: the ring a queue-level member group's users join is not documented; ring 1,
// where directly added members start (API-FACTS §5), is the simulator's choice.
pub(crate) fn sources(settings: &Map<String, Value>) -> Vec<(GroupKind, String, u8)> {
    let own = settings.get("memberGroups").map(|g| (g, 1u8));
    let rings = settings
        .get("bullseye")
        .and_then(|b| b.get("rings"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, ring)| {
            let groups = ring.get("memberGroups")?;
            Some((groups, u8::try_from(i + 1).unwrap_or(u8::MAX)))
        });
    let mut out = Vec::new();
    for (groups, ring) in own.into_iter().chain(rings) {
        for entry in groups.as_array().into_iter().flatten() {
            let id = entry.get("id").and_then(Value::as_str);
            let kind = entry
                .get("type")
                .and_then(Value::as_str)
                .and_then(GroupKind::from_wire);
            if let (Some(id), Some(kind)) = (id, kind) {
                out.push((kind, id.to_string(), ring));
            }
        }
    }
    out
}

impl OrgState {
    /// Whether a group of this kind exists.
    pub(crate) fn member_group_exists(&self, kind: GroupKind, id: &str) -> bool {
        match kind {
            GroupKind::Group => self.groups.contains_key(id),
            GroupKind::Team => self.teams.contains_key(id),
            GroupKind::SkillGroup => self.skill_groups.contains_key(id),
        }
    }

    fn member_group_name(&self, kind: GroupKind, id: &str) -> Option<&str> {
        match kind {
            GroupKind::Group => self.groups.get(id).map(|g| g.name.as_str()),
            GroupKind::Team => self.teams.get(id).map(|t| t.name.as_str()),
            GroupKind::SkillGroup => self.skill_groups.get(id).map(|g| g.name.as_str()),
        }
    }

    /// Checks every member group of a queue body and stores each as `{id, type}` (a body read
    /// back from a GET, with names and `selfUri`s, is accepted as it is). Each needs an id and
    /// a type, and the id must name an existing group of that type.
    // unverified: the answer to a member group that does not exist, or lacks its type, is not
    // documented; 400 invalid.value (required.field.missing) naming it is the simulator's.
    pub(crate) fn check_member_groups(&self, settings: &mut Map<String, Value>) -> OpResult<()> {
        for list in lists_mut(settings) {
            for (j, entry) in list.entries.iter_mut().enumerate() {
                let at = format!("{}[{j}]", list.field);
                let Some(id) = entry
                    .get("id")
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty())
                else {
                    return Err(ApiError::required_missing(&format!("{at}.id")));
                };
                let Some(kind) = entry
                    .get("type")
                    .and_then(Value::as_str)
                    .and_then(GroupKind::from_wire)
                else {
                    return Err(ApiError::required_missing(&format!("{at}.type")));
                };
                if !self.member_group_exists(kind, id) {
                    return Err(ApiError::invalid_value(
                        &format!("{at}.id"),
                        format!(
                            "{} [{id}] in {at} does not exist (type {}).",
                            kind.label(),
                            kind.wire()
                        ),
                    )
                    .entity(id, None));
                }
                *entry = json!({"id": id, "type": kind.wire()});
            }
        }
        Ok(())
    }

    /// Fills in each member group's `name` and `selfUri` in a rendered queue.
    pub(crate) fn fill_member_groups(&self, queue: &mut Map<String, Value>) {
        for list in lists_mut(queue) {
            for entry in list.entries.iter_mut() {
                let id = entry.get("id").and_then(Value::as_str).map(str::to_string);
                let kind = entry
                    .get("type")
                    .and_then(Value::as_str)
                    .and_then(GroupKind::from_wire);
                let (Some(id), Some(kind)) = (id, kind) else {
                    continue;
                };
                if let Some(name) = self.member_group_name(kind, &id) {
                    entry["name"] = json!(name);
                }
                entry["selfUri"] = json!(kind.uri(&id));
            }
        }
    }

    /// The names of the queues whose member groups name this group, sorted.
    pub(crate) fn queues_using(&self, kind: GroupKind, id: &str) -> Vec<String> {
        let mut names: Vec<String> = self
            .queues
            .values()
            .filter(|q| {
                sources(&q.settings)
                    .iter()
                    .any(|(k, i, _)| *k == kind && i == id)
            })
            .map(|q| q.name.clone())
            .collect();
        names.sort();
        names
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn sources_name_their_rings() {
        let settings = json!({
            "memberGroups": [{"id": "g", "type": "GROUP"}],
            "bullseye": {"rings": [{}, {"memberGroups": [{"id": "s", "type": "SKILLGROUP"}]}]},
        });
        assert_eq!(
            sources(settings.as_object().unwrap()),
            vec![
                (GroupKind::Group, "g".to_string(), 1),
                (GroupKind::SkillGroup, "s".to_string(), 2)
            ]
        );
    }

    #[test]
    fn unknown_groups_are_refused_by_name() {
        let org = OrgState::new(crate::DEFAULT_ORG_ID, "x");
        let mut settings =
            json!({"bullseye": {"rings": [{"memberGroups": [{"id": "t", "type": "TEAM"}]}]}});
        let e = org
            .check_member_groups(settings.as_object_mut().unwrap())
            .unwrap_err();
        assert_eq!(e.code, "invalid.value");
        assert_eq!(e.entity_id.as_deref(), Some("t"));
        assert_eq!(
            e.details[0].field_name,
            "bullseye.rings[0].memberGroups[0].id"
        );
        let mut settings = json!({"memberGroups": [{"id": "t"}]});
        let e = org
            .check_member_groups(settings.as_object_mut().unwrap())
            .unwrap_err();
        assert_eq!(e.code, "required.field.missing");
    }
}
