//! Every kind of difference turned into edits, checked by planning the patched manifest.

use switchboard_manifest::edit::SourceFile;
use switchboard_patch::patch;
use switchboard_plan::{Policy, diff};

use crate::org::{ORG, live, manifest};

const QUEUES: &str = r#"version: 1
skills:
  - name: Billing
  - name: Refunds # not in the org
wrapupCodes:
  - name: Resolved
queues:
  # Billing, in English.
  - name: Billing EN
    description: "Billing questions"   # the admin UI changed it
    mediaSettings: { call: { alertingTimeoutSeconds: 8 } }
    bullseye:
      rings:
        - expansionTimeoutSeconds: 15
        - expansionTimeoutSeconds: 30 # the org waits 45
        - {}
    wrapupCodes: { mode: authoritative, codes: [Resolved] }
    members:
      mode: authoritative
      users:
        - { user: ana@example.com }
        - { user: bo@example.com, ring: 2 }
agents:
  - user: ana@example.com
    skills:
      mode: authoritative
      proficiency: { Billing: 5, Refunds: 3 }
"#;

#[test]
fn every_difference_is_adopted_on_its_own_lines() {
    let live = live();
    let manifest = manifest(
        &[
            ("org.yaml", &format!("{ORG}prune: {{ skills: true }}\n")),
            ("queues.yaml", QUEUES),
        ],
        false,
    );
    let patch = patch(&manifest, &live).unwrap();
    insta::assert_snapshot!(patch.diff);
    assert_eq!(patch.notes, vec![]);

    // Applied, the manifest plans to nothing against the same org (chen, a member the
    // manifest did not name, is read as a user once it does).
    let mut live = live;
    live.users.insert(
        "chen@example.com".into(),
        switchboard_manifest::live::LiveUser {
            id: "u-chen".into(),
            state: "active".into(),
            ..Default::default()
        },
    );
    let files: Vec<SourceFile> = manifest
        .files()
        .iter()
        .map(|file| {
            let relative = file
                .path
                .strip_prefix("m")
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let after = patch.files.iter().find(|p| p.path == relative);
            SourceFile {
                path: file.path.clone(),
                text: after.map_or(file.text.clone(), |p| p.after.clone()),
            }
        })
        .collect();
    let patched = manifest.with_files(files).unwrap();
    let plan = diff(patched.manifest(), &live, &Policy::default()).unwrap();
    assert!(plan.changes.is_empty(), "{:#?}", plan.changes);
}

/// The queue of `live()` as a manifest in sync with it.
const IN_SYNC: &str = r#"version: 1
wrapupCodes: [{ name: Resolved }, { name: Escalated }]
queues:
  - name: Billing EN
    description: Edited in the admin UI
    mediaSettings: { call: { alertingTimeoutSeconds: 12 } }
"#;

#[test]
fn in_sync_is_an_empty_patch() {
    let manifest = manifest(&[("org.yaml", ORG), ("queues.yaml", IN_SYNC)], false);
    let patch = patch(&manifest, &live()).unwrap();
    assert_eq!(patch.diff, "");
    assert!(patch.files.is_empty() && patch.notes.is_empty());
    assert_eq!(patch.adopted, 0);
}

