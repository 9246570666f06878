#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::json;

use super::*;

const ORG: &str = "version: 1\norg: { name: Demo, region: mypurecloud.ie }\n";

/// What the agents in these tests refer to.
const DECLARED: &str = "version: 1\nskills: [{ name: Billing }, { name: Technical Support }]\nlanguages: [{ name: English }]\n";

/// A manifest of `files` (the last one the overlay when `overlay`), which must be valid.
fn editable(files: &[(&str, &str)], overlay: bool) -> Editable {
    let files = files
        .iter()
        .map(|(path, text)| SourceFile {
            path: PathBuf::from("m").join(path),
            text: text.strip_prefix('\n').unwrap_or(text).to_string(),
        })
        .collect();
    match Editable::from_sources("m", files, overlay) {
        Ok(editable) => editable,
        Err(loaded) => panic!("invalid test manifest:\n{}", loaded.findings_text()),
    }
}

/// Makes `edits` and compares every file's text with `expected` (`None`: unchanged), and the
/// notes with `notes`.
fn check(
    files: &[(&str, &str)],
    overlay: bool,
    edits: &[Edit],
    expected: &[Option<&str>],
    notes: &[&str],
) {
    let manifest = editable(files, overlay);
    let edited = manifest.edit(edits);
    let shown: Vec<String> = edited.notes.iter().map(ToString::to_string).collect();
    assert_eq!(shown, notes, "notes");
    for ((before, after), want) in manifest.files().iter().zip(&edited.files).zip(expected) {
        let want = want.map_or(before.text.clone(), |w| {
            w.strip_prefix('\n').unwrap_or(w).to_string()
        });
        assert_eq!(after.text, want, "{}", after.path.display());
    }
    // Whatever was made still loads.
    manifest
        .with_files(edited.files)
        .expect("the edited manifest loads");
}

fn replace(pointer: &str, value: serde_json::Value) -> Edit {
    Edit::Replace {
        pointer: pointer.into(),
        value,
    }
}

const QUEUES: &str = r#"
version: 1
# Queues of Customer Care.
queues:
  - name: Billing EN # the main queue
    description: "Billing questions"  # keep it short
    skillEvaluationMethod: 'BEST'
    mediaSettings:
      call: { alertingTimeoutSeconds: 8, serviceLevel: { percentage: 0.8, durationMs: 20000 } }
    bullseye: { rings: [{ expansionTimeoutSeconds: 15 }, { expansionTimeoutSeconds: 30 }, {}] }
    members:
      mode: additive
      users:
        - { user: ana@example.com, ring: 1 }
        - { user: bo@example.com, ring: 2 }

  - name: Billing ES
    bullseye:
      rings:
        - expansionTimeoutSeconds: 10
        - expansionTimeoutSeconds: 20
        - {}
    members:
      mode: authoritative   # exactly these
      users:
        - user: ana@example.com
        - user: dara@example.com
          ring: 2
"#;

#[test]
fn a_replaced_scalar_keeps_its_quotes_its_comment_and_every_other_line() {
    check(
        &[("org.yaml", ORG), ("queues.yaml", QUEUES)],
        false,
        &[
            replace("/queues/0/description", json!("Edited in the \"admin\" UI")),
            replace("/queues/0/skillEvaluationMethod", json!("ALL")),
            replace(
                "/queues/0/mediaSettings/call/alertingTimeoutSeconds",
                json!(12),
            ),
            replace("/queues/0/members/users/1/ring", json!(3)),
            replace("/queues/1/members/users/1/ring", json!(1)),
        ],
        &[
            None,
            Some(
                r#"
version: 1
# Queues of Customer Care.
queues:
  - name: Billing EN # the main queue
    description: "Edited in the \"admin\" UI"  # keep it short
    skillEvaluationMethod: 'ALL'
    mediaSettings:
      call: { alertingTimeoutSeconds: 12, serviceLevel: { percentage: 0.8, durationMs: 20000 } }
    bullseye: { rings: [{ expansionTimeoutSeconds: 15 }, { expansionTimeoutSeconds: 30 }, {}] }
    members:
      mode: additive
      users:
        - { user: ana@example.com, ring: 1 }
        - { user: bo@example.com, ring: 3 }

  - name: Billing ES
    bullseye:
      rings:
        - expansionTimeoutSeconds: 10
        - expansionTimeoutSeconds: 20
        - {}
    members:
      mode: authoritative   # exactly these
      users:
        - user: ana@example.com
        - user: dara@example.com
          ring: 1
"#,
            ),
        ],
        &[],
    );
}

