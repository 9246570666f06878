//! The text and Markdown renderers, on plans built by hand.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{Value, json};
use switchboard_manifest::model::Mode;
use switchboard_plan::render::{MARKDOWN_LIMIT, TextStyle, markdown, text};
use switchboard_plan::{
    Action, Address, AttributeChange, Change, ElementChange, ElementOp, Plan, PlanOrg, Refusal,
    RefusalReason, ResourceKind, Warning,
};

use Action::{Create, Delete, Replace, Update};
use ElementOp::{Add, Remove};
use ResourceKind::*;

// ---------------------------------------------------------------------------------------------
// Building plans

/// A change under construction.
struct C(Change);

fn change(kind: ResourceKind, name: &str, action: Action) -> C {
    let mut change = Change::new(Address::new(kind, name), action);
    if action != Action::Create {
        change.id = Some(format!("id-{}", name.to_lowercase().replace(' ', "-")));
        change.fingerprint = Some("sha256:00".to_string());
    }
    C(change)
}

impl C {
    fn attr(mut self, path: &str, before: Option<Value>, after: Option<Value>) -> C {
        self.0.attributes.push(AttributeChange {
            path: path.to_string(),
            before,
            after,
        });
        self
    }

    fn set(self, path: &str, after: Value) -> C {
        self.attr(path, None, Some(after))
    }

    fn elem(mut self, op: ElementOp, key: &str, before: Option<Value>, after: Option<Value>) -> C {
        self.0.elements.push(ElementChange {
            op,
            key: key.to_string(),
            id: Some(format!("uid-{key}")),
            before,
            after,
            note: None,
        });
        self
    }

    fn note(mut self, note: &str) -> C {
        self.0.elements.last_mut().unwrap().note = Some(note.to_string());
        self
    }

    fn mode(mut self, mode: Mode) -> C {
        self.0.mode = Some(mode);
        self
    }

    fn unchanged(mut self, unchanged: usize) -> C {
        self.0.unchanged = unchanged;
        self
    }

    fn renamed_from(mut self, old: &str) -> C {
        self.0.renamed_from = Some(old.to_string());
        self
    }

    fn refused(mut self, reason: RefusalReason, message: &str) -> C {
        self.0.refused = Some(Refusal {
            reason,
            message: message.to_string(),
        });
        self
    }
}

fn plan(changes: Vec<C>, warnings: &[(&str, &str)]) -> Plan {
    Plan {
        org: PlanOrg {
            id: "5b5e7c1a-0000-4000-8000-000000000001".to_string(),
            name: "Switchboard Demo Org".to_string(),
        },
        manifest_hash: "sha256:4f2a".to_string(),
        forced: false,
        changes: changes.into_iter().map(|c| c.0).collect(),
        warnings: warnings
            .iter()
            .map(|(subject, message)| Warning::new(subject.to_string(), message.to_string()))
            .collect(),
        distributions: Vec::new(),
        capacity: switchboard_plan::CapacityReport::Off,
        coverage: Vec::new(),
    }
}

const PLAIN: TextStyle = TextStyle { color: false };
const COLOR: TextStyle = TextStyle { color: true };

fn rings(timeouts: &[u64]) -> Value {
    Value::Array(
        timeouts
            .iter()
            .map(|t| json!({"expansionTimeoutSeconds": t, "skillsToRemove": []}))
            .collect(),
    )
}

