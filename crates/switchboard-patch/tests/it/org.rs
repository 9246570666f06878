//! A small org, built by hand, and manifests held in memory.

use std::collections::BTreeSet;

use serde_json::json;
use switchboard_manifest::Live;
use switchboard_manifest::edit::{Editable, SourceFile};
use switchboard_manifest::live::{
    LiveDivision, LiveMember, LiveObject, LiveOrg, LiveQueue, LiveUser, LiveWrapupCode,
};

/// The org guard of the org below.
pub const ORG: &str = "\
# The demo org.
version: 1
org:
  name: Acme   # the guard
  region: mypurecloud.ie
";

fn member(id: &str, email: &str, ring: i64) -> LiveMember {
    LiveMember {
        user_id: id.into(),
        name: None,
        email: Some(email.into()),
        ring: Some(ring),
        joined: Some(true),
        by_group: false,
    }
}

fn user(id: &str, skills: &[(&str, f64)]) -> LiveUser {
    LiveUser {
        id: id.into(),
        name: None,
        state: "active".into(),
        skills: skills.iter().map(|(k, v)| ((*k).to_string(), *v)).collect(),
        languages: Default::default(),
        utilization: None,
    }
}

/// Acme: skills Billing, Disputes; code Resolved, Escalated; queue "Billing EN" with three
/// rings, members ana (1), bo (3), chen (1); users ana and bo (ana holds Billing 4 and
/// Disputes 2).
pub fn live() -> Live {
    let mut live = Live {
        org: LiveOrg {
            id: "0a000000-0000-4000-8000-000000000001".into(),
            name: "Acme".into(),
        },
        ..Live::default()
    };
    live.divisions.insert(
        "Home".into(),
        LiveDivision {
            id: "d-home".into(),
            home: true,
        },
    );
    for (name, id) in [("Billing", "s-billing"), ("Disputes", "s-disputes")] {
        live.skills.insert(
            name.into(),
            LiveObject {
                id: id.into(),
                division_id: Some("d-home".into()),
            },
        );
    }
    for (name, id) in [("Resolved", "c-resolved"), ("Escalated", "c-escalated")] {
        live.wrapup_codes.insert(
            name.into(),
            LiveWrapupCode {
                id: id.into(),
                description: None,
                division_id: Some("d-home".into()),
            },
        );
    }
    live.queues.insert(
        "Billing EN".into(),
        LiveQueue {
            id: "q-billing".into(),
            division_id: Some("d-home".into()),
            body: json!({
                "id": "q-billing",
                "name": "Billing EN",
                "division": {"id": "d-home", "name": "Home"},
                "description": "Edited in the admin UI",
                "mediaSettings": {"call": {"alertingTimeoutSeconds": 12}},
                "bullseye": {"rings": [
                    {"expansionCriteria": [{"type": "TIMEOUT_SECONDS", "threshold": 15}]},
                    {"expansionCriteria": [{"type": "TIMEOUT_SECONDS", "threshold": 45}]},
                    {}
                ]}
            }),
            members: Some(vec![
                member("u-ana", "ana@example.com", 1),
                member("u-bo", "bo@example.com", 3),
                member("u-chen", "chen@example.com", 1),
            ]),
            wrapup_code_names: Default::default(),
            wrapup_code_ids: Some(BTreeSet::from([
                "c-resolved".to_string(),
                "c-escalated".to_string(),
            ])),
        },
    );
    live.users.insert(
        "ana@example.com".into(),
        user("u-ana", &[("s-billing", 4.0), ("s-disputes", 2.0)]),
    );
    live.users
        .insert("bo@example.com".into(), user("u-bo", &[]));
    live
}

/// A manifest of `files` (relative paths and texts) in the directory `m`; the last one is the
/// environment overlay when `overlay` is true.
pub fn manifest(files: &[(&str, &str)], overlay: bool) -> Editable {
    let files = files
        .iter()
        .map(|(path, text)| SourceFile {
            path: format!("m/{path}").into(),
            text: (*text).to_string(),
        })
        .collect();
    match Editable::from_sources("m", files, overlay) {
        Ok(editable) => editable,
        Err(loaded) => panic!("invalid test manifest:\n{}", loaded.findings_text()),
    }
}
