#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The plan engine, table-driven: each case is a manifest (YAML, validated like a user's),
//! an edit of the shared live org, and a policy. Every case asserts the facts that matter
//! for it and snapshots the plan's JSON document (`tests/snapshots/diff__<case>.snap`).
//!
//! The live org "Acme" ([`base_live`]) has 2 divisions, 12 skills, 3 languages, 12 wrap-up
//! codes and 12 queues whose `body` is shaped like the API's, plus 7 users.
//! [`MIRROR`] is a manifest that says exactly what that org holds.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{AssertUnwindSafe, catch_unwind};

use serde_json::{Map, Value, json};
use switchboard_manifest::live::{
    LiveDivision, LiveMember, LiveObject, LiveOrg, LiveQueue, LiveReferent, LiveUser,
    LiveUtilization, LiveWrapupCode,
};
use switchboard_manifest::references::ReferenceKind;
use switchboard_manifest::{Live, Manifest};
use switchboard_plan::document::{self, DocumentError, PlanDocument};
use switchboard_plan::fingerprint;
use switchboard_plan::{Action, Change, Plan, PlanError, Policy, RefusalReason, ResourceKind};

// ---------------------------------------------------------------------------------------
// The live org
// ---------------------------------------------------------------------------------------

const HOME: &str = "div-home";
const SALES: &str = "div-sales";

const SKILLS: [(&str, &str, &str); 12] = [
    ("Billing", "sk-billing", HOME),
    ("Refunds", "sk-refunds", HOME),
    ("Collections", "sk-collections", HOME),
    ("Sales", "sk-sales", SALES),
    ("Renewals", "sk-renewals", SALES),
    ("Tech Support", "sk-tech", HOME),
    ("Networking", "sk-networking", HOME),
    ("Hardware", "sk-hardware", HOME),
    ("VIP", "sk-vip", HOME),
    ("Retention", "sk-retention", HOME),
    ("Claims", "sk-claims", HOME),
    ("Escalations", "sk-escalations", HOME),
];

const LANGUAGES: [(&str, &str); 3] = [
    ("English", "lang-en"),
    ("Spanish", "lang-es"),
    ("French", "lang-fr"),
];

const CODES: [(&str, &str, Option<&str>, &str); 12] = [
    (
        "Resolved",
        "wc-resolved",
        Some("Issue solved on first contact"),
        HOME,
    ),
    (
        "Escalated",
        "wc-escalated",
        Some("Handed to a supervisor"),
        HOME,
    ),
    ("Callback Requested", "wc-callback", None, HOME),
    (
        "Refund Issued",
        "wc-refund",
        Some("Money returned to the customer"),
        HOME,
    ),
    ("Sale Closed", "wc-sale-closed", None, SALES),
    ("Sale Lost", "wc-sale-lost", None, SALES),
    ("No Answer", "wc-no-answer", None, HOME),
    ("Wrong Number", "wc-wrong-number", None, HOME),
    ("Transferred", "wc-transferred", None, HOME),
    (
        "Complaint",
        "wc-complaint",
        Some("Customer complaint logged"),
        HOME,
    ),
    ("Follow Up", "wc-follow-up", None, HOME),
    ("Voicemail", "wc-voicemail", None, HOME),
];

fn division_ref(id: &str) -> Value {
    let name = if id == HOME { "Home" } else { "Sales" };
    json!({"id": id, "name": name, "selfUri": format!("/api/v2/authorization/divisions/{id}")})
}

/// An API bullseye: one ring per threshold (`None` for the default ring), with the skill
/// ids each ring removes.
fn api_bullseye(rings: &[(Option<Value>, &[&str])]) -> Value {
    let rings: Vec<Value> = rings
        .iter()
        .map(|(threshold, remove)| {
            let criteria: Vec<Value> = threshold
                .iter()
                .map(|t| json!({"type": "TIMEOUT_SECONDS", "threshold": t}))
                .collect();
            let remove: Vec<Value> = remove
                .iter()
                .map(|id| json!({"id": id, "selfUri": format!("/api/v2/routing/skills/{id}")}))
                .collect();
            json!({"expansionCriteria": criteria, "actions": {"skillsToRemove": remove}, "memberGroups": []})
        })
        .collect();
    json!({ "rings": rings })
}

/// `GET /api/v2/routing/queues/{id}` as the API answers it: the fixture's common settings,
/// then `extra` (top-level fields replaced whole).
fn queue_body(id: &str, name: &str, division: &str, extra: Value) -> Value {
    let mut body = json!({
        "id": id,
        "name": name,
        "description": format!("{name} queue"),
        "division": division_ref(division),
        "dateCreated": "2025-01-14T09:30:00.000Z",
        "dateModified": "2025-11-02T16:05:12.000Z",
        "createdBy": "u-admin",
        "modifiedBy": "u-admin",
        "memberCount": 0,
        "userMemberCount": 0,
        "joinedMemberCount": 0,
        "mediaSettings": {
            "call": {"alertingTimeoutSeconds": 8, "serviceLevel": {"percentage": 0.8, "durationMs": 20000}, "enableAutoAnswer": false, "autoAnswerAlertToneSeconds": 0.0, "manualAnswerAlertToneSeconds": 0.0},
            "callback": {"alertingTimeoutSeconds": 30, "serviceLevel": {"percentage": 0.8, "durationMs": 30000}, "enableAutoAnswer": false, "mode": "AgentFirst", "enableAutoDialAndEnd": false},
            "chat": {"alertingTimeoutSeconds": 30, "serviceLevel": {"percentage": 0.8, "durationMs": 30000}, "enableAutoAnswer": false},
            "email": {"alertingTimeoutSeconds": 300, "serviceLevel": {"percentage": 0.8, "durationMs": 86_400_000}, "enableAutoAnswer": false},
            "message": {"alertingTimeoutSeconds": 30, "serviceLevel": {"percentage": 0.8, "durationMs": 30000}, "enableAutoAnswer": false}
        },
        "acwSettings": {"wrapupPrompt": "OPTIONAL"},
        "skillEvaluationMethod": "ALL",
        "scoringMethod": "TimestampAndPriority",
        "lastAgentRoutingMode": "Disabled",
        "autoAnswerOnly": false,
        "enableTranscription": false,
        "enableAudioMonitoring": false,
        "enableManualAssignment": false,
        "suppressInQueueCallRecording": true,
        "memberGroups": [],
        "selfUri": format!("/api/v2/routing/queues/{id}")
    });
    if let (Some(body), Value::Object(extra)) = (body.as_object_mut(), extra) {
        body.extend(extra);
    }
    body
}

fn member(user: &str, ring: i64) -> LiveMember {
    let (id, name) = user_of(user);
    LiveMember {
        user_id: id.into(),
        name: Some(name.into()),
        email: Some(format!("{user}@acme.com")),
        ring: Some(ring),
        joined: Some(true),
        by_group: false,
    }
}

fn user_of(user: &str) -> (&'static str, &'static str) {
    match user {
        "ana" => ("u-ana", "Ana Lopez"),
        "bo" => ("u-bo", "Bo Chen"),
        "cy" => ("u-cy", "Cy Dubois"),
        "dee" => ("u-dee", "Dee Garcia"),
        "eve" => ("u-eve", "Eve Martin"),
        "fay" => ("u-fay", "Fay Okafor"),
        "gus" => ("u-gus", "Gus Novak"),
        other => panic!("no fixture user {other}"),
    }
}

fn code_id(name: &str) -> String {
    CODES
        .iter()
        .find(|c| c.0 == name)
        .map(|c| c.1.to_string())
        .unwrap_or_else(|| panic!("no fixture code {name}"))
}

/// A fixture queue: name, id, division id, body fields over the common ones, members, and
/// wrap-up codes by name.
type QueueRow = (
    &'static str,
    &'static str,
    &'static str,
    Value,
    Vec<LiveMember>,
    Vec<&'static str>,
);

/// Proficiencies by skill or language id.
type Proficiencies = &'static [(&'static str, f64)];

/// A fixture user: short name, state, skills, languages.
type UserRow = (&'static str, &'static str, Proficiencies, Proficiencies);

/// The shared live org: Acme (0a000000-0000-4000-8000-000000000001).
fn base_live() -> Live {
    let mut live = Live {
        org: LiveOrg {
            id: "0a000000-0000-4000-8000-000000000001".into(),
            name: "Acme".into(),
        },
        ..Live::default()
    };
    // What the lookups find: one in-queue call flow of another name beside the queue's, the
    // overflow group, and a team.
    let referents = |objects: &[(&str, &str)]| -> Vec<LiveReferent> {
        objects
            .iter()
            .map(|(id, name)| LiveReferent::new(*id, *name))
            .collect()
    };
    live.references.insert(
        ReferenceKind::InQueueCallFlow,
        referents(&[
            ("flow-billing", "Billing In-Queue"),
            ("flow-holiday", "Holiday In-Queue"),
        ]),
    );
    live.references.insert(
        ReferenceKind::Group,
        referents(&[("grp-billing-overflow", "Billing Overflow")]),
    );
    live.references.insert(
        ReferenceKind::Team,
        referents(&[("team-fraud-overflow", "Fraud Overflow")]),
    );
    live.divisions.insert(
        "Home".into(),
        LiveDivision {
            id: HOME.into(),
            home: true,
        },
    );
    live.divisions.insert(
        "Sales".into(),
        LiveDivision {
            id: SALES.into(),
            home: false,
        },
    );
    for (name, id, division) in SKILLS {
        live.skills.insert(
            name.into(),
            LiveObject {
                id: id.into(),
                division_id: Some(division.into()),
            },
        );
    }
    for (name, id) in LANGUAGES {
        live.languages.insert(
            name.into(),
            LiveObject {
                id: id.into(),
                division_id: None,
            },
        );
    }
    for (name, id, description, division) in CODES {
        live.wrapup_codes.insert(
            name.into(),
            LiveWrapupCode {
                id: id.into(),
                description: description.map(String::from),
                division_id: Some(division.into()),
            },
        );
    }

    let billing_en = json!({
        "description": "Billing questions in English",
        "memberCount": 2, "userMemberCount": 2, "joinedMemberCount": 2,
        "mediaSettings": {
            "call": {"alertingTimeoutSeconds": 8, "serviceLevel": {"percentage": 0.8, "durationMs": 20000}, "enableAutoAnswer": false, "autoAnswerAlertToneSeconds": 0.0, "manualAnswerAlertToneSeconds": 0.0},
            "chat": {"alertingTimeoutSeconds": 30, "serviceLevel": {"percentage": 0.8, "durationMs": 30000}, "enableAutoAnswer": false}
        },
        "acwSettings": {"wrapupPrompt": "MANDATORY_TIMEOUT", "timeoutMs": 120_000},
        "skillEvaluationMethod": "BEST",
        "routingRules": [
            {"operator": "MEETS_THRESHOLD", "threshold": 9, "waitSeconds": 30},
            {"operator": "ANY", "waitSeconds": 60}
        ],
        "bullseye": api_bullseye(&[(Some(json!(15)), &["sk-collections"]), (Some(json!(30)), &[]), (None, &[])]),
        "conditionalGroupRouting": {"rules": [{
            "queue": {"id": "q-billing-en", "selfUri": "/api/v2/routing/queues/q-billing-en"},
            "metric": "EstimatedWaitTime",
            "operator": "GreaterThan",
            "conditionValue": 60,
            "waitSeconds": 20,
            "groups": [{"id": "grp-billing-overflow", "name": "Billing Overflow", "type": "GROUP", "selfUri": "/api/v2/groups/grp-billing-overflow"}]
        }]},
        "lastAgentRoutingMode": "QueueMembersOnly",
        "enableTranscription": true,
        "queueFlow": {"id": "flow-billing", "name": "Billing In-Queue", "selfUri": "/api/v2/flows/flow-billing"},
        "memberGroups": [{"id": "grp-billing-overflow", "type": "GROUP"}]
    });
    // The API spells some whole numbers as floats; this queue is read that way.
    let billing_es = json!({
        "description": "Billing questions in Spanish",
        "memberCount": 2, "userMemberCount": 2, "joinedMemberCount": 1,
        "mediaSettings": {
            "call": {"alertingTimeoutSeconds": 8.0, "serviceLevel": {"percentage": 0.8, "durationMs": 20000.0}, "enableAutoAnswer": false}
        },
        "skillEvaluationMethod": "BEST",
        "routingRules": [{"operator": "MEETS_THRESHOLD", "threshold": 7, "waitSeconds": 30.0}],
        "bullseye": api_bullseye(&[(Some(json!(15.0)), &[]), (Some(json!(30.0)), &[]), (None, &[])])
    });
    let support_l1 = json!({
        "memberCount": 4, "userMemberCount": 3, "joinedMemberCount": 3,
        "bullseye": api_bullseye(&[(Some(json!(10)), &[]), (Some(json!(20)), &[]), (None, &[])]),
        "memberGroups": [{"id": "grp-tier1", "type": "GROUP"}]
    });
    let cy_without_email = LiveMember {
        email: None,
        joined: Some(false),
        ..member("cy", 1)
    };
    let fay_by_group = LiveMember {
        by_group: true,
        ..member("fay", 1)
    };
    let queues: Vec<QueueRow> = vec![
        (
            "Billing EN",
            "q-billing-en",
            HOME,
            billing_en,
            vec![member("ana", 1), member("bo", 2)],
            vec!["Resolved", "Escalated", "Callback Requested"],
        ),
        (
            "Billing ES",
            "q-billing-es",
            HOME,
            billing_es,
            vec![member("dee", 1), member("eve", 1)],
            vec!["Resolved", "Escalated"],
        ),
        (
            "Refunds EN",
            "q-refunds-en",
            HOME,
            json!({"description": "Refunds"}),
            vec![member("ana", 1)],
            vec!["Refund Issued", "Resolved"],
        ),
        (
            "Sales EN",
            "q-sales-en",
            SALES,
            json!({}),
            vec![member("bo", 1)],
            vec!["Sale Closed", "Sale Lost"],
        ),
        (
            "Sales ES",
            "q-sales-es",
            SALES,
            json!({}),
            vec![],
            vec!["Sale Closed"],
        ),
        (
            "Support L1",
            "q-support-l1",
            HOME,
            support_l1,
            vec![
                member("ana", 1),
                member("bo", 2),
                cy_without_email,
                fay_by_group,
            ],
            vec!["Resolved", "Transferred"],
        ),
        (
            "Support L2",
            "q-support-l2",
            HOME,
            json!({}),
            vec![],
            vec!["Resolved"],
        ),
        ("VIP", "q-vip", HOME, json!({}), vec![], vec!["Resolved"]),
        (
            "Retention",
            "q-retention",
            HOME,
            json!({}),
            vec![],
            vec!["Resolved"],
        ),
        (
            "Claims",
            "q-claims",
            HOME,
            json!({}),
            vec![],
            vec!["Resolved"],
        ),
        (
            "Collections",
            "q-collections",
            HOME,
            json!({}),
            vec![],
            vec!["Resolved"],
        ),
        (
            "Escalations",
            "q-escalations",
            HOME,
            json!({}),
            vec![],
            vec!["Resolved"],
        ),
    ];
    for (name, id, division, extra, members, codes) in queues {
        live.queues.insert(
            name.into(),
            LiveQueue {
                id: id.into(),
                division_id: Some(division.into()),
                body: queue_body(id, name, division, extra),
                members: Some(members),
                wrapup_code_names: Default::default(),
                wrapup_code_ids: Some(codes.into_iter().map(code_id).collect()),
            },
        );
    }

    let users: [UserRow; 7] = [
        (
            "ana",
            "active",
            &[
                ("sk-billing", 5.0),
                ("sk-refunds", 3.0),
                ("sk-escalations", 1.0),
            ],
            &[("lang-en", 5.0), ("lang-es", 3.0)],
        ),
        (
            "bo",
            "active",
            &[("sk-billing", 4.0), ("sk-sales", 2.0)],
            &[("lang-en", 4.0)],
        ),
        (
            "cy",
            "active",
            &[("sk-tech", 3.5)],
            &[("lang-fr", 3.0), ("lang-en", 2.0)],
        ),
        (
            "dee",
            "active",
            &[("sk-billing", 2.5), ("sk-collections", 1.0)],
            &[("lang-es", 5.0)],
        ),
        ("eve", "inactive", &[("sk-billing", 3.0)], &[]),
        ("fay", "active", &[], &[("lang-en", 5.0)]),
        ("gus", "active", &[], &[]),
    ];
    live.org_utilization = Some(LiveUtilization {
        utilization: [(
            "call".to_string(),
            switchboard_manifest::live::LiveMediaUtilization {
                maximum_capacity: Some(1),
                ..Default::default()
            },
        )]
        .into_iter()
        .collect(),
        ..LiveUtilization::default()
    });
    with_routing_settings(&mut live);
    for (user, state, skills, languages) in users {
        let (id, name) = user_of(user);
        live.users.insert(
            format!("{user}@acme.com"),
            LiveUser {
                id: id.into(),
                name: Some(name.into()),
                state: state.into(),
                skills: skills.iter().map(|(k, v)| ((*k).into(), *v)).collect(),
                languages: languages.iter().map(|(k, v)| ((*k).into(), *v)).collect(),
                // Every agent's utilization is the org default here.
                utilization: Some(LiveUtilization {
                    utilization: [(
                        "chat".to_string(),
                        switchboard_manifest::live::LiveMediaUtilization {
                            maximum_capacity: Some(2),
                            interruptable_media_types: Some(Vec::new()),
                            include_non_acd: Some(false),
                        },
                    )]
                    .into_iter()
                    .collect(),
                    level: Some("Organization".into()),
                    ..LiveUtilization::default()
                }),
            },
        );
    }
    live
}

