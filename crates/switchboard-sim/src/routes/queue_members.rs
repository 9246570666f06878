//! `/api/v2/routing/queues/{queueId}/members` (and the deprecated `/users` equivalents).

use std::sync::Arc;

use axum::extract::{Path, State};
use serde_json::Value;

use crate::api_error::ApiError;
use crate::context::SimContext;
use crate::listing::{Page, entity_listing, member_listing};
use crate::org::{MemberExpand, OrgState, name_key};
use crate::request::{ApiResult, Caller, JsonBody, QueryParams, Reply};

/// "Max value is 100" (the spec's `pageSize` description).
const MAX_MEMBER_PAGE: u64 = 100;

/// Members matching the filters, sorted by name (then id).
fn members(
    org: &OrgState,
    queue_id: &str,
    q: &QueryParams,
) -> Result<Vec<(String, Value)>, ApiError> {
    let queue = match org.queues.get(queue_id) {
        Some(x) if org.visible(queue_id) => x,
        _ => return Err(ApiError::not_found_id(queue_id)),
    };
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

/// GET `/members`: `QueueMemberEntityListing`, which has no `total`, `pageCount` or
/// `lastUri`; `nextUri` only while more members follow.
pub(crate) async fn list(
    State(ctx): State<Arc<SimContext>>,
    Path(queue_id): Path<String>,
    q: QueryParams,
) -> ApiResult {
    let page = Page::from_query(&q, MAX_MEMBER_PAGE)?;
    let org = ctx.org();
    let all: Vec<Value> = members(&org, &queue_id, &q)?
        .into_iter()
        .map(|(_, v)| v)
        .collect();
    let has_next = (all.len() as u64) > page.number.saturating_mul(page.size);
    let path = format!("/api/v2/routing/queues/{queue_id}/members");
    Ok(Reply::Json(member_listing(
        &path,
        &q,
        page,
        has_next,
        page.slice(&all),
    )))
}

/// GET `/users` (deprecated): `QueueMemberEntityListingV1`, the standard envelope.
pub(crate) async fn list_v1(
    State(ctx): State<Arc<SimContext>>,
    Path(queue_id): Path<String>,
    q: QueryParams,
) -> ApiResult {
    let page = Page::from_query(&q, MAX_MEMBER_PAGE)?;
    let org = ctx.org();
    let all: Vec<Value> = members(&org, &queue_id, &q)?
        .into_iter()
        .map(|(_, v)| v)
        .collect();
    let path = format!("/api/v2/routing/queues/{queue_id}/users");
    Ok(Reply::Json(entity_listing(
        &path,
        &q,
        page,
        all.len(),
        page.slice(&all),
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

fn updated_listing(org: &OrgState, queue_id: &str, ids: &[String], v1: bool) -> Value {
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
    let q = QueryParams::default();
    if v1 {
        let path = format!("/api/v2/routing/queues/{queue_id}/users");
        entity_listing(&path, &q, page, rendered.len(), rendered)
    } else {
        let path = format!("/api/v2/routing/queues/{queue_id}/members");
        member_listing(&path, &q, page, false, rendered)
    }
}

/// PATCH with `QueueMember[]`: join or unjoin up to 100 members; non-members are
/// disregarded. Answers the members it updated.
pub(crate) async fn join_many(
    State(ctx): State<Arc<SimContext>>,
    Path(queue_id): Path<String>,
    caller: Caller,
    body: JsonBody,
) -> ApiResult {
    let entries = join_entries(&body)?;
    let mut org = ctx.org();
    let ids = org.set_members_joined(&caller.actor(), &queue_id, &entries)?;
    Ok(Reply::Json(updated_listing(&org, &queue_id, &ids, false)))
}

/// PATCH `/users` (deprecated): as [`join_many`], with the V1 envelope.
pub(crate) async fn join_many_v1(
    State(ctx): State<Arc<SimContext>>,
    Path(queue_id): Path<String>,
    caller: Caller,
    body: JsonBody,
) -> ApiResult {
    let entries = join_entries(&body)?;
    let mut org = ctx.org();
    let ids = org.set_members_joined(&caller.actor(), &queue_id, &entries)?;
    Ok(Reply::Json(updated_listing(&org, &queue_id, &ids, true)))
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
