//! Entity ids: derived from a namespace and a name for seeded objects (so the same fixture
//! or generator seed always gives the same ids), random for objects created at run time.

use uuid::Uuid;

/// The namespace every seeded id of an org is derived from.
pub(crate) fn org_namespace(org_id: &str) -> Uuid {
    Uuid::new_v5(
        &Uuid::NAMESPACE_OID,
        format!("switchboard-sim:{org_id}").as_bytes(),
    )
}

/// The namespace of a generated org part, so two seeds never share ids.
pub(crate) fn generator_namespace(org_id: &str, seed: u64) -> Uuid {
    Uuid::new_v5(
        &org_namespace(org_id),
        format!("generator-seed:{seed}").as_bytes(),
    )
}

/// A stable id for an object of `kind` named `name` in `namespace`.
pub(crate) fn derived(namespace: &Uuid, kind: &str, name: &str) -> String {
    Uuid::new_v5(namespace, format!("{kind}:{name}").as_bytes()).to_string()
}

/// A fresh random id for an object created through the API or the admin.
pub(crate) fn random() -> String {
    Uuid::new_v4().to_string()
}

/// Whether `s` looks like a UUID (ids in paths and topics are checked with this).
pub(crate) fn is_uuid(s: &str) -> bool {
    Uuid::parse_str(s).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_stable_and_distinct() {
        let ns = org_namespace("org");
        assert_eq!(derived(&ns, "queue", "A"), derived(&ns, "queue", "A"));
        assert_ne!(derived(&ns, "queue", "A"), derived(&ns, "skill", "A"));
        assert_ne!(
            derived(&generator_namespace("org", 1), "queue", "A"),
            derived(&generator_namespace("org", 2), "queue", "A")
        );
        assert!(is_uuid(&derived(&ns, "queue", "A")));
    }
}
