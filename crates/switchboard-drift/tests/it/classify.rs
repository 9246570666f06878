//! Classification and coverage, pure: a small live org built in code, manifests in YAML.

use std::collections::BTreeSet;

use serde_json::{Value, json};
use switchboard_drift::render::{MARKDOWN_LIMIT, TextStyle, json, markdown, text};
use switchboard_drift::{ChangeOp, Class, DriftObject, ObjectKind, Report, Share, classify};
use switchboard_manifest::Live;
use switchboard_manifest::live::{
    LiveDivision, LiveMember, LiveObject, LiveOrg, LiveQueue, LiveUser, LiveWrapupCode,
};
use switchboard_plan::Action;

use crate::{manifest, plans};

const HOME: &str = "div-home";
const SALES: &str = "div-sales";

fn queue(id: &str, name: &str, division: &str, description: &str) -> LiveQueue {
    LiveQueue {
        id: id.into(),
        division_id: Some(division.into()),
        body: json!({
            "id": id,
            "name": name,
            "description": description,
            "division": {"id": division},
            "bullseye": {"rings": [
                {"expansionCriteria": [{"type": "TIMEOUT_SECONDS", "threshold": 15}]},
                {}
            ]},
        }),
        members: None,
        wrapup_code_names: Default::default(),
        wrapup_code_ids: None,
    }
}

fn member(user_id: &str, email: &str, ring: i64) -> LiveMember {
    LiveMember {
        user_id: user_id.into(),
        name: None,
        email: Some(email.into()),
        ring: Some(ring),
        joined: Some(true),
        by_group: false,
    }
}

/// Acme: two divisions; skills Billing, Refunds, VIP (Home) and Sales (Sales); languages
/// English and Spanish; codes Resolved and Old Code; queues Billing EN (members Ana ring 1,
/// Bo ring 2), Legacy (Home) and Sales EN (Sales); Ana holds Billing at 5.
fn live() -> Live {
    let mut live = Live {
        org: LiveOrg {
            id: "0a000000-0000-4000-8000-0000000000ac".into(),
            name: "Acme".into(),
        },
        ..Live::default()
    };
    for (name, id, home) in [("Home", HOME, true), ("Sales", SALES, false)] {
        live.divisions.insert(
            name.into(),
            LiveDivision {
                id: id.into(),
                home,
            },
        );
    }
    for (name, id, division) in [
        ("Billing", "sk-billing", HOME),
        ("Refunds", "sk-refunds", HOME),
        ("VIP", "sk-vip", HOME),
        ("Sales", "sk-sales", SALES),
    ] {
        live.skills.insert(
            name.into(),
            LiveObject {
                id: id.into(),
                division_id: Some(division.into()),
            },
        );
    }
    for (name, id) in [("English", "lang-en"), ("Spanish", "lang-es")] {
        live.languages.insert(
            name.into(),
            LiveObject {
                id: id.into(),
                division_id: None,
            },
        );
    }
    for (name, id, description) in [
        ("Resolved", "wc-resolved", Some("Solved")),
        ("Old Code", "wc-old", None),
    ] {
        live.wrapup_codes.insert(
            name.into(),
            LiveWrapupCode {
                id: id.into(),
                description: description.map(String::from),
                division_id: Some(HOME.into()),
            },
        );
    }
    let mut billing = queue("q-billing", "Billing EN", HOME, "Billing questions");
    billing.members = Some(vec![
        member("u-ana", "ana@acme.com", 1),
        member("u-bo", "bo@acme.com", 2),
    ]);
    live.queues.insert("Billing EN".into(), billing);
    live.queues.insert(
        "Legacy".into(),
        queue("q-legacy", "Legacy", HOME, "Old queue"),
    );
    live.queues.insert(
        "Sales EN".into(),
        queue("q-sales", "Sales EN", SALES, "Sales queue"),
    );
    live.users.insert(
        "ana@acme.com".into(),
        LiveUser {
            id: "u-ana".into(),
            name: Some("Ana".into()),
            state: "active".into(),
            skills: [("sk-billing".to_string(), 5.0)].into(),
            languages: Default::default(),
            utilization: None,
        },
    );
    live.users.insert(
        "bo@acme.com".into(),
        LiveUser {
            id: "u-bo".into(),
            name: Some("Bo".into()),
            state: "active".into(),
            ..LiveUser::default()
        },
    );
    live
}

