//! Utilization labels: CRUD, the `name` filter and page paging, who uses one, and their use
//! in the org's and agents' utilization (unknown ids refused; a label in use is not deleted
//! unless `forceDelete`).

use serde_json::{Value, json};
use switchboard_sim::Sim;

use crate::support::{Api, example_fixture};

const LABELS: &str = "/api/v2/routing/utilization/labels";

async fn create(api: &Api, name: &str) -> String {
    let created = api.post(LABELS, json!({"name": name})).await;
    assert_eq!(created.status, 200, "{}", created.body);
    assert_eq!(created.body["name"], name);
    created.body["id"].as_str().unwrap().to_string()
}

fn names(listing: &Value) -> Vec<&str> {
    listing["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn labels_are_created_listed_filtered_paged_renamed_and_deleted() {
    let api = Api::start(Sim::builder()).await;
    let vip = create(&api, "VIP").await;
    create(&api, "Billing Urgent").await;
    create(&api, "Billing Normal").await;
    let duplicate = api.post(LABELS, json!({"name": "vip"})).await;
    assert_eq!(duplicate.status, 400);
    assert_eq!(duplicate.code(), "duplicate.name");
    assert_eq!(api.post(LABELS, json!({})).await.status, 400);

    let all = api.get(LABELS).await;
    assert_eq!(
        names(&all.body),
        ["Billing Normal", "Billing Urgent", "VIP"]
    );
    assert_eq!(all.body["total"], 3);
    let billing = api.get(&format!("{LABELS}?name=billing*")).await;
    assert_eq!(names(&billing.body), ["Billing Normal", "Billing Urgent"]);
    let second = api
        .get(&format!(
            "{LABELS}?pageSize=2&pageNumber=2&sortOrder=descending"
        ))
        .await;
    assert_eq!(names(&second.body), ["Billing Normal"]);
    assert_eq!(second.body["pageCount"], 2);

    let renamed = api
        .put(&format!("{LABELS}/{vip}"), json!({"name": "Gold"}))
        .await;
    assert_eq!(renamed.status, 200);
    assert_eq!(
        api.get(&format!("{LABELS}/{vip}")).await.body["name"],
        "Gold"
    );
    let deleted = api.delete(&format!("{LABELS}/{vip}")).await;
    assert!(deleted.status < 300, "{}", deleted.body);
    assert_eq!(api.get(&format!("{LABELS}/{vip}")).await.status, 404);
}

#[tokio::test]
async fn label_utilizations_take_existing_labels_and_keep_a_used_label_from_deletion() {
    let api = Api::start(Sim::builder().fixture(example_fixture())).await;
    let vip = create(&api, "VIP").await;
    let urgent = create(&api, "Urgent").await;
    let user = api.user_id("bo.berg@example.com").await;
    let path = format!("/api/v2/routing/users/{user}/utilization");

    let unknown = api
        .put(
            &path,
            json!({"labelUtilizations": {"no-such-label": {"maximumCapacity": 1}}}),
        )
        .await;
    assert_eq!(unknown.status, 400);
    let unknown_interrupting = api
        .put(
            &path,
            json!({"labelUtilizations": {vip.clone(): {"maximumCapacity": 1, "interruptingLabelIds": ["nope"]}}}),
        )
        .await;
    assert_eq!(unknown_interrupting.status, 400);

    let set = api
        .put(
            &path,
            json!({"labelUtilizations": {vip.clone(): {"maximumCapacity": 2, "interruptingLabelIds": [urgent.clone()]}}}),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.body);
    let read = api.get(&path).await;
    assert_eq!(read.body["labelUtilizations"][&vip]["maximumCapacity"], 2);
    assert_eq!(read.body["labelUtilizations"][&vip]["labelName"], "VIP");
    let users = api.get(&format!("{LABELS}/{urgent}/agents")).await;
    assert_eq!(
        users.body,
        json!([{"id": user}]),
        "an interrupting label is in use too"
    );

    let refused = api.delete(&format!("{LABELS}/{vip}")).await;
    assert_eq!(refused.status, 409);
    assert!(api.get(&format!("{LABELS}/{vip}")).await.status == 200);
    let forced = api
        .delete(&format!("{LABELS}/{vip}?forceDelete=true"))
        .await;
    assert!(forced.status < 300, "{}", forced.body);
    let after = api.get(&path).await;
    assert_eq!(
        after.body["labelUtilizations"],
        json!({}),
        "usages removed with it"
    );
    assert_eq!(
        api.get(&format!("{LABELS}/{urgent}/agents")).await.body,
        json!([])
    );
}
