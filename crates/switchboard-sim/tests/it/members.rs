//! Queue membership.

use serde_json::{Value, json};
use switchboard_sim::{GeneratorSpec, Sim};

use crate::support::{Api, example_fixture};

async fn members(api: &Api, queue: &str) -> Vec<Value> {
    api.get(&format!(
        "/api/v2/routing/queues/{queue}/members?pageSize=100"
    ))
    .await
    .body["entities"]
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn add_update_remove() {
    let api = Api::start(Sim::builder().fixture(example_fixture())).await;
    let q = api.queue_id("Tech Support EN").await;
    let path = format!("/api/v2/routing/queues/{q}/members");
    let bo = api.user_id("bo.berg@example.com").await;
    let ana = api.user_id("ana.silva@example.com").await;

    let r = api.post(&path, json!([{"id": bo}, {"id": ana}])).await;
    assert_eq!(r.status, 204);
    // Adding an existing member again is a no-op.
    assert_eq!(api.post(&path, json!([{"id": bo}])).await.status, 204);
    let list = members(&api, &q).await;
    assert_eq!(list.len(), 4);
    let bo_member = list.iter().find(|m| m["id"] == bo.as_str()).unwrap();
    assert_eq!(bo_member["ringNumber"], 1);
    assert_eq!(bo_member["joined"], true);
    assert_eq!(bo_member["user"]["email"], "bo.berg@example.com");

    assert_eq!(
        api.patch(&format!("{path}/{bo}"), json!({"ringNumber": 3}))
            .await
            .status,
        204
    );
    let bad_ring = api
        .patch(&format!("{path}/{bo}"), json!({"ringNumber": 7}))
        .await;
    assert_eq!((bad_ring.status, bad_ring.code()), (400, "invalid.value"));
    let list = members(&api, &q).await;
    assert_eq!(
        list.iter().find(|m| m["id"] == bo.as_str()).unwrap()["ringNumber"],
        3
    );

    let joined = api
        .patch(&path, json!([{"id": bo, "joined": false}, {"id": "00000000-0000-0000-0000-000000000000", "joined": false}]))
        .await;
    assert_eq!(joined.status, 200);
    assert_eq!(
        joined.body["entities"].as_array().unwrap().len(),
        1,
        "non-members are disregarded"
    );
    let unjoined = api.get(&format!("{path}?joined=false")).await;
    assert_eq!(unjoined.body["entities"][0]["id"], bo.as_str());

    assert_eq!(
        api.post(&format!("{path}?delete=true"), json!([{"id": bo}]))
            .await
            .status,
        204
    );
    assert_eq!(api.delete(&format!("{path}/{ana}")).await.status, 204);
    assert_eq!(api.delete(&format!("{path}/{ana}")).await.status, 404);
    assert_eq!(members(&api, &q).await.len(), 2);
    let queue = api.get(&format!("/api/v2/routing/queues/{q}")).await;
    assert_eq!(queue.body["memberCount"], 2);

    let unknown = api.post(&path, json!([{"id": "no-such-user"}])).await;
    assert_eq!(unknown.status, 400);
    let no_id = api.post(&path, json!([{"name": "x"}])).await;
    assert_eq!(no_id.status, 400);
}

#[tokio::test]
async fn more_than_100_per_call_is_refused() {
    let api = Api::start(Sim::builder().generate(GeneratorSpec {
        queues: 1,
        users: 101,
        memberships: 0,
        ..GeneratorSpec::small()
    }))
    .await;
    let q = api.get("/api/v2/routing/queues").await.body["entities"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let users = api.get("/api/v2/users?pageSize=500").await;
    let ids: Vec<Value> = users.body["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| json!({"id": u["id"]}))
        .collect();
    assert_eq!(ids.len(), 101);
    let path = format!("/api/v2/routing/queues/{q}/members");
    let r = api.post(&path, Value::Array(ids.clone())).await;
    assert_eq!(r.status, 400);
    assert!(members(&api, &q).await.is_empty(), "nothing was added");
    assert_eq!(
        api.post(&path, Value::Array(ids[..100].to_vec()))
            .await
            .status,
        204
    );
    let patch: Vec<Value> = ids
        .iter()
        .map(|i| json!({"id": i["id"], "joined": false}))
        .collect();
    assert_eq!(api.patch(&path, Value::Array(patch)).await.status, 400);
}

#[tokio::test]
async fn group_members_cannot_be_removed_directly() {
    let api = Api::start(Sim::builder().fixture(example_fixture())).await;
    let q = api.queue_id("Billing ES").await;
    let gita = api.user_id("gita.costa@example.com").await;
    let path = format!("/api/v2/routing/queues/{q}/members");
    let by_group = api.get(&format!("{path}?memberBy=group")).await;
    assert_eq!(by_group.body["entities"][0]["id"], gita.as_str());
    assert_eq!(by_group.body["entities"][0]["memberBy"], "group");
    assert_eq!(api.delete(&format!("{path}/{gita}")).await.status, 400);
    assert_eq!(
        api.post(&format!("{path}?delete=true"), json!([{"id": gita}]))
            .await
            .status,
        400
    );
    let queue = api.get(&format!("/api/v2/routing/queues/{q}")).await;
    assert_eq!(queue.body["memberCount"], 3);
    assert_eq!(queue.body["userMemberCount"], 2);
}

#[tokio::test]
async fn member_filters_and_expands() {
    let api = Api::start(Sim::builder().fixture(example_fixture())).await;
    let q = api.queue_id("Billing EN").await;
    let path = format!("/api/v2/routing/queues/{q}/members");
    let named = api.get(&format!("{path}?name=ana")).await;
    assert_eq!(named.body["entities"].as_array().unwrap().len(), 1);
    let expanded = api
        .get(&format!("{path}?expand=skills&expand=routingStatus"))
        .await;
    let ana = &expanded.body["entities"][0];
    assert_eq!(ana["routingStatus"]["status"], "OFF_QUEUE");
    assert!(
        ana["user"]["skills"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == "Billing")
    );
    let skilled = api.get(&format!("{path}?skills=disputes")).await;
    assert_eq!(skilled.body["entities"].as_array().unwrap().len(), 1);
    let desc = api.get(&format!("{path}?sortOrder=desc")).await;
    assert_eq!(desc.body["entities"][0]["name"], "Hugo Haddad");
}
