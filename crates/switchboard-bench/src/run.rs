//! The parent side: the simulated orgs, the jobs in order, the floors, the checks.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::json;
use switchboard_sim::{Faults, GeneratorSpec, Latency, RateLimit, RunningSim, Sim};

use crate::Size;
use crate::census::Census;
use crate::floor;
use crate::job::{Job, Measured, Scenario, Tuning};
use crate::report::{Check, CheckKind, OrgSize, Report, Row, Settings, SideBySide};
use crate::vendor::StateIds;

/// How a benchmark runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The org size.
    pub size: Size,
    /// Mean latency added to each API request, ms.
    pub latency_ms: u64,
    /// Uniform spread around the mean, ± ms (at most the mean).
    pub jitter_ms: u64,
    /// OAuth tokens in the pool.
    pub tokens: usize,
    /// Requests in flight at most.
    pub concurrency: usize,
    /// How many times shorter than the real 60 s the rate-limit window is.
    pub speedup: u32,
    /// The generator's and the faults' seed.
    pub seed: u64,
}

impl Options {
    /// The defaults: 40 ms ± 20 ms, 10 tokens, 20 in flight, the window 5× shorter.
    pub fn new(size: Size) -> Options {
        Options {
            size,
            latency_ms: 40,
            jitter_ms: 20,
            tokens: 10,
            concurrency: 20,
            speedup: 5,
            seed: 1,
        }
    }
}

/// Why the benchmark could not run to the end.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// The simulator could not start or be counted.
    #[error("the simulator: {0}")]
    Sim(String),
    /// A job process could not be started or failed.
    #[error("job {scenario}: {detail}")]
    Job {
        /// Which job.
        scenario: String,
        /// What went wrong.
        detail: String,
    },
    /// A file of the run could not be written.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Jobs whose floor time is shorter are not held to the wall-time target.
const MIN_TIMED_FLOOR_S: f64 = 2.0;

/// Real seconds per rate-limit window.
const REAL_WINDOW_MS: u64 = 60_000;
/// The API's requests per window per token (API-FACTS §3).
const PER_WINDOW: u32 = 300;