/// Utilization as read: dee has settings of her own, cy gets the org default (which has no
/// chat entry in this read), fay has her own, gus the org default.
fn with_capacities(live: &mut Live) {
    let own = |value: Value| -> LiveUtilization { serde_json::from_value(value).unwrap() };
    let reads = [
        (
            "dee",
            own(json!({
                "utilization": {
                    "call": {"maximumCapacity": 1, "interruptableMediaTypes": [], "includeNonAcd": false},
                    "chat": {"maximumCapacity": 2, "interruptableMediaTypes": ["email", "call"], "includeNonAcd": false},
                    "email": {"maximumCapacity": 1, "interruptableMediaTypes": [], "includeNonAcd": true},
                },
                "labelUtilizations": {"label-1": {"maximumCapacity": 1, "labelName": "VIP"}},
                "level": "Agent",
            })),
        ),
        (
            "cy",
            own(json!({"utilization": {"call": {"maximumCapacity": 1}}, "level": "Organization"})),
        ),
        ("fay", own(json!({"utilization": {}, "level": "Agent"}))),
        (
            "gus",
            own(json!({"utilization": {}, "level": "Organization"})),
        ),
    ];
    for (user, read) in reads {
        live.users
            .get_mut(&format!("{user}@acme.com"))
            .unwrap()
            .utilization = Some(read);
    }
}

/// The org's routing settings as a read gives them (the shared live org has them): every
/// part, transcription's threshold 50 and contact center's switch unset (`null`).
fn with_routing_settings(live: &mut Live) {
    let object = |value: Value| match value {
        Value::Object(map) => Some(map),
        _ => None,
    };
    live.routing_settings = Some(switchboard_manifest::live::LiveRoutingSettings {
        settings: object(json!({"resetAgentScoreOnPresenceChange": false})),
        contact_center: object(json!({"removeSkillsFromBlindTransfer": null})),
        transcription: object(json!({
            "transcription": "EnabledQueueFlow",
            "transcriptionConfidenceThreshold": 50,
            "piiRedactionEnabled": true,
        })),
    });
}

fn queue<'l>(live: &'l mut Live, name: &str) -> &'l mut LiveQueue {
    live.queues
        .get_mut(name)
        .unwrap_or_else(|| panic!("no live queue {name}"))
}

// ---------------------------------------------------------------------------------------
// Manifests
// ---------------------------------------------------------------------------------------

/// The org guard every case's manifest starts with.
const ORG: &str = "version: 1\norg: { name: Acme, id: 0a000000-0000-4000-8000-000000000001, region: mypurecloud.ie }\n";

/// A manifest that says exactly what [`base_live`] holds (with settings the org has but the
/// manifest does not set left unmanaged).
const MIRROR: &str = r#"
    scope: { divisions: [Home, Sales] }
    skills:
      - { name: Billing, division: Home }
      - { name: Refunds, division: Home }
      - { name: Collections, division: Home }
      - { name: Sales, division: Sales }
      - { name: Renewals, division: Sales }
      - { name: Tech Support, division: Home }
      - { name: Networking, division: Home }
      - { name: Hardware, division: Home }
      - { name: VIP, division: Home }
      - { name: Retention, division: Home }
      - { name: Claims, division: Home }
      - { name: Escalations, division: Home }
    languages: [{ name: English }, { name: Spanish }, { name: French }]
    wrapupCodes:
      - { name: Resolved, description: Issue solved on first contact, division: Home }
      - { name: Escalated, description: Handed to a supervisor, division: Home }
      - { name: Callback Requested, division: Home }
      - { name: Refund Issued, description: Money returned to the customer, division: Home }
      - { name: Sale Closed, division: Sales }
      - { name: Sale Lost, division: Sales }
      - { name: No Answer }
      - { name: Wrong Number }
      - { name: Transferred }
      - { name: Complaint, description: Customer complaint logged }
      - { name: Follow Up }
      - { name: Voicemail }
    queues:
      - name: Billing EN
        description: Billing questions in English
        division: Home
        mediaSettings:
          call: { alertingTimeoutSeconds: 8, serviceLevel: { percentage: 0.8, durationMs: 20000 }, enableAutoAnswer: false }
          chat: { alertingTimeoutSeconds: 30 }
        acwSettings: { wrapupPrompt: MANDATORY_TIMEOUT, timeoutMs: 120000 }
        skillEvaluationMethod: BEST
        routingRules:
          - { operator: MEETS_THRESHOLD, threshold: 9, waitSeconds: 30 }
          - { operator: ANY, waitSeconds: 60 }
        bullseye:
          rings:
            - { expansionTimeoutSeconds: 15, skillsToRemove: [Collections] }
            - { expansionTimeoutSeconds: 30 }
            - {}
        conditionalGroupRouting:
          rules:
            - metric: EstimatedWaitTime
              operator: GreaterThan
              conditionValue: 60
              waitSeconds: 20
              groups: [{ name: Billing Overflow, type: GROUP }]
        scoringMethod: TimestampAndPriority
        lastAgentRoutingMode: QueueMembersOnly
        enableTranscription: true
        queueFlow: { name: Billing In-Queue }
        wrapupCodes: { mode: authoritative, codes: [Resolved, Escalated, Callback Requested] }
        members:
          mode: authoritative
          users: [{ user: ana@acme.com }, { user: bo@acme.com, ring: 2 }]
      - name: Billing ES
        description: Billing questions in Spanish
        mediaSettings: { call: { alertingTimeoutSeconds: 8, serviceLevel: { percentage: 0.8, durationMs: 20000 } } }
        skillEvaluationMethod: BEST
        routingRules: [{ operator: MEETS_THRESHOLD, threshold: 7, waitSeconds: 30 }]
        bullseye: { rings: [{ expansionTimeoutSeconds: 15 }, { expansionTimeoutSeconds: 30 }, {}] }
        wrapupCodes: { mode: authoritative, codes: [Resolved, Escalated] }
        members: { mode: additive, users: [{ user: dee@acme.com }] }
      - name: Refunds EN
        description: Refunds
        wrapupCodes: { mode: authoritative, codes: [Refund Issued, Resolved] }
        members: { mode: authoritative, users: [{ user: ana@acme.com }] }
      - name: Sales EN
        division: Sales
        wrapupCodes: { mode: authoritative, codes: [Sale Closed, Sale Lost] }
        members: { mode: authoritative, users: [{ user: Bo@Acme.com }] }
      - name: Sales ES
        division: Sales
        wrapupCodes: { mode: authoritative, codes: [Sale Closed] }
        members: { mode: authoritative }
      - name: Support L1
        bullseye: { rings: [{ expansionTimeoutSeconds: 10 }, { expansionTimeoutSeconds: 20 }, {}] }
        members:
          mode: authoritative
          users: [{ user: ana@acme.com }, { user: bo@acme.com, ring: 2 }, { user: cy@acme.com, ring: 1 }]
      - { name: Support L2, skillEvaluationMethod: ALL, description: Support L2 queue }
      - { name: VIP, wrapupCodes: { mode: additive, codes: [Resolved] } }
      - { name: Retention, members: { mode: ignore } }
      - { name: Claims }
      - { name: Collections }
      - { name: Escalations }
    agents:
      - user: ana@acme.com
        skills: { mode: authoritative, proficiency: { Billing: 5, Refunds: 3, Escalations: 1 } }
        languages: { mode: authoritative, proficiency: { English: 5, Spanish: 3 } }
      - user: bo@acme.com
        skills: { mode: authoritative, proficiency: { Billing: 4, Sales: 2 } }
        languages: { mode: additive, proficiency: { English: 4 } }
      - user: cy@acme.com
        skills: { mode: authoritative, proficiency: { Tech Support: 3.5 } }
        languages: { mode: authoritative, proficiency: { French: 3, English: 2 } }
      - user: dee@acme.com
        skills: { mode: additive, proficiency: { Billing: 2.5, Collections: 1 } }
      - user: gus@acme.com
        skills: { mode: authoritative }
        languages: { mode: authoritative }
"#;

/// Removes the indentation the lines of `text` share, so YAML can sit indented in code.
fn dedent(text: &str) -> String {
    let indent = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    text.lines()
        .map(|l| if l.len() >= indent { &l[indent..] } else { "" })
        .map(|l| format!("{l}\n"))
        .collect()
}

/// The org guard followed by `body`.
fn manifest_text(body: &str) -> String {
    format!("{ORG}{}", dedent(body))
}

/// Loads a manifest as a user's would be, and insists it is valid without a single finding.
fn load(text: &str) -> Manifest {
    let loaded = switchboard_manifest::load_str("manifest.yaml", text);
    assert!(
        loaded.diagnostics.is_empty(),
        "the test manifest has findings:\n{}\n---\n{text}",
        loaded.findings_text()
    );
    loaded.manifest.expect("a manifest without findings loads")
}

// ---------------------------------------------------------------------------------------
// Reading a plan in assertions
// ---------------------------------------------------------------------------------------

/// `+ skill["Fraud"]`, `~ queue["X"] (refused: blast_radius)`: the plan in execution order.
fn outline(plan: &Plan) -> Vec<String> {
    plan.changes
        .iter()
        .map(|c| {
            let refused = c
                .refused
                .as_ref()
                .map(|r| {
                    format!(
                        " (refused: {})",
                        serde_json::to_value(r.reason).unwrap().as_str().unwrap()
                    )
                })
                .unwrap_or_default();
            format!("{} {}{refused}", c.action.symbol(), c.address)
        })
        .collect()
}

fn find<'p>(plan: &'p Plan, kind: ResourceKind, name: &str) -> &'p Change {
    plan.changes
        .iter()
        .find(|c| c.address.kind == kind && c.address.name == name)
        .unwrap_or_else(|| panic!("no change for {}", kind.describe(name)))
}

fn show(value: Option<&Value>) -> String {
    value.map_or_else(|| "_".into(), Value::to_string)
}

/// `path: before -> after` for every attribute (`_` for absent).
fn attributes(change: &Change) -> Vec<String> {
    change
        .attributes
        .iter()
        .map(|a| {
            format!(
                "{}: {} -> {}",
                a.path,
                show(a.before.as_ref()),
                show(a.after.as_ref())
            )
        })
        .collect()
}

/// `+ key before -> after` for every element (`_` for absent).
fn elements(change: &Change) -> Vec<String> {
    change
        .elements
        .iter()
        .map(|e| {
            format!(
                "{} {} {} -> {}",
                e.op.symbol(),
                e.key,
                show(e.before.as_ref()),
                show(e.after.as_ref())
            )
        })
        .collect()
}

fn element_id(change: &Change, key: &str) -> Option<String> {
    change
        .elements
        .iter()
        .find(|e| e.key == key)
        .unwrap_or_else(|| panic!("no element {key} in {}", change.address))
        .id
        .clone()
}

/// `subject: message` for every warning.
fn warnings(plan: &Plan) -> Vec<String> {
    plan.warnings
        .iter()
        .map(|w| format!("{}: {}", w.subject, w.message))
        .collect()
}

/// `wave N: step address` for every step.
fn waves(plan: &Plan) -> Vec<String> {
    plan.waves()
        .into_iter()
        .flat_map(|(wave, steps)| {
            steps.into_iter().map(move |(change, step)| {
                let step = serde_json::to_value(step).unwrap();
                format!(
                    "wave {}: {} {}",
                    wave.number(),
                    step.as_str().unwrap(),
                    change.address
                )
            })
        })
        .collect()
}

fn no_change_touches(plan: &Plan, kind: ResourceKind, name: &str) {
    assert!(
        !plan
            .changes
            .iter()
            .any(|c| c.address.kind == kind && c.address.name == name),
        "{} should not change: {:#?}",
        kind.describe(name),
        outline(plan)
    );
}

// ---------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------

struct Case {
    /// Also the snapshot's name: `diff__<name>.snap`.
    name: &'static str,
    /// The whole manifest.
    manifest: String,
    /// What this case changes in [`base_live`].
    live: fn(&mut Live),
    policy: Policy,
    /// The facts the case is about.
    check: fn(&Plan),
}

fn case(name: &'static str, body: &str, live: fn(&mut Live), check: fn(&Plan)) -> Case {
    Case {
        name,
        manifest: manifest_text(body),
        live,
        policy: Policy::default(),
        check,
    }
}

fn with_policy(mut case: Case, policy: Policy) -> Case {
    case.policy = policy;
    case
}

