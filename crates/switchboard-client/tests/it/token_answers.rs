//! The token endpoint's answers are never repeated: not in an error's `Display` or `Debug`,
//! not in a log line, whether the answer is a success the client cannot read or a refusal.
//! And an API answer that echoes the request's `Authorization` header does not get the
//! token quoted either.

use switchboard_client::Error;

use crate::raw_server::{Answer, CLIENT_SECRET, RawServer};

/// A string shaped like an access token, planted in the answers.
const PLANTED: &str = "eyJhbGciOiJIUzI1NiJ9.planted-token-value.c2lnbmF0dXJl";

/// What the client shows of `error`: its `Display` and `Debug`.
fn shown(error: &Error) -> String {
    format!("{error}\n{error:?}")
}

fn assert_unquoted(error: &Error) {
    let shown = shown(error);
    for needle in [PLANTED, "planted-token", CLIENT_SECRET] {
        assert!(!shown.contains(needle), "{needle} is quoted in: {shown}");
    }
}

/// Asks for a token from a server answering `token`, and returns the error.
async fn token_error(token: Answer) -> Error {
    let server = RawServer::start(Answer::json(200, "{}")).await;
    server.set_token(token);
    let error = server.client().organization().await.unwrap_err();
    assert_eq!(server.api_requests(), 0, "no API request without a token");
    error
}

