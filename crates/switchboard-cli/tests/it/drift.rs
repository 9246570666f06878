//! `switchboard drift` end to end: the quickstart applied to a seeded simulator is in sync;
//! edits made in the admin UI are drift, named with their before → after and the person who
//! made them; without the audit permission, drift is still reported, with one note.

use std::process::Output;

use serde_json::Value;
use switchboard_sim::{FaultAction, FaultRule, Faults};

use crate::org::{example, scratch, seeded_sim, switchboard};

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_edits_after_an_apply_are_drift_attributed_to_the_person_who_made_them() {
    let sim = seeded_sim().await;
    let dir = scratch("switchboard-drift");
    let quickstart = example("quickstart");

    let applied = switchboard(&sim, &dir, &["apply", &quickstart, "--auto-approve"]).await;
    assert_eq!(applied.status.code(), Some(0), "{}", stderr(&applied));

    // In sync: exit 0. Unmanaged objects in scope (the quickstart prunes nothing) are not
    // drift: counted in the coverage, not listed under "No drift"; kinds with nothing in scope
    // (skill groups, which the quickstart does not manage) have no coverage row.
    let output = switchboard(&sim, &dir, &["drift", &quickstart]).await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.ends_with("No drift: the org matches the manifest.\n"),
        "{text}"
    );
    assert!(text.contains("Coverage: 9 of 12 objects"), "{text}");
    assert!(!text.contains("Unmanaged:"), "{text}");
    assert!(!text.contains("skill groups"), "{text}");
    // Edits in the admin UI: the queue's description and a member's ring.
    let admin = sim.admin();
    admin
        .set_queue_field(
            "Billing EN",
            "/description",
            Value::String("Edited in the admin UI".into()),
        )
        .unwrap();
    admin
        .set_member_ring("Billing EN", "bo.berg@example.com", 3)
        .unwrap();

    let output = switchboard(&sim, &dir, &["drift", &quickstart]).await;
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        !text.contains('\u{1b}'),
        "no colour when stdout is not a terminal"
    );
    for expected in [
        // As its plan shows them: what apply would do, the org's value first.
        "Changed outside git (1) — what apply would change back, the org's value → the manifest's:\n",
        "\n  ~ queue \"Billing EN\" (id ",
        "\n      ~ description = \"Edited in the admin UI\" → \"Billing questions in English\"\n",
        "\n      ~ member bo.berg@example.com ring 3 → 2\n",
        "MemberUpdate by Dana Admin (user)",
        "Update by Dana Admin (user): description",
        "Drift: 1 changed outside git, 0 missing, 0 unmanaged to be pruned.",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }
    assert!(!text.contains("attribution unavailable"), "{text}");

    // JSON: the documented fields.
    let output = switchboard(&sim, &dir, &["drift", &quickstart, "--format", "json"]).await;
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let document: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(document["format_version"], "1.0");
    assert_eq!(document["in_sync"], false);
    assert_eq!(document["org"]["id"], sim.org_id());
    assert_eq!(document["summary"]["drifted"], 1);
    assert_eq!(document["summary"]["changed"], 1);
    let overall = &document["coverage"]["overall"];
    assert!(overall["managed"].as_u64().unwrap() > 0, "{overall}");
    assert!(
        overall["unmanaged"].is_u64() && overall["ratio"].is_f64(),
        "{overall}"
    );
    assert!(document["coverage"]["by_kind"]["queue"]["managed"].is_u64());
    assert_eq!(document["attribution"]["status"], "complete");
    assert_eq!(document["attribution"]["window_days"], 30);
    let queue = &document["objects"][0];
    assert_eq!(queue["address"], "queue[\"Billing EN\"]");
    assert_eq!(queue["kind"], "queue");
    assert_eq!(queue["name"], "Billing EN");
    assert_eq!(queue["class"], "changed");
    assert_eq!(queue["drift"], true);
    assert!(queue["id"].is_string());
    let changes = queue["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert_eq!(changes[0]["path"], "description");
    assert_eq!(changes[0]["op"], "changed");
    assert_eq!(changes[0]["before"], "Billing questions in English");
    assert_eq!(changes[0]["after"], "Edited in the admin UI");
    assert_eq!(changes[1]["path"], "members");
    assert_eq!(changes[1]["key"], "bo.berg@example.com");
    assert_eq!(
        (changes[1]["before"].clone(), changes[1]["after"].clone()),
        (2.into(), 3.into())
    );
    let last = &queue["attribution"][0];
    assert_eq!(last["who"], "Dana Admin");
    assert_eq!(last["who_kind"], "user");
    assert_eq!(last["action"], "MemberUpdate");
    assert!(last["when"].as_str().is_some_and(|w| !w.is_empty()));

    let output = switchboard(&sim, &dir, &["drift", &quickstart, "--format", "markdown"]).await;
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let md = stdout(&output);
    assert!(
        md.contains("> [!WARNING]") && md.contains("Dana Admin"),
        "{md}"
    );
    // Escaped only where Markdown needs it: the quoted description and the timestamps read as
    // written, and nothing of the org's text can become a link or a mention.
    assert!(
        md.contains("Edited in the admin UI") && !md.contains("&#45;"),
        "{md}"
    );
    assert!(!md.contains("&#46;") && !md.contains("&#58;"), "{md}");

    // Without the audit permission: still drift (exit 2), and one note saying why no one is
    // named.
    sim.set_faults(
        Faults::none().rule(
            FaultRule::new(FaultAction::Status {
                status: 403,
                retry_after: None,
            })
            .path_prefix("/api/v2/audits"),
        ),
    );
    let output = switchboard(&sim, &dir, &["drift", &quickstart]).await;
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("  ~ queue \"Billing EN\" (id "), "{text}");
    assert_eq!(
        text.matches("attribution unavailable").count(),
        1,
        "said once:\n{text}"
    );
    assert!(
        text.contains("the OAuth client lacks the audits:audit:view permission"),
        "{text}"
    );
    assert!(!text.contains("Dana Admin"), "{text}");
    assert!(
        !stderr(&output).contains("attribution unavailable"),
        "{}",
        stderr(&output)
    );
    std::fs::remove_dir_all(&dir).unwrap();
    sim.shutdown().await;
}

