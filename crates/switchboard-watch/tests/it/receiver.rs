//! The webhook receiver: what it accepts, what it refuses, and that a refused request sends
//! nothing on.

use std::net::SocketAddr;

use secrecy::SecretString;
use serde_json::{Value, json};
use switchboard_watch::signature::{SIGNATURE_HEADER, TIMESTAMP_HEADER, signed_headers};
use switchboard_watch::{
    CancellationToken, ChangeEvent, Health, Receiver, ReceiverConfig, audit_topic,
    queue_users_topic,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::support::soon;

const SECRET: &str = "receiver-test-secret";
const QUEUE: &str = "5b5e6a2c-7d1f-4c3b-9a8e-0d15c0a1b2c3";

struct Running {
    addr: SocketAddr,
    events: mpsc::Receiver<ChangeEvent>,
    health: Health,
    stop: CancellationToken,
    task: JoinHandle<()>,
}

impl Running {
    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Asserts that nothing was sent on: every send happens before the answer.
    fn assert_nothing_sent(&mut self) {
        assert!(
            self.events.try_recv().is_err(),
            "a refused request sent a change on"
        );
    }

    async fn stop(self) {
        self.stop.cancel();
        soon("the receiver stops", self.task).await.unwrap();
    }
}

async fn start() -> Running {
    let (tx, events) = mpsc::channel(16);
    let health = Health::new();
    let config = ReceiverConfig::new("127.0.0.1:0".parse().unwrap(), SecretString::from(SECRET));
    let receiver = Receiver::bind(config, tx, health.clone()).await.unwrap();
    let addr = receiver.local_addr();
    let stop = CancellationToken::new();
    let serving = stop.clone();
    let task = tokio::spawn(async move { receiver.serve(serving).await.unwrap() });
    Running {
        addr,
        events,
        health,
        stop,
        task,
    }
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn change() -> Value {
    json!({
        "topicName": audit_topic("Queue", QUEUE),
        "version": "2",
        "eventBody": {"entityType": "Queue", "entity": {"id": QUEUE}, "action": "Update", "username": "Dana Admin"},
    })
}

async fn post(running: &Running, body: Vec<u8>, secret: &str, timestamp: i64) -> reqwest::Response {
    let headers = signed_headers(&SecretString::from(secret), timestamp, &body);
    reqwest::Client::new()
        .post(running.url("/events"))
        .headers(headers)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_signed_change_is_accepted_and_sent_on() {
    let mut running = start().await;
    let body = serde_json::to_vec(&change()).unwrap();
    let response = post(&running, body, SECRET, now()).await;
    assert_eq!(response.status(), 202);
    let event = running.events.try_recv().unwrap();
    assert_eq!(
        (
            event.entity_type.as_str(),
            event.entity_id.as_str(),
            event.action.as_deref()
        ),
        ("Queue", QUEUE, Some("Update"))
    );

    // An EventBridge event, and an array mixing a heartbeat with a membership change.
    let bridged = json!({
        "version": "0", "id": "e1", "detail-type": "v2.audits.entitytype.{id}.entityid.{id}",
        "source": "aws.partner/genesys.com/cloud/org/switchboard", "account": "123456789012",
        "time": "2026-01-01T00:00:00Z", "region": "eu-west-1", "resources": [], "detail": change(),
    });
    let response = post(
        &running,
        serde_json::to_vec(&bridged).unwrap(),
        SECRET,
        now(),
    )
    .await;
    assert_eq!(response.status(), 202);
    assert_eq!(running.events.try_recv().unwrap().entity_id, QUEUE);
    let batch = json!([
        {"topicName": "channel.metadata", "eventBody": {"message": "WebSocket Heartbeat"}},
        {"topicName": queue_users_topic(QUEUE), "eventBody": {"queueId": QUEUE, "joined": true}},
    ]);
    let response = post(&running, serde_json::to_vec(&batch).unwrap(), SECRET, now()).await;
    assert_eq!(response.status(), 202);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"accepted": 1})
    );
    assert_eq!(
        running.events.try_recv().unwrap().topic,
        queue_users_topic(QUEUE)
    );
    running.assert_nothing_sent();
    running.stop().await;
}

#[tokio::test]
async fn a_forged_signature_is_refused_and_sends_nothing() {
    let mut running = start().await;
    let body = serde_json::to_vec(&change()).unwrap();
    let response = post(&running, body.clone(), "not-the-secret", now()).await;
    assert_eq!(response.status(), 401);
    let text = response.text().await.unwrap();
    assert!(!text.contains(SECRET), "{text}");
    running.assert_nothing_sent();

    // Unsigned, stale, from the future.
    let unsigned = reqwest::Client::new()
        .post(running.url("/events"))
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), 401);
    assert_eq!(
        post(&running, body.clone(), SECRET, now() - 3600)
            .await
            .status(),
        401
    );
    assert_eq!(
        post(&running, body.clone(), SECRET, now() + 3600)
            .await
            .status(),
        401
    );

    // A valid signature over another body.
    let mut headers = signed_headers(&SecretString::from(SECRET), now(), b"{}");
    headers.remove(TIMESTAMP_HEADER);
    headers.insert(TIMESTAMP_HEADER, now().into());
    let swapped = reqwest::Client::new()
        .post(running.url("/events"))
        .headers(headers)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(swapped.status(), 401);
    running.assert_nothing_sent();
    running.stop().await;
}