#[tokio::test]
async fn a_token_answer_that_is_not_json_is_described_not_quoted() {
    for (content_type, body) in [
        (
            "text/html",
            format!("<html><body>access_token={PLANTED}</body></html>"),
        ),
        (
            "application/json",
            format!(r#"{{"access_token":"{PLANTED}","expires_in":86400"#),
        ),
        ("application/json", PLANTED.to_string()),
        ("application/json", String::new()),
    ] {
        let error = token_error(Answer::typed(200, content_type, body.clone())).await;
        assert_unquoted(&error);
        let Error::Decode(decode) = &error else {
            panic!("{body}: {error:?}")
        };
        assert!(decode.snippet.is_empty(), "{decode:?}");
        let message = error.to_string();
        assert!(
            message.starts_with("POST /oauth/token:")
                && (message.contains("the token answer is not JSON")
                    || message.contains("the token answer is empty")),
            "{message}"
        );
        assert!(!message.contains("body starts"), "{message}");
    }
}

#[tokio::test]
async fn a_mistyped_field_is_named_by_its_name_only() {
    for (body, expected) in [
        (
            format!(r#"{{"access_token":{{"value":"{PLANTED}"}},"expires_in":86400}}"#),
            "the token answer's `access_token` is not a string",
        ),
        (
            r#"{"access_token":1234567890123456789,"expires_in":86400}"#.to_string(),
            "the token answer's `access_token` is not a string",
        ),
        (
            format!(r#"{{"token":"{PLANTED}","expires_in":86400}}"#),
            "the token answer has no `access_token`",
        ),
        (
            format!(r#"{{"access_token":"{PLANTED}","expires_in":"in {PLANTED}"}}"#),
            "the token answer's `expires_in` is not a whole number of seconds",
        ),
        (
            format!(r#"{{"access_token":"{PLANTED}","expires_in":-1}}"#),
            "the token answer's `expires_in` is not a whole number of seconds",
        ),
        (
            format!(r#"{{"access_token":"{PLANTED}"}}"#),
            "the token answer has no `expires_in`",
        ),
        (
            format!(r#"{{"access_token":"{PLANTED} with spaces","expires_in":60}}"#),
            "the token answer's `access_token` holds characters a bearer token cannot have",
        ),
        (
            format!(r#"["{PLANTED}"]"#),
            "the token answer is not a JSON object",
        ),
    ] {
        let error = token_error(Answer::json(200, body.clone())).await;
        assert_unquoted(&error);
        assert!(matches!(error, Error::Decode(_)), "{body}: {error:?}");
        assert!(error.to_string().contains(expected), "{body}: {error}");
    }
}

#[tokio::test]
async fn a_refusal_keeps_only_a_well_formed_oauth_code_and_a_hint() {
    let cases = [
        // The common refusal: its code is kept, its description is not.
        (
            401,
            "application/json",
            format!(r#"{{"error":"invalid_client","error_description":"{PLANTED}"}}"#),
            Some("invalid_client"),
            "GENESYS_CLIENT_SECRET",
        ),
        (
            400,
            "application/json",
            format!(r#"{{"error":"unauthorized_client","description":"{PLANTED}"}}"#),
            Some("unauthorized_client"),
            "Client Credentials",
        ),
        // A code that is not an OAuth code is dropped.
        (
            400,
            "application/json",
            format!(r#"{{"error":"{PLANTED}"}}"#),
            None,
            "GENESYS_CLIENT_SECRET",
        ),
        (
            401,
            "application/json",
            r#"{"error":"Invalid_Client"}"#.to_string(),
            None,
            "GENESYS_CLIENT_SECRET",
        ),
        (
            400,
            "application/json",
            format!(r#"{{"error":"{}"}}"#, "a".repeat(41)),
            None,
            "GENESYS_CLIENT_SECRET",
        ),
        // A page from something else: said, not quoted.
        (
            401,
            "text/html",
            format!("<html>{PLANTED}</html>"),
            None,
            "GENESYS_CLIENT_SECRET",
        ),
        (
            404,
            "text/plain",
            format!("no route for {PLANTED}"),
            None,
            "GENESYS_LOGIN_URL",
        ),
    ];
    for (status, content_type, body, code, hint) in cases {
        let error = token_error(Answer::typed(status, content_type, body.clone())).await;
        assert_unquoted(&error);
        let Error::Auth(auth) = &error else {
            panic!("{body}: {error:?}")
        };
        assert_eq!(auth.status, status);
        assert_eq!(auth.error.as_deref(), code, "{body}");
        let message = error.to_string();
        assert!(
            message.contains("raw-client")
                && message.contains("\nhint: ")
                && message.contains(hint),
            "{body}: {message}"
        );
        if content_type != "application/json" {
            assert!(message.contains(content_type), "{message}");
        }
    }
}

#[tokio::test]
async fn a_retried_refusal_quotes_nothing_either() {
    for status in [429, 503] {
        let server = RawServer::start(Answer::json(200, "{}")).await;
        server.set_token(Answer::json(
            status,
            format!(r#"{{"error":"temporarily_unavailable","error_description":"{PLANTED}"}}"#),
        ));
        let error = server.client().organization().await.unwrap_err();
        assert_unquoted(&error);
        assert!(matches!(error, Error::RetriesExhausted { .. }), "{error:?}");
        assert!(server.token_requests() > 1);
    }
}

#[tokio::test]
async fn an_api_answer_echoing_the_authorization_header_does_not_quote_the_token() {
    let server = RawServer::start(Answer::json(200, "{}")).await;
    let client = server.client();
    for answer in [
        Answer::typed(200, "text/html", "<html>you sent {authorization}</html>"),
        Answer::json(
            200,
            r#"{"name":"{authorization}","version":"not a number"}"#,
        ),
        Answer::json(200, r#"{"entities":"{authorization}"}"#),
        Answer::json(
            400,
            r#"{"message":"bad header {authorization}","code":"bad.request"}"#,
        ),
        Answer::typed(403, "text/plain", "forbidden: {authorization}"),
    ] {
        server.set_api(answer.clone());
        let error = match client.organization().await {
            Err(error) => error,
            Ok(_) => client.list_skills().await.unwrap_err(),
        };
        let shown = shown(&error);
        assert!(
            !shown.contains(crate::raw_server::ISSUED_TOKEN),
            "{answer:?}: {shown}"
        );
        assert!(shown.contains("[redacted]"), "{answer:?}: {shown}");
    }
}

/// Every answer above, at trace level: no log line quotes a token answer either.
#[test]
fn no_log_line_quotes_a_token_answer() {
    let ((), logged) = crate::harness::traced(async {
        for token in [
            Answer::typed(200, "text/html", format!("<html>{PLANTED}</html>")),
            Answer::json(200, format!(r#"{{"access_token":{{"v":"{PLANTED}"}}}}"#)),
            Answer::json(
                401,
                format!(r#"{{"error":"invalid_client","error_description":"{PLANTED}"}}"#),
            ),
            Answer::json(503, format!(r#"{{"error":"{PLANTED}"}}"#)),
        ] {
            let error = token_error(token).await;
            tracing::error!(%error, "as a caller would log it");
        }
        // A good token, then an API answer echoing it.
        let server = RawServer::start(Answer::json(200, "{\"name\":{authorization}}")).await;
        let error = server.client().organization().await.unwrap_err();
        tracing::error!(%error, ?error, "as a caller would log it");
    });

    assert!(logged.contains("oauth/token"), "the session was logged");
    for needle in [
        PLANTED,
        "planted-token",
        CLIENT_SECRET,
        crate::raw_server::ISSUED_TOKEN,
    ] {
        assert!(!logged.contains(needle), "{needle} was logged");
    }
}