/// A manifest of the demo org over four files, in several styles, with comments.
const PATCH_MANIFEST: &[(&str, &str)] = &[
    (
        "org.yaml",
        r#"# The demo org, as drift --patch finds it.
version: 1
org:
  name: Switchboard Demo Org # the guard
  region: mypurecloud.ie
scope:
  divisions: [Home, Customer Care]
  # Only these skills are ours to prune.
  names:
    skills: "^(Billing|Technical Support|Drift .*)$"
prune:
  skills: true
"#,
    ),
    (
        "skills.yaml",
        r#"version: 1
# Routing skills.
skills:
  - name: Billing
  - name: Technical Support
wrapupCodes:
  - name: Resolved
    description: Issue solved on first contact
  - name: Escalated
    description: 'Handed to a supervisor or second line'
  - name: Callback Scheduled
"#,
    ),
    (
        "queues.yaml",
        r#"version: 1
queues:
  # Billing in English: the main queue.
  - name: Billing EN
    division: Customer Care
    description: "Billing questions in English" # shown to agents
    mediaSettings:
      call:
        alertingTimeoutSeconds: 8 # seconds before the offer moves on
    bullseye:
      rings:
        - expansionTimeoutSeconds: 15
        - expansionTimeoutSeconds: 30
        - {}
    members:
      mode: additive # never remove anyone
      users:
        - { user: ana.silva@example.com, ring: 1 }
        - { user: bo.berg@example.com, ring: 2 }

  # Billing in Spanish: exactly these members.
  - name: Billing ES
    division: Customer Care
    members:
      mode: authoritative
      users:
        - user: ana.silva@example.com
        - user: dara.novak@example.com

  - name: Tech Support EN
    division: Customer Care
    wrapupCodes:
      mode: authoritative
      codes: [Resolved, Escalated, Callback Scheduled]
"#,
    ),
    (
        "agents.yaml",
        r#"version: 1
agents:
  - user: bo.berg@example.com
    skills:
      mode: authoritative # exactly these
      proficiency: { Billing: 3 }
"#,
    ),
];