/// A plan with every action and collection kind, a refusal of each reason and warnings.
fn demo() -> Plan {
    plan(
        vec![
            change(Skill, "Billing Support", Replace)
                .renamed_from("Billing")
                .elem(Add, "ana.silva@example.com", None, Some(json!(5)))
                .note("moved from skill \"Billing\"")
                .elem(Add, "bo.berg@example.com", None, Some(json!(3)))
                .note("moved from skill \"Billing\""),
            change(Skill, "Refunds", Create),
            change(Skill, "Sales", Update)
                .attr("description", Some(json!("a")), Some(json!("b")))
                .refused(
                    RefusalReason::BlastRadius,
                    "4 of 10 skills (40 %) would be updated, over the 30 % threshold; rerun with --force",
                ),
            change(Language, "Portuguese", Create),
            change(WrapupCode, "Resolved", Update).renamed_from("Closed").attr(
                "name",
                Some(json!("Closed")),
                Some(json!("Resolved")),
            ),
            change(Queue, "Billing EN", Update)
                .attr(
                    "description",
                    Some(json!("Billing questions")),
                    Some(json!("Billing questions in English")),
                )
                .attr(
                    "mediaSettings.call.alertingTimeoutSeconds",
                    Some(json!(10)),
                    Some(json!(8)),
                )
                .attr("skillEvaluationMethod", None, Some(json!("BEST")))
                .attr(
                    "bullseye.rings",
                    Some(rings(&[10, 20, 30])),
                    Some(rings(&[10, 25, 30, 40])),
                )
                .unchanged(3),
            change(Queue, "Refunds EN", Create)
                .set("description", json!("Refund requests"))
                .set(
                    "mediaSettings",
                    json!({"call": {"alertingTimeoutSeconds": 8, "serviceLevel": {"percentage": 0.8, "durationMs": 20000}}}),
                )
                .set("bullseye.rings", rings(&[15])),
            change(QueueWrapupCodes, "Billing EN", Update)
                .mode(Mode::Authoritative)
                .elem(Add, "Resolved", None, None)
                .elem(Remove, "Escalated", None, None)
                .unchanged(4),
            change(QueueMembers, "Billing EN", Update)
                .mode(Mode::Additive)
                .elem(Add, "ana.silva@example.com", None, Some(json!(1)))
                .elem(ElementOp::Update, "bo.berg@example.com", Some(json!(2)), Some(json!(3)))
                .unchanged(4),
            change(QueueMembers, "Refunds EN", Create)
                .mode(Mode::Authoritative)
                .elem(Add, "cy.chen@example.com", None, Some(json!(1))),
            change(QueueMembers, "Support", Update)
                .mode(Mode::Authoritative)
                .elem(Remove, "cy.chen@example.com", Some(json!(2)), None)
                .unchanged(1),
            change(AgentSkills, "ana.silva@example.com", Update)
                .mode(Mode::Authoritative)
                .elem(Add, "Refunds", None, Some(json!(4)))
                .elem(ElementOp::Update, "Billing Support", Some(json!(3)), Some(json!(5)))
                .elem(Remove, "Sales", Some(json!(1)), None)
                .unchanged(2),
            change(AgentLanguages, "bo.berg@example.com", Update)
                .mode(Mode::Additive)
                .elem(Add, "Portuguese", None, Some(json!(2))),
            change(Queue, "Legacy", Delete).refused(
                RefusalReason::Protected,
                "protected by `protect: queue:Legacy`; remove it from protect to delete it",
            ),
            change(Queue, "Old Queue", Delete),
            change(Skill, "Retired", Delete),
        ],
        &[
            (
                "members of queue \"Billing EN\"",
                "user x@example.com is inactive; skipped",
            ),
            ("skills of agent dee@example.com", "skill \"Gone\" does not exist; skipped"),
        ],
    )
}

// ---------------------------------------------------------------------------------------------
// Text

#[test]
fn empty_plan_says_no_changes() {
    let empty = plan(vec![], &[]);
    assert_eq!(
        text(&empty, &PLAIN),
        "No changes. The org matches the manifest.\n"
    );
    insta::assert_snapshot!("empty_markdown", markdown(&empty, MARKDOWN_LIMIT));
}

#[test]
fn empty_plan_still_shows_warnings() {
    let empty = plan(
        vec![],
        &[(
            "members of queue \"Q\"",
            "user z@example.com is inactive; skipped",
        )],
    );
    let out = text(&empty, &PLAIN);
    insta::assert_snapshot!("empty_with_warnings_text", out);
    assert_eq!(
        out.lines().last(),
        Some("No changes. The org matches the manifest.")
    );
    insta::assert_snapshot!(
        "empty_with_warnings_markdown",
        markdown(&empty, MARKDOWN_LIMIT)
    );
}

#[test]
fn demo_plan_as_text() {
    let demo = demo();
    let out = text(&demo, &PLAIN);
    insta::assert_snapshot!("demo_text", out);
    // A replace is one add and one destroy; refused changes are not counted.
    assert_eq!(
        out.lines().last(),
        Some("Plan: 5 to add, 7 to change, 3 to destroy.")
    );
    assert!(!out.contains('\x1b'));
}

