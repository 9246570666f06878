//! Every number a server gives that the client turns into a duration, an instant, a size or
//! a count of requests, at its extremes: the token lifetime, `Retry-After`, the
//! `inin-ratelimit-*` headers, `Content-Length`, and the audit queries' `pageCount` and
//! cursor. Each call returns, in bounded time, `Ok` or a typed error; none panics.

use std::time::{Duration, Instant};

use switchboard_client::Error;
use switchboard_client::models::AuditRealtimeQueryRequest;

use crate::raw_server::{Answer, ISSUED_TOKEN, RawServer};

/// The most any call here may take.
const BOUND: Duration = Duration::from_secs(20);

/// Values no header parser should take at face value.
const EXTREMES: &[&str] = &[
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999999999999",
    "9223372036854775807",
    "-1",
    "-9223372036854775808",
    "1e400",
    "1.5",
    "NaN",
    "soon",
    "",
    "Fri, 31 Dec 9999 23:59:59 GMT",
];

async fn bounded<T>(call: impl Future<Output = T>) -> T {
    tokio::time::timeout(BOUND, call)
        .await
        .expect("hang: the call did not return in time")
}

#[tokio::test]
async fn any_token_lifetime_is_used_without_panic() {
    for expires_in in [
        "18446744073709551615",
        "1e300",
        "99999999999999999999999",
        "172801",
        "0",
        "1",
        "\"86400\"",
    ] {
        let server = RawServer::start(Answer::json(200, "{}")).await;
        server.set_token(Answer::json(
            200,
            format!(r#"{{"access_token":"{ISSUED_TOKEN}","expires_in":{expires_in}}}"#),
        ));
        let client = server.client();
        for _ in 0..3 {
            bounded(client.organization()).await.unwrap();
        }
        // Three requests at once need one token, whatever the lifetime said (a zero
        // lifetime is still used for most of a second).
        assert_eq!(server.token_requests(), 1, "expires_in {expires_in}");
    }
    for expires_in in ["-1", "-1e300", "1.5", "null", "\"soon\""] {
        let server = RawServer::start(Answer::json(200, "{}")).await;
        server.set_token(Answer::json(
            200,
            format!(r#"{{"access_token":"{ISSUED_TOKEN}","expires_in":{expires_in}}}"#),
        ));
        let error = bounded(server.client().organization()).await.unwrap_err();
        assert!(matches!(error, Error::Decode(_)), "{expires_in}: {error:?}");
        assert!(error.to_string().contains("`expires_in`"), "{error}");
    }
}

#[tokio::test]
async fn any_retry_after_gives_a_typed_error_in_bounded_time() {
    let calls = EXTREMES.iter().map(|value| async move {
        let server = RawServer::start(Answer::json(429, "{}").header("Retry-After", value)).await;
        let mut config = server.config();
        config.retry.max_attempts = 2;
        let client = switchboard_client::Client::new(config).unwrap();
        let started = Instant::now();
        let error = bounded(client.organization()).await.unwrap_err();
        (value, error, started.elapsed())
    });
    for (value, error, elapsed) in futures::future::join_all(calls).await {
        match *value {
            // More than the 180 s switchboard obeys: refused at once.
            "18446744073709551615"
            | "18446744073709551616"
            | "99999999999999999999999999999"
            | "9223372036854775807" => {
                assert!(
                    matches!(error, Error::RetryAfterTooLong { .. }),
                    "{value}: {error:?}"
                );
                assert!(elapsed < Duration::from_secs(2), "{value}: {elapsed:?}");
            }
            // Not a number of seconds: ignored, the backoff applies.
            _ => {
                assert!(
                    matches!(error, Error::RetriesExhausted { .. }),
                    "{value}: {error:?}"
                );
                assert_eq!(error.status(), Some(429), "{value}");
            }
        }
    }
}

#[tokio::test]
async fn a_refused_retry_after_does_not_stall_the_next_request() {
    let server =
        RawServer::start(Answer::json(429, "{}").header("Retry-After", "18446744073709551615"))
            .await;
    let client = server.client();
    let error = bounded(client.organization()).await.unwrap_err();
    assert!(
        matches!(error, Error::RetryAfterTooLong { .. }),
        "{error:?}"
    );
    server.set_api(Answer::json(200, "{}"));
    let started = Instant::now();
    bounded(client.organization()).await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the token was paused for {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn any_rate_limit_headers_are_survived() {
    let mut calls = Vec::new();
    for count in EXTREMES.iter().chain(&["300"]) {
        for reset in EXTREMES.iter().chain(&["61"]) {
            calls.push(async move {
                let answer = Answer::json(200, "{}")
                    .header("inin-ratelimit-count", count)
                    .header("inin-ratelimit-allowed", "300")
                    .header("inin-ratelimit-reset", reset);
                let server = RawServer::start(answer).await;
                // The answer is taken; a pause, if any, holds only later requests.
                bounded(server.client().organization()).await.unwrap();
            });
        }
    }
    futures::future::join_all(calls).await;
    for allowed in EXTREMES {
        let answer = Answer::json(200, "{}")
            .header("inin-ratelimit-count", "18446744073709551615")
            .header("inin-ratelimit-allowed", allowed)
            .header("inin-ratelimit-reset", "18446744073709551615");
        let server = RawServer::start(answer).await;
        bounded(server.client().organization()).await.unwrap();
    }
}

#[tokio::test]
async fn any_content_length_gives_a_typed_result_in_bounded_time() {
    let mut lengths: Vec<String> = EXTREMES.iter().map(ToString::to_string).collect();
    lengths.extend(["0".into(), "1".into(), "100".into(), "67108865".into()]);
    let calls = lengths.iter().map(|length| async move {
        let answer = Answer::json(200, r#"{"name":"org"}"#).header("content-length", length);
        let server = RawServer::start(answer).await;
        let mut config = server.config();
        config.retry.max_attempts = 2;
        config.request_timeout = Duration::from_secs(3);
        let client = switchboard_client::Client::new(config).unwrap();
        (length, bounded(client.organization()).await)
    });
    for (length, result) in futures::future::join_all(calls).await {
        // A length shorter than the body cuts it (a decode error); a longer or broken one
        // is a transport failure, retried and then given up.
        match result {
            Ok(_) => panic!("{length}: a body of 14 bytes read with content-length {length}"),
            Err(error) => assert!(
                matches!(
                    error,
                    Error::Decode(_) | Error::Transport { .. } | Error::RetriesExhausted { .. }
                ),
                "{length}: {error:?}"
            ),
        }
    }
}

#[tokio::test]
async fn the_audit_queries_never_follow_an_answer_for_ever() {
    let record = r#"{"id":"r1","serviceName":"Routing"}"#;
    for page_count in ["9223372036854775807", "2147483647", "1001"] {
        let server = RawServer::start(Answer::json(
            200,
            format!(r#"{{"entities":[{record}],"pageCount":{page_count}}}"#),
        ))
        .await;
        let error = bounded(
            server
                .client()
                .audit_realtime(&AuditRealtimeQueryRequest::default()),
        )
        .await
        .unwrap_err();
        assert!(
            error.to_string().contains("implausible pageCount"),
            "{error}"
        );
        assert_eq!(server.api_requests(), 1, "{page_count}");
    }
    // A plausible count is followed to its end.
    let server = RawServer::start(Answer::json(
        200,
        format!(r#"{{"entities":[{record}],"pageCount":5}}"#),
    ))
    .await;
    let records = bounded(
        server
            .client()
            .audit_realtime(&AuditRealtimeQueryRequest::default()),
    )
    .await
    .unwrap();
    assert_eq!((records.len(), server.api_requests()), (5, 5));

    // A cursor that repeats ends the read.
    let server = RawServer::start(Answer::json(
        200,
        format!(r#"{{"entities":[{record}],"cursor":"same"}}"#),
    ))
    .await;
    let records = bounded(server.client().audit_query_results("tx"))
        .await
        .unwrap();
    assert_eq!((records.len(), server.api_requests()), (2, 2));
}
