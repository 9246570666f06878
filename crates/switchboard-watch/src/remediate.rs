//! `--remediate`: re-apply the manifest to the drifted objects only, through the same
//! safety policy as `apply` (protect, blast radius, dependants of refused changes) and into
//! the same audit log.
//!
//! Each drifted object becomes a `--target`; the plan is made from what the check read, and
//! run by `switchboard_apply::run_observed`, whose steps and totals go to the audit log as an
//! `apply` run's do. The writes cause notifications of their own, so the next targeted
//! check confirms the object is back in line.

use std::path::Path;
use std::time::{Duration, Instant};

use serde::Serialize;
use switchboard_apply::AuditLog;
use switchboard_apply::verify::{left_over, settle};
use switchboard_client::Client;
use switchboard_drift::Report;
use switchboard_fetch::{Changed, Silent, fetch_changed};
use switchboard_manifest::{Live, Manifest};
use switchboard_plan::document::PlanDocument;
use switchboard_plan::{Address, Policy, ResourceKind, Target, TargetKind, diff};

/// What a remediation did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Remediation {
    /// The objects remediated, as `kind:NAME`.
    pub targets: Vec<String>,
    /// Steps applied (or adopted).
    pub applied: usize,
    /// Steps that failed.
    pub failed: usize,
    /// Changes the safety policy refused, with why.
    pub refused: Vec<String>,
    /// What a new plan of the targets still showed after the writes (empty: verified).
    pub not_converged: Vec<String>,
    /// The audit log's run id, when anything ran.
    pub run_id: Option<String>,
    /// What went wrong outside the steps (no plan, the audit log).
    pub error: Option<String>,
}

/// The targets of a report's drifted objects.
fn targets(report: &Report) -> Vec<Target> {
    report
        .objects
        .iter()
        .filter(|o| o.drift)
        .map(|o| o.kind.target(o.name.clone()))
        .collect()
}

/// Applies `manifest` to the drifted objects of `report`, as read in `live`.
pub async fn remediate(
    client: &Client,
    manifest: &Manifest,
    live: &Live,
    report: &Report,
    audit_log: &Path,
) -> Remediation {
    let targets = targets(report);
    let mut outcome = Remediation {
        targets: targets.iter().map(ToString::to_string).collect(),
        ..Remediation::default()
    };
    if targets.is_empty() {
        return outcome;
    }
    let policy = Policy {
        targets,
        ..Policy::default()
    };
    let plan = match diff(manifest, live, &policy) {
        Ok(plan) => plan,
        Err(error) => {
            outcome.error = Some(error.to_string());
            return outcome;
        }
    };
    outcome.refused = plan
        .changes
        .iter()
        .filter_map(|c| {
            let refusal = c.refused.as_ref()?;
            Some(format!("{}: {}", c.address, refusal.message))
        })
        .collect();
    if plan.runnable().next().is_none() {
        return outcome;
    }
    let checksum = PlanDocument::of(&plan).checksum;
    let mut audit = match AuditLog::open(audit_log, &checksum, plan.forced) {
        Ok(audit) => audit,
        Err(error) => {
            outcome.error = Some(format!(
                "could not open the audit log {}: {error}",
                audit_log.display()
            ));
            return outcome;
        }
    };
    outcome.run_id = Some(audit.run_id().to_string());
    let started = Instant::now();
    let mut logged = Ok(());
    let report = switchboard_apply::run_observed(client, &plan, live, |step| {
        if logged.is_ok() {
            logged = audit.step(step);
        }
    })
    .await;
    outcome.applied = report
        .steps
        .iter()
        .filter(|s| {
            matches!(
                s.status,
                switchboard_apply::Status::Applied | switchboard_apply::Status::Adopted
            )
        })
        .count();
    outcome.failed = report
        .steps
        .iter()
        .filter(|s| matches!(s.status, switchboard_apply::Status::Failed(_)))
        .count();
    let warnings: Vec<String> = plan
        .warnings
        .iter()
        .map(|w| format!("{}: {}", w.subject, w.message))
        .collect();
    let steps_written = logged.and_then(|()| audit.distributions(&plan, &report));
    outcome.not_converged = verify(client, manifest, live, &policy).await;
    let duration = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let written = steps_written
        .and_then(|()| audit.finish(&report, duration, &outcome.not_converged, &warnings));
    if let Err(error) = written {
        outcome.error = Some(format!(
            "could not write the audit log {}: {error}",
            audit_log.display()
        ));
    }
    outcome
}

/// How long verification waits for the org to show what remediation wrote (shorter than
/// `apply`'s: the loop should not stall long on one object).
const SETTLING_WINDOW: Duration = Duration::from_secs(15);

/// What a new plan of the targets still shows, re-read with backoff until it shows nothing
/// or the settling window has passed; a read that fails is said as such.
async fn verify(
    client: &Client,
    manifest: &Manifest,
    before: &Live,
    policy: &Policy,
) -> Vec<String> {
    let changed = Changed {
        queues: before
            .queues
            .iter()
            .filter(|(name, _)| {
                policy
                    .targets
                    .iter()
                    .any(|t| t.kind == TargetKind::Queue && &t.name == *name)
            })
            .map(|(_, q)| q.id.clone())
            .collect(),
        users: before
            .users
            .iter()
            .filter(|(email, _)| {
                policy
                    .targets
                    .iter()
                    .any(|t| t.kind == TargetKind::Agent && t.name.eq_ignore_ascii_case(email))
            })
            .map(|(_, u)| u.id.clone())
            .collect(),
        skill_groups: before
            .skill_groups
            .iter()
            .filter(|(name, _)| {
                policy
                    .targets
                    .iter()
                    .any(|t| t.matches(&Address::new(ResourceKind::SkillGroup, name.as_str())))
            })
            .map(|(_, g)| g.id.clone())
            .collect(),
    };
    settle(SETTLING_WINDOW, || async {
        match fetch_changed(client, manifest, &changed, &Silent).await {
            Ok(live) => match diff(manifest, &live, policy) {
                Ok(plan) => left_over(&plan, None),
                Err(error) => vec![error.to_string()],
            },
            Err(error) => vec![format!("the re-read failed: {error}")],
        }
    })
    .await
}
