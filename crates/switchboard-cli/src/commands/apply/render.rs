//! What `switchboard apply` prints of a run, as text or Markdown: a heading before the steps,
//! a line per step as it ends, the counts, the verification, the audit log, and what safety
//! policy held back. Pure functions of the plan and the steps' results, so that they are
//! tested without an org. The plan itself is rendered by the plan's renderers.
//!
//! Markdown is for a pull-request comment or a CI job summary: each function answers one
//! block (the steps' heading is followed by the steps' list items), blocks to be separated by
//! a blank line; names are user data, shown in `<code>` and escaped as the plan's Markdown
//! escapes them.

use std::fmt::Write as _;
use std::path::Path;

use switchboard_apply::{Report, Status, StepResult};
use switchboard_plan::render::{MARKDOWN_LIMIT, code, escape};
use switchboard_plan::{Action, Address, Plan, Step, Summary};

use crate::cli::ApplyFormat;

/// What comes before the first step's line. Text: a blank line after the plan, when apply
/// showed one. Markdown: a heading naming the org (with a blank line after it).
pub(super) fn steps_heading(plan: &Plan, after_plan: bool, format: ApplyFormat) -> String {
    match format {
        ApplyFormat::Text if after_plan => "\n".to_string(),
        ApplyFormat::Text => String::new(),
        ApplyFormat::Markdown => format!(
            "### switchboard apply to org {} (id {})\n\n",
            code(&plan.org.name),
            code(&plan.org.id)
        ),
    }
}

/// One step as it ended. Text: `  + skill "Fraud" (create): created`, `  = … adopted`,
/// `  ! … failed: why`, `  - … skipped: why`. Markdown: the same as a list item, the sign in a
/// code span, the name in `<code>`. `replaced` is the old name when the step is one of a
/// skill replace's: its delete step deletes that skill, not the new one.
pub(super) fn step_line(step: &StepResult, replaced: Option<&str>, format: ApplyFormat) -> String {
    line(&step.address, step.step, &step.status, replaced, format)
}

/// [`step_line`] of the step `step` of the change to `address`, ended as `status` says.
fn line(
    address: &Address,
    step: Step,
    status: &Status,
    replaced: Option<&str>,
    format: ApplyFormat,
) -> String {
    let name = |object: &str| match format {
        ApplyFormat::Text => object.to_string(),
        ApplyFormat::Markdown => code(object),
    };
    let text = |message: &str| match format {
        ApplyFormat::Text => message.to_string(),
        ApplyFormat::Markdown => escape(message),
    };
    let strong = |word: &str| match format {
        ApplyFormat::Text => word.to_string(),
        ApplyFormat::Markdown => format!("**{word}**"),
    };
    let new = address.kind.describe(&address.name);
    let object = match (step, replaced) {
        (Step::Delete, Some(old)) => address.kind.describe(old),
        _ => new.clone(),
    };
    let step_name = step.name();
    let (sign, end) = match status {
        Status::Applied => {
            let (sign, done) = match step {
                Step::Create => ("+", "created"),
                Step::Update => ("~", "updated"),
                Step::MoveAssignments => ("~", "assignments moved"),
                Step::Delete => ("-", "deleted"),
            };
            let by = match (step, replaced) {
                (Step::Delete, Some(_)) => format!(", replaced by {}", name(&new)),
                (Step::MoveAssignments, Some(old)) => {
                    format!(" from {}", name(&address.kind.describe(old)))
                }
                _ => String::new(),
            };
            (sign, format!(": {done}{by}"))
        }
        Status::Adopted => (
            "=",
            ": it already existed under its name, and was adopted".to_string(),
        ),
        Status::Failed(why) => ("!", format!(" {}: {}", strong("failed"), text(why))),
        Status::Skipped(why) => ("-", format!(" {}: {}", strong("skipped"), text(why))),
    };
    match format {
        ApplyFormat::Text => format!("  {sign} {object} ({step_name}){end}\n"),
        ApplyFormat::Markdown => format!("- `{sign}` {} ({step_name}){end}\n", code(&object)),
    }
}

