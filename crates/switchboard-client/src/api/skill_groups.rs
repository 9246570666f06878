//! Skill groups: `/api/v2/routing/skillgroups` (API-FACTS-LOOKUPS L2.1). Members are
//! computed from the group's conditions; there is no call to add or remove one. Updates are
//! a PATCH carrying the whole definition: read, change, send back ([`SkillGroup::to_request`]).

use super::scoped;
use crate::client::Client;
use crate::error::Error;
use crate::models::{
    EntitiesOnly, EntityRef, SkillGroup, SkillGroupDefinition, SkillGroupMemberDivisions,
    SkillGroupWithMemberDivisions, UserReferenceWithName,
};
use crate::paging::{Cursor, with_ids};
use crate::request::{ApiRequest, Endpoint, Method::*};

const VIEW: &[&str] = &["routing:skillGroup:view"];
const READ_SCOPES: &[&str] = &["routing", "routing:readonly"];
const WRITE_SCOPES: &[&str] = &["routing"];

/// `GET /api/v2/routing/skillgroups`: cursor paging.
pub const LIST: Endpoint = scoped(Get, "/api/v2/routing/skillgroups", VIEW, READ_SCOPES);
/// `POST /api/v2/routing/skillgroups`.
pub const CREATE: Endpoint = scoped(
    Post,
    "/api/v2/routing/skillgroups",
    &["routing:skillGroup:add"],
    WRITE_SCOPES,
);
/// `GET /api/v2/routing/skillgroups/{skillGroupId}`.
pub const GET: Endpoint = scoped(
    Get,
    "/api/v2/routing/skillgroups/{skillGroupId}",
    VIEW,
    READ_SCOPES,
);
/// `PATCH /api/v2/routing/skillgroups/{skillGroupId}`: the whole definition.
pub const UPDATE: Endpoint = scoped(
    Patch,
    "/api/v2/routing/skillgroups/{skillGroupId}",
    &["routing:skillGroup:edit"],
    WRITE_SCOPES,
);
/// `DELETE /api/v2/routing/skillgroups/{skillGroupId}`.
pub const DELETE: Endpoint = scoped(
    Delete,
    "/api/v2/routing/skillgroups/{skillGroupId}",
    &["routing:skillGroup:delete"],
    WRITE_SCOPES,
);
/// `GET .../{skillGroupId}/members`: cursor paging.
pub const LIST_MEMBERS: Endpoint = scoped(
    Get,
    "/api/v2/routing/skillgroups/{skillGroupId}/members",
    VIEW,
    READ_SCOPES,
);
/// `GET .../{skillGroupId}/members/divisions`: unpaged.
pub const LIST_MEMBER_DIVISIONS: Endpoint = scoped(
    Get,
    "/api/v2/routing/skillgroups/{skillGroupId}/members/divisions",
    VIEW,
    READ_SCOPES,
);
/// `POST .../{skillGroupId}/members/divisions`: needs the *add* permission, not *edit*
/// (the description also lists `routing:readonly` among its scopes).
pub const CHANGE_MEMBER_DIVISIONS: Endpoint = scoped(
    Post,
    "/api/v2/routing/skillgroups/{skillGroupId}/members/divisions",
    &["routing:skillGroup:add"],
    READ_SCOPES,
);

/// Page size (CX as Code's; no maximum is documented).
pub const PAGE_SIZE: u32 = 100;
/// The most skill groups the listing may hold (no limit is documented): past it, at
/// ⌈10,000 / [`PAGE_SIZE`]⌉ + 1 = 101 pages, the listing is taken as one that never ends.
pub const MAX_SKILL_GROUPS: u32 = 10_000;
/// The most members one skill group's listing may hold: past it, at 1,001 pages of 100, it
/// is taken as one that never ends.
pub const MAX_MEMBERS: u32 = 100_000;

/// One page of skill groups.
pub fn list(cursor: Cursor<'_>) -> ApiRequest {
    ApiRequest::new(LIST, &[]).cursor(cursor)
}

/// One skill group.
pub fn get(skill_group_id: &str) -> ApiRequest {
    ApiRequest::new(GET, &[skill_group_id])
}

