//! End-to-end scenarios of the apply engine against the simulator over real HTTP: plan →
//! apply → plan again, with faults, lag, safety policy and request counting.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;
use switchboard_apply::{Report, Status, run, stale};
use switchboard_client::Client;
use switchboard_manifest::{LoadOptions, Manifest, load};
use switchboard_plan::render::{TextStyle, text};
use switchboard_plan::{Action, ElementOp, Plan, Policy, RefusalReason, ResourceKind};
use switchboard_seed::bare_org;
use switchboard_sim::{FaultAction, FaultRule, Faults, Fixture, GeneratorSpec, RunningSim};

use crate::harness::{assert_converged, client, demo_org, manifest, plan, sim_builder, start};

// ---- helpers ---------------------------------------------------------------------------

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

/// Plans under `policy` and applies the plan to the read it was made from (checked not
/// stale first).
async fn plan_and_apply(client: &Client, manifest: &Manifest, policy: &Policy) -> (Plan, Report) {
    let (planned, live) = plan(client, manifest, policy).await;
    assert!(stale(&planned, &live).is_empty());
    let report = run(client, &planned, &live).await;
    (planned, report)
}

fn failures(report: &Report) -> Vec<String> {
    report
        .steps
        .iter()
        .filter(|s| !matches!(s.status, Status::Applied | Status::Adopted))
        .map(|s| format!("{}: {:?}", s.object, s.status))
        .collect()
}

/// How many live objects of each name the org holds, per kind (`queues`, `skills`,
/// `languages`, `wrapupCodes`), from the simulator's own state.
fn names(sim: &RunningSim, kind: &str) -> BTreeMap<String, usize> {
    let snapshot = sim.snapshot();
    let mut count = BTreeMap::new();
    for object in snapshot[kind].as_object().unwrap().values() {
        if object.get("state").and_then(Value::as_str) == Some("deleted") {
            continue;
        }
        *count
            .entry(object["name"].as_str().unwrap().to_string())
            .or_insert(0) += 1;
    }
    count
}

/// No kind has two live objects of one name.
fn assert_no_duplicates(sim: &RunningSim) {
    for kind in ["queues", "skills", "languages", "wrapupCodes"] {
        let twice: Vec<_> = names(sim, kind)
            .into_iter()
            .filter(|(_, n)| *n > 1)
            .collect();
        assert!(twice.is_empty(), "duplicate {kind}: {twice:?}");
    }
}

// ---- 1. create everything from an empty org ------------------------------------------

fn contact_center() -> Manifest {
    let loaded = load(&examples().join("contact-center"), &LoadOptions::default());
    assert!(!loaded.has_errors(), "{}", loaded.findings_text());
    loaded.manifest.unwrap()
}

#[tokio::test]
async fn the_contact_center_is_created_from_an_empty_org() {
    let manifest = contact_center();
    let sim = start(bare_org(&manifest)).await;
    let client = client(&sim);
    let policy = Policy::default();

    let (planned, report) = plan_and_apply(&client, &manifest, &policy).await;
    assert!(report.succeeded(), "{:#?}", failures(&report));
    // Every object and every new queue's collections are created; agents exist, so their
    // skills and languages are updates.
    let mut by_kind: BTreeMap<(ResourceKind, Action), usize> = BTreeMap::new();
    for change in &planned.changes {
        *by_kind
            .entry((change.address.kind, change.action))
            .or_default() += 1;
    }
    let (queues, agents) = (manifest.queues.len(), manifest.agents.len());
    let own_capacity = manifest
        .agents
        .iter()
        .filter_map(|a| a.capacity.as_ref())
        .filter(|c| c.mode != switchboard_manifest::model::CapacityMode::OrgDefault)
        .count();
    assert!(own_capacity > 0);
    assert_eq!(
        by_kind,
        BTreeMap::from([
            ((ResourceKind::Skill, Action::Create), manifest.skills.len()),
            (
                (ResourceKind::Language, Action::Create),
                manifest.languages.len()
            ),
            (
                (ResourceKind::WrapupCode, Action::Create),
                manifest.wrapup_codes.len()
            ),
            ((ResourceKind::Queue, Action::Create), queues),
            ((ResourceKind::QueueWrapupCodes, Action::Create), queues),
            ((ResourceKind::QueueMembers, Action::Create), queues),
            ((ResourceKind::AgentSkills, Action::Update), agents),
            ((ResourceKind::AgentLanguages, Action::Update), agents),
            // Capacity of their own for the agents that set one; the org's default is what
            // a new org's agents already have.
            ((ResourceKind::AgentCapacity, Action::Update), own_capacity),
        ])
    );
    assert_converged(&client, &manifest, &policy).await;

    // Everything exists once.
    assert_no_duplicates(&sim);
    assert_eq!(names(&sim, "queues").len(), manifest.queues.len());
    assert_eq!(names(&sim, "skills").len(), manifest.skills.len());
    assert_eq!(names(&sim, "languages").len(), manifest.languages.len());
    assert_eq!(
        names(&sim, "wrapupCodes").len(),
        manifest.wrapup_codes.len()
    );
    sim.shutdown().await;
}

// ---- 2. partial failure, then convergence ------------------------------------------------

/// On the demo org: a new skill and code, a new queue using both with its members and
/// codes, and changes to other queues and an agent that need none of it.
const REFUNDS: &str = r#"
version: 1
org: { name: Switchboard Demo Org, region: mypurecloud.ie }
scope: { divisions: [Customer Care, Sales] }
skills: [{ name: Refunds }]
wrapupCodes:
  - { name: Refund Issued, description: Money sent back to the customer }
  - { name: Resolved, description: Issue solved on first contact }
  - { name: Escalated, description: Handed to a supervisor or second line }