/// Runs the benchmark. `job_command` makes the command that runs one job, given its JSON
/// (the CLI answers `switchboard bench --job JSON`); `say` is told what is happening.
pub async fn run(
    options: &Options,
    job_command: &dyn Fn(&str) -> Command,
    say: &dyn Fn(&str),
) -> Result<Report, BenchError> {
    let started = Instant::now();
    let speedup = options.speedup.max(1);
    let settings = Settings {
        latency_mean_ms: options.latency_ms,
        latency_jitter_ms: options.jitter_ms.min(options.latency_ms),
        tokens: options.tokens.max(1),
        concurrency: options.concurrency.max(1),
        per_window: PER_WINDOW,
        window_ms: REAL_WINDOW_MS / u64::from(speedup),
        speedup,
    };
    let work = WorkDir::new()?;
    let bench = Bench {
        settings,
        job_command,
        say,
    };
    let spec = options.size.spec().with_seed(options.seed);
    say(&format!(
        "generating the {} org: {} queues, {} users, {} memberships",
        options.size.name(),
        spec.queues,
        spec.users,
        spec.memberships
    ));
    let org = bench.sim(spec, options.seed).await?;
    let census = count(&org)?;
    let emails = census.users;
    let manifest = work.path.join("manifest");
    let mut rows = Vec::new();

    let export = bench
        .job(
            &org,
            "export",
            Scenario::Export {
                out: manifest.clone(),
            },
        )
        .await?;
    rows.push(bench.row("export", &export, floor::export(&census), 1.05));

    let plan = Scenario::Plan {
        manifest: manifest.clone(),
    };
    let noop = bench.job(&org, "plan", plan.clone()).await?;
    expect(
        noop.0.changes == 0,
        "plan (no changes)",
        "the export plans changes",
    )?;
    rows.push(bench.row(
        "plan, no changes",
        &noop,
        floor::full_read(&census, emails),
        1.05,
    ));

    let since = Scenario::DriftSince {
        manifest: manifest.clone(),
        window_secs: 3_600,
    };
    let quiet = bench.job(&org, "drift --since", since.clone()).await?;
    rows.push(bench.row(
        "drift --since 1h, nothing changed",
        &quiet,
        floor::drift_since(&census, &BTreeSet::new(), &BTreeSet::new(), 0, 0),
        1.05,
    ));

    let audited_before = org.snapshot()["audit"].as_array().map_or(0, Vec::len);
    let edits = edit_one_percent(&org, &census)?;
    // What the audit trail says changed: the edits, and what they changed in turn (a queue
    // whose skill group gained or lost an agent whose skill was edited).
    let audited = Audited::since(&org.snapshot(), audited_before);
    say(&format!(
        "changed {} queues and {} agents out of band (1 %)",
        edits.queues.len(),
        edits.agents.len()
    ));
    let changed = edits.queues.len() + edits.agents.len();
    let one_percent = bench.job(&org, "plan", plan.clone()).await?;
    rows.push(bench.row(
        "plan, 1 % changed",
        &one_percent,
        floor::full_read(&census, emails),
        1.05,
    ));
    let drift = bench
        .job(
            &org,
            "drift",
            Scenario::DriftFull {
                manifest: manifest.clone(),
            },
        )
        .await?;
    rows.push(bench.row(
        "drift, full",
        &drift,
        floor::drift_full(&census, emails, changed),
        1.05,
    ));
    let recent = bench.job(&org, "drift --since", since).await?;
    rows.push(bench.row(
        &format!("drift --since 1h, {changed} objects changed"),
        &recent,
        floor::drift_since(
            &census,
            &audited.queues,
            &audited.agents,
            audited.skill_groups,
            changed,
        ),
        1.05,
    ));

    let state = work.path.join("state.json");
    std::fs::write(&state, json!(StateIds::of(&org.snapshot())).to_string())?;
    let per_object = bench
        .job(&org, "per-object", Scenario::PerObject { state })
        .await?;
    rows.push(bench.row(
        "per-object read (vendor pattern)",
        &per_object,
        floor::per_object(&census),
        1.0,
    ));
    org.shutdown().await;

    say("starting an org with the same users and nothing else, for apply");
    let empty = bench.sim(spec.users_only(), options.seed).await?;
    let before = count(&empty)?;
    let apply = bench
        .job(
            &empty,
            "apply",
            Scenario::Apply {
                manifest: manifest.clone(),
            },
        )
        .await?;
    rows.push(bench.row(
        "apply, from an empty org",
        &apply,
        floor::apply_from_empty(&before, &census, emails),
        1.1,
    ));
    let after = bench.job(&empty, "plan", plan).await?;
    expect(
        after.0.changes == 0,
        "plan after apply",
        "the applied org still plans changes",
    )?;
    rows.push(bench.row(
        "plan after apply",
        &after,
        floor::full_read(&census, emails),
        1.05,
    ));
    empty.shutdown().await;

    let side_by_side = SideBySide {
        per_object_requests: per_object.1.requests,
        per_object_wall_s: per_object.0.wall_ms / 1_000.0,
        switchboard_requests: noop.1.requests,
        switchboard_wall_s: noop.0.wall_ms / 1_000.0,
        request_ratio: per_object.1.requests as f64 / noop.1.requests.max(1) as f64,
        per_object_one_token_min: per_object.1.requests as f64 / f64::from(PER_WINDOW),
        switchboard_one_token_min: noop.1.requests as f64 / f64::from(PER_WINDOW),
    };
    let checks = checks(
        &rows,
        &side_by_side,
        quiet.1.requests,
        recent.1.requests,
        audited.count(),
    );
    Ok(Report {
        size: options.size,
        org: OrgSize {
            queues: census.queues.len(),
            users: census.users,
            skills: census.skills,
            languages: census.languages,
            wrapup_codes: census.wrapup_codes,
            memberships: census.memberships(),
        },
        settings,
        rows,
        side_by_side,
        checks,
        total_wall_s: started.elapsed().as_secs_f64(),
    })
}

/// What a job measured, and the API requests the simulator answered during it.
type Outcome = (Measured, Answered);

/// The API requests the simulator answered during a job.
#[derive(Debug, Default)]
struct Answered {
    requests: u64,
    by_endpoint: BTreeMap<String, u64>,
}

/// A request path with its ids replaced by `{id}`: `/api/v2/routing/queues/{id}/members`.
fn template(path: &str) -> String {
    path.split('/')
        .map(|part| {
            let id = part.len() == 36 && part.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
            if id { "{id}" } else { part }
        })
        .collect::<Vec<_>>()
        .join("/")
}

struct Bench<'a> {
    settings: Settings,
    job_command: &'a dyn Fn(&str) -> Command,
    say: &'a dyn Fn(&str),
}

