//! Queue members: bulk add/remove (≤ 100), join/unjoin, ring numbers, rendering.

use chrono::Utc;
use serde_json::{Value, json};

use super::{Member, MemberBy, OpResult, OrgState, Queue, UserState};
use crate::api_error::ApiError;
use crate::audit::{Actor, PropertyChange};

/// The most entries one bulk members call takes (API-FACTS §5, "up to 100").
pub(crate) const MAX_BULK_MEMBERS: usize = 100;

/// Ring numbers the API accepts (the vendor's Terraform provider validates 1–6).
const RINGS: std::ops::RangeInclusive<i64> = 1..=6;

/// Which optional parts of a user (and member) rendering are expanded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct MemberExpand {
    pub skills: bool,
    pub languages: bool,
    pub routing_status: bool,
}

impl MemberExpand {
    /// Reads `expand` values.
    pub(crate) fn from_values<'a>(values: impl IntoIterator<Item = &'a str>) -> MemberExpand {
        let mut e = MemberExpand::default();
        for v in values {
            match v {
                "skills" => e.skills = true,
                "languages" => e.languages = true,
                "routingStatus" => e.routing_status = true,
                _ => {}
            }
        }
        e
    }
}

impl OrgState {
    /// The queue a bulk members call of `entries` entries changes: 400 past
    /// [`MAX_BULK_MEMBERS`], then 404 when the queue does not exist.
    fn bulk_target(&self, queue_id: &str, entries: usize) -> OpResult<&Queue> {
        if entries > MAX_BULK_MEMBERS {
            // unverified: the code for more than 100 entries is not documented; bad.request
            // chosen.
            return Err(ApiError::bad_request(format!(
                "Only {MAX_BULK_MEMBERS} queue members can be added, removed or updated in one request."
            )));
        }
        self.queues
            .get(queue_id)
            .ok_or_else(|| ApiError::not_found_id(queue_id))
    }

    /// POST /routing/queues/{id}/members: adds users as direct members at ring 1, joined.
    /// Direct members are left as they are; a member through a group becomes a direct member
    /// at ring 1 and keeps its joined state (see `group_members`).
    // unverified: whether new members start joined is not documented; they start joined
    // here (ring 1 is documented in API-FACTS §5).
    pub(crate) fn add_members(
        &mut self,
        actor: &Actor,
        queue_id: &str,
        user_ids: &[String],
    ) -> OpResult<()> {
        self.bulk_target(queue_id, user_ids.len())?;
        for id in user_ids {
            match self.users.get(id) {
                Some(u) if u.state != UserState::Deleted => {}
                // unverified: unknown user ids in the body give 400 invalid.value here.
                _ => {
                    return Err(ApiError::invalid_value(
                        "id",
                        format!("User [{id}] does not exist."),
                    )
                    .entity(id, None));
                }
            }
        }
        let mut added = Vec::new();
        if let Some(queue) = self.queues.get_mut(queue_id) {
            for id in user_ids {
                match queue.members.get_mut(id) {
                    None => {
                        queue.members.insert(
                            id.clone(),
                            Member {
                                ring: 1,
                                joined: true,
                                member_by: MemberBy::User,
                            },
                        );
                        added.push(id.clone());
                    }
                    Some(m) if m.member_by == MemberBy::Group => {
                        m.member_by = MemberBy::User;
                        m.ring = 1;
                        added.push(id.clone());
                    }
                    Some(_) => {}
                }
            }
            if !added.is_empty() {
                queue.date_modified = Utc::now();
            }
        }
        let name = self.queue_name(queue_id);
        for id in added {
            self.record(
                actor,
                "Queue",
                queue_id,
                &name,
                "MemberAdd",
                vec![
                    PropertyChange::new("userId", [], [id]),
                    PropertyChange::new("ringNumber", [], ["1".to_string()]),
                ],
            );
        }
        Ok(())
    }

    /// POST /routing/queues/{id}/members?delete=true: removes direct members. Ids that are
    /// not members are disregarded; members through a group cannot be removed here, and a
    /// removed direct member a member group reaches stays on as a group member.
    pub(crate) fn remove_members(
        &mut self,
        actor: &Actor,
        queue_id: &str,
        user_ids: &[String],
    ) -> OpResult<()> {
        let queue = self.bulk_target(queue_id, user_ids.len())?;
        for id in user_ids {
            if queue
                .members
                .get(id)
                .is_some_and(|m| m.member_by == MemberBy::Group)
            {
                return Err(group_member(id));
            }
        }
        let mut removed = Vec::new();
        if let Some(queue) = self.queues.get_mut(queue_id) {
            for id in user_ids {
                if let Some(m) = queue.members.remove(id) {
                    removed.push((id.clone(), m));
                }
            }
            if !removed.is_empty() {
                queue.date_modified = Utc::now();
            }
        }
        let name = self.queue_name(queue_id);
        for (id, m) in removed {
            self.record(
                actor,
                "Queue",
                queue_id,
                &name,
                "MemberRemove",
                vec![
                    PropertyChange::new("userId", [id], []),
                    PropertyChange::new("ringNumber", [m.ring.to_string()], []),
                ],
            );
        }
        self.sync_group_members(actor, queue_id);
        Ok(())
    }