/// Room the Markdown of an apply leaves for the plan it shows first, so that the whole
/// fits in a pull-request comment ([`MARKDOWN_LIMIT`] characters): the limit, less the
/// heading and a line per step of `plan` as if each applied, less [`TAIL_ROOM`]. The plan's
/// renderer fits the plan in that (dropping diffs first, and saying so); the steps are never
/// cut, so a run with more failures than the tail has room for, or a plan whose step lines
/// alone are over the limit, is longer.
pub(super) fn plan_room(plan: &Plan) -> usize {
    let format = ApplyFormat::Markdown;
    let steps: usize = plan
        .waves()
        .into_iter()
        .flat_map(|(_, steps)| steps)
        .map(|(change, step)| {
            let replaced = match change.action {
                Action::Replace => change.renamed_from.as_deref(),
                _ => None,
            };
            line(&change.address, step, &Status::Applied, replaced, format)
                .chars()
                .count()
        })
        .sum();
    let heading = steps_heading(plan, true, format).chars().count();
    MARKDOWN_LIMIT.saturating_sub(heading + steps + TAIL_ROOM)
}

/// Room kept after the steps for the counts, the verification, the audit log, what safety
/// policy held back, the blank lines between them, and failures' reasons (longer than
/// `created`): a few thousand characters.
const TAIL_ROOM: usize = 4_096;

/// What the run did, counted as the plan counts its changes: a create, update or delete
/// whose step applied (or adopted what was there); a skill replace as one added once its new
/// skill is created and one destroyed once the old one is deleted (moving the holders is
/// neither).
fn done(report: &Report) -> Summary {
    let mut done = Summary::default();
    for step in &report.steps {
        if !matches!(step.status, Status::Applied | Status::Adopted) {
            continue;
        }
        match step.step {
            Step::Create => done.add += 1,
            Step::Update => done.change += 1,
            Step::Delete => done.destroy += 1,
            Step::MoveAssignments => {}
        }
    }
    done
}

/// The counts of the steps, and of the plan's changes done, as the plan counted them.
/// Markdown: the steps' counts in bold, then each sentence a paragraph.
pub(super) fn summary(plan: &Plan, report: &Report, format: ApplyFormat) -> String {
    let (mut applied, mut adopted, mut failed, mut skipped) = (0, 0, 0, 0);
    for step in &report.steps {
        match &step.status {
            Status::Applied => applied += 1,
            Status::Adopted => adopted += 1,
            Status::Failed(_) => failed += 1,
            Status::Skipped(_) => skipped += 1,
        }
    }
    let steps =
        format!("Apply: {applied} applied, {adopted} adopted, {failed} failed, {skipped} skipped.");
    let (planned, done) = (plan.summary(), done(report));
    let done = format!(
        "Done: {} added, {} changed, {} destroyed (the plan: {} to add, {} to change, {} to destroy).",
        done.add, done.change, done.destroy, planned.add, planned.change, planned.destroy
    );
    let again =
        (failed + skipped > 0).then_some("Running apply again converges: it plans what is left.");
    let mut out = String::new();
    match format {
        ApplyFormat::Text => {
            for line in [Some(steps.as_str()), Some(done.as_str()), again]
                .into_iter()
                .flatten()
            {
                let _ = writeln!(out, "{line}");
            }
        }
        ApplyFormat::Markdown => {
            let _ = writeln!(out, "**{steps}**\n\n{done}");
            if let Some(again) = again {
                let _ = writeln!(out, "\n{again}");
            }
        }
    }
    out
}

/// Whether the run is verified: every step applied (`not_applied` is 0) and a new plan
/// changes nothing the plan touched (`not_converged` lists what it still changes). A failed
/// step is never verified, even when the re-plan cannot see what it left undone. Markdown:
/// verified in bold, anything else in a caution callout.
pub(super) fn verification(
    not_applied: usize,
    not_converged: &[String],
    format: ApplyFormat,
) -> String {
    // The title as the text writes it, and as a Markdown callout starts with it.
    let ((title, heading), sentence, list) = match (not_applied, not_converged.is_empty()) {
        (0, true) => (
            ("Verified", "Verified"),
            "a new plan shows no changes.".to_string(),
            &[][..],
        ),
        (0, false) => (
            ("did not converge", "Did not converge"),
            "a new plan still shows changes:".to_string(),
            not_converged,
        ),
        (n, true) => (
            ("Not verified", "Not verified"),
            format!(
                "{n} step(s) did not apply (listed above), although a new plan of what was applied shows no changes."
            ),
            &[][..],
        ),
        (n, false) => (
            ("Not verified", "Not verified"),
            format!(
                "{n} step(s) did not apply (listed above), and a new plan still shows changes:"
            ),
            not_converged,
        ),
    };
    let mut out = String::new();
    match format {
        ApplyFormat::Text => {
            let _ = writeln!(out, "{title}: {sentence}");
            for change in list {
                let _ = writeln!(out, "  - {change}");
            }
        }
        ApplyFormat::Markdown if not_applied == 0 && list.is_empty() => {
            let _ = writeln!(out, "**{title}:** {sentence}");
        }
        ApplyFormat::Markdown => {
            let _ = writeln!(out, "> [!CAUTION]\n> **{heading}:** {sentence}");
            if !list.is_empty() {
                out.push_str(">\n");
            }
            for change in list {
                let _ = writeln!(out, "> - {}", escape(change));
            }
        }
    }
    out
}

