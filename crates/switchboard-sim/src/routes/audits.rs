//! `/api/v2/audits/query`: the realtime (synchronous) and the asynchronous audit queries.

use std::sync::Arc;

use axum::extract::{Path, State};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::api_error::ApiError;
use crate::audit::SERVICE_NAME;
use crate::context::SimContext;
use crate::ids;
use crate::org::{OrgState, iso};
use crate::request::{ApiResult, JsonBody, QueryParams, Reply};

/// The largest page of either query ("The maximum page size is 500").
const MAX_AUDIT_PAGE: i64 = 500;

/// A submitted asynchronous query and its (already computed) results.
#[derive(Debug, Clone)]
pub(crate) struct AuditQuery {
    pub status: Value,
    pub results: Vec<Value>,
}

/// What a query body asks for.
#[derive(Debug)]
struct Criteria {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    service: Option<String>,
    filters: Vec<(String, String)>,
    descending: bool,
}

fn parse_criteria(body: &Value) -> Result<Criteria, ApiError> {
    let interval = body
        .get("interval")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::required_missing("interval"))?;
    let bad_date = || {
        ApiError::new(
            axum::http::StatusCode::BAD_REQUEST,
            "invalid.date",
            "Dates must be specified as ISO-8601 strings. For example: yyyy-MM-ddTHH:mm:ss.SSSZ",
        )
        .detail("invalid.date", "interval")
    };
    let (start, end) = interval.split_once('/').ok_or_else(bad_date)?;
    let parse = |s: &str| {
        DateTime::parse_from_rfc3339(s)
            .map(|d| d.with_timezone(&Utc))
            .map_err(|_| bad_date())
    };
    let (start, end) = (parse(start)?, parse(end)?);
    if end <= start {
        return Err(ApiError::invalid_value(
            "interval",
            "The interval's end must be after its start.",
        ));
    }
    let filters = body
        .get("filters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|f| {
            Some((
                f.get("property")?.as_str()?.to_string(),
                f.get("value")?.as_str()?.to_string(),
            ))
        })
        .collect();
    // unverified: the default order is not documented; newest first is the simulator's.
    let descending = body
        .get("sort")
        .and_then(Value::as_array)
        .and_then(|s| s.first())
        .and_then(|s| s.get("sortOrder"))
        .and_then(Value::as_str)
        .is_none_or(|o| o == "descending");
    Ok(Criteria {
        start,
        end,
        service: body
            .get("serviceName")
            .and_then(Value::as_str)
            .map(str::to_string),
        filters,
        descending,
    })
}

/// The audit messages matching: inside the interval, of the service, and for each filtered
/// property any of its values (properties are ANDed).
fn matching(org: &OrgState, c: &Criteria) -> Vec<Value> {
    if c.service
        .as_deref()
        .is_some_and(|s| !s.eq_ignore_ascii_case(SERVICE_NAME))
    {
        return Vec::new();
    }
    let mut records: Vec<_> = org
        .audit
        .iter()
        .filter(|r| r.event_date >= c.start && r.event_date < c.end)
        .filter(|r| {
            let mut properties: Vec<&str> = c.filters.iter().map(|(p, _)| p.as_str()).collect();
            properties.dedup();
            properties.iter().all(|p| {
                c.filters
                    .iter()
                    .filter(|(fp, _)| fp == p)
                    .any(|(fp, v)| r.matches_filter(fp, v))
            })
        })
        .collect();
    if c.descending {
        records.reverse();
    }
    records.iter().map(|r| r.message(&org.org.id)).collect()
}

fn page_size(v: Option<i64>) -> Result<i64, ApiError> {
    let size = v.unwrap_or(25);
    if (1..=MAX_AUDIT_PAGE).contains(&size) {
        Ok(size)
    } else {
        Err(ApiError::invalid_value(
            "pageSize",
            format!(
                "Value [{size}] is not valid for field [pageSize]: it must be between 1 and {MAX_AUDIT_PAGE}"
            ),
        ))
    }
}

