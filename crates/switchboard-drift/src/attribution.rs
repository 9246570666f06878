//! Attribution: who last changed each drifted object, from the audit trail
//! (`POST /api/v2/audits/query/realtime`, API-FACTS §6).
//!
//! - A drifted object that exists in the org (changed, or unmanaged and to be pruned) is
//!   looked up by `EntityType` and `EntityId`.
//! - A missing object has no id any more: one query per kind asks for its `Delete` records,
//!   matched to the object by the audited entity's name.
//!
//! Queries cover the last [`WINDOW_DAYS`] days (service `Routing`), run concurrently within
//! the client's bounds, and keep the [`RECORDS_PER_OBJECT`] most recent successful records.
//! A 403 means the OAuth client lacks `audits:audit:view`: said once, and the report goes on
//! without attribution. Any other failure is said once too; what did answer is kept.

use std::collections::BTreeSet;

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use futures::StreamExt;
use switchboard_client::Client;
use switchboard_client::models::{
    AuditLogMessage, AuditQueryFilter, AuditQuerySort, AuditRealtimeQueryRequest,
};

use crate::model::{
    Attribution, AttributionStatus, AttributionSummary, Class, ObjectKind, Report, WhoKind,
};

/// How far back the audit trail is read, in days. The realtime query "will only retrieve 14
/// days worth of audits for certain services", so older changes may go unattributed.
pub const WINDOW_DAYS: u32 = 30;

/// How many audited changes are kept per object, newest first.
pub const RECORDS_PER_OBJECT: usize = 3;

/// The audit service routing objects are audited under (API-FACTS §6).
pub const SERVICE_NAME: &str = "Routing";

/// The permission every audit query needs.
pub const PERMISSION: &str = "audits:audit:view";

/// What one query is for.
#[derive(Debug, Clone, Copy)]
enum Lookup {
    /// The records of the object at this index of the report.
    Object(usize),
    /// The `Delete` records of a kind, for its missing objects.
    Deleted(ObjectKind),
}

/// Attributes the report's drifted objects, reading the clock for the window's end.
pub async fn attribute(client: &Client, report: &mut Report) {
    attribute_at(client, report, Utc::now()).await;
}

/// Attributes the report's drifted objects over the window ending at `now`.
pub async fn attribute_at(client: &Client, report: &mut Report, now: DateTime<Utc>) {
    let own = client.config().credentials.client_id().to_string();
    let own = own.as_str();
    let interval = interval(now);
    let mut queries: Vec<(Lookup, AuditRealtimeQueryRequest)> = Vec::new();
    let mut deleted_kinds = BTreeSet::new();
    for (index, object) in report.objects.iter().enumerate() {
        if !object.drift {
            continue;
        }
        match (&object.id, object.class) {
            (None, Class::Missing) if object.kind != ObjectKind::Agent => {
                deleted_kinds.insert(object.kind);
            }
            (Some(id), _) => queries.push((
                Lookup::Object(index),
                query(
                    &interval,
                    vec![
                        filter("EntityType", object.kind.audit_entity_type()),
                        filter("EntityId", id),
                    ],
                ),
            )),
            _ => {}
        }
    }
    for kind in deleted_kinds {
        queries.push((
            Lookup::Deleted(kind),
            query(
                &interval,
                vec![
                    filter("EntityType", kind.audit_entity_type()),
                    filter("Action", "Delete"),
                ],
            ),
        ));
    }
    let mut summary = AttributionSummary {
        status: AttributionStatus::Complete,
        ..AttributionSummary::default()
    };
    let total = queries.len();
    let mut queries = queries.into_iter();
    let Some((first_lookup, first_query)) = queries.next() else {
        summary.status = AttributionStatus::NotNeeded;
        report.attribution = summary;
        return;
    };
    // One query first: without the permission, every query would be refused alike.
    let first = client.audit_realtime(&first_query).await;
    if first.as_ref().is_err_and(|e| e.status() == Some(403)) {
        report.attribution = not_permitted();
        return;
    }
    let concurrency = client.config().max_concurrency.get();
    let mut results: Vec<(
        Lookup,
        Result<Vec<AuditLogMessage>, switchboard_client::Error>,
    )> = futures::stream::iter(queries)
        .map(|(lookup, query)| async move { (lookup, client.audit_realtime(&query).await) })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    results.insert(0, (first_lookup, first));
    let mut failed = 0;
    let mut first_error: Option<String> = None;
    for (lookup, result) in results {
        let records = match result {
            Ok(records) => records,
            Err(error) => {
                if error.status() == Some(403) {
                    report.attribution = not_permitted();
                    for object in &mut report.objects {
                        object.attribution.clear();
                    }
                    return;
                }
                failed += 1;
                first_error.get_or_insert_with(|| first_line(&error.to_string()));
                continue;
            }
        };
        match lookup {
            Lookup::Object(index) => {
                if let Some(object) = report.objects.get_mut(index) {
                    object.attribution = most_recent(records.iter(), own);
                }
            }
            Lookup::Deleted(kind) => {
                for object in report
                    .objects
                    .iter_mut()
                    .filter(|o| o.kind == kind && o.class == Class::Missing && o.id.is_none())
                {
                    let name = object.name.clone();
                    let about = records.iter().filter(|r| {
                        r.entity
                            .as_ref()
                            .and_then(|e| e.name.as_deref())
                            .is_some_and(|n| n == name)
                    });
                    object.attribution = most_recent(about, own);
                }
            }
        }
    }
    if let Some(error) = first_error {
        summary.status = AttributionStatus::Failed;
        summary.message = Some(format!(
            "attribution incomplete: {failed} of {total} audit queries failed ({error}); the drift itself is complete"
        ));
    }
    report.attribution = summary;
}