impl Bench<'_> {
    /// A simulator with the run's latency and rate limit.
    async fn sim(&self, spec: GeneratorSpec, seed: u64) -> Result<RunningSim, BenchError> {
        let s = self.settings;
        let latency = Latency {
            fixed_ms: s.latency_mean_ms - s.latency_jitter_ms,
            jitter_ms: 2 * s.latency_jitter_ms,
            include_auth: false,
        };
        Sim::builder()
            .generate(spec)
            .rate_limit(RateLimit {
                per_window: s.per_window,
                window: Duration::from_millis(s.window_ms),
            })
            .faults(Faults::none().seed(seed).latency(latency))
            .start()
            .await
            .map_err(|e| BenchError::Sim(e.to_string()))
    }

    /// Runs one job in its own process against `sim`.
    async fn job(
        &self,
        sim: &RunningSim,
        name: &str,
        scenario: Scenario,
    ) -> Result<Outcome, BenchError> {
        (self.say)(&format!("running {name}"));
        let job = Job {
            scenario,
            base_url: sim.base_url(),
            client: Tuning {
                tokens: self.settings.tokens,
                concurrency: self.settings.concurrency,
                per_window: self.settings.per_window,
                window_ms: self.settings.window_ms,
            },
        };
        let failed = |detail: String| BenchError::Job {
            scenario: name.to_string(),
            detail,
        };
        let spec = serde_json::to_string(&job).map_err(|e| failed(e.to_string()))?;
        sim.clear_journal();
        let output = tokio::process::Command::from((self.job_command)(&spec))
            .kill_on_drop(true)
            .output()
            .await
            .map_err(|e| failed(format!("could not start: {e}")))?;
        if !output.status.success() {
            return Err(failed(
                String::from_utf8_lossy(&output.stderr).trim().to_string(),
            ));
        }
        let measured: Measured = serde_json::from_slice(&output.stdout)
            .map_err(|e| failed(format!("unreadable result: {e}")))?;
        let mut answered = Answered::default();
        for entry in sim.journal().iter().filter(|e| e.path.starts_with("/api/")) {
            answered.requests += 1;
            *answered
                .by_endpoint
                .entry(format!("{} {}", entry.method, template(&entry.path)))
                .or_default() += 1;
        }
        Ok((measured, answered))
    }

    fn row(&self, scenario: &str, (m, answered): &Outcome, floor: usize, target: f64) -> Row {
        let requests = &answered.requests;
        let floor = floor as u64;
        let rate_floor_s = self.settings.rate_floor_s(*requests);
        let latency_floor_s = self.settings.latency_floor_s(*requests);
        let wall_s = m.wall_ms / 1_000.0;
        Row {
            scenario: scenario.to_string(),
            requests: *requests,
            client_requests: m.requests,
            floor,
            request_ratio: *requests as f64 / floor.max(1) as f64,
            request_target: target,
            wall_s,
            rate_floor_s,
            latency_floor_s,
            time_ratio: wall_s / rate_floor_s.max(latency_floor_s).max(f64::EPSILON),
            peak_rss_mb: m.peak_rss_bytes.map(|b| b as f64 / (1024.0 * 1024.0)),
            diff_cpu_ms: m.diff_cpu_ms,
            rate_limited: m.rate_limited,
            retries: m.retries,
            outcome: m.summary.clone(),
            by_endpoint: answered.by_endpoint.clone(),
        }
    }
}

/// Fails the run when a job's result is wrong (the figures would mean nothing).
fn expect(ok: bool, scenario: &str, detail: &str) -> Result<(), BenchError> {
    if ok {
        Ok(())
    } else {
        Err(BenchError::Job {
            scenario: scenario.to_string(),
            detail: detail.to_string(),
        })
    }
}

/// The org in `sim`, counted.
fn count(sim: &RunningSim) -> Result<Census, BenchError> {
    Census::of(&sim.snapshot()).map_err(|e| BenchError::Sim(e.to_string()))
}

/// The objects changed out of band.
struct Edits {
    queues: BTreeSet<String>,
    agents: BTreeSet<String>,
}

/// Changes 1 % of the org in the admin UI: the alerting timeout of 1 % of the queues, one
/// member removed from another 1 %, and a skill's proficiency of 1 % of the agents.
fn edit_one_percent(sim: &RunningSim, census: &Census) -> Result<Edits, BenchError> {
    let admin = sim.admin();
    let admin_error = |e: switchboard_sim::AdminError| BenchError::Sim(e.to_string());
    let n = census.queues.len().div_ceil(100).max(1);
    let mut edits = Edits {
        queues: BTreeSet::new(),
        agents: BTreeSet::new(),
    };
    let stride = (census.queues.len() / n).max(1);
    for queue in census.queues.iter().step_by(stride).take(n) {
        admin
            .set_queue_field(
                &queue.name,
                "/mediaSettings/call/alertingTimeoutSeconds",
                json!(45),
            )
            .map_err(admin_error)?;
        edits.queues.insert(queue.name.clone());
    }
    let timeouts = edits.queues.clone();
    for queue in census
        .queues
        .iter()
        .skip(stride / 2)
        .step_by(stride)
        .filter(|q| !timeouts.contains(&q.name))
        .take(n)
    {
        if let Some(member) = queue.direct_members.first() {
            admin
                .remove_member(&queue.name, member)
                .map_err(admin_error)?;
            edits.queues.insert(queue.name.clone());
        }
    }
    let m = census.agents.len().div_ceil(100).max(1);
    let stride = (census.agents.len() / m).max(1);
    for (email, agent) in census.agents.iter().step_by(stride).take(m) {
        if let Some((skill, proficiency)) = agent.skills.iter().next() {
            let other = if *proficiency >= 5.0 { 1.0 } else { 5.0 };
            admin
                .set_user_skill(email, skill, other)
                .map_err(admin_error)?;
            edits.agents.insert(email.clone());
        }
    }
    Ok(edits)
}

