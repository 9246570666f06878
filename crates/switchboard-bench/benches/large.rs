//! Microbenchmarks on the large generated org (1,000 queues, 5,000 users, 25,000
//! memberships): `cargo bench -p switchboard-bench`.
//!
//! Set-up (not timed): the org is generated in the simulator, read through the API and
//! exported to a temporary directory; an org with only its users is read too. Then:
//! - loading and validating the exported manifest;
//! - the diff of the whole org, with nothing changed (the no-op plan's diff);
//! - the diff against the org with only its users (every object a change);
//! - rendering that large plan as text, Markdown and JSON.

// A benchmark whose set-up fails has nothing to measure: it stops there, like a test.
#![allow(clippy::expect_used)]

use std::num::NonZeroU32;
use std::path::PathBuf;
use std::sync::LazyLock;
use std::time::Duration;

use switchboard_client::{Client, ClientConfig, Credentials, Hosts, RateBudget};
use switchboard_export::{ExportOptions, export};
use switchboard_fetch::{EverythingScope, fetch, fetch_everything};
use switchboard_manifest::{Live, LoadOptions, Manifest, load};
use switchboard_plan::render::{MARKDOWN_LIMIT, TextStyle, markdown, text};
use switchboard_plan::{Plan, Policy, diff};
use switchboard_sim::{
    DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, GeneratorSpec, RateLimit, RunningSim, Sim,
};

// The allocator the `switchboard` binary uses, so that the times are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

struct Large {
    dir: PathBuf,
    manifest: Manifest,
    live: Live,
    empty: Live,
    plan: Plan,
}

impl Drop for Large {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

async fn sim(spec: GeneratorSpec) -> RunningSim {
    Sim::builder()
        .generate(spec)
        .rate_limit(RateLimit {
            per_window: 0,
            window: Duration::from_secs(60),
        })
        .start()
        .await
        .expect("the simulator starts")
}

fn client(sim: &RunningSim) -> Client {
    let hosts = Hosts::from_urls(&sim.base_url(), &sim.base_url()).expect("a valid address");
    let mut config = ClientConfig::new(hosts, Credentials::new(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET));
    config.rate_budget = RateBudget {
        requests: NonZeroU32::MAX,
        window: Duration::from_secs(1),
    };
    Client::new(config).expect("a client")
}

static LARGE: LazyLock<Large> = LazyLock::new(|| {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async {
        let spec = GeneratorSpec::large();
        let org = sim(spec).await;
        let everything = fetch_everything(&client(&org), &EverythingScope::default())
            .await
            .expect("the org reads");
        let exported =
            export(&everything, &ExportOptions::all("mypurecloud.com")).expect("the org exports");
        let dir =
            std::env::temp_dir().join(format!("switchboard-microbench-{}", std::process::id()));
        for file in &exported.files {
            let path = file
                .path
                .split('/')
                .fold(dir.clone(), |p, part| p.join(part));
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("a directory");
            std::fs::write(&path, &file.contents).expect("the file writes");
        }
        let manifest = load(&dir, &LoadOptions::default())
            .manifest
            .expect("the export loads");
        let live = fetch(&client(&org), &manifest)
            .await
            .expect("the org reads");
        let users_only = sim(spec.users_only()).await;
        let empty = fetch(&client(&users_only), &manifest)
            .await
            .expect("the org reads");
        let plan = diff(&manifest, &empty, &Policy::default()).expect("it plans");
        Large {
            dir,
            manifest,
            live,
            empty,
            plan,
        }
    })
});

/// Load, merge and validate the exported large manifest (about 1,000 queue files).
#[divan::bench(sample_count = 10)]
fn load_and_validate(bencher: divan::Bencher) {
    let dir = &LARGE.dir;
    let options = LoadOptions::default();
    bencher.bench(|| {
        let loaded = load(divan::black_box(dir), &options);
        assert!(!loaded.has_errors());
        loaded
    });
}

/// The no-op plan's diff: the whole large org, nothing changed.
#[divan::bench(sample_count = 20)]
fn diff_no_changes(bencher: divan::Bencher) {
    let large = &*LARGE;
    let policy = Policy::default();
    bencher.bench(|| {
        let plan = diff(&large.manifest, divan::black_box(&large.live), &policy).expect("it plans");
        assert!(plan.changes.is_empty());
        plan
    });
}

/// The diff against an org with only its users: every skill, code, queue, membership and
/// assignment is a change.
#[divan::bench(sample_count = 10)]
fn diff_everything_new(bencher: divan::Bencher) {
    let large = &*LARGE;
    let policy = Policy::default();
    bencher.bench(|| diff(&large.manifest, divan::black_box(&large.empty), &policy));
}

/// That plan as text.
#[divan::bench(sample_count = 10)]
fn render_text(bencher: divan::Bencher) {
    let plan = &LARGE.plan;
    bencher.bench(|| text(divan::black_box(plan), &TextStyle { color: false }));
}

/// That plan as Markdown (cut to the PR-comment limit).
#[divan::bench(sample_count = 10)]
fn render_markdown(bencher: divan::Bencher) {
    let plan = &LARGE.plan;
    bencher.bench(|| markdown(divan::black_box(plan), MARKDOWN_LIMIT));
}

/// That plan as JSON.
#[divan::bench(sample_count = 10)]
fn render_json(bencher: divan::Bencher) {
    let plan = &LARGE.plan;
    bencher.bench(|| switchboard_plan::document::json(divan::black_box(plan)));
}