/// Creates a skill group. A create: never retried when it may have happened.
pub fn create(group: &SkillGroupWithMemberDivisions) -> ApiRequest {
    ApiRequest::new(CREATE, &[]).json(&group.to_request())
}

/// Replaces a skill group's definition with `group` (as read, changed).
pub fn update(skill_group_id: &str, group: &SkillGroup) -> ApiRequest {
    ApiRequest::new(UPDATE, &[skill_group_id]).json(&group.to_request())
}

/// Deletes a skill group.
pub fn delete(skill_group_id: &str) -> ApiRequest {
    ApiRequest::new(DELETE, &[skill_group_id])
}

/// One page of a skill group's members, with their names.
pub fn list_members(skill_group_id: &str, cursor: Cursor<'_>) -> ApiRequest {
    ApiRequest::new(LIST_MEMBERS, &[skill_group_id])
        .cursor(cursor)
        .query("expand", "entities")
}

/// The divisions a skill group's members may come from, with their names.
pub fn member_divisions(skill_group_id: &str) -> ApiRequest {
    ApiRequest::new(LIST_MEMBER_DIVISIONS, &[skill_group_id]).query("expand", "entities")
}

/// Adds and removes member divisions. Adding or removing twice has no further effect, so
/// it is retried like any idempotent write.
pub fn change_member_divisions(
    skill_group_id: &str,
    change: &SkillGroupMemberDivisions,
) -> ApiRequest {
    ApiRequest::new(CHANGE_MEMBER_DIVISIONS, &[skill_group_id])
        .json(change)
        .idempotent()
}

impl Client {
    /// Every skill group, without its conditions (read one by id for them). A skill group
    /// without an id or seen twice, a repeated cursor, a `nextUri` elsewhere, or more than
    /// [`MAX_SKILL_GROUPS`] is an error.
    pub async fn list_skill_groups(&self) -> Result<Vec<SkillGroupDefinition>, Error> {
        self.list_cursor(PAGE_SIZE, MAX_SKILL_GROUPS, list).await
    }

    /// One skill group, with its conditions.
    pub async fn get_skill_group(&self, skill_group_id: &str) -> Result<SkillGroup, Error> {
        self.execute(get(skill_group_id)).await
    }

    /// Creates a skill group. Not retried when the outcome is unknown: see
    /// [`Error::is_outcome_unknown`].
    pub async fn create_skill_group(
        &self,
        group: &SkillGroupWithMemberDivisions,
    ) -> Result<SkillGroupWithMemberDivisions, Error> {
        self.execute(create(group)).await
    }

    /// Replaces a skill group's definition with `group` (read it first and change it:
    /// conditions left out are lost).
    pub async fn update_skill_group(
        &self,
        skill_group_id: &str,
        group: &SkillGroup,
    ) -> Result<SkillGroup, Error> {
        self.execute(update(skill_group_id, group)).await
    }

    /// Deletes a skill group.
    pub async fn delete_skill_group(&self, skill_group_id: &str) -> Result<(), Error> {
        self.execute_empty(delete(skill_group_id)).await
    }

    /// Every member of a skill group, as computed from its conditions. A member without an
    /// id or seen twice, a repeated cursor, a `nextUri` elsewhere, or more than
    /// [`MAX_MEMBERS`] is an error.
    pub async fn list_skill_group_members(
        &self,
        skill_group_id: &str,
    ) -> Result<Vec<UserReferenceWithName>, Error> {
        self.list_cursor(PAGE_SIZE, MAX_MEMBERS, |cursor| {
            list_members(skill_group_id, cursor)
        })
        .await
    }

    /// The divisions a skill group's members may come from. A division without an id is
    /// an error.
    pub async fn skill_group_member_divisions(
        &self,
        skill_group_id: &str,
    ) -> Result<Vec<EntityRef>, Error> {
        let list: EntitiesOnly<EntityRef> = self.execute(member_divisions(skill_group_id)).await?;
        with_ids(LIST_MEMBER_DIVISIONS, list.entities)
    }

    /// Adds and removes member divisions of a skill group.
    pub async fn change_skill_group_member_divisions(
        &self,
        skill_group_id: &str,
        change: &SkillGroupMemberDivisions,
    ) -> Result<(), Error> {
        self.execute_empty(change_member_divisions(skill_group_id, change))
            .await
    }
}
