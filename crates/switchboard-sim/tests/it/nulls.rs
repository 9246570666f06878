//! `null` in a request body counts as absent, and is never answered back: the description
//! declares a type for every field, and `support::conform` (like the simulator's own response
//! check in debug builds) refuses a `null` anywhere in an answer. Utilization, queues and the
//! audit query have tests of their own beside their other behaviour.

use chrono::{Duration as ChronoDuration, SecondsFormat, Utc};
use serde_json::json;
use switchboard_sim::Sim;

use crate::support::{Api, example_fixture};

#[tokio::test]
async fn bodies_with_nulls_are_answered_without_them() {
    let api = Api::start(Sim::builder().fixture(example_fixture())).await;
    let code = api
        .post(
            "/api/v2/routing/wrapupcodes",
            json!({"name": "Nulls", "description": null, "division": null, "id": null}),
        )
        .await;
    assert_eq!(code.status, 200, "{}", code.body);
    assert!(code.body.get("description").is_none());

    let skill = api
        .post(
            "/api/v2/routing/skills",
            json!({"name": "Nulls", "divisionId": null}),
        )
        .await;
    assert_eq!(skill.status, 200, "{}", skill.body);
    let skill_id = skill.body["id"].as_str().unwrap();

    let ana = api.user_id("ana.silva@example.com").await;
    let bulk = api
        .patch(
            &format!("/api/v2/users/{ana}/routingskills/bulk"),
            json!([null, {"id": skill_id, "proficiency": 3, "skillUri": null, "selfUri": null}]),
        )
        .await;
    assert_eq!(bulk.status, 200, "{}", bulk.body);

    let queue = api.queue_id("Billing EN").await;
    let members = api
        .patch(
            &format!("/api/v2/routing/queues/{queue}/members"),
            json!([{"id": ana, "joined": false, "ringNumber": null, "name": null, "user": null}]),
        )
        .await;
    assert_eq!(members.status, 200, "{}", members.body);

    let found = api
        .post(
            "/api/v2/users/search",
            json!({"query": [{"type": "EXACT", "fields": ["email"], "value": "ana.silva@example.com"}],
                   "expand": null, "sort": null, "pageSize": null, "sortOrder": null}),
        )
        .await;
    assert_eq!(found.body["total"], 1, "{}", found.body);

    let now = Utc::now();
    let interval = format!(
        "{}/{}",
        (now - ChronoDuration::hours(1)).to_rfc3339_opts(SecondsFormat::Secs, true),
        (now + ChronoDuration::hours(1)).to_rfc3339_opts(SecondsFormat::Secs, true)
    );
    let submitted = api
        .post(
            "/api/v2/audits/query",
            json!({"interval": interval, "serviceName": null,
                   "filters": [null, {"property": "EntityType", "value": "WrapupCode"}],
                   "sort": null}),
        )
        .await;
    assert_eq!(submitted.status, 200, "{}", submitted.body);
    assert_eq!(
        submitted.body["filters"],
        json!([{"property": "EntityType", "value": "WrapupCode"}])
    );
    let tx = submitted.body["id"].as_str().unwrap();
    let status = api.get(&format!("/api/v2/audits/query/{tx}")).await;
    assert_eq!(status.body["state"], "Succeeded");
    let results = api.get(&format!("/api/v2/audits/query/{tx}/results")).await;
    assert_eq!(results.body["entities"].as_array().unwrap().len(), 1);

    let channel = api.post("/api/v2/notifications/channels", json!({})).await;
    let id = channel.body["id"].as_str().unwrap();
    let topics = api
        .put(
            &format!("/api/v2/notifications/channels/{id}/subscriptions"),
            json!([null, {"id": format!("v2.routing.queues.{queue}.users"), "selfUri": null}]),
        )
        .await;
    assert_eq!(topics.status, 200, "{}", topics.body);
}
