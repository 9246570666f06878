//! The operations of the vendor's description the simulator does not serve, each with why:
//! it answers every request for one with 404 `not.found`, whose message says so. A test
//! computes the operations the description has and the simulator does not serve, and fails
//! when one is missing here (or listed here but served), so the list stays whole.

/// `(method, path template, why the simulator does not serve it)`, in the description's path
/// order.
#[rustfmt::skip]
pub(crate) const NOT_SIMULATED: &[(&str, &str, &str)] = &[
    ("POST", "/api/v2/authorization/divisions", DIVISIONS),
    ("PUT", "/api/v2/authorization/divisions/{divisionId}", DIVISIONS),
    ("DELETE", "/api/v2/authorization/divisions/{divisionId}", DIVISIONS),
    ("GET", "/api/v2/flows/divisionviews", "switchboard reads flows with GET /api/v2/flows"),
    ("GET", "/api/v2/languages", LANGUAGES),
    ("POST", "/api/v2/languages", LANGUAGES),
    ("GET", "/api/v2/notifications/availabletopics", "switchboard subscribes to topics it builds; the simulator accepts those it can publish"),
    ("GET", "/api/v2/organizations/limits/namespaces/{namespaceName}", LIMITS),
    ("GET", "/api/v2/organizations/limits/namespaces/{namespaceName}/defaults", LIMITS),
    ("PUT", "/api/v2/organizations/me", "organization settings are not routing configuration; switchboard only reads the org"),
    ("GET", "/api/v2/routing/queues/divisionviews", QUEUE_VIEWS),
    ("GET", "/api/v2/routing/queues/divisionviews/all", QUEUE_VIEWS),
    ("GET", "/api/v2/routing/queues/{queueId}/mediatypes/{mediaType}/estimatedwaittime", "a live statistic; the simulator has no conversations"),
    ("POST", "/api/v2/users", USERS),
    ("GET", "/api/v2/users/search", "switchboard searches users with POST /api/v2/users/search"),
    ("DELETE", "/api/v2/users/{userId}", USERS),
    ("PATCH", "/api/v2/users/{userId}", USERS),
    ("GET", "/api/v2/users/{userId}/queues", "switchboard reads queue membership from the queues' side"),
];

const DIVISIONS: &str = "divisions are seeded by the fixture or generator; switchboard moves objects between them but never creates, renames or deletes one";
const LANGUAGES: &str = "deprecated; the simulator serves /api/v2/routing/languages instead";
const LIMITS: &str =
    "switchboard holds to the documented limits (API-FACTS) and does not read them at run time";
const QUEUE_VIEWS: &str = "switchboard lists queues with GET /api/v2/routing/queues";
const USERS: &str = "users are seeded by the fixture or generator; switchboard never creates, changes or deletes one";

/// Why the simulator does not serve `method path` (a concrete path), if it is an operation
/// of [`NOT_SIMULATED`].
pub(crate) fn reason(method: &str, path: &str) -> Option<(&'static str, &'static str)> {
    let segments: Vec<&str> = path.split('/').collect();
    NOT_SIMULATED
        .iter()
        .filter(|(m, template, _)| {
            m.eq_ignore_ascii_case(method) && {
                let parts: Vec<&str> = template.split('/').collect();
                parts.len() == segments.len()
                    && parts
                        .iter()
                        .zip(&segments)
                        .all(|(t, s)| (t.starts_with('{') && !s.is_empty()) || t == s)
            }
        })
        .map(|(_, template, why)| (*template, *why))
        .next()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use std::collections::BTreeSet;
    use std::io::Write;

    use serde_json::Value;
    use switchboard_openapi::Spec;

    use super::*;
    use crate::routes::SERVED_OPERATIONS;

    #[test]
    fn every_operation_is_served_or_listed_as_not_simulated() {
        let Some(path) = Spec::locate() else {
            // Written past the test harness's capture, so that it is seen.
            let _ = writeln!(
                std::io::stderr(),
                "\n!!!!!! SKIPPED: openapi.json not found (set SWITCHBOARD_OPENAPI or place it at \
                 ../shared/genesys/ beside the repository); the list of operations the simulator \
                 does not serve was NOT checked against it !!!!!!\n"
            );
            return;
        };
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let mut described = BTreeSet::new();
        for (template, item) in doc["paths"].as_object().unwrap() {
            for method in item.as_object().unwrap().keys() {
                if !method.starts_with("x-") && method != "parameters" {
                    described.insert((method.to_ascii_uppercase(), template.clone()));
                }
            }
        }
        let served: BTreeSet<(String, String)> = SERVED_OPERATIONS
            .iter()
            .map(|(m, t)| (m.to_string(), t.to_string()))
            .collect();
        let listed: BTreeSet<(String, String)> = NOT_SIMULATED
            .iter()
            .map(|(m, t, _)| (m.to_string(), t.to_string()))
            .collect();
        assert_eq!(listed.len(), NOT_SIMULATED.len(), "listed twice");
        let unaccounted: Vec<String> = described
            .iter()
            .filter(|op| !served.contains(*op) && !listed.contains(*op))
            .map(|(m, t)| format!("{m} {t}"))
            .collect();
        assert!(
            unaccounted.is_empty(),
            "operations of {} neither served nor in NOT_SIMULATED (with a reason, and in the \
             crate documentation):\n{}",
            path.display(),
            unaccounted.join("\n")
        );
        let wrong: Vec<String> = listed
            .iter()
            .filter(|op| served.contains(*op) || !described.contains(*op))
            .map(|(m, t)| format!("{m} {t}"))
            .collect();
        assert!(
            wrong.is_empty(),
            "in NOT_SIMULATED but served, or not in the description:\n{}",
            wrong.join("\n")
        );
    }

    #[test]
    fn the_crate_documentation_lists_them() {
        let docs = include_str!("lib.rs");
        for (method, template, _) in NOT_SIMULATED {
            let line = format!("`{method} {template}`");
            assert!(
                docs.contains(&line),
                "{line} is not in lib.rs's documentation"
            );
        }
    }

    #[test]
    fn reasons_are_found_by_concrete_path() {
        assert_eq!(
            reason("get", "/api/v2/users/u-1/queues"),
            Some((
                "/api/v2/users/{userId}/queues",
                "switchboard reads queue membership from the queues' side"
            ))
        );
        assert_eq!(
            reason("GET", "/api/v2/users/u-1/queues/").map(|r| r.0),
            None
        );
        assert_eq!(reason("GET", "/api/v2/routing/queues"), None);
        assert_eq!(
            reason("PATCH", "/api/v2/users/u-1").map(|r| r.1),
            Some(USERS)
        );
    }
}
