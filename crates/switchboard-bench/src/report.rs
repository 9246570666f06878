//! The benchmark's report: one row per job, the side-by-side with the per-object pattern,
//! and each target with whether it was met; as Markdown and as JSON.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::Size;

/// Everything one benchmark run measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The org size.
    pub size: Size,
    /// What the generated org holds.
    pub org: OrgSize,
    /// The simulated conditions and the client's settings.
    pub settings: Settings,
    /// One row per job, in the order run.
    pub rows: Vec<Row>,
    /// The same org read the per-object way, against switchboard's no-op plan.
    pub side_by_side: SideBySide,
    /// Each target and whether it was met.
    pub checks: Vec<Check>,
    /// The whole run, set-up included, in seconds.
    pub total_wall_s: f64,
}

/// The generated org.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgSize {
    /// Queues.
    pub queues: usize,
    /// Users.
    pub users: usize,
    /// Skills.
    pub skills: usize,
    /// Routing languages.
    pub languages: usize,
    /// Wrap-up codes.
    pub wrapup_codes: usize,
    /// Queue memberships.
    pub memberships: usize,
}

/// The simulated conditions.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Mean latency the simulator adds to each API request, ms.
    pub latency_mean_ms: u64,
    /// Spread around the mean (uniform, ±), ms.
    pub latency_jitter_ms: u64,
    /// OAuth tokens in the client's pool.
    pub tokens: usize,
    /// Requests in flight at most.
    pub concurrency: usize,
    /// Requests per window per token (the API's 300).
    pub per_window: u32,
    /// The window as run, ms: the real 60,000 divided by `speedup`.
    pub window_ms: u64,
    /// How many times shorter than real the rate-limit window is (1: real time).
    pub speedup: u32,
}

impl Settings {
    /// The time `requests` need at the rate limit, in seconds.
    pub fn rate_floor_s(&self, requests: u64) -> f64 {
        requests as f64 * (self.window_ms as f64 / 1_000.0)
            / (f64::from(self.per_window) * self.tokens.max(1) as f64)
    }

    /// The time `requests` need at the mean latency with every slot in flight, in seconds.
    pub fn latency_floor_s(&self, requests: u64) -> f64 {
        requests as f64 * (self.latency_mean_ms as f64 / 1_000.0) / self.concurrency.max(1) as f64
    }
}

/// One job's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// What ran.
    pub scenario: String,
    /// API requests the simulator answered during the job.
    pub requests: u64,
    /// API requests the client says it sent (equal unless something is wrong).
    pub client_requests: u64,
    /// The computed request floor.
    pub floor: u64,
    /// `requests / floor`.
    pub request_ratio: f64,
    /// Target for `request_ratio`.
    pub request_target: f64,
    /// The job's wall time, s.
    pub wall_s: f64,
    /// The floor time set by the rate limit, s.
    pub rate_floor_s: f64,
    /// The floor time set by latency at the concurrency limit, s.
    pub latency_floor_s: f64,
    /// `wall_s / max(rate_floor_s, latency_floor_s)`.
    pub time_ratio: f64,
    /// The job process's peak resident set, MB.
    pub peak_rss_mb: Option<f64>,
    /// Thread CPU time of the diff, ms.
    pub diff_cpu_ms: Option<f64>,
    /// 429 answers and retried attempts.
    pub rate_limited: u64,
    /// Retried attempts.
    pub retries: u64,
    /// What the job found or did.
    pub outcome: String,
    /// The requests by method and path template, for seeing where they go.
    pub by_endpoint: BTreeMap<String, u64>,
}

/// The per-object pattern against switchboard's no-op plan, on the same org.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SideBySide {
    /// Requests of the per-object read.
    pub per_object_requests: u64,
    /// Its wall time, s.
    pub per_object_wall_s: f64,
    /// Requests of switchboard's no-op plan.
    pub switchboard_requests: u64,
    /// Its wall time, s.
    pub switchboard_wall_s: f64,
    /// `per_object_requests / switchboard_requests`.
    pub request_ratio: f64,
    /// Minutes the per-object read needs at the real 300 requests a minute on one token.
    pub per_object_one_token_min: f64,
    /// Minutes switchboard's plan needs likewise.
    pub switchboard_one_token_min: f64,
}

