//! Skill coverage: each skill a queue requires (`coverage.requiredSkills`) must stay held
//! by at least `minAgents` active, joined members at `minProficiency` or above. Checked for
//! every queue whose settings, members or members' skills the plan changes; a shortfall is
//! a warning, or with `coverage.enforce` a refusal of the changes that cause it.
//!
//! `--force` does not lift a coverage refusal: force is about blast radius and load, while
//! an enforced coverage rule is a statement in the manifest itself, changed by editing it
//! (`coverage.enforce: false`).

use std::collections::{BTreeMap, BTreeSet};

use switchboard_manifest::Manifest;
use switchboard_manifest::model::{Coverage, Queue};
use switchboard_plan::{CoverageFinding, Refusal, RefusalReason, Warning};

use crate::Outcome;
use crate::projection::{LiveState, Member, Membership, Projection};

/// Whether coverage is checked for `queue`: it declares coverage, and the plan changes the
/// queue or the skills of one of its members (before or after).
pub(crate) fn checks(projection: &Projection<'_>, queue: &Queue, membership: &Membership) -> bool {
    queue.coverage.is_some()
        && (projection.changes_queue(&queue.name)
            || projection.changes_skills_of(membership.everyone().into_iter()))
}

/// The findings, sorted by queue then skill, and what coverage refuses or warns about.
pub(crate) fn evaluate(
    projection: &Projection<'_>,
    manifest: &Manifest,
) -> (Vec<CoverageFinding>, Outcome) {
    let mut findings = Vec::new();
    let mut outcome = Outcome::default();
    for queue in &manifest.queues {
        let Some(coverage) = &queue.coverage else {
            continue;
        };
        let membership = projection.membership(queue);
        if !checks(projection, queue, &membership) {
            continue;
        }
        outcome
            .warnings
            .extend(membership.uncounted_warnings(&queue.name));
        if membership.state == LiveState::Unread {
            outcome.warnings.push(Warning::new(
                format!("queue {:?}", queue.name),
                "the queue's members were not read; skill coverage was not checked",
            ));
            continue;
        }
        let skills: BTreeSet<&String> = coverage.required_skills.iter().collect();
        for skill in skills {
            let check = Check {
                projection,
                queue,
                coverage,
                membership: &membership,
                skill,
            };
            if let Some(finding) = check.run(&mut outcome) {
                findings.push(finding);
            }
        }
    }
    findings.sort_by(|a, b| (&a.queue, &a.skill).cmp(&(&b.queue, &b.skill)));
    (findings, outcome)
}

/// One required skill of one queue.
struct Check<'p, 'a> {
    projection: &'p Projection<'a>,
    queue: &'p Queue,
    coverage: &'p Coverage,
    membership: &'p Membership,
    skill: &'p str,
}

impl Check<'_, '_> {
    /// The finding when the skill ends up short, with its refusals or warning.
    fn run(&self, outcome: &mut Outcome) -> Option<CoverageFinding> {
        let before = self.holders(&self.membership.before, |id| {
            self.projection.skills_before(id)
        });
        let after = self.holders(&self.membership.after, |id| {
            self.projection.skills_after(id)
        });
        let min_agents = self.coverage.min_agents();
        if after.len() >= usize::try_from(min_agents).unwrap_or(usize::MAX) {
            return None;
        }
        let mut missing: Vec<String> = before
            .difference(&after)
            .filter_map(|id| self.membership.before.get(*id))
            .map(|member| member.label.clone())
            .collect();
        missing.sort();
        let finding = CoverageFinding {
            queue: self.queue.name.clone(),
            skill: self.skill.to_string(),
            min_proficiency: self.coverage.min_proficiency(),
            min_agents,
            before: before.len(),
            after: after.len(),
            missing,
            refused: self.coverage.enforce && after.len() < before.len(),
        };
        if finding.refused {
            self.refuse(&before, &finding, outcome);
        } else {
            outcome.warnings.push(Warning::new(
                format!("queue {:?}", self.queue.name),
                facts(&finding),
            ));
        }
        Some(finding)
    }

    /// Members who count: active users, joined, holding the skill at the proficiency.
    fn holders<'m>(
        &self,
        members: &'m BTreeMap<String, Member>,
        skills_of: impl Fn(&str) -> BTreeMap<String, f64>,
    ) -> BTreeSet<&'m String> {
        members
            .iter()
            .filter(|(id, member)| member.joined && self.projection.is_active(id))
            .filter(|(id, _)| self.holds(&skills_of(id)))
            .map(|(id, _)| id)
            .collect()
    }

    fn holds(&self, skills: &BTreeMap<String, f64>) -> bool {
        skills
            .get(self.skill)
            .is_some_and(|p| *p >= self.coverage.min_proficiency())
    }

    /// Refuses the member change that removes a holder (or the member group change a holder
    /// leaves through), and every skill change that takes a holder below the proficiency or
    /// removes the skill.
    fn refuse(&self, before: &BTreeSet<&String>, finding: &CoverageFinding, outcome: &mut Outcome) {
        let refusal = Refusal {
            reason: RefusalReason::Coverage,
            message: format!(
                "queue {:?} {}; set coverage.enforce: false to allow it with a warning, or keep another holder",
                finding.queue,
                facts(finding)
            ),
        };
        let runs = |index: &usize| self.projection.runs(*index);
        let lost: BTreeSet<&String> = before
            .iter()
            .filter(|id| !self.membership.after.contains_key(**id))
            .copied()
            .collect();
        if !lost.is_empty() {
            for index in self.membership.refusable(self.projection, &lost) {
                outcome.refusals.push((index, refusal.clone()));
            }
        }
        for id in before {
            if self.holds(&self.projection.skills_after(id)) {
                continue;
            }
            if let Some(index) = self.projection.skills_change(id).filter(runs) {
                outcome.refusals.push((index, refusal.clone()));
            }
        }
    }
}

/// What a finding says, without the queue: `would go from 2 to 1 active, joined members
/// holding skill "Billing" at proficiency 3 or above, below the minimum of 2 (losing a@x)`.
fn facts(finding: &CoverageFinding) -> String {
    let holding = format!(
        "holding skill {:?}{}",
        finding.skill,
        if finding.min_proficiency > 0.0 {
            format!(" at proficiency {} or above", finding.min_proficiency)
        } else {
            String::new()
        }
    );
    let counts = if finding.after == finding.before {
        format!(
            "has {} {holding} before and after the plan, below the minimum of {}",
            members(finding.after),
            finding.min_agents
        )
    } else {
        let still = if finding.after > finding.before {
            "still "
        } else {
            ""
        };
        format!(
            "would go from {} to {} {holding}, {still}below the minimum of {}",
            finding.before,
            members(finding.after),
            finding.min_agents
        )
    };
    if finding.missing.is_empty() {
        counts
    } else {
        format!("{counts} (losing {})", finding.missing.join(", "))
    }
}

/// `1 active, joined member`, `2 active, joined members`.
fn members(n: usize) -> String {
    let plural = if n == 1 { "" } else { "s" };
    format!("{n} active, joined member{plural}")
}
