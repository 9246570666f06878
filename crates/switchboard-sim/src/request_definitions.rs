//! The request definitions the simulator checks the bodies it receives against: those of
//! `crate::served_spec`, the vendor's description cut down to the served operations.

use axum::http::StatusCode;
use serde_json::Value;
use switchboard_openapi::{Spec, ValidationMode, Violation};

use crate::api_error::ApiError;
use crate::served_spec;

/// Checks a body against the definition `name` (e.g. `QueueRequest`) the way the API's JSON
/// binding reads it, answering the first violation with the API's error.
pub(crate) fn check(name: &str, body: &Value) -> Result<(), ApiError> {
    first_error(body, |spec| {
        spec.validate_definition_with(name, body, ValidationMode::Received)
    })
}

/// [`check`], except for the violations `tolerated` accepts by their location (a JSON
/// pointer): a definition used both as a resource and as a reference to one requires more
/// than a reference carries.
pub(crate) fn check_tolerating(
    name: &str,
    body: &Value,
    tolerated: impl Fn(&Violation) -> bool,
) -> Result<(), ApiError> {
    first_error(body, |spec| {
        match spec.validate_definition_with(name, body, ValidationMode::Received) {
            Ok(()) => Ok(()),
            Err(found) => {
                let left: Vec<Violation> = found.into_iter().filter(|v| !tolerated(v)).collect();
                if left.is_empty() { Ok(()) } else { Err(left) }
            }
        }
    })
}

/// Checks a body that must be an array of the definition `name`.
pub(crate) fn check_array_of(name: &str, body: &Value) -> Result<(), ApiError> {
    first_error(body, |spec| {
        spec.validate_array_of(name, body, ValidationMode::Received)
    })
}

/// The values the `enum` of a path parameter of an operation allows; empty when there is none.
pub(crate) fn path_enum(method: &str, template: &str, parameter: &str) -> Vec<String> {
    let Ok(spec) = served_spec::spec() else {
        return Vec::new();
    };
    // A template is a path that matches itself: each `{param}` segment is a non-empty value.
    spec.operation(method, template)
        .and_then(|op| op.path_parameter_enum(parameter))
        .map(<[String]>::to_vec)
        .unwrap_or_default()
}

fn first_error(
    body: &Value,
    validate: impl FnOnce(&Spec) -> Result<(), Vec<Violation>>,
) -> Result<(), ApiError> {
    let spec = served_spec::spec().map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal.server.error",
            format!("the simulator's request definitions do not load: {e}"),
        )
    })?;
    match validate(spec) {
        Ok(()) => Ok(()),
        Err(found) => match found.first() {
            Some(v) => Err(ApiError::from_violation(v, body)),
            None => Ok(()),
        },
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn path_parameter_enums() {
        let object_types = path_enum(
            "POST",
            "/api/v2/authorization/divisions/{divisionId}/objects/{objectType}",
            "objectType",
        );
        assert!(object_types.iter().any(|t| t == "QUEUE"));
        assert!(path_enum("GET", "/api/v2/routing/queues", "nope").is_empty());
    }

    #[test]
    fn violations_become_the_api_errors() {
        let error = |name: &str, body: Value| {
            let e = check(name, &body).unwrap_err();
            (
                e.code.clone(),
                e.message.clone(),
                e.details.first().map(|d| d.field_name.clone()),
            )
        };
        assert_eq!(
            error("QueueRequest", json!({"name": "A", "bogus": 1})),
            (
                "bad.request".to_owned(),
                "unrecognized field \"bogus\"".to_owned(),
                Some("bogus".to_owned())
            )
        );
        assert_eq!(
            error(
                "QueueRequest",
                json!({"name": "A", "mediaSettings": {"call": {"alertingTimeoutSeconds": "8"}}})
            ),
            (
                "bad.request".to_owned(),
                "field \"mediaSettings.call.alertingTimeoutSeconds\" must be of type integer"
                    .to_owned(),
                Some("mediaSettings.call.alertingTimeoutSeconds".to_owned())
            )
        );
        assert_eq!(
            error("QueueRequest", json!({"name": "A", "skillEvaluationMethod": "SOME"})),
            (
                "invalid.value".to_owned(),
                "Value [SOME] is not valid for field type [skillEvaluationMethod]. Allowable values are: NONE, BEST, ALL"
                    .to_owned(),
                Some("skillEvaluationMethod".to_owned())
            )
        );
        assert_eq!(
            error("QueueRequest", json!({"description": "x"})),
            (
                "required.field.missing".to_owned(),
                "A required field is missing a value: name".to_owned(),
                Some("name".to_owned())
            )
        );
        assert_eq!(
            error("QueueMember", json!({"ringNumber": 3_000_000_000_u64})).0,
            "bad.request"
        );
        let e = check_array_of("WritableEntity", &json!([{"id": "a"}, {"idx": 1}])).unwrap_err();
        assert_eq!(e.message, "unrecognized field \"[1].idx\"");
        let e = check_array_of("WritableEntity", &json!({"id": "a"})).unwrap_err();
        assert_eq!(e.message, "field \"\" must be of type array");
        assert!(check_array_of("WritableEntity", &json!([null, {"id": "a"}])).is_ok());
        assert!(
            check(
                "UtilizationRequest",
                &json!({"utilization": {"call": {"maximumCapacity": 1}}})
            )
            .is_ok()
        );
        assert_eq!(
            check("NoSuchDefinition", &json!({})).unwrap_err().status,
            500
        );
    }
}
