//! One benchmark job, run in a process of its own so its peak memory is its own: the
//! parent starts the simulator and counts requests at the server; the job runs one
//! command's work through the same libraries the CLI uses and reports what it measured.

use std::num::{NonZeroU32, NonZeroUsize};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use switchboard_apply::verify::{left_over, settle};
use switchboard_client::{Client, ClientConfig, Credentials, Hosts, RateBudget};
use switchboard_drift::{Plans, attribute, classify, compare_changed, recent};
use switchboard_export::{ExportOptions, export};
use switchboard_fetch::{EverythingScope, Silent, fetch, fetch_everything};
use switchboard_manifest::{LoadOptions, Manifest, load};
use switchboard_plan::render::{TextStyle, text};
use switchboard_plan::{Policy, diff};
use switchboard_sim::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET};

use crate::measure::{cpu_timed, peak_rss_bytes};
use crate::vendor::{StateIds, read_per_object};

/// What one job process is to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// The work.
    pub scenario: Scenario,
    /// The simulator's address (API and login).
    pub base_url: String,
    /// How the job's client is tuned.
    pub client: Tuning,
}

/// The client settings of a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tuning {
    /// Tokens in the pool, each with its own budget.
    pub tokens: usize,
    /// Requests in flight at most.
    pub concurrency: usize,
    /// Requests per window per token.
    pub per_window: u32,
    /// The window, in milliseconds.
    pub window_ms: u64,
}

/// The command whose work a job does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Scenario {
    /// `switchboard export --out OUT`: read everything, write the manifest, load it back
    /// and plan it against the same snapshot.
    Export {
        /// The directory to write.
        out: PathBuf,
    },
    /// `switchboard plan MANIFEST`.
    Plan {
        /// The manifest directory.
        manifest: PathBuf,
    },
    /// `switchboard apply MANIFEST --auto-approve`, verification included.
    Apply {
        /// The manifest directory.
        manifest: PathBuf,
    },
    /// `switchboard drift MANIFEST`, attribution included.
    DriftFull {
        /// The manifest directory.
        manifest: PathBuf,
    },
    /// `switchboard drift MANIFEST --since WINDOW`.
    DriftSince {
        /// The manifest directory.
        manifest: PathBuf,
        /// The window, in seconds.
        window_secs: u64,
    },
    /// The vendor provider's per-object reads of every object in the state file.
    PerObject {
        /// A JSON [`StateIds`] file.
        state: PathBuf,
    },
}

/// What a job measured about itself.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Measured {
    /// API requests the client sent (every attempt).
    pub requests: u64,
    /// Token requests.
    pub token_requests: u64,
    /// Attempts repeated after a transient failure or a 429.
    pub retries: u64,
    /// 429 answers.
    pub rate_limited: u64,
    /// From the job's start (after the process started) to its end.
    pub wall_ms: f64,
    /// Thread CPU time of the pure step: the diff (plan, apply, drift), or export's
    /// conversion and self-check diff; `None` when it cannot be separated.
    pub diff_cpu_ms: Option<f64>,
    /// The process's peak resident set.
    pub peak_rss_bytes: Option<u64>,
    /// Changes planned, drifted objects found, or objects read per object.
    pub changes: usize,
    /// One line on the outcome.
    pub summary: String,
}

/// Why a job could not finish.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct JobError(String);

/// A failed step's error, named by what the job was doing.
trait Doing<T> {
    fn doing(self, what: &str) -> Result<T, JobError>;
}

impl<T, E: std::fmt::Display> Doing<T> for Result<T, E> {
    fn doing(self, what: &str) -> Result<T, JobError> {
        self.map_err(|error| JobError(format!("{what}: {error}")))
    }
}

/// How long apply's verification waits for the org to settle (as `switchboard apply`).
const SETTLING_WINDOW: Duration = Duration::from_secs(45);