#[test]
fn demo_plan_as_markdown() {
    let out = markdown(&demo(), MARKDOWN_LIMIT);
    insta::assert_snapshot!("demo_markdown", out);
    assert!(out.starts_with("> [!WARNING]\n"));
}

#[test]
fn colour_only_when_asked() {
    // A name that tries to drive the terminal itself.
    let mut demo = demo();
    demo.changes.push(
        change(Queue, "Evil\x1b[2J\rQueue", Create)
            .set("description", json!("line one\n\x1b]0;title\x07"))
            .0,
    );
    demo.warnings.push(Warning::new(
        "agent \x1b[31m".to_string(),
        "bad\x1b[0m".to_string(),
    ));
    let plain = text(&demo, &PLAIN);
    assert!(!plain.contains('\x1b'), "{plain}");
    assert!(!plain.contains('\r'));
    assert!(!plain.contains('\x07'));
    assert!(plain.contains(r#"queue "Evil\u{1b}[2J\rQueue""#), "{plain}");
    // Bidirectional overrides cannot reorder what is shown either.
    let bidi = plan(
        vec![change(Skill, "abc", Create).elem(Add, "x\u{202e}gpj.exe", None, Some(json!(1)))],
        &[],
    );
    assert!(text(&bidi, &PLAIN).contains(r"x\u{202e}gpj.exe"));
    assert_eq!(text(&demo, &TextStyle::default()), plain);

    let coloured = text(&demo, &COLOR);
    insta::assert_snapshot!("demo_text_colour", coloured);
    assert!(coloured.contains("\x1b[32m+\x1b[0m skill \"Refunds\""));
    assert!(coloured.contains("\x1b[33m~\x1b[0m queue \"Billing EN\""));
    assert!(coloured.contains("\x1b[31m-\x1b[0m queue \"Old Queue\""));
    assert!(coloured.contains("\x1b[31m-\x1b[0m/\x1b[32m+\x1b[0m skill \"Billing Support\""));
    // The colours are all that differs.
    let stripped = strip_ansi(&coloured);
    assert_eq!(stripped, plain);
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn element_lines_read_as_specified() {
    let out = text(&demo(), &PLAIN);
    for line in [
        "      + member ana.silva@example.com (ring 1)",
        "      ~ member bo.berg@example.com ring 2 → 3",
        "      - member cy.chen@example.com",
        "      + skill Refunds (proficiency 4)",
        "      ~ skill Billing Support proficiency 3 → 5",
        "      - skill Sales",
        "      + language Portuguese (proficiency 2)",
        "      + wrap-up code Resolved",
        "      - wrap-up code Escalated",
        "      + agent ana.silva@example.com (proficiency 5) — moved from skill \"Billing\"",
        "      ~ mediaSettings.call.alertingTimeoutSeconds = 10 → 8",
        "      ~ skillEvaluationMethod = (unset) → \"BEST\"",
        "      ~ name = \"Closed\" → \"Resolved\"",
        "        (3 unchanged attributes hidden)",
        "        (4 unchanged members hidden)",
        "  - queue \"Old Queue\" (id id-old-queue)",
        "-/+ skill \"Billing Support\" (replaces skill \"Billing\", id id-billing-support)",
    ] {
        assert!(out.lines().any(|l| l == line), "missing {line:?} in\n{out}");
    }
}

#[test]
fn everything_refused_makes_no_changes() {
    let refused = plan(
        vec![
            change(Queue, "Legacy", Delete).refused(
                RefusalReason::Protected,
                "protected by `protect: queue:Legacy`",
            ),
            change(Skill, "Sales", Update)
                .attr("description", Some(json!("a")), Some(json!("b")))
                .refused(RefusalReason::BlastRadius, "too many skills would change"),
        ],
        &[],
    );
    let out = text(&refused, &PLAIN);
    insta::assert_snapshot!("all_refused_text", out);
    assert_eq!(
        out.lines().last(),
        Some("Plan: 0 to add, 0 to change, 0 to destroy.")
    );
    let md = markdown(&refused, MARKDOWN_LIMIT);
    insta::assert_snapshot!("all_refused_markdown", md);
    // Nothing runnable is deleted: no deletion callout.
    assert!(!md.contains("[!WARNING]"));
}

#[test]
fn forced_plans_say_so() {
    let mut forced = plan(vec![change(Skill, "Refunds", Create)], &[]);
    forced.forced = true;
    let out = text(&forced, &PLAIN);
    assert!(out.contains("--force"), "{out}");
    assert!(markdown(&forced, MARKDOWN_LIMIT).contains("--force"));
}

#[test]
fn long_strings_are_line_diffs() {
    let long = "Customers who ask about a refund for an order placed in the last thirty days.";
    let p = plan(
        vec![
            change(Queue, "Refunds EN", Update)
                .attr(
                    "description",
                    Some(json!("line one\nline two\nline three\nline four\nline five\nline six\nline seven\nline eight\nline nine")),
                    Some(json!("line one\nline two\nline three\nline four\nline 5\nline six\nline seven\nline eight\nline nine")),
                )
                .attr("notes", Some(json!(long)), None)
                .attr(
                    "script",
                    Some(json!((1..=20).map(|i| format!("step {i}\n")).collect::<String>())),
                    Some(json!((1..=20).map(|i| if i == 10 { "step ten\n".to_string() } else { format!("step {i}\n") }).collect::<String>())),
                )
                .attr("limits", Some(json!([1, 2])), Some(json!("a string that is long enough to be shown as a line diff, not inline")))
                .attr("greeting", Some(json!("same\n")), Some(json!("same"))),
            change(Queue, "Gone", Delete).attr("description", Some(json!(long)), None),
        ],
        &[],
    );
    insta::assert_snapshot!("long_strings_text", text(&p, &PLAIN));
}

// ---------------------------------------------------------------------------------------------
// Markdown

#[test]
fn markdown_escapes_hostile_names() {
    let hostile = "Q <script>`|*_ [x](http://e) @org/team #1 $x$ ```";
    let p = plan(
        vec![
            change(Queue, hostile, Create).set("description", json!("```\n````\nend")),
            change(QueueMembers, hostile, Update)
                .mode(Mode::Authoritative)
                .elem(Remove, "</code><b>x</b>@example.com", Some(json!(1)), None),
            change(Skill, hostile, Delete),
            change(Queue, "Other", Delete)
                .refused(RefusalReason::Protected, "<img src=x onerror=alert(1)>"),
        ],
        &[(hostile, "`|*_<b>")],
    );
    let md = markdown(&p, MARKDOWN_LIMIT);
    insta::assert_snapshot!("hostile_markdown", md);
    // Outside the diff fences, no user data is raw.
    let outside: String = outside_fences(&md);
    for raw in [
        "<script>", "<b>", "<img", "`|", "*_", "[x]", "@org", " #1", "$x$",
    ] {
        assert!(!outside.contains(raw), "{raw:?} is raw in\n{outside}");
    }
    assert!(md.contains("Q &lt;script&gt;&#96;&#124;&#42;&#95;"));
    // Each diff fence is longer than the longest backtick run inside: the name has three,
    // the description four.
    let fences: Vec<&str> = md.lines().filter(|l| l.ends_with("diff")).collect();
    assert_eq!(fences, ["`````diff", "````diff", "````diff"]);
}

/// The Markdown with the contents of fenced blocks left out.
fn outside_fences(md: &str) -> String {
    let mut out = String::new();
    let mut fence: Option<String> = None;
    for line in md.lines() {
        match &fence {
            Some(open) if line == open => fence = None,
            Some(_) => {}
            None if line.starts_with("```") => {
                fence = Some(line.chars().take_while(|c| *c == '`').collect());
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    assert!(fence.is_none(), "an unclosed fence in\n{md}");
    out
}

/// A plan the size of a large org: `n` changes, a tenth of them deletions, with long
/// attributes and collections that remove elements.
fn big(n: usize) -> (Plan, Vec<String>, Vec<String>) {
    let mut changes = Vec::new();
    let mut destroyed = Vec::new();
    let mut removed = Vec::new();
    for i in 0..n {
        let name = format!("Queue {i:04} {}", "x".repeat(i % 17));
        let c = match i % 10 {
            0 => {
                destroyed.push(format!("queue \"{name}\""));
                change(Queue, &name, Delete)
            }
            1 | 2 => change(Queue, &name, Create)
                .set(
                    "description",
                    json!(format!("{name} {}", "words ".repeat(20))),
                )
                .set("bullseye.rings", rings(&[10, 20, 30, 40, 50, 60])),
            3 if i % 50 == 3 => {
                let key = format!("agent{i}@example.com");
                removed.push(key.clone());
                change(QueueMembers, &name, Update)
                    .mode(Mode::Authoritative)
                    .elem(Add, &format!("new{i}@example.com"), None, Some(json!(1)))
                    .elem(Remove, &key, Some(json!(2)), None)
            }
            _ => change(Queue, &name, Update)
                .attr(
                    "description",
                    Some(json!("old")),
                    Some(json!("new ".repeat(30))),
                )
                .attr(
                    "bullseye.rings",
                    Some(rings(&[10, 20])),
                    Some(rings(&[10, 20, 30])),
                )
                .unchanged(5),
        };
        changes.push(c);
    }
    (plan(changes, &[]), destroyed, removed)
}

#[test]
fn big_plans_fit_and_list_every_deletion() {
    let (p, destroyed, removed) = big(2_000);
    assert_eq!(destroyed.len(), 200);
    let md = markdown(&p, MARKDOWN_LIMIT);
    let chars = md.chars().count();
    assert!(chars <= MARKDOWN_LIMIT, "{chars} chars");
    // Not needlessly short either.
    assert!(chars > MARKDOWN_LIMIT - 4_000, "{chars} chars");
    for name in &destroyed {
        let shown = format!("<code>{}</code>", name);
        assert!(md.contains(&shown), "{name} missing");
    }
    for key in &removed {
        assert!(md.contains(&key.replace('@', "&#64;")), "{key} missing");
    }
    assert!(md.contains("> [!NOTE]\n"));
    assert!(md.contains("diffs are left out"));
    assert_eq!(md, markdown(&p, MARKDOWN_LIMIT));
    outside_fences(&md);
}

#[test]
fn shrinking_limits_cut_lists_but_never_deletions() {
    let (mut p, destroyed, _) = big(400);
    // Long lists of warnings and refusals too, so that every cut is needed somewhere.
    for i in 0..150 {
        p.warnings.push(Warning::new(
            format!("members of queue \"W{i}\""),
            format!("user w{i}@example.com is inactive; skipped"),
        ));
        p.changes.push(
            change(Queue, &format!("Refused {i}"), Delete)
                .refused(
                    RefusalReason::BlastRadius,
                    "too many queues would be deleted",
                )
                .0,
        );
    }
    // About the least there is to show: the title, the counts and every deletion.
    let least = markdown(&p, 0).chars().count();
    let all = markdown(&p, usize::MAX);
    let most = all.chars().count();
    assert!(!all.contains("[!NOTE]"));
    // A block per change, inside a section per kind.
    assert_eq!(all.matches("<details><summary><code>").count(), 400);
    let mut last = 0;
    let mut limits: Vec<usize> = (least..most).step_by(9_973).collect();
    limits.extend([least + 1, least + 100, most - 1, most, most + 1]);
    limits.sort_unstable();
    for limit in limits {
        let md = markdown(&p, limit);
        let chars = md.chars().count();
        assert!(chars <= limit, "limit {limit}: {chars} chars");
        for name in &destroyed {
            assert!(
                md.contains(&format!("<code>{name}</code>")),
                "limit {limit}: {name}"
            );
        }
        outside_fences(&md);
        // More room never shows less.
        if limit <= most {
            assert!(chars >= last, "limit {limit}: {chars} < {last}");
            last = chars;
        }
    }
    // With no room at all, every deletion is still there, and the note says why it is long.
    let md = markdown(&p, 0);
    assert!(md.contains("because every deletion is listed"), "{md}");
    for name in &destroyed {
        assert!(md.contains(&format!("<code>{name}</code>")), "{name}");
    }
}

#[test]
fn removed_elements_are_counted_when_names_do_not_fit() {
    let keys: Vec<String> = (0..300)
        .map(|i| format!("agent{i:03}@example.com"))
        .collect();
    let mut members = change(QueueMembers, "Billing EN", Update).mode(Mode::Authoritative);
    for key in &keys {
        members = members.elem(Remove, key, Some(json!(1)), None);
    }
    let p = plan(
        vec![
            members,
            change(Queue, "Old Queue", Delete),
            change(AgentSkills, "ana@example.com", Update)
                .mode(Mode::Authoritative)
                .elem(Remove, "Sales", Some(json!(1)), None),
        ],
        &[],
    );
    let full = markdown(&p, MARKDOWN_LIMIT);
    assert!(keys.iter().all(|k| full.contains(&k.replace('@', "&#64;"))));
    let md = markdown(&p, 3_000);
    assert!(md.chars().count() <= 3_000, "{md}");
    insta::assert_snapshot!("removals_counted_markdown", md);
    assert!(md.contains("300 members"));
    // The small collection still names its element, the destroyed queue is there.
    assert!(md.contains("<code>Sales</code>"));
    assert!(md.contains("<code>queue \"Old Queue\"</code>"));
}

#[test]
fn deletions_are_kept_even_over_the_limit() {
    let p = plan(
        (0..100)
            .map(|i| change(Skill, &format!("Skill {i:03}"), Delete))
            .collect(),
        &[],
    );
    let md = markdown(&p, 1_000);
    // Over the limit, but every deletion is there: the one case the limit gives way.
    assert!(md.chars().count() > 1_000);
    for i in 0..100 {
        assert!(md.contains(&format!("<code>skill \"Skill {i:03}\"</code>")));
    }
}

#[test]
fn rendering_is_deterministic() {
    let demo = demo();
    assert_eq!(text(&demo, &PLAIN), text(&demo, &PLAIN));
    assert_eq!(text(&demo, &COLOR), text(&demo, &COLOR));
    assert_eq!(
        markdown(&demo, MARKDOWN_LIMIT),
        markdown(&demo, MARKDOWN_LIMIT)
    );
    // Object keys are sorted whatever order the map holds them in.
    let a: Value = serde_json::from_str(r#"{"b": 1, "a": {"d": 2, "c": 3}}"#).unwrap();
    let b: Value = serde_json::from_str(r#"{"a": {"c": 3, "d": 2}, "b": 1}"#).unwrap();
    let render = |v: Value| {
        text(
            &plan(vec![change(Queue, "Q", Create).set("x", v)], &[]),
            &PLAIN,
        )
    };
    assert_eq!(render(a), render(b));
}

// ---------------------------------------------------------------------------------------------
// Routing findings: weights, coverage, capacity

/// A plan that removes a member from a weighted queue, with its distribution, a capacity
/// projection that pushes the queue over the limit, and a coverage shortfall.
fn routing() -> Plan {
    use switchboard_plan::{
        CapacityReport, CoverageFinding, QueueDistribution, QueueSaturation, Saturation,
        WeightedMember,
    };
    let members = change(QueueMembers, "Billing EN", Update)
        .mode(Mode::Authoritative)
        .elem(Remove, "cy@acme.com", Some(json!(2)), None)
        .refused(
            RefusalReason::Capacity,
            "queue \"Billing EN\" (call) would go from 75.0 % to 100.0 % saturation, above the limit of 95.0 %",
        );
    let mut plan = plan(vec![members], &[]);
    let member =
        |user: &str, weight: f64, normalised: f64, ring: u8, requested: f64, realised: f64| {
            WeightedMember {
                user: user.into(),
                weight,
                normalized_weight: Some(normalised),
                ring,
                requested_share: requested,
                realised_share: realised,
            }
        };
    plan.distributions = vec![QueueDistribution {
        queue: "Billing EN".into(),
        rings: 3,
        normalized: true,
        members: vec![
            member("ana@acme.com", 1.0, 0.5, 1, 0.5, 0.428_571),
            member("bo@acme.com", 0.6, 0.3, 2, 0.3, 0.285_714),
            member("cy@acme.com", 0.4, 0.2, 2, 0.2, 0.285_714),
        ],
        balance_accuracy: 0.914_286,
        overflow: None,
    }];
    plan.capacity = CapacityReport::On {
        max_saturation: 0.95,
        forecast: "forecast.csv".into(),
        queues: vec![QueueSaturation {
            queue: "Billing EN".into(),
            media_type: "call".into(),
            load: 3.0,
            utilization_target: 1.0,
            before: Some(Saturation {
                agents: 4,
                capacity: 4,
                saturation: Some(0.75),
            }),
            after: Saturation {
                agents: 3,
                capacity: 3,
                saturation: Some(1.0),
            },
            over: true,
        }],
        notes: vec!["forecast row for queue \"Old\" (chat): no such queue in the manifest".into()],
    };
    plan.coverage = vec![CoverageFinding {
        queue: "Billing EN".into(),
        skill: "Billing".into(),
        min_proficiency: 3.0,
        min_agents: 2,
        before: 2,
        after: 1,
        missing: vec!["cy@acme.com".into()],
        refused: false,
    }];
    plan
}

#[test]
fn routing_findings_show_weights_rings_accuracy_saturation_and_coverage() {
    let plan = routing();
    let text = text(&plan, &PLAIN);
    for expected in [
        "queue \"Billing EN\" (3 rings, normalised): balance accuracy 91.4 %",
        "ana@acme.com: weight 1 (normalised 0.5) → ring 1; share 50.0 % requested, 42.9 % realised",
        "Capacity guard (forecast forecast.csv, limit 95.0 %):",
        "queue \"Billing EN\" call: peak 3 concurrent, 4 → 3 agents, saturation 75.0 % → 100.0 %, over the limit",
        "note: forecast row for queue \"Old\" (chat): no such queue in the manifest",
        "skill \"Billing\" at proficiency ≥ 3 is held by 2 → 1 active, joined members (at least 2 needed); missing cy@acme.com",
        "(refused: capacity guard)",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert!(!text.contains("Capacity guard: off"));
    insta::assert_snapshot!("routing_text", text);
    let md = markdown(&plan, MARKDOWN_LIMIT);
    for expected in [
        "| Billing EN | 3 | ana&#64;acme.com: weight 1 (normalised 0.5) → ring 1",
        "| 91.4 % |",
        "| Billing EN | call | 3 | 4 → 3 | 75.0 % | 100.0 % | **over the limit** |",
        "**Skill coverage**",
    ] {
        assert!(md.contains(expected), "missing {expected:?} in:\n{md}");
    }
    insta::assert_snapshot!("routing_markdown", md);
}

#[test]
fn without_a_forecast_the_plan_says_the_guard_is_off_in_one_line() {
    // Only a plan that changes who is in a queue says so: the guard had something to judge.
    let skill_only = plan(
        vec![change(Skill, "Billing", Create).set("name", json!("Billing"))],
        &[],
    );
    assert!(!text(&skill_only, &PLAIN).contains("Capacity guard"));
    assert!(!markdown(&skill_only, MARKDOWN_LIMIT).contains("Capacity guard"));
    let plan = plan(
        vec![change(QueueMembers, "Billing EN", Update).elem(
            ElementOp::Remove,
            "ana@acme.com",
            Some(json!(1)),
            None,
        )],
        &[],
    );
    let text = text(&plan, &PLAIN);
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("Capacity guard"))
        .collect();
    assert_eq!(lines, ["Capacity guard: off (no --forecast given)."]);
    let md = markdown(&plan, MARKDOWN_LIMIT);
    assert_eq!(
        md.matches("Capacity guard: off (no --forecast given).")
            .count(),
        1
    );
}

#[test]
fn routing_settings_read_field_by_field_under_their_part() {
    let settings = change(RoutingSettings, "org", Update)
        .attr(
            "transcription.transcriptionConfidenceThreshold",
            Some(json!(50)),
            Some(json!(60)),
        )
        .attr(
            "contactCenter.removeSkillsFromBlindTransfer",
            None,
            Some(json!(true)),
        )
        .unchanged(2);
    let out = text(&plan(vec![settings], &[]), &PLAIN);
    for line in [
        "  # the org's routing settings will be updated in-place",
        "  ~ the org's routing settings",
        "      ~ transcription.transcriptionConfidenceThreshold = 50 → 60",
        "      ~ contactCenter.removeSkillsFromBlindTransfer = (unset) → true",
        "        (2 unchanged attributes hidden)",
    ] {
        assert!(out.lines().any(|l| l == line), "missing {line:?} in\n{out}");
    }
}
