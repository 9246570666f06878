//! The vendor's description cut down to the operations the simulator serves, which it embeds
//! because it must run without the description itself.
//!
//! `wire/served-operations.json` is derived from the vendor's description
//! (`shared/genesys/openapi.json`, which is not committed here) by
//! [`switchboard_openapi::served_subset`]: the operations `routes::SERVED_OPERATIONS` lists, with
//! their parameters and responses, and only the definitions their request and response bodies
//! reach, without documentation. A test regenerates it whenever the shared description is
//! present and fails when the committed file differs, so the two cannot drift apart unnoticed
//! (`SWITCHBOARD_BLESS=1 cargo test -p switchboard-sim` rewrites it).
//!
//! Three readers: `request_definitions` checks the bodies the simulator receives, `request`
//! reads array query parameters as lists, and `response_check` checks the answers it sends.

use std::sync::LazyLock;

use serde_json::Value;
use switchboard_openapi::{OperationRef, Spec};

/// The derived file, as committed.
const DERIVED: &str = include_str!("../wire/served-operations.json");

static SPEC: LazyLock<Result<Spec, String>> = LazyLock::new(|| {
    let doc: Value = serde_json::from_str(DERIVED).map_err(|e| e.to_string())?;
    Spec::from_value(&doc).map_err(|e| e.to_string())
});

/// The served operations' description, or why it does not load (a broken build, which every
/// test that sends a body or reads an answer reports).
pub(crate) fn spec() -> Result<&'static Spec, &'static str> {
    SPEC.as_ref().map_err(String::as_str)
}

/// The served operation a request (method and concrete path) is for, if any.
pub(crate) fn operation(method: &str, path: &str) -> Option<OperationRef<'static>> {
    spec().ok()?.operation(method, path)
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
        let mut cut = switchboard_openapi::served_subset(doc, SERVED_OPERATIONS)
            .unwrap_or_else(|e| panic!("cannot derive the served operations: {e}"));
        cut["info"] = json!({
            "title": "derived from openapi.json: do not edit, run SWITCHBOARD_BLESS=1 cargo test -p switchboard-sim",
            "version": doc["info"]["version"],
        });
        let mut text = serde_json::to_string_pretty(&cut).unwrap();
        text.push('\n');
        text
    }

    // The name predates the file's response side; kept so that scripts and habits that run
    // it by name still do.
    #[test]
    fn the_derived_request_definitions_are_fresh() {
        let Some(path) = Spec::locate() else {
            // Written past the test harness's capture, so that it is seen.
            let _ = writeln!(
                std::io::stderr(),
                "\n!!!!!! SKIPPED: openapi.json not found (set SWITCHBOARD_OPENAPI or place it at \
                 ../shared/genesys/ beside the repository); wire/served-operations.json was NOT checked \
                 against it !!!!!!\n"
            );
            return;
        };
        let text = std::fs::read_to_string(&path).unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap();
        let fresh = derive(&doc);
        let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("wire/served-operations.json");
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
        let spec = spec().unwrap();
        for (method, template) in SERVED_OPERATIONS {
            assert!(
                spec.operation(method, template).is_some(),
                "{method} {template}"
            );
        }
        assert!(
            spec.validate_definition("ErrorBody", &json!({"code": "not.found"}))
                .is_ok(),
            "error answers are checked too"
        );
        let users = operation("GET", "/api/v2/users").unwrap();
        assert!(users.is_array_query_parameter("id"));
        assert!(operation("GET", "/api/v2/nothing").is_none());
    }
}
