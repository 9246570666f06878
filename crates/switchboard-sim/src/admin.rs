//! Out-of-band edits "made in the admin UI": they change the org behind the client's back
//! and are audited as a person ("Dana Admin"), which is what drift detection must catch.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::api_error::ApiError;
use crate::context::SimContext;
use crate::ids;
use crate::org::{Attribute, GroupKind, OrgState, QueueDefinition, SettingsPart};

/// Why an admin edit could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AdminError {
    /// The named object does not exist.
    #[error("{kind} \"{name}\" does not exist")]
    NotFound {
        /// What kind of object (queue, user, skill, wrap-up code, member).
        kind: &'static str,
        /// The name or email looked up.
        name: String,
    },
    /// The API's rules refused the edit.
    #[error("the edit was refused ({code}): {message}")]
    Rejected {
        /// The API error code it would have answered with.
        code: String,
        /// The API error message.
        message: String,
    },
}

impl From<ApiError> for AdminError {
    fn from(e: ApiError) -> AdminError {
        AdminError::Rejected {
            code: e.code.clone(),
            message: e.message.clone(),
        }
    }
}

/// One admin-UI edit, as data, so config files can schedule them
/// ([`crate::Faults::out_of_band`]). Queues, skills and codes are named; users are emails.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase", deny_unknown_fields)]
pub enum OutOfBandEdit {
    /// Renames a queue.
    #[serde(rename_all = "camelCase")]
    RenameQueue {
        /// The queue's current name.
        queue: String,
        /// Its new name.
        new_name: String,
    },
    /// Sets one field of a queue, by JSON pointer into its `QueueRequest` body
    /// (e.g. `/mediaSettings/call/alertingTimeoutSeconds`).
    #[serde(rename_all = "camelCase")]
    SetQueueField {
        /// The queue's name.
        queue: String,
        /// A JSON pointer.
        pointer: String,
        /// The new value.
        value: Value,
    },
    /// Deletes a queue.
    DeleteQueue {
        /// The queue's name.
        queue: String,
    },
    /// Adds a user to a queue at a ring.
    AddMember {
        /// The queue's name.
        queue: String,
        /// The user's email.
        user: String,
        /// The ring number, 1–6.
        ring: u8,
    },
    /// Removes a user from a queue.
    RemoveMember {
        /// The queue's name.
        queue: String,
        /// The user's email.
        user: String,
    },
    /// Changes a member's ring.
    SetMemberRing {
        /// The queue's name.
        queue: String,
        /// The user's email.
        user: String,
        /// The ring number, 1–6.
        ring: u8,
    },
    /// Assigns a skill to a user (or changes its proficiency).
    SetUserSkill {
        /// The user's email.
        user: String,
        /// The skill's name.
        skill: String,
        /// 0.0–5.0.
        proficiency: f64,
    },
    /// Removes a skill from a user.
    RemoveUserSkill {
        /// The user's email.
        user: String,
        /// The skill's name.
        skill: String,
    },
    /// Creates a skill.
    CreateSkill {
        /// Its name.
        name: String,
    },
    /// Deletes (soft) a skill.
    DeleteSkill {
        /// Its name.
        name: String,
    },
    /// Creates a wrap-up code.
    CreateWrapupCode {
        /// Its name.
        name: String,
    },
    /// Deletes a wrap-up code.
    DeleteWrapupCode {
        /// Its name.
        name: String,
    },
    /// Adds a user to a directory group (and so to the queues whose member groups name it).
    AddGroupMember {
        /// The group's name.
        group: String,
        /// The user's email.
        user: String,
    },
    /// Removes a user from a directory group.
    RemoveGroupMember {
        /// The group's name.
        group: String,
        /// The user's email.
        user: String,
    },
    /// Adds a user to a team (and so to the queues whose member groups name it).
    AddTeamMember {
        /// The team's name.
        team: String,
        /// The user's email.
        user: String,
    },
    /// Removes a user from a team.
    RemoveTeamMember {
        /// The team's name.
        team: String,
        /// The user's email.
        user: String,
    },
    /// Sets one field of a skill group, by JSON pointer into its `SkillGroup` body
    /// (e.g. `/skillConditions/0/routingSkillConditions/0/proficiency`), saved as the API's
    /// PATCH saves it.
    #[serde(rename_all = "camelCase")]
    SetSkillGroupField {
        /// The skill group's name.
        skill_group: String,
        /// Where, in the `SkillGroup` body.
        pointer: String,
        /// The new value.
        value: Value,
    },
    /// Sets one of the org's routing settings, by JSON pointer as the manifest names them
    /// (`/resetAgentScoreOnPresenceChange`, `/contactCenter/removeSkillsFromBlindTransfer`,
    /// `/transcription/transcriptionConfidenceThreshold`), saved as the API saves a write of
    /// that part.
    #[serde(rename_all = "camelCase")]
    SetRoutingSetting {
        /// Where.
        pointer: String,
        /// The new value.
        value: Value,
    },
}