/// `(removed, added)` lines of a unified diff.
fn changed_lines(patch: &str) -> (Vec<&str>, Vec<&str>) {
    let body = |sign: char, header: &str| -> Vec<&str> {
        patch
            .lines()
            .filter(|l| l.starts_with(sign) && !l.starts_with(header))
            .collect()
    };
    (body('-', "---"), body('+', "+++"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_patch_adopts_admin_edits_and_drift_is_in_sync_once_it_is_applied() {
    let sim = seeded_sim().await;
    let dir = scratch("switchboard-drift-patch");
    let manifests = dir.join("manifests");
    std::fs::create_dir_all(&manifests).unwrap();
    for (name, text) in PATCH_MANIFEST {
        std::fs::write(manifests.join(name), text).unwrap();
    }
    let path = manifests.to_str().unwrap();
    let patch_file = dir.join("adopt.patch");
    let patch_path = patch_file.to_str().unwrap();

    // In sync: an empty patch.
    let output = switchboard(&sim, &dir, &["drift", path, "--patch", patch_path]).await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(std::fs::read_to_string(&patch_file).unwrap(), "");
    assert!(
        stderr(&output).contains("patch: nothing to adopt"),
        "{}",
        stderr(&output)
    );

    let admin = sim.admin();
    // A queue setting and a description, a member's ring, a member added to a queue whose
    // members are exactly the manifest's, a declared queue deleted, an unmanaged skill in
    // scope (skills are pruned), and a skill given to an agent whose skills are exact.
    admin
        .set_queue_field(
            "Billing EN",
            "/mediaSettings/call/alertingTimeoutSeconds",
            Value::from(12),
        )
        .unwrap();
    admin
        .set_queue_field(
            "Billing EN",
            "/description",
            Value::String("Edited in the \"admin\" UI".into()),
        )
        .unwrap();
    admin
        .set_member_ring("Billing EN", "bo.berg@example.com", 3)
        .unwrap();
    admin
        .add_member("Billing ES", "chen.okafor@example.com", 1)
        .unwrap();
    admin.delete_queue("Tech Support EN").unwrap();
    admin.create_skill("Drift Probe").unwrap();
    admin
        .set_user_skill("bo.berg@example.com", "Technical Support", 2.0)
        .unwrap();

    let output = switchboard(&sim, &dir, &["drift", path, "--patch", patch_path]).await;
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stdout(&output)
            .contains("Drift: 3 changed outside git, 1 missing, 1 unmanaged to be pruned."),
        "{}",
        stdout(&output)
    );
    let log = stderr(&output);
    assert!(
        log.contains("patch: 8 differences adopted in 3 file(s)") && !log.contains("not adopted"),
        "{log}"
    );
    let patch = std::fs::read_to_string(&patch_file).unwrap();

    // Minimal: the changed lines and nothing else (files in path order).
    let (removed, added) = changed_lines(&patch);
    assert_eq!(
        removed,
        vec![
            "-      proficiency: { Billing: 3 }",
            "-    description: \"Billing questions in English\" # shown to agents",
            "-        alertingTimeoutSeconds: 8 # seconds before the offer moves on",
            "-        - { user: bo.berg@example.com, ring: 2 }",
            "-",
            "-  - name: Tech Support EN",
            "-    division: Customer Care",
            "-    wrapupCodes:",
            "-      mode: authoritative",
            "-      codes: [Resolved, Escalated, Callback Scheduled]",
        ],
        "{patch}"
    );
    assert_eq!(
        added,
        vec![
            "+      proficiency: { Billing: 3, Technical Support: 2 }",
            "+    description: \"Edited in the \\\"admin\\\" UI\" # shown to agents",
            "+        alertingTimeoutSeconds: 12 # seconds before the offer moves on",
            "+        - { user: bo.berg@example.com, ring: 3 }",
            "+        - user: chen.okafor@example.com",
            "+  - name: Drift Probe",
        ],
        "{patch}"
    );

    // `git apply`, in the manifest directory (outside any repository here).
    let applied = std::process::Command::new("git")
        .args(["apply", patch_path])
        .current_dir(&manifests)
        .output()
        .unwrap();
    assert!(
        applied.status.success(),
        "git apply: {}",
        String::from_utf8_lossy(&applied.stderr)
    );
    let output = switchboard(&sim, &dir, &["drift", path]).await;
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}\n{}",
        stdout(&output),
        stderr(&output)
    );

    // Every comment of the untouched lines is still there.
    let all: String = PATCH_MANIFEST
        .iter()
        .map(|(name, _)| std::fs::read_to_string(manifests.join(name)).unwrap())
        .collect();
    for comment in [
        "# The demo org, as drift --patch finds it.",
        "# the guard",
        "# Only these skills are ours to prune.",
        "# Routing skills.",
        "'Handed to a supervisor or second line'",
        "# Billing in English: the main queue.",
        "# shown to agents",
        "# seconds before the offer moves on",
        "# never remove anyone",
        "# Billing in Spanish: exactly these members.",
        "# exactly these",
    ] {
        assert!(all.contains(comment), "{comment:?} in:\n{all}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_skill_group_edited_in_the_admin_ui_is_drift_and_the_patch_adopts_it() {
    let sim = seeded_sim().await;
    let dir = scratch("switchboard-drift-skill-group");
    let manifests = dir.join("manifests");
    std::fs::create_dir_all(&manifests).unwrap();
    std::fs::write(
        manifests.join("manifest.yaml"),
        "version: 1
org: { name: Switchboard Demo Org, id: 5b5e6a2c-7d1f-4c3b-9a8e-0d15c0a1b2c3, region: mypurecloud.ie }
skills: [{ name: Technical Support }]
skillGroups:
  - name: Support Specialists
    description: Second line
    skillConditions:
      - routingSkillConditions:
          - { routingSkill: Technical Support, comparator: GreaterThanOrEqualTo, proficiency: 3 }
        operation: And
",
    )
    .unwrap();
    let path = manifests.to_str().unwrap();
    let applied = switchboard(&sim, &dir, &["apply", path, "--auto-approve"]).await;
    assert_eq!(applied.status.code(), Some(0), "{}", stderr(&applied));

    sim.admin()
        .set_skill_group_field(
            "Support Specialists",
            "/skillConditions/0/routingSkillConditions/0/proficiency",
            Value::from(4),
        )
        .unwrap();
    let patch_file = dir.join("adopt.patch");
    let patch_path = patch_file.to_str().unwrap();
    let output = switchboard(&sim, &dir, &["drift", path, "--patch", patch_path]).await;
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let text = stdout(&output);
    for expected in [
        "  ~ skill group \"Support Specialists\" (id ",
        "skillConditions",
        "Update by Dana Admin (user)",
        "Drift: 1 changed outside git, 0 missing, 0 unmanaged to be pruned.",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }
    let log = stderr(&output);
    assert!(!log.contains("not adopted"), "{log}");

    // The patch, applied, gives a manifest that matches the org: no drift.
    let patch = std::fs::read_to_string(&patch_file).unwrap();
    let (_, added) = changed_lines(&patch);
    assert!(
        added.iter().any(|line| line.contains("proficiency: 4")),
        "{patch}"
    );
    let git = std::process::Command::new("git")
        .args(["apply", patch_path])
        .current_dir(&manifests)
        .output()
        .unwrap();
    assert!(
        git.status.success(),
        "{}",
        String::from_utf8_lossy(&git.stderr)
    );
    let output = switchboard(&sim, &dir, &["drift", path]).await;
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn routing_settings_edited_in_the_admin_ui_are_drift_attributed_to_the_admin() {
    let sim = seeded_sim().await;
    let dir = scratch("switchboard-drift-routing-settings");
    let manifest = dir.join("manifest.yaml");
    std::fs::write(
        &manifest,
        format!(
            "version: 1\norg: {{ id: {}, region: mypurecloud.com }}\nroutingSettings:\n  transcription:\n    transcription: EnabledQueueFlow\n    transcriptionConfidenceThreshold: 60\n",
            sim.org_id()
        ),
    )
    .unwrap();
    let manifest = manifest.to_string_lossy().into_owned();
    let applied = switchboard(&sim, &dir, &["apply", &manifest, "--auto-approve"]).await;
    assert_eq!(applied.status.code(), Some(0), "{}", stderr(&applied));
    let output = switchboard(&sim, &dir, &["drift", &manifest]).await;
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));

    sim.admin()
        .set_routing_setting(
            "/transcription/transcriptionConfidenceThreshold",
            Value::from(75),
        )
        .unwrap();
    let output = switchboard(&sim, &dir, &["drift", &manifest]).await;
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let text = stdout(&output);
    for expected in [
        "  ~ the org's routing settings",
        "      ~ transcription.transcriptionConfidenceThreshold = 75 → 60\n",
        "Update by Dana Admin (user): transcription.transcriptionConfidenceThreshold",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }
    sim.shutdown().await;
}
