//! The two HEAD operations of the description: `HEAD /api/v2/tokens/me` and
//! `HEAD /api/v2/notifications/channels/{channelId}`. 200 when what they ask about is valid,
//! 404 for an unknown channel, 401 without a valid token; never a body. Any other HEAD is a
//! method its path does not have: 404.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;
use switchboard_sim::Sim;

use crate::support::{Api, Resp, http, read};

async fn head(api: &Api, path: &str) -> Resp {
    read(api.request(Method::HEAD, path).send().await.unwrap()).await
}

/// A HEAD answer: its status, and no body whatever the status.
fn status(r: &Resp) -> u16 {
    assert!(r.body.is_null(), "a HEAD answered a body: {}", r.body);
    assert!(r.header("inin-correlation-id").is_some());
    r.status
}

#[tokio::test]
async fn head_tokens_me_verifies_the_token() {
    let api = Api::start(Sim::builder()).await;
    assert_eq!(status(&head(&api, "/api/v2/tokens/me").await), 200);
    let url = api.url("/api/v2/tokens/me");
    let anonymous = read(http().head(&url).send().await.unwrap()).await;
    assert_eq!(status(&anonymous), 401);
    let unknown = http().head(&url).bearer_auth("not-a-token").send().await;
    assert_eq!(status(&read(unknown.unwrap()).await), 401);
    assert_eq!(api.delete("/api/v2/tokens/me").await.status, 204);
    assert_eq!(
        status(&head(&api, "/api/v2/tokens/me").await),
        401,
        "a revoked token"
    );
}

#[tokio::test]
async fn head_channel_says_whether_it_exists() {
    let api = Api::start(Sim::builder().channel_lifetime(Duration::from_millis(400))).await;
    let channel = api.post("/api/v2/notifications/channels", json!({})).await;
    let id = channel.body["id"].as_str().unwrap();
    let path = format!("/api/v2/notifications/channels/{id}");
    assert_eq!(status(&head(&api, &path).await), 200);
    let unknown = "/api/v2/notifications/channels/5b5e6a2c-0000-4c3b-9a8e-0d15c0a1b2c3";
    assert_eq!(status(&head(&api, unknown).await), 404);
    let anonymous = read(http().head(api.url(&path)).send().await.unwrap()).await;
    assert_eq!(status(&anonymous), 401);
    // HEAD is the only method of that path.
    assert_eq!(api.get(&path).await.status, 404);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(status(&head(&api, &path).await), 404, "an expired channel");
}

#[tokio::test]
async fn other_heads_are_404() {
    let api = Api::start(Sim::builder()).await;
    for path in [
        "/api/v2/routing/queues",
        "/api/v2/organizations/me",
        "/api/v2/notifications/channels",
    ] {
        assert_eq!(status(&head(&api, path).await), 404, "{path}");
    }
}
