//! Divisions: rendering with object counts, and the audit of a move between them.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{Division, OrgState};
use crate::audit::{Actor, PropertyChange};

impl OrgState {
    /// Audits an object's move from division `old` to `new` (an `Update` of `division`),
    /// alike for queues, users and skills.
    pub(super) fn record_division_move(
        &mut self,
        actor: &Actor,
        entity_type: &str,
        id: &str,
        name: &str,
        old: Option<String>,
        new: &str,
    ) {
        self.record(
            actor,
            entity_type,
            id,
            name,
            "Update",
            vec![PropertyChange::new("division", old, [new.to_string()])],
        );
    }

    /// The `AuthzDivision` JSON, with `objectCounts` when asked for.
    pub(crate) fn render_division(&self, d: &Division, object_count: bool) -> Value {
        let mut v = json!({
            "id": d.id,
            "name": d.name,
            "description": d.description,
            "homeDivision": d.home,
            "selfUri": format!("/api/v2/authorization/divisions/{}", d.id),
        });
        if object_count {
            let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
            counts.insert(
                "QUEUE",
                self.queues
                    .values()
                    .filter(|q| q.division_id == d.id)
                    .count() as u64,
            );
            counts.insert(
                "USER",
                self.users
                    .values()
                    .filter(|u| u.division_id == d.id)
                    .count() as u64,
            );
            v["objectCounts"] = json!(counts);
        }
        v
    }
}
