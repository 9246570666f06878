//! The conversion on a hand-built snapshot: defaults left out, references by name, group
//! members not listed, determinism, the layout, and a round trip through the loader and the
//! plan.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use serde_json::json;
use switchboard_manifest::live::{
    LiveDivision, LiveMember, LiveObject, LiveOrg, LiveQueue, LiveUser, LiveWrapupCode,
};
use switchboard_manifest::model::{Mode, ObjectRef, Queue};
use switchboard_manifest::{Live, load_str};
use switchboard_plan::{Policy, diff};

use crate::{Export, ExportOptions, Section, export, slug};

fn object(id: &str, division: Option<&str>) -> LiveObject {
    LiveObject {
        id: id.into(),
        division_id: division.map(String::from),
    }
}

fn member(id: &str, ring: i64, by_group: bool) -> LiveMember {
    LiveMember {
        user_id: id.into(),
        name: None,
        email: None,
        ring: Some(ring),
        joined: Some(true),
        by_group,
    }
}

fn user(id: &str, state: &str, skills: &[(&str, f64)], languages: &[(&str, f64)]) -> LiveUser {
    LiveUser {
        id: id.into(),
        name: None,
        state: state.into(),
        skills: skills.iter().map(|(k, v)| ((*k).to_string(), *v)).collect(),
        languages: languages
            .iter()
            .map(|(k, v)| ((*k).to_string(), *v))
            .collect(),
        utilization: None,
    }
}

fn queue(id: &str, division: &str, body: serde_json::Value) -> LiveQueue {
    LiveQueue {
        id: id.into(),
        division_id: Some(division.into()),
        body,
        members: Some(Vec::new()),
        wrapup_code_names: Default::default(),
        wrapup_code_ids: Some(BTreeSet::new()),
    }
}

/// An org with every shape the conversion handles.
fn org() -> Live {
    let mut live = Live {
        org: LiveOrg {
            id: "0a000000-0000-4000-8000-000000000001".into(),
            name: "Acme".into(),
        },
        ..Live::default()
    };
    for (name, id, home) in [
        ("Home", "d-home", true),
        ("Customer Care", "d-cc", false),
        ("Sales & Marketing", "d-sm", false),
        ("sales marketing", "d-sm2", false),
    ] {
        live.divisions.insert(
            name.into(),
            LiveDivision {
                id: id.into(),
                home,
            },
        );
    }
    live.skills
        .insert("Billing".into(), object("s-billing", Some("d-home")));
    live.skills
        .insert("Disputes".into(), object("s-disputes", Some("d-cc")));
    live.languages
        .insert("English".into(), object("l-en", None));
    live.wrapup_codes.insert(
        "Resolved".into(),
        LiveWrapupCode {
            id: "c-resolved".into(),
            description: Some("Solved first time".into()),
            division_id: Some("d-home".into()),
        },
    );
    live.wrapup_codes.insert(
        "Sale".into(),
        LiveWrapupCode {
            id: "c-sale".into(),
            description: Some(String::new()),
            division_id: Some("d-sm".into()),
        },
    );
    let mut billing = queue(
        "q-billing",
        "d-cc",
        json!({
            "id": "q-billing",
            "name": "Billing EN",
            "division": {"id": "d-cc", "name": "Customer Care", "selfUri": "/d"},
            "description": "",
            "memberCount": 3,
            "enableTranscription": false,
            "enableAudioMonitoring": true,
            "suppressInQueueCallRecording": true,
            "scoringMethod": "TimestampAndPriority",
            "mediaSettings": {
                "call": {"alertingTimeoutSeconds": 8, "enableAutoAnswer": false,
                         "serviceLevel": {"percentage": 0.8, "durationMs": 20000}},
                "message": {"alertingTimeoutSeconds": 30, "enableAutoAnswer": false,
                            "subTypeSettings": {"sms": {"enableAutoAnswer": true}}},
            },
            "acwSettings": {"wrapupPrompt": "OPTIONAL", "timeoutMs": 60000},
            "queueFlow": {"id": "f-1", "name": "Billing In-Queue", "selfUri": "/f"},
            "whisperPrompt": {"id": "p-1", "selfUri": "/p"},
            "bullseye": {"rings": [
                {"expansionCriteria": [{"type": "TIMEOUT_SECONDS", "threshold": 15.0}],
                 "actions": {"skillsToRemove": [{"id": "s-disputes", "selfUri": "/s"}]}},
                {}
            ]},
            "conditionalGroupRouting": {"rules": [
                {"queue": {"id": "q-billing"}, "metric": "EstimatedWaitTime",
                 "operator": "GreaterThan", "conditionValue": 120, "waitSeconds": 30,
                 "groups": [{"id": "g-1", "name": "Overflow", "type": "GROUP"}]},
                {"queue": {"id": "q-sales"}, "metric": "ServiceLevel",
                 "operator": "LessThan", "conditionValue": 0.6,
                 "groups": [{"id": "g-2", "name": "Leads", "type": "TEAM"}]}
            ]},
            "memberGroups": [{"id": "g-1", "type": "GROUP"}],
            "outboundEmailAddress": {"domain": {"id": "billing.example.com"}},
            "selfUri": "/q",
        }),
    );
    billing.members = Some(vec![
        member("u-ana", 1, false),
        member("u-bo", 2, false),
        member("u-gita", 1, true),
        member("u-hugo", 1, false),
    ]);
    billing.wrapup_code_ids = Some(["c-resolved".to_string()].into());
    live.queues.insert("Billing EN".into(), billing);
    let mut sales = queue(
        "q-sales",
        "d-sm",
        json!({
            "id": "q-sales", "name": "Sales EN",
            "division": {"id": "d-sm"},
            "acwSettings": {"wrapupPrompt": "MANDATORY_TIMEOUT"},
            "routingRules": [],
            "enableManualAssignment": false,
        }),
    );
    sales.members = Some(vec![member("u-gita", 1, false)]);
    sales.wrapup_code_ids = Some(["c-sale".to_string(), "c-gone".to_string()].into());
    live.queues.insert("Sales EN".into(), sales);
    live.queues.insert(
        "Other".into(),
        queue(
            "q-other",
            "d-sm2",
            json!({"id": "q-other", "name": "Other", "division": {"id": "d-sm2"}}),
        ),
    );
    live.users.insert(
        "ana@acme.com".into(),
        user("u-ana", "active", &[("s-billing", 4.0)], &[("l-en", 5.0)]),
    );
    live.users.insert(
        "bo@acme.com".into(),
        user(
            "u-bo",
            "active",
            &[("s-billing", 2.5), ("s-gone", 3.0)],
            &[],
        ),
    );
    live.users
        .insert("gita@acme.com".into(), user("u-gita", "active", &[], &[]));
    live.users.insert(
        "hugo@acme.com".into(),
        user("u-hugo", "inactive", &[("s-billing", 1.0)], &[]),
    );
    live
}

