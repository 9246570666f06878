//! The audit trail and the request journal.

use chrono::{Duration as ChronoDuration, SecondsFormat, Utc};
use serde_json::{Value, json};
use switchboard_sim::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, JournalConfig, Sim};

use crate::support::{Api, example_fixture, temp_path};

pub(crate) fn interval() -> String {
    let now = Utc::now();
    format!(
        "{}/{}",
        (now - ChronoDuration::hours(1)).to_rfc3339_opts(SecondsFormat::Secs, true),
        (now + ChronoDuration::hours(1)).to_rfc3339_opts(SecondsFormat::Secs, true)
    )
}

#[tokio::test]
async fn client_and_admin_changes_are_audited() {
    let api = Api::start(Sim::builder().fixture(example_fixture())).await;
    let billing = api.queue_id("Billing EN").await;
    let put = api
        .put(
            &format!("/api/v2/routing/queues/{billing}"),
            json!({"name": "Billing EN", "mediaSettings": {"call": {"alertingTimeoutSeconds": 9}}}),
        )
        .await;
    assert_eq!(put.status, 200);
    api.sim
        .admin()
        .set_member_ring("Billing EN", "ana.silva@example.com", 4)
        .unwrap();
    api.sim.admin().create_skill("Escalations").unwrap();
    assert_eq!(
        api.sim
            .admin()
            .rename_queue("Nope", "X")
            .unwrap_err()
            .to_string(),
        "queue \"Nope\" does not exist"
    );

    let r = api
        .post(
            "/api/v2/audits/query/realtime",
            json!({"interval": interval(), "serviceName": "Routing",
                   "filters": [{"property": "EntityId", "value": billing}],
                   "sort": [{"name": "Timestamp", "sortOrder": "ascending"}]}),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["total"], 2);
    let by_client = &r.body["entities"][0];
    assert_eq!(by_client["action"], "Update");
    assert_eq!(by_client["entityType"], "Queue");
    assert_eq!(by_client["client"]["id"], DEMO_CLIENT_ID);
    assert!(by_client.get("user").is_none());
    let changed: Vec<&str> = by_client["propertyChanges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["property"].as_str().unwrap())
        .collect();
    assert!(
        changed.contains(&"mediaSettings.call.alertingTimeoutSeconds"),
        "{changed:?}"
    );
    assert!(
        changed.contains(&"outboundEmailAddress.domain.id"),
        "the dropped field is audited"
    );
    let by_admin = &r.body["entities"][1];
    assert_eq!(by_admin["action"], "MemberUpdate");
    assert_eq!(by_admin["user"]["name"], "Dana Admin");
    assert_eq!(by_admin["status"], "SUCCESS");

    let creates = api
        .post(
            "/api/v2/audits/query/realtime",
            json!({"interval": interval(), "filters": [
                {"property": "EntityType", "value": "RoutingSkill"},
                {"property": "Action", "value": "Create"}]}),
        )
        .await;
    assert_eq!(creates.body["total"], 1);
    assert_eq!(creates.body["entities"][0]["entity"]["name"], "Escalations");

    let bad = api
        .post(
            "/api/v2/audits/query/realtime",
            json!({"serviceName": "Routing"}),
        )
        .await;
    assert_eq!(bad.code(), "required.field.missing");
    let bad_date = api
        .post(
            "/api/v2/audits/query/realtime",
            json!({"interval": "yesterday/today"}),
        )
        .await;
    assert_eq!(bad_date.code(), "invalid.date");
}

#[tokio::test]
async fn asynchronous_audit_queries() {
    let api = Api::start(Sim::builder()).await;
    for name in ["A", "B", "C"] {
        api.post("/api/v2/routing/skills", json!({"name": name}))
            .await;
    }
    let submitted = api
        .post(
            "/api/v2/audits/query",
            json!({"interval": interval(), "serviceName": "Routing"}),
        )
        .await;
    assert_eq!(submitted.status, 200);
    let tx = submitted.body["id"].as_str().unwrap().to_string();
    let status = api.get(&format!("/api/v2/audits/query/{tx}")).await;
    assert_eq!(status.body["state"], "Succeeded");
    let first = api
        .get(&format!("/api/v2/audits/query/{tx}/results?pageSize=2"))
        .await;
    assert_eq!(first.body["entities"].as_array().unwrap().len(), 2);
    let cursor = first.body["cursor"].as_str().unwrap();
    let second = api
        .get(&format!(
            "/api/v2/audits/query/{tx}/results?pageSize=2&cursor={cursor}"
        ))
        .await;
    assert_eq!(second.body["entities"].as_array().unwrap().len(), 1);
    assert!(second.body.get("cursor").is_none());
    assert_eq!(
        api.get(&format!("/api/v2/audits/query/{tx}/results?pageSize=501"))
            .await
            .status,
        400
    );
    assert_eq!(api.get("/api/v2/audits/query/nope").await.status, 404);
    let mapping = api.get("/api/v2/audits/query/servicemapping").await;
    assert_eq!(mapping.body["services"][0]["name"], "Routing");
}

#[tokio::test]
async fn the_journal_records_requests_but_never_secrets() {
    let file = temp_path("journal.jsonl");
    let api = Api::start(Sim::builder().journal(JournalConfig {
        file: Some(file.clone()),
        response_bodies: true,
    }))
    .await;
    api.post("/api/v2/routing/skills", json!({"name": "Billing"}))
        .await;
    api.get("/api/v2/routing/skills?pageSize=10").await;
    let entries = api.sim.journal();
    assert_eq!(entries.len(), 3);
    let token = &entries[0];
    assert_eq!(
        (token.method.as_str(), token.path.as_str(), token.status),
        ("POST", "/oauth/token", 200)
    );
    assert_eq!(token.client_id.as_deref(), Some(DEMO_CLIENT_ID));
    assert!(token.request_body.is_none());
    let post = &entries[1];
    assert_eq!(post.request_body, Some(json!({"name": "Billing"})));
    assert_eq!(post.response_body.as_ref().unwrap()["name"], "Billing");
    assert_eq!(post.client_id.as_deref(), Some(DEMO_CLIENT_ID));
    assert_eq!(entries[2].query, "pageSize=10");
    assert_eq!(entries.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3]);

    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.lines().count(), 3);
    let everything = format!("{text}{}", serde_json::to_string(&entries).unwrap());
    assert!(
        !everything.contains(DEMO_CLIENT_SECRET),
        "the secret never appears"
    );
    assert!(!everything.contains(&api.token), "nor the token");
    let parsed: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(parsed[1]["requestBody"]["name"], "Billing");
    api.sim.clear_journal();
    assert!(api.sim.journal().is_empty());
    let _ = std::fs::remove_file(file);
}

