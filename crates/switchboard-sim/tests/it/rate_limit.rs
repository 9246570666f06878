//! The per-token request budget.

use std::time::Duration;

use switchboard_sim::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, RateLimit, Sim};

use crate::support::{Api, read, token_for};

#[tokio::test]
async fn budget_then_429_with_retry_after() {
    let api = Api::start(Sim::builder().rate_limit(RateLimit {
        per_window: 3,
        window: Duration::from_millis(1500),
    }))
    .await;
    for n in 1..=3 {
        let r = api.get("/api/v2/routing/queues").await;
        assert_eq!(r.status, 200);
        assert_eq!(
            r.header("inin-ratelimit-count"),
            Some(n.to_string().as_str())
        );
        assert_eq!(r.header("inin-ratelimit-allowed"), Some("3"));
        let reset: u64 = r.header("inin-ratelimit-reset").unwrap().parse().unwrap();
        assert!((1..=2).contains(&reset), "reset {reset}");
    }
    let r = api.get("/api/v2/routing/queues").await;
    assert_eq!(r.status, 429);
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=2).contains(&retry));
    assert_eq!(r.code(), "too.many.requests.retry.after");
    assert_eq!(
        r.body["message"],
        format!("Rate limit exceeded the maximum. Retry the request in [{retry}] seconds")
    );
    assert_eq!(r.body["details"], serde_json::json!([]));
    assert!(r.header("inin-ratelimit-count").is_some());

    // Another token has its own budget.
    let other = read(token_for(&api.sim, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET).await).await;
    let token = other.body["access_token"].as_str().unwrap();
    let r = api
        .http
        .get(api.url("/api/v2/routing/queues"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    tokio::time::sleep(Duration::from_millis(1600)).await;
    let r = api.get("/api/v2/routing/queues").await;
    assert_eq!(r.status, 200, "the window reset");
    assert_eq!(r.header("inin-ratelimit-count"), Some("1"));
}

#[tokio::test]
async fn zero_disables_limiting() {
    let api = Api::start(Sim::builder().rate_limit(RateLimit {
        per_window: 0,
        window: Duration::from_secs(60),
    }))
    .await;
    for _ in 0..5 {
        let r = api.get("/api/v2/routing/skills").await;
        assert_eq!(r.status, 200);
        assert!(r.header("inin-ratelimit-count").is_none());
    }
}
