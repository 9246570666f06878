//! Starting a simulator and a client pointed at it.

use std::time::Duration;

use switchboard_client::{Client, ClientConfig, Credentials, Hosts, RateBudget, RetryPolicy};
use switchboard_sim::{
    DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, FaultRule, Faults, JournalEntry, RunningSim, Sim,
    SimBuilder,
};

/// A small org: the repository's example fixture.
pub fn sim() -> SimBuilder {
    Sim::builder()
        .fixture_file(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/sim-org.yaml"
        ))
        .expect("fixture loads")
}

/// The example org with one fault rule.
pub async fn sim_with(rule: FaultRule) -> RunningSim {
    sim()
        .faults(Faults::none().rule(rule))
        .start()
        .await
        .unwrap()
}

/// The client defaults, with retries fast enough for tests.
pub fn config(sim: &RunningSim) -> ClientConfig {
    let hosts = Hosts::from_urls(&sim.base_url(), &sim.base_url()).unwrap();
    let mut config = ClientConfig::new(hosts, Credentials::new(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET));
    config.retry = RetryPolicy {
        min_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
        ..RetryPolicy::default()
    };
    // Tests send many requests; the budget tests set their own.
    config.rate_budget = RateBudget {
        requests: 10_000.try_into().unwrap(),
        window: Duration::from_secs(1),
    };
    config
}

/// A client with the test defaults.
pub fn client(sim: &RunningSim) -> Client {
    Client::new(config(sim)).unwrap()
}

/// A client with adjusted settings.
pub fn client_with(sim: &RunningSim, adjust: impl FnOnce(&mut ClientConfig)) -> Client {
    let mut config = config(sim);
    adjust(&mut config);
    Client::new(config).unwrap()
}

/// Journal entries with this method whose path is exactly `path`.
pub fn requests(sim: &RunningSim, method: &str, path: &str) -> Vec<JournalEntry> {
    sim.journal()
        .into_iter()
        .filter(|e| e.method == method && e.path == path)
        .collect()
}

/// Journal entries with this method whose path starts with `prefix`.
pub fn requests_under(sim: &RunningSim, method: &str, prefix: &str) -> Vec<JournalEntry> {
    sim.journal()
        .into_iter()
        .filter(|e| e.method == method && e.path.starts_with(prefix))
        .collect()
}
