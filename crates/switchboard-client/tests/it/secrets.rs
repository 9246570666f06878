//! A whole client session at trace level, with every log line captured: the client secret,
//! the Basic credentials and the access tokens must appear nowhere.

use base64::Engine;
use switchboard_client::models::QueueFilter;
use switchboard_client::{Client, ClientConfig, Credentials, Hosts};
use switchboard_sim::{FaultAction, FaultRule, Faults, Sim};

const SECRET: &str = "s3cr3t-Value-that-must-never-leak";

#[test]
fn no_secret_appears_in_logs_errors_or_debug_output() {
    let ((tokens, mut shown), logged) = crate::harness::traced(session());
    shown.push_str(&logged);

    assert!(
        shown.contains("genesys_request"),
        "the session was logged at trace level"
    );
    assert!(
        shown.len() > 10_000,
        "trace output is substantial: {} bytes",
        shown.len()
    );
    let basic =
        base64::engine::general_purpose::STANDARD.encode(format!("leak-test-client:{SECRET}"));
    assert!(!tokens.is_empty());
    let mut forbidden = vec![SECRET.to_string(), basic];
    forbidden.extend(tokens);
    for needle in &forbidden {
        assert!(
            !shown.contains(needle.as_str()),
            "a secret leaked: …{}…",
            &needle[..needle.len().min(6)]
        );
    }
}

/// A session touching every path that formats something: success, retry, re-authentication,
/// API errors, auth errors; returns the access tokens issued and everything printed.
async fn session() -> (Vec<String>, String) {
    let retry = FaultRule::new(FaultAction::Status {
        status: 503,
        retry_after: None,
    })
    .path_prefix("/api/v2/routing/skills")
    .times(1);
    let sim = Sim::builder()
        .fixture_file(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/sim-org.yaml"
        ))
        .unwrap()
        .client("leak-test-client", SECRET)
        .faults(Faults::none().rule(retry))
        .start()
        .await
        .unwrap();
    let hosts = Hosts::from_urls(&sim.base_url(), &sim.base_url()).unwrap();
    let mut config = ClientConfig::new(hosts.clone(), Credentials::new("leak-test-client", SECRET));
    config.retry.min_delay = std::time::Duration::from_millis(5);
    let client = Client::new(config.clone()).unwrap();
    let mut shown = format!("{config:?}\n{client:?}\n");

    client.organization().await.unwrap();
    client.list_skills().await.unwrap();
    let queues = client.list_queues(&QueueFilter::default()).await.unwrap();
    client
        .list_queue_members(queues[0].id.as_deref().unwrap())
        .await
        .unwrap();
    sim.expire_tokens();
    client.token_info().await.unwrap();
    let missing = client.get_queue("no-such-queue").await.unwrap_err();
    shown.push_str(&format!("{missing}\n{missing:?}\n"));
    let wrong = Client::new(ClientConfig::new(
        hosts,
        Credentials::new("leak-test-client", "wrong-secret"),
    ))
    .unwrap();
    let refused = wrong.organization().await.unwrap_err();
    shown.push_str(&format!("{refused}\n{refused:?}\n{:?}\n", client.stats()));

    let tokens = sim.issued_tokens();
    sim.shutdown().await;
    (tokens, shown)
}
