//! A watch session at trace level, every log line captured: the webhook secret, the
//! signatures it makes, the notify URL's path and the API's tokens must appear nowhere.

use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use axum::routing::post;
use secrecy::SecretString;
use serde_json::json;
use switchboard_watch::signature::{sign, signed_headers};
use switchboard_watch::{
    CancellationToken, Health, NotificationSource, Notifier, NotifyRetry, Receiver, ReceiverConfig,
    SourceOptions, audit_topic, queue_users_topic,
};
use tokio::sync::mpsc;

use crate::support::{change_about, client, eventually, queue_id, sim};

const SECRET: &str = "watch-s3cr3t-that-must-never-leak";
const HOOK_PATH: &str = "/services/T000/B000/hook-path-credential";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn no_secret_appears_in_logs_errors_or_debug_output() {
    let _ = tracing_log::LogTracer::init();
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let (mut forbidden, mut shown) = tracing::subscriber::with_default(subscriber, || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(session())
    });
    shown.push_str(&String::from_utf8_lossy(&captured.0.lock().unwrap()));

    for expected in [
        "webhook refused: bad signature",
        "drift notification failed; retrying",
        "notification socket dropped; reconnecting",
        "notification socket reconnected",
    ] {
        assert!(shown.contains(expected), "not logged: {expected}");
    }
    forbidden.push(SECRET.to_string());
    forbidden.push(HOOK_PATH.to_string());
    for needle in &forbidden {
        assert!(
            !shown.contains(needle.as_str()),
            "a secret leaked: …{}…",
            &needle[..needle.len().min(12)]
        );
    }
}

/// Every path that logs or formats: the receiver refusing and accepting, the notifier
/// retrying and being refused, the source connecting, dropping and reconnecting. Returns
/// the values that must not be shown, and everything printed.
async fn session() -> (Vec<String>, String) {
    let secret = || SecretString::from(SECRET);
    let mut forbidden = Vec::new();
    let mut printed = String::new();

    // The receiver: a forgery whose real signature must not be logged, then a good request.
    let (tx, mut rx) = mpsc::channel(16);
    let receiver = Receiver::bind(
        ReceiverConfig::new("127.0.0.1:0".parse().unwrap(), secret()),
        tx,
        Health::new(),
    )
    .await
    .unwrap();
    let addr = receiver.local_addr();
    printed.push_str(&format!("{receiver:?}"));
    let stop = CancellationToken::new();
    let serving = tokio::spawn(receiver.serve(stop.clone()));
    let body = serde_json::to_vec(&json!({"topicName": queue_users_topic("q1"), "eventBody": {}}))
        .unwrap();
    let now = chrono::Utc::now().timestamp();
    forbidden.push(
        sign(&secret(), now, &body)
            .trim_start_matches("sha256=")
            .to_string(),
    );
    let http = reqwest::Client::new();
    let forged = http
        .post(format!("http://{addr}/events"))
        .headers(signed_headers(&SecretString::from("wrong"), now, &body))
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 401);
    printed.push_str(&forged.text().await.unwrap());
    let good = http
        .post(format!("http://{addr}/events"))
        .headers(signed_headers(&secret(), now, &body))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(good.status(), 202);
    assert!(rx.recv().await.is_some());
    stop.cancel();
    serving.await.unwrap().unwrap();

    // The notifier: a retry, then a refusal, on a URL with a credential in its path.
    let hook = hook_server(vec![503, 200, 400]).await;
    let notifier = Notifier::new(&format!("http://{hook}{HOOK_PATH}"), Some(secret()))
        .unwrap()
        .with_retry(NotifyRetry {
            base_delay: std::time::Duration::from_millis(10),
            ..NotifyRetry::default()
        });
    printed.push_str(&format!("{notifier:?}"));
    notifier.send(&json!({"drift": 1})).await.unwrap();
    let refused = notifier.send(&json!({"drift": 2})).await.unwrap_err();
    printed.push_str(&format!("{refused} {refused:?}"));

    // The source: connect, a change, a drop and a reconnect.
    let sim = sim().start().await.unwrap();
    let sales = queue_id(&sim, "Sales EN");
    let (tx, mut rx) = mpsc::channel(16);
    let options = SourceOptions {
        reconnect_min: std::time::Duration::from_millis(20),
        ..SourceOptions::default()
    };
    let source = NotificationSource::start(
        client(&sim),
        vec![audit_topic("Queue", &sales)],
        tx,
        options,
    )
    .await
    .unwrap();
    printed.push_str(&format!("{source:?}"));
    sim.drop_sockets();
    eventually("a reconnect", || source.stats().reconnects >= 1).await;
    sim.admin()
        .set_queue_field("Sales EN", "/description", json!("logged"))
        .unwrap();
    change_about(&mut rx, &sales).await;
    source.shutdown().await;
    forbidden.extend(sim.issued_tokens());
    (forbidden, printed)
}

/// A server answering the given statuses in turn (the last repeats).
async fn hook_server(statuses: Vec<u16>) -> SocketAddr {
    let served = Arc::new(Mutex::new(0usize));
    let app = axum::Router::new().route(
        HOOK_PATH,
        post(move || {
            let served = served.clone();
            let statuses = statuses.clone();
            async move {
                let mut n = served.lock().unwrap();
                let status = statuses[(*n).min(statuses.len() - 1)];
                *n += 1;
                StatusCode::from_u16(status).unwrap()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}
