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
    started_with(sim(), rule).await
}

/// The simulator `builder` makes, with one fault rule.
pub async fn started_with(builder: SimBuilder, rule: FaultRule) -> RunningSim {
    builder
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

/// Runs `session` on a current-thread runtime with every trace-level log line (`log` records
/// too) captured, and returns what it returned with what was logged.
pub fn traced<T>(session: impl std::future::Future<Output = T>) -> (T, String) {
    #[derive(Clone, Default)]
    struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    // reqwest and hyper log through `log`; forward it into tracing.
    let _ = tracing_log::LogTracer::init();
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    // With a single live dispatcher, tracing computes the interest of a callsite registered
    // for the first time from the dispatcher of the thread that registers it: another test
    // thread, without a subscriber, would cache "never" for this one's spans too. A second
    // live dispatcher makes it ask every dispatcher.
    let _second = tracing::Dispatch::new(tracing::subscriber::NoSubscriber::default());
    let result = tracing::subscriber::with_default(subscriber, || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(session)
    });
    let logged = String::from_utf8_lossy(&captured.0.lock().unwrap()).to_string();
    (result, logged)
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