#[test]
fn a_new_key_is_indented_like_its_siblings_and_a_flow_mapping_grows_in_place() {
    let agents = r#"
version: 1
agents:
    - user: ana@example.com
      skills:
          mode: authoritative
          proficiency: { Billing: 5 }
"#;
    check(
        &[
            ("org.yaml", ORG),
            ("queues.yaml", QUEUES),
            ("agents.yaml", agents),
            ("declared.yaml", DECLARED),
        ],
        false,
        &[
            Edit::Insert {
                pointer: "/queues/1".into(),
                key: "acwSettings".into(),
                value: json!({"wrapupPrompt": "MANDATORY_TIMEOUT", "timeoutMs": 60000}),
            },
            Edit::Insert {
                pointer: "/queues/0/mediaSettings/call".into(),
                key: "enableAutoAnswer".into(),
                value: json!(true),
            },
            Edit::Insert {
                pointer: "/agents/0/skills/proficiency".into(),
                key: "Technical Support".into(),
                value: json!(3),
            },
            Edit::Insert {
                pointer: "/agents/0".into(),
                key: "languages".into(),
                value: json!({"mode": "additive", "proficiency": {"English": 5}}),
            },
        ],
        &[
            None,
            Some(
                r#"
version: 1
# Queues of Customer Care.
queues:
  - name: Billing EN # the main queue
    description: "Billing questions"  # keep it short
    skillEvaluationMethod: 'BEST'
    mediaSettings:
      call: { alertingTimeoutSeconds: 8, serviceLevel: { percentage: 0.8, durationMs: 20000 }, enableAutoAnswer: true }
    bullseye: { rings: [{ expansionTimeoutSeconds: 15 }, { expansionTimeoutSeconds: 30 }, {}] }
    members:
      mode: additive
      users:
        - { user: ana@example.com, ring: 1 }
        - { user: bo@example.com, ring: 2 }

  - name: Billing ES
    bullseye:
      rings:
        - expansionTimeoutSeconds: 10
        - expansionTimeoutSeconds: 20
        - {}
    members:
      mode: authoritative   # exactly these
      users:
        - user: ana@example.com
        - user: dara@example.com
          ring: 2
    acwSettings:
      timeoutMs: 60000
      wrapupPrompt: MANDATORY_TIMEOUT
"#,
            ),
            Some(
                r#"
version: 1
agents:
    - user: ana@example.com
      skills:
          mode: authoritative
          proficiency: { Billing: 5, Technical Support: 3 }
      languages:
          mode: additive
          proficiency:
              English: 5
"#,
            ),
        ],
        &[],
    );
}

#[test]
fn block_list_items_are_added_like_their_siblings_and_removed_with_their_lines() {
    check(
        &[("org.yaml", ORG), ("queues.yaml", QUEUES)],
        false,
        &[
            Edit::Add {
                pointer: "/queues/0/members/users".into(),
                value: json!({"user": "chen@example.com", "ring": 2}),
                after: None,
            },
            Edit::Add {
                pointer: "/queues/1/members/users".into(),
                value: json!({"user": "chen@example.com", "ring": 3}),
                after: None,
            },
            Edit::RemoveItem {
                pointer: "/queues/0/members/users/0".into(),
            },
            Edit::RemoveItem {
                pointer: "/queues/1/members/users/0".into(),
            },
        ],
        &[
            None,
            Some(
                r#"
version: 1
# Queues of Customer Care.
queues:
  - name: Billing EN # the main queue
    description: "Billing questions"  # keep it short
    skillEvaluationMethod: 'BEST'
    mediaSettings:
      call: { alertingTimeoutSeconds: 8, serviceLevel: { percentage: 0.8, durationMs: 20000 } }
    bullseye: { rings: [{ expansionTimeoutSeconds: 15 }, { expansionTimeoutSeconds: 30 }, {}] }
    members:
      mode: additive
      users:
        - { user: bo@example.com, ring: 2 }
        - { user: chen@example.com, ring: 2 }

  - name: Billing ES
    bullseye:
      rings:
        - expansionTimeoutSeconds: 10
        - expansionTimeoutSeconds: 20
        - {}
    members:
      mode: authoritative   # exactly these
      users:
        - user: dara@example.com
          ring: 2
        - user: chen@example.com
          ring: 3
"#,
            ),
        ],
        &[],
    );
}