queues:
  - name: Refunds EN
    division: Customer Care
    description: Refund requests in English
    skillEvaluationMethod: BEST
    bullseye:
      rings:
        - { expansionTimeoutSeconds: 20, skillsToRemove: [Refunds] }
        - {}
    wrapupCodes: { mode: authoritative, codes: [Resolved, Refund Issued] }
    members:
      mode: authoritative
      users:
        - { user: ana.silva@example.com }
        - { user: bo.berg@example.com, ring: 2 }
  - name: Billing EN
    description: Billing questions, in English
    bullseye: { rings: [{ expansionTimeoutSeconds: 15 }, { expansionTimeoutSeconds: 30 }, {}] }
    members:
      mode: additive
      users: [{ user: dara.novak@example.com, ring: 2 }]
  - name: Sales EN
    wrapupCodes: { mode: additive, codes: [Escalated] }
agents:
  - user: femi.moreau@example.com
    skills: { mode: additive, proficiency: { Refunds: 3 } }
"#;

#[tokio::test]
async fn a_failed_queue_create_skips_its_dependants_and_a_second_run_converges() {
    // The first queue POST answers 400 (what the API says to a body it will not take).
    // Definitions run in the wave before queues and queue collections in the wave after,
    // so the only POST /api/v2/routing/queues... of the queues wave is the create.
    let refuse_create = FaultRule::new(FaultAction::Status {
        status: 400,
        retry_after: None,
    })
    .method("POST")
    .path_prefix("/api/v2/routing/queues")
    .times(1);
    let sim = sim_builder(demo_org())
        .faults(Faults::none().rule(refuse_create))
        .start()
        .await
        .unwrap();
    let client = client(&sim);
    let manifest = manifest(REFUNDS);
    let policy = Policy::default();

    let (_, report) = plan_and_apply(&client, &manifest, &policy).await;
    let outcome: Vec<(String, String)> = report
        .steps
        .iter()
        .map(|s| {
            let status = match &s.status {
                Status::Applied => "applied",
                Status::Adopted => "adopted",
                Status::Failed(_) => "failed",
                Status::Skipped(_) => "skipped",
            };
            (s.object.clone(), status.to_string())
        })
        .collect();
    let expect = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(o, s)| ((*o).to_string(), (*s).to_string()))
            .collect()
    };
    assert_eq!(
        outcome,
        expect(&[
            ("skill \"Refunds\"", "applied"),
            ("wrap-up code \"Refund Issued\"", "applied"),
            ("queue \"Billing EN\"", "applied"),
            ("queue \"Refunds EN\"", "failed"),
            ("wrap-up codes of queue \"Refunds EN\"", "skipped"),
            ("wrap-up codes of queue \"Sales EN\"", "applied"),
            ("members of queue \"Billing EN\"", "applied"),
            ("members of queue \"Refunds EN\"", "skipped"),
            ("skills of agent femi.moreau@example.com", "applied"),
        ]),
        "{report:#?}"
    );
    let failed = report
        .steps
        .iter()
        .find(|s| s.object == "queue \"Refunds EN\"")
        .unwrap();
    assert_eq!(failed.http_status, Some(400));
    assert!(failed.correlation_id.is_some(), "{failed:#?}");
    assert!(!names(&sim, "queues").contains_key("Refunds EN"));

    // The second run plans only what is left, and converges.
    let (planned, report) = plan_and_apply(&client, &manifest, &policy).await;
    let left: Vec<String> = planned
        .changes
        .iter()
        .map(|c| c.address.kind.describe(&c.address.name))
        .collect();
    assert_eq!(
        left,
        [
            "queue \"Refunds EN\"",
            "wrap-up codes of queue \"Refunds EN\"",
            "members of queue \"Refunds EN\"",
        ]
    );
    assert!(report.succeeded(), "{:#?}", failures(&report));
    assert_converged(&client, &manifest, &policy).await;
    assert_no_duplicates(&sim);
    assert_eq!(names(&sim, "queues")["Refunds EN"], 1);
    assert_eq!(names(&sim, "skills")["Refunds"], 1);
    assert_eq!(names(&sim, "wrapupCodes")["Refund Issued"], 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn objects_created_by_someone_else_after_the_fresh_read_are_adopted_and_converge() {
    let sim = start(demo_org()).await;
    let client = client(&sim);
    let manifest = manifest(REFUNDS);
    let policy = Policy::default();
    let (planned, live) = plan(&client, &manifest, &policy).await;
    // Between the read and the run, an admin creates two of the objects, without the
    // settings the manifest gives them: the creates meet a name conflict.
    sim.admin().create_wrapup_code("Refund Issued").unwrap();
    let bare = switchboard_client::models::Queue {
        name: "Refunds EN".into(),
        ..Default::default()
    };
    client.create_queue(&bare).await.unwrap();
    let report = run(&client, &planned, &live).await;
    assert!(report.succeeded(), "{:#?}", failures(&report));
    for object in ["wrap-up code \"Refund Issued\"", "queue \"Refunds EN\""] {
        let step = report.steps.iter().find(|s| s.object == object).unwrap();
        assert_eq!(step.status, Status::Adopted, "{step:#?}");
    }
    // Adopted objects are given the plan's settings: nothing is left to do.
    assert_converged(&client, &manifest, &policy).await;
    assert_no_duplicates(&sim);
    sim.shutdown().await;
}

/// Skills, wrap-up codes and queues created in a division other than home land there in
/// one run.
#[tokio::test]
async fn created_objects_land_in_their_divisions() {
    let sim = start(demo_org()).await;
    let client = client(&sim);
    let manifest = manifest(
        r#"
version: 1
org: { name: Switchboard Demo Org, region: mypurecloud.ie }
scope: { divisions: [Sales] }
skills: [{ name: Upselling, division: Sales }]
wrapupCodes: [{ name: Upsold, division: Sales }]
queues:
  - name: Upsell EN
    division: Sales
    bullseye: { rings: [{ expansionTimeoutSeconds: 10, skillsToRemove: [Upselling] }, {}] }
    wrapupCodes: { mode: authoritative, codes: [Upsold] }
"#,
    );
    let policy = Policy::default();
    let (_, report) = plan_and_apply(&client, &manifest, &policy).await;
    assert!(report.succeeded(), "{:#?}", failures(&report));
    assert_converged(&client, &manifest, &policy).await;
    sim.shutdown().await;
}

/// A skill cannot be renamed: a replace creates the new skill, moves every holder to it,
/// and deletes the old one. When the create or the move fails, the old skill must stay:
/// deleting it would take the skill from every agent who holds it. The next run finishes
/// the replace, whichever step failed.
#[tokio::test]
async fn a_replaced_skill_is_kept_when_its_successor_or_the_move_fails() {
    let manifest = manifest(
        r#"
version: 1
org: { name: Switchboard Demo Org, region: mypurecloud.ie }
skills: [{ name: Billing Support, renamedFrom: [Billing] }]
"#,
    );
    let policy = Policy::default();
    let refuse = |method: &str, prefix: &str| {
        FaultRule::new(FaultAction::Status {
            status: 400,
            retry_after: None,
        })
        .method(method)
        .path_prefix(prefix)
        .times(1)
    };
    for (failing, fault) in [
        ("create", refuse("POST", "/api/v2/routing/skills")),
        ("move", refuse("PATCH", "/api/v2/users/")),
    ] {
        let sim = sim_builder(demo_org())
            .faults(Faults::none().rule(fault))
            .start()
            .await
            .unwrap();
        let client = client(&sim);
        let holders = |sim: &RunningSim, skill: &str| -> usize {
            let snapshot = sim.snapshot();
            let id = snapshot["skills"]
                .as_object()
                .unwrap()
                .values()
                .find(|s| s["name"] == skill && s["state"] == "active")
                .map(|s| s["id"].as_str().unwrap().to_string());
            let Some(id) = id else { return 0 };
            snapshot["users"]
                .as_object()
                .unwrap()
                .values()
                .filter(|u| u["skills"].get(&id).is_some())
                .count()
        };
        let before = holders(&sim, "Billing");
        assert_eq!(before, 4, "ana, bo, chen and hugo hold Billing");
        let (_, report) = plan_and_apply(&client, &manifest, &policy).await;
        assert!(!report.succeeded(), "{failing}: {report:#?}");
        let delete = report
            .steps
            .iter()
            .find(|s| s.step == switchboard_plan::Step::Delete)
            .unwrap();
        assert!(
            matches!(delete.status, Status::Skipped(_)),
            "{failing}: the old skill is deleted although the {failing} failed: {report:#?}"
        );
        assert_eq!(holders(&sim, "Billing"), before, "{failing}");
        let (again, report) = plan_and_apply(&client, &manifest, &policy).await;
        assert!(report.succeeded(), "{failing}: {:#?}", failures(&report));
        assert_converged(&client, &manifest, &policy).await;
        assert_no_duplicates(&sim);
        // A second run finishes the replace, whichever step failed: when the new skill
        // exists already (the move failed), the plan still sees the old one as replaced by
        // it, moves its remaining holders, then deletes it. Nobody loses the skill.
        assert_eq!(holders(&sim, "Billing"), 0, "{failing}");
        assert_eq!(holders(&sim, "Billing Support"), before, "{failing}");
        assert!(
            again
                .changes
                .iter()
                .any(|c| c.action == switchboard_plan::Action::Replace),
            "{failing}: {:#?}",
            again.changes
        );
        sim.shutdown().await;
    }
}

// ---- 3. eventual consistency -------------------------------------------------------------

/// How long the simulator hides a new object from reads.
const LAG: Duration = Duration::from_millis(500);

#[tokio::test]
async fn writes_right_after_a_create_tolerate_the_api_lag() {
    // The simulator's eventual consistency hides a new queue, skill or code from lists and
    // GETs for `LAG`; its writes to a hidden queue's members and codes succeed. The real
    // API may answer such writes 404 for a while: the rules below answer the first two
    // writes to a queue's members or codes (POST), and the first ring change (PATCH), with
    // 404, as the API does during its lag. The executor retries 404s with backoff.
    let lagging_write = |method: &str, times| {
        FaultRule::new(FaultAction::Status {
            status: 404,
            retry_after: None,
        })
        .method(method)
        .path_prefix("/api/v2/routing/queues/")
        .times(times)
    };
    let faults = Faults::none()
        .eventual_consistency(LAG)
        .rule(lagging_write("POST", 2))
        .rule(lagging_write("PATCH", 1));
    let sim = sim_builder(demo_org())
        .faults(faults)
        .start()
        .await
        .unwrap();
    let client = client(&sim);
    let manifest = manifest(
        r#"
version: 1
org: { name: Switchboard Demo Org, region: mypurecloud.ie }
scope: { divisions: [Customer Care] }
skills: [{ name: Refunds }]
wrapupCodes:
  - { name: Refund Issued }
  - { name: Resolved, description: Issue solved on first contact }
queues:
  - name: Refunds EN
    division: Customer Care
    bullseye: { rings: [{ expansionTimeoutSeconds: 20, skillsToRemove: [Refunds] }, {}] }
    wrapupCodes: { mode: authoritative, codes: [Refund Issued, Resolved] }
    members:
      mode: authoritative
      users:
        - { user: ana.silva@example.com }
        - { user: bo.berg@example.com, ring: 2 }
"#,
    );
    let policy = Policy::default();
    sim.clear_journal();
    let (_, report) = plan_and_apply(&client, &manifest, &policy).await;
    assert!(report.succeeded(), "{:#?}", failures(&report));

    // The lag was met and outlasted: 404s on the queue's collections, then successes.
    let writes: Vec<(String, u16)> = sim
        .journal()
        .into_iter()
        .filter(|e| e.path.starts_with("/api/v2/routing/queues/") && e.method != "GET")
        .map(|e| (e.method, e.status))
        .collect();
    let not_found = writes.iter().filter(|(_, status)| *status == 404).count();
    assert_eq!(not_found, 3, "{writes:?}");
    for method in ["POST", "PATCH"] {
        let last = writes.iter().rev().find(|(m, _)| m == method).unwrap();
        assert!((200..300).contains(&last.1), "{writes:?}");
    }

    // Reads lag too: the new objects show once the lag has passed. Plan until the plan
    // is empty (bounded, so a real failure to converge still fails).
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let (after, _) = plan(&client, &manifest, &policy).await;
        if after.changes.is_empty() {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "did not converge:\n{}",
            text(&after, &TextStyle::default())
        );
        tokio::time::sleep(LAG / 5).await;
    }
    assert_no_duplicates(&sim);
    sim.shutdown().await;
}

