use std::time::{Duration, Instant};

use switchboard_client::RateBudget;
use switchboard_sim::{FaultAction, FaultRule, RateLimit};

use crate::harness::{client, client_with, requests, sim, sim_with};

#[tokio::test]
async fn a_429_is_waited_out_for_at_least_retry_after() {
    let rule = FaultRule::new(FaultAction::Status {
        status: 429,
        retry_after: Some(2),
    })
    .path_prefix("/api/v2/routing/skills")
    .times(1);
    let sim = sim_with(rule).await;
    let client = client(&sim);
    let started = Instant::now();
    client.list_skills().await.unwrap();
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(2), "waited only {waited:?}");
    assert_eq!(client.stats().rate_limited, 1);
    let statuses: Vec<u16> = requests(&sim, "GET", "/api/v2/routing/skills")
        .iter()
        .map(|e| e.status)
        .collect();
    assert_eq!(statuses, vec![429, 200]);
}

#[tokio::test]
async fn the_servers_own_limit_is_obeyed_when_the_client_budget_is_too_generous() {
    // The server allows 4 requests per 2 s window; the client believes it has far more.
    let sim = sim()
        .rate_limit(RateLimit {
            per_window: 4,
            window: Duration::from_secs(2),
        })
        .start()
        .await
        .unwrap();
    let client = client(&sim);
    for _ in 0..6 {
        client.organization().await.unwrap();
    }
    // Either the headers paused it before the window ran out, or a 429 was waited out:
    // never an error, and never more than one 429.
    assert!(client.stats().rate_limited <= 1, "{:?}", client.stats());
    assert_eq!(
        requests(&sim, "GET", "/api/v2/organizations/me")
            .iter()
            .filter(|e| e.status == 200)
            .count(),
        6
    );
}

#[tokio::test]
async fn a_steady_run_at_the_budget_never_sees_a_429() {
    // Same budget on both sides: 10 per second. 25 requests take ~2.5 windows.
    let sim = sim()
        .rate_limit(RateLimit {
            per_window: 10,
            window: Duration::from_secs(1),
        })
        .start()
        .await
        .unwrap();
    let client = client_with(&sim, |config| {
        config.rate_budget = RateBudget {
            requests: 10.try_into().unwrap(),
            window: Duration::from_secs(1),
        };
    });
    let calls = (0..25).map(|_| client.organization());
    for result in futures::future::join_all(calls).await {
        result.unwrap();
    }
    assert_eq!(client.stats().rate_limited, 0);
    assert!(sim.journal().iter().all(|e| e.status != 429));
}

#[tokio::test]
async fn a_retry_after_beyond_the_ceiling_fails_at_once_and_says_why() {
    let rule = FaultRule::new(FaultAction::Status {
        status: 429,
        retry_after: Some(600),
    })
    .path_prefix("/api/v2/routing/skills");
    let sim = sim_with(rule).await;
    let started = Instant::now();
    let error = client(&sim).list_skills().await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "it did not wait 600 s"
    );
    let message = error.to_string();
    assert!(
        message.contains("Retry-After 600s") && message.contains("180s"),
        "{message}"
    );
    assert_eq!(requests(&sim, "GET", "/api/v2/routing/skills").len(), 1);
}