/// The admin UI of the simulated org; see [`crate::RunningSim::admin`].
#[derive(Debug, Clone)]
pub struct Admin {
    ctx: Arc<SimContext>,
}

impl Admin {
    pub(crate) fn new(ctx: Arc<SimContext>) -> Admin {
        Admin { ctx }
    }

    /// Applies any edit.
    pub fn apply(&self, edit: OutOfBandEdit) -> Result<(), AdminError> {
        let result = apply_edit(&mut self.ctx.org(), &edit);
        self.ctx.publish_pending();
        result
    }

    /// Renames a queue.
    pub fn rename_queue(&self, name: &str, new_name: &str) -> Result<(), AdminError> {
        self.apply(OutOfBandEdit::RenameQueue {
            queue: name.into(),
            new_name: new_name.into(),
        })
    }

    /// Sets one field of a queue by JSON pointer into its `QueueRequest` body.
    pub fn set_queue_field(
        &self,
        queue_name: &str,
        json_pointer: &str,
        value: Value,
    ) -> Result<(), AdminError> {
        self.apply(OutOfBandEdit::SetQueueField {
            queue: queue_name.into(),
            pointer: json_pointer.into(),
            value,
        })
    }

    /// Deletes a queue.
    pub fn delete_queue(&self, name: &str) -> Result<(), AdminError> {
        self.apply(OutOfBandEdit::DeleteQueue { queue: name.into() })
    }

    /// Adds a user (by email) to a queue at a ring.
    pub fn add_member(&self, queue_name: &str, email: &str, ring: u8) -> Result<(), AdminError> {
        self.apply(OutOfBandEdit::AddMember {
            queue: queue_name.into(),
            user: email.into(),
            ring,
        })
    }

    /// Removes a user (by email) from a queue.
    pub fn remove_member(&self, queue_name: &str, email: &str) -> Result<(), AdminError> {
        self.apply(OutOfBandEdit::RemoveMember {
            queue: queue_name.into(),
            user: email.into(),
        })
    }

    /// Changes a member's ring.
    pub fn set_member_ring(
        &self,
        queue_name: &str,
        email: &str,
        ring: u8,
    ) -> Result<(), AdminError> {
        self.apply(OutOfBandEdit::SetMemberRing {
            queue: queue_name.into(),
            user: email.into(),
            ring,
        })
    }

    /// Assigns a skill to a user, or changes its proficiency.
    pub fn set_user_skill(
        &self,
        email: &str,
        skill_name: &str,
        proficiency: f64,
    ) -> Result<(), AdminError> {
        self.apply(OutOfBandEdit::SetUserSkill {
            user: email.into(),
            skill: skill_name.into(),
            proficiency,
        })
    }

    /// Removes a skill from a user.
    pub fn remove_user_skill(&self, email: &str, skill_name: &str) -> Result<(), AdminError> {
        self.apply(OutOfBandEdit::RemoveUserSkill {
            user: email.into(),
            skill: skill_name.into(),
        })
    }

    /// Creates a skill.
    pub fn create_skill(&self, name: &str) -> Result<(), AdminError> {
        self.apply(OutOfBandEdit::CreateSkill { name: name.into() })
    }

    /// Deletes (soft) a skill.
    pub fn delete_skill(&self, name: &str) -> Result<(), AdminError> {
        self.apply(OutOfBandEdit::DeleteSkill { name: name.into() })
    }

    /// Creates a wrap-up code.
    pub fn create_wrapup_code(&self, name: &str) -> Result<(), AdminError> {
        self.apply(OutOfBandEdit::CreateWrapupCode { name: name.into() })
    }

    /// Deletes a wrap-up code.
    pub fn delete_wrapup_code(&self, name: &str) -> Result<(), AdminError> {
        self.apply(OutOfBandEdit::DeleteWrapupCode { name: name.into() })
    }

    /// Adds a user (by email) to a directory group.
    pub fn add_group_member(&self, group: &str, email: &str) -> Result<(), AdminError> {
        self.apply(OutOfBandEdit::AddGroupMember {
            group: group.into(),
            user: email.into(),
        })
    }

    /// Removes a user (by email) from a directory group.
    pub fn remove_group_member(&self, group: &str, email: &str) -> Result<(), AdminError> {
        self.apply(OutOfBandEdit::RemoveGroupMember {
            group: group.into(),
            user: email.into(),
        })
    }