#[test]
fn removing_the_last_item_or_key_leaves_an_empty_collection() {
    let queues = r#"
version: 1
queues:
  - name: A
    wrapupCodes:
      mode: authoritative
      codes:
        - Resolved
    members: { mode: additive, users: [{ user: ana@example.com }] }
  - name: B
    description: x
    mediaSettings:
      call:
        alertingTimeoutSeconds: 10
wrapupCodes:
  - name: Resolved
"#;
    check(
        &[("org.yaml", ORG), ("queues.yaml", queues)],
        false,
        &[
            Edit::RemoveItem {
                pointer: "/queues/0/wrapupCodes/codes/0".into(),
            },
            Edit::RemoveItem {
                pointer: "/queues/0/members/users/0".into(),
            },
            Edit::RemoveKey {
                pointer: "/queues/1/name".into(),
            },
            Edit::Insert {
                pointer: "/queues/1".into(),
                key: "name".into(),
                value: json!("B2"),
            },
            Edit::RemoveKey {
                pointer: "/queues/1/mediaSettings/call/alertingTimeoutSeconds".into(),
            },
        ],
        &[
            None,
            Some(
                r#"
version: 1
queues:
  - name: A
    wrapupCodes:
      mode: authoritative
      codes: []
    members: { mode: additive, users: [] }
  - description: x
    mediaSettings:
      call: {}
    name: B2
wrapupCodes:
  - name: Resolved
"#,
            ),
        ],
        &[],
    );
}

#[test]
fn a_flow_list_gains_and_loses_items_in_place() {
    let queues = r#"
version: 1
wrapupCodes: [{ name: Resolved }, { name: Escalated }, { name: Callback }]
queues:
  - name: A
    wrapupCodes: { mode: authoritative, codes: [Resolved, Escalated] }
"#;
    check(
        &[("org.yaml", ORG), ("queues.yaml", queues)],
        false,
        &[
            Edit::Add {
                pointer: "/queues/0/wrapupCodes/codes".into(),
                value: json!("Callback"),
                after: None,
            },
            Edit::RemoveItem {
                pointer: "/queues/0/wrapupCodes/codes/0".into(),
            },
            Edit::Add {
                pointer: "/wrapupCodes".into(),
                value: json!({"name": "No Answer"}),
                after: None,
            },
        ],
        &[
            None,
            Some(
                r#"
version: 1
wrapupCodes: [{ name: Resolved }, { name: Escalated }, { name: Callback }, { name: No Answer }]
queues:
  - name: A
    wrapupCodes: { mode: authoritative, codes: [Escalated, Callback] }
"#,
            ),
        ],
        &[],
    );
}

#[test]
fn overlay_values_are_edited_in_the_overlay_and_a_removed_object_leaves_both_files() {
    let base = r#"
version: 1
queues:
  - name: A
    description: base text
  - name: B
    description: stays
"#;
    let prod = r#"
# Production differs.
queues:
  - name: A
    description: prod text # set for prod
"#;
    check(
        &[
            ("org.yaml", ORG),
            ("queues.yaml", base),
            ("environments/prod.yaml", prod),
        ],
        true,
        &[replace("/queues/0/description", json!("edited in prod"))],
        &[
            None,
            None,
            Some(
                r#"
# Production differs.
queues:
  - name: A
    description: edited in prod # set for prod
"#,
            ),
        ],
        &[],
    );
    check(
        &[
            ("org.yaml", ORG),
            ("queues.yaml", base),
            ("environments/prod.yaml", prod),
        ],
        true,
        &[Edit::RemoveItem {
            pointer: "/queues/0".into(),
        }],
        &[
            None,
            Some(
                r#"
version: 1
queues:
  - name: B
    description: stays
"#,
            ),
            Some(
                r#"
# Production differs.
queues: []
"#,
            ),
        ],
        &[],
    );
}

