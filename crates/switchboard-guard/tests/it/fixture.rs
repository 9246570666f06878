//! A small org and hand-built plans.
//!
//! The org "Acme" has skills Billing and Refunds, and queue "Billing EN" whose members are
//! ana (Billing 4, call capacity 2 of her own), bo (Billing 3), di (inactive, Billing 5) and
//! yan (a member the manifest does not name, read as a member user: Billing 3). The org's
//! default capacity is 1 call and 3 chats. cy (no skills) is named but not a member.
//!
//! So, before any plan, "Billing EN" has 3 active members with 4 calls of capacity, and 3
//! holders of Billing at proficiency 3 or above.

use std::collections::BTreeMap;

use serde_json::Value;
use switchboard_guard::{Forecast, ForecastFormat};
use switchboard_manifest::live::{
    LiveCapacity, LiveMember, LiveObject, LiveOrg, LiveQueue, LiveUser,
};
use switchboard_manifest::{Live, Manifest};
use switchboard_plan::{
    Action, Address, CapacityReport, Change, ElementChange, ElementOp, Plan, PlanOrg, Refusal,
    ResourceKind,
};

pub const BILLING: &str = "Billing EN";

fn user(id: &str, state: &str, skills: &[(&str, f64)]) -> LiveUser {
    LiveUser {
        id: id.into(),
        name: None,
        state: state.into(),
        skills: skills.iter().map(|(s, p)| ((*s).to_string(), *p)).collect(),
        languages: BTreeMap::new(),
        utilization: None,
    }
}

pub fn member(id: &str, email: Option<&str>) -> LiveMember {
    LiveMember {
        user_id: id.into(),
        name: None,
        email: email.map(str::to_string),
        ring: Some(1),
        joined: Some(true),
        by_group: false,
    }
}

pub fn live() -> Live {
    let mut live = Live {
        org: LiveOrg {
            id: "0a000000-0000-4000-8000-0000000000ac".into(),
            name: "Acme".into(),
        },
        ..Live::default()
    };
    for (name, id) in [("Billing", "sk-billing"), ("Refunds", "sk-refunds")] {
        live.skills.insert(
            name.into(),
            LiveObject {
                id: id.into(),
                division_id: None,
            },
        );
    }
    let users = [
        (
            "ana@acme.com",
            user("u-ana", "active", &[("sk-billing", 4.0)]),
        ),
        (
            "bo@acme.com",
            user("u-bo", "active", &[("sk-billing", 3.0)]),
        ),
        ("cy@acme.com", user("u-cy", "active", &[])),
        (
            "di@acme.com",
            user("di-id", "inactive", &[("sk-billing", 5.0)]),
        ),
    ];
    for (email, user) in users {
        live.users.insert(email.into(), user);
    }
    live.member_users.insert(
        "u-yan".into(),
        user("u-yan", "active", &[("sk-billing", 3.0)]),
    );
    live.queues.insert(
        BILLING.into(),
        LiveQueue {
            id: "q-billing".into(),
            division_id: None,
            body: Value::Null,
            members: Some(vec![
                member("u-ana", None),
                member("u-bo", Some("bo@acme.com")),
                member("di-id", None),
                member("u-yan", Some("Yan@Acme.com")),
            ]),
            wrapup_code_names: Default::default(),
            wrapup_code_ids: None,
        },
    );
    live.capacity = Some(LiveCapacity {
        org: [("call".to_string(), 1), ("chat".to_string(), 3)].into(),
        agents: [("u-ana".to_string(), [("call".to_string(), 2)].into())].into(),
    });
    live
}

/// A valid manifest for org Acme with these `queues:` entries (YAML, indented by 2).
pub fn manifest(queues: &str) -> Manifest {
    let text = format!(
        "version: 1\norg: {{name: Acme, region: mypurecloud.ie}}\ncapacity: {{maxSaturation: 0.9}}\nskills:\n  - name: Billing\n  - name: Refunds\nqueues:\n{queues}"
    );
    let loaded = switchboard_manifest::load_str("manifest.yaml", &text);
    match loaded.manifest {
        Some(manifest) => manifest,
        None => panic!("invalid test manifest:\n{}", loaded.findings_text()),
    }
}

pub fn plan(changes: Vec<Change>) -> Plan {
    Plan {
        org: PlanOrg {
            id: "0a000000-0000-4000-8000-0000000000ac".into(),
            name: "Acme".into(),
        },
        manifest_hash: String::new(),
        forced: false,
        changes,
        warnings: Vec::new(),
        distributions: Vec::new(),
        capacity: CapacityReport::Off,
        coverage: Vec::new(),
    }
}

/// A change of a live queue's members: `(op, email, user id)`.
pub fn members(queue: &str, elements: &[(ElementOp, &str, &str)]) -> Change {
    let mut change = Change::new(
        Address::new(ResourceKind::QueueMembers, queue),
        Action::Update,
    );
    change.id = Some(format!("q-{queue}"));
    change.elements = elements
        .iter()
        .map(|(op, email, id)| ElementChange {
            op: *op,
            key: (*email).into(),
            id: Some((*id).into()),
            before: None,
            after: (*op != ElementOp::Remove).then(|| Value::from(1)),
            note: None,
        })
        .collect();
    change
}

/// A change of an agent's skills: `(op, skill, proficiency after)`.
pub fn skills(email: &str, user_id: &str, elements: &[(ElementOp, &str, Option<f64>)]) -> Change {
    let mut change = Change::new(
        Address::new(ResourceKind::AgentSkills, email),
        Action::Update,
    );
    change.id = Some(user_id.into());
    change.elements = elements
        .iter()
        .map(|(op, skill, after)| ElementChange {
            op: *op,
            key: (*skill).into(),
            id: None,
            before: None,
            after: after.map(Value::from),
            note: None,
        })
        .collect();
    change
}

/// A change of a queue's settings.
pub fn settings(queue: &str) -> Change {
    let mut change = Change::new(Address::new(ResourceKind::Queue, queue), Action::Update);
    change.id = Some(format!("q-{queue}"));
    change
}

/// A forecast from CSV rows (the header is added).
pub fn forecast(rows: &str) -> Forecast {
    let text = format!("queue,mediaType,peakConcurrent\n{rows}");
    match Forecast::parse(&text, ForecastFormat::Csv, "peak.csv") {
        Ok(forecast) => forecast,
        Err(error) => panic!("invalid test forecast: {error}"),
    }
}

/// The refusal of the change at `address`, if any.
pub fn refusal(plan: &Plan, kind: ResourceKind, name: &str) -> Option<Refusal> {
    plan.changes
        .iter()
        .find(|c| c.address.kind == kind && c.address.name == name)
        .and_then(|c| c.refused.clone())
}