    /// Adds a user (by email) to a team.
    pub fn add_team_member(&self, team: &str, email: &str) -> Result<(), AdminError> {
        self.apply(OutOfBandEdit::AddTeamMember {
            team: team.into(),
            user: email.into(),
        })
    }

    /// Removes a user (by email) from a team.
    pub fn remove_team_member(&self, team: &str, email: &str) -> Result<(), AdminError> {
        self.apply(OutOfBandEdit::RemoveTeamMember {
            team: team.into(),
            user: email.into(),
        })
    }

    /// Sets one of the org's routing settings by JSON pointer as the manifest names them,
    /// e.g. `/transcription/transcriptionConfidenceThreshold`.
    pub fn set_routing_setting(&self, json_pointer: &str, value: Value) -> Result<(), AdminError> {
        self.apply(OutOfBandEdit::SetRoutingSetting {
            pointer: json_pointer.into(),
            value,
        })
    }

    /// Sets one field of a skill group by JSON pointer into its `SkillGroup` body.
    pub fn set_skill_group_field(
        &self,
        skill_group: &str,
        json_pointer: &str,
        value: Value,
    ) -> Result<(), AdminError> {
        self.apply(OutOfBandEdit::SetSkillGroupField {
            skill_group: skill_group.into(),
            pointer: json_pointer.into(),
            value,
        })
    }
}

/// The id a lookup by name found, or `NotFound` naming what was looked for.
fn found(id: Option<String>, kind: &'static str, name: &str) -> Result<String, AdminError> {
    id.ok_or_else(|| AdminError::NotFound {
        kind,
        name: name.into(),
    })
}

fn queue_id(org: &OrgState, name: &str) -> Result<String, AdminError> {
    found(org.queue_id_by_name(name), "queue", name)
}

fn user_id(org: &OrgState, email: &str) -> Result<String, AdminError> {
    found(org.user_id_by_email(email), "user", email)
}

fn skill_id(org: &OrgState, name: &str) -> Result<String, AdminError> {
    found(
        org.active_attribute_id(Attribute::Skill, name),
        "skill",
        name,
    )
}

/// The queue and user ids of a queue member, or `NotFound` when the user is not on it.
fn member_ids(org: &OrgState, queue: &str, email: &str) -> Result<(String, String), AdminError> {
    let q = queue_id(org, queue)?;
    let u = user_id(org, email)?;
    let is_member = org
        .queues
        .get(&q)
        .is_some_and(|x| x.members.contains_key(&u));
    let u = found(is_member.then_some(u), "member", email)?;
    Ok((q, u))
}

/// Adds a user to or removes one from a directory group or a team, by name and email.
fn set_group_member(
    org: &mut OrgState,
    kind: GroupKind,
    name: &str,
    email: &str,
    present: bool,
) -> Result<(), AdminError> {
    let id = match kind {
        GroupKind::Team => found(
            org.teams
                .values()
                .find(|t| t.name == name)
                .map(|t| t.id.clone()),
            "team",
            name,
        )?,
        _ => found(
            org.groups
                .values()
                .find(|g| g.name == name)
                .map(|g| g.id.clone()),
            "group",
            name,
        )?,
    };
    let user = user_id(org, email)?;
    let admin = org.admin_actor();
    org.set_group_member(&admin, kind, &id, &user, present);
    Ok(())
}

