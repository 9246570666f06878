use std::time::Duration;

use switchboard_client::{Client, ClientConfig, Credentials, Error, Hosts};
use switchboard_sim::{FaultAction, FaultRule, Faults};

use crate::harness::{client, requests, sim};

#[tokio::test]
async fn renews_the_token_before_it_expires() {
    let sim = sim()
        .token_lifetime(Duration::from_secs(2))
        .start()
        .await
        .unwrap();
    let client = client(&sim);
    client.organization().await.unwrap();
    // A 2 s token is renewed 0.4 s early: at 1.7 s a new one is fetched before any 401.
    tokio::time::sleep(Duration::from_millis(1700)).await;
    client.organization().await.unwrap();
    let stats = client.stats();
    assert_eq!(stats.token_requests, 2);
    assert_eq!(stats.reauthentications, 0);
    assert_eq!(requests(&sim, "POST", "/oauth/token").len(), 2);
    assert!(
        sim.journal().iter().all(|e| e.status != 401),
        "no request was refused"
    );
}

#[tokio::test]
async fn reauthenticates_once_on_401_and_retries() {
    let sim = sim().start().await.unwrap();
    let client = client(&sim);
    client.organization().await.unwrap();
    sim.expire_tokens();
    let org = client.organization().await.unwrap();
    assert!(org.name.is_some());
    let stats = client.stats();
    assert_eq!((stats.reauthentications, stats.token_requests), (1, 2));
    let statuses: Vec<u16> = requests(&sim, "GET", "/api/v2/organizations/me")
        .iter()
        .map(|e| e.status)
        .collect();
    assert_eq!(statuses, vec![200, 401, 200]);
}

#[tokio::test]
async fn a_token_refused_after_two_renewals_is_a_clear_error_naming_the_client() {
    let sim =
        sim()
            .faults(Faults::none().rule(
                FaultRule::new(FaultAction::ExpireToken).path_prefix("/api/v2/routing/skills"),
            ))
            .start()
            .await
            .unwrap();
    let error = client(&sim).list_skills().await.unwrap_err();
    assert_eq!(error.status(), Some(401));
    let message = error.to_string();
    assert!(message.contains("switchboard-demo"), "{message}");
    assert!(message.contains("hint:"), "{message}");
    // One attempt and two re-authenticated ones: then it stops.
    assert_eq!(requests(&sim, "GET", "/api/v2/routing/skills").len(), 3);
}

/// Found by the chaos suite: with a token pool, a request refused after every token was
/// revoked was retried on the next slot's token, revoked as well, and failed.
#[tokio::test]
async fn revoked_tokens_in_a_pool_are_each_renewed_and_nothing_fails() {
    let sim = sim().start().await.unwrap();
    let client = crate::harness::client_with(&sim, |config| {
        config.token_pool_size = 3.try_into().unwrap()
    });
    for _ in 0..3 {
        client.organization().await.unwrap();
    }
    sim.expire_tokens();
    let calls = (0..12).map(|_| client.organization());
    for result in futures::future::join_all(calls).await {
        result.unwrap();
    }
    sim.expire_tokens();
    sim.expire_tokens();
    for _ in 0..6 {
        client.organization().await.unwrap();
    }
}

#[tokio::test]
async fn concurrent_requests_share_one_token_request() {
    let sim = sim().start().await.unwrap();
    let client = client(&sim);
    let calls = (0..16).map(|_| client.organization());
    for result in futures::future::join_all(calls).await {
        result.unwrap();
    }
    assert_eq!(client.stats().token_requests, 1);
    assert_eq!(requests(&sim, "POST", "/oauth/token").len(), 1);
}

#[tokio::test]
async fn wrong_credentials_say_what_to_check() {
    let sim = sim().start().await.unwrap();
    let hosts = Hosts::from_urls(&sim.base_url(), &sim.base_url()).unwrap();
    let client = Client::new(ClientConfig::new(
        hosts,
        Credentials::new("not-a-client", "wrong-secret"),
    ))
    .unwrap();
    let error = client.organization().await.unwrap_err();
    let Error::Auth(auth) = &error else {
        panic!("expected an auth error, got {error:?}")
    };
    assert_eq!(auth.status, 401);
    assert_eq!(auth.error.as_deref(), Some("invalid_client"));
    let message = error.to_string();
    assert!(
        message.contains("not-a-client") && message.contains("GENESYS_CLIENT_SECRET"),
        "{message}"
    );
    assert!(!message.contains("wrong-secret"), "{message}");
    // The token endpoint's 401 is final: no API request was made, no retry.
    assert_eq!(requests(&sim, "POST", "/oauth/token").len(), 1);
    assert!(requests(&sim, "GET", "/api/v2/organizations/me").is_empty());
}

#[tokio::test]
async fn a_token_pool_spreads_requests_over_several_tokens() {
    let sim = sim().start().await.unwrap();
    let client = crate::harness::client_with(&sim, |config| {
        config.token_pool_size = 3.try_into().unwrap()
    });
    for _ in 0..6 {
        client.organization().await.unwrap();
    }
    assert_eq!(client.stats().token_requests, 3);
}
