//! A tiny HTTP/1.1 server on 127.0.0.1, port 0, that answers exactly what a test sets:
//! any status, any headers (a lying `Content-Length` included), any bytes. The simulator is
//! strict and well-behaved; this one is neither, on purpose.
//!
//! `/oauth/token` gets the token answer, every other path the API answer, or what a route
//! set with [`RawServer::route`] answers for the request. In a body, `{authorization}` is
//! replaced by the request's `Authorization` header, as an echo service or a debugging proxy
//! would repeat it. Every API request is kept, for tests to read ([`RawServer::requests`]).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use switchboard_client::{Client, ClientConfig, Credentials, Hosts, RateBudget, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The client id the raw server's clients use.
pub const CLIENT_ID: &str = "raw-client";
/// The client secret the raw server's clients use.
pub const CLIENT_SECRET: &str = "raw-secret-that-must-never-leak";
/// The access token the default token answer issues.
pub const ISSUED_TOKEN: &str = "issued-token-that-must-never-leak";

/// One answer: status, headers, body.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// Headers, written as given. A `content-length` here replaces the true one and the
    /// connection is closed after the answer.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Answer {
    /// A JSON answer.
    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Answer {
        Answer {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.into(),
        }
    }

    /// An answer with this content type.
    pub fn typed(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Answer {
        Answer {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.into(),
        }
    }

    /// With one more header.
    pub fn header(mut self, name: &str, value: &str) -> Answer {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// A good token answer.
    pub fn token() -> Answer {
        Answer::json(
            200,
            format!(
                r#"{{"access_token":"{ISSUED_TOKEN}","token_type":"bearer","expires_in":86400}}"#
            ),
        )
    }
}

/// An API request as the raw server received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The method.
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query, without `?` (empty when there is none).
    pub query: String,
    /// The body.
    pub body: Vec<u8>,
}

impl Received {
    /// The decoded values of query parameter `name`, in order.
    pub fn query_values(&self, name: &str) -> Vec<String> {
        url::form_urlencoded::parse(self.query.as_bytes())
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
            .collect()
    }

    /// The body as JSON (`null` when it is not).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// What answers an API request, given the request.
pub type Route = Arc<dyn Fn(&Received) -> Answer + Send + Sync>;

struct Answers {
    token: Answer,
    api: Answer,
    route: Option<Route>,
    received: Vec<Received>,
}

impl std::fmt::Debug for Answers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Answers")
            .field("token", &self.token)
            .field("api", &self.api)
            .field("route", &self.route.is_some())
            .field("received", &self.received.len())
            .finish()
    }
}

