//! `/api/v2/users`: list, get, search. Users are seeded; switchboard never creates them.

use std::sync::Arc;

use axum::extract::{Path, State};
use serde_json::{Value, json};

use crate::api_error::ApiError;
use crate::context::SimContext;
use crate::listing::{MAX_PAGE_SIZE, Page, entity_listing};
use crate::org::{MemberExpand, User, UserState, name_key};
use crate::request::{ApiResult, JsonBody, QueryParams, Reply};

/// "Only 100 users can be requested at a time." (2018 spec, `max.user.ids`).
const MAX_USER_IDS: usize = 100;

fn state_matches(filter: &str, state: UserState) -> bool {
    filter == "any" || filter == state.as_str()
}

/// GET `/users`: `id[]` (≤ 100), `state` (default active), `sortOrder`, `expand`.
pub(crate) async fn list(State(ctx): State<Arc<SimContext>>, q: QueryParams) -> ApiResult {
    let page = Page::from_query(&q, MAX_PAGE_SIZE)?;
    let descending = q.descending()?;
    let ids = q.all("id");
    if ids.len() > MAX_USER_IDS {
        return Err(ApiError::new(
            axum::http::StatusCode::BAD_REQUEST,
            "max.user.ids",
            "Only 100 users can be requested at a time.",
        ));
    }
    let state = q
        .choice("state", &["active", "inactive", "deleted", "any"])?
        .unwrap_or_else(|| "active".to_string());
    let expand = MemberExpand::from_values(q.all("expand"));
    let org = ctx.org();
    let mut users: Vec<&User> = org
        .users
        .values()
        .filter(|u| state_matches(&state, u.state))
        .filter(|u| ids.is_empty() || ids.contains(&u.id.as_str()))
        .collect();
    users.sort_by_key(|u| name_key(&u.name, &u.id));
    if descending {
        users.reverse();
    }
    let entities = page
        .slice(&users)
        .into_iter()
        .map(|u| org.render_user(u, expand))
        .collect();
    Ok(Reply::Json(entity_listing(
        "/api/v2/users",
        &q,
        page,
        users.len(),
        entities,
    )))
}

/// GET `/users/{id}`: a deleted user only with `state=deleted`.
pub(crate) async fn get_one(
    State(ctx): State<Arc<SimContext>>,
    Path(id): Path<String>,
    q: QueryParams,
) -> ApiResult {
    let wanted = q
        .choice("state", &["active", "deleted"])?
        .unwrap_or_else(|| "active".to_string());
    let expand = MemberExpand::from_values(q.all("expand"));
    let org = ctx.org();
    match org.users.get(&id) {
        Some(u) if (u.state == UserState::Deleted) == (wanted == "deleted") => {
            Ok(Reply::Json(org.render_user(u, expand)))
        }
        _ => Err(ApiError::not_found_id(&id)),
    }
}

/// The searchable string values of a user field.
fn field_values(u: &User, field: &str) -> Result<Vec<String>, ApiError> {
    Ok(match field {
        "email" | "username" | "primaryContactInfo.address" | "addresses" => vec![u.email.clone()],
        "name" => vec![u.name.clone()],
        "id" => vec![u.id.clone()],
        "state" => vec![u.state.as_str().to_string()],
        "division.id" => vec![u.division_id.clone()],
        other => {
            return Err(ApiError::bad_request(format!(
                "The simulator cannot search the user field [{other}]; it supports email, username, name, id, state and division.id."
            )));
        }
    })
}

fn criterion_matches(u: &User, c: &Value) -> Result<bool, ApiError> {
    if let Some(group) = c.get("group").and_then(Value::as_array) {
        return criteria_match(u, group);
    }
    let kind = c.get("type").and_then(Value::as_str).unwrap_or("EXACT");
    if kind == "MATCH_ALL" {
        return Ok(true);
    }
    let wanted = crate::search::criterion_values(c);
    let fields: Vec<&str> = c
        .get("fields")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if fields.is_empty() {
        return Err(ApiError::required_missing("query.fields"));
    }
    let mut have = Vec::new();
    for f in fields {
        have.extend(field_values(u, f)?.into_iter().map(|v| v.to_lowercase()));
    }
    let any =
        |test: &dyn Fn(&str, &str) -> bool| have.iter().any(|h| wanted.iter().any(|w| test(h, w)));
    Ok(match kind {
        "EXACT" | "TERMS" => any(&|h, w| h == w),
        "TERM" => any(&|h, w| h == w || h.split_whitespace().any(|t| t == w)),
        "STARTS_WITH" => any(&|h, w| h.starts_with(w)),
        "CONTAINS" => any(&|h, w| h.contains(w)),
        "REQUIRED_FIELDS" => have.iter().any(|h| !h.is_empty()),
        other => {
            return Err(ApiError::bad_request(format!(
                "The simulator does not support search type [{other}]."
            )));
        }
    })
}

/// AND criteria must all match, at least one OR criterion must (if any), no NOT may.
fn criteria_match(u: &User, criteria: &[Value]) -> Result<bool, ApiError> {
    let mut all = true;
    let mut any_or: Option<bool> = None;
    for c in criteria {
        let hit = criterion_matches(u, c)?;
        match c.get("operator").and_then(Value::as_str).unwrap_or("AND") {
            "OR" => any_or = Some(any_or.unwrap_or(false) || hit),
            "NOT" => all &= !hit,
            _ => all &= hit,
        }
    }
    Ok(all && any_or.unwrap_or(true))
}

/// POST `/users/search` with a `UserSearchRequest`.
pub(crate) async fn search(
    State(ctx): State<Arc<SimContext>>,
    q: QueryParams,
    body: JsonBody,
) -> ApiResult {
    let request = body.object_of("UserSearchRequest")?;
    let (size, number) = crate::search::search_page(request)?;
    let criteria = request
        .get("query")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mentions_state = criteria.iter().any(|c| {
        c.get("fields")
            .and_then(Value::as_array)
            .is_some_and(|f| f.iter().any(|x| x == "state"))
    });
    let mut expand_values: Vec<&str> = q.all("expand");
    if let Some(e) = request.get("expand").and_then(Value::as_array) {
        expand_values.extend(e.iter().filter_map(Value::as_str));
    }
    let expand = MemberExpand::from_values(expand_values);
    let descending = request.get("sortOrder").and_then(Value::as_str) == Some("DESC");
    let org = ctx.org();
    let mut hits = Vec::new();
    for u in org.users.values() {
        if !mentions_state && u.state == UserState::Deleted {
            continue;
        }
        if criteria_match(u, &criteria)? {
            hits.push(u);
        }
    }
    hits.sort_by_key(|u| name_key(&u.name, &u.id));
    if descending {
        hits.reverse();
    }
    let page = Page {
        number: number as u64,
        size: size as u64,
    };
    let results: Vec<Value> = page
        .slice(&hits)
        .into_iter()
        .map(|u| org.render_user(u, expand))
        .collect();
    let total = hits.len() as u64;
    Ok(Reply::Json(json!({
        "total": total,
        "pageCount": total.div_ceil(page.size),
        "pageSize": page.size,
        "pageNumber": page.number,
        "types": ["users"],
        "results": results,
    })))
}
