//! The request definitions the simulator checks the bodies it receives against.
//!
//! `wire/request-definitions.json` is derived from the vendor's description
//! (`shared/genesys/openapi-routing.json`, which is not committed here) by
//! [`switchboard_openapi::request_subset`]: the operations `routes::SERVED_OPERATIONS` lists, with their
//! parameters, and only the definitions their bodies reach, without documentation. A test
//! regenerates it whenever the shared description is present and fails when the committed file
//! differs, so the two cannot drift apart unnoticed.

use std::sync::LazyLock;

use axum::http::StatusCode;
use serde_json::Value;
use switchboard_openapi::{Spec, ValidationMode, Violation};

use crate::api_error::ApiError;

/// The derived file, as committed.
const DERIVED: &str = include_str!("../wire/request-definitions.json");

static SPEC: LazyLock<Result<Spec, String>> = LazyLock::new(|| {
    let doc: Value = serde_json::from_str(DERIVED).map_err(|e| e.to_string())?;
    Spec::from_value(&doc).map_err(|e| e.to_string())
});

/// Checks a body against the definition `name` (e.g. `QueueRequest`) the way the API's JSON
/// binding reads it, answering the first violation with the API's error.
pub(crate) fn check(name: &str, body: &Value) -> Result<(), ApiError> {
    first_error(body, |spec| {
        spec.validate_definition_with(name, body, ValidationMode::Received)
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
    let Ok(spec) = SPEC.as_ref() else {
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
    let spec = SPEC.as_ref().map_err(|e| {
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
    use std::io::Write;
    use std::path::Path;

    use serde_json::json;

    use super::*;
    use crate::routes::SERVED_OPERATIONS;

    /// The derived file as the shared description makes it today.
    fn derive(doc: &Value) -> String {
        let mut cut = switchboard_openapi::request_subset(doc, SERVED_OPERATIONS)
            .unwrap_or_else(|e| panic!("cannot derive the request definitions: {e}"));
        cut["info"] = json!({
            "title": "derived from openapi-routing.json: do not edit, run SWITCHBOARD_BLESS=1 cargo test -p switchboard-sim",
            "version": doc["info"]["version"],
        });
        let mut text = serde_json::to_string_pretty(&cut).unwrap();
        text.push('\n');
        text
    }

    #[test]
    fn the_derived_request_definitions_are_fresh() {
        let Some(path) = Spec::locate() else {
            // Written past the test harness's capture, so that it is seen.
            let _ = writeln!(
                std::io::stderr(),
                "\n!!!!!! SKIPPED: openapi-routing.json not found (set SWITCHBOARD_OPENAPI or place it at \
                 ../shared/genesys/ beside the repository); wire/request-definitions.json was NOT checked \
                 against it !!!!!!\n"
            );
            return;
        };
        let text = std::fs::read_to_string(&path).unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap();
        let fresh = derive(&doc);
        let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("wire/request-definitions.json");
        if std::env::var_os("SWITCHBOARD_BLESS").is_some_and(|v| v == "1") {
            std::fs::write(&file, &fresh).unwrap();
            return;
        }
        assert!(
            DERIVED == fresh,
            "{} is stale against {}: run SWITCHBOARD_BLESS=1 cargo test -p switchboard-sim",
            file.display(),
            path.display()
        );
    }

    #[test]
    fn the_derived_file_loads_and_serves_every_operation() {
        let spec = SPEC.as_ref().unwrap();
        for (method, template) in SERVED_OPERATIONS {
            assert!(
                spec.operation(method, template).is_some(),
                "{method} {template}"
            );
        }
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