/// Where the run's audit records are, and its run id.
pub(super) fn audit_line(path: &Path, run_id: &str, format: ApplyFormat) -> String {
    let path = path.display().to_string();
    match format {
        ApplyFormat::Text => format!("Audit log: {path} (run {run_id})\n"),
        ApplyFormat::Markdown => format!("Audit log: {} (run {})\n", code(&path), code(run_id)),
    }
}

/// The objects (`queue "Billing EN"`) whose changes safety policy refused, and what to do.
/// Markdown: in a warning callout.
pub(super) fn held_back(objects: &[String], format: ApplyFormat) -> String {
    let mut out = String::new();
    match format {
        ApplyFormat::Text => {
            out.push_str("Not applied, refused by safety policy (see the plan for why):\n");
            for object in objects {
                let _ = writeln!(out, "  - {object}");
            }
            out.push_str(
                "hint: change the manifest, or re-plan with --force where the refusal allows it\n",
            );
        }
        ApplyFormat::Markdown => {
            out.push_str("> [!WARNING]\n> **Not applied**, refused by safety policy (see the plan for why):\n>\n");
            for object in objects {
                let _ = writeln!(out, "> - {}", code(object));
            }
            out.push_str(">\n> hint: change the manifest, or re-plan with `--force` where the refusal allows it\n");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use switchboard_apply::{Report, Status, StepResult};
    use switchboard_plan::render::{MARKDOWN_LIMIT, markdown};
    use switchboard_plan::{Action, Address, Change, Plan, PlanOrg, ResourceKind, Step};

    use super::{
        audit_line, held_back, plan_room, step_line, steps_heading, summary, verification,
    };
    use crate::cli::ApplyFormat;

    fn change(kind: ResourceKind, name: &str, action: Action) -> Change {
        Change::new(Address::new(kind, name), action)
    }

    fn plan(changes: Vec<Change>) -> Plan {
        Plan {
            org: PlanOrg {
                id: "org-1".into(),
                name: "Acme".into(),
            },
            manifest_hash: "sha256:0".into(),
            forced: false,
            changes,
            warnings: Vec::new(),
            distributions: Vec::new(),
            capacity: Default::default(),
            coverage: Vec::new(),
        }
    }

    /// Each of `plan`'s steps in execution order, ended as `status` says (applied when it
    /// names no other way).
    fn report(plan: &Plan, status: impl Fn(&Address, Step) -> Status) -> Report {
        let steps = plan
            .waves()
            .into_iter()
            .flat_map(|(_, steps)| steps)
            .map(|(change, step)| StepResult {
                object: change.address.kind.describe(&change.address.name),
                address: change.address.clone(),
                action: change.action,
                step,
                status: status(&change.address, step),
                requested: serde_json::Value::Null,
                http_status: None,
                correlation_id: None,
                partial: None,
                attempts: 1,
                started_at: chrono::DateTime::UNIX_EPOCH,
                latency_ms: 1,
            })
            .collect();
        Report { steps }
    }

    fn replace(new: &str, old: &str) -> Change {
        let mut replace = change(ResourceKind::Skill, new, Action::Replace);
        replace.renamed_from = Some(old.into());
        replace.id = Some("skill-old".into());
        replace
    }

    /// [`mixed`] run: "Refunds EN" adopted, the queue "Sales EN" failed and the steps that
    /// need it skipped, the rest applied.
    fn mixed_run(plan: &Plan) -> Report {
        report(plan, |address, _| match address.name.as_str() {
            "Refunds EN" => Status::Adopted,
            "Sales EN" if address.kind == ResourceKind::Queue => {
                Status::Failed("POST /api/v2/routing/queues: 400 bad request".into())
            }
            "Sales EN" => Status::Skipped("needs queue \"Sales EN\"".into()),
            _ => Status::Applied,
        })
    }

    /// Creates (one adopted), updates, a delete, a skill replace, a failed create and the
    /// step it leaves skipped.
    fn mixed() -> Plan {
        plan(vec![
            change(ResourceKind::Skill, "Refunds", Action::Create),
            replace("Fraud v2", "Fraud"),
            change(ResourceKind::Queue, "Refunds EN", Action::Create),
            change(ResourceKind::Queue, "Sales EN", Action::Create),
            change(ResourceKind::QueueMembers, "Billing EN", Action::Update),
            change(ResourceKind::QueueMembers, "Sales EN", Action::Create),
            change(ResourceKind::AgentSkills, "ana@example.com", Action::Update),
            change(ResourceKind::WrapupCode, "Old", Action::Delete),
        ])
    }

    #[test]
    fn the_summary_counts_steps_and_what_was_done_as_the_plan_counts_it() {
        let plan = mixed();
        let report = mixed_run(&plan);
        assert_eq!(
            summary(&plan, &report, ApplyFormat::Text),
            "Apply: 7 applied, 1 adopted, 1 failed, 1 skipped.\n\
             Done: 3 added, 2 changed, 2 destroyed (the plan: 5 to add, 2 to change, 2 to destroy).\n\
             Running apply again converges: it plans what is left.\n"
        );
    }

    #[test]
    fn a_run_where_every_step_applied_or_adopted_did_what_the_plan_counted() {
        let plan = mixed();
        let report = report(&plan, |address, _| {
            if address.kind == ResourceKind::Queue {
                Status::Adopted
            } else {
                Status::Applied
            }
        });
        assert_eq!(
            summary(&plan, &report, ApplyFormat::Text),
            "Apply: 8 applied, 2 adopted, 0 failed, 0 skipped.\n\
             Done: 5 added, 2 changed, 2 destroyed (the plan: 5 to add, 2 to change, 2 to destroy).\n"
        );
    }

    #[test]
    fn a_replace_whose_holders_were_not_moved_added_its_skill_and_destroyed_nothing() {
        let plan = plan(vec![replace("Fraud v2", "Fraud")]);
        let report = report(&plan, |_, step| match step {
            Step::Create => Status::Applied,
            Step::MoveAssignments => Status::Failed("403 forbidden".into()),
            _ => Status::Skipped("an earlier step of this change did not succeed".into()),
        });
        assert!(
            summary(&plan, &report, ApplyFormat::Text).contains(
                "Done: 1 added, 0 changed, 0 destroyed (the plan: 1 to add, 0 to change, 1 to destroy)."
            ),
            "{}",
            summary(&plan, &report, ApplyFormat::Text)
        );
    }

    #[test]
    fn a_replaces_steps_name_the_skill_each_one_acts_on() {
        let plan = plan(vec![replace("Fraud v2", "Fraud")]);
        let report = report(&plan, |_, _| Status::Applied);
        let lines: String = report
            .steps
            .iter()
            .map(|step| step_line(step, Some("Fraud"), ApplyFormat::Text))
            .collect();
        assert_eq!(
            lines,
            "  + skill \"Fraud v2\" (create): created\n  \
             ~ skill \"Fraud v2\" (move_assignments): assignments moved from skill \"Fraud\"\n  \
             - skill \"Fraud\" (delete): deleted, replaced by skill \"Fraud v2\"\n"
        );
    }

    #[test]
    fn a_step_line_says_how_the_step_ended() {
        let plan = mixed();
        let report = mixed_run(&plan);
        let lines: Vec<String> = report
            .steps
            .iter()
            .map(|s| step_line(s, None, ApplyFormat::Text))
            .collect();
        for expected in [
            "  + skill \"Refunds\" (create): created\n",
            "  = queue \"Refunds EN\" (create): it already existed under its name, and was adopted\n",
            "  ! queue \"Sales EN\" (create) failed: POST /api/v2/routing/queues: 400 bad request\n",
            "  ~ members of queue \"Billing EN\" (update): updated\n",
            "  - members of queue \"Sales EN\" (create) skipped: needs queue \"Sales EN\"\n",
            "  - wrap-up code \"Old\" (delete): deleted\n",
        ] {
            assert!(
                lines.iter().any(|l| l == expected),
                "{expected:?} in {lines:#?}"
            );
        }
    }

    /// A name that would be Markdown, HTML, a mention and a code span if it were not escaped.
    const HOSTILE: &str = "Billing *EN* <b>@team</b> `x` [a](b)";

    /// Asserts that nothing of [`HOSTILE`] is left for Markdown to read as syntax.
    fn inert(markdown: &str) {
        for raw in ["*EN*", "<b>", "@team", "`x`", "[a](b)"] {
            assert!(!markdown.contains(raw), "{raw:?} unescaped in:\n{markdown}");
        }
    }

    #[test]
    fn markdown_step_lines_are_list_items_with_escaped_names() {
        let plan = plan(vec![
            change(ResourceKind::Queue, HOSTILE, Action::Create),
            change(ResourceKind::QueueMembers, HOSTILE, Action::Update),
            change(ResourceKind::AgentSkills, "ana@example.com", Action::Update),
            replace("Fraud v2", "Fraud"),
        ]);
        let report = report(&plan, |address, _| match address.kind {
            ResourceKind::Queue => Status::Failed(format!("400 bad request: {HOSTILE}")),
            ResourceKind::QueueMembers => Status::Skipped(format!("needs queue {HOSTILE:?}")),
            ResourceKind::AgentSkills => Status::Adopted,
            _ => Status::Applied,
        });
        let lines: Vec<String> = report
            .steps
            .iter()
            .map(|step| {
                let replaced = (step.action == Action::Replace).then_some("Fraud");
                step_line(step, replaced, ApplyFormat::Markdown)
            })
            .collect();
        let escaped =
            "Billing &#42;EN&#42; &lt;b&gt;&#64;team&lt;/b&gt; &#96;x&#96; &#91;a&#93;(b)";
        assert_eq!(
            lines,
            [
                "- `+` <code>skill \"Fraud v2\"</code> (create): created\n".to_string(),
                format!(
                    "- `!` <code>queue \"{escaped}\"</code> (create) **failed**: 400 bad request: {escaped}\n"
                ),
                format!(
                    "- `-` <code>members of queue \"{escaped}\"</code> (update) **skipped**: needs queue \"{escaped}\"\n"
                ),
                "- `=` <code>skills of agent ana&#64;example.com</code> (update): it already existed under its name, and was adopted\n".to_string(),
                "- `~` <code>skill \"Fraud v2\"</code> (move_assignments): assignments moved from <code>skill \"Fraud\"</code>\n".to_string(),
                "- `-` <code>skill \"Fraud\"</code> (delete): deleted, replaced by <code>skill \"Fraud v2\"</code>\n".to_string(),
            ]
        );
        inert(&lines.concat());
    }

    #[test]
    fn the_markdown_summary_is_the_texts_counts_in_paragraphs() {
        let plan = mixed();
        let report = report(&plan, |address, _| match address.name.as_str() {
            "Sales EN" if address.kind == ResourceKind::Queue => Status::Failed("500".into()),
            "Sales EN" => Status::Skipped("needs queue \"Sales EN\"".into()),
            _ => Status::Applied,
        });
        assert_eq!(
            summary(&plan, &report, ApplyFormat::Markdown),
            "**Apply: 8 applied, 0 adopted, 1 failed, 1 skipped.**\n\n\
             Done: 3 added, 2 changed, 2 destroyed (the plan: 5 to add, 2 to change, 2 to destroy).\n\n\
             Running apply again converges: it plans what is left.\n"
        );
    }

    #[test]
    fn verification_says_verified_or_why_not_in_each_format() {
        let left = vec![format!("queue {HOSTILE:?} will be updated in-place")];
        assert_eq!(
            verification(0, &[], ApplyFormat::Text),
            "Verified: a new plan shows no changes.\n"
        );
        assert_eq!(
            verification(0, &[], ApplyFormat::Markdown),
            "**Verified:** a new plan shows no changes.\n"
        );
        assert_eq!(
            verification(0, &left, ApplyFormat::Text),
            format!(
                "did not converge: a new plan still shows changes:\n  - {}\n",
                left[0]
            )
        );
        assert_eq!(
            verification(2, &[], ApplyFormat::Text),
            "Not verified: 2 step(s) did not apply (listed above), although a new plan of what was applied shows no changes.\n"
        );
        assert_eq!(
            verification(1, &left, ApplyFormat::Text),
            format!(
                "Not verified: 1 step(s) did not apply (listed above), and a new plan still shows changes:\n  - {}\n",
                left[0]
            )
        );
        let markdown = verification(1, &left, ApplyFormat::Markdown);
        assert!(
            markdown.starts_with(
                "> [!CAUTION]\n> **Not verified:** 1 step(s) did not apply (listed above), and a new plan still shows changes:\n>\n> - queue \"Billing &#42;EN&#42;"
            ),
            "{markdown}"
        );
        assert!(
            markdown.ends_with(" will be updated in-place\n"),
            "{markdown}"
        );
        inert(&markdown);
        assert!(verification(0, &left, ApplyFormat::Markdown).starts_with(
            "> [!CAUTION]\n> **Did not converge:** a new plan still shows changes:\n>\n> - "
        ),);
        assert_eq!(
            verification(2, &[], ApplyFormat::Markdown),
            "> [!CAUTION]\n> **Not verified:** 2 step(s) did not apply (listed above), although a new plan of what was applied shows no changes.\n"
        );
    }

    #[test]
    fn the_heading_audit_line_and_what_was_held_back_in_each_format() {
        let mut plan = plan(Vec::new());
        plan.org.name = HOSTILE.into();
        assert_eq!(steps_heading(&plan, true, ApplyFormat::Text), "\n");
        assert_eq!(steps_heading(&plan, false, ApplyFormat::Text), "");
        let heading = steps_heading(&plan, true, ApplyFormat::Markdown);
        assert!(
            heading.starts_with("### switchboard apply to org <code>Billing &#42;EN")
                && heading.ends_with(" (id <code>org-1</code>)\n\n"),
            "{heading}"
        );
        inert(&heading);

        let path = std::path::Path::new("audit/a_b.jsonl");
        assert_eq!(
            audit_line(path, "run-1", ApplyFormat::Text),
            "Audit log: audit/a_b.jsonl (run run-1)\n"
        );
        assert_eq!(
            audit_line(path, "run-1", ApplyFormat::Markdown),
            "Audit log: <code>audit/a&#95;b.jsonl</code> (run <code>run-1</code>)\n"
        );

        let held = vec![format!("queue {HOSTILE:?}"), "skill \"Fraud\"".to_string()];
        assert_eq!(
            held_back(&held, ApplyFormat::Text),
            format!(
                "Not applied, refused by safety policy (see the plan for why):\n  - {}\n  - skill \"Fraud\"\nhint: change the manifest, or re-plan with --force where the refusal allows it\n",
                held[0]
            )
        );
        let markdown = held_back(&held, ApplyFormat::Markdown);
        assert!(
            markdown.starts_with(
                "> [!WARNING]\n> **Not applied**, refused by safety policy (see the plan for why):\n>\n> - <code>queue \"Billing &#42;EN"
            ) && markdown.ends_with(
                "> - <code>skill \"Fraud\"</code>\n>\n> hint: change the manifest, or re-plan with `--force` where the refusal allows it\n"
            ),
            "{markdown}"
        );
        inert(&markdown);
    }

    #[test]
    fn an_applys_markdown_fits_in_a_comment_the_plan_cut_to_the_room_the_steps_leave() {
        let long = "a skill with a name long enough to take room ".repeat(3);
        let plan = plan(
            (0..200)
                .map(|i| {
                    change(
                        ResourceKind::Skill,
                        &format!("{i:03} {long}"),
                        Action::Create,
                    )
                })
                .collect(),
        );
        let report = report(&plan, |_, _| Status::Applied);
        let format = ApplyFormat::Markdown;
        let steps: String = report
            .steps
            .iter()
            .map(|step| step_line(step, None, format))
            .collect();
        let rest = [
            steps_heading(&plan, true, format) + &steps,
            summary(&plan, &report, format),
            verification(0, &[], format),
            audit_line(
                std::path::Path::new("/var/lib/switchboard/audit/apply.jsonl"),
                "0fb9509d-f170-42bb-bba2-da06a09881d7",
                format,
            ),
        ];
        let chars = |parts: &[String]| parts.iter().map(|p| p.chars().count() + 1).sum::<usize>();
        let whole = markdown(&plan, MARKDOWN_LIMIT);
        assert!(
            whole.chars().count() + chars(&rest) > MARKDOWN_LIMIT,
            "the plan as `plan` shows it and the steps do not fit together"
        );
        let room = plan_room(&plan);
        assert!(room < MARKDOWN_LIMIT - steps.chars().count(), "{room}");
        let shown = markdown(&plan, room);
        assert!(shown.contains("To fit in"), "the plan says it was cut");
        let total = shown.chars().count() + chars(&rest);
        assert!(total <= MARKDOWN_LIMIT, "{total}");
    }
}
