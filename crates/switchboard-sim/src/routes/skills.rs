//! `PATCH /api/v2/routing/skills/{skillId}`: the division change, which only skills have.
//! The rest of the skills endpoints are shared with languages (see `routing_attributes`).

use std::sync::Arc;

use axum::extract::{Path, State};

use super::collection::written;
use super::routing_attributes::Skills;
use crate::api_error::ApiError;
use crate::context::SimContext;
use crate::request::{ApiResult, Caller, JsonBody, str_field};

/// PATCH with `UpdateSkillDivisionRequest {divisionId}`.
pub(crate) async fn set_division(
    State(ctx): State<Arc<SimContext>>,
    Path(id): Path<String>,
    caller: Caller,
    body: JsonBody,
) -> ApiResult {
    let division = str_field(body.object_of("UpdateSkillDivisionRequest")?, "divisionId")
        .ok_or_else(|| ApiError::required_missing("divisionId"))?
        .to_string();
    let mut org = ctx.org();
    org.set_skill_division(&caller.actor(), &id, &division)?;
    written::<Skills>(&org, &id)
}