fn unchanged(_: &mut Live) {}

/// The four queue updates the blast-radius cases make (4 of 12 queues is 33 %).
const FOUR_QUEUE_UPDATES: &str = r#"
    queues:
      - { name: Support L2, description: Second-line support }
      - { name: VIP, description: Top-tier customers }
      - { name: Retention, description: Customers about to leave }
      - { name: Claims, description: Insurance claims }
"#;

const THREE_QUEUE_UPDATES: &str = r#"
    queues:
      - { name: Support L2, description: Second-line support }
      - { name: VIP, description: Top-tier customers }
      - { name: Retention, description: Customers about to leave }
"#;

fn cases() -> Vec<Case> {
    vec![
        // 1. No changes.
        case("no_changes", MIRROR, unchanged, |plan| {
            assert!(plan.is_empty());
            assert_eq!(outline(plan), Vec::<String>::new());
            assert_eq!(warnings(plan), Vec::<String>::new());
            assert_eq!(plan.summary(), Default::default());
            assert_eq!(plan.org.id, "0a000000-0000-4000-8000-000000000001");
            assert!(!plan.forced);
        }),
        // 2. Creates of every kind, with a new queue's collections.
        case(
            "creates",
            r#"
            scope: { divisions: [Home, Sales] }
            skills: [{ name: Fraud }]
            languages: [{ name: German }]
            wrapupCodes:
              - { name: Chargeback, description: Disputed card payment, division: Sales }
              - { name: Resolved }
            queues:
              - name: Fraud EN
                description: Suspected fraud and card disputes
                division: Home
                mediaSettings:
                  call: { alertingTimeoutSeconds: 10, serviceLevel: { percentage: 0.9, durationMs: 15000 } }
                acwSettings: { wrapupPrompt: MANDATORY_TIMEOUT, timeoutMs: 60000 }
                skillEvaluationMethod: BEST
                bullseye:
                  rings:
                    - { expansionTimeoutSeconds: 15, skillsToRemove: [Fraud] }
                    - { expansionTimeoutSeconds: 30 }
                    - {}
                conditionalGroupRouting:
                  rules:
                    - { metric: ServiceLevel, operator: LessThan, conditionValue: 0.7, groups: [{ name: Fraud Overflow, type: TEAM }] }
                wrapupCodes: { mode: authoritative, codes: [Chargeback, Resolved] }
                members:
                  mode: authoritative
                  users: [{ user: ana@acme.com }, { user: bo@acme.com, ring: 2 }, { user: Gus@Acme.com }]
            "#,
            unchanged,
            |plan| {
                assert_eq!(
                    outline(plan),
                    [
                        r#"+ skill["Fraud"]"#,
                        r#"+ language["German"]"#,
                        r#"+ wrapup_code["Chargeback"]"#,
                        r#"+ queue["Fraud EN"]"#,
                        r#"+ queue_wrapup_codes["Fraud EN"]"#,
                        r#"+ queue_members["Fraud EN"]"#,
                    ]
                );
                assert_eq!(
                    attributes(find(plan, ResourceKind::Skill, "Fraud")),
                    [r#"name: _ -> "Fraud""#]
                );
                assert_eq!(
                    attributes(find(plan, ResourceKind::Language, "German")),
                    [r#"name: _ -> "German""#]
                );
                assert_eq!(
                    attributes(find(plan, ResourceKind::WrapupCode, "Chargeback")),
                    [
                        r#"name: _ -> "Chargeback""#,
                        r#"description: _ -> "Disputed card payment""#,
                        r#"division: _ -> "Sales""#,
                    ]
                );
                let queue = find(plan, ResourceKind::Queue, "Fraud EN");
                assert_eq!(queue.id, None);
                assert_eq!(queue.fingerprint, None);
                assert_eq!(
                    attributes(queue),
                    [
                        r#"name: _ -> "Fraud EN""#,
                        "acwSettings.timeoutMs: _ -> 60000",
                        r#"acwSettings.wrapupPrompt: _ -> "MANDATORY_TIMEOUT""#,
                        r#"bullseye.rings: _ -> [{"expansionTimeoutSeconds":15,"skillsToRemove":["Fraud"]},{"expansionTimeoutSeconds":30},{}]"#,
                        r#"conditionalGroupRouting.rules: _ -> [{"conditionValue":0.7,"groups":[{"name":"Fraud Overflow","type":"TEAM"}],"metric":"ServiceLevel","operator":"LessThan","queue":"Fraud EN"}]"#,
                        r#"description: _ -> "Suspected fraud and card disputes""#,
                        r#"division: _ -> "Home""#,
                        "mediaSettings.call.alertingTimeoutSeconds: _ -> 10",
                        "mediaSettings.call.serviceLevel.durationMs: _ -> 15000",
                        "mediaSettings.call.serviceLevel.percentage: _ -> 0.9",
                        r#"skillEvaluationMethod: _ -> "BEST""#,
                    ]
                );
                let members = find(plan, ResourceKind::QueueMembers, "Fraud EN");
                assert_eq!(members.action, Action::Create);
                assert_eq!(
                    members.mode,
                    Some(switchboard_manifest::model::Mode::Authoritative)
                );
                assert_eq!(
                    elements(members),
                    [
                        "+ ana@acme.com _ -> 1",
                        "+ bo@acme.com _ -> 2",
                        "+ gus@acme.com _ -> 1",
                    ]
                );
                assert_eq!(
                    element_id(members, "gus@acme.com").as_deref(),
                    Some("u-gus")
                );
                let codes = find(plan, ResourceKind::QueueWrapupCodes, "Fraud EN");
                assert_eq!(codes.action, Action::Create);
                assert_eq!(
                    elements(codes),
                    ["+ Chargeback _ -> _", "+ Resolved _ -> _"]
                );
                // A code being created has no id yet; an existing one is referred to by its id.
                assert_eq!(element_id(codes, "Chargeback"), None);
                assert_eq!(
                    element_id(codes, "Resolved").as_deref(),
                    Some("wc-resolved")
                );
                assert_eq!(
                    waves(plan),
                    [
                        r#"wave 1: create skill["Fraud"]"#,
                        r#"wave 1: create language["German"]"#,
                        r#"wave 1: create wrapup_code["Chargeback"]"#,
                        r#"wave 3: create queue["Fraud EN"]"#,
                        r#"wave 4: create queue_wrapup_codes["Fraud EN"]"#,
                        r#"wave 4: create queue_members["Fraud EN"]"#,
                    ]
                );
                let summary = plan.summary();
                assert_eq!((summary.add, summary.change, summary.destroy), (6, 0, 0));
            },
        ),
        // 3. Updates: scalar, nested, array, description; unmanaged settings are left alone.
        case(
            "updates",
            r#"
            skills: [{ name: Collections }]
            wrapupCodes:
              - { name: Resolved, description: Solved on first contact }
              - { name: Escalated, description: Handed to a supervisor }
            queues:
              - name: Billing EN
                description: Billing questions (English)
                skillEvaluationMethod: ALL
                mediaSettings:
                  call: { alertingTimeoutSeconds: 12, serviceLevel: { percentage: 0.8, durationMs: 20000 } }
                acwSettings: { wrapupPrompt: MANDATORY_TIMEOUT, timeoutMs: 120000 }
                bullseye:
                  rings:
                    - { expansionTimeoutSeconds: 20, skillsToRemove: [Collections] }
                    - { expansionTimeoutSeconds: 30 }
                    - {}
            "#,
            |live| {
                // Drift in settings the manifest does not set: not the plan's business.
                let body = &mut queue(live, "Billing EN").body;
                body["scoringMethod"] = json!("PriorityOnly");
                body["mediaSettings"]["call"]["enableAutoAnswer"] = json!(true);
                body["mediaSettings"]["chat"]["alertingTimeoutSeconds"] = json!(45);
                body["acwSettings"]["extra"] = json!("unknown to switchboard");
            },
            |plan| {
                assert_eq!(
                    outline(plan),
                    [r#"~ wrapup_code["Resolved"]"#, r#"~ queue["Billing EN"]"#]
                );
                let code = find(plan, ResourceKind::WrapupCode, "Resolved");
                assert_eq!(code.id.as_deref(), Some("wc-resolved"));
                assert_eq!(
                    attributes(code),
                    [
                        r#"description: "Issue solved on first contact" -> "Solved on first contact""#
                    ]
                );
                let queue = find(plan, ResourceKind::Queue, "Billing EN");
                assert_eq!(queue.action, Action::Update);
                assert_eq!(queue.id.as_deref(), Some("q-billing-en"));
                assert_eq!(
                    attributes(queue),
                    [
                        r#"bullseye.rings: [{"expansionTimeoutSeconds":15,"skillsToRemove":["Collections"]},{"expansionTimeoutSeconds":30},{}] -> [{"expansionTimeoutSeconds":20,"skillsToRemove":["Collections"]},{"expansionTimeoutSeconds":30},{}]"#,
                        r#"description: "Billing questions in English" -> "Billing questions (English)""#,
                        "mediaSettings.call.alertingTimeoutSeconds: 8 -> 12",
                        r#"skillEvaluationMethod: "BEST" -> "ALL""#,
                    ]
                );
                // acwSettings.timeoutMs, acwSettings.wrapupPrompt, serviceLevel.durationMs and
                // serviceLevel.percentage are as the manifest says.
                assert_eq!(queue.unchanged, 4);
                for path in [
                    "scoringMethod",
                    "mediaSettings.call.enableAutoAnswer",
                    "mediaSettings.chat",
                    "acwSettings.extra",
                ] {
                    assert!(
                        !queue.attributes.iter().any(|a| a.path.starts_with(path)),
                        "{path} is not set in the manifest and must not be in the plan"
                    );
                }
                assert!(
                    queue
                        .fingerprint
                        .as_deref()
                        .is_some_and(|f| f.starts_with("sha256:")),
                    "an update carries the live object's fingerprint"
                );
            },
        ),
        // 3b. 15 and 15.0 are the same number, whichever side spells it which way.
        case(
            "number_spelling",
            r#"
            queues:
              - name: Billing ES
                mediaSettings: { call: { alertingTimeoutSeconds: 8, serviceLevel: { percentage: 0.8, durationMs: 20000 } } }
                acwSettings: { wrapupPrompt: MANDATORY_TIMEOUT, timeoutMs: 90000 }
                routingRules: [{ operator: MEETS_THRESHOLD, threshold: 7, waitSeconds: 30 }]
                bullseye: { rings: [{ expansionTimeoutSeconds: 15 }, { expansionTimeoutSeconds: 30.0 }, {}] }
              - name: Billing EN
                bullseye:
                  rings: [{ expansionTimeoutSeconds: 15.0 }, { expansionTimeoutSeconds: 30 }, {}]
                routingRules:
                  - { operator: MEETS_THRESHOLD, threshold: 9, waitSeconds: 30.0 }
                  - { operator: ANY, waitSeconds: 60 }
            "#,
            |live| {
                queue(live, "Billing ES").body["acwSettings"] =
                    json!({"wrapupPrompt": "MANDATORY_TIMEOUT", "timeoutMs": 90000.0});
                // Billing EN's first ring without its skillsToRemove, so the rings compare.
                queue(live, "Billing EN").body["bullseye"] = api_bullseye(&[
                    (Some(json!(15)), &[]),
                    (Some(json!(30.0)), &[]),
                    (None, &[]),
                ]);
            },
            |plan| {
                assert!(plan.is_empty(), "{:#?}", outline(plan));
                assert!(plan.changes.is_empty());
            },
        ),
        // 4. Division changes.
        case(
            "division_changes",
            r#"
            scope: { divisions: [Home, Sales] }
            skills: [{ name: Tech Support, division: Sales }, { name: Sales, division: Sales }]
            wrapupCodes: [{ name: No Answer, division: Sales }, { name: Sale Lost, division: Sales }]
            queues: [{ name: Support L1, division: Sales }, { name: Sales EN, division: Sales }]
            "#,
            unchanged,
            |plan| {
                assert_eq!(
                    outline(plan),
                    [
                        r#"~ skill["Tech Support"]"#,
                        r#"~ wrapup_code["No Answer"]"#,
                        r#"~ queue["Support L1"]"#,
                    ]
                );
                for (kind, name) in [
                    (ResourceKind::Skill, "Tech Support"),
                    (ResourceKind::WrapupCode, "No Answer"),
                    (ResourceKind::Queue, "Support L1"),
                ] {
                    assert_eq!(
                        attributes(find(plan, kind, name)),
                        [r#"division: "Home" -> "Sales""#],
                        "{}",
                        kind.describe(name)
                    );
                }
            },
        ),
        // 5. Members.
        case(
            "members_authoritative",
            r#"
            queues:
              - name: Support L1
                bullseye: { rings: [{ expansionTimeoutSeconds: 10 }, { expansionTimeoutSeconds: 20 }, {}] }
                members:
                  mode: authoritative
                  users:
                    - { user: ana@acme.com }
                    - { user: bo@acme.com, ring: 3 }
                    - { user: gus@acme.com }
                    - { user: fay@acme.com, ring: 2 }
            "#,
            unchanged,
            |plan| {
                assert_eq!(outline(plan), [r#"~ queue_members["Support L1"]"#]);
                let members = find(plan, ResourceKind::QueueMembers, "Support L1");
                assert_eq!(
                    members.mode,
                    Some(switchboard_manifest::model::Mode::Authoritative)
                );
                assert_eq!(members.id.as_deref(), Some("q-support-l1"));
                // ana (no ring given: ring 1) is already in ring 1; fay is a member only
                // through a group, so she is neither added, re-ringed nor removed; cy is not
                // listed and goes (the member listing has no email for cy: the users map
                // names the element).
                assert_eq!(
                    elements(members),
                    [
                        "+ gus@acme.com _ -> 1",
                        "~ bo@acme.com 2 -> 3",
                        "- cy@acme.com 1 -> _",
                    ]
                );
                assert_eq!(element_id(members, "cy@acme.com").as_deref(), Some("u-cy"));
                assert_eq!(members.unchanged, 1);
                assert_eq!(
                    warnings(plan),
                    [
                        r#"members of queue "Support L1": user fay@acme.com is a member through a group; switchboard does not add or change group members"#
                    ]
                );
                assert!(plan.has_deletions());
            },
        ),
        case(
            "members_additive",
            r#"
            queues:
              - name: Support L1
                bullseye: { rings: [{ expansionTimeoutSeconds: 10 }, { expansionTimeoutSeconds: 20 }, {}] }
                members:
                  mode: additive
                  users: [{ user: bo@acme.com, ring: 3 }, { user: gus@acme.com }]
            "#,
            unchanged,
            |plan| {
                let members = find(plan, ResourceKind::QueueMembers, "Support L1");
                assert_eq!(
                    members.mode,
                    Some(switchboard_manifest::model::Mode::Additive)
                );
                assert_eq!(
                    elements(members),
                    ["+ gus@acme.com _ -> 1", "~ bo@acme.com 2 -> 3"]
                );
                assert!(
                    !plan.has_deletions(),
                    "additive never removes ana, cy or fay"
                );
            },
        ),
        case(
            "collections_ignored",
            r#"
            queues:
              - name: Support L1
                members: { mode: ignore }
              - name: Billing EN
                members: { mode: ignore }
                wrapupCodes: { mode: ignore }
            agents:
              - user: ana@acme.com
                skills: { mode: ignore }
                languages: { mode: ignore }
            "#,
            |live| {
                // Not read for `ignore` (as fetch does) ...
                queue(live, "Support L1").members = None;
                // ... or read, and different from anything a manifest could say.
                queue(live, "Billing EN")
                    .members
                    .as_mut()
                    .unwrap()
                    .push(member("gus", 1));
                queue(live, "Billing EN")
                    .wrapup_code_ids
                    .as_mut()
                    .unwrap()
                    .insert("wc-voicemail".into());
            },
            |plan| {
                assert!(plan.changes.is_empty(), "{:#?}", outline(plan));
                assert_eq!(warnings(plan), Vec::<String>::new());
            },
        ),
        case(
            "members_weighted",
            r#"
            queues:
              - name: Support L1
                bullseye: { rings: [{ expansionTimeoutSeconds: 10 }, { expansionTimeoutSeconds: 20 }, {}] }
                members:
                  mode: authoritative
                  users:
                    - { user: ana@acme.com, weight: 0.5 }
                    - { user: bo@acme.com, weight: 0.3 }
                    - { user: cy@acme.com, weight: 0.2 }
                    - { user: gus@acme.com, weight: 0 }
            "#,
            unchanged,
            |plan| {
                let members = find(plan, ResourceKind::QueueMembers, "Support L1");
                // 0.5 → ring 1 (ana, as live), 0.3 → ring 2 (bo, as live), 0.2 → ring 2,
                // 0 → ring 3 (the outermost).
                assert_eq!(
                    elements(members),
                    ["+ gus@acme.com _ -> 3", "~ cy@acme.com 1 -> 2"]
                );
                assert_eq!(members.unchanged, 2);
                let notes: Vec<_> = members.elements.iter().map(|e| e.note.as_deref()).collect();
                assert_eq!(
                    notes,
                    [
                        Some("weight 0 realised as ring 3"),
                        Some("weight 0.2 realised as ring 2")
                    ]
                );
            },
        ),
        // 6. Queue wrap-up codes.
        case(
            "queue_wrapup_codes_authoritative",
            r#"
            wrapupCodes: [{ name: Resolved }, { name: Refund Issued }, { name: Goodwill Credit }]
            queues:
              - name: Billing EN
                wrapupCodes: { mode: authoritative, codes: [Resolved, Refund Issued, Goodwill Credit] }
            "#,
            unchanged,
            |plan| {
                assert_eq!(
                    outline(plan),
                    [
                        r#"+ wrapup_code["Goodwill Credit"]"#,
                        r#"~ queue_wrapup_codes["Billing EN"]"#
                    ]
                );
                let codes = find(plan, ResourceKind::QueueWrapupCodes, "Billing EN");
                assert_eq!(
                    elements(codes),
                    [
                        "+ Goodwill Credit _ -> _",
                        "+ Refund Issued _ -> _",
                        "- Callback Requested _ -> _",
                        "- Escalated _ -> _",
                    ]
                );
                assert_eq!(element_id(codes, "Goodwill Credit"), None);
                assert_eq!(
                    element_id(codes, "Refund Issued").as_deref(),
                    Some("wc-refund")
                );
                assert_eq!(
                    element_id(codes, "Escalated").as_deref(),
                    Some("wc-escalated")
                );
                assert_eq!(codes.unchanged, 1);
                assert_eq!(
                    waves(plan),
                    [
                        r#"wave 1: create wrapup_code["Goodwill Credit"]"#,
                        r#"wave 4: update queue_wrapup_codes["Billing EN"]"#,
                    ]
                );
            },
        ),
        case(
            "queue_wrapup_codes_additive",
            r#"
            wrapupCodes: [{ name: Resolved }, { name: Refund Issued }]
            queues:
              - name: Billing EN
                wrapupCodes: { mode: additive, codes: [Resolved, Refund Issued] }
            "#,
            unchanged,
            |plan| {
                assert_eq!(outline(plan), [r#"~ queue_wrapup_codes["Billing EN"]"#]);
                let codes = find(plan, ResourceKind::QueueWrapupCodes, "Billing EN");
                assert_eq!(elements(codes), ["+ Refund Issued _ -> _"]);
                assert_eq!(
                    codes.mode,
                    Some(switchboard_manifest::model::Mode::Additive)
                );
            },
        ),
        // 7. Agents' skills and languages.
        case(
            "agents_authoritative",
            r#"
            skills: [{ name: Billing }, { name: Refunds }, { name: VIP }, { name: Tech Support }]
            languages: [{ name: English }, { name: Spanish }, { name: French }]
            agents:
              - user: ana@acme.com
                skills: { mode: authoritative, proficiency: { Billing: 4, Refunds: 3, VIP: 2 } }
                languages: { mode: authoritative, proficiency: { English: 5, Spanish: 3.4 } }
              - user: Bo@Acme.com
                languages: { mode: authoritative, proficiency: { English: 4.6 } }
              - user: cy@acme.com
                skills: { mode: authoritative, proficiency: { Tech Support: 3.4 } }
                languages: { mode: authoritative, proficiency: { French: 3.4 } }
            "#,
            unchanged,
            |plan| {
                assert_eq!(
                    outline(plan),
                    [
                        r#"~ agent_skills["ana@acme.com"]"#,
                        r#"~ agent_skills["cy@acme.com"]"#,
                        r#"~ agent_languages["bo@acme.com"]"#,
                        r#"~ agent_languages["cy@acme.com"]"#,
                    ]
                );
                let ana = find(plan, ResourceKind::AgentSkills, "ana@acme.com");
                assert_eq!(ana.id.as_deref(), Some("u-ana"));
                assert_eq!(
                    elements(ana),
                    ["+ VIP _ -> 2", "~ Billing 5 -> 4", "- Escalations 1 -> _"]
                );
                assert_eq!(element_id(ana, "VIP").as_deref(), Some("sk-vip"));
                assert_eq!(
                    element_id(ana, "Escalations").as_deref(),
                    Some("sk-escalations")
                );
                assert_eq!(ana.unchanged, 1);
                // Languages round: Spanish 3.4 is the 3 the org holds, so ana's languages
                // do not change; bo's English 4.6 rounds to 5, not the 4 held.
                no_change_touches(plan, ResourceKind::AgentLanguages, "ana@acme.com");
                assert_eq!(
                    elements(find(plan, ResourceKind::AgentLanguages, "bo@acme.com")),
                    ["~ English 4 -> 4.6"]
                );
                // Skills are exact: 3.4 is not cy's 3.5.
                assert_eq!(
                    elements(find(plan, ResourceKind::AgentSkills, "cy@acme.com")),
                    ["~ Tech Support 3.5 -> 3.4"]
                );
                let cy = find(plan, ResourceKind::AgentLanguages, "cy@acme.com");
                assert_eq!(elements(cy), ["- English 2 -> _"]);
                assert_eq!(cy.unchanged, 1);
            },
        ),
        case(
            "agents_additive",
            r#"
            skills: [{ name: Billing }, { name: VIP }]
            languages: [{ name: English }]
            agents:
              - user: dee@acme.com
                skills: { mode: additive, proficiency: { Billing: 2.5, VIP: 1 } }
                languages: { mode: additive, proficiency: { English: 2 } }
            "#,
            unchanged,
            |plan| {
                assert_eq!(
                    outline(plan),
                    [
                        r#"~ agent_skills["dee@acme.com"]"#,
                        r#"~ agent_languages["dee@acme.com"]"#
                    ]
                );
                let skills = find(plan, ResourceKind::AgentSkills, "dee@acme.com");
                assert_eq!(
                    skills.mode,
                    Some(switchboard_manifest::model::Mode::Additive)
                );
                assert_eq!(elements(skills), ["+ VIP _ -> 1"], "Collections is kept");
                assert_eq!(
                    elements(find(plan, ResourceKind::AgentLanguages, "dee@acme.com")),
                    ["+ English _ -> 2"],
                    "Spanish is kept"
                );
                assert!(!plan.has_deletions());
            },
        ),
        // Agents' capacity: keyed field changes, the level, and read-modify-write's input.
        case(
            "agents_capacity",
            r#"
            agents:
              - user: dee@acme.com
                capacity:
                  mode: authoritative
                  chat: { maximumCapacity: 3, interruptableMediaTypes: [call] }
                  email: { maximumCapacity: 1 }
                  maxInboundCalls: 2
              - user: cy@acme.com
                capacity: { mode: additive, chat: { maximumCapacity: 4 } }
              - user: fay@acme.com
                capacity: { mode: orgDefault }
              - user: gus@acme.com
                capacity: { mode: orgDefault }
              - user: eve@acme.com
                capacity: { mode: orgDefault }
            "#,
            with_capacities,
            |plan| {
                assert_eq!(
                    outline(plan),
                    [
                        r#"~ agent_capacity["cy@acme.com"]"#,
                        r#"~ agent_capacity["dee@acme.com"]"#,
                        r#"~ agent_capacity["fay@acme.com"]"#,
                    ],
                    "gus already uses the org default; eve is inactive"
                );
                let dee = find(plan, ResourceKind::AgentCapacity, "dee@acme.com");
                assert_eq!(
                    attributes(dee),
                    [
                        "chat.interruptableMediaTypes: [\"call\",\"email\"] -> [\"call\"]",
                        "chat.maximumCapacity: 2 -> 3",
                        "email.includeNonAcd: true -> false",
                        "maxInboundCalls: _ -> 2",
                    ],
                    "authoritative: what a listed media type leaves out is the API's empty value; call is not listed, so not shown"
                );
                assert_eq!(
                    dee.unchanged, 4,
                    "email's capacity and interruptions, chat's includeNonAcd, and the level"
                );
                let cy = find(plan, ResourceKind::AgentCapacity, "cy@acme.com");
                assert_eq!(
                    attributes(cy),
                    [
                        "chat.maximumCapacity: _ -> 4",
                        "level: \"Organization\" -> \"Agent\"",
                    ],
                    "additive sets only what is written; the agent gets settings of its own"
                );
                let fay = find(plan, ResourceKind::AgentCapacity, "fay@acme.com");
                assert_eq!(attributes(fay), ["level: \"Agent\" -> \"Organization\""]);
                assert!(!plan.has_deletions());
                assert!(warnings(plan).iter().any(|w| w.contains("eve@acme.com")));
            },
        ),
        // 8. Inactive and unknown users.
        case(
            "inactive_and_unknown_users",
            r#"
            skills: [{ name: Billing }]
            queues:
              - name: Billing ES
                bullseye: { rings: [{ expansionTimeoutSeconds: 15 }, { expansionTimeoutSeconds: 30 }, {}] }
                members:
                  mode: authoritative
                  users:
                    - { user: dee@acme.com }
                    - { user: eve@acme.com, ring: 2 }
                    - { user: nobody@acme.com }
                    - { user: gus@acme.com }
            agents:
              - user: eve@acme.com
                skills: { mode: authoritative }
              - user: nobody@acme.com
                skills: { mode: authoritative, proficiency: { Billing: 3 } }
            "#,
            |live| {
                live.unknown_users.insert("nobody@acme.com".into());
            },
            |plan| {
                // The plan is still made: gus is added, eve (inactive, listed) keeps her ring
                // and her membership although the list is authoritative, and her skills stay.
                assert_eq!(outline(plan), [r#"~ queue_members["Billing ES"]"#]);
                let members = find(plan, ResourceKind::QueueMembers, "Billing ES");
                assert_eq!(elements(members), ["+ gus@acme.com _ -> 1"]);
                assert_eq!(members.unchanged, 1);
                assert_eq!(
                    warnings(plan),
                    [
                        "agent eve@acme.com: user eve@acme.com is inactive; skipped",
                        "agent nobody@acme.com: no user has the email nobody@acme.com; skipped",
                        r#"members of queue "Billing ES": no user has the email nobody@acme.com, so it is not a member and cannot be added; skipped"#,
                        r#"members of queue "Billing ES": user eve@acme.com is inactive; skipped"#,
                    ]
                );
                assert!(!plan.has_deletions());
                assert_eq!(plan.summary().warnings, 4);
            },
        ),
        // 9. Renames.
        case(
            "queue_rename",
            r#"
            queues:
              - name: Support Tier 1
                renamedFrom: [Support L1]
                bullseye: { rings: [{ expansionTimeoutSeconds: 10 }, { expansionTimeoutSeconds: 20 }, {}] }
                members:
                  mode: authoritative
                  users:
                    - { user: ana@acme.com }
                    - { user: bo@acme.com, ring: 2 }
                    - { user: cy@acme.com }
                    - { user: gus@acme.com }
            "#,
            unchanged,
            |plan| {
                assert_eq!(
                    outline(plan),
                    [
                        r#"~ queue["Support Tier 1"]"#,
                        r#"~ queue_members["Support Tier 1"]"#
                    ]
                );
                let queue = find(plan, ResourceKind::Queue, "Support Tier 1");
                assert_eq!(queue.id.as_deref(), Some("q-support-l1"));
                assert_eq!(queue.renamed_from.as_deref(), Some("Support L1"));
                assert_eq!(
                    attributes(queue),
                    [r#"name: "Support L1" -> "Support Tier 1""#]
                );
                assert_eq!(queue.unchanged, 1);
                // The members are those of the queue under its old name.
                let members = find(plan, ResourceKind::QueueMembers, "Support Tier 1");
                assert_eq!(members.id.as_deref(), Some("q-support-l1"));
                assert_eq!(elements(members), ["+ gus@acme.com _ -> 1"]);
                assert_eq!(members.unchanged, 3);
                let live = base_live();
                assert_eq!(
                    members.fingerprint,
                    fingerprint::of_live(&live, &members.address, "Support L1")
                );
                assert_eq!(
                    queue.fingerprint,
                    fingerprint::of_live(&live, &queue.address, "Support L1")
                );
            },
        ),
        case(
            "queue_rename_with_group_routing",
            r#"
            queues:
              - name: Billing English
                renamedFrom: [Billing EN]
                conditionalGroupRouting:
                  rules:
                    - metric: EstimatedWaitTime
                      operator: GreaterThan
                      conditionValue: 60
                      waitSeconds: 20
                      groups: [{ name: Billing Overflow, type: GROUP }]
              - name: Billing ES
                conditionalGroupRouting:
                  rules:
                    - queue: Billing English
                      metric: EstimatedWaitTime
                      operator: GreaterThan
                      conditionValue: 120
                      groups: [{ name: Billing Overflow, type: GROUP }]
            "#,
            |live| {
                // Billing ES overflows when Billing EN (by id) waits too long.
                queue(live, "Billing ES").body["conditionalGroupRouting"] = json!({"rules": [{
                    "queue": {"id": "q-billing-en", "selfUri": "/api/v2/routing/queues/q-billing-en"},
                    "metric": "EstimatedWaitTime",
                    "operator": "GreaterThan",
                    "conditionValue": 120,
                    "groups": [{"id": "grp-billing-overflow", "name": "Billing Overflow", "type": "GROUP"}]
                }]});
            },
            |plan| {
                // The rules point at the queue by id: renaming it changes no rule.
                assert_eq!(outline(plan), [r#"~ queue["Billing English"]"#]);
                let queue = find(plan, ResourceKind::Queue, "Billing English");
                assert_eq!(
                    attributes(queue),
                    [r#"name: "Billing EN" -> "Billing English""#]
                );
                assert_eq!(queue.unchanged, 1);
            },
        ),
        case(
            "wrapup_code_rename",
            r#"
            wrapupCodes:
              - { name: Resolved - First Contact, renamedFrom: [Resolved], description: Issue solved on first contact }
              - { name: Escalated }
              - { name: Callback Requested }
            queues:
              - name: Billing EN
                wrapupCodes: { mode: authoritative, codes: [Resolved - First Contact, Escalated, Callback Requested] }
            "#,
            unchanged,
            |plan| {
                // The queue already has the code (by id): no queue wrap-up code change.
                assert_eq!(
                    outline(plan),
                    [r#"~ wrapup_code["Resolved - First Contact"]"#]
                );
                let code = find(plan, ResourceKind::WrapupCode, "Resolved - First Contact");
                assert_eq!(code.id.as_deref(), Some("wc-resolved"));
                assert_eq!(code.renamed_from.as_deref(), Some("Resolved"));
                assert_eq!(
                    attributes(code),
                    [r#"name: "Resolved" -> "Resolved - First Contact""#]
                );
                assert_eq!(code.unchanged, 1);
            },
        ),
        case(
            "rename_from_absent_creates",
            r#"
            skills: [{ name: Mortgage Advice, renamedFrom: [Loans Advice] }]
            wrapupCodes: [{ name: Goodwill, renamedFrom: [Courtesy] }]
            queues: [{ name: Mortgages, renamedFrom: [Loans] }]
            "#,
            unchanged,
            |plan| {
                assert_eq!(
                    outline(plan),
                    [
                        r#"+ skill["Mortgage Advice"]"#,
                        r#"+ wrapup_code["Goodwill"]"#,
                        r#"+ queue["Mortgages"]"#,
                    ]
                );
                assert!(
                    plan.changes
                        .iter()
                        .all(|c| c.renamed_from.is_none() && c.id.is_none())
                );
            },
        ),
        // 10. Skill replace.
        case(
            "skill_replace",
            r#"
            skills: [{ name: Billing Support, renamedFrom: [Billing] }, { name: Sales }]
            agents:
              - user: ana@acme.com
                skills: { mode: additive, proficiency: { Billing Support: 5 } }
              - user: bo@acme.com
                skills: { mode: authoritative, proficiency: { Billing Support: 4, Sales: 2 } }
            "#,
            unchanged,
            |plan| {
                // ana and bo list the new skill at the proficiency they hold the old one:
                // the move gives it to them, nothing is added twice.
                assert_eq!(outline(plan), [r#"-/+ skill["Billing Support"]"#]);
                let skill = find(plan, ResourceKind::Skill, "Billing Support");
                assert_eq!(skill.action, Action::Replace);
                assert_eq!(skill.id.as_deref(), Some("sk-billing"));
                assert_eq!(skill.renamed_from.as_deref(), Some("Billing"));
                assert_eq!(
                    attributes(skill),
                    [r#"name: "Billing" -> "Billing Support""#]
                );
                // Every live holder of the old skill, the inactive eve included.
                assert_eq!(
                    elements(skill),
                    [
                        "+ ana@acme.com _ -> 5",
                        "+ bo@acme.com _ -> 4",
                        "+ dee@acme.com _ -> 2.5",
                        "+ eve@acme.com _ -> 3",
                    ]
                );
                assert!(
                    skill
                        .elements
                        .iter()
                        .all(|e| e.note.as_deref() == Some(r#"moved from skill "Billing""#))
                );
                assert_eq!(element_id(skill, "eve@acme.com").as_deref(), Some("u-eve"));
                assert_eq!(
                    waves(plan),
                    [
                        r#"wave 1: create skill["Billing Support"]"#,
                        r#"wave 4: move_assignments skill["Billing Support"]"#,
                        r#"wave 7: delete skill["Billing Support"]"#,
                    ]
                );
                let json: Value = serde_json::from_str(&document::json(plan)).unwrap();
                assert_eq!(
                    json["resource_changes"][0]["actions"],
                    json!(["delete", "create"])
                );
                let summary = plan.summary();
                assert_eq!((summary.add, summary.change, summary.destroy), (1, 0, 1));
                assert!(plan.has_deletions());
            },
        ),
        case(
            "routing_rules_cleared",
            r#"
            queues:
              - { name: Billing ES, routingRules: [] }
              - { name: Support L1, routingRules: [] }
            "#,
            unchanged,
            |plan| {
                // An empty list written on purpose clears the live one; where there is
                // none live, it is already right.
                assert_eq!(outline(plan), [r#"~ queue["Billing ES"]"#]);
                assert_eq!(
                    attributes(find(plan, ResourceKind::Queue, "Billing ES")),
                    [
                        r#"routingRules: [{"operator":"MEETS_THRESHOLD","threshold":7,"waitSeconds":30}] -> []"#
                    ]
                );
            },
        ),
        case(
            "refused_replace_refuses_its_dependents",
            r#"
            protect: ["skill:Billing"]
            skills: [{ name: Billing Support, renamedFrom: [Billing] }]
            queues:
              - name: Support L1
                bullseye:
                  rings:
                    - { expansionTimeoutSeconds: 10, skillsToRemove: [Billing Support] }
                    - { expansionTimeoutSeconds: 20 }
                    - {}
            agents:
              - user: ana@acme.com
                skills: { mode: additive, proficiency: { Billing Support: 3 } }
            "#,
            unchanged,
            |plan| {
                // The old skill is protected, so the new one is never made: what needs it
                // is refused too, instead of failing half-way through an apply.
                assert_eq!(
                    outline(plan),
                    [
                        r#"-/+ skill["Billing Support"] (refused: protected)"#,
                        r#"~ queue["Support L1"] (refused: dependency)"#,
                        r#"~ agent_skills["ana@acme.com"] (refused: dependency)"#,
                    ]
                );
                assert!(plan.is_empty());
            },
        ),
        case(
            "former_name_still_live",
            r#"
            queues:
              - { name: Billing EN, renamedFrom: [Billing ES] }
            "#,
            unchanged,
            |plan| {
                assert!(plan.changes.is_empty());
                assert_eq!(
                    warnings(plan),
                    [
                        r#"queue "Billing EN": queue "Billing ES", a former name, still exists beside it; it is left as it is (with `prune.queues` it is deleted)"#
                    ]
                );
            },
        ),
        case(
            "skill_replace_with_agent_changes",
            r#"
            skills: [{ name: Billing Support, renamedFrom: [Billing] }, { name: Sales }]
            agents:
              - user: dee@acme.com
                skills: { mode: additive, proficiency: { Billing Support: 3 } }
              - user: bo@acme.com
                skills: { mode: authoritative, proficiency: { Sales: 2 } }
            "#,
            unchanged,
            |plan| {
                assert_eq!(
                    outline(plan),
                    [
                        r#"-/+ skill["Billing Support"]"#,
                        r#"~ agent_skills["bo@acme.com"]"#,
                        r#"~ agent_skills["dee@acme.com"]"#,
                    ]
                );
                // After the move, dee holds the new skill at 2.5 and bo holds it at 4: the
                // agents' changes are about the new skill, which has no id before apply
                // creates it (never the old skill's id, which the replace deletes).
                let dee = find(plan, ResourceKind::AgentSkills, "dee@acme.com");
                assert_eq!(elements(dee), ["~ Billing Support 2.5 -> 3"]);
                assert_eq!(element_id(dee, "Billing Support"), None);
                let bo = find(plan, ResourceKind::AgentSkills, "bo@acme.com");
                assert_eq!(elements(bo), ["- Billing Support 4 -> _"]);
                assert_eq!(element_id(bo, "Billing Support"), None);
                // The moves carry each holder's final value: dee's at 3, and none for bo,
                // whose authoritative list drops the skill; so whichever write lands last in
                // wave 4, the result is the same.
                let replace = find(plan, ResourceKind::Skill, "Billing Support");
                assert_eq!(
                    elements(replace),
                    [
                        "+ ana@acme.com _ -> 5",
                        "+ dee@acme.com _ -> 3",
                        "+ eve@acme.com _ -> 3"
                    ]
                );
                // The move runs before the agents' changes in wave 4.
                assert_eq!(
                    waves(plan),
                    [
                        r#"wave 1: create skill["Billing Support"]"#,
                        r#"wave 4: move_assignments skill["Billing Support"]"#,
                        r#"wave 4: update agent_skills["bo@acme.com"]"#,
                        r#"wave 4: update agent_skills["dee@acme.com"]"#,
                        r#"wave 7: delete skill["Billing Support"]"#,
                    ]
                );
            },
        ),
        // 11. Prune.
        case(
            "prune_off_by_default",
            r#"
            skills: [{ name: Billing }]
            wrapupCodes: [{ name: Resolved }]
            queues: [{ name: Billing EN }]
            "#,
            unchanged,
            |plan| {
                assert!(plan.changes.is_empty(), "{:#?}", outline(plan));
            },
        ),
        case(
            "prune_in_scope",
            r#"
            scope: { divisions: [Sales] }
            prune: { skills: true, languages: true, wrapupCodes: true, queues: true }
            skills: [{ name: Sales }]
            languages: [{ name: English }, { name: Spanish }]
            wrapupCodes: [{ name: Sale Closed }]
            queues: [{ name: Sales EN }]
            "#,
            unchanged,
            |plan| {
                // Only the Sales division's undeclared objects; languages have no division.
                assert_eq!(
                    outline(plan),
                    [
                        r#"- queue["Sales ES"]"#,
                        r#"- skill["Renewals"]"#,
                        r#"- language["French"]"#,
                        r#"- wrapup_code["Sale Lost"]"#,
                    ]
                );
                let queue = find(plan, ResourceKind::Queue, "Sales ES");
                assert_eq!(queue.id.as_deref(), Some("q-sales-es"));
                assert!(queue.fingerprint.is_some());
                assert_eq!(
                    waves(plan),
                    [
                        r#"wave 5: delete queue["Sales ES"]"#,
                        r#"wave 7: delete skill["Renewals"]"#,
                        r#"wave 7: delete language["French"]"#,
                        r#"wave 7: delete wrapup_code["Sale Lost"]"#,
                    ]
                );
                assert_eq!(plan.summary().destroy, 4);
            },
        ),
        case(
            "prune_name_patterns",
            r#"
            scope: { names: { wrapupCodes: "^Sale ", queues: "^Billing " } }
            prune: { wrapupCodes: true, queues: true }
            wrapupCodes: [{ name: Sale Closed }]
            queues: [{ name: Billing EN }]
            "#,
            unchanged,
            |plan| {
                assert_eq!(
                    outline(plan),
                    [r#"- queue["Billing ES"]"#, r#"- wrapup_code["Sale Lost"]"#]
                );
            },
        ),
        with_policy(
            case(
                "prune_protected",
                r#"
                scope: { divisions: [Sales] }
                prune: { queues: true, wrapupCodes: true }
                protect: ["queue:Sales ES", "wrapupCode:Sale Lost"]
                wrapupCodes: [{ name: Sale Closed }]
                "#,
                unchanged,
                |plan| {
                    // --force lifts the blast radius, never `protect`.
                    assert!(plan.forced);
                    assert_eq!(
                        outline(plan),
                        [
                            r#"- queue["Sales EN"]"#,
                            r#"- queue["Sales ES"] (refused: protected)"#,
                            r#"- wrapup_code["Sale Lost"] (refused: protected)"#,
                        ]
                    );
                    let refused = find(plan, ResourceKind::Queue, "Sales ES")
                        .refused
                        .clone()
                        .unwrap();
                    assert_eq!(refused.reason, RefusalReason::Protected);
                    assert_eq!(
                        refused.message,
                        "queue \"Sales ES\" is protected (`protect: queue:Sales ES`) and is never deleted; remove it from `protect` to allow this"
                    );
                    let summary = plan.summary();
                    assert_eq!((summary.destroy, summary.refused), (1, 2));
                    assert_eq!(waves(plan), [r#"wave 5: delete queue["Sales EN"]"#]);
                },
            ),
            Policy {
                force: true,
                ..Policy::default()
            },
        ),
        case(
            "prune_keeps_former_names",
            r#"
            scope: { divisions: [Sales] }
            prune: { skills: true, queues: true, wrapupCodes: true }
            skills: [{ name: Sales Advice, renamedFrom: [Sales] }, { name: Renewals }]
            wrapupCodes: [{ name: Sale Won, renamedFrom: [Sale Closed] }, { name: Sale Lost }]
            queues: [{ name: Sales English, renamedFrom: [Sales EN] }, { name: Sales ES }]
            "#,
            unchanged,
            |plan| {
                // The former names are renamed or replaced, never deleted on their own.
                assert_eq!(
                    outline(plan),
                    [
                        r#"-/+ skill["Sales Advice"]"#,
                        r#"~ wrapup_code["Sale Won"]"#,
                        r#"~ queue["Sales English"]"#,
                    ]
                );
                assert_eq!(
                    elements(find(plan, ResourceKind::Skill, "Sales Advice")),
                    ["+ bo@acme.com _ -> 2"]
                );
            },
        ),
        // 12. Blast radius.
        case(
            "blast_radius_updates",
            FOUR_QUEUE_UPDATES,
            unchanged,
            |plan| {
                assert_eq!(plan.changes.len(), 4);
                for change in &plan.changes {
                    let refused = change.refused.as_ref().expect("refused");
                    assert_eq!(refused.reason, RefusalReason::BlastRadius);
                    assert_eq!(
                        refused.message,
                        "4 of the org's 12 queues (33 %) would be updated, over the 30 % blast-radius limit; review the plan and re-run with --force if it is intended"
                    );
                }
                assert!(plan.is_empty());
                let summary = plan.summary();
                assert_eq!((summary.change, summary.refused), (0, 4));
                assert!(plan.waves().is_empty());
            },
        ),
        with_policy(
            case(
                "blast_radius_forced",
                FOUR_QUEUE_UPDATES,
                unchanged,
                |plan| {
                    assert!(plan.forced);
                    assert!(plan.changes.iter().all(|c| c.refused.is_none()));
                    assert_eq!(plan.summary().change, 4);
                },
            ),
            Policy {
                force: true,
                ..Policy::default()
            },
        ),
        case(
            "blast_radius_at_limit",
            THREE_QUEUE_UPDATES,
            unchanged,
            |plan| {
                // 3 of 12 is 25 %, under 30 %.
                assert_eq!(plan.changes.len(), 3);
                assert!(plan.changes.iter().all(|c| c.refused.is_none()));
            },
        ),
        case(
            "blast_radius_deletes",
            r#"
            prune: { queues: true }
            queues:
              - { name: Billing EN }
              - { name: Billing ES }
              - { name: Refunds EN }
              - { name: Sales EN }
              - { name: Sales ES }
              - { name: Support L1 }
              - { name: Support L2 }
              - { name: VIP }
            "#,
            unchanged,
            |plan| {
                assert_eq!(
                    outline(plan),
                    [
                        r#"- queue["Claims"] (refused: blast_radius)"#,
                        r#"- queue["Collections"] (refused: blast_radius)"#,
                        r#"- queue["Escalations"] (refused: blast_radius)"#,
                        r#"- queue["Retention"] (refused: blast_radius)"#,
                    ]
                );
                assert!(plan.changes[0].refused.as_ref().unwrap().message.starts_with(
                    "4 of the org's 12 queues (33 %) would be deleted, over the 30 % blast-radius limit"
                ));
                assert!(plan.is_empty());
                assert!(!plan.has_deletions());
            },
        ),
        case(
            "blast_radius_small_kinds",
            r#"
            prune: { languages: true }
            wrapupCodes:
              - { name: Resolved, description: Solved }
              - { name: Escalated, description: Escalated }
              - { name: Callback Requested, description: Callback }
              - { name: Refund Issued, description: Refund }
              - { name: No Answer, description: No answer }
            "#,
            |live| {
                // 9 wrap-up codes and 3 languages: under the 10 objects the limit needs.
                for name in ["Follow Up", "Voicemail", "Complaint"] {
                    live.wrapup_codes.remove(name);
                }
            },
            |plan| {
                assert_eq!(
                    outline(plan),
                    [
                        r#"~ wrapup_code["Callback Requested"]"#,
                        r#"~ wrapup_code["Escalated"]"#,
                        r#"~ wrapup_code["No Answer"]"#,
                        r#"~ wrapup_code["Refund Issued"]"#,
                        r#"~ wrapup_code["Resolved"]"#,
                        r#"- language["English"]"#,
                        r#"- language["French"]"#,
                        r#"- language["Spanish"]"#,
                    ]
                );
            },
        ),
        with_policy(
            case(
                "blast_radius_custom_share",
                r#"
                queues:
                  - { name: Support L2, description: Second-line support }
                  - { name: VIP, description: Top-tier customers }
                "#,
                unchanged,
                |plan| {
                    assert_eq!(
                        outline(plan),
                        [
                            r#"~ queue["Support L2"] (refused: blast_radius)"#,
                            r#"~ queue["VIP"] (refused: blast_radius)"#,
                        ]
                    );
                    assert!(plan.changes[0].refused.as_ref().unwrap().message.starts_with(
                        "2 of the org's 12 queues (17 %) would be updated, over the 10 % blast-radius limit"
                    ));
                },
            ),
            Policy {
                max_change_share: 0.10,
                ..Policy::default()
            },
        ),
        // 14. --target.
        with_policy(
            case(
                "target_queue",
                r#"
                skills: [{ name: Fraud }]
                wrapupCodes: [{ name: Resolved }, { name: Refund Issued }]
                queues:
                  - name: Billing EN
                    description: Billing questions (English)
                    wrapupCodes: { mode: additive, codes: [Resolved, Refund Issued] }
                    members: { mode: additive, users: [{ user: gus@acme.com }] }
                  - name: Billing ES
                    description: Billing questions (Spanish)
                    wrapupCodes: { mode: additive, codes: [Refund Issued] }
                    members: { mode: additive, users: [{ user: gus@acme.com }] }
                agents:
                  - user: gus@acme.com
                    skills: { mode: additive, proficiency: { Fraud: 1 } }
                "#,
                unchanged,
                |plan| {
                    assert_eq!(
                        outline(plan),
                        [
                            r#"~ queue["Billing EN"]"#,
                            r#"~ queue_wrapup_codes["Billing EN"]"#,
                            r#"~ queue_members["Billing EN"]"#,
                        ]
                    );
                },
            ),
            Policy {
                targets: vec!["queue:Billing EN".parse().unwrap()],
                ..Policy::default()
            },
        ),
        case(
            "routing_settings",
            r#"
            routingSettings:
              resetAgentScoreOnPresenceChange: false
              contactCenter: { removeSkillsFromBlindTransfer: true }
              transcription:
                transcription: EnabledQueueFlow
                transcriptionConfidenceThreshold: 60
                piiRedactionEnabled: true
            "#,
            with_routing_settings,
            |plan| {
                let change = find(plan, ResourceKind::RoutingSettings, "org");
                assert_eq!(
                    attributes(change),
                    [
                        "contactCenter.removeSkillsFromBlindTransfer: _ -> true",
                        "transcription.transcriptionConfidenceThreshold: 50 -> 60",
                    ],
                    "only the fields set are compared; an unset one (null) is shown absent"
                );
                assert_eq!(change.unchanged, 3);
                assert_eq!(
                    change.id.as_deref(),
                    Some("0a000000-0000-4000-8000-000000000001")
                );
                assert!(change.fingerprint.is_some());
                assert_eq!(waves(plan), [r#"wave 1: update routing_settings["org"]"#]);
            },
        ),
        with_policy(
            case(
                "routing_settings_not_targeted",
                r#"
                routingSettings: { resetAgentScoreOnPresenceChange: true }
                "#,
                with_routing_settings,
                |plan| no_change_touches(plan, ResourceKind::RoutingSettings, "org"),
            ),
            Policy {
                targets: vec!["queue:Billing EN".parse().unwrap()],
                ..Policy::default()
            },
        ),
        case(
            "routing_settings_not_read",
            r#"
            routingSettings: { resetAgentScoreOnPresenceChange: true }
            "#,
            |live| live.routing_settings = None,
            |plan| {
                no_change_touches(plan, ResourceKind::RoutingSettings, "org");
                assert_eq!(
                    warnings(plan),
                    ["the org's routing settings: they were not read; not compared"]
                );
            },
        ),
    ]
}

/// The plan document as snapshotted: the writer's version and the checksum (which covers
/// that version) are redacted so that a version bump does not rewrite every snapshot.
fn snapshot_text(plan: &Plan) -> String {
    let version = format!("\"switchboard_version\": \"{}\"", env!("CARGO_PKG_VERSION"));
    document::json(plan)
        .lines()
        .map(|line| {
            if line.trim_start().starts_with("\"checksum\": \"sha256:") {
                "  \"checksum\": \"[checksum]\"".to_string()
            } else {
                line.replace(&version, "\"switchboard_version\": \"[version]\"")
            }
        })
        .map(|line| format!("{line}\n"))
        .collect()
}

fn run(case: &Case) {
    let manifest = load(&case.manifest);
    let mut live = base_live();
    (case.live)(&mut live);
    let plan = switchboard_plan::diff(&manifest, &live, &case.policy)
        .unwrap_or_else(|e| panic!("no plan: {e}"));
    if let Err(failure) = catch_unwind(AssertUnwindSafe(|| (case.check)(&plan))) {
        eprintln!("case {} planned:\n{}", case.name, document::json(&plan));
        std::panic::resume_unwind(failure);
    }
    insta::assert_snapshot!(case.name, snapshot_text(&plan));
}

#[test]
fn plans() {
    let cases = cases();
    let names: BTreeSet<&str> = cases.iter().map(|c| c.name).collect();
    assert_eq!(
        names.len(),
        cases.len(),
        "case names are snapshot names: unique"
    );
    let failed: Vec<&str> = cases
        .iter()
        .filter(|case| catch_unwind(AssertUnwindSafe(|| run(case))).is_err())
        .map(|case| case.name)
        .collect();
    assert!(failed.is_empty(), "failed cases: {failed:?}");
}

// ---------------------------------------------------------------------------------------
// No plan at all: the org guard and unknown divisions
// ---------------------------------------------------------------------------------------

fn plan_of(body: &str) -> Result<Plan, PlanError> {
    switchboard_plan::diff(
        &load(&manifest_text(body)),
        &base_live(),
        &Policy::default(),
    )
}

fn with_org(org: &str) -> Result<Plan, PlanError> {
    let text = format!("version: 1\norg: {org}\nqueues: [{{ name: Billing EN }}]\n");
    switchboard_plan::diff(&load(&text), &base_live(), &Policy::default())
}

#[test]
fn the_org_guard_refuses_another_org() {
    let wrong_id = with_org(
        "{ name: Acme, id: 0a000000-0000-4000-8000-000000000002, region: mypurecloud.ie }",
    )
    .unwrap_err();
    assert_eq!(
        wrong_id,
        PlanError::OrgMismatch {
            differs: "the ids differ (the names match)".into(),
            expected: "\"Acme\" (0a000000-0000-4000-8000-000000000002)".into(),
            actual: "Acme".into(),
            actual_id: "0a000000-0000-4000-8000-000000000001".into(),
        }
    );
    insta::assert_snapshot!("error_org_mismatch", wrong_id.to_string());
    assert_eq!(
        with_org("{ name: Acme Test, region: mypurecloud.ie }").unwrap_err(),
        PlanError::OrgMismatch {
            differs: "the names differ".into(),
            expected: "\"Acme Test\"".into(),
            actual: "Acme".into(),
            actual_id: "0a000000-0000-4000-8000-000000000001".into(),
        }
    );
    assert!(matches!(
        with_org("{ id: 0a000000-0000-4000-8000-000000000009, region: mypurecloud.ie }"),
        Err(PlanError::OrgMismatch { expected, .. }) if expected == "0a000000-0000-4000-8000-000000000009"
    ));
    // Names are compared exactly.
    assert!(with_org("{ name: acme, region: mypurecloud.ie }").is_err());
    for matching in [
        "{ name: Acme, id: 0a000000-0000-4000-8000-000000000001, region: mypurecloud.ie }",
        "{ name: Acme, region: mypurecloud.ie }",
        "{ id: 0a000000-0000-4000-8000-000000000001, region: mypurecloud.ie }",
        "{ id: 0A000000-0000-4000-8000-000000000001, region: mypurecloud.ie }",
    ] {
        let plan = with_org(matching).unwrap_or_else(|e| panic!("{matching}: {e}"));
        assert!(plan.is_empty(), "{matching}");
        assert_eq!(
            (plan.org.id.as_str(), plan.org.name.as_str()),
            ("0a000000-0000-4000-8000-000000000001", "Acme")
        );
    }
}

#[test]
fn an_unknown_division_is_an_error() {
    let queue = plan_of(
        r#"
        scope: { divisions: [Home, Marketing] }
        queues: [{ name: Campaigns, division: Marketing }]
        "#,
    )
    .unwrap_err();
    assert_eq!(
        queue,
        PlanError::UnknownDivision {
            object: "queue \"Campaigns\"".into(),
            division: "Marketing".into(),
            known: "\"Home\", \"Sales\"".into(),
        }
    );
    insta::assert_snapshot!("error_unknown_division", queue.to_string());
    // The same for an existing wrap-up code moved to it, and a skill.
    let code = plan_of(
        r#"
        scope: { divisions: [Marketing] }
        wrapupCodes: [{ name: Resolved, division: Marketing }]
        "#,
    )
    .unwrap_err();
    assert!(matches!(
        code,
        PlanError::UnknownDivision { ref object, ref division, .. }
            if object == "wrap-up code \"Resolved\"" && division == "Marketing"
    ));
    let skill = plan_of(
        r#"
        scope: { divisions: [Marketing] }
        skills: [{ name: Outreach, division: Marketing }]
        "#,
    )
    .unwrap_err();
    assert!(
        matches!(skill, PlanError::UnknownDivision { ref object, .. } if object == "skill \"Outreach\"")
    );
}

// ---------------------------------------------------------------------------------------
// Determinism and the plan file
// ---------------------------------------------------------------------------------------

/// A manifest with something of everything: creates, updates, a rename, a replace, members,
/// codes, agents, prunes, a refusal and warnings.
const BUSY: &str = r#"
    scope: { divisions: [Home, Sales] }
    prune: { queues: true, wrapupCodes: true }
    protect: ["queue:Claims"]
    skills: [{ name: Billing Support, renamedFrom: [Billing] }, { name: Fraud }, { name: Collections }]
    languages: [{ name: German }, { name: English }]
    skillGroups:
      - name: Fraud Experts
        skillConditions:
          - { operation: And, routingSkillConditions: [{ routingSkill: Fraud, comparator: GreaterThan, proficiency: 2 }] }
    wrapupCodes:
      - { name: Resolved, description: Solved on first contact }
      - { name: Escalated }
      - { name: Callback Requested }
      - { name: Refund Issued }
      - { name: Sale Won, renamedFrom: [Sale Closed], division: Sales }
      - { name: Sale Lost }
      - { name: No Answer }
      - { name: Wrong Number }
      - { name: Transferred }
      - { name: Follow Up }
    queues:
      - name: Billing English
        renamedFrom: [Billing EN]
        mediaSettings: { call: { alertingTimeoutSeconds: 10 } }
        bullseye: { rings: [{ expansionTimeoutSeconds: 20, skillsToRemove: [Collections] }, { expansionTimeoutSeconds: 30 }, {}] }
        wrapupCodes: { mode: authoritative, codes: [Resolved, Refund Issued] }
        members: { mode: authoritative, users: [{ user: ana@acme.com, weight: 0.6 }, { user: gus@acme.com, weight: 0.2 }, { user: fay@acme.com, weight: 0.2 }] }
      - { name: Billing ES, members: { mode: additive, users: [{ user: eve@acme.com }, { user: nobody@acme.com }] } }
      - { name: Refunds EN }
      - { name: Sales EN }
      - { name: Sales ES }
      - { name: Support L1, division: Sales }
      - { name: Support L2 }
      - { name: VIP }
      - { name: Retention }
      - { name: Fraud EN, skillEvaluationMethod: BEST }
    agents:
      - user: cy@acme.com
        skills: { mode: authoritative, proficiency: { Fraud: 2 } }
        languages: { mode: additive, proficiency: { German: 4, English: 3 } }
        capacity: { mode: additive, chat: { maximumCapacity: 3 }, maxInboundCalls: 1 }
    utilization: { mode: additive, call: { maximumCapacity: 2 } }
    utilizationLabels: [{ name: Gold }]
    routingSettings: { transcription: { transcriptionConfidenceThreshold: 70 } }
"#;

fn busy_plan(live: &Live, policy: &Policy) -> Plan {
    switchboard_plan::diff(&load(&manifest_text(BUSY)), live, policy).unwrap()
}

/// `value` with every object's keys inserted in reverse order.
fn reversed_json(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, value) in map.iter().rev() {
                out.insert(key.clone(), reversed_json(value));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(reversed_json).collect()),
        other => other.clone(),
    }
}

fn reversed_map<V: Clone>(map: &BTreeMap<String, V>, f: impl Fn(&V) -> V) -> BTreeMap<String, V> {
    let mut out = BTreeMap::new();
    for (key, value) in map.iter().rev() {
        out.insert(key.clone(), f(value));
    }
    out
}

/// The same org, every map filled in reverse order and every list of members reversed.
fn reversed_live(live: &Live) -> Live {
    Live {
        org: live.org.clone(),
        divisions: reversed_map(&live.divisions, Clone::clone),
        skills: reversed_map(&live.skills, Clone::clone),
        languages: reversed_map(&live.languages, Clone::clone),
        wrapup_codes: reversed_map(&live.wrapup_codes, Clone::clone),
        skill_groups: reversed_map(&live.skill_groups, Clone::clone),
        queues: reversed_map(&live.queues, |q| LiveQueue {
            body: reversed_json(&q.body),
            members: q
                .members
                .as_ref()
                .map(|m| m.iter().rev().cloned().collect()),
            wrapup_code_names: Default::default(),
            wrapup_code_ids: q
                .wrapup_code_ids
                .as_ref()
                .map(|ids| ids.iter().rev().cloned().collect()),
            ..q.clone()
        }),
        users: reversed_map(&live.users, |u| LiveUser {
            skills: u
                .skills
                .iter()
                .rev()
                .map(|(k, v)| (k.clone(), *v))
                .collect(),
            languages: u
                .languages
                .iter()
                .rev()
                .map(|(k, v)| (k.clone(), *v))
                .collect(),
            ..u.clone()
        }),
        unknown_users: live.unknown_users.iter().rev().cloned().collect(),
        ..live.clone()
    }
}

#[test]
fn the_same_inputs_give_byte_identical_plans() {
    let live = base_live();
    let first = busy_plan(&live, &Policy::default());
    // The busy plan has a bit of everything, or this test proves little.
    let kinds: BTreeSet<ResourceKind> = first.changes.iter().map(|c| c.address.kind).collect();
    assert_eq!(
        kinds.len(),
        ResourceKind::ALL.len(),
        "{:#?}",
        outline(&first)
    );
    let actions: BTreeSet<Action> = first.changes.iter().map(|c| c.action).collect();
    assert_eq!(actions.len(), 4, "{:#?}", outline(&first));
    assert!(first.refused().count() > 0 && !first.warnings.is_empty());

    let json = document::json(&first);
    assert_eq!(json, document::json(&busy_plan(&live, &Policy::default())));
    let reversed = reversed_live(&live);
    assert_eq!(
        json,
        document::json(&busy_plan(&reversed, &Policy::default()))
    );
    insta::assert_snapshot!("busy", snapshot_text(&first));
}

#[test]
fn a_plan_file_reads_back_and_refuses_edits_and_other_versions() {
    let plan = busy_plan(&base_live(), &Policy::default());
    let text = document::json(&plan);
    assert!(text.ends_with("}\n"));
    let read = PlanDocument::read(&text).unwrap();
    assert_eq!(read, plan);
    assert_eq!(
        document::json(&read),
        text,
        "the round trip is byte-identical"
    );

    // One value edited, the checksum left as it was.
    let mut edited: Value = serde_json::from_str(&text).unwrap();
    let members = edited["resource_changes"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|c| c["kind"] == "queue_members")
        .unwrap();
    assert!(members["elements"][0]["after"].is_number());
    members["elements"][0]["after"] = json!(6);
    let edited = serde_json::to_string_pretty(&edited).unwrap();
    assert!(matches!(
        PlanDocument::read(&edited),
        Err(DocumentError::Tampered)
    ));
    // A refused change made runnable.
    let unrefused = text.replacen("\"refused\": {", "\"ignored\": {", 1);
    assert!(matches!(
        PlanDocument::read(&unrefused),
        Err(DocumentError::Malformed(_) | DocumentError::Tampered)
    ));
    let dropped: Value = {
        let mut value: Value = serde_json::from_str(&text).unwrap();
        for change in value["resource_changes"].as_array_mut().unwrap() {
            change.as_object_mut().unwrap().remove("refused");
        }
        value
    };
    assert!(matches!(
        PlanDocument::read(&serde_json::to_string_pretty(&dropped).unwrap()),
        Err(DocumentError::Tampered)
    ));

    let future = text.replacen(
        "\"format_version\": \"1.0\"",
        "\"format_version\": \"9.9\"",
        1,
    );
    assert_ne!(future, text);
    match PlanDocument::read(&future) {
        Err(DocumentError::Version { found }) => assert_eq!(found, "9.9"),
        other => panic!("expected a version error, got {other:?}"),
    }
    assert!(matches!(
        PlanDocument::read("not json"),
        Err(DocumentError::Malformed(_))
    ));
}

// ---------------------------------------------------------------------------------------
// Names, reads and plan files: what must never destroy what the manifest keeps
// ---------------------------------------------------------------------------------------

fn plan_against(body: &str, edit: impl FnOnce(&mut Live)) -> Result<Plan, PlanError> {
    let mut live = base_live();
    edit(&mut live);
    switchboard_plan::diff(&load(&manifest_text(body)), &live, &Policy::default())
}

/// Moves a live object to another key (its name in the org), keeping its id.
fn rename_live<V>(map: &mut BTreeMap<String, V>, from: &str, to: &str) {
    let value = map.remove(from).unwrap();
    map.insert(to.into(), value);
}

#[test]
fn names_differing_only_in_case_or_spaces_are_one_object() {
    // The org spells them "billing" and "billing en ": the manifest's "Billing" and
    // "Billing EN" are those objects. Nothing is created beside them or pruned for them.
    let plan = plan_against(
        r#"
        prune: { skills: true, queues: true }
        protect: ["skill:Refunds", "skill:Collections", "skill:Sales", "skill:Renewals", "skill:Tech Support", "skill:Networking", "skill:Hardware", "skill:VIP", "skill:Retention", "skill:Claims", "skill:Escalations"]
        skills: [{ name: Billing }]
        queues:
          - name: Billing EN
            members: { mode: additive, users: [{ user: ana@acme.com }] }
        agents:
          - user: bo@acme.com
            skills: { mode: additive, proficiency: { Billing: 4 } }
        "#,
        |live| {
            rename_live(&mut live.skills, "Billing", "billing");
            rename_live(&mut live.queues, "Billing EN", "billing en ");
        },
    )
    .unwrap();
    let skill = find(&plan, ResourceKind::Skill, "Billing");
    assert_eq!(skill.action, Action::Update);
    assert_eq!(
        skill.refused.as_ref().map(|r| r.reason),
        Some(RefusalReason::CannotRename),
        "a skill cannot be renamed: refused, never replaced"
    );
    assert_eq!(attributes(skill), [r#"name: "billing" -> "Billing""#]);
    let queue = find(&plan, ResourceKind::Queue, "Billing EN");
    assert_eq!(queue.action, Action::Update);
    assert!(queue.refused.is_none());
    assert_eq!(queue.renamed_from.as_deref(), Some("billing en "));
    assert!(attributes(queue).contains(&r#"name: "billing en " -> "Billing EN""#.to_string()));
    for change in &plan.changes {
        assert!(
            !matches!(
                change.action,
                Action::Create | Action::Delete | Action::Replace
            ) || change.refused.is_some(),
            "nothing is created, deleted or replaced: {}",
            change.address
        );
    }
    // bo holds "billing" at 4 already: it is the manifest's Billing.
    assert!(
        plan.changes
            .iter()
            .all(|c| c.address.kind != ResourceKind::AgentSkills),
        "{:?}",
        outline(&plan)
    );
}

#[test]
fn a_name_the_org_holds_twice_by_the_name_rule_is_refused_as_ambiguous() {
    let error = plan_against("queues: [{ name: CLAIMS }]\n", |live| {
        let mut twin = live.queues["Claims"].clone();
        twin.id = "q-claims-2".into();
        live.queues.insert("claims".into(), twin);
    })
    .unwrap_err();
    let message = error.to_string();
    assert!(
        matches!(error, PlanError::AmbiguousName { .. })
            && message.contains("\"Claims\" and \"claims\""),
        "{message}"
    );
}

#[test]
fn protect_matches_by_the_name_rule_and_warns_when_it_matches_nothing() {
    let plan = plan_against(
        r#"
        scope: { divisions: [Home, Sales] }
        prune: { queues: true }
        protect: ["queue:collections", "queue: Claims ", "queue:No Such Queue"]
        queues: [{ name: Billing EN }, { name: Billing ES }, { name: Sales EN }, { name: Sales ES }, { name: Support L1 }, { name: Support L2 }, { name: VIP }, { name: Retention }, { name: Escalations }]
        "#,
        |_| {},
    )
    .unwrap();
    for name in ["Collections", "Claims"] {
        let delete = find(&plan, ResourceKind::Queue, name);
        assert_eq!(
            delete.refused.as_ref().map(|r| r.reason),
            Some(RefusalReason::Protected),
            "{name}"
        );
    }
    assert_eq!(
        warnings(&plan),
        [
            "protect: `queue:No Such Queue` matches no queue in the org or the manifest, so it protects nothing (names compare without case and surrounding spaces)"
        ]
    );
}

#[test]
fn a_queue_code_the_org_listing_does_not_show_yet_is_known_by_the_queues_own_listing() {
    let body = r#"
        wrapupCodes: [{ name: Resolved }]
        queues:
          - name: Support L2
            wrapupCodes: { mode: authoritative, codes: [Resolved] }
        "#;
    // Eventual consistency: the org-wide listing lacks Resolved; the queue's listing names it.
    let plan = plan_against(body, |live| {
        live.wrapup_codes.remove("Resolved");
        queue(live, "Support L2")
            .wrapup_code_names
            .insert("wc-resolved".into(), "Resolved".into());
    })
    .unwrap();
    assert_eq!(outline(&plan), [r#"+ wrapup_code["Resolved"]"#]);
    // Without a name from either listing, an authoritative list cannot tell it apart.
    let refused = plan_against(body, |live| {
        live.wrapup_codes.remove("Resolved");
    })
    .unwrap_err();
    assert!(
        matches!(refused, PlanError::Unjustified { .. })
            && refused.to_string().contains("wc-resolved has no name"),
        "{refused}"
    );
}

#[test]
fn a_replace_left_half_done_is_finished_and_its_fingerprint_covers_the_holders() {
    let body = "skills:\n  - name: Billing Support\n    renamedFrom: [Billing]\n";
    let plan = plan_against(body, |live| {
        live.skills.insert(
            "Billing Support".into(),
            LiveObject {
                id: "sk-billing-support".into(),
                division_id: Some(HOME.into()),
            },
        );
        // ana was moved before the run stopped.
        let ana = live.users.get_mut("ana@acme.com").unwrap();
        ana.skills.insert("sk-billing-support".into(), 5.0);
    })
    .unwrap();
    let replace = find(&plan, ResourceKind::Skill, "Billing Support");
    assert_eq!(replace.action, Action::Replace);
    assert_eq!(replace.id.as_deref(), Some("sk-billing"));
    assert_eq!(
        elements(replace),
        [
            "+ bo@acme.com _ -> 4",
            "+ dee@acme.com _ -> 2.5",
            "+ eve@acme.com _ -> 3"
        ],
        "the remaining holders move; ana keeps her new skill as it is"
    );
    // Someone given the old skill after the plan makes it stale.
    let mut live = base_live();
    let before = fingerprint::of_replaced(&live, "Billing");
    live.users
        .get_mut("gus@acme.com")
        .unwrap()
        .skills
        .insert("sk-billing".into(), 1.0);
    assert_ne!(before, fingerprint::of_replaced(&live, "Billing"));
}

#[test]
fn an_object_read_without_its_division_is_outside_a_division_scope() {
    let body = r#"
        scope: { divisions: [Home] }
        prune: { skills: true }
        protect: ["skill:Refunds", "skill:Collections", "skill:Tech Support", "skill:Networking", "skill:Hardware", "skill:VIP", "skill:Retention", "skill:Claims", "skill:Escalations"]
        skills: [{ name: Billing }]
        "#;
    let deletes = |plan: &Plan| -> Vec<String> {
        plan.runnable()
            .filter(|c| c.action == Action::Delete)
            .map(|c| c.address.to_string())
            .collect()
    };
    // Sales and Renewals are in Sales: out of scope. Read without a division, they stay so.
    let truth = plan_against(body, |_| {}).unwrap();
    assert!(deletes(&truth).is_empty(), "{:?}", deletes(&truth));
    let faulted = plan_against(body, |live| {
        for skill in live.skills.values_mut() {
            skill.division_id = None;
        }
    })
    .unwrap();
    assert!(deletes(&faulted).is_empty(), "{:?}", deletes(&faulted));
}

#[test]
fn a_listed_member_the_user_read_missed_is_never_removed() {
    let body = r#"
        queues:
          - name: Support L1
            members:
              mode: authoritative
              users: [{ user: ana@acme.com }, { user: bo@acme.com }, { user: cy@acme.com }]
        "#;
    // The users read did not return bo, although bo is a member (with an email).
    let refused = plan_against(body, |live| {
        live.users.remove("bo@acme.com");
    })
    .unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("user bo@acme.com is listed and is a member of the queue"),
        "{refused}"
    );
    // Nor a member the listing gave without an email, while a listed user is unresolved.
    let refused = plan_against(body, |live| {
        live.users.remove("bo@acme.com");
        for member in queue(live, "Support L1").members.as_mut().unwrap() {
            member.email = None;
        }
    })
    .unwrap_err();
    assert!(
        refused.to_string().contains("came without an email"),
        "{refused}"
    );
}

/// `file` with a delete of queue VIP added and its checksum recomputed (its seal kept).
fn with_a_queue_delete(file: &str) -> String {
    let mut document: PlanDocument = serde_json::from_str(file).unwrap();
    let mut delete = document.resource_changes[0].clone();
    delete.address = "queue[\"VIP\"]".into();
    delete.kind = ResourceKind::Queue;
    delete.name = "VIP".into();
    delete.actions = vec!["delete".into()];
    delete.id = Some("q-vip".into());
    delete.attributes.clear();
    document.resource_changes.push(delete);
    let seal = document.seal.take();
    document.checksum = String::new();
    document.checksum = fingerprint::of(&document);
    document.seal = seal;
    document.to_json()
}

#[test]
fn a_sealed_plan_file_refuses_any_edit_even_with_its_checksum_recomputed() {
    let manifest = load(&manifest_text("skills: [{ name: Fraud }]\n"));
    let plan = switchboard_plan::diff(&manifest, &base_live(), &Policy::default()).unwrap();
    let key = b"pipeline key".as_slice();
    let sealed = PlanDocument::file(&plan, &manifest, "2026-12-07T10:00:00Z", Some(key)).to_json();
    let (read, _, facts) = PlanDocument::read_file(&sealed, Some(key)).unwrap();
    assert_eq!(read, plan);
    assert!(facts.sealed);
    assert_eq!(facts.created_at.as_deref(), Some("2026-12-07T10:00:00Z"));

    // An edit whose checksum is recomputed, as anyone can: a delete of a queue added.
    let edited = with_a_queue_delete(&sealed);
    assert!(matches!(
        PlanDocument::read_file(&edited, Some(key)),
        Err(DocumentError::BadSeal)
    ));
    assert!(matches!(
        PlanDocument::read_file(&sealed, Some(b"another key")),
        Err(DocumentError::BadSeal)
    ));
    assert!(matches!(
        PlanDocument::read_file(&sealed, None),
        Err(DocumentError::NoKey)
    ));
    let unsealed = PlanDocument::file(&plan, &manifest, "2026-12-07T10:00:00Z", None).to_json();
    assert!(matches!(
        PlanDocument::read_file(&unsealed, Some(key)),
        Err(DocumentError::Unsealed)
    ));
    // Unsealed, the edit passes the checksum, and apply's re-derivation refuses it.
    let (edited, manifest, _) =
        PlanDocument::read_file(&with_a_queue_delete(&unsealed), None).unwrap();
    let again = switchboard_plan::diff(&manifest, &base_live(), &Policy::default()).unwrap();
    assert_eq!(
        document::unjustified(&edited, &again),
        [r#"queue "VIP" will be destroyed"#]
    );
    assert!(document::unjustified(&plan, &again).is_empty());
}

// ---------------------------------------------------------------------------------------
// References by name: flows, prompts and groups looked up, never guessed
// ---------------------------------------------------------------------------------------

fn reference_problems(error: PlanError) -> Vec<switchboard_plan::ReferenceProblem> {
    match error {
        PlanError::UnresolvedReferences { problems } => problems,
        other => panic!("expected unresolved references, got: {other}"),
    }
}

#[test]
fn a_flow_given_by_another_name_of_the_org_is_a_change_shown_by_name() {
    let plan = plan_against(
        "queues: [{ name: Billing EN, queueFlow: { name: holiday in-queue } }]\n",
        |_| {},
    )
    .unwrap();
    let queue = find(&plan, ResourceKind::Queue, "Billing EN");
    assert_eq!(
        attributes(queue),
        [r#"queueFlow.name: "Billing In-Queue" -> "holiday in-queue""#]
    );
}

#[test]
fn a_misspelt_reference_is_located_with_the_name_it_may_mean() {
    let problems = reference_problems(
        plan_against(
            r#"
            queues:
              - name: Billing EN
                queueFlow: { name: Billing In-Queu }
                conditionalGroupRouting:
                  rules:
                    - { metric: EstimatedWaitTime, operator: GreaterThan, conditionValue: 60, groups: [{ name: Fraud Overflow, type: GROUP }] }
            "#,
            |_| {},
        )
        .unwrap_err(),
    );
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(problems[0].pointer, "/queues/0/queueFlow");
    assert!(
        problems[0]
            .message
            .contains(r#"in-queue call flow "Billing In-Queu", which the org does not have"#),
        "{}",
        problems[0].message
    );
    assert_eq!(problems[0].hint, r#"did you mean "Billing In-Queue"?"#);
    // A team's name given as a directory group's: the kinds are looked up apart.
    assert_eq!(
        problems[1].pointer,
        "/queues/0/conditionalGroupRouting/rules/0/groups/0"
    );
    assert!(
        problems[1]
            .message
            .contains("directory group \"Fraud Overflow\"")
    );
}

#[test]
fn a_name_two_objects_of_the_org_carry_is_refused_naming_both() {
    let problems = reference_problems(
        plan_against(
            "queues: [{ name: Billing EN, queueFlow: { name: Billing In-Queue } }]\n",
            |live| {
                let flows = live
                    .references
                    .get_mut(&ReferenceKind::InQueueCallFlow)
                    .unwrap();
                flows.push(LiveReferent::new("flow-billing-copy", "Billing In-Queue"));
            },
        )
        .unwrap_err(),
    );
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].message.contains("flow-billing")
            && problems[0].message.contains("flow-billing-copy"),
        "{}",
        problems[0].message
    );
}

#[test]
fn a_queue_that_uses_another_object_of_the_same_name_is_changed_to_the_one_looked_up() {
    // The queue points at a flow the lookup does not list (another type, or deleted) that
    // carries the manifest's name: it is not the flow the manifest means.
    let plan = plan_against(
        "queues: [{ name: Billing EN, queueFlow: { name: Billing In-Queue } }]\n",
        |live| {
            let queue = live.queues.get_mut("Billing EN").unwrap();
            queue.body["queueFlow"] = json!({"id": "flow-stale", "name": "Billing In-Queue"});
        },
    )
    .unwrap();
    let queue = find(&plan, ResourceKind::Queue, "Billing EN");
    assert_eq!(
        attributes(queue),
        [r#"queueFlow.name: "Billing In-Queue (id flow-stale)" -> "Billing In-Queue""#]
    );
}

#[test]
fn a_group_the_answer_does_not_name_reads_by_its_id() {
    // What drift and export read: the settings without a manifest to resolve names against.
    let mut live = base_live();
    let queue = live.queues.get_mut("Billing EN").unwrap();
    queue.body["conditionalGroupRouting"]["rules"][0]["groups"] =
        json!([{"id": "grp-unnamed", "type": "GROUP"}]);
    let settings = switchboard_plan::queue_settings(&live, "Billing EN").unwrap();
    assert_eq!(
        settings["conditionalGroupRouting"]["rules"][0]["groups"],
        json!([{"id": "grp-unnamed", "name": "grp-unnamed", "type": "GROUP"}])
    );
}

// ---------------------------------------------------------------------------------------
// Member groups: the queue's groups of agents, in the modes of members
// ---------------------------------------------------------------------------------------

fn member_groups_change(mode: &str, groups: &str) -> Vec<String> {
    let plan = plan_against(
        &format!(
            "queues: [{{ name: Billing EN, memberGroups: {{ mode: {mode}, groups: {groups} }} }}]\n"
        ),
        |_| {},
    )
    .unwrap();
    plan.changes
        .iter()
        .find(|c| c.address.kind == ResourceKind::Queue)
        .map(attributes)
        .unwrap_or_default()
}

#[test]
fn member_groups_are_compared_by_name_in_each_mode() {
    // The queue has the group "Billing Overflow" (answered without its name).
    assert!(
        member_groups_change("authoritative", "[{ name: billing overflow, type: GROUP }]")
            .is_empty()
    );
    assert_eq!(
        member_groups_change("authoritative", "[{ name: Fraud Overflow, type: TEAM }]"),
        [
            r#"memberGroups.groups: [{"name":"Billing Overflow","type":"GROUP"}] -> [{"name":"Fraud Overflow","type":"TEAM"}]"#
        ],
        "authoritative: the group not listed goes"
    );
    assert_eq!(
        member_groups_change("additive", "[{ name: Fraud Overflow, type: TEAM }]"),
        [
            r#"memberGroups.groups: [{"id":"grp-billing-overflow","name":"Billing Overflow","type":"GROUP"}] -> [{"id":"grp-billing-overflow","name":"Billing Overflow","type":"GROUP"},{"name":"Fraud Overflow","type":"TEAM"}]"#
        ],
        "additive: the queue's group stays, by its id"
    );
    assert!(member_groups_change("ignore", "[]").is_empty());
    assert_eq!(
        member_groups_change("authoritative", "[]"),
        [r#"memberGroups.groups: [{"name":"Billing Overflow","type":"GROUP"}] -> []"#]
    );
}

#[test]
fn member_group_changes_read_group_by_group() {
    let plan = plan_against(
        "queues: [{ name: Billing EN, memberGroups: { mode: authoritative, groups: [{ name: Fraud Overflow, type: TEAM }] } }]\n",
        |_| {},
    )
    .unwrap();
    let style = switchboard_plan::render::TextStyle::default();
    let rendered = switchboard_plan::render::text(&plan, &style);
    for expected in [
        "      ~ memberGroups.groups\n",
        "          - GROUP \"Billing Overflow\"\n",
        "          + TEAM \"Fraud Overflow\"\n",
    ] {
        assert!(rendered.contains(expected), "{expected:?} in:\n{rendered}");
    }
    assert!(!rendered.contains("\"type\""), "no JSON: {rendered}");
    let additive = plan_against(
        "queues: [{ name: Billing EN, memberGroups: { mode: additive, groups: [{ name: Fraud Overflow, type: TEAM }] } }]\n",
        |_| {},
    )
    .unwrap();
    let rendered = switchboard_plan::render::text(&additive, &style);
    assert!(
        rendered.contains("+ TEAM \"Fraud Overflow\"\n")
            && rendered.contains("(1 unchanged group hidden)"),
        "{rendered}"
    );
}

#[test]
fn a_group_of_one_type_is_not_the_group_of_another() {
    // A team called "Billing Overflow" is not the directory group of that name.
    let problems = reference_problems(
        plan_against(
            "queues: [{ name: Billing EN, memberGroups: { mode: additive, groups: [{ name: Billing Overflow, type: TEAM }] } }]\n",
            |_| {},
        )
        .unwrap_err(),
    );
    assert_eq!(problems[0].pointer, "/queues/0/memberGroups/groups/0");
    assert!(problems[0].message.contains("team \"Billing Overflow\""));
}

fn ring_groups_change(rings: &str, edit: impl FnOnce(&mut Live)) -> Vec<String> {
    let plan = plan_against(
        &format!("skills: [{{ name: Collections }}]\nqueues: [{{ name: Billing EN, bullseye: {{ rings: {rings} }} }}]\n"),
        edit,
    )
    .unwrap();
    plan.changes
        .iter()
        .find(|c| c.address.kind == ResourceKind::Queue)
        .map(attributes)
        .unwrap_or_default()
}

#[test]
fn a_rings_groups_are_compared_only_where_the_manifest_gives_them() {
    let rings = |ring_two: &str| {
        format!(
            "[{{ expansionTimeoutSeconds: 15, skillsToRemove: [Collections] }}, {{ expansionTimeoutSeconds: 30{ring_two} }}, {{}}]"
        )
    };
    let with_group = |live: &mut Live| {
        let ring = &mut live.queues.get_mut("Billing EN").unwrap().body["bullseye"]["rings"][1];
        ring["memberGroups"] = json!([{"id": "team-fraud-overflow", "type": "TEAM"}]);
    };
    // Not given: the ring's group is left alone.
    assert!(ring_groups_change(&rings(""), with_group).is_empty());
    // Given, by name: the same group, no change.
    assert!(
        ring_groups_change(
            &rings(", memberGroups: [{ name: fraud overflow, type: TEAM }]"),
            with_group
        )
        .is_empty()
    );
    // Given empty: the group goes.
    let change = ring_groups_change(&rings(", memberGroups: []"), with_group);
    assert_eq!(change.len(), 1, "{change:?}");
    assert!(change[0].starts_with("bullseye.rings:"), "{change:?}");
    assert!(
        change[0].contains(r#"{"expansionTimeoutSeconds":30,"memberGroups":[]}"#),
        "{change:?}"
    );
    // Given where the ring has none: the group comes.
    let change = ring_groups_change(
        &rings(", memberGroups: [{ name: Fraud Overflow, type: TEAM }]"),
        |_| {},
    );
    assert_eq!(change.len(), 1, "{change:?}");
}

// ---------------------------------------------------------------------------------------
// Agents' capacity: never planned from a read that is not there; apply's body
// ---------------------------------------------------------------------------------------

#[test]
fn a_managed_capacity_that_was_not_read_is_not_compared_and_says_so() {
    let plan = plan_against(
        "agents: [{ user: dee@acme.com, capacity: { mode: orgDefault } }]",
        |live| {
            if let Some(dee) = live.users.get_mut("dee@acme.com") {
                dee.utilization = None;
            }
        },
    )
    .unwrap();
    assert!(
        plan.changes.is_empty(),
        "nothing is written without its read"
    );
    assert_eq!(
        warnings(&plan),
        ["capacity of agent dee@acme.com: its utilization was not read; not compared"]
    );
}

#[test]
fn the_capacity_body_is_the_read_with_the_planned_fields_set() {
    let mut live = base_live();
    with_capacities(&mut live);
    let plan = switchboard_plan::diff(
        &load(&manifest_text(
            "agents: [{ user: dee@acme.com, capacity: { mode: authoritative, chat: { maximumCapacity: 3 } } }]",
        )),
        &live,
        &Policy::default(),
    )
    .unwrap();
    let change = find(&plan, ResourceKind::AgentCapacity, "dee@acme.com");
    let read = live.users["dee@acme.com"].utilization.clone().unwrap();
    let body = switchboard_plan::updated_capacity(&read, &change.attributes, &|_| None)
        .unwrap()
        .unwrap();
    assert_eq!(body.utilization["chat"].maximum_capacity, Some(3));
    assert_eq!(
        body.utilization["chat"].interruptable_media_types,
        Some(vec![])
    );
    assert_eq!(
        body.utilization["call"], read.utilization["call"],
        "not listed: kept"
    );
    assert_eq!(
        body.utilization["email"], read.utilization["email"],
        "not listed: kept"
    );
    assert_eq!(
        body.label_utilizations, read.label_utilizations,
        "labels: kept"
    );
    // The plan applied to the read plans nothing more.
    let mut after = live.clone();
    after.users.get_mut("dee@acme.com").unwrap().utilization = Some(body);
    let again = switchboard_plan::diff(
        &load(&manifest_text(
            "agents: [{ user: dee@acme.com, capacity: { mode: authoritative, chat: { maximumCapacity: 3 } } }]",
        )),
        &after,
        &Policy::default(),
    )
    .unwrap();
    assert!(again.changes.is_empty(), "{:?}", again.changes);
    // Back to the org default is no body at all (a DELETE); an attribute no plan holds is
    // refused, never ignored.
    let reset = vec![switchboard_plan::AttributeChange {
        path: "level".into(),
        before: Some(json!("Agent")),
        after: Some(json!("Organization")),
    }];
    assert_eq!(
        switchboard_plan::updated_capacity(&read, &reset, &|_| None),
        Ok(None)
    );
    let odd = vec![switchboard_plan::AttributeChange {
        path: "video.maximumCapacity".into(),
        before: None,
        after: Some(json!(1)),
    }];
    assert!(switchboard_plan::updated_capacity(&read, &odd, &|_| None).is_err());
}

#[test]
fn a_label_whose_users_were_not_read_is_never_deleted() {
    let plan = plan_against(
        "prune: { utilizationLabels: true }\nutilizationLabels: [{ name: Gold }]",
        |live| {
            for (name, agents) in [("Gold", None), ("Unused", Some(0)), ("Unread", None)] {
                live.utilization_labels.insert(
                    name.into(),
                    switchboard_manifest::live::LiveUtilizationLabel {
                        id: format!("l-{name}"),
                        agents,
                    },
                );
            }
        },
    )
    .unwrap();
    let labels: Vec<String> = plan
        .changes
        .iter()
        .filter(|c| c.address.kind == ResourceKind::UtilizationLabel)
        .map(|c| {
            let refused = c
                .refused
                .as_ref()
                .map(|r| format!(" refused: {}", r.message))
                .unwrap_or_default();
            format!("{} {}{refused}", c.action.symbol(), c.address.name)
        })
        .collect();
    assert_eq!(
        labels,
        [
            "- Unread refused: who uses it was not read, so its delete cannot be justified; run the plan again",
            "- Unused",
        ]
    );
}