#[tokio::test]
async fn bodies_over_256_kib_are_refused_and_send_nothing() {
    let mut running = start().await;
    let padding = "x".repeat(300 * 1024);
    let mut big = change();
    big["eventBody"]["padding"] = json!(padding);
    let body = serde_json::to_vec(&big).unwrap();
    let response = post(&running, body, SECRET, now()).await;
    assert_eq!(response.status(), 413);
    running.assert_nothing_sent();

    // Chunked, so that no Content-Length tells the size in advance.
    let mut stream = tokio::net::TcpStream::connect(running.addr).await.unwrap();
    let head = format!(
        "POST /events HTTP/1.1\r\nhost: {}\r\n{TIMESTAMP_HEADER}: {}\r\n{SIGNATURE_HEADER}: sha256={}\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n",
        running.addr,
        now(),
        "0".repeat(64)
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![b'x'; 64 * 1024];
    for _ in 0..5 {
        let sent = async {
            stream
                .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                .await?;
            stream.write_all(&chunk).await?;
            stream.write_all(b"\r\n").await
        };
        // The receiver may answer and close before the last chunk.
        if sent.await.is_err() {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = soon("the answer", stream.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    running.assert_nothing_sent();
    running.stop().await;
}

#[tokio::test]
async fn bodies_that_are_not_notifications_are_bad_requests() {
    let mut running = start().await;
    for body in [&b"not json"[..], b"[1, 2]", b"\"text\"", b""] {
        let response = post(&running, body.to_vec(), SECRET, now()).await;
        assert_eq!(response.status(), 400, "{}", String::from_utf8_lossy(body));
    }
    running.assert_nothing_sent();
    running.stop().await;
}

#[tokio::test]
async fn healthz_reports_the_last_check() {
    let running = start().await;
    let health = || async {
        let response = reqwest::get(running.url("/healthz")).await.unwrap();
        assert_eq!(response.status(), 200);
        response.json::<Value>().await.unwrap()
    };
    let before = health().await;
    assert_eq!(before["status"], "ok");
    assert!(before["started_at"].is_string());
    assert_eq!(before["last_check"], Value::Null);
    assert_eq!(before["last_check_outcome"], Value::Null);

    let checked: chrono::DateTime<chrono::Utc> = "2026-03-01T12:00:00Z".parse().unwrap();
    running.health.checked(checked, "drift");
    let after = health().await;
    assert_eq!(after["last_check"], "2026-03-01T12:00:00Z");
    assert_eq!(after["last_check_outcome"], "drift");
    running.stop().await;
}

#[tokio::test]
async fn an_empty_secret_is_refused() {
    let (tx, _rx) = mpsc::channel(1);
    let config = ReceiverConfig::new("127.0.0.1:0".parse().unwrap(), SecretString::from(""));
    let error = Receiver::bind(config, tx, Health::new()).await.unwrap_err();
    assert!(error.to_string().contains("hint:"), "{error}");
}

/// Posts `body` with exactly these `headers`, as a replaying attacker would.
async fn post_with(running: &Running, body: &[u8], headers: &reqwest::header::HeaderMap) -> u16 {
    reqwest::Client::new()
        .post(running.url("/events"))
        .headers(headers.clone())
        .header("content-type", "application/json")
        .body(body.to_vec())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_replayed_request_is_refused_and_sends_nothing() {
    let mut running = start().await;
    let body = serde_json::to_vec(&change()).unwrap();
    let headers = signed_headers(&SecretString::from(SECRET), now(), &body);
    assert_eq!(post_with(&running, &body, &headers).await, 202);
    assert_eq!(running.events.try_recv().unwrap().entity_id, QUEUE);

    // The same body, timestamp and signature again, well within the tolerance.
    assert_eq!(post_with(&running, &body, &headers).await, 409);
    running.assert_nothing_sent();
    // The signature in upper-case hex is the same signature.
    let mut upper = headers.clone();
    let shouted = headers[SIGNATURE_HEADER]
        .to_str()
        .unwrap()
        .to_uppercase()
        .replace("SHA256=", "sha256=");
    upper.insert(SIGNATURE_HEADER, shouted.parse().unwrap());
    assert_eq!(post_with(&running, &body, &upper).await, 409);
    running.assert_nothing_sent();

    // The relay's next event, even with the same body, is signed anew and accepted.
    let later = signed_headers(&SecretString::from(SECRET), now() + 1, &body);
    assert_eq!(post_with(&running, &body, &later).await, 202);
    assert_eq!(running.events.try_recv().unwrap().entity_id, QUEUE);
    running.stop().await;
}

#[tokio::test]
async fn a_request_replayed_concurrently_is_accepted_once() {
    let mut running = start().await;
    let body = serde_json::to_vec(&change()).unwrap();
    let headers = signed_headers(&SecretString::from(SECRET), now(), &body);
    let statuses =
        futures::future::join_all((0..8).map(|_| post_with(&running, &body, &headers))).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 202).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        7,
        "{statuses:?}"
    );
    assert!(running.events.try_recv().is_ok());
    running.assert_nothing_sent();
    running.stop().await;
}

#[tokio::test]
async fn a_correctly_signed_request_older_than_the_tolerance_is_refused() {
    use switchboard_watch::signature::TOLERANCE;
    let mut running = start().await;
    let body = serde_json::to_vec(&change()).unwrap();
    let tolerance = i64::try_from(TOLERANCE.as_secs()).unwrap();
    // Signed with the right secret, for its own timestamp, just past the tolerance.
    let old = post(&running, body.clone(), SECRET, now() - tolerance - 2).await;
    assert_eq!(old.status(), 401);
    let text = old.text().await.unwrap();
    assert!(!text.contains(SECRET), "{text}");
    running.assert_nothing_sent();
    // Just inside it, the same request is accepted.
    let recent = post(&running, body, SECRET, now() - tolerance + 10).await;
    assert_eq!(recent.status(), 202);
    assert!(running.events.try_recv().is_ok());
    running.stop().await;
}
