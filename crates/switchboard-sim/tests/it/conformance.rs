//! One pass over the endpoints the other tests touch least; `support::conform` checks every
//! answer against the spec's definitions.

use serde_json::json;
use switchboard_sim::Sim;

use crate::support::{Api, example_fixture};

#[tokio::test]
async fn every_endpoint_answers_its_spec_definition() {
    let api = Api::start(Sim::builder().fixture(example_fixture())).await;
    let divisions = api
        .get("/api/v2/authorization/divisions?objectCount=true")
        .await;
    let division = divisions.body["entities"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let one = api
        .get(&format!(
            "/api/v2/authorization/divisions/{division}?objectCount=true"
        ))
        .await;
    assert!(one.body["objectCounts"]["QUEUE"].is_number());

    let ana = api.user_id("ana.silva@example.com").await;
    let user = api
        .get(&format!(
            "/api/v2/users/{ana}?expand=skills&expand=languages&expand=routingStatus"
        ))
        .await;
    assert_eq!(user.body["routingStatus"]["status"], "OFF_QUEUE");
    let languages = api
        .get(&format!("/api/v2/users/{ana}/routinglanguages"))
        .await;
    let english = languages.body["entities"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(languages.body["entities"][0]["languageUri"].is_string());
    let posted = api
        .post(
            &format!("/api/v2/users/{ana}/routinglanguages"),
            json!({"id": english, "proficiency": 2}),
        )
        .await;
    assert_eq!(posted.status, 200);
    assert_eq!(
        api.get(&format!("/api/v2/routing/languages/{english}"))
            .await
            .status,
        200
    );

    let q = api.queue_id("Billing EN").await;
    let v1 = api
        .get(&format!(
            "/api/v2/routing/queues/{q}/users?expand=languages"
        ))
        .await;
    assert_eq!(v1.body["total"], 4);
    let patched = api
        .patch(
            &format!("/api/v2/routing/queues/{q}/users"),
            json!([{"id": ana, "joined": false}]),
        )
        .await;
    assert_eq!(patched.body["total"], 1);
    assert_eq!(
        api.patch(
            &format!("/api/v2/routing/queues/{q}/users/{ana}"),
            json!({"ringNumber": 2})
        )
        .await
        .status,
        204
    );
    assert_eq!(
        api.delete(&format!("/api/v2/routing/queues/{q}/users/{ana}"))
            .await
            .status,
        204
    );

    let codes = api.get("/api/v2/routing/wrapupcodes?sortBy=id").await;
    let code = codes.body["entities"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        api.get(&format!("/api/v2/routing/wrapupcodes/{code}"))
            .await
            .status,
        200
    );
    assert_eq!(
        api.get("/api/v2/audits/query/realtime/servicemapping")
            .await
            .status,
        200
    );
    api.post("/api/v2/notifications/channels", json!({})).await;
    let channels = api
        .get("/api/v2/notifications/channels?includechannels=oauthclient")
        .await;
    assert_eq!(channels.body["entities"].as_array().unwrap().len(), 1);
    let put = api
        .put(
            &format!("/api/v2/routing/users/{ana}/utilization"),
            json!({"utilization": {"call": {"maximumCapacity": 2}}}),
        )
        .await;
    assert_eq!(put.body["level"], "Agent");
    let wrong = api
        .put(
            &format!("/api/v2/routing/users/{ana}/utilization"),
            json!({"utilization": {"fax": {}}}),
        )
        .await;
    assert_eq!(wrong.code(), "invalid.value");
    assert_eq!(
        api.get("/api/v2/routing/queues/nope/members").await.status,
        404
    );
    assert_eq!(api.get("/api/v2/routing/skills/nope").await.status, 404);
}