/// What a target is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckKind {
    /// Request counts: deterministic, so the run fails when one is missed.
    Requests,
    /// Wall or CPU time: depends on the machine; reported.
    Time,
    /// Peak memory: reported.
    Memory,
}

/// One target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    /// What it is about.
    pub kind: CheckKind,
    /// The target, in words.
    pub target: String,
    /// The figure measured.
    pub measured: String,
    /// Whether it was met.
    pub met: bool,
}

impl Report {
    /// Whether every request-count target was met (times and memory depend on the machine
    /// and are only reported).
    pub fn request_targets_met(&self) -> bool {
        self.checks
            .iter()
            .filter(|c| c.kind == CheckKind::Requests)
            .all(|c| c.met)
    }

    /// The report as Markdown: the settings, the table, the side-by-side, the targets.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let o = &self.org;
        let s = &self.settings;
        let _ = writeln!(
            out,
            "## switchboard bench --size {}\n\nOrg: {} queues, {} users, {} skills, {} languages, {} wrap-up codes, {} memberships.\n",
            self.size.name(),
            o.queues,
            o.users,
            o.skills,
            o.languages,
            o.wrapup_codes,
            o.memberships
        );
        let _ = writeln!(
            out,
            "Conditions: {} ms ± {} ms latency per request; {} requests per {} per token, {} token(s), {} in flight.",
            s.latency_mean_ms,
            s.latency_jitter_ms,
            s.per_window,
            seconds(s.window_ms as f64 / 1_000.0),
            s.tokens,
            s.concurrency
        );
        if s.speedup > 1 {
            let _ = writeln!(
                out,
                "The rate-limit window is scaled down {}× from the real 60 s for a quick run; floor times use the same scaled budget, so the time ratios hold. Latency is not scaled.",
                s.speedup
            );
        }
        out.push_str("\n| scenario | requests | floor | ratio | wall | rate floor | latency floor | time ratio | peak RSS | diff CPU | outcome |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for r in &self.rows {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {:.3} | {} | {} | {} | {:.2} | {} | {} | {} |",
                r.scenario,
                r.requests,
                r.floor,
                r.request_ratio,
                seconds(r.wall_s),
                seconds(r.rate_floor_s),
                seconds(r.latency_floor_s),
                r.time_ratio,
                r.peak_rss_mb
                    .map_or_else(|| "n/a".to_string(), |mb| format!("{mb:.0} MB")),
                r.diff_cpu_ms
                    .map_or_else(|| "n/a".to_string(), |ms| format!("{ms:.1} ms")),
                r.outcome.replace('|', "\\|")
            );
        }
        let b = &self.side_by_side;
        let _ = writeln!(
            out,
            "\n**Side by side, the same org read:** the per-object pattern of the vendor's provider made {} requests in {}; switchboard's plan made {} in {}: **{:.1}× fewer requests**. At the real 300 requests a minute on one token, that is {:.1} min against {:.1} min.\n",
            b.per_object_requests,
            seconds(b.per_object_wall_s),
            b.switchboard_requests,
            seconds(b.switchboard_wall_s),
            b.request_ratio,
            b.per_object_one_token_min,
            b.switchboard_one_token_min
        );
        out.push_str("| target | measured | met |\n|---|---|---|\n");
        for c in &self.checks {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                c.target,
                c.measured,
                if c.met { "yes" } else { "**no**" }
            );
        }
        let _ = writeln!(out, "\nWhole run: {}.", seconds(self.total_wall_s));
        out
    }
}

/// Seconds, to a sensible precision.
fn seconds(s: f64) -> String {
    if s < 10.0 {
        format!("{s:.2} s")
    } else {
        format!("{s:.1} s")
    }
}
