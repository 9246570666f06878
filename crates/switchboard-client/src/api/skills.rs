//! Routing skills: `/api/v2/routing/skills`. No PUT: a skill cannot be renamed.

use super::op;
use crate::client::Client;
use crate::error::Error;
use crate::models::{CreateRoutingSkill, RoutingSkill, UpdateSkillDivisionRequest};
use crate::paging::Page;
use crate::request::{ApiRequest, Endpoint, Method::*};

/// `GET /api/v2/routing/skills`.
pub const LIST: Endpoint = op(Get, "/api/v2/routing/skills", &["routing:skill:view"]);
/// `POST /api/v2/routing/skills`.
pub const CREATE: Endpoint = op(
    Post,
    "/api/v2/routing/skills",
    &["routing:skill:manage", "routing:skill:create"],
);
/// `GET /api/v2/routing/skills/{skillId}`.
pub const GET: Endpoint = op(
    Get,
    "/api/v2/routing/skills/{skillId}",
    &["routing:skill:view"],
);
/// `PATCH /api/v2/routing/skills/{skillId}`: division only.
pub const SET_DIVISION: Endpoint = op(
    Patch,
    "/api/v2/routing/skills/{skillId}",
    &["routing:skill:update"],
);
/// `DELETE /api/v2/routing/skills/{skillId}`: soft delete.
pub const DELETE: Endpoint = op(
    Delete,
    "/api/v2/routing/skills/{skillId}",
    &["routing:skill:manage", "routing:skill:delete"],
);

/// Page size (the Terraform provider's).
pub const PAGE_SIZE: u32 = 500;

/// One page of skills.
pub fn list(page: Page) -> ApiRequest {
    ApiRequest::new(LIST, &[]).page(page)
}

/// Skills whose name starts with `prefix`, for a look-up before a create.
pub fn find(prefix: &str, page: Page) -> ApiRequest {
    list(page).query("name", prefix)
}

/// One skill.
pub fn get(skill_id: &str) -> ApiRequest {
    ApiRequest::new(GET, &[skill_id])
}

/// Creates a skill.
pub fn create(name: &str) -> ApiRequest {
    ApiRequest::new(CREATE, &[]).json(&CreateRoutingSkill {
        name: name.to_string(),
    })
}

/// Moves a skill to a division.
pub fn set_division(skill_id: &str, division_id: &str) -> ApiRequest {
    ApiRequest::new(SET_DIVISION, &[skill_id]).json(&UpdateSkillDivisionRequest {
        division_id: division_id.to_string(),
    })
}

/// Deletes a skill.
pub fn delete(skill_id: &str) -> ApiRequest {
    ApiRequest::new(DELETE, &[skill_id])
}

impl Client {
    /// Every skill, soft-deleted ones included (check [`RoutingSkill::is_live`]).
    pub async fn list_skills(&self) -> Result<Vec<RoutingSkill>, Error> {
        self.list_all(PAGE_SIZE, list).await
    }

    /// The skills the API's `name` filter returns for `prefix` ("Filter for results that
    /// start with this value"; its case handling is undocumented), soft-deleted ones
    /// included. The caller compares names: switchboard's name rule lives with the manifest.
    pub async fn list_skills_starting_with(
        &self,
        prefix: &str,
    ) -> Result<Vec<RoutingSkill>, Error> {
        self.list_all(PAGE_SIZE, |page| find(prefix, page)).await
    }

    /// One skill.
    pub async fn get_skill(&self, skill_id: &str) -> Result<RoutingSkill, Error> {
        self.execute(get(skill_id)).await
    }

    /// Creates a skill.
    pub async fn create_skill(&self, name: &str) -> Result<RoutingSkill, Error> {
        self.execute(create(name)).await
    }

    /// Moves a skill to another division.
    pub async fn set_skill_division(
        &self,
        skill_id: &str,
        division_id: &str,
    ) -> Result<RoutingSkill, Error> {
        self.execute(set_division(skill_id, division_id)).await
    }

    /// Deletes a skill.
    pub async fn delete_skill(&self, skill_id: &str) -> Result<(), Error> {
        self.execute_empty(delete(skill_id)).await
    }
}
