//! Array query parameters read alike whether repeated (`?id=a&id=b`, Swagger `multi`, as
//! switchboard's client sends them) or comma-joined (`?id=a,b`, as the vendor's Python SDK
//! does); other parameters keep their commas.

use serde_json::{Value, json};
use switchboard_sim::Sim;

use crate::support::{Api, example_fixture};

const QUEUES: &str = "/api/v2/routing/queues";

fn names(listing: &Value) -> Vec<&str> {
    listing["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn comma_joined_lists_are_lists() {
    let api = Api::start(Sim::builder().fixture(example_fixture())).await;
    let ana = api.user_id("ana.silva@example.com").await;
    let bo = api.user_id("bo.berg@example.com").await;

    let repeated = api.get(&format!("/api/v2/users?id={ana}&id={bo}")).await;
    let joined = api.get(&format!("/api/v2/users?id={ana},{bo}")).await;
    assert_eq!(names(&repeated.body), ["Ana Silva", "Bo Berg"]);
    assert_eq!(names(&joined.body), names(&repeated.body));
    let encoded = api.get(&format!("/api/v2/users?id={ana}%2C{bo}")).await;
    assert_eq!(names(&encoded.body), names(&repeated.body));

    let expanded = api
        .get(&format!("/api/v2/users/{ana}?expand=skills,languages"))
        .await;
    assert_eq!(expanded.body["skills"].as_array().unwrap().len(), 2);
    assert_eq!(expanded.body["languages"].as_array().unwrap().len(), 2);
    let listed = api
        .get(&format!("/api/v2/users?id={ana}&expand=skills,languages"))
        .await;
    assert_eq!(
        listed.body["entities"][0]["skills"],
        expanded.body["skills"]
    );

    let all = api.get(QUEUES).await;
    let ids: Vec<&str> = all.body["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap())
        .collect();
    let by_id = api.get(&format!("{QUEUES}?id={},{}", ids[0], ids[3])).await;
    assert_eq!(names(&by_id.body), ["Billing EN", "Tech Support EN"]);
    let divisions = api.get("/api/v2/authorization/divisions").await;
    let division_ids: Vec<&str> = divisions.body["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    let in_any = api
        .get(&format!("{QUEUES}?divisionId={}", division_ids.join(",")))
        .await;
    assert_eq!(in_any.body["total"], all.body["total"]);
    // An empty item names nothing.
    let sparse = api.get(&format!("{QUEUES}?id={},,", ids[1])).await;
    assert_eq!(names(&sparse.body), ["Billing ES"]);
}

#[tokio::test]
async fn other_parameters_keep_their_commas() {
    let api = Api::start(Sim::builder().fixture(example_fixture())).await;
    api.create_queue(json!({"name": "Billing, Tier 2"})).await;
    let exact = api.get(&format!("{QUEUES}?name=billing,%20tier%202")).await;
    assert_eq!(names(&exact.body), ["Billing, Tier 2"]);
    let wild = api.get(&format!("{QUEUES}?name=billing,*")).await;
    assert_eq!(names(&wild.body), ["Billing, Tier 2"]);
    // A value that is not one of a parameter's choices is refused whole, not in parts.
    let bad = api.get(&format!("{QUEUES}?sortOrder=asc,desc")).await;
    assert_eq!(bad.status, 400);
}