/// Runs a job.
pub async fn run(job: &Job) -> Result<Measured, JobError> {
    let started = Instant::now();
    let client = client(job).doing("client")?;
    let mut measured = match &job.scenario {
        Scenario::Export { out } => run_export(&client, out).await?,
        Scenario::Plan { manifest } => {
            let manifest = manifest_at(manifest)?;
            let live = fetch(&client, &manifest).await.doing("read")?;
            let (plan, cpu) = cpu_timed(|| diff(&manifest, &live, &Policy::default()));
            let plan = plan.doing("plan")?;
            // What `switchboard plan` prints, made and dropped.
            let rendered = text(&plan, &TextStyle { color: false });
            Measured {
                diff_cpu_ms: millis(cpu),
                changes: plan.changes.len(),
                summary: format!(
                    "{} changes ({} bytes of text)",
                    plan.changes.len(),
                    rendered.len()
                ),
                ..Measured::default()
            }
        }
        Scenario::Apply { manifest } => run_apply(&client, &manifest_at(manifest)?).await?,
        Scenario::DriftFull { manifest } => {
            let manifest = manifest_at(manifest)?;
            let live = fetch(&client, &manifest).await.doing("read")?;
            let (report, cpu) =
                cpu_timed(|| Plans::of(&manifest, &live).map(|p| classify(&p, &live)));
            let mut report = report.doing("drift")?;
            attribute(&client, &mut report).await;
            let drifted = report.objects.iter().filter(|o| o.drift).count();
            Measured {
                diff_cpu_ms: millis(cpu),
                changes: drifted,
                summary: format!(
                    "{drifted} drifted objects, attribution {:?}",
                    report.attribution.status
                ),
                ..Measured::default()
            }
        }
        Scenario::DriftSince {
            manifest,
            window_secs,
        } => {
            let manifest = manifest_at(manifest)?;
            let window = TimeDelta::seconds(i64::try_from(*window_secs).unwrap_or(i64::MAX));
            let recent = recent::recent_changes(&client, window, Utc::now())
                .await
                .doing("audit query")?;
            let mut targeted = compare_changed(&client, &manifest, &recent.entities, &Silent)
                .await
                .doing("targeted read")?;
            attribute(&client, &mut targeted.report).await;
            let drifted = targeted.report.objects.iter().filter(|o| o.drift).count();
            Measured {
                changes: drifted,
                summary: format!(
                    "{drifted} drifted objects among {} compared ({} audit records)",
                    targeted.compared.len(),
                    recent.records
                ),
                ..Measured::default()
            }
        }
        Scenario::PerObject { state } => {
            let text = std::fs::read_to_string(state).doing("state file")?;
            let ids: StateIds = serde_json::from_str(&text).doing("state file")?;
            let objects = read_per_object(&client, &ids)
                .await
                .doing("per-object read")?;
            Measured {
                changes: objects,
                summary: format!("{objects} objects read one by one"),
                ..Measured::default()
            }
        }
    };
    let stats = client.stats();
    measured.requests = stats.requests;
    measured.token_requests = stats.token_requests;
    measured.retries = stats.retries;
    measured.rate_limited = stats.rate_limited;
    measured.wall_ms = started.elapsed().as_secs_f64() * 1_000.0;
    measured.peak_rss_bytes = peak_rss_bytes();
    Ok(measured)
}

fn client(job: &Job) -> Result<Client, Box<dyn std::error::Error>> {
    let hosts = Hosts::from_urls(&job.base_url, &job.base_url)?;
    let mut config = ClientConfig::new(hosts, Credentials::new(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET));
    let tuning = job.client;
    config.token_pool_size = NonZeroUsize::new(tuning.tokens).unwrap_or(NonZeroUsize::MIN);
    config.max_concurrency = NonZeroUsize::new(tuning.concurrency).unwrap_or(NonZeroUsize::MIN);
    config.rate_budget = RateBudget {
        requests: NonZeroU32::new(tuning.per_window).unwrap_or(NonZeroU32::MAX),
        window: Duration::from_millis(tuning.window_ms),
    };
    Ok(Client::new(config)?)
}

