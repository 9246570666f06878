//! OAuth client credentials and bearer-token checks.

use std::time::Duration;

use serde_json::Value;
use switchboard_sim::{DEFAULT_ORG_ID, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sim};

use crate::support::{Api, http, read, token_for};

#[tokio::test]
async fn token_happy_path() {
    let sim = Sim::builder()
        .token_lifetime(Duration::from_secs(3600))
        .start()
        .await
        .unwrap();
    let r = read(token_for(&sim, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET).await).await;
    assert_eq!(r.status, 200);
    assert!(r.header("inin-correlation-id").is_some());
    assert_eq!(r.body["token_type"], "bearer");
    assert_eq!(r.body["expires_in"], 3600);
    assert!(r.body["access_token"].as_str().unwrap().len() >= 32);
    sim.shutdown().await;
}

#[tokio::test]
async fn bad_credentials_and_grant() {
    let sim = Sim::builder().client("ci", "s3cret").start().await.unwrap();
    let r = read(token_for(&sim, DEMO_CLIENT_ID, "wrong").await).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.body["error"], "invalid_client");
    assert!(r.body["description"].is_string() && r.body["error_description"].is_string());
    assert!(r.header("inin-correlation-id").is_some());

    let r = read(token_for(&sim, "ci", "s3cret").await).await;
    assert_eq!(r.status, 200, "an extra client is accepted");

    let no_basic = http()
        .post(format!("{}/oauth/token", sim.base_url()))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(no_basic.status(), 401);

    let wrong_grant = http()
        .post(format!("{}/oauth/token", sim.base_url()))
        .basic_auth(DEMO_CLIENT_ID, Some(DEMO_CLIENT_SECRET))
        .form(&[("grant_type", "password")])
        .send()
        .await
        .unwrap();
    let r = read(wrong_grant).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.body["error"], "unsupported_grant_type");
    sim.shutdown().await;
}

#[tokio::test]
async fn demo_client_can_be_refused() {
    let sim = Sim::builder().without_demo_client().start().await.unwrap();
    let r = token_for(&sim, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET).await;
    assert_eq!(r.status(), 401);
    sim.shutdown().await;
}

#[tokio::test]
async fn api_calls_need_a_valid_token() {
    let api = Api::start(Sim::builder()).await;
    let url = api.url("/api/v2/routing/queues");

    let r = read(http().get(&url).send().await.unwrap()).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.code(), "authentication.required");
    assert_eq!(
        r.body["contextId"].as_str(),
        r.header("inin-correlation-id")
    );

    let r = read(
        http()
            .get(&url)
            .bearer_auth("not-a-token")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, 401);
    assert_eq!(r.code(), "bad.credentials");

    assert_eq!(api.get("/api/v2/routing/queues").await.status, 200);
    api.sim.expire_tokens();
    let r = api.get("/api/v2/routing/queues").await;
    assert_eq!(r.status, 401);
    assert_eq!(r.code(), "bad.credentials");
}

#[tokio::test]
async fn tokens_expire_after_their_lifetime() {
    let api = Api::start(Sim::builder().token_lifetime(Duration::from_millis(300))).await;
    assert_eq!(api.get("/api/v2/organizations/me").await.status, 200);
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(api.get("/api/v2/organizations/me").await.status, 401);
}

#[tokio::test]
async fn token_and_org_info() {
    let api = Api::start(Sim::builder()).await;
    let me = api.get("/api/v2/tokens/me").await;
    assert_eq!(me.status, 200);
    assert_eq!(me.body["organization"]["id"], DEFAULT_ORG_ID);
    assert_eq!(me.body["OAuthClient"]["id"], DEMO_CLIENT_ID);
    let org = api.get("/api/v2/organizations/me").await;
    assert_eq!(org.body["name"], switchboard_sim::DEFAULT_ORG_NAME);
    assert_eq!(org.body["state"], "active");
    let home = api.get("/api/v2/authorization/divisions/home").await;
    assert_eq!(home.body["homeDivision"], Value::Bool(true));
    assert_eq!(api.delete("/api/v2/tokens/me").await.status, 204);
    assert_eq!(api.get("/api/v2/tokens/me").await.status, 401);
}

#[tokio::test]
async fn unknown_routes_and_methods_are_404() {
    let api = Api::start(Sim::builder()).await;
    for path in ["/api/v2/queues", "/api/v2/routing/queuez", "/nothing"] {
        let r = api.get(path).await;
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(r.code(), "not.found");
    }
}

#[tokio::test]
async fn operations_not_simulated_say_so() {
    let api = Api::start(Sim::builder().fixture(crate::support::example_fixture())).await;
    let ana = api.user_id("ana.silva@example.com").await;
    let patch = api
        .patch(
            &format!("/api/v2/users/{ana}"),
            serde_json::json!({"version": 1}),
        )
        .await;
    assert_eq!((patch.status, patch.code()), (404, "not.found"));
    let message = patch.body["message"].as_str().unwrap();
    assert!(
        message.contains("does not simulate PATCH /api/v2/users/{userId}"),
        "{message}"
    );
    let queues = api.get(&format!("/api/v2/users/{ana}/queues")).await;
    assert_eq!(queues.status, 404);
    assert!(
        queues.body["message"]
            .as_str()
            .unwrap()
            .contains("does not simulate GET /api/v2/users/{userId}/queues")
    );
    let unknown = api.get("/api/v2/queues").await;
    assert_eq!(
        unknown.body["message"],
        "The requested resource was not found."
    );
}