// ---- 4. prune and the blast radius -------------------------------------------------------

/// Twelve wrap-up codes and ten queues (one member each), nothing else.
fn prunable_org() -> Fixture {
    let mut yaml = String::from(
        "users:\n  - { name: Ana Silva, email: ana.silva@example.com }\nwrapupCodes:\n",
    );
    for c in 1..=12 {
        yaml.push_str(&format!("  - {{ name: Code {c:02} }}\n"));
    }
    yaml.push_str("queues:\n");
    for q in 1..=10 {
        yaml.push_str(&format!(
            "  - {{ name: Queue {q:02}, members: [{{ user: ana.silva@example.com }}] }}\n"
        ));
    }
    Fixture::from_yaml(&yaml).unwrap()
}

/// Keeps codes 01–06 and queues 01–05, prunes both kinds, protects code 12 and queue 10.
/// Deletes: codes 07–11 (5 of 12, 42 %) and queues 06–09 (4 of 10, 40 %), both over 30 %.
fn pruning() -> Manifest {
    let mut yaml = String::from(
        "version: 1\norg: { name: Switchboard Demo Org, region: mypurecloud.ie }\n\
         prune: { wrapupCodes: true, queues: true }\n\
         protect: [\"wrapupCode:Code 12\", \"queue:Queue 10\"]\nwrapupCodes:\n",
    );
    for c in 1..=6 {
        yaml.push_str(&format!("  - {{ name: Code {c:02} }}\n"));
    }
    yaml.push_str("queues:\n");
    for q in 1..=5 {
        yaml.push_str(&format!("  - {{ name: Queue {q:02} }}\n"));
    }
    manifest(&yaml)
}