    /// PATCH /routing/queues/{id}/members/{memberId}: the ring number and/or joined flag.
    pub(crate) fn update_member(
        &mut self,
        actor: &Actor,
        queue_id: &str,
        user_id: &str,
        ring: Option<i64>,
        joined: Option<bool>,
    ) -> OpResult<()> {
        let Some(queue) = self.queues.get_mut(queue_id) else {
            return Err(ApiError::not_found_id(queue_id));
        };
        let Some(member) = queue.members.get_mut(user_id) else {
            return Err(ApiError::not_found_id(user_id));
        };
        let mut changes = Vec::new();
        if let Some(ring) = ring {
            if !RINGS.contains(&ring) {
                return Err(ApiError::invalid_value(
                    "ringNumber",
                    format!(
                        "Value [{ring}] is not valid for field [ringNumber]: it must be between 1 and 6"
                    ),
                ));
            }
            // unverified: the ring of a member through a group follows the group's ring, so
            // changing it directly is refused.
            if member.member_by == MemberBy::Group {
                return Err(group_member(user_id));
            }
            let ring = u8::try_from(ring).unwrap_or(1);
            if ring != member.ring {
                changes.push(PropertyChange::new(
                    "ringNumber",
                    [member.ring.to_string()],
                    [ring.to_string()],
                ));
                member.ring = ring;
            }
        }
        if let Some(joined) = joined
            && joined != member.joined
        {
            changes.push(PropertyChange::new(
                "joined",
                [member.joined.to_string()],
                [joined.to_string()],
            ));
            member.joined = joined;
        }
        queue.date_modified = Utc::now();
        let name = queue.name.clone();
        if !changes.is_empty() {
            changes.insert(
                0,
                PropertyChange::new("userId", [user_id.to_string()], [user_id.to_string()]),
            );
            self.record(actor, "Queue", queue_id, &name, "MemberUpdate", changes);
        }
        Ok(())
    }

    /// PATCH /routing/queues/{id}/members: join or unjoin up to 100 members; entries for
    /// users who are not members are disregarded. Returns the ids that are members.
    pub(crate) fn set_members_joined(
        &mut self,
        actor: &Actor,
        queue_id: &str,
        entries: &[(String, Option<bool>)],
    ) -> OpResult<Vec<String>> {
        self.bulk_target(queue_id, entries.len())?;
        let mut members = Vec::new();
        for (id, joined) in entries {
            let is_member = self
                .queues
                .get(queue_id)
                .is_some_and(|q| q.members.contains_key(id));
            if is_member {
                self.update_member(actor, queue_id, id, None, *joined)?;
                members.push(id.clone());
            }
        }
        Ok(members)
    }

    fn queue_name(&self, queue_id: &str) -> String {
        self.queues
            .get(queue_id)
            .map(|q| q.name.clone())
            .unwrap_or_default()
    }

    /// The `QueueMember` JSON.
    pub(crate) fn render_member(
        &self,
        queue_id: &str,
        user_id: &str,
        member: &Member,
        expand: MemberExpand,
    ) -> Value {
        let user = self.users.get(user_id);
        let mut m = json!({
            "id": user_id,
            "name": user.map(|u| u.name.clone()).unwrap_or_default(),
            "ringNumber": member.ring,
            "joined": member.joined,
            "memberBy": member.member_by.as_str(),
            "selfUri": format!("/api/v2/routing/queues/{queue_id}/members/{user_id}"),
        });
        if let Some(u) = user {
            m["user"] = self.render_user(u, expand);
        }
        if expand.routing_status {
            m["routingStatus"] = super::users::routing_status(user_id);
        }
        m
    }
}

// unverified: the code for removing a group member through the user endpoints is not
// documented; 400 bad.request chosen.
fn group_member(id: &str) -> ApiError {
    ApiError::bad_request(format!(
        "User [{id}] is a member of this queue through a group; change the group instead."
    ))
    .entity(id, None)
}
