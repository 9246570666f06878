//! Skills and routing languages: soft deletes, no rename.

use serde_json::json;
use switchboard_sim::Sim;

use crate::support::{Api, example_fixture};

const SKILLS: &str = "/api/v2/routing/skills";

#[tokio::test]
async fn soft_delete_and_no_rename() {
    let api = Api::start(Sim::builder()).await;
    let created = api.post(SKILLS, json!({"name": "Billing"})).await;
    assert_eq!(created.status, 200);
    assert_eq!(created.body["state"], "active");
    let id = created.body["id"].as_str().unwrap().to_string();

    let dup = api.post(SKILLS, json!({"name": "billing"})).await;
    assert_eq!((dup.status, dup.code()), (409, "general.conflict"));
    let unknown_field = api
        .post(SKILLS, json!({"name": "X", "division": {"id": "x"}}))
        .await;
    assert_eq!(
        unknown_field.status, 400,
        "CreateRoutingSkill has only a name"
    );

    // There is no PUT: skills cannot be renamed.
    let put = api
        .put(&format!("{SKILLS}/{id}"), json!({"name": "Billing 2"}))
        .await;
    assert_eq!((put.status, put.code()), (404, "not.found"));

    assert_eq!(api.delete(&format!("{SKILLS}/{id}")).await.status, 204);
    let after = api.get(&format!("{SKILLS}/{id}")).await;
    assert_eq!(after.body["state"], "deleted");
    let listed = api.get(SKILLS).await;
    assert_eq!(listed.body["total"], 1);
    assert_eq!(listed.body["entities"][0]["state"], "deleted");
    assert_eq!(api.delete(&format!("{SKILLS}/{id}")).await.status, 404);

    // The name of a deleted skill can be used again.
    let again = api.post(SKILLS, json!({"name": "Billing"})).await;
    assert_eq!(again.status, 200);
    assert_ne!(again.body["id"], created.body["id"]);
    let prefix = api.get(&format!("{SKILLS}?name=bill")).await;
    assert_eq!(prefix.body["total"], 2);
}

#[tokio::test]
async fn division_change() {
    let api = Api::start(Sim::builder().fixture(example_fixture())).await;
    let skill = api.get(&format!("{SKILLS}?name=VIP")).await.body["entities"][0].clone();
    assert_eq!(skill["division"]["name"], "Home");
    let sales = api
        .get("/api/v2/authorization/divisions?name=Sales")
        .await
        .body["entities"][0]["id"]
        .clone();
    let r = api
        .patch(
            &format!("{SKILLS}/{}", skill["id"].as_str().unwrap()),
            json!({"divisionId": sales}),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["division"]["name"], "Sales");
    let bad = api
        .patch(
            &format!("{SKILLS}/{}", skill["id"].as_str().unwrap()),
            json!({"divisionId": "nope"}),
        )
        .await;
    assert_eq!(bad.code(), "invalid.value");
}

#[tokio::test]
async fn languages() {
    let api = Api::start(Sim::builder()).await;
    let path = "/api/v2/routing/languages";
    let created = api.post(path, json!({"name": "Spanish"})).await;
    assert_eq!(created.status, 200);
    let id = created.body["id"].as_str().unwrap().to_string();
    assert_eq!(api.post(path, json!({"name": "spanish"})).await.status, 409);
    assert_eq!(api.delete(&format!("{path}/{id}")).await.status, 204);
    assert_eq!(
        api.get(&format!("{path}/{id}")).await.body["state"],
        "deleted"
    );
    assert_eq!(api.post(path, json!({"name": "Spanish"})).await.status, 200);
    assert_eq!(api.get(&format!("{path}?name=span")).await.body["total"], 2);
}
