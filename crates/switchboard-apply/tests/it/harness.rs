//! Starting a client against the simulator, planning, and the golden invariant.

use std::time::Duration;

use switchboard_client::{Client, ClientConfig, Credentials, Hosts, RateBudget};
use switchboard_fetch::fetch;
use switchboard_manifest::{Manifest, load_str};
use switchboard_plan::render::{TextStyle, text};
use switchboard_plan::{Live, Plan, Policy, diff};
use switchboard_sim::{
    DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Fixture, RateLimit, RunningSim, Sim, SimBuilder,
};

/// The repository's example org, `examples/sim-org.yaml`.
pub fn demo_org() -> Fixture {
    Fixture::from_yaml(include_str!("../../../../examples/sim-org.yaml")).unwrap()
}

/// A client whose own request budget never holds a test back.
pub fn client(sim: &RunningSim) -> Client {
    let hosts = Hosts::from_urls(&sim.base_url(), &sim.base_url()).unwrap();
    let mut config = ClientConfig::new(hosts, Credentials::new(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET));
    config.rate_budget = RateBudget {
        requests: 100_000.try_into().unwrap(),
        window: Duration::from_secs(1),
    };
    Client::new(config).unwrap()
}

/// A fresh read for `manifest`, and the plan made from it under `policy`.
pub async fn plan(client: &Client, manifest: &Manifest, policy: &Policy) -> (Plan, Live) {
    let live = fetch(client, manifest).await.unwrap();
    let plan = diff(manifest, &live, policy).unwrap();
    (plan, live)
}

/// The golden invariant: a fresh plan has nothing to do.
pub async fn assert_converged(client: &Client, manifest: &Manifest, policy: &Policy) {
    let (after, _) = plan(client, manifest, policy).await;
    assert!(
        after.changes.is_empty(),
        "did not converge:\n{}",
        text(&after, &TextStyle::default())
    );
}

/// Checks that `planned` is not stale against `live`, runs it, checks every step applied (or
/// adopted), and that a fresh plan of `manifest` has nothing to do.
pub async fn apply_and_converge(client: &Client, manifest: &Manifest, planned: &Plan, live: &Live) {
    assert!(switchboard_apply::stale(planned, live).is_empty());
    let report = switchboard_apply::run(client, planned, live).await;
    for step in &report.steps {
        assert!(
            matches!(
                step.status,
                switchboard_apply::Status::Applied | switchboard_apply::Status::Adopted
            ),
            "{}: {:?}",
            step.object,
            step.status
        );
    }
    assert_converged(client, manifest, &Policy::default()).await;
}

/// A simulator seeded with `fixture`, without its 300-requests-a-minute budget (the
/// scenarios make more requests than that, and waiting out 429s is not what they test).
pub fn sim_builder(fixture: Fixture) -> SimBuilder {
    Sim::builder().fixture(fixture).rate_limit(RateLimit {
        per_window: 0,
        window: Duration::from_secs(60),
    })
}

/// [`sim_builder`], started.
pub async fn start(fixture: Fixture) -> RunningSim {
    sim_builder(fixture).start().await.unwrap()
}

/// A manifest from YAML text, which must have no error.
pub fn manifest(text: &str) -> Manifest {
    let loaded = load_str("manifest.yaml", text);
    assert!(!loaded.has_errors(), "{}", loaded.findings_text());
    loaded.manifest.unwrap()
}