fn not_permitted() -> AttributionSummary {
    AttributionSummary {
        status: AttributionStatus::NotPermitted,
        message: Some(format!(
            "attribution unavailable: the OAuth client lacks the {PERMISSION} permission (the audit query answered 403); drift is reported without who made it"
        )),
        ..AttributionSummary::default()
    }
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().to_string()
}

/// `start/end`, ISO-8601, whole seconds: the last [`WINDOW_DAYS`] days, ending a minute after
/// `now` so that a change made this second is inside.
pub fn interval(now: DateTime<Utc>) -> String {
    let end = now + TimeDelta::minutes(1);
    let start = end - TimeDelta::days(i64::from(WINDOW_DAYS));
    format!(
        "{}/{}",
        start.to_rfc3339_opts(SecondsFormat::Secs, true),
        end.to_rfc3339_opts(SecondsFormat::Secs, true)
    )
}

fn filter(property: &str, value: &str) -> AuditQueryFilter {
    AuditQueryFilter {
        property: property.to_string(),
        value: value.to_string(),
    }
}

fn query(interval: &str, filters: Vec<AuditQueryFilter>) -> AuditRealtimeQueryRequest {
    AuditRealtimeQueryRequest {
        interval: interval.to_string(),
        service_name: Some(SERVICE_NAME.to_string()),
        filters: Some(filters),
        sort: Some(vec![AuditQuerySort {
            name: "Timestamp".into(),
            sort_order: "descending".into(),
        }]),
        ..AuditRealtimeQueryRequest::default()
    }
}

/// The successful records' attributions, newest first (ties keep the service's order),
/// at most [`RECORDS_PER_OBJECT`].
fn most_recent<'a>(
    records: impl Iterator<Item = &'a AuditLogMessage>,
    own: &str,
) -> Vec<Attribution> {
    let mut found: Vec<(Option<DateTime<Utc>>, Attribution)> = records
        .filter(|r| r.status.as_deref().is_none_or(|s| s != "FAILURE"))
        .filter_map(|r| {
            let when = r.event_date.clone()?;
            let parsed = DateTime::parse_from_rfc3339(&when)
                .ok()
                .map(|d| d.with_timezone(&Utc));
            Some((parsed, attribution(r, when, own)?))
        })
        .collect();
    found.sort_by_key(|(when, _)| std::cmp::Reverse(*when));
    found
        .into_iter()
        .take(RECORDS_PER_OBJECT)
        .map(|(_, a)| a)
        .collect()
}

/// Who made the change: the person when there is one (a person acting through an app), else
/// the OAuth client; marked when the client is `own`, the one this report reads with.
fn attribution(record: &AuditLogMessage, when: String, own: &str) -> Option<Attribution> {
    let (actor, who_kind) = match (&record.user, &record.client) {
        (Some(user), _) if user.id.is_some() || user.name.is_some() => (user, WhoKind::User),
        (_, Some(client)) if client.id.is_some() || client.name.is_some() => {
            (client, WhoKind::Client)
        }
        _ => return None,
    };
    let who = actor.name.clone().or_else(|| actor.id.clone())?;
    let mut properties: Vec<String> = record
        .property_changes
        .iter()
        .flatten()
        .filter_map(|p| p.property.clone())
        .collect();
    properties.dedup();
    Some(Attribution {
        who,
        who_kind,
        who_id: actor.id.clone(),
        when,
        action: record.action.clone().unwrap_or_else(|| "(unknown)".into()),
        properties,
        own_client: record
            .client
            .as_ref()
            .and_then(|c| c.id.as_deref())
            .is_some_and(|id| id == own),
    })
}

#[cfg(test)]
mod tests {
    use switchboard_client::models::EntityRef;

    use super::*;

    fn record(client: &str) -> AuditLogMessage {
        AuditLogMessage {
            client: Some(EntityRef {
                id: Some(client.into()),
                name: Some("deploy pipeline".into()),
                ..EntityRef::default()
            }),
            action: Some("Update".into()),
            event_date: Some("2026-12-07T10:00:00.000Z".into()),
            ..AuditLogMessage::default()
        }
    }

    #[test]
    fn a_change_by_the_reading_client_is_marked_as_switchboards_own() {
        let own = attribution(
            &record("client-switchboard"),
            "t".into(),
            "client-switchboard",
        );
        assert!(own.is_some_and(|a| a.own_client && a.who_kind == WhoKind::Client));
        let other = attribution(&record("client-other"), "t".into(), "client-switchboard");
        assert!(other.is_some_and(|a| !a.own_client));
    }
}