fn everything(live: &Live) -> Export {
    export(live, &ExportOptions::all("mypurecloud.ie")).unwrap()
}

fn queue_named<'a>(export: &'a Export, name: &str) -> &'a Queue {
    export
        .manifest
        .queues
        .iter()
        .find(|q| q.name == name)
        .unwrap()
}

fn file<'a>(export: &'a Export, path: &str) -> &'a str {
    &export
        .files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path}"))
        .contents
}

/// The export as one manifest text (the files' lists concatenated), checked by the loader
/// and planned against `live`: it must have no error and no change.
fn round_trip(export: &Export, live: &Live) {
    let text = serde_yaml_ng::to_string(&export.manifest).unwrap();
    let loaded = load_str("export.yaml", &text);
    assert!(!loaded.has_errors(), "{}", loaded.findings_text());
    let plan = diff(loaded.manifest.as_ref().unwrap(), live, &Policy::default()).unwrap();
    assert!(plan.changes.is_empty(), "{:#?}", plan.changes);
}

#[test]
fn defaults_are_left_out_and_what_the_manifest_does_not_model_is_dropped() {
    let export = everything(&org());
    let billing = queue_named(&export, "Billing EN");
    assert_eq!(billing.description, None, "an empty description");
    assert_eq!(billing.enable_transcription, None, "false is the default");
    assert_eq!(billing.enable_audio_monitoring, Some(true));
    assert_eq!(billing.suppress_in_queue_call_recording, Some(true));
    let media = billing.media_settings.as_ref().unwrap();
    let call = media.call.as_ref().unwrap();
    assert_eq!(call.enable_auto_answer, None);
    assert_eq!(call.alerting_timeout_seconds, Some(8));
    assert_eq!(
        media.message.as_ref().unwrap().alerting_timeout_seconds,
        Some(30),
        "message is written"
    );
    let acw = billing.acw_settings.unwrap();
    assert_eq!(acw.timeout_ms, None, "OPTIONAL takes no timeout");
    let text = file(&export, "queues/customer-care.yaml");
    for absent in [
        "enableTranscription",
        "description",
        "enableAutoAnswer: false",
        "selfUri",
        "memberCount",
        "15.0",
    ] {
        assert!(!text.contains(absent), "{absent} in\n{text}");
    }
    // Member groups are managed, authoritative, named as the queue's rules name the group.
    let groups = queue_named(&export, "Billing EN")
        .member_groups
        .clone()
        .unwrap();
    assert_eq!(
        groups.mode,
        switchboard_manifest::model::Mode::Authoritative
    );
    assert_eq!(
        groups
            .groups
            .iter()
            .map(|g| g.name.as_str())
            .collect::<Vec<_>>(),
        ["Overflow"]
    );
    let sales = queue_named(&export, "Sales EN");
    assert_eq!(sales.routing_rules, None, "an empty list");
    assert_eq!(sales.enable_manual_assignment, None);
    assert_eq!(
        sales.acw_settings, None,
        "a timeout prompt without its timeout cannot be written"
    );
    assert!(
        export
            .notes
            .iter()
            .any(|n| n.subject == "queue \"Sales EN\"" && n.message.starts_with("acwSettings"))
    );
    let sale = export
        .manifest
        .wrapup_codes
        .iter()
        .find(|c| c.name == "Sale")
        .unwrap();
    assert_eq!(sale.description, None);
    assert_eq!(sale.division.as_deref(), Some("Sales & Marketing"));
}