#[test]
fn aliases_anchors_and_multi_line_values_are_refused_with_a_located_note() {
    let queues = r#"
version: 1
queues:
  - name: A
    description: &shared Billing questions
  - name: B
    description: *shared
  - name: C
    description: |
      Two
      lines
  - name: D
    description: one
      long line
"#;
    check(
        &[("org.yaml", ORG), ("queues.yaml", queues)],
        false,
        &[
            replace("/queues/1/description", json!("x")),
            replace("/queues/0/description", json!("x")),
            replace("/queues/2/description", json!("x")),
            replace("/queues/3/description", json!("x")),
            replace("/queues/9/description", json!("x")),
        ],
        &[None, None],
        &[
            "m/queues.yaml:6:18: the value comes from an alias (*name); edit the anchored value by hand",
            "m/queues.yaml:4:18: the value is inside an anchored value (&name) that aliases may copy; edit it by hand",
            "m/queues.yaml:9:7: the value is a block scalar (| or >); edit it by hand",
            "m/queues.yaml:12:18: the value is written over several lines; edit it by hand",
            "/queues/9/description is not in the manifest",
        ],
    );
}

#[test]
fn pointers_follow_items_that_earlier_edits_add_and_remove() {
    check(
        &[("org.yaml", ORG), ("queues.yaml", QUEUES)],
        false,
        &[
            Edit::RemoveItem {
                pointer: "/queues/0".into(),
            },
            replace("/queues/1/members/users/1/ring", json!(3)),
            replace("/queues/0/description", json!("gone with its queue")),
        ],
        &[
            None,
            Some(
                r#"
version: 1
# Queues of Customer Care.
queues:

  - name: Billing ES
    bullseye:
      rings:
        - expansionTimeoutSeconds: 10
        - expansionTimeoutSeconds: 20
        - {}
    members:
      mode: authoritative   # exactly these
      users:
        - user: ana@example.com
        - user: dara@example.com
          ring: 3
"#,
            ),
        ],
        &["the value is inside one an earlier edit removed"],
    );
}

#[test]
fn an_object_goes_after_the_named_item_in_that_items_file() {
    let more = "version: 1\nskills:\n- name: C\n";
    check(
        &[
            ("org.yaml", ORG),
            (
                "skills.yaml",
                "version: 1\nskills:\n  - name: A\n  - name: B\n",
            ),
            ("zz.yaml", more),
        ],
        false,
        &[
            Edit::Add {
                pointer: "/skills".into(),
                value: json!({"name": "B2"}),
                after: Some(1),
            },
            Edit::Add {
                pointer: "/skills".into(),
                value: json!({"name": "B3"}),
                after: Some(1),
            },
            Edit::Add {
                pointer: "/skills".into(),
                value: json!({"name": "D", "renamedFrom": ["Old"]}),
                after: None,
            },
        ],
        &[
            None,
            Some("version: 1\nskills:\n  - name: A\n  - name: B\n  - name: B2\n  - name: B3\n"),
            Some("version: 1\nskills:\n- name: C\n- name: D\n  renamedFrom:\n  - Old\n"),
        ],
        &[],
    );
}

#[test]
fn line_breaks_and_a_missing_final_break_are_kept_and_an_empty_list_of_mappings_becomes_a_block() {
    let queues = "version: 1\r\nqueues:\r\n  - name: A\r\n    members:\r\n      mode: additive\r\n      users: []";
    check(
        &[("org.yaml", ORG), ("queues.yaml", queues)],
        false,
        &[
            Edit::Insert {
                pointer: "/queues/0".into(),
                key: "description".into(),
                value: json!("x"),
            },
            Edit::Add {
                pointer: "/queues/0/members/users".into(),
                value: json!({"user": "ana@example.com"}),
                after: None,
            },
        ],
        &[
            None,
            Some(
                "version: 1\r\nqueues:\r\n  - name: A\r\n    members:\r\n      mode: additive\r\n      users:\r\n        - user: ana@example.com\r\n    description: x",
            ),
        ],
        &[],
    );
}
