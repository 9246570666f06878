//! The capacity guard, skill coverage and weighted members end to end: the built binary
//! against the demo org's simulator. A forecast refuses a member removal that would
//! saturate a queue until `--force`; an enforced coverage rule refuses a removal that
//! leaves a required skill short, whatever the flags; weights are realised as rings and
//! audited per queue.

use std::path::Path;

use serde_json::{Value, json};

use crate::org::{out, scratch, seeded_sim, switchboard};

/// Asserts that `text` holds every one of `expected`.
fn assert_contains(text: &str, expected: &[&str]) {
    for expected in expected {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

/// A manifest for the demo org with one queue, `queue_yaml` (indented as a list item).
fn manifest(dir: &Path, file: &str, queue_yaml: &str) -> String {
    let text = format!(
        "version: 1
org: {{ name: Switchboard Demo Org, id: 5b5e6a2c-7d1f-4c3b-9a8e-0d15c0a1b2c3, region: mypurecloud.ie }}
scope: {{ divisions: [Customer Care] }}
skills:
  - name: Billing
queues:
{queue_yaml}"
    );
    std::fs::write(dir.join(file), text).unwrap();
    file.to_string()
}

/// A weighted chat queue; `members` are `(email, weight)`.
fn weighted_queue(members: &[(&str, f64)]) -> String {
    weighted_queue_with(members, "")
}

/// Overflow to a group when the service level drops below 70 % for 20 s.
const OVERFLOW: &str = "    conditionalGroupRouting:
      rules:
        - { metric: ServiceLevel, operator: LessThan, conditionValue: 0.7, waitSeconds: 20,
            groups: [{ name: Billing Overflow, id: 0b1e4f20-6a1d-4c1e-9b7a-3f5c2d8e0a09, type: GROUP }] }
";

/// A weighted chat queue with `extra` settings (indented as the queue's keys).
fn weighted_queue_with(members: &[(&str, f64)], extra: &str) -> String {
    let users: String = members
        .iter()
        .map(|(user, weight)| format!("        - {{ user: {user}, weight: {weight} }}\n"))
        .collect();
    format!(
        "  - name: Chat Billing
    division: Customer Care
    bullseye: {{ rings: [ {{ expansionTimeoutSeconds: 15 }}, {{ expansionTimeoutSeconds: 30 }}, {{}} ] }}
    distribution: {{ utilizationTarget: 0.8 }}
{extra}    members:
      mode: authoritative
      users:
{users}"
    )
}

const ANA: &str = "ana.silva@example.com";
const BO: &str = "bo.berg@example.com";
const CHEN: &str = "chen.okafor@example.com";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forecast_blocks_a_saturating_member_removal_until_forced() {
    let sim = seeded_sim().await;
    let dir = scratch("switchboard-capacity-guard");
    let three = manifest(
        &dir,
        "three.yaml",
        &weighted_queue(&[(ANA, 0.5), (BO, 0.3), (CHEN, 0.2)]),
    );
    let two = manifest(&dir, "two.yaml", &weighted_queue(&[(ANA, 0.5), (BO, 0.3)]));
    // Peak 8 chats; the org default is 4 chats per agent, at 80 % utilization: 3 agents
    // give 9.6 (83.3 % saturated), 2 agents give 6.4 (125 %).
    std::fs::write(
        dir.join("forecast.csv"),
        "# exported from WFM, peak interval\nqueue,mediaType,peakConcurrent,interval\nChat Billing,chat,8,2026-11-23T10:00\n",
    )
    .unwrap();

    let created = switchboard(&sim, &dir, &["apply", &three, "--auto-approve"]).await;
    assert_eq!(created.status.code(), Some(0), "{}", out(&created));

    let plan = switchboard(&sim, &dir, &["plan", &two, "--forecast", "forecast.csv"]).await;
    let text = out(&plan);
    assert_eq!(plan.status.code(), Some(0), "{text}");
    assert_contains(
        &text,
        &[
            "Capacity guard (forecast forecast.csv, limit 95.0 %):",
            "queue \"Chat Billing\" chat: peak 8 concurrent, 3 → 2 agents at 80.0 % utilization, saturation 83.3 % → 125.0 %, over the limit",
            "members of queue \"Chat Billing\" would be updated in-place (refused: capacity guard)",
        ],
    );

    let blocked = switchboard(
        &sim,
        &dir,
        &[
            "apply",
            &two,
            "--forecast",
            "forecast.csv",
            "--auto-approve",
        ],
    )
    .await;
    let text = out(&blocked);
    assert_eq!(blocked.status.code(), Some(1), "{text}");
    assert!(
        text.contains("Not applied, refused by safety policy")
            && text.contains("members of queue \"Chat Billing\""),
        "{text}"
    );
    // Chen is still a member: without the guard, the removal is still planned.
    let pending = switchboard(&sim, &dir, &["plan", &two, "--detailed-exitcode"]).await;
    assert_eq!(pending.status.code(), Some(2), "{}", out(&pending));
    assert!(
        out(&pending).contains(&format!("- member {CHEN}")),
        "{}",
        out(&pending)
    );

    let forced = switchboard(
        &sim,
        &dir,
        &[
            "apply",
            &two,
            "--forecast",
            "forecast.csv",
            "--force",
            "--auto-approve",
        ],
    )
    .await;
    let text = out(&forced);
    assert_eq!(forced.status.code(), Some(0), "{text}");
    assert!(text.contains("allowed by --force"), "{text}");
    assert!(
        text.contains("Verified: a new plan shows no changes."),
        "{text}"
    );

    let after = switchboard(
        &sim,
        &dir,
        &[
            "plan",
            &two,
            "--forecast",
            "forecast.csv",
            "--detailed-exitcode",
        ],
    )
    .await;
    assert_eq!(
        after.status.code(),
        Some(0),
        "plan → apply → plan is empty: {}",
        out(&after)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_enforced_coverage_rule_refuses_a_removal_that_leaves_a_skill_short() {
    let sim = seeded_sim().await;
    let dir = scratch("switchboard-coverage");
    let queue = |members: &[&str]| {
        let users: String = members
            .iter()
            .map(|user| format!("        - {{ user: {user} }}\n"))
            .collect();
        format!(
            "  - name: Covered Billing
    division: Customer Care
    coverage: {{ requiredSkills: [Billing], minProficiency: 3, minAgents: 2, enforce: true }}
    members:
      mode: authoritative
      users:
{users}"
        )
    };
    // Billing at 3 or more: Ana (5) and Bo (3); Chen has 2.
    let all = manifest(&dir, "all.yaml", &queue(&[ANA, BO, CHEN]));
    let without_bo = manifest(&dir, "without-bo.yaml", &queue(&[ANA, CHEN]));

    let created = switchboard(&sim, &dir, &["apply", &all, "--auto-approve"]).await;
    assert_eq!(created.status.code(), Some(0), "{}", out(&created));

    for flags in [&[][..], &["--force"][..]] {
        let mut args = vec!["apply", without_bo.as_str(), "--auto-approve"];
        args.extend(flags);
        let refused = switchboard(&sim, &dir, &args).await;
        let text = out(&refused);
        assert_eq!(refused.status.code(), Some(1), "{flags:?}: {text}");
        for expected in [
            "skill \"Billing\" at proficiency ≥ 3 is held by 2 → 1 active, joined members (at least 2 needed); missing bo.berg@example.com; refused (coverage.enforce)",
            "members of queue \"Covered Billing\" would be updated in-place (refused: skill coverage)",
        ] {
            assert!(
                text.contains(expected),
                "{flags:?}: missing {expected:?} in:\n{text}"
            );
        }
    }
    // Bo is still a member: the manifest with all three plans no changes.
    let unchanged = switchboard(&sim, &dir, &["plan", &all, "--detailed-exitcode"]).await;
    assert_eq!(unchanged.status.code(), Some(0), "{}", out(&unchanged));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coverage_counts_the_agents_a_skill_group_brings_and_refuses_removing_it() {
    let sim = seeded_sim().await;
    let dir = scratch("switchboard-coverage-groups");
    // Skill group "Support Specialists" (Technical Support at 3 or more) holds Chen (4) and
    // Dara (5): the queue's only members, and both count for coverage.
    let queue = |groups: &str| {
        format!(
            "  - name: Covered Support
    division: Customer Care
    coverage: {{ requiredSkills: [Technical Support], minProficiency: 3, minAgents: 2, enforce: true }}
    memberGroups: {{ mode: authoritative, groups: [{groups}] }}
"
        )
    };
    let text = |file: &str, groups: &str| {
        let path = manifest(&dir, file, &queue(groups));
        let body = std::fs::read_to_string(dir.join(&path)).unwrap();
        std::fs::write(
            dir.join(&path),
            body.replace(
                "  - name: Billing\n",
                "  - name: Billing\n  - name: Technical Support\n",
            ),
        )
        .unwrap();
        path
    };
    let with_group = text(
        "with-group.yaml",
        "{ name: Support Specialists, type: SKILLGROUP }",
    );
    let without = text("without.yaml", "");

    let created = switchboard(&sim, &dir, &["apply", &with_group, "--auto-approve"]).await;
    assert_eq!(created.status.code(), Some(0), "{}", out(&created));

    let refused = switchboard(&sim, &dir, &["apply", &without, "--auto-approve"]).await;
    let said = out(&refused);
    assert_eq!(refused.status.code(), Some(1), "{said}");
    assert_contains(
        &said,
        &[
            "skill \"Technical Support\" at proficiency ≥ 3 is held by 2 → 0 active, joined members (at least 2 needed); missing chen.okafor@example.com, dara.novak@example.com; refused (coverage.enforce)",
            "queue \"Covered Support\" would be updated in-place (refused: skill coverage)",
        ],
    );
    // The group is still the queue's: the first manifest plans no changes.
    let unchanged = switchboard(&sim, &dir, &["plan", &with_group, "--detailed-exitcode"]).await;
    assert_eq!(unchanged.status.code(), Some(0), "{}", out(&unchanged));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_weighted_queue_is_audited_with_weights_rings_accuracy_latency_and_status() {
    let sim = seeded_sim().await;
    let dir = scratch("switchboard-weights-audit");
    let weighted = manifest(
        &dir,
        "weighted.yaml",
        &weighted_queue_with(&[(ANA, 0.5), (BO, 0.3), (CHEN, 0.2)], OVERFLOW),
    );
    let plan = switchboard(&sim, &dir, &["plan", &weighted]).await;
    let text = out(&plan);
    assert_contains(
        &text,
        &[
            "queue \"Chat Billing\" (3 rings): balance accuracy 91.4 %",
            "ana.silva@example.com: weight 0.5 → ring 1; share 50.0 % requested, 42.9 % realised",
            "chen.okafor@example.com: weight 0.2 → ring 2; share 20.0 % requested, 28.6 % realised",
            "Capacity guard: off (no --forecast given).",
        ],
    );

    let apply = switchboard(
        &sim,
        &dir,
        &[
            "apply",
            &weighted,
            "--auto-approve",
            "--audit-log",
            "audit.jsonl",
        ],
    )
    .await;
    assert_eq!(apply.status.code(), Some(0), "{}", out(&apply));
    let audit = std::fs::read_to_string(dir.join("audit.jsonl")).unwrap();
    let records: Vec<Value> = audit
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let distributions: Vec<&Value> = records
        .iter()
        .filter(|r| r["record"] == "distribution")
        .collect();
    assert_eq!(distributions.len(), 1, "{audit}");
    let record = distributions[0];
    assert_eq!(record["queue"], "Chat Billing");
    assert_eq!(record["status"], "applied");
    assert_eq!(record["rings"], 3);
    assert_eq!(record["balance_accuracy"], 0.914_286);
    assert!(record["latency_ms"].is_u64(), "{record}");
    let rule = &record["overflow"]["rules"][0];
    assert_eq!(
        (
            &rule["metric"],
            &rule["conditionValue"],
            &rule["waitSeconds"]
        ),
        (&json!("ServiceLevel"), &json!(0.7), &json!(20)),
        "{record}"
    );
    assert!(record["run_id"].is_string() && record["plan_checksum"].is_string());
    let members: Vec<(String, f64, u64)> = record["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["user"].as_str().unwrap().to_string(),
                m["weight"].as_f64().unwrap(),
                m["ring"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        members,
        [
            (ANA.to_string(), 0.5, 1),
            (BO.to_string(), 0.3, 2),
            (CHEN.to_string(), 0.2, 2)
        ]
    );
    // The rings are what the org now holds: a plan is empty.
    let again = switchboard(&sim, &dir, &["plan", &weighted, "--detailed-exitcode"]).await;
    assert_eq!(again.status.code(), Some(0), "{}", out(&again));
}