/// A running raw server; stops when dropped.
#[derive(Debug)]
pub struct RawServer {
    addr: SocketAddr,
    answers: Arc<Mutex<Answers>>,
    api_requests: Arc<AtomicU64>,
    token_requests: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl RawServer {
    /// Starts a server answering a good token and `api` for everything else.
    pub async fn start(api: Answer) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let answers = Arc::new(Mutex::new(Answers {
            token: Answer::token(),
            api,
            route: None,
            received: Vec::new(),
        }));
        let api_requests = Arc::new(AtomicU64::new(0));
        let token_requests = Arc::new(AtomicU64::new(0));
        let task = tokio::spawn({
            let (answers, api_requests, token_requests) = (
                answers.clone(),
                api_requests.clone(),
                token_requests.clone(),
            );
            async move {
                while let Ok((stream, _)) = listener.accept().await {
                    let (answers, api_requests, token_requests) = (
                        answers.clone(),
                        api_requests.clone(),
                        token_requests.clone(),
                    );
                    tokio::spawn(async move {
                        let _ = serve(stream, &answers, &api_requests, &token_requests).await;
                    });
                }
            }
        });
        RawServer {
            addr,
            answers,
            api_requests,
            token_requests,
            task,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Answers `answer` to every API request from now on.
    pub fn set_api(&self, answer: Answer) {
        self.answers.lock().unwrap().api = answer;
    }

    /// Answers every API request from now on with what `route` makes of it.
    pub fn route(&self, route: impl Fn(&Received) -> Answer + Send + Sync + 'static) {
        self.answers.lock().unwrap().route = Some(Arc::new(route));
    }

    /// The API requests received so far, in order.
    pub fn requests(&self) -> Vec<Received> {
        self.answers.lock().unwrap().received.clone()
    }

    /// Answers `answer` to every token request from now on.
    pub fn set_token(&self, answer: Answer) {
        self.answers.lock().unwrap().token = answer;
    }

    /// API requests served so far.
    pub fn api_requests(&self) -> u64 {
        self.api_requests.load(Ordering::SeqCst)
    }

    /// Token requests served so far.
    pub fn token_requests(&self) -> u64 {
        self.token_requests.load(Ordering::SeqCst)
    }

    /// The client settings for this server: fast retries, a short timeout, a budget that
    /// never throttles.
    pub fn config(&self) -> ClientConfig {
        let url = self.url();
        let hosts = Hosts::from_urls(&url, &url).unwrap();
        let mut config = ClientConfig::new(hosts, Credentials::new(CLIENT_ID, CLIENT_SECRET));
        config.retry = RetryPolicy {
            max_attempts: 3,
            min_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(4),
            ..RetryPolicy::default()
        };
        config.request_timeout = Duration::from_secs(5);
        config.rate_budget = RateBudget {
            requests: 1_000_000.try_into().unwrap(),
            window: Duration::from_secs(1),
        };
        config
    }

    /// A client with [`RawServer::config`].
    pub fn client(&self) -> Client {
        Client::new(self.config()).unwrap()
    }
}

/// The largest request head read.
const MAX_HEAD: usize = 64 * 1024;

/// Serves the requests of one connection, keeping it alive while the answers' framing is
/// sound.
async fn serve(
    mut stream: TcpStream,
    answers: &Mutex<Answers>,
    api_requests: &AtomicU64,
    token_requests: &AtomicU64,
) -> std::io::Result<()> {
    let mut buffer = Vec::new();
    loop {
        let head_end = loop {
            if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break end + 4;
            }
            if buffer.len() > MAX_HEAD {
                return Ok(());
            }
            let mut chunk = [0u8; 4096];
            let read = stream.read(&mut chunk).await?;
            if read == 0 {
                return Ok(());
            }
            buffer.extend_from_slice(&chunk[..read]);
        };
        let head = String::from_utf8_lossy(&buffer[..head_end]).to_string();
        let method = head.split_whitespace().next().unwrap_or("GET").to_string();
        let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
        let header = |name: &str| {
            head.lines().skip(1).find_map(|line| {
                let (key, value) = line.split_once(':')?;
                key.trim()
                    .eq_ignore_ascii_case(name)
                    .then(|| value.trim().to_string())
            })
        };
        let length: usize = header("content-length")
            .and_then(|value| value.parse().ok())
            .unwrap_or(0);
        let authorization = header("authorization").unwrap_or_default();
        while buffer.len() < head_end + length {
            let mut chunk = [0u8; 4096];
            let read = stream.read(&mut chunk).await?;
            if read == 0 {
                return Ok(());
            }
            buffer.extend_from_slice(&chunk[..read]);
        }
        let body = buffer[head_end..head_end + length].to_vec();
        buffer.drain(..head_end + length);

        let answer = {
            let mut answers = answers.lock().unwrap();
            if path.starts_with("/oauth/token") {
                token_requests.fetch_add(1, Ordering::SeqCst);
                answers.token.clone()
            } else {
                api_requests.fetch_add(1, Ordering::SeqCst);
                let (path, query) = path.split_once('?').unwrap_or((&path, ""));
                let received = Received {
                    method,
                    path: path.to_string(),
                    query: query.to_string(),
                    body,
                };
                let answer = match &answers.route {
                    Some(route) => route(&received),
                    None => answers.api.clone(),
                };
                answers.received.push(received);
                answer
            }
        };
        let body = replace(&answer.body, b"{authorization}", authorization.as_bytes());
        let lying_length = answer
            .headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("content-length"));
        let bodiless = matches!(answer.status, 100..=199 | 204 | 304);
        let mut out = format!("HTTP/1.1 {} Answer\r\n", answer.status).into_bytes();
        for (name, value) in &answer.headers {
            out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        if !lying_length && !bodiless {
            out.extend_from_slice(format!("content-length: {}\r\n", body.len()).as_bytes());
        }
        let close = lying_length || bodiless;
        if close {
            out.extend_from_slice(b"connection: close\r\n");
        }
        out.extend_from_slice(b"\r\n");
        if !bodiless {
            out.extend_from_slice(&body);
        }
        stream.write_all(&out).await?;
        stream.flush().await?;
        if close {
            let _ = stream.shutdown().await;
            return Ok(());
        }
    }
}

fn replace(body: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.windows(from.len()).position(|w| w == from) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(to);
        rest = &rest[at + from.len()..];
    }
    out.extend_from_slice(rest);
    out
}