#[test]
fn a_name_the_lookups_find_for_that_very_object_drops_the_id_and_only_then() {
    use switchboard_manifest::live::LiveReferent;
    use switchboard_manifest::references::ReferenceKind;
    let referent = |id: &str, name: &str| LiveReferent::new(id, name);
    let mut live = org();
    // The flow's name finds another flow: by id. The group "Overflow" is unique: by name; the
    // team "Leads" is carried by two teams: with its id.
    live.references.insert(
        ReferenceKind::InQueueCallFlow,
        vec![referent("f-9", "Billing In-Queue")],
    );
    live.references
        .insert(ReferenceKind::Group, vec![referent("g-1", "Overflow")]);
    live.references.insert(
        ReferenceKind::Team,
        vec![referent("g-2", "Leads"), referent("g-3", "Leads")],
    );
    let export = everything(&live);
    let billing = queue_named(&export, "Billing EN");
    assert_eq!(
        billing.queue_flow,
        Some(ObjectRef {
            name: None,
            id: Some("f-1".into())
        })
    );
    let rules = &billing.conditional_group_routing.as_ref().unwrap().rules;
    assert_eq!(rules[0].groups[0].id, None);
    assert_eq!(rules[1].groups[0].id.as_deref(), Some("g-2"));
}

#[test]
fn references_are_by_name() {
    let export = everything(&org());
    let billing = queue_named(&export, "Billing EN");
    assert_eq!(billing.division.as_deref(), Some("Customer Care"));
    assert_eq!(
        billing.queue_flow,
        Some(ObjectRef {
            name: Some("Billing In-Queue".into()),
            id: None
        }),
        "a flow with a name is written by name"
    );
    assert_eq!(
        billing.whisper_prompt,
        Some(ObjectRef {
            name: None,
            id: Some("p-1".into())
        }),
        "one without a name by id"
    );
    let rings = &billing.bullseye.as_ref().unwrap().rings;
    assert_eq!(rings[0].skills_to_remove, ["Disputes"]);
    assert_eq!(rings[0].expansion_timeout_seconds, Some(15.0));
    let rules = &billing.conditional_group_routing.as_ref().unwrap().rules;
    assert_eq!(rules[0].queue, None, "this queue is what no queue means");
    assert_eq!(rules[1].queue.as_deref(), Some("Sales EN"));
    let group = &rules[0].groups[0];
    assert_eq!(
        (group.name.as_str(), group.id.as_deref()),
        ("Overflow", Some("g-1")),
        "groups keep their id: the API cannot find a group by name"
    );
    assert_eq!(
        billing.wrapup_codes.as_ref().unwrap().codes,
        ["Resolved"],
        "codes by name"
    );
    let ana = export
        .manifest
        .agents
        .iter()
        .find(|a| a.user == "ana@acme.com")
        .unwrap();
    let skills = ana.skills.as_ref().unwrap();
    assert_eq!(skills.mode, Mode::Authoritative);
    assert_eq!(skills.proficiency["Billing"].0, 4.0);
    assert_eq!(
        ana.languages.as_ref().unwrap().proficiency["English"].0,
        5.0
    );
    let text = file(&export, "agents.yaml");
    assert!(
        text.contains("Billing: 4\n"),
        "whole numbers without .0:\n{text}"
    );
    assert!(!text.contains("s-billing") && !text.contains("l-en"));
    let skill = &export.manifest.skills;
    assert_eq!(skill[0].division, None, "the home division is not written");
    assert_eq!(skill[1].division.as_deref(), Some("Customer Care"));
}