/// The refusal of every change of the plan, by address.
fn refusals(plan: &Plan) -> BTreeMap<String, Option<RefusalReason>> {
    plan.changes
        .iter()
        .map(|c| {
            (
                c.address.kind.describe(&c.address.name),
                c.refused.as_ref().map(|r| r.reason),
            )
        })
        .collect()
}

#[tokio::test]
async fn prune_over_the_blast_radius_is_refused_then_forced_and_protect_holds() {
    let sim = start(prunable_org()).await;
    let client = client(&sim);
    let manifest = pruning();
    let codes = |range: std::ops::RangeInclusive<u32>| {
        range
            .map(|c| format!("wrap-up code \"Code {c:02}\""))
            .collect::<Vec<_>>()
    };
    let queues = |range: std::ops::RangeInclusive<u32>| {
        range
            .map(|q| format!("queue \"Queue {q:02}\""))
            .collect::<Vec<_>>()
    };
    let mut expected: BTreeMap<String, Option<RefusalReason>> = BTreeMap::new();
    for object in codes(7..=11).into_iter().chain(queues(6..=9)) {
        expected.insert(object, Some(RefusalReason::BlastRadius));
    }
    for object in codes(12..=12).into_iter().chain(queues(10..=10)) {
        expected.insert(object, Some(RefusalReason::Protected));
    }

    // Without --force: every delete is refused, so nothing is written.
    let unforced = Policy::default();
    let (planned, live) = plan(&client, &manifest, &unforced).await;
    assert_eq!(refusals(&planned), expected);
    assert!(planned.is_empty());
    sim.clear_journal();
    let report = run(&client, &planned, &live).await;
    assert!(report.steps.is_empty(), "{report:#?}");
    assert!(
        sim.journal().iter().all(|e| e.method == "GET"),
        "{:?}",
        sim.journal()
    );
    assert_eq!(names(&sim, "wrapupCodes").len(), 12);
    assert_eq!(names(&sim, "queues").len(), 10);

    // With --force: the blast radius is lifted, protect is not.
    let forced = Policy {
        force: true,
        ..Policy::default()
    };
    let (planned, report) = plan_and_apply(&client, &manifest, &forced).await;
    for reason in expected.values_mut() {
        if *reason == Some(RefusalReason::BlastRadius) {
            *reason = None;
        }
    }
    assert_eq!(refusals(&planned), expected);
    assert!(report.succeeded(), "{:#?}", failures(&report));
    assert_eq!(report.steps.len(), 9);
    let left_codes: Vec<String> = names(&sim, "wrapupCodes").into_keys().collect();
    let left_queues: Vec<String> = names(&sim, "queues").into_keys().collect();
    assert_eq!(
        left_codes,
        [
            "Code 01", "Code 02", "Code 03", "Code 04", "Code 05", "Code 06", "Code 12"
        ]
    );
    assert_eq!(
        left_queues,
        [
            "Queue 01", "Queue 02", "Queue 03", "Queue 04", "Queue 05", "Queue 10"
        ]
    );

    // Converged: all that is left, with or without --force, is the protected objects'
    // refused deletes, which nothing runs.
    for policy in [&forced, &unforced] {
        let (after, _) = plan(&client, &manifest, policy).await;
        assert!(after.is_empty(), "{}", text(&after, &TextStyle::default()));
        assert!(
            after
                .changes
                .iter()
                .all(|c| c.refused.as_ref().map(|r| r.reason) == Some(RefusalReason::Protected)),
            "{}",
            text(&after, &TextStyle::default())
        );
        assert_eq!(after.changes.len(), 2);
    }
    sim.shutdown().await;
}

