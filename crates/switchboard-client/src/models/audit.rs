use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::EntityRef;

/// `AuditRealtimeQueryRequest` for `POST /api/v2/audits/query/realtime`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditRealtimeQueryRequest {
    /// ISO-8601 interval `start/end`.
    pub interval: String,
    /// Service, e.g. `Routing`.
    pub service_name: Option<String>,
    /// Filters, all of which must match.
    pub filters: Option<Vec<AuditQueryFilter>>,
    /// Sort order.
    pub sort: Option<Vec<AuditQuerySort>>,
    /// Page number.
    pub page_number: Option<i64>,
    /// Page size.
    pub page_size: Option<i64>,
}

/// `AuditQueryRequest` for the asynchronous `POST /api/v2/audits/query`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditQueryRequest {
    /// ISO-8601 interval `start/end`.
    pub interval: String,
    /// Service, e.g. `Routing`.
    pub service_name: Option<String>,
    /// Filters.
    pub filters: Option<Vec<AuditQueryFilter>>,
    /// Sort order.
    pub sort: Option<Vec<AuditQuerySort>>,
}

/// `AuditQueryFilter`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQueryFilter {
    /// `UserId`, `ClientId`, `Action`, `EntityType`, `EntityId`, `TrusteeOrganizationId`.
    pub property: String,
    /// Value to match.
    pub value: String,
}

/// `AuditQuerySort`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditQuerySort {
    /// `Timestamp`.
    pub name: String,
    /// `ascending` or `descending`.
    pub sort_order: String,
}

/// `AuditRealtimeQueryResultsResponse`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditRealtimeQueryResults {
    /// Matching records.
    #[serde(default)]
    pub entities: Vec<AuditLogMessage>,
    /// Page size.
    pub page_size: Option<i64>,
    /// Page number.
    pub page_number: Option<i64>,
    /// Total records.
    pub total: Option<i64>,
    /// Pages.
    pub page_count: Option<i64>,
}

/// `AuditQueryExecutionStatusResponse`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditQueryExecution {
    /// Transaction id.
    pub id: Option<String>,
    /// `Queued`, `Running`, `Succeeded`, `Failed` or `Cancelled`.
    pub state: Option<String>,
    /// Start time.
    pub start_date: Option<String>,
    /// Interval queried.
    pub interval: Option<String>,
    /// Service queried.
    pub service_name: Option<String>,
}

/// `AuditQueryExecutionResultsResponse`: a cursor page.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditQueryResultsPage {
    /// Transaction id.
    pub id: Option<String>,
    /// Page size.
    pub page_size: Option<i64>,
    /// Cursor for the next page; absent on the last.
    pub cursor: Option<String>,
    /// Records.
    #[serde(default)]
    pub entities: Vec<AuditLogMessage>,
}

/// `AuditLogMessage`: who did what to which object.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditLogMessage {
    /// Record id.
    pub id: Option<String>,
    /// The person, when a user acted.
    pub user: Option<EntityRef>,
    /// The OAuth client, when a client acted.
    pub client: Option<EntityRef>,
    /// Source addresses.
    pub remote_ip: Option<Vec<String>>,
    /// Service, e.g. `Routing`.
    pub service_name: Option<String>,
    /// `USER`, `SYSTEM` or `GENESYS_INTERNAL`.
    pub level: Option<String>,
    /// When.
    pub event_date: Option<String>,
    /// `Create`, `Update`, `Delete`, `MemberAdd`, ...
    pub action: Option<String>,
    /// The object.
    pub entity: Option<EntityRef>,
    /// `Queue`, `RoutingSkill`, ...
    pub entity_type: Option<String>,
    /// `SUCCESS`, `FAILURE` or `WARNING`.
    pub status: Option<String>,
    /// Application used.
    pub application: Option<String>,
    /// What changed.
    pub property_changes: Option<Vec<PropertyChange>>,
}

/// `PropertyChange`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PropertyChange {
    /// The property.
    pub property: Option<String>,
    /// Values before.
    pub old_values: Option<Vec<String>>,
    /// Values after.
    pub new_values: Option<Vec<String>>,
}
