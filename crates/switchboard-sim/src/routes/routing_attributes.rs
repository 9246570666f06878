//! `/api/v2/routing/skills` and `/api/v2/routing/languages`: one listing and one set of
//! GET-one, POST and soft-DELETE rules for both kinds of routing attribute. The skills'
//! division change is in `skills`.

use std::sync::Arc;

use axum::extract::State;
use serde_json::Value;

use super::collection::Collection;
use crate::audit::Actor;
use crate::context::SimContext;
use crate::ids;
use crate::listing::{MAX_PAGE_SIZE, paged};
use crate::org::{Attribute, OpResult, OrgState, name_key};
use crate::request::{ApiResult, JsonBody, QueryParams, Reply, str_field};

/// Skills or languages, as the collection a route serves.
pub(crate) trait AttributeRoutes {
    /// Which of the two.
    const KIND: Attribute;
}

/// `/api/v2/routing/skills`. No PUT exists.
pub(crate) struct Skills;

impl AttributeRoutes for Skills {
    const KIND: Attribute = Attribute::Skill;
}

/// `/api/v2/routing/languages`. No PUT or PATCH exists.
pub(crate) struct Languages;

impl AttributeRoutes for Languages {
    const KIND: Attribute = Attribute::Language;
}

/// What differs between the skills and the languages endpoints.
impl Attribute {
    fn path(self) -> &'static str {
        self.pick("/api/v2/routing/skills", "/api/v2/routing/languages")
    }

    /// The spec definition of the POST body (both are `{name}`).
    fn create_definition(self) -> &'static str {
        self.pick("CreateRoutingSkill", "Language")
    }

    /// Only the languages listing has `sortOrder` in the spec.
    fn takes_sort_order(self) -> bool {
        self.pick(false, true)
    }
}

/// GET: `name` (a case-insensitive prefix filter), `id[]`, and for languages `sortOrder`.
/// Deleted ones are listed too, with state `deleted` (the vendor's Terraform provider skips
/// them when exporting, so they do appear).
// unverified: for languages the spec only says "Name" for the filter; a prefix match like
// the skills listing's is the simulator's choice.
pub(crate) async fn list<K: AttributeRoutes>(
    State(ctx): State<Arc<SimContext>>,
    q: QueryParams,
) -> ApiResult {
    let kind = K::KIND;
    let descending = if kind.takes_sort_order() {
        q.descending()?
    } else {
        false
    };
    let prefix = q.get("name").map(str::to_lowercase);
    let ids = q.all("id");
    let org = ctx.org();
    let mut found: Vec<_> = org
        .attributes(kind)
        .values()
        .filter(|a| org.visible(&a.id))
        .filter(|a| {
            prefix
                .as_ref()
                .is_none_or(|p| a.name.to_lowercase().starts_with(p.as_str()))
        })
        .filter(|a| ids.is_empty() || ids.contains(&a.id.as_str()))
        .collect();
    found.sort_by_key(|a| name_key(&a.name, &a.id));
    if descending {
        found.reverse();
    }
    let rendered: Vec<Value> = found
        .iter()
        .map(|a| org.render_attribute(kind, a))
        .collect();
    Ok(Reply::Json(paged(
        kind.path(),
        &q,
        MAX_PAGE_SIZE,
        &rendered,
    )?))
}

/// GET one (a deleted one answers with state `deleted`), POST with `{name}`, and DELETE, a
/// soft delete.
impl<K: AttributeRoutes> Collection for K {
    fn render(org: &OrgState, id: &str) -> Option<Value> {
        let attribute = org.attributes(K::KIND).get(id)?;
        Some(org.render_attribute(K::KIND, attribute))
    }

    fn create(org: &mut OrgState, actor: &Actor, body: &JsonBody) -> OpResult<String> {
        let body = body.object_of(K::KIND.create_definition())?;
        let name = str_field(body, "name").unwrap_or_default();
        org.create_attribute(actor, K::KIND, name, ids::random())
    }

    fn delete(org: &mut OrgState, actor: &Actor, id: &str, _: &QueryParams) -> OpResult<()> {
        org.delete_attribute(actor, K::KIND, id)
    }
}
