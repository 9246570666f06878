use switchboard_client::Error;
use switchboard_sim::{FaultAction, FaultRule, RunningSim};

use crate::harness::{client, requests, sim, sim_with};

async fn with_raw(status: u16, content_type: &str, body: &str) -> (RunningSim, Error) {
    let action = FaultAction::Raw {
        status,
        content_type: content_type.into(),
        body: body.into(),
    };
    let rule = FaultRule::new(action).path_prefix("/api/v2/routing/skills");
    let sim = sim_with(rule).await;
    let error = client(&sim).list_skills().await.unwrap_err();
    (sim, error)
}

#[tokio::test]
async fn an_html_page_from_a_proxy_is_a_typed_error() {
    let (sim, error) = with_raw(
        200,
        "text/html",
        "<html><body><h1>Welcome to nginx</h1></body></html>",
    )
    .await;
    let Error::Decode(decode) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(decode.content_type, "text/html");
    assert!(decode.snippet.contains("Welcome to nginx"));
    let message = error.to_string();
    assert!(
        message.contains("GET /api/v2/routing/skills") && message.contains("proxy"),
        "{message}"
    );
    assert_eq!(requests(&sim, "GET", "/api/v2/routing/skills").len(), 1);
}

#[tokio::test]
async fn truncated_json_wrong_types_and_empty_bodies_are_typed_errors() {
    for body in [
        r#"{"entities": [{"id": "a", "na"#,
        r#"{"entities": "many"}"#,
        "",
        "   ",
    ] {
        let (_sim, error) = with_raw(200, "application/json", body).await;
        assert!(matches!(error, Error::Decode(_)), "{body:?}: {error:?}");
    }
}

#[tokio::test]
async fn an_html_error_page_is_an_api_error_with_its_status() {
    let (_sim, error) = with_raw(403, "text/html", "<html>Forbidden by proxy</html>").await;
    assert_eq!(error.status(), Some(403));
    let message = error.to_string();
    assert!(
        message.contains("routing:skill:view"),
        "the hint names the permission: {message}"
    );
}

#[tokio::test]
async fn a_redirect_is_never_followed() {
    let action = FaultAction::Redirect {
        location: "/api/v2/routing/skills".into(),
    };
    let rule = FaultRule::new(action).path_prefix("/api/v2/routing/skills");
    let sim = sim_with(rule).await;
    let error = client(&sim).list_skills().await.unwrap_err();
    assert_eq!(error.status(), Some(302));
    assert!(error.to_string().contains("redirect"), "{error}");
    assert_eq!(requests(&sim, "GET", "/api/v2/routing/skills").len(), 1);
}

#[tokio::test]
async fn an_unreachable_host_is_a_connect_error() {
    let sim = sim().start().await.unwrap();
    let dead = client_for_closed_port(&sim).await;
    let error = dead.organization().await.unwrap_err();
    assert!(error.to_string().contains("could not connect"), "{error}");
}

async fn client_for_closed_port(sim: &RunningSim) -> switchboard_client::Client {
    // Bind and drop a listener to find a port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    crate::harness::client_with(sim, |config| {
        let url = format!("http://127.0.0.1:{port}");
        config.hosts = switchboard_client::Hosts::from_urls(&url, &url).unwrap();
        config.retry.max_attempts = 2;
    })
}