/// Declares everything in Home as it is, except what `edit` changes.
const MIRROR: &str = "\
version: 1
org: { name: Acme, region: mypurecloud.ie }
scope: { divisions: [Home] }
protect: ['skill:VIP']
skills: [ { name: Billing }, { name: Refunds }, { name: VIP } ]
languages: [ { name: English }, { name: Spanish } ]
wrapupCodes:
  - { name: Resolved, description: Solved }
  - { name: Old Code }
queues:
  - name: Billing EN
    division: Home
    description: Billing questions
    bullseye: { rings: [ { expansionTimeoutSeconds: 15 }, {} ] }
    members:
      mode: authoritative
      users: [ { user: ana@acme.com, ring: 1 }, { user: bo@acme.com, ring: 2 } ]
  - { name: Legacy, division: Home, description: Old queue }
agents:
  - user: ana@acme.com
    skills: { mode: authoritative, proficiency: { Billing: 5 } }
";

/// Drifted on purpose: Resolved's description, Billing EN's description and members, Ana's
/// proficiency differ; Gone is missing; VIP, Spanish, Old Code and Legacy are unmanaged
/// (queues are pruned, VIP is protected); Sales and Sales EN are outside the scope.
const DRIFTED: &str = "\
version: 1
org: { name: Acme, region: mypurecloud.ie }
scope: { divisions: [Home] }
prune: { queues: true }
protect: ['skill:VIP']
skills: [ { name: Billing }, { name: Refunds } ]
languages: [ { name: English } ]
wrapupCodes:
  - { name: Resolved, description: Issue solved on first contact }
  - { name: Gone }
queues:
  - name: Billing EN
    division: Home
    description: Billing questions in English
    bullseye: { rings: [ { expansionTimeoutSeconds: 15 }, {} ] }
    members:
      mode: authoritative
      users: [ { user: ana@acme.com, ring: 2 } ]
agents:
  - user: ana@acme.com
    skills: { mode: authoritative, proficiency: { Billing: 4 } }
";

fn report(yaml: &str) -> Report {
    let live = live();
    classify(&plans(&manifest(yaml), &live), &live)
}

/// Each difference of `object` as (path, before, after).
fn path_before_after(object: &DriftObject) -> Vec<(&str, Option<&Value>, Option<&Value>)> {
    object
        .changes
        .iter()
        .map(|c| (c.path.as_str(), c.before.as_ref(), c.after.as_ref()))
        .collect()
}

fn object<'a>(report: &'a Report, kind: ObjectKind, name: &str) -> &'a DriftObject {
    report
        .objects
        .iter()
        .find(|o| o.kind == kind && o.name == name)
        .unwrap_or_else(|| panic!("no {kind} {name:?} in {:#?}", report.objects))
}

#[test]
fn a_mirror_manifest_is_in_sync_and_fully_covered() {
    let report = report(MIRROR);
    assert!(report.in_sync(), "{:#?}", report.objects);
    assert!(report.objects.is_empty(), "{:#?}", report.objects);
    assert_eq!(report.coverage.overall, Share::new(9, 0));
    assert_eq!(report.coverage.overall.ratio, Some(1.0));
    assert_eq!(
        report.coverage.by_kind[&ObjectKind::Skill],
        Share::new(3, 0),
        "Sales is outside the scope: neither managed nor unmanaged"
    );
    let text = text(&report, &TextStyle::default());
    assert!(
        text.ends_with("No drift: the org matches the manifest.\n"),
        "{text}"
    );
}

