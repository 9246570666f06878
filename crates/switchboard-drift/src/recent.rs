//! What changed recently, from the audit trail, so that a drift check can re-read and compare
//! only those objects (`drift --since`, and `watch`'s targeted checks).
//!
//! One realtime audit query (`POST /api/v2/audits/query/realtime`, service `Routing`,
//! API-FACTS §6) over the window lists every audited change; each names its entity's type,
//! id and name. The query "will only retrieve 14 days worth of audits for certain
//! services", so a longer window is refused rather than silently missing changes.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use switchboard_client::Client;
use switchboard_client::models::{AuditLogMessage, AuditQuerySort, AuditRealtimeQueryRequest};
use switchboard_manifest::Live;
use switchboard_plan::Target;

use crate::attribution::SERVICE_NAME;
use crate::model::ObjectKind;

/// The longest window the realtime audit query is documented to cover.
pub const MAX_WINDOW_DAYS: i64 = 14;

/// One object the audit trail (or a notification) says changed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ChangedEntity {
    /// What kind of object.
    pub kind: ObjectKind,
    /// Its id.
    pub id: String,
    /// Every name the changes gave it (the audited entity's name, and old and new values of
    /// a `name` property): an object renamed or deleted out of band is compared under each.
    pub names: BTreeSet<String>,
}

/// The changes in a window.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecentChanges {
    /// The window's start.
    pub start: Option<DateTime<Utc>>,
    /// The window's end.
    pub end: Option<DateTime<Utc>>,
    /// How many audit records the window held (of any kind).
    pub records: usize,
    /// The changed objects switchboard manages kinds of, by kind and id.
    pub entities: Vec<ChangedEntity>,
}

/// Why the changes in a window could not be listed.
#[derive(Debug, thiserror::Error)]
pub enum RecentError {
    /// The window is longer than the audit query covers.
    #[error(
        "a window of {days} days is longer than the {MAX_WINDOW_DAYS} days the realtime audit query covers"
    )]
    TooLong {
        /// The window asked for, in whole days.
        days: i64,
    },
    /// The audit query failed.
    #[error("the audit query failed: {0}")]
    Query(#[from] switchboard_client::Error),
}

/// The changes audited in the `window` up to `now`.
pub async fn recent_changes(
    client: &Client,
    window: TimeDelta,
    now: DateTime<Utc>,
) -> Result<RecentChanges, RecentError> {
    if window > TimeDelta::days(MAX_WINDOW_DAYS) {
        return Err(RecentError::TooLong {
            days: window.num_days(),
        });
    }
    let start = now - window;
    // A minute past now, so a change audited as this runs is not left out by clock skew.
    let end = now + TimeDelta::minutes(1);
    let query = AuditRealtimeQueryRequest {
        interval: format!(
            "{}/{}",
            start.to_rfc3339_opts(SecondsFormat::Secs, true),
            end.to_rfc3339_opts(SecondsFormat::Secs, true)
        ),
        service_name: Some(SERVICE_NAME.to_string()),
        sort: Some(vec![AuditQuerySort {
            name: "Timestamp".into(),
            sort_order: "ascending".into(),
        }]),
        ..AuditRealtimeQueryRequest::default()
    };
    let records = client.audit_realtime(&query).await?;
    Ok(RecentChanges {
        start: Some(start),
        end: Some(end),
        records: records.len(),
        entities: entities(&records),
    })
}

/// The kind of an audited entity type (compared without case: the casing of entity types
/// in topics is unverified, API-FACTS §6).
pub fn kind_of_entity_type(entity_type: &str) -> Option<ObjectKind> {
    [
        ObjectKind::Skill,
        ObjectKind::Language,
        ObjectKind::WrapupCode,
        ObjectKind::SkillGroup,
        ObjectKind::Queue,
        ObjectKind::Agent,
        ObjectKind::UtilizationLabel,
    ]
    .into_iter()
    .find(|kind| kind.audit_entity_type().eq_ignore_ascii_case(entity_type))
}

/// The changed objects of the records, one per kind and id, with every name they had.
pub fn entities(records: &[AuditLogMessage]) -> Vec<ChangedEntity> {
    let mut found: BTreeMap<(ObjectKind, String), BTreeSet<String>> = BTreeMap::new();
    for record in records {
        let Some(kind) = record.entity_type.as_deref().and_then(kind_of_entity_type) else {
            continue;
        };
        let Some(entity) = &record.entity else {
            continue;
        };
        let Some(id) = entity.id.clone() else {
            continue;
        };
        let names = found.entry((kind, id)).or_default();
        names.extend(entity.name.clone());
        for change in record.property_changes.iter().flatten() {
            if change.property.as_deref() == Some("name") {
                names.extend(change.old_values.iter().flatten().cloned());
                names.extend(change.new_values.iter().flatten().cloned());
            }
        }
    }
    found
        .into_iter()
        .map(|((kind, id), names)| ChangedEntity { kind, id, names })
        .collect()
}

/// The ids of the `entities` of `kind`.
pub(crate) fn ids(entities: &[ChangedEntity], kind: ObjectKind) -> BTreeSet<String> {
    entities
        .iter()
        .filter(|e| e.kind == kind)
        .map(|e| e.id.clone())
        .collect()
}

/// What a targeted plan compares: each changed object under its live name (found by id in
/// `live`) and under every name the changes gave it. Agents are named by email, so a changed
/// user is a target only when `live` holds it (the manifest names it).
pub fn targets(entities: &[ChangedEntity], live: &Live) -> Vec<Target> {
    let live_names: BTreeMap<(ObjectKind, &String), &String> = objects(live)
        .map(|(kind, name, id)| ((kind, id), name))
        .collect();
    let mut targets: BTreeSet<Target> = BTreeSet::new();
    for entity in entities {
        let live_name = live_names.get(&(entity.kind, &entity.id)).copied().cloned();
        let audited = entity.names.iter().cloned();
        let names: Vec<String> = if entity.kind == ObjectKind::Agent {
            live_name.into_iter().collect()
        } else {
            live_name.into_iter().chain(audited).collect()
        };
        targets.extend(names.into_iter().map(|name| entity.kind.target(name)));
    }
    targets.into_iter().collect()
}

/// Every object in `live`, as (kind, name, id); agents by lower-case email.
pub fn objects(live: &Live) -> impl Iterator<Item = (ObjectKind, &String, &String)> {
    fn of<T>(
        kind: ObjectKind,
        objects: &BTreeMap<String, T>,
        id_of: fn(&T) -> &String,
    ) -> impl Iterator<Item = (ObjectKind, &String, &String)> {
        objects
            .iter()
            .map(move |(name, object)| (kind, name, id_of(object)))
    }
    of(ObjectKind::Skill, &live.skills, |s| &s.id)
        .chain(of(ObjectKind::Language, &live.languages, |l| &l.id))
        .chain(of(ObjectKind::WrapupCode, &live.wrapup_codes, |c| &c.id))
        .chain(of(ObjectKind::SkillGroup, &live.skill_groups, |g| &g.id))
        .chain(of(ObjectKind::Queue, &live.queues, |q| &q.id))
        .chain(of(ObjectKind::Agent, &live.users, |u| &u.id))
        .chain(of(
            ObjectKind::UtilizationLabel,
            &live.utilization_labels,
            |l| &l.id,
        ))
}