#[test]
fn direct_members_are_listed_by_email_and_group_members_are_not() {
    let export = everything(&org());
    let members = queue_named(&export, "Billing EN").members.as_ref().unwrap();
    assert_eq!(members.mode, Mode::Authoritative);
    let listed: Vec<(&str, Option<u8>)> = members
        .users
        .iter()
        .map(|m| (m.user.as_str(), m.ring))
        .collect();
    assert_eq!(
        listed,
        [
            ("ana@acme.com", None),
            ("bo@acme.com", Some(2)),
            ("hugo@acme.com", None)
        ],
        "gita is a member through a group; hugo, inactive, is listed so he is not removed"
    );
    // Agents: active holders only; a skill the org does not list is left out.
    let agents: Vec<&str> = export
        .manifest
        .agents
        .iter()
        .map(|a| a.user.as_str())
        .collect();
    assert_eq!(agents, ["ana@acme.com", "bo@acme.com"]);
    let bo = &export.manifest.agents[1];
    assert_eq!(bo.languages, None);
    assert_eq!(
        bo.skills
            .as_ref()
            .unwrap()
            .proficiency
            .keys()
            .collect::<Vec<_>>(),
        ["Billing"]
    );
    assert!(
        export
            .notes
            .iter()
            .any(|n| n.subject == "agent hugo@acme.com"
                && n.file == "agents.yaml"
                && n.message.starts_with("inactive"))
    );
    // A code the org does not list makes the queue's codes additive.
    let codes = queue_named(&export, "Sales EN")
        .wrapup_codes
        .as_ref()
        .unwrap();
    assert_eq!(codes.mode, Mode::Additive);
    assert_eq!(codes.codes, ["Sale"]);
}

#[test]
fn the_layout_is_one_file_per_kind_and_per_division() {
    let export = everything(&org());
    let paths: Vec<&str> = export.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "agents.yaml",
            "languages.yaml",
            "org.yaml",
            "queues/customer-care.yaml",
            "queues/sales-marketing-2.yaml",
            "queues/sales-marketing.yaml",
            "skills.yaml",
            "wrapup-codes.yaml",
        ]
    );
    assert!(file(&export, "queues/sales-marketing.yaml").contains("name: Sales EN"));
    assert!(file(&export, "queues/sales-marketing-2.yaml").contains("name: Other"));
    let org = file(&export, "org.yaml");
    assert!(org.contains("region: mypurecloud.ie"));
    assert!(org.contains("id: 0a000000-0000-4000-8000-000000000001"));
    assert_eq!(
        export.manifest.scope.as_ref().unwrap().divisions,
        [
            "Customer Care",
            "Home",
            "Sales & Marketing",
            "sales marketing"
        ],
        "wrap-up codes name their division, the home one too (a code created without one \
         goes to every division)"
    );
    for file in &export.files {
        assert!(
            file.contents
                .starts_with("# Written by `switchboard export`")
        );
        assert!(file.contents.contains("\nversion: 1\n"), "{}", file.path);
    }
    // The notes are at the top of the file they concern.
    assert!(
        file(&export, "queues/sales-marketing.yaml")
            .contains("# - queue \"Sales EN\": acwSettings")
    );
    assert_eq!(slug("Customer Care"), "customer-care");
    assert_eq!(slug("  Ventes / Québec "), "ventes-québec");
    assert_eq!(slug("***"), "division");
}

#[test]
fn the_same_org_gives_the_same_bytes() {
    let live = org();
    let first = everything(&live);
    let second = everything(&live.clone());
    assert_eq!(first, second);
}

#[test]
fn what_is_exported_loads_and_plans_to_no_changes() {
    let live = org();
    round_trip(&everything(&live), &live);
}

