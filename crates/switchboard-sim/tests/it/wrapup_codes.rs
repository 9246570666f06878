//! Wrap-up codes and their division: created without one, a code is in every division (`*`,
//! as the vendor's sources say; see `org/wrapup_codes.rs`); `*` is taken on create and
//! replace, and a named division moves the code out of it.

use serde_json::json;
use switchboard_sim::{Fixture, Sim};

use crate::support::{Api, example_fixture};

const CODES: &str = "/api/v2/routing/wrapupcodes";

#[tokio::test]
async fn a_code_without_a_division_is_in_every_division() {
    let api = Api::start(Sim::builder().fixture(example_fixture())).await;
    let created = api.post(CODES, json!({"name": "Everywhere"})).await;
    assert_eq!(created.status, 200, "{}", created.body);
    assert_eq!(created.body["division"], json!({"id": "*"}));
    let id = created.body["id"].as_str().unwrap().to_string();
    let got = api.get(&format!("{CODES}/{id}")).await;
    assert_eq!(got.body, created.body);

    // A named division moves it; `*` brings it back; a replace without one keeps it.
    let divisions = api.get("/api/v2/authorization/divisions").await.body;
    let care = divisions["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "Customer Care")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let moved = api
        .put(
            &format!("{CODES}/{id}"),
            json!({"name": "Everywhere", "division": {"id": care}}),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    assert_eq!(moved.body["division"]["name"], "Customer Care");
    let kept = api
        .put(&format!("{CODES}/{id}"), json!({"name": "Everywhere"}))
        .await;
    assert_eq!(kept.body["division"]["id"], care);
    let starred = api
        .put(
            &format!("{CODES}/{id}"),
            json!({"name": "Everywhere", "division": {"id": "*"}}),
        )
        .await;
    assert_eq!(starred.status, 200, "{}", starred.body);
    assert_eq!(starred.body["division"], json!({"id": "*"}));
    // The answer goes back as it is.
    let again = api
        .put(&format!("{CODES}/{id}"), starred.body.clone())
        .await;
    assert_eq!(again.status, 200, "{}", again.body);

    let explicit = api
        .post(CODES, json!({"name": "Starred", "division": {"id": "*"}}))
        .await;
    assert_eq!(explicit.body["division"], json!({"id": "*"}));
    let unknown = api
        .post(CODES, json!({"name": "Nowhere", "division": {"id": "**"}}))
        .await;
    assert_eq!(unknown.status, 400);
    assert_eq!(unknown.code(), "invalid.value");

    // `divisionId` keeps `*` codes only when `*` is asked for.
    let in_care = api.get(&format!("{CODES}?divisionId={care}")).await;
    assert!(
        in_care.body["entities"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["division"]["id"] == care.as_str())
    );
    let starred = api.get(&format!("{CODES}?divisionId=*")).await;
    let names: Vec<&str> = starred.body["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Everywhere", "Starred"]);
}

#[tokio::test]
async fn a_fixture_code_is_home_unless_it_says_otherwise() {
    let fixture =
        Fixture::from_yaml("wrapupCodes: [{name: Home Code}, {name: All Code, division: \"*\"}]\n")
            .unwrap();
    let api = Api::start(Sim::builder().fixture(fixture)).await;
    let codes = api.get(&format!("{CODES}?sortBy=name")).await.body;
    assert_eq!(codes["entities"][0]["name"], "All Code");
    assert_eq!(codes["entities"][0]["division"], json!({"id": "*"}));
    assert_eq!(codes["entities"][1]["division"]["name"], "Home");
}
