//! Notification channels and topic subscriptions.

use serde_json::{Value, json};
use switchboard_sim::Sim;

use crate::support::{Api, example_fixture};

#[tokio::test]
async fn channels_and_topics() {
    let api = Api::start(Sim::builder().fixture(example_fixture())).await;
    let channel = api.post("/api/v2/notifications/channels", json!({})).await;
    assert_eq!(channel.status, 200);
    let id = channel.body["id"].as_str().unwrap().to_string();
    assert!(
        channel.body["connectUri"]
            .as_str()
            .unwrap()
            .starts_with("ws://127.0.0.1:")
    );
    assert_eq!(
        api.get("/api/v2/notifications/channels").await.body["entities"][0]["id"],
        id.as_str()
    );

    let q = api.queue_id("Billing EN").await;
    let topics = json!([
        {"id": format!("v2.audits.entitytype.Queue.entityid.{q}")},
        {"id": format!("v2.routing.queues.{q}.users")},
    ]);
    let path = format!("/api/v2/notifications/channels/{id}/subscriptions");
    let put = api.put(&path, topics).await;
    assert_eq!(put.status, 200);
    assert_eq!(put.body["entities"].as_array().unwrap().len(), 2);
    let user = api.user_id("ana.silva@example.com").await;
    let added = api
        .post(
            &path,
            json!([{"id": format!("v2.users.{user}.routingStatus")}]),
        )
        .await;
    assert_eq!(added.body["entities"].as_array().unwrap().len(), 3);

    let invalid = api.post(&path, json!([{"id": "v2.nonsense"}])).await;
    assert_eq!(
        (invalid.status, invalid.code()),
        (400, "notification.invalid.topic")
    );
    let ignored = api
        .post(
            &format!("{path}?ignoreErrors=true"),
            json!([{"id": "v2.nonsense"}]),
        )
        .await;
    assert_eq!(ignored.status, 200);

    let many: Vec<Value> = (0..1001)
        .map(|i| json!({"id": format!("v2.audits.entitytype.Queue.entityid.q{i}")}))
        .collect();
    let too_many = api.put(&path, Value::Array(many)).await;
    assert_eq!(
        too_many.code(),
        "notification.subscription.too.many.subscriptions"
    );

    assert_eq!(api.delete(&path).await.status, 204);
    assert_eq!(api.get(&path).await.body["entities"], json!([]));
    assert_eq!(
        api.get("/api/v2/notifications/channels/nope/subscriptions")
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn changes_are_pushed_over_the_websocket() {
    use futures::StreamExt;
    use tokio_tungstenite::tungstenite::Message;

    let api = Api::start(Sim::builder().fixture(example_fixture())).await;
    let channel = api.post("/api/v2/notifications/channels", json!({})).await;
    let id = channel.body["id"].as_str().unwrap().to_string();
    let q = api.queue_id("Sales EN").await;
    let path = format!("/api/v2/notifications/channels/{id}/subscriptions");
    api.put(
        &path,
        json!([{"id": format!("v2.audits.entitytype.Queue.entityid.{q}")}, {"id": format!("v2.routing.queues.{q}.users")}]),
    )
    .await;
    let (mut socket, _) =
        tokio_tungstenite::connect_async(channel.body["connectUri"].as_str().unwrap())
            .await
            .unwrap();

    // A change by a client, then one by the admin, then one to a queue nobody subscribed to.
    api.put(
        &format!("/api/v2/routing/queues/{q}"),
        json!({"name": "Sales EN", "description": "changed"}),
    )
    .await;
    api.sim
        .admin()
        .add_member("Sales EN", "bo.berg@example.com", 2)
        .unwrap();
    api.sim
        .admin()
        .rename_queue("Billing ES", "Billing ES 2")
        .unwrap();

    let mut messages = Vec::new();
    while messages.len() < 4 {
        let next = tokio::time::timeout(std::time::Duration::from_secs(5), socket.next())
            .await
            .expect("a message in time")
            .unwrap()
            .unwrap();
        if let Message::Text(text) = next {
            messages.push(serde_json::from_str::<Value>(&text).unwrap());
        }
    }
    let topics: Vec<&str> = messages
        .iter()
        .map(|m| m["topicName"].as_str().unwrap())
        .collect();
    let audit_topic = format!("v2.audits.entitytype.Queue.entityid.{q}");
    let users_topic = format!("v2.routing.queues.{q}.users");
    assert_eq!(
        topics,
        [
            audit_topic.as_str(),
            audit_topic.as_str(),
            users_topic.as_str(),
            audit_topic.as_str()
        ]
    );
    assert_eq!(messages[0]["eventBody"]["action"], "Update");
    assert_eq!(
        messages[0]["eventBody"]["clientId"],
        switchboard_sim::DEMO_CLIENT_ID
    );
    assert_eq!(messages[1]["eventBody"]["action"], "MemberAdd");
    assert_eq!(messages[1]["eventBody"]["username"], "Dana Admin");
    assert_eq!(messages[2]["eventBody"]["joined"], true);
    assert_eq!(messages[3]["eventBody"]["action"], "MemberUpdate");
    let unknown =
        tokio_tungstenite::connect_async(format!("ws://{}/channels/nope", api.sim.addr())).await;
    assert!(unknown.is_err(), "an unknown channel is refused");
}
