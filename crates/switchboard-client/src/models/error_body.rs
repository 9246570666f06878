use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

/// `ErrorBody`: what the API returns with every non-2xx status (API-FACTS §4).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    /// Human-readable message.
    pub message: Option<String>,
    /// Machine code, e.g. `duplicate.name`, `too.many.requests.retry.after`.
    pub code: Option<String>,
    /// HTTP status.
    pub status: Option<i64>,
    /// Id of the object concerned.
    pub entity_id: Option<String>,
    /// Name of the object concerned.
    pub entity_name: Option<String>,
    /// Message with `{param}` placeholders.
    pub message_with_params: Option<String>,
    /// Values for the placeholders.
    pub message_params: Option<std::collections::BTreeMap<String, String>>,
    /// Equals the `ININ-Correlation-Id` header.
    pub context_id: Option<String>,
    /// Field-level details.
    pub details: Option<Vec<ErrorDetail>>,
    /// Nested errors.
    pub errors: Option<Vec<ErrorBody>>,
}

/// `Detail`: one field-level problem.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDetail {
    /// Machine code.
    pub error_code: Option<String>,
    /// Field concerned.
    pub field_name: Option<String>,
    /// Object id concerned.
    pub entity_id: Option<String>,
    /// Object name concerned.
    pub entity_name: Option<String>,
}
