//! Every fault action, eventual consistency, latency and scheduled out-of-band edits.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;
use switchboard_sim::{FaultAction, FaultRule, Faults, Latency, OutOfBandEdit, Sim};

use crate::support::{Api, example_fixture};

const QUEUES: &str = "/api/v2/routing/queues";

#[tokio::test]
async fn status_faults_fire_the_given_number_of_times() {
    let api = Api::start(
        Sim::builder().faults(
            Faults::none()
                .rule(
                    FaultRule::new(FaultAction::Status {
                        status: 503,
                        retry_after: None,
                    })
                    .path_prefix(QUEUES)
                    .skip(1)
                    .times(2),
                )
                .rule(
                    FaultRule::new(FaultAction::Status {
                        status: 429,
                        retry_after: Some(7),
                    })
                    .path_prefix("/api/v2/routing/skills")
                    .method("GET"),
                ),
        ),
    )
    .await;
    let statuses: Vec<u16> = statuses_of(&api, QUEUES, 4).await;
    assert_eq!(statuses, [200, 503, 503, 200]);
    let r = api.get("/api/v2/routing/skills").await;
    assert_eq!(r.status, 429);
    assert_eq!(r.header("retry-after"), Some("7"));
    assert_eq!(
        r.body["message"],
        "Rate limit exceeded the maximum. Retry the request in [7] seconds"
    );
    let r = api
        .post("/api/v2/routing/skills", json!({"name": "A"}))
        .await;
    assert_eq!(r.status, 200, "the rule only matches GET");
}

async fn statuses_of(api: &Api, path: &str, n: usize) -> Vec<u16> {
    let mut out = Vec::new();
    for _ in 0..n {
        let r = api.get(path).await;
        if r.status == 503 {
            assert_eq!(r.code(), "service.unavailable");
        }
        out.push(r.status);
    }
    out
}

#[tokio::test]
async fn raw_answers_go_out_verbatim() {
    let api = Api::with_fault(
        FaultRule::new(FaultAction::Raw {
            status: 502,
            content_type: "text/html".into(),
            body: "<html><body>Bad Gateway</body></html>".into(),
        })
        .times(1),
    )
    .await;
    let r = api.request(Method::GET, QUEUES).send().await.unwrap();
    assert_eq!(r.status(), 502);
    assert_eq!(r.headers()["content-type"], "text/html");
    assert!(r.headers().contains_key("inin-correlation-id"));
    assert_eq!(
        r.text().await.unwrap(),
        "<html><body>Bad Gateway</body></html>"
    );
    assert_eq!(api.get(QUEUES).await.status, 200);
}

#[tokio::test]
async fn drop_closes_the_connection() {
    let api = Api::with_fault(
        FaultRule::new(FaultAction::Drop)
            .path_prefix(QUEUES)
            .times(1),
    )
    .await;
    let r = api.request(Method::GET, QUEUES).send().await;
    let error = r.expect_err("a dropped connection is an error");
    assert!(!error.is_status(), "{error:?}");
    assert_eq!(
        api.get(QUEUES).await.status,
        200,
        "the next request is served"
    );
    let dropped = api.sim.journal().into_iter().find(|e| e.status == 0);
    assert!(
        dropped.is_some(),
        "the dropped request is journaled with status 0"
    );
}

#[tokio::test]
async fn delay_and_latency_slow_requests_down() {
    let api = Api::start(
        Sim::builder().faults(
            Faults::none()
                .latency(Latency {
                    fixed_ms: 50,
                    jitter_ms: 10,
                    include_auth: false,
                })
                .rule(FaultRule::new(FaultAction::Delay { ms: 150 }).path_prefix(QUEUES)),
        ),
    )
    .await;
    let start = Instant::now();
    assert_eq!(api.get(QUEUES).await.status, 200);
    assert!(start.elapsed() >= Duration::from_millis(200));
    let start = Instant::now();
    assert_eq!(api.get("/api/v2/routing/skills").await.status, 200);
    let took = start.elapsed();
    assert!(
        took >= Duration::from_millis(50) && took < Duration::from_millis(150),
        "{took:?}"
    );
}

#[tokio::test]
async fn redirects() {
    let api = Api::with_fault(FaultRule::new(FaultAction::Redirect {
        location: "/api/v2/routing/queues".into(),
    }))
    .await;
    let r = api.request(Method::GET, QUEUES).send().await.unwrap();
    assert_eq!(r.status(), 302);
    assert_eq!(r.headers()["location"], "/api/v2/routing/queues");
}

#[tokio::test]
async fn expire_token_answers_401_and_revokes() {
    let api = Api::start(Sim::builder()).await;
    api.sim
        .set_faults(Faults::none().rule(FaultRule::new(FaultAction::ExpireToken).times(1)));
    let r = api.get(QUEUES).await;
    assert_eq!((r.status, r.code()), (401, "bad.credentials"));
    let again = api.get(QUEUES).await;
    assert_eq!(again.status, 401, "the token stays invalid after the fault");
}

#[tokio::test]
async fn eventual_consistency_hides_new_objects_for_a_while() {
    let api = Api::start(
        Sim::builder().faults(Faults::none().eventual_consistency(Duration::from_millis(300))),
    )
    .await;
    let id = api.create_queue(json!({"name": "Fresh"})).await;
    assert_eq!(api.get(QUEUES).await.body["total"], 0);
    assert_eq!(api.get(&format!("{QUEUES}/{id}")).await.status, 404);
    let dup = api.post(QUEUES, json!({"name": "Fresh"})).await;
    assert_eq!(dup.code(), "duplicate.name", "the backend knows it already");
    let skill = api
        .post("/api/v2/routing/skills", json!({"name": "S"}))
        .await;
    assert_eq!(api.get("/api/v2/routing/skills").await.body["total"], 0);
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert_eq!(api.get(QUEUES).await.body["total"], 1);
    assert_eq!(api.get(&format!("{QUEUES}/{id}")).await.status, 200);
    let skill_id = skill.body["id"].as_str().unwrap();
    assert_eq!(
        api.get(&format!("/api/v2/routing/skills/{skill_id}"))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn scheduled_out_of_band_edits_fire_once() {
    let api = Api::start(Sim::builder().fixture(example_fixture()).faults(
        Faults::none().out_of_band(
            2,
            OutOfBandEdit::RenameQueue {
                queue: "Billing EN".into(),
                new_name: "Billing-EN".into(),
            },
        ),
    ))
    .await;
    let first = api.get(&format!("{QUEUES}?name=Billing%20EN")).await;
    assert_eq!(first.body["total"], 1);
    api.get("/api/v2/routing/skills").await;
    let third = api.get(&format!("{QUEUES}?name=Billing-EN")).await;
    assert_eq!(third.body["total"], 1, "renamed before the third request");
    let audit = api.sim.snapshot()["audit"].clone();
    let last = audit.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["actor"]["name"], "Dana Admin");
}

#[tokio::test]
async fn faults_are_deterministic_per_seed() {
    let run = |seed| async move {
        let api = Api::start(
            Sim::builder().faults(
                Faults::none().seed(seed).rule(
                    FaultRule::new(FaultAction::Status {
                        status: 500,
                        retry_after: None,
                    })
                    .probability(0.5),
                ),
            ),
        )
        .await;
        let mut statuses = Vec::new();
        for _ in 0..24 {
            statuses.push(api.get("/api/v2/routing/skills").await.status);
        }
        statuses
    };
    let a = run(11).await;
    assert_eq!(a, run(11).await);
    assert!(a.contains(&500) && a.contains(&200));
}
