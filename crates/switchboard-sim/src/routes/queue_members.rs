//! `/api/v2/routing/queues/{queueId}/members` (and the deprecated `/users` equivalents).

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use serde_json::Value;

use crate::api_error::ApiError;
use crate::context::SimContext;
use crate::listing::{Page, entity_listing, member_listing};
use crate::org::{MemberExpand, OrgState, name_key};
use crate::request::{ApiResult, Caller, JsonBody, QueryParams, Reply};

/// "Max value is 100" (the spec's `pageSize` description).
const MAX_MEMBER_PAGE: u64 = 100;

/// The members listing envelope, by the path a request came on: `/members` answers a
/// `QueueMemberEntityListing`, which has no `total`, `pageCount` or `lastUri` and a
/// `nextUri` only while more members follow; the deprecated `/users` answers a
/// `QueueMemberEntityListingV1`, the standard envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Envelope {
    Members,
    UsersV1,
}

impl<S: Send + Sync> FromRequestParts<S> for Envelope {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Envelope, Infallible> {
        Ok(if parts.uri.path().ends_with("/users") {
            Envelope::UsersV1
        } else {
            Envelope::Members
        })
    }
}

impl Envelope {
    /// One page of `total` members.
    fn listing(
        self,
        queue_id: &str,
        q: &QueryParams,
        page: Page,
        total: usize,
        entities: Vec<Value>,
    ) -> Value {
        match self {
            Envelope::Members => {
                let path = format!("/api/v2/routing/queues/{queue_id}/members");
                let has_next = (total as u64) > page.number.saturating_mul(page.size);
                member_listing(&path, q, page, has_next, entities)
            }
            Envelope::UsersV1 => {
                let path = format!("/api/v2/routing/queues/{queue_id}/users");
                entity_listing(&path, q, page, total, entities)
            }
        }
    }
}

/// Members matching the filters, sorted by name (then id).
fn members(
    org: &OrgState,
    queue_id: &str,
    q: &QueryParams,
) -> Result<Vec<(String, Value)>, ApiError> {
    let queue = org.visible_queue(queue_id)?;
    let descending = q.descending()?;
    let member_by = q.choice("memberBy", &["user", "group"])?;
    let joined = q.bool("joined")?;
    let expand = MemberExpand::from_values(q.all("expand"));
    let name = q
        .get("name")
        .map(str::to_lowercase)
        .filter(|n| !n.is_empty());
    let statuses: Vec<String> = q
        .all("routingStatus")
        .iter()
        .map(|s| s.to_uppercase())
        .collect();
    let presences: Vec<String> = q.all("presence").iter().map(|s| s.to_lowercase()).collect();
    let skills: Vec<String> = q.all("skills").iter().map(|s| s.to_lowercase()).collect();
    let languages: Vec<String> = q
        .all("languages")
        .iter()
        .map(|s| s.to_lowercase())
        .collect();
    let mut out: Vec<((String, String, String), String, Value)> = Vec::new();
    for (user_id, member) in &queue.members {
        let Some(user) = org.users.get(user_id) else {
            continue;
        };
        let has = |names: &[String], ids: Vec<&String>, of: &dyn Fn(&String) -> Option<String>| {
            names.iter().all(|wanted| {
                ids.iter()
                    .filter_map(|id| of(id))
                    .any(|n| n.to_lowercase().contains(wanted.as_str()))
            })
        };
        let keep = name.as_ref().is_none_or(|n| user.name.to_lowercase().contains(n.as_str()))
            && member_by.as_deref().is_none_or(|m| m == member.member_by.as_str())
            && joined.is_none_or(|j| j == member.joined)
            // Nobody is ever on queue or online in the simulator.
            && (statuses.is_empty() || statuses.iter().any(|s| s == "OFF_QUEUE"))
            && (presences.is_empty() || presences.iter().any(|p| p == "offline"))
            && has(&skills, user.skills.keys().collect(), &|id| org.skills.get(id).map(|s| s.name.clone()))
            && has(&languages, user.languages.keys().collect(), &|id| {
                org.languages.get(id).map(|l| l.name.clone())
            });
        if keep {
            out.push((
                name_key(&user.name, user_id),
                user_id.clone(),
                org.render_member(queue_id, user_id, member, expand),
            ));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    if descending {
        out.reverse();
    }
    Ok(out.into_iter().map(|(_, id, v)| (id, v)).collect())
}

/// GET: one page of the members, in the envelope of the path asked.
pub(crate) async fn list(
    State(ctx): State<Arc<SimContext>>,
    Path(queue_id): Path<String>,
    envelope: Envelope,
    q: QueryParams,
) -> ApiResult {
    let page = Page::from_query(&q, MAX_MEMBER_PAGE)?;
    let org = ctx.org();
    let all: Vec<Value> = members(&org, &queue_id, &q)?
        .into_iter()
        .map(|(_, v)| v)
        .collect();
    let entities = page.slice(&all);
    Ok(Reply::Json(envelope.listing(
        &queue_id,
        &q,
        page,
        all.len(),
        entities,
    )))
}

fn ids_of(items: &[Value]) -> Result<Vec<String>, ApiError> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            item.get("id")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .ok_or_else(|| ApiError::required_missing(&format!("[{i}].id")))
        })
        .collect()
}