/// The objects the audit trail records as changed after its first `from` records: queue
/// names, user emails, and how many skill groups.
struct Audited {
    queues: BTreeSet<String>,
    agents: BTreeSet<String>,
    skill_groups: usize,
}

impl Audited {
    fn since(snapshot: &serde_json::Value, from: usize) -> Audited {
        let text = |v: &serde_json::Value, key: &str| {
            v.get(key)
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let records = snapshot["audit"].as_array().map_or(&[][..], Vec::as_slice);
        let mut audited = Audited {
            queues: BTreeSet::new(),
            agents: BTreeSet::new(),
            skill_groups: 0,
        };
        let mut skill_groups = BTreeSet::new();
        for record in records.iter().skip(from) {
            let id = text(record, "entityId");
            match text(record, "entityType").as_str() {
                "Queue" => {
                    if let Some(queue) = snapshot["queues"].get(&id) {
                        audited.queues.insert(text(queue, "name"));
                    }
                }
                "User" => {
                    if let Some(user) = snapshot["users"].get(&id) {
                        audited.agents.insert(text(user, "email"));
                    }
                }
                "SkillGroup" => {
                    skill_groups.insert(id);
                }
                _ => {}
            }
        }
        audited.skill_groups = skill_groups.len();
        audited
    }

    /// How many objects changed.
    fn count(&self) -> usize {
        self.queues.len() + self.agents.len() + self.skill_groups
    }
}

fn checks(rows: &[Row], side: &SideBySide, quiet: u64, recent: u64, changed: usize) -> Vec<Check> {
    let mut checks = Vec::new();
    for row in rows.iter().filter(|r| r.request_target > 1.0) {
        checks.push(Check {
            kind: CheckKind::Requests,
            target: format!(
                "{}: requests ≤ {:.2} × floor",
                row.scenario, row.request_target
            ),
            measured: format!(
                "{} / {} = {:.3}",
                row.requests, row.floor, row.request_ratio
            ),
            met: row.request_ratio <= row.request_target,
        });
    }
    checks.push(Check {
        kind: CheckKind::Requests,
        target: "per-object pattern ≥ 8 × switchboard's requests".into(),
        measured: format!("{:.1} ×", side.request_ratio),
        met: side.request_ratio >= 8.0,
    });
    let per_change = recent.saturating_sub(quiet) as f64 / changed.max(1) as f64;
    checks.push(Check {
        kind: CheckKind::Requests,
        target: "drift --since costs O(k): at most 4 requests more per changed object".into(),
        measured: format!(
            "{quiet} with none changed, {recent} with {changed}: {per_change:.2} per object"
        ),
        met: per_change <= 4.0,
    });
    // Below a couple of seconds of floor time, fixed costs (starting the process, loading
    // and validating the manifest) dominate, and the ratio says nothing about requests.
    for row in rows.iter().filter(|r| {
        r.request_target > 1.0 && r.rate_floor_s.max(r.latency_floor_s) >= MIN_TIMED_FLOOR_S
    }) {
        checks.push(Check {
            kind: CheckKind::Time,
            target: format!("{}: wall ≤ 1.15 × the larger floor time", row.scenario),
            measured: format!("{:.2} ×", row.time_ratio),
            met: row.time_ratio <= 1.15,
        });
    }
    for row in rows.iter().filter(|r| r.scenario.starts_with("plan")) {
        if let Some(ms) = row.diff_cpu_ms {
            checks.push(Check {
                kind: CheckKind::Time,
                target: format!("{}: diff ≤ 100 ms CPU", row.scenario),
                measured: format!("{ms:.1} ms"),
                met: ms <= 100.0,
            });
        }
        if let Some(mb) = row.peak_rss_mb {
            checks.push(Check {
                kind: CheckKind::Memory,
                target: format!("{}: peak RSS ≤ 200 MB", row.scenario),
                measured: format!("{mb:.0} MB"),
                met: mb <= 200.0,
            });
        }
    }
    checks
}

/// A scratch directory removed when the run ends.
struct WorkDir {
    path: PathBuf,
}

impl WorkDir {
    fn new() -> std::io::Result<WorkDir> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or_default();
        let path =
            std::env::temp_dir().join(format!("switchboard-bench-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path)?;
        Ok(WorkDir { path })
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
