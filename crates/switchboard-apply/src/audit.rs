//! The audit log: JSON lines appended to a file, one record per step, one per weighted
//! queue distributed, and a final record with totals. It holds names, ids and planned
//! values, never credentials or tokens (the plan holds none, and nothing from the client's
//! configuration is written).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::Value;
use switchboard_plan::{
    Action, Address, Plan, QueueDistribution, ResourceKind, Step, WeightedMember,
};

use crate::run::{Report, Status, StepResult};

/// One apply's record keeper.
#[derive(Debug)]
pub struct AuditLog {
    file: File,
    run_id: String,
    plan_checksum: String,
    forced: bool,
}

/// A step's record.
#[derive(Debug, Serialize)]
struct StepRecord<'a> {
    record: &'static str,
    timestamp: String,
    run_id: &'a str,
    plan_checksum: &'a str,
    address: String,
    action: Action,
    step: Step,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    requested: &'a Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    http_status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    correlation_id: Option<&'a str>,
    /// What a failed step wrote before it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    partially_applied: Option<&'a str>,
    attempts: u32,
    latency_ms: u64,
}

/// A weighted queue's record: the distribution as planned and how its members step ended.
#[derive(Debug, Serialize)]
struct DistributionRecord<'a> {
    record: &'static str,
    timestamp: String,
    run_id: &'a str,
    plan_checksum: &'a str,
    queue: &'a str,
    rings: usize,
    normalized: bool,
    /// Requested weights (and normalised ones), realised rings and shares.
    members: &'a [WeightedMember],
    balance_accuracy: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    overflow: Option<&'a Value>,
    latency_ms: u64,
    /// `applied`, `partial`, `failed` or `skipped`.
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
}

/// The final record.
#[derive(Debug, Serialize)]
struct Totals<'a> {
    record: &'static str,
    timestamp: String,
    run_id: &'a str,
    plan_checksum: &'a str,
    forced: bool,
    applied: usize,
    adopted: usize,
    failed: usize,
    skipped: usize,
    duration_ms: u64,
    verified: bool,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    not_converged: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    warnings: &'a [String],
}

/// A step's status as the log spells it, and the reason of a failed or skipped one.
fn status_and_reason(step: &StepResult) -> (&'static str, Option<&str>) {
    match &step.status {
        Status::Applied => ("applied", None),
        Status::Adopted => ("adopted", None),
        Status::Failed(why) => ("failed", Some(why.as_str())),
        Status::Skipped(why) => ("skipped", Some(why.as_str())),
    }
}

/// One JSON line.
fn line(record: &impl Serialize) -> std::io::Result<String> {
    let mut text = serde_json::to_string(record).map_err(std::io::Error::other)?;
    text.push('\n');
    Ok(text)
}

/// A record's timestamp: RFC 3339 in UTC, to the millisecond.
fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

impl AuditLog {
    /// Opens `path` for appending (creating it and its directory) for one run of the plan
    /// sealed by `plan_checksum`.
    pub fn open(path: &Path, plan_checksum: &str, forced: bool) -> std::io::Result<AuditLog> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        Ok(AuditLog {
            file,
            run_id: uuid::Uuid::new_v4().to_string(),
            plan_checksum: plan_checksum.to_string(),
            forced,
        })
    }

    /// The run's id, as every record carries it.
    pub fn run_id(&self) -> &str {
        &self.run_id
    }

    /// One record per step of `report`, then its [`AuditLog::distributions`].
    pub fn steps(&mut self, plan: &Plan, report: &Report) -> std::io::Result<()> {
        for step in &report.steps {
            self.step(step)?;
        }
        self.distributions(plan, report)
    }

    /// The record of one step, written through at once (see [`crate::run_observed`]).
    pub fn step(&mut self, step: &StepResult) -> std::io::Result<()> {
        let text = line(&self.step_record(step))?;
        self.file.write_all(text.as_bytes())?;
        self.file.flush()
    }

    /// One record per weighted queue of `plan` whose members step ran: its weights,
    /// realised rings, balance accuracy, overflow rules, latency and status.
    pub fn distributions(&mut self, plan: &Plan, report: &Report) -> std::io::Result<()> {
        let mut lines = String::new();
        for distribution in &plan.distributions {
            let address = Address::new(ResourceKind::QueueMembers, distribution.queue.clone());
            let Some(step) = report.steps.iter().find(|s| s.address == address) else {
                continue;
            };
            lines.push_str(&line(&self.distribution_record(distribution, step))?);
        }
        self.file.write_all(lines.as_bytes())?;
        self.file.flush()
    }

    fn distribution_record<'a>(
        &'a self,
        distribution: &'a QueueDistribution,
        step: &'a StepResult,
    ) -> DistributionRecord<'a> {
        // The queue's distribution was applied whether its members were added or adopted,
        // and is partial when its step failed after writing some of it.
        let (status, reason) = match status_and_reason(step) {
            ("adopted", reason) => ("applied", reason),
            ("failed", reason) if step.partial.is_some() => ("partial", reason),
            other => other,
        };
        DistributionRecord {
            record: "distribution",
            timestamp: timestamp(step.started_at),
            run_id: &self.run_id,
            plan_checksum: &self.plan_checksum,
            queue: &distribution.queue,
            rings: distribution.rings,
            normalized: distribution.normalized,
            members: &distribution.members,
            balance_accuracy: distribution.balance_accuracy,
            overflow: distribution.overflow.as_ref(),
            latency_ms: step.latency_ms,
            status,
            reason,
        }
    }

    fn step_record<'a>(&'a self, step: &'a StepResult) -> StepRecord<'a> {
        let (status, reason) = status_and_reason(step);
        StepRecord {
            record: "step",
            timestamp: timestamp(step.started_at),
            run_id: &self.run_id,
            plan_checksum: &self.plan_checksum,
            address: step.address.to_string(),
            action: step.action,
            step: step.step,
            status,
            reason,
            requested: &step.requested,
            http_status: step.http_status,
            correlation_id: step.correlation_id.as_deref(),
            partially_applied: step.partial.as_deref(),
            attempts: step.attempts,
            latency_ms: step.latency_ms,
        }
    }

    /// The final record: totals, duration, whether a re-plan came back empty (and what it
    /// still showed), and the plan's warnings (users skipped and the like).
    pub fn finish(
        &mut self,
        report: &Report,
        duration_ms: u64,
        not_converged: &[String],
        warnings: &[String],
    ) -> std::io::Result<()> {
        let count = |f: fn(&Status) -> bool| report.steps.iter().filter(|s| f(&s.status)).count();
        let totals = Totals {
            record: "totals",
            timestamp: timestamp(Utc::now()),
            run_id: &self.run_id,
            plan_checksum: &self.plan_checksum,
            forced: self.forced,
            applied: count(|s| matches!(s, Status::Applied)),
            adopted: count(|s| matches!(s, Status::Adopted)),
            failed: count(|s| matches!(s, Status::Failed(_))),
            skipped: count(|s| matches!(s, Status::Skipped(_))),
            duration_ms,
            // A run with a failed or skipped step is never verified, even when a new plan
            // cannot see what it left undone.
            verified: not_converged.is_empty() && report.succeeded(),
            not_converged,
            warnings,
        };
        let text = line(&totals)?;
        self.file.write_all(text.as_bytes())?;
        self.file.flush()
    }
}