#[tokio::test]
async fn a_number_resent_as_a_float_is_not_a_change() {
    let api = Api::start(Sim::builder().fixture(example_fixture())).await;
    let tones = |seconds: Value| {
        json!({"name": "Tones", "mediaSettings": {"call": {
            "autoAnswerAlertToneSeconds": seconds, "manualAnswerAlertToneSeconds": 2.5}}})
    };
    let id = api.create_queue(tones(json!(15))).await;
    let path = format!("/api/v2/routing/queues/{id}");
    assert_eq!(api.put(&path, tones(json!(15.0))).await.status, 200);
    assert_eq!(api.put(&path, tones(json!(16))).await.status, 200);
    let r = api
        .post(
            "/api/v2/audits/query/realtime",
            json!({"interval": interval(), "filters": [{"property": "EntityId", "value": id}],
                   "sort": [{"name": "Timestamp", "sortOrder": "ascending"}]}),
        )
        .await;
    let changes: Vec<(&str, &Value)> = r.body["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["action"].as_str().unwrap(), &e["propertyChanges"]))
        .collect();
    let tone = "mediaSettings.call.autoAnswerAlertToneSeconds";
    assert_eq!(changes.len(), 3, "{changes:?}");
    assert_eq!(changes[0].0, "Create");
    assert_eq!(
        changes[1],
        ("Update", &json!([])),
        "15 re-sent as 15.0 changes nothing"
    );
    assert_eq!(
        changes[2],
        (
            "Update",
            &json!([{"property": tone, "oldValues": ["15.0"], "newValues": ["16"]}])
        )
    );
}