#[test]
fn each_object_is_classified_with_its_differences() {
    let report = report(DRIFTED);
    let addresses: Vec<(Class, &str, bool)> = report
        .objects
        .iter()
        .map(|o| (o.class, o.address.as_str(), o.drift))
        .collect();
    assert_eq!(
        addresses,
        [
            (Class::Changed, "wrapup_code[\"Resolved\"]", true),
            (Class::Changed, "queue[\"Billing EN\"]", true),
            (Class::Changed, "agent[\"ana@acme.com\"]", true),
            (Class::Missing, "wrapup_code[\"Gone\"]", true),
            (Class::Unmanaged, "skill[\"VIP\"]", false),
            (Class::Unmanaged, "language[\"Spanish\"]", false),
            (Class::Unmanaged, "wrapup_code[\"Old Code\"]", false),
            (Class::Unmanaged, "queue[\"Legacy\"]", true),
        ],
        "sorted by class, kind and name; out-of-scope objects are left out; an unmanaged object is drift only where the manifest prunes (queues) and it is not protected"
    );
    assert!(!report.in_sync());
    let summary = report.summary();
    assert_eq!(
        (
            summary.drifted,
            summary.changed,
            summary.missing,
            summary.unmanaged
        ),
        (5, 3, 1, 4)
    );

    // Attributes and collections, before = the manifest, after = the org.
    let queue = object(&report, ObjectKind::Queue, "Billing EN");
    assert_eq!(queue.id.as_deref(), Some("q-billing"));
    type Row<'a> = (
        &'a str,
        Option<&'a str>,
        ChangeOp,
        Option<&'a Value>,
        Option<&'a Value>,
    );
    let changes: Vec<Row> = queue
        .changes
        .iter()
        .map(|c| {
            (
                c.path.as_str(),
                c.key.as_deref(),
                c.op,
                c.before.as_ref(),
                c.after.as_ref(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            (
                "description",
                None,
                ChangeOp::Changed,
                Some(&json!("Billing questions in English")),
                Some(&json!("Billing questions"))
            ),
            (
                "members",
                Some("ana@acme.com"),
                ChangeOp::Changed,
                Some(&json!(2)),
                Some(&json!(1))
            ),
            (
                "members",
                Some("bo@acme.com"),
                ChangeOp::Added,
                None,
                Some(&json!(2))
            ),
        ],
        "a queue's members are changes of the queue"
    );
    let agent = object(&report, ObjectKind::Agent, "ana@acme.com");
    assert_eq!(agent.id.as_deref(), Some("u-ana"));
    assert_eq!(agent.changes.len(), 1);
    assert_eq!(agent.changes[0].path, "skills");
    assert_eq!(agent.changes[0].key.as_deref(), Some("Billing"));
    let gone = object(&report, ObjectKind::WrapupCode, "Gone");
    assert_eq!(gone.id, None, "a missing object has no id");
    assert!(gone.changes.iter().all(|c| c.op == ChangeOp::Removed));
    let vip = object(&report, ObjectKind::Skill, "VIP");
    assert!(vip.protected && !vip.drift);
    assert_eq!(vip.id.as_deref(), Some("sk-vip"));
}

#[test]
fn unmanaged_objects_are_exactly_what_pruning_everything_would_delete() {
    let live = live();
    for yaml in [MIRROR, DRIFTED] {
        let plans = plans(&manifest(yaml), &live);
        let report = classify(&plans, &live);
        let unmanaged: BTreeSet<String> = report
            .of_class(Class::Unmanaged)
            .map(|o| o.address.clone())
            .collect();
        let deletes: BTreeSet<String> = plans
            .prune_all
            .changes
            .iter()
            .filter(|c| c.action == Action::Delete)
            .map(|c| c.address.to_string())
            .collect();
        assert_eq!(unmanaged, deletes);
    }
}

#[test]
fn coverage_counts_managed_and_unmanaged_objects_per_kind() {
    let report = report(DRIFTED);
    let by_kind = &report.coverage.by_kind;
    // Skills: Billing and Refunds managed; VIP unmanaged (protected); Sales out of scope.
    assert_eq!(by_kind[&ObjectKind::Skill], Share::new(2, 1));
    assert_eq!(by_kind[&ObjectKind::Skill].ratio, Some(0.6667));
    assert_eq!(by_kind[&ObjectKind::Language], Share::new(1, 1));
    // Gone is missing: not in the org, so not counted.
    assert_eq!(by_kind[&ObjectKind::WrapupCode], Share::new(1, 1));
    assert_eq!(by_kind[&ObjectKind::Queue], Share::new(1, 1));
    assert_eq!(report.coverage.overall, Share::new(5, 4));
    assert_eq!(report.coverage.overall.ratio, Some(0.5556));
    assert_eq!(Share::new(0, 0).ratio, None, "nothing in scope: no figure");
}

#[test]
fn a_former_name_in_use_by_a_rename_is_managed_not_unmanaged() {
    let yaml = MIRROR.replace(
        "  - { name: Legacy, division: Home, description: Old queue }",
        "  - { name: Archive, renamedFrom: [Legacy], division: Home, description: Old queue }",
    );
    let report = report(&yaml);
    let archive = object(&report, ObjectKind::Queue, "Archive");
    assert_eq!(archive.class, Class::Changed);
    assert_eq!(archive.changes[0].path, "name");
    assert_eq!(archive.changes[0].before, Some(json!("Archive")));
    assert_eq!(archive.changes[0].after, Some(json!("Legacy")));
    assert!(
        report.of_class(Class::Unmanaged).next().is_none(),
        "{:#?}",
        report.objects
    );
    assert_eq!(
        report.coverage.by_kind[&ObjectKind::Queue],
        Share::new(2, 0)
    );
}

#[test]
fn the_renderers_are_deterministic_and_say_what_drifted() {
    let report = report(DRIFTED);
    assert_eq!(json(&report), json(&report));
    let document: Value = serde_json::from_str(&json(&report)).unwrap();
    assert_eq!(document["format_version"], "1.0");
    assert_eq!(document["in_sync"], false);
    assert_eq!(document["summary"]["drifted"], 5);
    assert_eq!(document["coverage"]["overall"]["ratio"], 0.5556);
    assert_eq!(document["coverage"]["by_kind"]["wrapup_code"]["managed"], 1);
    assert_eq!(document["attribution"]["status"], "not_requested");
    let first = &document["objects"][0];
    assert_eq!(first["address"], "wrapup_code[\"Resolved\"]");
    assert_eq!(first["kind"], "wrapup_code");
    assert_eq!(first["class"], "changed");
    assert_eq!(first["id"], "wc-resolved");
    assert_eq!(first["changes"][0]["op"], "changed");
    assert_eq!(
        first["changes"][0]["before"],
        "Issue solved on first contact"
    );
    assert_eq!(first["changes"][0]["after"], "Solved");
    assert_eq!(first["attribution"], json!([]));

    let plain = text(&report, &TextStyle::default());
    assert!(!plain.contains('\u{1b}'), "no colour unless asked");
    // The plan's lines: the sign is what apply would do, the org's value comes first.
    for expected in [
        "Changed outside git (3) — what apply would change back, the org's value → the manifest's:\n",
        "\n  ~ queue \"Billing EN\" (id q-billing)\n",
        "\n      ~ description = \"Billing questions\" → \"Billing questions in English\"\n",
        "\n      ~ member ana@acme.com ring 1 → 2\n",
        "\n      - member bo@acme.com\n",
        "\nMissing from the org (1) — what apply would create:\n  + wrap-up code \"Gone\"\n      + name = \"Gone\"\n",
        "\nUnmanaged: in the org and in scope, not in the manifest (4) — apply would delete those marked -, and leave the rest:\n",
        "\n    skill \"VIP\" (id sk-vip) [protected]\n",
        "\n    language \"Spanish\" (id lang-es)\n",
        "\n  - queue \"Legacy\" (id q-legacy) [prune is on: apply would delete it]\n",
        "\nCoverage: 5 of 9 objects in scope are managed (55.6 %)\n",
        "\nDrift: 3 changed outside git, 1 missing, 1 unmanaged to be pruned.\n",
        "\nNext: `switchboard apply` with this manifest makes these changes (its plan shows the same lines)",
    ] {
        assert!(plain.contains(expected), "{expected:?} in:\n{plain}");
    }
    let coloured = text(&report, &TextStyle { color: true });
    // The plan's colours: green `+`, yellow `~`, red `-`.
    for expected in [
        "  \u{1b}[33m~\u{1b}[0m queue \"Billing EN\"",
        "      \u{1b}[31m-\u{1b}[0m member bo@acme.com",
        "  \u{1b}[32m+\u{1b}[0m wrap-up code \"Gone\"",
        "  \u{1b}[31m-\u{1b}[0m queue \"Legacy\"",
    ] {
        assert!(coloured.contains(expected), "{expected:?} in:\n{coloured}");
    }

    let md = markdown(&report, MARKDOWN_LIMIT);
    assert!(md.contains("> [!WARNING]"), "{md}");
    for expected in [
        "\n### Changed outside git (3) — what apply would change back, the org's value → the manifest's\n",
        // The plan's Markdown: the differences in a `diff` fence, `~` as `!`.
        "\n- `~` <code>queue \"Billing EN\"</code>\n  ```diff\n  !   description = \"Billing questions\" → \"Billing questions in English\"\n  !   member ana@acme.com ring 1 → 2\n  -   member bo@acme.com\n  ```\n",
        "\n- `+` <code>wrap-up code \"Gone\"</code>\n  ```diff\n  +   name = \"Gone\"\n  ```\n",
        "\n### Unmanaged: in the org and in scope, not in the manifest (4) — apply would delete those marked `-`, and leave the rest\n",
        "\n- `-` <code>queue \"Legacy\"</code> (prune is on: apply would delete it)\n",
        "\n- <code>skill \"VIP\"</code> (protected)\n",
    ] {
        assert!(md.contains(expected), "{expected:?} in:\n{md}");
    }
    // Room for the header, the counts, the next step and a cut list.
    let small = markdown(&report, 1500);
    assert!(small.chars().count() <= 1500, "{small}");
    assert!(
        small.contains("`switchboard drift --patch FILE`"),
        "{small}"
    );
    assert!(small.contains("… and"), "{small}");
}

#[test]
fn user_data_cannot_drive_the_terminal_or_the_markdown() {
    let live_org = {
        let mut live = live();
        let legacy = live.queues.remove("Legacy").unwrap();
        live.queues
            .insert("Evil\u{1b}[31m <b>*x*</b>".into(), legacy);
        live
    };
    let report = classify(&plans(&manifest(MIRROR), &live_org), &live_org);
    let plain = text(&report, &TextStyle::default());
    assert!(!plain.contains('\u{1b}'), "{plain}");
    let md = markdown(&report, MARKDOWN_LIMIT);
    assert!(!md.contains("<b>") && !md.contains("*x*"), "{md}");
}

#[test]
fn a_listed_member_missing_from_the_queue_is_drift_even_when_it_cannot_be_added() {
    // Cy is listed but has no account; Eve is listed, inactive and not a member: the plan
    // can add neither (it warns), yet the org does not match the manifest.
    let yaml = MIRROR.replace(
        "users: [ { user: ana@acme.com, ring: 1 }, { user: bo@acme.com, ring: 2 } ]",
        "users: [ { user: ana@acme.com, ring: 1 }, { user: bo@acme.com, ring: 2 }, { user: cy@acme.com }, { user: eve@acme.com } ]",
    );
    let mut live = live();
    live.users.insert(
        "eve@acme.com".into(),
        LiveUser {
            id: "u-eve".into(),
            state: "inactive".into(),
            ..LiveUser::default()
        },
    );
    let report = classify(&plans(&manifest(&yaml), &live), &live);
    assert!(!report.in_sync(), "{report:#?}");
    let queue = object(&report, ObjectKind::Queue, "Billing EN");
    assert_eq!(queue.class, Class::Changed);
    assert!(queue.drift);
    let missing: Vec<(&str, ChangeOp)> = queue
        .changes
        .iter()
        .filter_map(|c| Some((c.key.as_deref()?, c.op)))
        .collect();
    assert_eq!(
        missing,
        [
            ("cy@acme.com", ChangeOp::Removed),
            ("eve@acme.com", ChangeOp::Removed)
        ]
    );
    assert!(
        queue.changes[0]
            .note
            .as_deref()
            .is_some_and(|n| n.contains("no user has the email cy@acme.com")),
        "{:?}",
        queue.changes[0].note
    );
    // Apply cannot add them (its plan only warns): no sign, the reason instead.
    let plain = text(&report, &TextStyle::default());
    for expected in [
        "\n  ~ queue \"Billing EN\"\n        member cy@acme.com — no user has the email cy@acme.com, so it is not a member and cannot be added; skipped\n",
        "\n        member eve@acme.com — user eve@acme.com is inactive, so it is not a member and cannot be added; skipped\n",
    ] {
        assert!(plain.contains(expected), "{expected:?} in:\n{plain}");
    }
}

#[test]
fn an_agents_capacity_changed_in_the_org_is_drift_field_by_field() {
    let mut live = live();
    live.users.get_mut("ana@acme.com").unwrap().utilization = Some(
        serde_json::from_value(json!({
            "utilization": {"chat": {"maximumCapacity": 5, "interruptableMediaTypes": [], "includeNonAcd": false}},
            "level": "Agent",
        }))
        .unwrap(),
    );
    let yaml = MIRROR.replace(
        "    skills: { mode: authoritative, proficiency: { Billing: 5 } }\n",
        "    skills: { mode: authoritative, proficiency: { Billing: 5 } }\n    capacity: { mode: additive, chat: { maximumCapacity: 3 } }\n",
    );
    assert_ne!(yaml, MIRROR);
    let report = classify(&plans(&manifest(&yaml), &live), &live);
    let ana = object(&report, ObjectKind::Agent, "ana@acme.com");
    assert_eq!(ana.class, Class::Changed);
    let changes = path_before_after(ana);
    assert_eq!(
        changes,
        [(
            "capacity.chat.maximumCapacity",
            Some(&json!(3)),
            Some(&json!(5))
        )],
        "the manifest's value, then the org's"
    );
}

#[test]
fn the_orgs_utilization_changed_in_the_org_is_drift_of_the_org() {
    let mut live = live();
    live.org_utilization = Some(
        serde_json::from_value(json!({
            "utilization": {"call": {"maximumCapacity": 2, "interruptableMediaTypes": [], "includeNonAcd": false}},
        }))
        .unwrap(),
    );
    let yaml =
        format!("{MIRROR}utilization: {{ mode: additive, call: {{ maximumCapacity: 1 }} }}\n");
    let report = classify(&plans(&manifest(&yaml), &live), &live);
    let org = object(&report, ObjectKind::Org, "org");
    assert_eq!(org.class, Class::Changed);
    assert_eq!(
        org.id.as_deref(),
        Some("0a000000-0000-4000-8000-0000000000ac"),
        "the audit trail names the org"
    );
    let changes = path_before_after(org);
    assert_eq!(
        changes,
        [("call.maximumCapacity", Some(&json!(1)), Some(&json!(2)))]
    );
}

#[test]
fn routing_settings_changed_in_the_org_are_drift_of_the_routing_settings() {
    let mut live = live();
    let as_map = |value: Value| match value {
        Value::Object(map) => Some(map),
        _ => None,
    };
    live.routing_settings = Some(switchboard_manifest::live::LiveRoutingSettings {
        transcription: as_map(
            json!({"transcription": "EnabledGlobally", "transcriptionConfidenceThreshold": 50}),
        ),
        ..Default::default()
    });
    let yaml = format!(
        "{MIRROR}routingSettings: {{ transcription: {{ transcription: EnabledQueueFlow, transcriptionConfidenceThreshold: 50 }} }}\n"
    );
    let report = classify(&plans(&manifest(&yaml), &live), &live);
    let settings = object(&report, ObjectKind::RoutingSettings, "org");
    assert_eq!(settings.class, Class::Changed);
    assert_eq!(
        settings.id.as_deref(),
        Some(live.org.id.as_str()),
        "the audit trail names the org"
    );
    let changes = path_before_after(settings);
    assert_eq!(
        changes,
        [(
            "transcription.transcription",
            Some(&json!("EnabledQueueFlow")),
            Some(&json!("EnabledGlobally"))
        )]
    );
}