/// POST `/realtime` with an `AuditRealtimeQueryRequest`.
pub(crate) async fn realtime(
    State(ctx): State<Arc<SimContext>>,
    q: QueryParams,
    body: JsonBody,
) -> ApiResult {
    q.choice("expand", &["user"])?;
    let request = body.object_of("AuditRealtimeQueryRequest")?;
    let criteria = parse_criteria(request)?;
    let size = page_size(request.get("pageSize").and_then(Value::as_i64))?;
    let number = request
        .get("pageNumber")
        .and_then(Value::as_i64)
        .unwrap_or(1);
    if number < 1 {
        return Err(ApiError::invalid_value(
            "pageNumber",
            "pageNumber must be at least 1",
        ));
    }
    let all = matching(&ctx.org(), &criteria);
    let total = all.len() as u64;
    let entities: Vec<Value> = all
        .into_iter()
        .skip(usize::try_from((number - 1) * size).unwrap_or(usize::MAX))
        .take(usize::try_from(size).unwrap_or(0))
        .collect();
    Ok(Reply::Json(json!({
        "entities": entities,
        "pageSize": size,
        "pageNumber": number,
        "total": total,
        "pageCount": total.div_ceil(size as u64),
    })))
}

/// POST with an `AuditQueryRequest`: answers the execution status (Running); the results
/// are ready at once.
pub(crate) async fn submit(State(ctx): State<Arc<SimContext>>, body: JsonBody) -> ApiResult {
    let request = body.object_of("AuditQueryRequest")?.clone();
    let criteria = parse_criteria(&request)?;
    let results = matching(&ctx.org(), &criteria);
    let id = ids::random();
    let mut status = json!({
        "id": id,
        "state": "Succeeded",
        "startDate": iso(Utc::now()),
        "interval": request["interval"],
    });
    for field in ["serviceName", "filters", "sort"] {
        if let Some(v) = request.get(field) {
            status[field] = v.clone();
        }
    }
    ctx.runtime().audit_queries.insert(
        id,
        AuditQuery {
            status: status.clone(),
            results,
        },
    );
    status["state"] = json!("Running");
    Ok(Reply::Json(status))
}

/// GET `/{transactionId}`: the execution status.
pub(crate) async fn status(
    State(ctx): State<Arc<SimContext>>,
    Path(id): Path<String>,
) -> ApiResult {
    ctx.runtime()
        .audit_queries
        .get(&id)
        .map(|q| Reply::Json(q.status.clone()))
        .ok_or_else(|| ApiError::not_found_id(&id))
}

/// GET `/{transactionId}/results`: `cursor` and `pageSize` (≤ 500).
pub(crate) async fn results(
    State(ctx): State<Arc<SimContext>>,
    Path(id): Path<String>,
    q: QueryParams,
) -> ApiResult {
    let size = page_size(q.int("pageSize")?)? as usize;
    q.choice("expand", &["user"])?;
    q.bool("allowRedirect")?;
    let offset = match q.get("cursor").filter(|c| !c.is_empty()) {
        None => 0,
        Some(cursor) => URL_SAFE_NO_PAD
            .decode(cursor)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|s| {
                s.strip_prefix("offset:")
                    .and_then(|n| n.parse::<usize>().ok())
            })
            .ok_or_else(|| ApiError::bad_request(format!("The cursor [{cursor}] is not valid.")))?,
    };
    let runtime = ctx.runtime();
    let query = runtime
        .audit_queries
        .get(&id)
        .ok_or_else(|| ApiError::not_found_id(&id))?;
    let entities: Vec<Value> = query
        .results
        .iter()
        .skip(offset)
        .take(size)
        .cloned()
        .collect();
    let mut answer = json!({"id": id, "pageSize": size, "entities": entities});
    let next = offset + size;
    if next < query.results.len() {
        answer["cursor"] = json!(URL_SAFE_NO_PAD.encode(format!("offset:{next}")));
    }
    Ok(Reply::Json(answer))
}

/// GET `/servicemapping` and `/realtime/servicemapping`.
pub(crate) async fn service_mapping() -> ApiResult {
    let entity = |name: &str, actions: &[&str]| json!({"name": name, "actions": actions});
    Ok(Reply::Json(json!({
        "services": [{
            "name": SERVICE_NAME,
            "entities": [
                entity("Queue", &["Create", "Update", "Delete", "MemberAdd", "MemberUpdate", "MemberRemove", "WrapupCodeAdd", "WrapupCodeRemove"]),
                entity("RoutingSkill", &["Create", "Update", "Delete"]),
                entity("RoutingLanguage", &["Create", "Delete"]),
                entity("WrapupCode", &["Create", "Update", "Delete"]),
                entity("SkillGroup", &["Create", "Update", "Delete"]),
                entity("User", &["Assign", "Unassign", "Update"]),
                entity("MaxOrgRoutingUtilizationCapacity", &["Update"]),
                entity(crate::org::SETTINGS_ENTITY, &["Update"]),
            ],
        }],
    })))
}