// ---- 5. members in each mode ---------------------------------------------------------------

/// A queue's members as the simulator holds them: email → (ring, through a group).
fn members_of(sim: &RunningSim, queue: &str) -> BTreeMap<String, (u64, bool)> {
    let snapshot = sim.snapshot();
    let emails: BTreeMap<&str, &str> = snapshot["users"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(id, u)| (id.as_str(), u["email"].as_str().unwrap()))
        .collect();
    let queue = snapshot["queues"]
        .as_object()
        .unwrap()
        .values()
        .find(|q| q["name"] == queue)
        .unwrap();
    queue["members"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(id, m)| {
            (
                emails[id.as_str()].to_string(),
                (m["ring"].as_u64().unwrap(), m["memberBy"] == "group"),
            )
        })
        .collect()
}

fn roster(members: &[(&str, u64, bool)]) -> BTreeMap<String, (u64, bool)> {
    members
        .iter()
        .map(|(user, ring, group)| (format!("{user}@example.com"), (*ring, *group)))
        .collect()
}

#[tokio::test]
async fn members_are_added_removed_and_moved_between_rings_in_each_mode() {
    let sim = start(demo_org()).await;
    let client = client(&sim);
    // As seeded (ring, through a group):
    //   Tech Support EN: chen 1, dara 2
    //   Sales EN:        eli 1, femi 1, gita 2
    //   Billing ES:      ana 1, dara 1, gita 1 (through a group)
    //   Billing EN:      ana 1, bo 2, chen 2, hugo 3 (inactive)
    assert_eq!(
        members_of(&sim, "Tech Support EN"),
        roster(&[("chen.okafor", 1, false), ("dara.novak", 2, false)])
    );
    let billing_en = members_of(&sim, "Billing EN");
    let manifest = manifest(
        r#"
version: 1
org: { name: Switchboard Demo Org, region: mypurecloud.ie }
queues:
  # authoritative: chen moves to ring 3, ana is added in ring 1 and eli in ring 2, dara goes
  - name: Tech Support EN
    bullseye: { rings: [{ expansionTimeoutSeconds: 10 }, { expansionTimeoutSeconds: 20 }, {}] }
    members:
      mode: authoritative
      users:
        - { user: chen.okafor@example.com, ring: 3 }
        - { user: ana.silva@example.com }
        - { user: eli.tanaka@example.com, ring: 2 }
  # additive: gita moves to ring 1, bo is added in ring 1 and dara in ring 3 (by weight),
  # eli and femi stay although unlisted
  - name: Sales EN
    bullseye: { rings: [{ expansionTimeoutSeconds: 10 }, { expansionTimeoutSeconds: 20 }, {}] }
    members:
      mode: additive
      users:
        - { user: gita.costa@example.com, ring: 1 }
        - { user: bo.berg@example.com, weight: 0.6 }
        - { user: dara.novak@example.com, weight: 0.1 }
  # authoritative with a member through a group: ana moves to ring 2, dara goes, gita (a
  # group member) is not switchboard's to remove
  - name: Billing ES
    bullseye: { rings: [{ expansionTimeoutSeconds: 10 }, {}] }
    members:
      mode: authoritative
      users:
        - { user: ana.silva@example.com, ring: 2 }
  # ignore: not read, not touched
  - name: Billing EN
    members: { mode: ignore }
"#,
    );
    let policy = Policy::default();
    let (planned, report) = plan_and_apply(&client, &manifest, &policy).await;
    assert!(report.succeeded(), "{:#?}", failures(&report));
    let ops = |queue: &str| -> Vec<(ElementOp, String, Option<Value>)> {
        planned
            .changes
            .iter()
            .find(|c| c.address.kind == ResourceKind::QueueMembers && c.address.name == queue)
            .map(|c| {
                c.elements
                    .iter()
                    .map(|e| (e.op, e.key.clone(), e.after.clone()))
                    .collect()
            })
            .unwrap_or_default()
    };
    let ring = |r: u64| Some(Value::from(r));
    assert_eq!(
        ops("Tech Support EN"),
        [
            (ElementOp::Add, "ana.silva@example.com".into(), ring(1)),
            (ElementOp::Add, "eli.tanaka@example.com".into(), ring(2)),
            (ElementOp::Update, "chen.okafor@example.com".into(), ring(3)),
            (ElementOp::Remove, "dara.novak@example.com".into(), None),
        ]
    );
    assert_eq!(
        ops("Sales EN"),
        [
            (ElementOp::Add, "bo.berg@example.com".into(), ring(1)),
            (ElementOp::Add, "dara.novak@example.com".into(), ring(3)),
            (ElementOp::Update, "gita.costa@example.com".into(), ring(1)),
        ]
    );
    assert_eq!(
        ops("Billing ES"),
        [
            (ElementOp::Update, "ana.silva@example.com".into(), ring(2)),
            (ElementOp::Remove, "dara.novak@example.com".into(), None),
        ]
    );
    assert!(ops("Billing EN").is_empty());

    assert_eq!(
        members_of(&sim, "Tech Support EN"),
        roster(&[
            ("ana.silva", 1, false),
            ("chen.okafor", 3, false),
            ("eli.tanaka", 2, false),
        ])
    );
    assert_eq!(
        members_of(&sim, "Sales EN"),
        roster(&[
            ("bo.berg", 1, false),
            ("dara.novak", 3, false),
            ("eli.tanaka", 1, false),
            ("femi.moreau", 1, false),
            ("gita.costa", 1, false),
        ])
    );
    assert_eq!(
        members_of(&sim, "Billing ES"),
        roster(&[("ana.silva", 2, false), ("gita.costa", 1, true)])
    );
    assert_eq!(members_of(&sim, "Billing EN"), billing_en);
    assert_converged(&client, &manifest, &policy).await;
    sim.shutdown().await;
}

