//! A simulator with the example org, a client on it, and waiting without timing assertions.

use std::future::Future;
use std::time::Duration;

use switchboard_client::{Client, ClientConfig, Credentials, Hosts, RateBudget, RetryPolicy};
use switchboard_sim::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, RunningSim, Sim, SimBuilder};
use switchboard_watch::ChangeEvent;
use tokio::sync::mpsc;

/// The longest any test waits for something that should happen (generous: CI is slow).
pub const PATIENCE: Duration = Duration::from_secs(10);

/// The repository's example org.
pub fn sim() -> SimBuilder {
    Sim::builder()
        .fixture_file(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/sim-org.yaml"
        ))
        .unwrap()
}

/// A client on `sim` with fast retries and a budget tests do not exhaust.
pub fn client(sim: &RunningSim) -> Client {
    let hosts = Hosts::from_urls(&sim.base_url(), &sim.base_url()).unwrap();
    let mut config = ClientConfig::new(hosts, Credentials::new(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET));
    config.retry = RetryPolicy {
        min_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
        ..RetryPolicy::default()
    };
    config.rate_budget = RateBudget {
        requests: 10_000.try_into().unwrap(),
        window: Duration::from_secs(1),
    };
    Client::new(config).unwrap()
}

/// A queue's id, by name.
pub fn queue_id(sim: &RunningSim, name: &str) -> String {
    let snapshot = sim.snapshot();
    snapshot["queues"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, q)| q["name"] == name)
        .map(|(id, _)| id.clone())
        .unwrap_or_else(|| panic!("no queue {name}"))
}

/// The next change about `entity_id`, skipping others; panics after [`PATIENCE`].
pub async fn change_about(rx: &mut mpsc::Receiver<ChangeEvent>, entity_id: &str) -> ChangeEvent {
    let wait = async {
        loop {
            match rx.recv().await {
                Some(event) if event.entity_id == entity_id => return event,
                Some(_) => {}
                None => panic!("the change channel closed"),
            }
        }
    };
    tokio::time::timeout(PATIENCE, wait)
        .await
        .unwrap_or_else(|_| panic!("no change about {entity_id} within {PATIENCE:?}"))
}

/// Waits until `condition` holds, checking every 20 ms; panics after [`PATIENCE`].
pub async fn eventually(what: &str, mut condition: impl FnMut() -> bool) {
    let wait = async {
        while !condition() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(PATIENCE, wait)
        .await
        .unwrap_or_else(|_| panic!("{what}: not within {PATIENCE:?}"));
}

/// Runs `future` to completion within [`PATIENCE`].
pub async fn soon<T>(what: &str, future: impl Future<Output = T>) -> T {
    tokio::time::timeout(PATIENCE, future)
        .await
        .unwrap_or_else(|_| panic!("{what}: not within {PATIENCE:?}"))
}