#[test]
fn a_value_in_the_overlay_is_adopted_in_the_overlay() {
    let base = "version: 1\nqueues:\n  - name: Billing EN\n    description: Base text\n    mediaSettings: { call: { alertingTimeoutSeconds: 12 } }\n";
    let prod = "# Production.\nqueues:\n  - name: Billing EN\n    description: Prod text # differs in prod\n";
    let manifest = manifest(
        &[
            ("org.yaml", ORG),
            ("queues.yaml", base),
            ("environments/prod.yaml", prod),
        ],
        true,
    );
    let patch = patch(&manifest, &live()).unwrap();
    insta::assert_snapshot!(patch.diff, @r"
    --- a/environments/prod.yaml
    +++ b/environments/prod.yaml
    @@ -1,4 +1,4 @@
     # Production.
     queues:
       - name: Billing EN
    -    description: Prod text # differs in prod
    +    description: Edited in the admin UI # differs in prod
    ");
}

#[test]
fn what_cannot_be_edited_faithfully_is_noted_and_the_rest_adopted() {
    let queues = r#"version: 1
queues:
  - name: Billing EN
    description: &text Billing questions
    mediaSettings: { call: { alertingTimeoutSeconds: 8 } }
  - name: Sales EN # gone from the org
    description: *text
"#;
    let manifest = manifest(&[("org.yaml", ORG), ("queues.yaml", queues)], false);
    let patch = patch(&manifest, &live()).unwrap();
    insta::assert_snapshot!(patch.diff, @r"
    --- a/queues.yaml
    +++ b/queues.yaml
    @@ -2,6 +2,4 @@
     queues:
       - name: Billing EN
         description: &text Billing questions
    -    mediaSettings: { call: { alertingTimeoutSeconds: 8 } }
    -  - name: Sales EN # gone from the org
    -    description: *text
    +    mediaSettings: { call: { alertingTimeoutSeconds: 12 } }
    ");
    let notes: Vec<String> = patch.notes.iter().map(ToString::to_string).collect();
    assert_eq!(
        notes,
        vec![
            "queue \"Billing EN\": m/queues.yaml:4:18: the value is inside an anchored value (&name) that aliases may copy; edit it by hand"
        ]
    );
    assert_eq!(patch.adopted, 2);
}

#[test]
fn an_unmanaged_queue_is_added_beside_the_queues_of_its_division() {
    let mut live = live();
    live.divisions.insert(
        "Sales".into(),
        switchboard_manifest::live::LiveDivision {
            id: "d-sales".into(),
            home: false,
        },
    );
    live.queues.insert(
        "Sales EN".into(),
        switchboard_manifest::live::LiveQueue {
            id: "q-sales".into(),
            division_id: Some("d-sales".into()),
            body: serde_json::json!({
                "id": "q-sales", "name": "Sales EN",
                "division": {"id": "d-sales", "name": "Sales"},
                "description": "New business",
                "skillEvaluationMethod": "BEST",
                "acwSettings": {"wrapupPrompt": "OPTIONAL", "timeoutMs": 30000}
            }),
            members: None,
            wrapup_code_names: Default::default(),
            wrapup_code_ids: None,
        },
    );
    let org = format!("{ORG}scope: {{ divisions: [Home, Sales] }}\nprune: {{ queues: true }}\n");
    let home = "version: 1\nwrapupCodes: [{ name: Resolved }, { name: Escalated }]\nqueues:\n  - name: Billing EN\n    division: Home\n";
    let sales =
        "version: 1\nqueues:\n  - name: Sales FR # gone from the org\n    division: Sales\n";
    let manifest = manifest(
        &[
            ("org.yaml", &org),
            ("queues/home.yaml", home),
            ("queues/sales.yaml", sales),
        ],
        false,
    );
    // Sales EN takes the place of Sales FR, gone from the org, in the file of its division.
    let patch = patch(&manifest, &live).unwrap();
    insta::assert_snapshot!(patch.diff, @r"
    --- a/queues/sales.yaml
    +++ b/queues/sales.yaml
    @@ -1,4 +1,8 @@
     version: 1
     queues:
    -  - name: Sales FR # gone from the org
    +  - name: Sales EN
    +    description: New business
         division: Sales
    +    acwSettings:
    +      wrapupPrompt: OPTIONAL
    +    skillEvaluationMethod: BEST
    ");
}

#[test]
fn a_value_the_manifest_could_not_hold_is_noted_not_written() {
    let mut live = live();
    live.divisions.insert(
        "Sales".into(),
        switchboard_manifest::live::LiveDivision {
            id: "d-sales".into(),
            home: false,
        },
    );
    let org = format!("{ORG}scope: {{ divisions: [Sales] }}\n");
    let queues = r#"version: 1
queues:
  - name: Billing EN
    division: Sales
    description: Edited in the admin UI
    mediaSettings: { call: { alertingTimeoutSeconds: 12 } }
    members:
      mode: additive
      users:
        - user: bo@example.com
"#;
    let manifest = manifest(&[("org.yaml", &org), ("queues.yaml", queues)], false);
    let patch = patch(&manifest, &live).unwrap();
    assert_eq!(patch.diff, "");
    let notes: Vec<String> = patch.notes.iter().map(ToString::to_string).collect();
    assert_eq!(
        notes,
        vec![
            "members of queue \"Billing EN\": bo@example.com: the org has it in ring 3, which the manifest's bullseye does not have; not adopted: add the ring first",
            "queue \"Billing EN\": it is in division \"Home\" in the org, which `scope.divisions` does not list; not adopted: add the division to the scope first",
        ]
    );
}

#[test]
fn an_agents_capacity_is_adopted_field_by_field_and_its_level_only_noted() {
    let mut live = live();
    let read = |value: serde_json::Value| -> switchboard_manifest::live::LiveUtilization {
        serde_json::from_value(value).unwrap()
    };
    live.users.get_mut("ana@example.com").unwrap().utilization = Some(read(serde_json::json!({
        "utilization": {"chat": {"maximumCapacity": 5, "interruptableMediaTypes": [], "includeNonAcd": false}},
        "level": "Agent",
    })));
    live.users.get_mut("bo@example.com").unwrap().utilization = Some(read(serde_json::json!({
        "utilization": {"chat": {"maximumCapacity": 4}},
        "level": "Agent",
    })));
    let agents = "version: 1\nagents:\n  - user: ana@example.com\n    capacity: { mode: additive, chat: { maximumCapacity: 3 } } # the org has 5\n  - user: bo@example.com\n    capacity: { mode: orgDefault }\n";
    let manifest = manifest(&[("org.yaml", ORG), ("agents.yaml", agents)], false);
    let patch = patch(&manifest, &live).unwrap();
    assert_eq!(patch.adopted, 1);
    let after = &patch.files[0].after;
    assert!(
        after.contains("chat: { maximumCapacity: 5 }"),
        "{}",
        patch.diff
    );
    assert_eq!(patch.notes.len(), 1, "{:?}", patch.notes);
    assert!(
        patch.notes[0].message.contains("level"),
        "{:?}",
        patch.notes
    );
}

#[test]
fn the_orgs_routing_settings_are_adopted_field_by_field() {
    let mut live = live();
    let as_map = |value: serde_json::Value| match value {
        serde_json::Value::Object(map) => Some(map),
        _ => None,
    };
    live.routing_settings = Some(switchboard_manifest::live::LiveRoutingSettings {
        transcription: as_map(serde_json::json!({
            "transcription": "EnabledGlobally",
            "transcriptionConfidenceThreshold": 70,
        })),
        ..Default::default()
    });
    let org = format!(
        "{ORG}routingSettings:\n  transcription:\n    transcription: EnabledGlobally\n    transcriptionConfidenceThreshold: 60 # the org has 70\n"
    );
    let manifest = manifest(&[("org.yaml", &org)], false);
    let patch = patch(&manifest, &live).unwrap();
    assert_eq!(patch.adopted, 1);
    let after = &patch.files[0].after;
    assert!(
        after.contains("transcriptionConfidenceThreshold: 70"),
        "{}",
        patch.diff
    );
    assert!(after.contains("transcription: EnabledGlobally"), "{after}");
    assert_eq!(patch.notes, vec![]);
}