// ---- 6. request count --------------------------------------------------------------------

const QUEUES: usize = 100;
const MEMBERS_PER_QUEUE: usize = 25;
/// The most users one members call takes (API-FACTS §5).
const MEMBERS_PER_CALL: usize = 100;

/// `QUEUES` queues of `MEMBERS_PER_QUEUE` generated users each, every member in ring 1.
fn many_queues() -> Manifest {
    let mut yaml = String::from(
        "version: 1\norg: { name: Switchboard Demo Org, region: mypurecloud.ie }\nqueues:\n",
    );
    for q in 0..QUEUES {
        yaml.push_str(&format!(
            "  - name: Queue {q:03}\n    description: Generated queue {q}\n    skillEvaluationMethod: BEST\n    members:\n      mode: authoritative\n      users:\n"
        ));
        for m in 0..MEMBERS_PER_QUEUE {
            // The generator names its users agent0001@example.com, agent0002@...
            let user = (q * MEMBERS_PER_QUEUE + m) % 500 + 1;
            yaml.push_str(&format!(
                "        - {{ user: agent{user:04}@example.com, ring: 1 }}\n"
            ));
        }
    }
    manifest(&yaml)
}

#[tokio::test]
async fn creating_many_queues_costs_at_most_a_tenth_over_the_floor() {
    let sim = sim_builder(Fixture::default())
        .generate(
            GeneratorSpec {
                users: 500,
                ..GeneratorSpec::small()
            }
            .users_only(),
        )
        .start()
        .await
        .unwrap();
    let client = client(&sim);
    let manifest = many_queues();
    let policy = Policy::default();
    let (planned, live) = plan(&client, &manifest, &policy).await;
    assert_eq!(
        planned.summary().add,
        2 * QUEUES,
        "each queue and its members"
    );
    assert!(stale(&planned, &live).is_empty());
    sim.clear_journal();
    let report = run(&client, &planned, &live).await;
    assert!(report.succeeded(), "{:#?}", failures(&report));
    let requests: Vec<_> = sim
        .journal()
        .into_iter()
        .filter(|e| e.path.starts_with("/api/v2/"))
        .collect();
    // The floor: per queue, one POST /routing/queues, ⌈25/100⌉ = 1 POST .../members, and
    // a PATCH .../members/{id} only for members outside ring 1 (none here: added members
    // start in ring 1). The check that the name is free before each create is the fresh
    // read the plan was made from (the stale check's read), so it costs nothing more.
    let floor = QUEUES * (1 + MEMBERS_PER_QUEUE.div_ceil(MEMBERS_PER_CALL));
    let measured = requests.len();
    let mut by_route: BTreeMap<(String, String), usize> = BTreeMap::new();
    for entry in &requests {
        let route = if entry.path == "/api/v2/routing/queues" {
            entry.path.clone()
        } else {
            entry
                .path
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string()
        };
        *by_route.entry((entry.method.clone(), route)).or_default() += 1;
    }
    eprintln!(
        "{QUEUES} queues × {MEMBERS_PER_QUEUE} members: {measured} requests, floor {floor} ({:.2}×); {by_route:?}",
        measured as f64 / floor as f64
    );
    assert!(
        measured * 10 <= floor * 11,
        "{measured} requests for a floor of {floor}: {by_route:?}"
    );
    assert_converged(&client, &manifest, &policy).await;
    assert_no_duplicates(&sim);
    sim.shutdown().await;
}

