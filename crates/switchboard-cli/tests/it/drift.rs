//! `switchboard drift` end to end: the quickstart applied to a seeded simulator is in sync;
//! edits made in the admin UI are drift, shown as the plan shows them (what apply would do,
//! the org's value → the manifest's) with the person who made them; without the audit
//! permission, drift is still reported, with one note. The quickstart and the contact center,
//! changed every way, are snapshotted in text and Markdown.

use std::path::Path;
use std::process::Output;

use serde_json::{Value, json};
use switchboard_sim::{FaultAction, FaultRule, Faults, RunningSim};

use crate::org::{example, json_literals, scratch, seeded_sim, switchboard, switchboard_env};

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

/// `report` with what changes from run to run made stable: the audit trail's timestamps as
/// `<time>`, and every id but the org's as `<id N>`, numbered in order of first appearance
/// (objects created while the test runs get random ids).
fn normalised(report: &str, org_id: &str) -> String {
    let mut ids: Vec<&str> = Vec::new();
    let mut out = String::with_capacity(report.len());
    let mut rest = report;
    while let Some(c) = rest.chars().next() {
        if let Some(len) = uuid_length(rest) {
            let id = &rest[..len];
            if id == org_id {
                out.push_str(id);
            } else {
                let n = match ids.iter().position(|known| *known == id) {
                    Some(i) => i + 1,
                    None => {
                        ids.push(id);
                        ids.len()
                    }
                };
                out.push_str(&format!("<id {n}>"));
            }
            rest = &rest[len..];
        } else if let Some(len) = timestamp_length(rest) {
            out.push_str("<time>");
            rest = &rest[len..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// The length of the UUID `text` starts with (`8-4-4-4-12` hex digits), if it does.
fn uuid_length(text: &str) -> Option<usize> {
    let bytes = text.as_bytes().get(..36)?;
    let uuid = bytes.iter().enumerate().all(|(i, b)| match i {
        8 | 13 | 18 | 23 => *b == b'-',
        _ => b.is_ascii_hexdigit(),
    });
    uuid.then_some(36)
}

/// The length of the RFC 3339 UTC timestamp `text` starts with
/// (`2026-05-01T11:56:23.729Z`, fraction optional), if it does.
fn timestamp_length(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let shape = b"dddd-dd-ddTdd:dd:dd";
    let head = bytes.get(..shape.len())?;
    let fits = head.iter().zip(shape).all(|(b, s)| match s {
        b'd' => b.is_ascii_digit(),
        s => b == s,
    });
    if !fits {
        return None;
    }
    let mut len = shape.len();
    if bytes.get(len) == Some(&b'.') {
        len += 1 + bytes[len + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
    }
    (bytes.get(len) == Some(&b'Z')).then_some(len + 1)
}

#[test]
fn normalised_reports_keep_the_org_and_number_the_other_ids() {
    let org = "5b5e6a2c-7d1f-4c3b-9a8e-0d15c0a1b2c3";
    let report = format!(
        "org {org}\n(id db802229-2b49-53bf-b509-c46a48b70e70) at 2026-05-01T11:56:23.729Z\n\
         (id 068c3e1c-350b-54c7-9ecc-c9afeddf1794) (id db802229-2b49-53bf-b509-c46a48b70e70) at 2026-05-01T11:56:19Z\n\
         sha256:f65be326 2026-05-01"
    );
    assert_eq!(
        normalised(&report, org),
        format!(
            "org {org}\n(id <id 1>) at <time>\n(id <id 2>) (id <id 1>) at <time>\nsha256:f65be326 2026-05-01"
        )
    );
}

/// More tokens than the default one, each with its own 300 requests a minute: the
/// contact-center's apply and drift read and write more than that, and would wait for the
/// rate limit for minutes.
const TOKENS: &[(&str, &str)] = &[("SWITCHBOARD_TOKEN_POOL", "10")];

/// `drift PATH` in text and Markdown, each twice: exit 2 (drift), the same bytes both times,
/// no colour, no list setting printed as a JSON literal; then each is snapshotted as
/// `drift-NAME-FORMAT`, [`normalised`].
async fn snapshot_drift(sim: &RunningSim, dir: &Path, path: &str, name: &str) {
    for format in ["text", "markdown"] {
        let args = ["drift", path, "--format", format];
        let output = switchboard_env(sim, dir, &args, TOKENS).await;
        assert_eq!(
            output.status.code(),
            Some(2),
            "{format}: {}\n{}",
            stdout(&output),
            stderr(&output)
        );
        let report = stdout(&output);
        let again = switchboard_env(sim, dir, &args, TOKENS).await;
        assert_eq!(
            report,
            stdout(&again),
            "{format}: the same org, the same report"
        );
        assert!(
            !report.contains('\u{1b}'),
            "{format}: no colour off a terminal"
        );
        assert!(
            json_literals(&report).is_empty(),
            "{format}: {:#?}",
            json_literals(&report)
        );
        insta::assert_snapshot!(
            format!("drift-{name}-{format}"),
            normalised(&report, &sim.org_id())
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quickstart_changed_outside_git_reads_as_its_plan_in_text_and_markdown() {
    let sim = switchboard_sim::Sim::builder()
        .fixture(switchboard_sim::Fixture::from_yaml(crate::org::ORG).unwrap())
        .client(OPS.0, OPS.1)
        .start()
        .await
        .unwrap();
    let dir = scratch("switchboard-drift-snapshot-quickstart");
    let quickstart = example("quickstart");
    let applied = switchboard(&sim, &dir, &["apply", &quickstart, "--auto-approve"]).await;
    assert_eq!(applied.status.code(), Some(0), "{}", stderr(&applied));

    // At least three edits to each changed object, so that its last three audit records are
    // the admin's (the apply's own, made concurrently, come in any order).
    let admin = sim.admin();
    // Billing EN (members additive): an attribute, a bullseye ring (a list setting), a
    // member's ring, a listed member removed.
    admin
        .set_queue_field(
            "Billing EN",
            "/description",
            json!("Edited in the admin UI"),
        )
        .unwrap();
    admin
        .set_queue_field(
            "Billing EN",
            "/bullseye/rings/0/expansionCriteria/0/threshold",
            json!(20),
        )
        .unwrap();
    admin
        .set_member_ring("Billing EN", "bo.berg@example.com", 3)
        .unwrap();
    admin
        .remove_member("Billing EN", "chen.okafor@example.com")
        .unwrap();
    // Refunds EN (members authoritative): a member added, another's ring, an attribute.
    admin
        .add_member("Refunds EN", "dara.novak@example.com", 1)
        .unwrap();
    admin
        .set_member_ring("Refunds EN", "ana.silva@example.com", 2)
        .unwrap();
    admin
        .set_queue_field("Refunds EN", "/acwSettings/timeoutMs", json!(60000))
        .unwrap();
    // Bo's skills (authoritative): one changed, one given, one taken away.
    admin
        .set_user_skill("bo.berg@example.com", "Billing", 1.0)
        .unwrap();
    admin
        .set_user_skill("bo.berg@example.com", "Technical Support", 2.0)
        .unwrap();
    admin
        .remove_user_skill("bo.berg@example.com", "Refunds")
        .unwrap();
    // A declared wrap-up code deleted (so missing, and gone from Billing EN), and a queue
    // created in scope by another client (unmanaged; the quickstart prunes nothing).
    admin.delete_wrapup_code("Callback Scheduled").unwrap();
    create_queue_as(&sim, OPS, "Billing FR", "Customer Care").await;

    snapshot_drift(&sim, &dir, &quickstart, "quickstart").await;
    std::fs::remove_dir_all(&dir).unwrap();
    sim.shutdown().await;
}

/// Another OAuth client of the org, id and secret: not switchboard's.
const OPS: (&str, &str) = ("ops-console", "ops-console-secret");

/// Creates a queue as another OAuth client of the org does (someone's script, say): not
/// switchboard's own client, so the audit trail shows it as a change outside git.
async fn create_queue_as(sim: &RunningSim, client: (&str, &str), name: &str, division: &str) {
    let http = reqwest::Client::new();
    let url = sim.base_url();
    let token: Value = http
        .post(format!("{url}/oauth/token"))
        .basic_auth(client.0, Some(client.1))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["access_token"].as_str().unwrap().to_string();
    let divisions: Value = http
        .get(format!("{url}/api/v2/authorization/divisions?pageSize=100"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let division_id = divisions["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == division)
        .unwrap_or_else(|| panic!("no division {division:?}: {divisions}"))["id"]
        .clone();
    let created = http
        .post(format!("{url}/api/v2/routing/queues"))
        .bearer_auth(&token)
        .json(&json!({ "name": name, "division": { "id": division_id } }))
        .send()
        .await
        .unwrap();
    assert!(
        created.status().is_success(),
        "{}: {}",
        created.status(),
        created.text().await.unwrap_or_default()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_contact_center_changed_outside_git_reads_as_its_plan_in_text_and_markdown() {
    let contact_center = example("contact-center");
    let loaded = switchboard_manifest::load(
        Path::new(&contact_center),
        &switchboard_manifest::LoadOptions::default(),
    );
    let manifest = loaded.manifest.unwrap();
    let sim = switchboard_sim::Sim::builder()
        .fixture(switchboard_seed::bare_org(&manifest))
        .client(OPS.0, OPS.1)
        .start()
        .await
        .unwrap();
    let dir = scratch("switchboard-drift-snapshot-contact-center");
    let apply = ["apply", &contact_center, "--auto-approve"];
    let applied = switchboard_env(&sim, &dir, &apply, TOKENS).await;
    assert_eq!(applied.status.code(), Some(0), "{}", stderr(&applied));
    let output = switchboard_env(&sim, &dir, &["drift", &contact_center], TOKENS).await;
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));

    let admin = sim.admin();
    // The queue that sets everything a queue has (members authoritative): an attribute, a
    // bullseye ring and a routing rule (list settings), members removed, added, re-ringed.
    let omnichannel = "Customer Care Omnichannel-EN";
    admin
        .set_queue_field(omnichannel, "/description", json!("Edited in the admin UI"))
        .unwrap();
    admin
        .set_queue_field(
            omnichannel,
            "/bullseye/rings/1/expansionCriteria/0/threshold",
            json!(60),
        )
        .unwrap();
    admin
        .set_queue_field(omnichannel, "/routingRules/0/threshold", json!(12))
        .unwrap();
    admin
        .remove_member(omnichannel, "olivia.bennett@example.com")
        .unwrap();
    admin
        .set_member_ring(omnichannel, "jack.harper@example.com", 1)
        .unwrap();
    admin
        .add_member(omnichannel, "noah.foster@example.com", 3)
        .unwrap();
    // A declared queue deleted: missing.
    admin.delete_queue("Billing Chat-FR").unwrap();
    // A queue in scope created by another client: unmanaged, and queues are pruned.
    create_queue_as(&sim, OPS, "Billing Callback-EN", "Customer Care").await;

    snapshot_drift(&sim, &dir, &contact_center, "contact-center").await;
    std::fs::remove_dir_all(&dir).unwrap();
    sim.shutdown().await;
}
