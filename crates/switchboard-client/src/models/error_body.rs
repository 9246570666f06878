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
    /// The organisation limit that was reached, when one was.
    pub limit: Option<Limit>,
}

/// `Limit`: an organisation limit named in an error. `namespace` is an enum in the API's
/// description that grows with every release (`openapi.json` lists about a hundred values), so
/// it is kept as text: an error body with a namespace switchboard has never seen still decodes.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Limit {
    /// The limit's key, e.g. `max.queues`.
    pub key: Option<String>,
    /// The area the limit belongs to, e.g. `routing`.
    pub namespace: Option<String>,
    /// The limit's value.
    pub value: Option<i64>,
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn an_error_body_with_a_limit_namespace_never_seen_before_still_decodes() {
        let text = r#"{"message":"Too many queues","code":"limit.exceeded","status":400,
            "limit":{"key":"max.queues","namespace":"a.namespace.added.next.year","value":1000}}"#;
        let body: ErrorBody = serde_json::from_str(text).unwrap();
        assert_eq!(body.code.as_deref(), Some("limit.exceeded"));
        let limit = body.limit.unwrap();
        assert_eq!(
            limit.namespace.as_deref(),
            Some("a.namespace.added.next.year")
        );
        assert_eq!(limit.value, Some(1000));
    }
}
