//! The drift notifier against a local HTTP server that answers what each test scripts.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use secrecy::SecretString;
use serde_json::json;
use switchboard_watch::signature::verify;
use switchboard_watch::{Notifier, NotifyError, NotifyRetry};

const SECRET: &str = "notifier-test-secret";

/// What the server answers, request by request (the last answer repeats), and what it got.
#[derive(Default)]
struct Script {
    answers: Vec<(u16, Option<&'static str>)>,
    received: Vec<(HeaderMap, Bytes)>,
}

async fn answer(
    State(script): State<Arc<Mutex<Script>>>,
    headers: HeaderMap,
    body: Bytes,
) -> impl IntoResponse {
    let mut script = script.lock().unwrap();
    let n = script.received.len();
    script.received.push((headers, body));
    let (status, retry_after) = script.answers[n.min(script.answers.len() - 1)];
    let mut response = StatusCode::from_u16(status).unwrap().into_response();
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert("retry-after", seconds.parse().unwrap());
    }
    response
}

async fn server(answers: Vec<(u16, Option<&'static str>)>) -> (SocketAddr, Arc<Mutex<Script>>) {
    let script = Arc::new(Mutex::new(Script {
        answers,
        received: Vec::new(),
    }));
    let app = Router::new()
        .route("/hook/secret-path", post(answer))
        .with_state(script.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (addr, script)
}

fn fast() -> NotifyRetry {
    NotifyRetry {
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(100),
        ..NotifyRetry::default()
    }
}

fn notifier(addr: SocketAddr, secret: Option<&str>) -> Notifier {
    Notifier::new(
        &format!("http://{addr}/hook/secret-path"),
        secret.map(SecretString::from),
    )
    .unwrap()
    .with_retry(fast())
}

#[tokio::test]
async fn server_errors_are_retried_and_every_attempt_is_signed() {
    let (addr, script) = server(vec![(503, None), (503, None), (200, None)]).await;
    let payload = json!({"drift": [{"address": "queue.Billing EN", "action": "update"}]});
    notifier(addr, Some(SECRET)).send(&payload).await.unwrap();
    let script = script.lock().unwrap();
    assert_eq!(script.received.len(), 3);
    let now = chrono::Utc::now().timestamp();
    for (headers, body) in &script.received {
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(body).unwrap(),
            payload
        );
        assert_eq!(headers["content-type"], "application/json");
        verify(&SecretString::from(SECRET), headers, body, now).unwrap();
    }
}

#[tokio::test]
async fn client_errors_are_final() {
    let (addr, script) = server(vec![(400, None), (200, None)]).await;
    let error = notifier(addr, Some(SECRET))
        .send(&json!({}))
        .await
        .unwrap_err();
    assert!(
        matches!(error, NotifyError::Refused { status: 400, .. }),
        "{error}"
    );
    assert_eq!(script.lock().unwrap().received.len(), 1);
    // The message names the host only: webhook URLs carry credentials in their path.
    let shown = error.to_string();
    assert!(
        shown.contains("http://127.0.0.1") && !shown.contains("secret-path"),
        "{shown}"
    );
}

#[tokio::test]
async fn rate_limits_are_waited_out() {
    let (addr, script) = server(vec![(429, Some("1")), (204, None)]).await;
    notifier(addr, None).send(&json!({"n": 1})).await.unwrap();
    let script = script.lock().unwrap();
    assert_eq!(script.received.len(), 2);
    // Unsigned without a secret.
    assert!(
        script.received[0]
            .0
            .get("x-switchboard-signature")
            .is_none()
    );
}

#[tokio::test]
async fn a_long_retry_after_ends_the_delivery() {
    let (addr, script) = server(vec![(429, Some("3600"))]).await;
    let error = notifier(addr, None).send(&json!({})).await.unwrap_err();
    assert!(
        matches!(error, NotifyError::RetryAfterTooLong { .. }),
        "{error}"
    );
    assert_eq!(script.lock().unwrap().received.len(), 1);
}

#[tokio::test]
async fn an_unreachable_url_gives_up_after_the_attempts() {
    // Bound, then closed: nothing listens there.
    let addr = {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap()
    };
    let error = notifier(addr, None).send(&json!({})).await.unwrap_err();
    assert!(
        matches!(error, NotifyError::GaveUp { attempts: 5, .. }),
        "{error}"
    );
}