/// POST with `[{id}]`: adds members, or removes them with `?delete=true` (≤ 100 per call).
pub(crate) async fn add_or_remove(
    State(ctx): State<Arc<SimContext>>,
    Path(queue_id): Path<String>,
    caller: Caller,
    q: QueryParams,
    body: JsonBody,
) -> ApiResult {
    let delete = q.bool("delete")?.unwrap_or(false);
    let ids = ids_of(&body.array_of("WritableEntity")?)?;
    let mut org = ctx.org();
    if delete {
        org.remove_members(&caller.actor(), &queue_id, &ids)?;
    } else {
        org.add_members(&caller.actor(), &queue_id, &ids)?;
    }
    Ok(Reply::Empty)
}

fn join_entries(body: &JsonBody) -> Result<Vec<(String, Option<bool>)>, ApiError> {
    let items = body.array_of("QueueMember")?;
    let ids = ids_of(&items)?;
    Ok(ids
        .into_iter()
        .zip(
            items
                .iter()
                .map(|i| i.get("joined").and_then(Value::as_bool)),
        )
        .collect())
}

fn updated_listing(org: &OrgState, queue_id: &str, ids: &[String], envelope: Envelope) -> Value {
    let rendered: Vec<Value> = ids
        .iter()
        .filter_map(|id| {
            let member = org.queues.get(queue_id)?.members.get(id)?;
            Some(org.render_member(queue_id, id, member, MemberExpand::default()))
        })
        .collect();
    let page = Page {
        number: 1,
        size: (rendered.len() as u64).max(1),
    };
    let total = rendered.len();
    envelope.listing(queue_id, &QueryParams::default(), page, total, rendered)
}

/// PATCH with `QueueMember[]`: join or unjoin up to 100 members; non-members are
/// disregarded. Answers the members it updated, in the envelope of the path asked.
pub(crate) async fn join_many(
    State(ctx): State<Arc<SimContext>>,
    Path(queue_id): Path<String>,
    envelope: Envelope,
    caller: Caller,
    body: JsonBody,
) -> ApiResult {
    let entries = join_entries(&body)?;
    let mut org = ctx.org();
    let ids = org.set_members_joined(&caller.actor(), &queue_id, &entries)?;
    let updated = updated_listing(&org, &queue_id, &ids, envelope);
    Ok(Reply::Json(updated))
}

/// PATCH `/members/{memberId}` with a `QueueMember`: ring number (1–6) and/or joined.
pub(crate) async fn update_one(
    State(ctx): State<Arc<SimContext>>,
    Path((queue_id, member_id)): Path<(String, String)>,
    caller: Caller,
    body: JsonBody,
) -> ApiResult {
    let member = body.object_of("QueueMember")?;
    let ring = member.get("ringNumber").and_then(Value::as_i64);
    let joined = member.get("joined").and_then(Value::as_bool);
    ctx.org()
        .update_member(&caller.actor(), &queue_id, &member_id, ring, joined)?;
    Ok(Reply::Empty)
}

/// DELETE `/members/{memberId}`.
pub(crate) async fn remove_one(
    State(ctx): State<Arc<SimContext>>,
    Path((queue_id, member_id)): Path<(String, String)>,
    caller: Caller,
) -> ApiResult {
    let mut org = ctx.org();
    let Some(queue) = org.queues.get(&queue_id) else {
        return Err(ApiError::not_found_id(&queue_id));
    };
    if !queue.members.contains_key(&member_id) {
        return Err(ApiError::not_found_id(&member_id));
    }
    org.remove_members(&caller.actor(), &queue_id, &[member_id])?;
    Ok(Reply::Empty)
}