/// Applies an edit as the admin person.
pub(crate) fn apply_edit(org: &mut OrgState, edit: &OutOfBandEdit) -> Result<(), AdminError> {
    let admin = org.admin_actor();
    match edit {
        OutOfBandEdit::RenameQueue { queue, new_name } => {
            let id = queue_id(org, queue)?;
            let mut body = org.queue_request_body(&id).unwrap_or_default();
            body["name"] = Value::String(new_name.clone());
            org.replace_queue(&admin, &id, &body)?;
        }
        OutOfBandEdit::SetQueueField {
            queue,
            pointer,
            value,
        } => {
            let id = queue_id(org, queue)?;
            let mut body = org.queue_request_body(&id).unwrap_or_default();
            crate::org::set_pointer(&mut body, pointer, value.clone()).map_err(|message| {
                AdminError::Rejected {
                    code: "invalid.value".into(),
                    message,
                }
            })?;
            // The admin UI saves through the same rules as the API.
            org.validate_queue_body(&body, QueueDefinition::Replace)?;
            org.replace_queue(&admin, &id, &body)?;
        }
        OutOfBandEdit::DeleteQueue { queue } => {
            let id = queue_id(org, queue)?;
            org.delete_queue(&admin, &id)?;
        }
        OutOfBandEdit::AddMember { queue, user, ring } => {
            let q = queue_id(org, queue)?;
            let u = user_id(org, user)?;
            org.add_members(&admin, &q, std::slice::from_ref(&u))?;
            if *ring != 1 {
                org.update_member(&admin, &q, &u, Some(i64::from(*ring)), None)?;
            }
        }
        OutOfBandEdit::RemoveMember { queue, user } => {
            let (q, u) = member_ids(org, queue, user)?;
            org.remove_members(&admin, &q, &[u])?;
        }
        OutOfBandEdit::SetMemberRing { queue, user, ring } => {
            let (q, u) = member_ids(org, queue, user)?;
            org.update_member(&admin, &q, &u, Some(i64::from(*ring)), None)?;
        }
        OutOfBandEdit::SetUserSkill {
            user,
            skill,
            proficiency,
        } => {
            let u = user_id(org, user)?;
            let s = skill_id(org, skill)?;
            org.assign(&admin, Attribute::Skill, &u, &[(s, *proficiency)], false)?;
        }
        OutOfBandEdit::RemoveUserSkill { user, skill } => {
            let u = user_id(org, user)?;
            let s = skill_id(org, skill)?;
            org.unassign(&admin, Attribute::Skill, &u, &s)
                .map_err(|_| AdminError::NotFound {
                    kind: "user skill",
                    name: format!("{user}: {skill}"),
                })?;
        }
        OutOfBandEdit::CreateSkill { name } => {
            org.create_attribute(&admin, Attribute::Skill, name, ids::random())?;
        }
        OutOfBandEdit::DeleteSkill { name } => {
            let id = skill_id(org, name)?;
            org.delete_attribute(&admin, Attribute::Skill, &id)?;
        }
        OutOfBandEdit::CreateWrapupCode { name } => {
            let valid = org.validate_wrapup_code_body(&serde_json::json!({ "name": name }))?;
            org.create_wrapup_code(&admin, valid, ids::random())?;
        }
        OutOfBandEdit::DeleteWrapupCode { name } => {
            let id = found(org.wrapup_code_id_by_name(name), "wrap-up code", name)?;
            org.delete_wrapup_code(&admin, &id)?;
        }
        OutOfBandEdit::AddGroupMember { group, user } => {
            set_group_member(org, GroupKind::Group, group, user, true)?;
        }
        OutOfBandEdit::RemoveGroupMember { group, user } => {
            set_group_member(org, GroupKind::Group, group, user, false)?;
        }
        OutOfBandEdit::AddTeamMember { team, user } => {
            set_group_member(org, GroupKind::Team, team, user, true)?;
        }
        OutOfBandEdit::RemoveTeamMember { team, user } => {
            set_group_member(org, GroupKind::Team, team, user, false)?;
        }
        OutOfBandEdit::SetSkillGroupField {
            skill_group,
            pointer,
            value,
        } => {
            let id = found(
                org.skill_groups
                    .values()
                    .find(|g| g.name.eq_ignore_ascii_case(skill_group))
                    .map(|g| g.id.clone()),
                "skill group",
                skill_group,
            )?;
            let mut body = org.skill_group_request_body(&id);
            crate::org::set_pointer(&mut body, pointer, value.clone()).map_err(|message| {
                AdminError::Rejected {
                    code: "invalid.value".into(),
                    message,
                }
            })?;
            org.patch_skill_group(&admin, &id, &body)?;
        }
        OutOfBandEdit::SetRoutingSetting { pointer, value } => {
            let (part, field) = match pointer.strip_prefix('/').unwrap_or(pointer).split_once('/') {
                Some(("contactCenter", field)) => (SettingsPart::ContactCenter, field),
                Some(("transcription", field)) => (SettingsPart::Transcription, field),
                _ => (SettingsPart::Settings, pointer.trim_start_matches('/')),
            };
            let mut body = org.settings(part);
            if let Some(fields) = body.as_object_mut() {
                fields.insert(field.to_string(), value.clone());
            }
            match part {
                SettingsPart::ContactCenter => org.patch_settings(&admin, part, &body)?,
                _ => {
                    org.replace_settings(&admin, part, &body)?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn edits_read_from_yaml() {
        let e: OutOfBandEdit =
            serde_yaml_ng::from_str("kind: renameQueue\nqueue: A\nnewName: B\n").unwrap();
        assert_eq!(
            e,
            OutOfBandEdit::RenameQueue {
                queue: "A".into(),
                new_name: "B".into()
            }
        );
    }

    #[test]
    fn unknown_names_are_reported() {
        let mut org = OrgState::new("o", "O");
        let err = apply_edit(
            &mut org,
            &OutOfBandEdit::DeleteQueue {
                queue: "Nope".into(),
            },
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "queue \"Nope\" does not exist");
    }
}
