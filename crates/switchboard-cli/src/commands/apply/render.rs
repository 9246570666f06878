//! What `switchboard apply` prints of a run: a line per step as it ends, and the counts.
//! Pure functions of the plan and the steps' results, so that they are tested without an org.

use switchboard_apply::{Report, Status, StepResult};
use switchboard_plan::{Plan, Step, Summary};

/// One step as it ended: `  + skill "Fraud" (create): created`, `  = … adopted`,
/// `  ! … failed: why`, `  - … skipped: why`. `replaced` is the old name when the step is
/// one of a skill replace's: its delete step deletes that skill, not the new one.
pub(super) fn step_line(step: &StepResult, replaced: Option<&str>) -> String {
    let object = match (step.step, replaced) {
        (Step::Delete, Some(old)) => step.address.kind.describe(old),
        _ => step.object.clone(),
    };
    let step_name = step_key(step.step);
    match &step.status {
        Status::Applied => {
            let (sign, done) = match step.step {
                Step::Create => ("+", "created"),
                Step::Update => ("~", "updated"),
                Step::MoveAssignments => ("~", "assignments moved"),
                Step::Delete => ("-", "deleted"),
            };
            let by = match (step.step, replaced) {
                (Step::Delete, Some(_)) => format!(", replaced by {}", step.object),
                (Step::MoveAssignments, Some(old)) => {
                    format!(" from {}", step.address.kind.describe(old))
                }
                _ => String::new(),
            };
            format!("  {sign} {object} ({step_name}): {done}{by}\n")
        }
        Status::Adopted => format!(
            "  = {object} ({step_name}): it already existed under its name, and was adopted\n"
        ),
        Status::Failed(why) => format!("  ! {object} ({step_name}) failed: {why}\n"),
        Status::Skipped(why) => format!("  - {object} ({step_name}) skipped: {why}\n"),
    }
}

/// A step's name, as the audit log writes it.
fn step_key(step: Step) -> &'static str {
    match step {
        Step::Create => "create",
        Step::Update => "update",
        Step::MoveAssignments => "move_assignments",
        Step::Delete => "delete",
    }
}

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
pub(super) fn summary(plan: &Plan, report: &Report) -> String {
    let mut out = String::new();
    let (mut applied, mut adopted, mut failed, mut skipped) = (0, 0, 0, 0);
    for step in &report.steps {
        match &step.status {
            Status::Applied => applied += 1,
            Status::Adopted => adopted += 1,
            Status::Failed(_) => failed += 1,
            Status::Skipped(_) => skipped += 1,
        }
    }
    out.push_str(&format!(
        "Apply: {applied} applied, {adopted} adopted, {failed} failed, {skipped} skipped.\n"
    ));
    let (planned, done) = (plan.summary(), done(report));
    out.push_str(&format!(
        "Done: {} added, {} changed, {} destroyed (the plan: {} to add, {} to change, {} to destroy).\n",
        done.add, done.change, done.destroy, planned.add, planned.change, planned.destroy
    ));
    if failed + skipped > 0 {
        out.push_str("Running apply again converges: it plans what is left.\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use switchboard_apply::{Report, Status, StepResult};
    use switchboard_plan::{Action, Address, Change, Plan, PlanOrg, ResourceKind, Step};

    use super::{step_line, summary};

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
        let report = report(&plan, |address, _| match address.name.as_str() {
            "Refunds EN" => Status::Adopted,
            "Sales EN" if address.kind == ResourceKind::Queue => {
                Status::Failed("POST /api/v2/routing/queues: 400 bad request".into())
            }
            "Sales EN" => Status::Skipped("needs queue \"Sales EN\"".into()),
            _ => Status::Applied,
        });
        assert_eq!(
            summary(&plan, &report),
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
            summary(&plan, &report),
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
            summary(&plan, &report).contains(
                "Done: 1 added, 0 changed, 0 destroyed (the plan: 1 to add, 0 to change, 1 to destroy)."
            ),
            "{}",
            summary(&plan, &report)
        );
    }

    #[test]
    fn a_replaces_steps_name_the_skill_each_one_acts_on() {
        let plan = plan(vec![replace("Fraud v2", "Fraud")]);
        let report = report(&plan, |_, _| Status::Applied);
        let lines: String = report
            .steps
            .iter()
            .map(|step| step_line(step, Some("Fraud")))
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
        let report = report(&plan, |address, _| match address.name.as_str() {
            "Refunds EN" => Status::Adopted,
            "Sales EN" if address.kind == ResourceKind::Queue => {
                Status::Failed("POST /api/v2/routing/queues: 400 bad request".into())
            }
            "Sales EN" => Status::Skipped("needs queue \"Sales EN\"".into()),
            _ => Status::Applied,
        });
        let lines: Vec<String> = report.steps.iter().map(|s| step_line(s, None)).collect();
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
}
