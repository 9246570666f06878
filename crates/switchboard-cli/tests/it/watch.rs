//! `switchboard watch` end to end against the simulator: an admin-UI edit is reported
//! moments after it happens; a forged webhook is refused and triggers nothing; a dropped
//! notification socket reconnects; `--remediate` restores the object; SIGTERM stops it.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use secrecy::SecretString;
use serde_json::{Value, json};
use switchboard_sim::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, RunningSim};
use switchboard_watch::signature::signed_headers;

use crate::org::{example, scratch, seeded_sim, switchboard};

const SECRET: &str = "watch-test-shared-secret";

/// A running `switchboard watch`, its stdout read line by line.
struct Watcher {
    child: Child,
    lines: mpsc::Receiver<Value>,
}

impl Watcher {
    fn start(sim: &RunningSim, dir: &std::path::Path, args: &[&str]) -> Watcher {
        let url = sim.base_url();
        let mut child = Command::new(env!("CARGO_BIN_EXE_switchboard"))
            .arg("watch")
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .env_remove("GENESYS_REGION")
            .env("GENESYS_BASE_URL", &url)
            .env("GENESYS_LOGIN_URL", &url)
            .env("GENESYS_CLIENT_ID", DEMO_CLIENT_ID)
            .env("GENESYS_CLIENT_SECRET", DEMO_CLIENT_SECRET)
            .env("SWITCHBOARD_WEBHOOK_SECRET", SECRET)
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let value: Value = serde_json::from_str(&line)
                    .unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
                if tx.send(value).is_err() {
                    break;
                }
            }
        });
        Watcher { child, lines }
    }

    /// The next record for which `wanted` holds, within `patience`; records passed over
    /// are returned too, for assertions on what did not happen.
    async fn wait_for(
        &self,
        patience: Duration,
        wanted: impl Fn(&Value) -> bool,
    ) -> (Option<Value>, Vec<Value>) {
        let deadline = Instant::now() + patience;
        let mut passed = Vec::new();
        while Instant::now() < deadline {
            match self.lines.try_recv() {
                Ok(value) if wanted(&value) => return (Some(value), passed),
                Ok(value) => passed.push(value),
                Err(mpsc::TryRecvError::Empty) => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                Err(mpsc::TryRecvError::Disconnected) => break,
            }
        }
        (None, passed)
    }

    async fn record(&self, patience: Duration, wanted: impl Fn(&Value) -> bool) -> Value {
        let (found, passed) = self.wait_for(patience, wanted).await;
        found.unwrap_or_else(|| panic!("not seen in {patience:?}; saw {passed:#?}"))
    }

    /// The `started` record and the first check's.
    async fn ready(&self) -> (Value, Value) {
        let started = self.record(Duration::from_secs(30), is("started")).await;
        let first = self.record(Duration::from_secs(10), is("check")).await;
        (started, first)
    }

    fn terminate(&mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(killed.success());
        self.child.wait().unwrap()
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn is(record: &'static str) -> impl Fn(&Value) -> bool {
    move |v| v["record"] == record
}

/// The quickstart applied to a seeded simulator, and `switchboard watch` of it started in a
/// scratch directory: a full check hourly (so that events trigger the checks a test sees),
/// and `extra` arguments.
async fn watching(name: &str, extra: &[&str]) -> (RunningSim, std::path::PathBuf, String, Watcher) {
    let sim = seeded_sim().await;
    let dir = scratch(name);
    let quickstart = example("quickstart");
    let output = switchboard(&sim, &dir, &["apply", &quickstart, "--auto-approve"]).await;
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let args = [&[quickstart.as_str(), "--interval", "1h"], extra].concat();
    let watcher = Watcher::start(&sim, &dir, &args);
    (sim, dir, quickstart, watcher)
}

/// The drifted objects of a `drift` record, as `kind:name`.
fn drifted(record: &Value) -> Vec<String> {
    record["report"]["objects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["drift"] == true)
        .map(|o| {
            format!(
                "{}:{}",
                o["kind"].as_str().unwrap(),
                o["name"].as_str().unwrap()
            )
        })
        .collect()
}

async fn post(addr: &str, body: &[u8], signature_secret: &str) -> reqwest::Response {
    let timestamp = chrono::Utc::now().timestamp();
    let headers = signed_headers(
        &SecretString::from(signature_secret.to_string()),
        timestamp,
        body,
    );
    reqwest::Client::new()
        .post(format!("http://{addr}/events"))
        .headers(headers)
        .header("content-type", "application/json")
        .body(body.to_vec())
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_edit_is_reported_within_two_seconds_and_sigterm_stops_gracefully() {
    let (sim, _dir, _quickstart, mut watcher) = watching("switchboard-watch-latency", &[]).await;
    let (started, first) = watcher.ready().await;
    assert!(started["topics"].as_u64().unwrap() > 0, "{started}");
    assert_eq!(first["trigger"], "start");
    assert_eq!(first["in_sync"], true, "{first}");

    let edited = Instant::now();
    sim.admin()
        .set_queue_field(
            "Billing EN",
            "/description",
            json!("Edited in the admin UI"),
        )
        .unwrap();
    let check = watcher.record(Duration::from_secs(10), is("check")).await;
    let drift = watcher.record(Duration::from_secs(10), is("drift")).await;
    let seen_after = edited.elapsed();
    eprintln!("an admin edit was reported {seen_after:?} after it was made");
    assert!(
        seen_after <= Duration::from_secs(2),
        "reported {seen_after:?} after the edit"
    );
    assert_eq!(drift["trigger"], "event");
    assert_eq!(drifted(&drift), ["queue:Billing EN"]);
    let object = &drift["report"]["objects"][0];
    assert_eq!(object["attribution"][0]["who"], "Dana Admin", "{object:#}");
    assert_eq!(check["trigger"], "event");
    assert_eq!(check["checked"], json!(["queue:Billing EN"]), "{check}");
    assert!(check["latency_ms"].as_u64().unwrap() < 2000, "{check}");

    let status = watcher.terminate();
    assert!(status.success(), "exit {status:?}");
    watcher.record(Duration::from_secs(5), is("stopped")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_webhook_gets_401_and_no_check_while_a_signed_one_triggers_one() {
    let (sim, _dir, _quickstart, watcher) = watching(
        "switchboard-watch-webhook",
        &["--no-notifications", "--listen", "127.0.0.1:0"],
    )
    .await;
    let (started, _) = watcher.ready().await;
    let addr = started["listen"].as_str().unwrap().to_string();

    // An admin edit, and an event about it as a relay would forward it.
    sim.admin()
        .set_queue_field(
            "Billing EN",
            "/description",
            json!("Edited in the admin UI"),
        )
        .unwrap();
    let queue_id = queue_id(&sim, "Billing EN");
    let body = serde_json::to_vec(&json!({
        "topicName": format!("v2.audits.entitytype.Queue.entityid.{queue_id}"),
        "version": "2",
        "eventBody": {"entityType": "Queue", "entity": {"id": queue_id}, "action": "Update"},
    }))
    .unwrap();

    let forged = post(&addr, &body, "not-the-secret").await;
    assert_eq!(forged.status(), 401);
    let (check, passed) = watcher
        .wait_for(Duration::from_millis(1500), is("check"))
        .await;
    assert!(
        check.is_none() && passed.is_empty(),
        "a forged event triggered {check:?} {passed:?}"
    );

    let signed = post(&addr, &body, SECRET).await;
    assert_eq!(signed.status(), 202);
    let check = watcher.record(Duration::from_secs(10), is("check")).await;
    assert_eq!(check["trigger"], "event");
    assert_eq!(check["in_sync"], false);
    let drift = watcher.record(Duration::from_secs(5), is("drift")).await;
    assert_eq!(drifted(&drift), ["queue:Billing EN"]);

    let health: Value = reqwest::get(format!("http://{addr}/healthz"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["last_check_outcome"], "drift", "{health}");
}

/// A queue's id, from the simulator's state.
fn queue_id(sim: &RunningSim, name: &str) -> String {
    let snapshot = sim.snapshot();
    snapshot["queues"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, q)| q["name"] == name)
        .map(|(id, _)| id.clone())
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_socket_reconnects_and_remediation_restores_the_object() {
    let (sim, dir, quickstart, watcher) = watching(
        "switchboard-watch-remediate",
        &["--remediate", "--audit-log", "audit.jsonl"],
    )
    .await;
    watcher.ready().await;

    // The socket drops: it reconnects, and the gap is covered by a full check.
    sim.drop_sockets();
    let check = watcher
        .record(Duration::from_secs(15), |v| {
            v["record"] == "check" && v["trigger"] == "reconnect"
        })
        .await;
    assert_eq!(check["in_sync"], true, "{check}");

    // Events still arrive after the reconnect; remediation puts the member back in ring 1.
    sim.admin()
        .set_member_ring("Billing EN", "bo.berg@example.com", 3)
        .unwrap();
    let drift = watcher.record(Duration::from_secs(10), is("drift")).await;
    assert_eq!(drifted(&drift), ["queue:Billing EN"]);
    let remediation = watcher
        .record(Duration::from_secs(30), is("remediation"))
        .await;
    let outcome = &remediation["remediation"];
    assert_eq!(outcome["targets"], json!(["queue:Billing EN"]), "{outcome}");
    assert!(outcome["applied"].as_u64().unwrap() >= 1, "{outcome}");
    assert_eq!(outcome["failed"], 0, "{outcome}");
    assert_eq!(outcome["not_converged"], json!([]), "{outcome}");
    assert!(outcome["run_id"].is_string());

    // The org is back in line, as a separate drift run confirms, and the audit log has it.
    let output = switchboard(&sim, &dir, &["drift", &quickstart]).await;
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let audit = std::fs::read_to_string(dir.join("audit.jsonl")).unwrap();
    let run_id = outcome["run_id"].as_str().unwrap();
    assert!(
        audit
            .lines()
            .any(|l| l.contains(run_id) && l.contains("\"totals\"")),
        "{audit}"
    );
}
