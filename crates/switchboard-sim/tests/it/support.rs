//! A small HTTP client for the tests that checks every answer against the spec.

use std::io::Write;
use std::path::PathBuf;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};

use reqwest::Method;
use reqwest::header::HeaderMap;
use serde_json::Value;
use switchboard_openapi::{Spec, ValidationMode, Violation};
use switchboard_sim::{
    DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, FaultRule, Faults, Fixture, RunningSim, Sim, SimBuilder,
};

/// The vendor's description, shared with the conformance suite; `None` after a loud notice
/// when it is absent. The simulator checks its answers itself in debug builds, against its
/// embedded cut of the description; this checks them against the description itself.
static SPEC: LazyLock<Option<Spec>> = LazyLock::new(|| {
    let Some(path) = Spec::locate() else {
        // Written past the test harness's capture, so that it is seen.
        let _ = writeln!(
            std::io::stderr(),
            "\n!!!!!! SKIPPED: openapi.json not found (set SWITCHBOARD_OPENAPI or place it at \
             ../shared/genesys/ beside the repository); the simulator's response bodies were NOT \
             checked against the API description !!!!!!\n"
        );
        return None;
    };
    Some(Spec::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
});

/// The example fixture of the repository.
pub fn example_fixture() -> Fixture {
    Fixture::from_file(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/sim-org.yaml"
    ))
    .unwrap()
}

/// A fresh path in the temp folder.
pub fn temp_path(name: &str) -> PathBuf {
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!(
        "switchboard-sim-it-{}-{n}-{name}",
        std::process::id()
    ))
}

/// An answer.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }
}

/// A simulator and a client authenticated as the demo client.
pub struct Api {
    pub sim: RunningSim,
    pub http: reqwest::Client,
    pub token: String,
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Gets a token for a client.
pub async fn token_for(sim: &RunningSim, id: &str, secret: &str) -> reqwest::Response {
    http()
        .post(format!("{}/oauth/token", sim.base_url()))
        .basic_auth(id, Some(secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap()
}

impl Api {
    pub async fn start(builder: SimBuilder) -> Api {
        let sim = builder.start().await.unwrap();
        let response = token_for(&sim, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET).await;
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.unwrap();
        Api {
            sim,
            http: http(),
            token: body["access_token"].as_str().unwrap().to_string(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sim.base_url())
    }

    /// A simulator with one fault rule.
    pub async fn with_fault(rule: FaultRule) -> Api {
        Api::start(Sim::builder().faults(Faults::none().rule(rule))).await
    }

    /// A request with the token, to finish and send by hand; nothing checks the answer.
    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, self.url(path))
            .bearer_auth(&self.token)
    }

    /// Sends a request with the token; checks the answer against the spec.
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Resp {
        let mut request = self.request(method.clone(), path);
        if let Some(b) = body {
            request = request.json(&b);
        }
        let response = request.send().await.unwrap();
        let resp = read(response).await;
        conform(&method, path, &resp);
        resp
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.call(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.call(Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Resp {
        self.call(Method::PUT, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Resp {
        self.call(Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Resp {
        self.call(Method::DELETE, path, None).await
    }

    /// Creates a queue and returns its id.
    pub async fn create_queue(&self, body: Value) -> String {
        let r = self.post("/api/v2/routing/queues", body).await;
        assert_eq!(r.status, 200, "{}", r.body);
        r.body["id"].as_str().unwrap().to_string()
    }

    /// The id of the named queue (via the name filter).
    pub async fn queue_id(&self, name: &str) -> String {
        let r = self
            .get(&format!(
                "/api/v2/routing/queues?name={}",
                name.replace(' ', "%20")
            ))
            .await;
        r.body["entities"][0]["id"].as_str().unwrap().to_string()
    }

    /// The id of a user by email (via search).
    pub async fn user_id(&self, email: &str) -> String {
        let r = self
            .post(
                "/api/v2/users/search",
                serde_json::json!({"query": [{"type": "EXACT", "fields": ["email"], "value": email}]}),
            )
            .await;
        r.body["results"][0]["id"].as_str().unwrap().to_string()
    }
}

pub async fn read(response: reqwest::Response) -> Resp {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.unwrap();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
    };
    Resp {
        status,
        headers,
        body,
    }
}

/// Every answer carries a correlation id and no `null`; error bodies are `ErrorBody`s whose
/// contextId is that id; success bodies match the operation's response schema in the vendor's
/// description (when it is present).
pub fn conform(method: &Method, path: &str, r: &Resp) {
    let correlation = r
        .header("inin-correlation-id")
        .unwrap_or_else(|| panic!("{method} {path}: no ININ-Correlation-Id"));
    assert!(
        !has_null(&r.body),
        "{method} {path}: the simulator answered a null in {}",
        r.body
    );
    if r.status >= 400 {
        assert_eq!(
            r.header("content-type"),
            Some("application/json"),
            "{method} {path}"
        );
        assert_eq!(r.body["contextId"], correlation, "{method} {path}");
        assert_eq!(r.body["status"], r.status, "{method} {path}");
    } else if !r.body.is_null() {
        assert_eq!(
            r.header("content-type"),
            Some("application/json"),
            "{method} {path}"
        );
    }
    let Some(spec) = SPEC.as_ref() else { return };
    let checked = if r.status >= 400 {
        spec.validate_definition_with("ErrorBody", &r.body, ValidationMode::Response)
    } else {
        spec.validate_response_body(method.as_str(), path, r.status, &r.body)
    };
    if let Err(found) = checked {
        let lines: Vec<String> = found.iter().map(Violation::to_string).collect();
        panic!(
            "{method} {path} [{}]: {}\nin {}",
            r.status,
            lines.join("\n"),
            r.body
        );
    }
}

/// Whether a `null` appears anywhere in `v`: the simulator leaves unset fields out.
fn has_null(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Array(items) => items.iter().any(|x| x.is_null() || has_null(x)),
        Value::Object(map) => map.values().any(|x| x.is_null() || has_null(x)),
        _ => false,
    }
}