/// A queue's members and rings are one unit: when a ring cannot be set after the members
/// were added, the step says what it wrote (partially applied), the queue's distribution
/// record says `partial`, and a second run sets what is left.
#[tokio::test]
async fn a_distribution_that_fails_part_way_is_reported_partial_and_a_rerun_converges() {
    let manifest = manifest(
        r#"
version: 1
org: { name: Switchboard Demo Org, region: mypurecloud.ie }
scope: { divisions: [Customer Care] }
queues:
  - name: Weighted Billing
    division: Customer Care
    bullseye: { rings: [ { expansionTimeoutSeconds: 15 }, { expansionTimeoutSeconds: 30 }, {} ] }
    members:
      mode: authoritative
      users:
        - { user: ana.silva@example.com, weight: 0.5 }
        - { user: bo.berg@example.com, weight: 0.3 }
        - { user: chen.okafor@example.com, weight: 0.2 }
"#,
    );
    let policy = Policy::default();
    let set_ring = FaultRule::new(FaultAction::Status {
        status: 400,
        retry_after: None,
    })
    .method("PATCH")
    .path_prefix("/api/v2/routing/queues/")
    .times(1);
    let sim = sim_builder(demo_org())
        .faults(Faults::none().rule(set_ring))
        .start()
        .await
        .unwrap();
    let client = client(&sim);
    let (planned, report) = plan_and_apply(&client, &manifest, &policy).await;
    let members = report
        .steps
        .iter()
        .find(|s| s.address.kind == ResourceKind::QueueMembers)
        .unwrap();
    assert_eq!(
        members.partial.as_deref(),
        Some("added 3 member(s)"),
        "{members:#?}"
    );
    assert!(
        matches!(&members.status, Status::Failed(why) if why.starts_with("partially applied (added 3 member(s)), then: ")),
        "{members:#?}"
    );
    assert_eq!(members.http_status, Some(400));

    let path =
        std::env::temp_dir().join(format!("switchboard-partial-{}.jsonl", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let mut audit = switchboard_apply::AuditLog::open(&path, "sha256:test", false).unwrap();
    audit.steps(&planned, &report).unwrap();
    let records: Vec<Value> = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let _ = std::fs::remove_file(&path);
    let step = records
        .iter()
        .find(|r| r["record"] == "step" && r["address"] == "queue_members[\"Weighted Billing\"]")
        .unwrap();
    assert_eq!(step["partially_applied"], "added 3 member(s)");
    let distribution = records
        .iter()
        .find(|r| r["record"] == "distribution")
        .unwrap();
    assert_eq!(distribution["queue"], "Weighted Billing");
    assert_eq!(distribution["status"], "partial");
    let rings: Vec<u64> = distribution["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["ring"].as_u64().unwrap())
        .collect();
    assert_eq!(rings, [1, 2, 2]);

    // The second run only sets the rings that are left.
    let (again, report) = plan_and_apply(&client, &manifest, &policy).await;
    assert!(report.succeeded(), "{:#?}", failures(&report));
    let left: Vec<&str> = again
        .runnable()
        .flat_map(|c| c.elements.iter())
        .map(|e| e.key.as_str())
        .collect();
    assert_eq!(left, ["bo.berg@example.com", "chen.okafor@example.com"]);
    assert_converged(&client, &manifest, &policy).await;
    assert_no_duplicates(&sim);
}

// ---- writes that never overwrite what the plan did not show ----------------------------

/// The skills of `email` in the simulator, by skill name.
fn skills_of(sim: &RunningSim, email: &str) -> BTreeMap<String, f64> {
    let snapshot = sim.snapshot();
    let names: BTreeMap<&str, &str> = snapshot["skills"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, s)| s["state"] != "deleted")
        .map(|(id, s)| (id.as_str(), s["name"].as_str().unwrap()))
        .collect();
    let user = snapshot["users"]
        .as_object()
        .unwrap()
        .values()
        .find(|u| u["email"] == email)
        .unwrap();
    user["skills"]
        .as_object()
        .unwrap()
        .iter()
        .filter_map(|(id, p)| {
            let proficiency = p.as_f64().or_else(|| p["proficiency"].as_f64())?;
            Some((names.get(id.as_str())?.to_string(), proficiency))
        })
        .collect()
}

/// The demo org, a client, the demo org's manifest with `body` after its head, and the plan
/// of it with the read it was made from.
async fn planned_on_demo(
    body: &str,
) -> (RunningSim, Client, Manifest, Plan, switchboard_plan::Live) {
    let sim = start(demo_org()).await;
    let client = client(&sim);
    let manifest = manifest(&format!(
        "version: 1\norg: {{ name: Switchboard Demo Org, region: mypurecloud.ie }}\n{body}"
    ));
    let (planned, live) = plan(&client, &manifest, &Policy::default()).await;
    (sim, client, manifest, planned, live)
}

#[tokio::test]
async fn an_agents_skills_are_written_as_the_planned_delta_never_replaced_whole() {
    let (sim, client, _, planned, live) = planned_on_demo(
        "skills: [{ name: Billing }, { name: Disputes }]\nagents:\n  - user: ana.silva@example.com\n    skills: { mode: authoritative, proficiency: { Billing: 4, Disputes: 3 } }\n",
    )
    .await;
    // While the plan waits for review, an admin gives Ana a skill the plan never saw.
    sim.admin()
        .set_user_skill("ana.silva@example.com", "VIP", 2.0)
        .unwrap();
    let report = run(&client, &planned, &live).await;
    assert!(report.succeeded(), "{:#?}", failures(&report));
    assert_eq!(
        skills_of(&sim, "ana.silva@example.com"),
        BTreeMap::from([
            ("Billing".to_string(), 4.0),
            ("Disputes".to_string(), 3.0),
            ("VIP".to_string(), 2.0)
        ]),
        "the planned update is written, and the skill given meanwhile is kept"
    );
    assert!(
        sim.journal()
            .iter()
            .all(|e| !(e.method == "PUT" && e.path.ends_with("/routingskills/bulk"))),
        "no replace-all write"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn a_create_that_meets_an_existing_object_adopts_it_and_keeps_what_the_plan_did_not_show() {
    let (sim, client, _, planned, live) =
        planned_on_demo("wrapupCodes: [{ name: Refund Issued }]\n").await;
    assert_eq!(planned.changes[0].action, Action::Create);
    // Someone creates it, with a description, before the run.
    client
        .create_wrapup_code(&switchboard_client::models::WrapupCodeRequest {
            name: "Refund Issued".into(),
            division: None,
            description: Some("Money returned to the customer".into()),
        })
        .await
        .unwrap();
    let report = run(&client, &planned, &live).await;
    assert!(report.succeeded(), "{:#?}", failures(&report));
    assert_eq!(report.steps[0].status, Status::Adopted);
    let code = client
        .list_wrapup_codes()
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.name == "Refund Issued")
        .unwrap();
    assert_eq!(
        code.description.as_deref(),
        Some("Money returned to the customer"),
        "the adopted code keeps the description the plan never showed"
    );
    assert_no_duplicates(&sim);
    sim.shutdown().await;
}

/// The replace's delete was refused, naming Dara, who was given Billing after the plan
/// was made, and she keeps it.
fn assert_dara_keeps_billing(sim: &RunningSim, report: &Report) {
    let delete = report
        .steps
        .iter()
        .find(|s| s.step == switchboard_plan::Step::Delete)
        .unwrap();
    assert!(
        matches!(&delete.status, Status::Failed(why) if why.contains("dara.novak@example.com")),
        "{:?}",
        delete.status
    );
    assert_eq!(
        skills_of(sim, "dara.novak@example.com").get("Billing"),
        Some(&2.0),
        "Dara keeps the skill"
    );
}

#[tokio::test]
async fn a_skill_given_to_someone_after_a_replace_was_planned_is_never_taken_from_them() {
    let (sim, client, manifest, planned, live) =
        planned_on_demo("skills:\n  - name: Billing Support\n    renamedFrom: [Billing]\n").await;
    let policy = Policy::default();
    sim.admin()
        .set_user_skill("dara.novak@example.com", "Billing", 2.0)
        .unwrap();
    // The plan file's stale check sees the new holder.
    let (_, fresh) = plan(&client, &manifest, &policy).await;
    let stale = stale(&planned, &fresh);
    assert_eq!(
        stale.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["skill \"Billing Support\" changed since the plan was made"]
    );
    // Run from the old read anyway (as if the holder came after the check): the delete
    // re-checks who holds the old skill just before it, and keeps it.
    let report = run(&client, &planned, &live).await;
    assert_dara_keeps_billing(&sim, &report);
    // The next plan finishes the replace, Dara included.
    let (again, report) = plan_and_apply(&client, &manifest, &policy).await;
    assert!(report.succeeded(), "{:#?}", failures(&report));
    assert!(again.changes.iter().any(|c| c.action == Action::Replace));
    assert_eq!(
        skills_of(&sim, "dara.novak@example.com").get("Billing Support"),
        Some(&2.0)
    );
    assert_converged(&client, &manifest, &policy).await;
    sim.shutdown().await;
}

#[tokio::test]
async fn a_new_holder_is_seen_before_the_delete_even_when_the_skills_expansion_fails_quietly() {
    let body = "skills:\n  - name: Billing Support\n    renamedFrom: [Billing]\n";
    // How many user listings planning reads, on an org that answers honestly: the fault
    // below lets them through and empties every listing after, the apply's own.
    let planning = {
        let (sim, ..) = planned_on_demo(body).await;
        let listings = sim
            .journal()
            .iter()
            .filter(|e| e.method == "GET" && e.path == "/api/v2/users")
            .count();
        sim.shutdown().await;
        u32::try_from(listings).unwrap()
    };
    let empty = FaultRule::mutate(switchboard_sim::Mutation::set(
        "entities/*/skills",
        serde_json::json!([]),
    ))
    .method("GET")
    .path_prefix("/api/v2/users")
    .path_suffix("/api/v2/users")
    .skip(planning);
    let sim = sim_builder(demo_org())
        .faults(Faults::none().rule(empty))
        .start()
        .await
        .unwrap();
    let client = client(&sim);
    let manifest = manifest(&format!(
        "version: 1\norg: {{ name: Switchboard Demo Org, region: mypurecloud.ie }}\n{body}"
    ));
    let (planned, live) = plan(&client, &manifest, &Policy::default()).await;
    assert!(planned.changes.iter().any(|c| c.action == Action::Replace));
    sim.admin()
        .set_user_skill("dara.novak@example.com", "Billing", 2.0)
        .unwrap();
    let report = run(&client, &planned, &live).await;
    assert_dara_keeps_billing(&sim, &report);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_queue_read_just_before_its_write_that_differs_from_the_plan_is_not_written_back() {
    // The queue's GET right before the PUT leaves out its media settings: written back
    // whole, they would be erased, which the plan never showed.
    let incomplete = FaultRule::mutate(switchboard_sim::Mutation::remove("mediaSettings"))
        .method("GET")
        .path_prefix("/api/v2/routing/queues/");
    let sim = sim_builder(demo_org())
        .faults(Faults::none().rule(incomplete))
        .start()
        .await
        .unwrap();
    let client = client(&sim);
    let manifest = manifest(
        "version: 1\norg: { name: Switchboard Demo Org, region: mypurecloud.ie }\nqueues:\n  - name: Billing EN\n    description: Billing questions, in English\n",
    );
    let (planned, live) = plan(&client, &manifest, &Policy::default()).await;
    assert_eq!(planned.changes.len(), 1, "{:?}", planned.changes);
    let report = run(&client, &planned, &live).await;
    assert!(
        matches!(&report.steps[0].status, Status::Failed(why) if why.contains("differs from the plan's")),
        "{:?}",
        report.steps[0].status
    );
    let snapshot = sim.snapshot();
    let queue = snapshot["queues"]
        .as_object()
        .unwrap()
        .values()
        .find(|q| q["name"] == "Billing EN")
        .unwrap();
    assert!(
        queue.pointer("/settings/mediaSettings/call").is_some()
            || queue.pointer("/mediaSettings/call").is_some(),
        "the media settings are kept: {queue}"
    );
    sim.shutdown().await;
}