#[test]
fn a_division_limits_queues_and_agents() {
    let live = org();
    let options = ExportOptions {
        division: Some("Customer Care".into()),
        ..ExportOptions::all("mypurecloud.com")
    };
    let export = export(&live, &options).unwrap();
    let queues: Vec<&str> = export
        .manifest
        .queues
        .iter()
        .map(|q| q.name.as_str())
        .collect();
    assert_eq!(queues, ["Billing EN"]);
    assert_eq!(
        queue_named(&export, "Billing EN").conditional_group_routing,
        None,
        "a rule watches Sales EN, which is not exported"
    );
    let agents: Vec<&str> = export
        .manifest
        .agents
        .iter()
        .map(|a| a.user.as_str())
        .collect();
    assert_eq!(
        agents,
        ["ana@acme.com", "bo@acme.com"],
        "the queue's direct members"
    );
    round_trip(&export, &live);

    let unknown = ExportOptions {
        division: Some("Nowhere".into()),
        ..ExportOptions::all("mypurecloud.com")
    };
    assert!(super::export(&live, &unknown).is_err());
}

#[test]
fn included_kinds_bring_the_kinds_they_name() {
    let live = org();
    let options = ExportOptions {
        include: [Section::Queues].into(),
        ..ExportOptions::all("mypurecloud.com")
    };
    let export = export(&live, &options).unwrap();
    assert!(
        !export.manifest.skills.is_empty(),
        "skillsToRemove names skills"
    );
    assert!(!export.manifest.wrapup_codes.is_empty());
    assert!(export.manifest.languages.is_empty());
    assert!(export.manifest.agents.is_empty());
    assert!(export.notes.iter().any(|n| n.subject == "skills"));
    round_trip(&export, &live);
    assert_eq!(
        "wrapup-codes".parse::<Section>().unwrap(),
        Section::WrapupCodes
    );
    assert_eq!(
        "wrapupCodes".parse::<Section>().unwrap(),
        Section::WrapupCodes
    );
    assert!("users".parse::<Section>().is_err());
}

#[test]
fn an_org_holding_one_name_twice_by_the_name_rule_is_refused_not_guessed() {
    let mut live = org();
    let skill = live.skills.values().next().unwrap().clone();
    let name = live.skills.keys().next().unwrap().clone();
    let mut twin = skill;
    twin.id = "sk-twin".into();
    live.skills
        .insert(format!(" {} ", name.to_uppercase()), twin);
    let error = export(&live, &ExportOptions::all("mypurecloud.ie")).unwrap_err();
    let message = error.to_string();
    assert!(
        message.starts_with("cannot export: the org has skills")
            && message.contains(&format!("{name:?}"))
            && message.contains("hint: rename all but one"),
        "{message}"
    );
}

#[test]
fn routing_settings_the_manifest_cannot_hold_are_left_out_with_a_note() {
    let mut live = org();
    let object = |value: serde_json::Value| match value {
        serde_json::Value::Object(map) => Some(map),
        _ => None,
    };
    live.routing_settings = Some(switchboard_manifest::live::LiveRoutingSettings {
        settings: object(json!({"resetAgentScoreOnPresenceChange": true, "somethingNew": 1})),
        contact_center: None,
        transcription: object(json!({
            "transcription": "EnabledSomewhere",
            "transcriptionConfidenceThreshold": 0,
            "contentSearchEnabled": true,
            "piiRedactionEnabled": null,
        })),
    });
    let exported = everything(&live);
    let settings = exported.manifest.routing_settings.as_ref().unwrap();
    assert_eq!(settings.reset_agent_score_on_presence_change, Some(true));
    assert!(settings.contact_center.is_none(), "not read: not written");
    let transcription = settings.transcription.as_ref().unwrap();
    assert_eq!(transcription.transcription, None);
    assert_eq!(transcription.transcription_confidence_threshold, None);
    assert_eq!(transcription.content_search_enabled, Some(true));
    assert_eq!(transcription.pii_redaction_enabled, None);
    let notes: Vec<String> = exported
        .notes
        .iter()
        .filter(|n| n.subject.contains("routing settings"))
        .map(|n| format!("{}: {}: {}", n.file, n.subject, n.message))
        .collect();
    assert_eq!(
        notes,
        [
            "org.yaml: the org's routing settings: not written, and so left as they are: \
          transcription.transcription: \"EnabledSomewhere\" is not a value the manifest can hold; \
          transcription.transcriptionConfidenceThreshold: 0 is out of 1 to 100"
        ]
    );
    assert!(file(&exported, "org.yaml").contains("# - the org's routing settings: not written"));
    round_trip(&exported, &live);
}
