//! `switchboard bench`: the scale benchmark (see `switchboard_bench` and
//! docs/PERFORMANCE.md). The same binary runs each job, in a process of its own, through
//! the hidden `--job` argument.

use std::io::Write;
use std::process::Command;

use anyhow::Context;
use clap::{Args, ValueEnum};
use switchboard_bench::{Options, Size, job};

use super::Outcome;

const BENCH_EXAMPLES: &str = "\
Examples:
  switchboard bench --size large                 # the full run, a few minutes
  switchboard bench --size small --json > bench.json
  switchboard bench --size small --speedup 60 --latency-ms 0   # ratios only, seconds
  switchboard bench --size large --tokens 1 --speedup 1         # real time, one token (slow)

It generates an org in an in-process simulator (latency per request, 300 requests a
minute per token), runs export, plan, drift, drift --since, the vendor provider's
per-object reads and apply, each in its own process, and compares each job's requests
and wall time with the floor computed from the org. Request targets are deterministic:
exit 1 when one is missed. Time and memory targets are reported.
Exit codes: 0 request targets met, 1 missed or error.";

/// `switchboard bench`.
#[derive(Debug, Args)]
#[command(after_help = BENCH_EXAMPLES)]
pub struct BenchArgs {
    /// The generated org: `small` (50 queues, 500 users) or `large` (1,000 queues, 5,000
    /// users, 300 skills, 200 wrap-up codes, 25,000 memberships).
    #[arg(long, value_enum, default_value_t = SizeArg::Small)]
    pub size: SizeArg,

    /// Mean latency the simulator adds to each request, in ms.
    #[arg(long, value_name = "MS", default_value_t = 40)]
    pub latency_ms: u64,

    /// Uniform spread around the mean latency, ± ms.
    #[arg(long, value_name = "MS", default_value_t = 20)]
    pub jitter_ms: u64,

    /// OAuth tokens in the client's pool; each has its own 300-a-minute budget.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub tokens: usize,

    /// Requests in flight at most.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub concurrency: usize,

    /// Shorten the rate-limit window this many times (5: 300 requests per 12 s) for a
    /// quicker run; floor times use the same budget, and the report says so.
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=600))]
    pub speedup: u32,

    /// The generator's seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,

    /// Print the report as JSON instead of Markdown.
    #[arg(long)]
    pub json: bool,

    /// Run one job (the benchmark starts itself with this).
    #[arg(long, value_name = "JSON", hide = true)]
    pub job: Option<String>,
}

/// The org size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SizeArg {
    /// 50 queues, 500 users.
    Small,
    /// 1,000 queues, 5,000 users.
    Large,
}

/// Runs the benchmark, or one of its jobs.
pub async fn run(args: &BenchArgs) -> anyhow::Result<Outcome> {
    if let Some(spec) = &args.job {
        let job: job::Job = serde_json::from_str(spec).context("the --job argument")?;
        let measured = job::run(&job).await?;
        let mut stdout = std::io::stdout().lock();
        serde_json::to_writer(&mut stdout, &measured)?;
        writeln!(stdout)?;
        return Ok(Outcome::Success);
    }
    let options = Options {
        size: match args.size {
            SizeArg::Small => Size::Small,
            SizeArg::Large => Size::Large,
        },
        latency_ms: args.latency_ms,
        jitter_ms: args.jitter_ms,
        tokens: args.tokens,
        concurrency: args.concurrency,
        speedup: args.speedup,
        seed: args.seed,
    };
    let exe = std::env::current_exe().context("cannot find this program to run the jobs")?;
    let job_command = |spec: &str| {
        let mut command = Command::new(&exe);
        command.args(["bench", "--job", spec]);
        command
    };
    let say = |what: &str| eprintln!("bench: {what}");
    let report = switchboard_bench::run(&options, &job_command, &say).await?;
    let mut stdout = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut stdout, &report)?;
        writeln!(stdout)?;
    } else {
        stdout.write_all(report.markdown().as_bytes())?;
    }
    if report.request_targets_met() {
        Ok(Outcome::Success)
    } else {
        eprintln!("bench: a request target was missed (see the table)");
        Ok(Outcome::Failure)
    }
}