fn millis(duration: Option<Duration>) -> Option<f64> {
    duration.map(|d| d.as_secs_f64() * 1_000.0)
}

fn manifest_at(path: &Path) -> Result<Manifest, JobError> {
    let loaded = load(path, &LoadOptions::default());
    if loaded.has_errors() {
        return Err(JobError(format!(
            "the manifest in {} does not load:\n{}",
            path.display(),
            loaded.findings_text()
        )));
    }
    loaded
        .manifest
        .ok_or_else(|| JobError(format!("no manifest in {}", path.display())))
}

async fn run_export(client: &Client, out: &Path) -> Result<Measured, JobError> {
    // As `switchboard export --capacity`: the agents' capacity is written too.
    let scope = EverythingScope {
        capacity: true,
        ..EverythingScope::default()
    };
    let live = fetch_everything(client, &scope).await.doing("read")?;
    let (exported, convert_cpu) =
        cpu_timed(|| export(&live, &ExportOptions::all("mypurecloud.com")));
    let exported = exported.doing("export")?;
    for file in &exported.files {
        let path = file
            .path
            .split('/')
            .fold(out.to_path_buf(), |p, part| p.join(part));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).doing("write")?;
        }
        std::fs::write(&path, &file.contents).doing("write")?;
    }
    // As `switchboard export` does: the written manifest must plan to nothing.
    let manifest = manifest_at(out)?;
    let (plan, diff_cpu) = cpu_timed(|| diff(&manifest, &live, &Policy::default()));
    let plan = plan.doing("self-check plan")?;
    if !plan.changes.is_empty() {
        return Err(JobError(format!(
            "the export would change the org ({} changes)",
            plan.changes.len()
        )));
    }
    let cpu = convert_cpu.zip(diff_cpu).map(|(a, b)| a + b);
    Ok(Measured {
        diff_cpu_ms: millis(cpu),
        summary: format!(
            "{} files: {} queues, {} agents; plans no changes",
            exported.files.len(),
            exported.manifest.queues.len(),
            exported.manifest.agents.len()
        ),
        ..Measured::default()
    })
}

async fn run_apply(client: &Client, manifest: &Manifest) -> Result<Measured, JobError> {
    let policy = Policy::default();
    let live = fetch(client, manifest).await.doing("read")?;
    let (plan, cpu) = cpu_timed(|| diff(manifest, &live, &policy));
    let plan = plan.doing("plan")?;
    let report = switchboard_apply::run(client, &plan, &live).await;
    let touched = plan.runnable().map(|c| c.address.clone()).collect();
    let not_converged = settle(SETTLING_WINDOW, || async {
        match fetch(client, manifest).await {
            Ok(live) => match diff(manifest, &live, &policy) {
                Ok(plan) => left_over(&plan, Some(&touched)),
                Err(error) => vec![error.to_string()],
            },
            Err(error) => vec![error.to_string()],
        }
    })
    .await;
    let failed_steps = report
        .steps
        .iter()
        .filter(|s| {
            matches!(
                s.status,
                switchboard_apply::Status::Failed(_) | switchboard_apply::Status::Skipped(_)
            )
        })
        .count();
    if failed_steps > 0 || !not_converged.is_empty() {
        return Err(JobError(format!(
            "apply did not converge: {failed_steps} steps failed or skipped; left over: {}",
            not_converged.join("; ")
        )));
    }
    Ok(Measured {
        diff_cpu_ms: millis(cpu),
        changes: plan.changes.len(),
        summary: format!(
            "{} changes in {} steps; verified: a new plan shows no changes",
            plan.changes.len(),
            report.steps.len()
        ),
        ..Measured::default()
    })
}
