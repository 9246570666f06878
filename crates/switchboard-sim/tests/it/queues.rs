//! Queue CRUD and its strict validation.

use serde_json::json;
use switchboard_sim::Sim;

use crate::support::{Api, example_fixture};

const QUEUES: &str = "/api/v2/routing/queues";

#[tokio::test]
async fn create_read_replace_delete() {
    let domain =
        switchboard_sim::Fixture::from_yaml("emailDomains: [{name: example.com}]").unwrap();
    let api = Api::start(Sim::builder().fixture(domain)).await;
    let created = api
        .post(
            QUEUES,
            json!({"name": "Billing EN", "description": "first",
                   "mediaSettings": {"call": {"alertingTimeoutSeconds": 8, "serviceLevel": {"percentage": 0.8, "durationMs": 20000}}},
                   "outboundEmailAddress": {"domain": {"id": "example.com"}},
                   "memberCount": 99, "id": "ignored"}),
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.body);
    let id = created.body["id"].as_str().unwrap().to_string();
    assert_ne!(id, "ignored");
    assert_eq!(
        created.body["memberCount"], 0,
        "read-only fields are recomputed"
    );
    assert_eq!(created.body["division"]["name"], "Home");
    assert_eq!(created.body["selfUri"], format!("{QUEUES}/{id}"));
    assert_eq!(
        created.body["outboundEmailAddress"]["domain"]["id"],
        "example.com"
    );

    let got = api.get(&format!("{QUEUES}/{id}")).await;
    assert_eq!(got.body, created.body);

    // A full replace: the body lacks outboundEmailAddress and description, so they are gone.
    let replaced = api
        .put(
            &format!("{QUEUES}/{id}"),
            json!({"name": "Billing EN", "mediaSettings": {"call": {"alertingTimeoutSeconds": 10}},
                   "dateCreated": "2000-01-01T00:00:00Z", "joinedMemberCount": 5}),
        )
        .await;
    assert_eq!(replaced.status, 200, "{}", replaced.body);
    assert!(replaced.body.get("outboundEmailAddress").is_none());
    assert!(replaced.body.get("description").is_none());
    assert_eq!(
        replaced.body["mediaSettings"],
        json!({"call": {"alertingTimeoutSeconds": 10}})
    );
    assert_eq!(replaced.body["dateCreated"], created.body["dateCreated"]);
    assert_eq!(replaced.body["joinedMemberCount"], 0);

    assert_eq!(
        api.delete(&format!("{QUEUES}/{id}?forceDelete=true"))
            .await
            .status,
        204
    );
    let gone = api.get(&format!("{QUEUES}/{id}")).await;
    assert_eq!(gone.status, 404);
    assert_eq!(gone.code(), "not.found");
    assert_eq!(api.get(QUEUES).await.body["total"], 0);
    assert_eq!(api.delete(&format!("{QUEUES}/{id}")).await.status, 404);
}

#[tokio::test]
async fn names_are_unique_case_insensitively() {
    let api = Api::start(Sim::builder()).await;
    let a = api.create_queue(json!({"name": "Billing EN"})).await;
    let dup = api.post(QUEUES, json!({"name": "billing en"})).await;
    assert_eq!(dup.status, 400);
    assert_eq!(dup.code(), "duplicate.name");
    assert_eq!(
        dup.body["message"],
        "A queue with that name already exists."
    );

    let b = api.create_queue(json!({"name": "Billing ES"})).await;
    let rename = api
        .put(&format!("{QUEUES}/{b}"), json!({"name": "BILLING EN"}))
        .await;
    assert_eq!(rename.code(), "duplicate.name");
    // Renaming a queue to its own name in another case is fine.
    let same = api
        .put(&format!("{QUEUES}/{a}"), json!({"name": "BILLING en"}))
        .await;
    assert_eq!(same.status, 200);
}

#[tokio::test]
async fn bodies_are_checked_strictly() {
    let api = Api::start(Sim::builder()).await;
    let cases = [
        (json!({"description": "no name"}), "required.field.missing"),
        (json!({"name": "  "}), "required.field.missing"),
        (json!({"name": "Q", "wrapUpCodes": []}), "bad.request"),
        (
            json!({"name": "Q", "mediaSettings": {"call": {"alertingTimeout": 8}}}),
            "bad.request",
        ),
        (json!({"name": "Q", "autoAnswerOnly": "yes"}), "bad.request"),
        (json!({"name": 5}), "bad.request"),
        (
            json!({"name": "Q", "skillEvaluationMethod": "MOST"}),
            "invalid.value",
        ),
        (
            json!({"name": "Q", "mediaSettings": {"call": {"alertingTimeoutSeconds": 6}}}),
            "invalid.value",
        ),
        (
            json!({"name": "Q", "mediaSettings": {"chat": {"serviceLevel": {"percentage": 1.5}}}}),
            "invalid.value",
        ),
        (
            json!({"name": "Q", "mediaSettings": {"email": {"serviceLevel": {"durationMs": 999}}}}),
            "invalid.value",
        ),
        (
            json!({"name": "Q", "acwSettings": {"timeoutMs": 500}}),
            "invalid.value",
        ),
        (
            json!({"name": "Q", "acwSettings": {"timeoutMs": 3_600_001}}),
            "invalid.value",
        ),
        (
            json!({"name": "Q", "bullseye": {"rings": [{}]}}),
            "invalid.value",
        ),
        (
            json!({"name": "Q", "bullseye": {"rings": [{}, {}, {}, {}, {}, {}, {}]}}),
            "invalid.value",
        ),
        (
            json!({"name": "Q", "bullseye": {"rings": [{"expansionCriteria": [{"type": "TIMEOUT_SECONDS", "threshold": 259201}]}, {}]}}),
            "invalid.value",
        ),
        (
            json!({"name": "Q", "routingRules": [{}, {}, {}, {}, {}, {}, {}]}),
            "invalid.value",
        ),
        (
            json!({"name": "Q", "directRouting": {"agentWaitSeconds": 59}}),
            "invalid.value",
        ),
        (
            json!({"name": "Q", "agentOwnedRouting": {"maxOwnedCallbackHours": 169}}),
            "invalid.value",
        ),
        (
            json!({"name": "Q", "division": {"id": "no-such-division"}}),
            "invalid.value",
        ),
        (
            json!({"name": "Q", "dateCreated": "yesterday"}),
            "invalid.date",
        ),
        (json!(["not", "an", "object"]), "bad.request"),
    ];
    for (body, code) in cases {
        let r = api.post(QUEUES, body.clone()).await;
        assert_eq!(r.status, 400, "{body}: {}", r.body);
        assert_eq!(r.code(), code, "{body}: {}", r.body);
    }
    let raw = api
        .request(reqwest::Method::POST, QUEUES)
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    let r = crate::support::read(raw).await;
    assert_eq!((r.status, r.code()), (400, "bad.request"));
    assert_eq!(
        api.get(QUEUES).await.body["total"],
        0,
        "nothing was created"
    );
}

#[tokio::test]
async fn nulls_count_as_absent_and_the_same_rules_apply_to_put() {
    let api = Api::start(Sim::builder()).await;
    let id = api
        .create_queue(json!({"name": "Q", "description": null}))
        .await;
    let r = api.get(&format!("{QUEUES}/{id}")).await;
    assert!(r.body.get("description").is_none());
    let bad = api
        .put(
            &format!("{QUEUES}/{id}"),
            json!({"name": "Q", "acwSettings": {"timeoutMs": 1}}),
        )
        .await;
    assert_eq!(bad.code(), "invalid.value");
    assert_eq!(
        api.put("/api/v2/routing/queues/nope", json!({"name": "Q"}))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn null_items_of_lists_count_as_absent() {
    let api = Api::start(Sim::builder()).await;
    // `support::conform` refuses any `null` in an answer.
    let id = api
        .create_queue(
            json!({"name": "Q", "routingRules": [null], "defaultScripts": {"CALL": null}}),
        )
        .await;
    let r = api.get(&format!("{QUEUES}/{id}")).await;
    assert_eq!(r.body["routingRules"], json!([]));
    assert_eq!(r.body["defaultScripts"], json!({}));
}

#[tokio::test]
async fn list_filters_and_order() {
    let api = Api::start(Sim::builder().fixture(example_fixture())).await;
    let all = api.get(QUEUES).await;
    let names: Vec<&str> = all.body["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Billing EN", "Billing ES", "Sales EN", "Tech Support EN"]
    );
    let desc = api.get(&format!("{QUEUES}?sortOrder=desc")).await;
    assert_eq!(desc.body["entities"][0]["name"], "Tech Support EN");
    let wild = api.get(&format!("{QUEUES}?name=billing*")).await;
    assert_eq!(wild.body["total"], 2);
    let exact = api.get(&format!("{QUEUES}?name=billing%20en")).await;
    assert_eq!(exact.body["total"], 1);
    let ids = [
        all.body["entities"][0]["id"].as_str().unwrap(),
        all.body["entities"][3]["id"].as_str().unwrap(),
    ];
    let by_id = api
        .get(&format!("{QUEUES}?id={}&id={}", ids[0], ids[1]))
        .await;
    assert_eq!(by_id.body["total"], 2);
    let sales = api.get("/api/v2/authorization/divisions?name=sales").await;
    let sales_id = sales.body["entities"][0]["id"].as_str().unwrap();
    let in_sales = api.get(&format!("{QUEUES}?divisionId={sales_id}")).await;
    assert_eq!(in_sales.body["entities"][0]["name"], "Sales EN");
    assert_eq!(in_sales.body["total"], 1);
    let billing = &all.body["entities"][0];
    assert_eq!(billing["memberCount"], 4);
    assert_eq!(billing["joinedMemberCount"], 3);
    assert_eq!(billing["division"]["name"], "Customer Care");
    assert_eq!(
        api.get(&format!("{QUEUES}?sortOrder=sideways"))
            .await
            .status,
        400
    );
}

#[tokio::test]
async fn queues_move_between_divisions() {
    let api = Api::start(Sim::builder().fixture(example_fixture())).await;
    let id = api.queue_id("Sales EN").await;
    let divisions = api
        .get("/api/v2/authorization/divisions?objectCount=true")
        .await;
    let care = divisions.body["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "Customer Care")
        .unwrap();
    assert_eq!(care["objectCounts"]["QUEUE"], 3);
    let care_id = care["id"].as_str().unwrap();
    let moved = api
        .post(
            &format!("/api/v2/authorization/divisions/{care_id}/objects/QUEUE"),
            json!([id]),
        )
        .await;
    assert_eq!(moved.status, 204);
    let q = api.get(&format!("{QUEUES}/{id}")).await;
    assert_eq!(q.body["division"]["name"], "Customer Care");
    let bad = api
        .post(
            &format!("/api/v2/authorization/divisions/{care_id}/objects/FLOW"),
            json!([id]),
        )
        .await;
    assert_eq!(bad.status, 400);
    let bogus = api
        .post(
            &format!("/api/v2/authorization/divisions/{care_id}/objects/NOPE"),
            json!([id]),
        )
        .await;
    assert_eq!(bogus.code(), "invalid.value");
}

#[tokio::test]
async fn queue_wrapup_codes() {
    let api = Api::start(Sim::builder().fixture(example_fixture())).await;
    let q = api.queue_id("Tech Support EN").await;
    let path = format!("{QUEUES}/{q}/wrapupcodes");
    let listed = api.get(&path).await;
    assert_eq!(listed.body["total"], 3);
    let codes = api
        .get("/api/v2/routing/wrapupcodes?name=No%20Answer")
        .await;
    let code = codes.body["entities"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let added = api.post(&path, json!([{"id": code}])).await;
    assert_eq!(added.status, 200);
    assert_eq!(added.body[0]["name"], "No Answer");
    assert_eq!(api.get(&path).await.body["total"], 4);
    let unknown = api.post(&path, json!([{"id": "nope"}])).await;
    assert_eq!(unknown.status, 400);
    let many: Vec<_> = (0..101).map(|_| json!({"id": code})).collect();
    assert_eq!(api.post(&path, json!(many)).await.status, 400);
    assert_eq!(api.delete(&format!("{path}/{code}")).await.status, 204);
    assert_eq!(api.delete(&format!("{path}/{code}")).await.status, 404);
    assert_eq!(api.get(&format!("{path}?name=Res*")).await.body["total"], 1);
}

#[tokio::test]
async fn wrapup_codes() {
    let api = Api::start(Sim::builder()).await;
    let path = "/api/v2/routing/wrapupcodes";
    let created = api
        .post(path, json!({"name": "Resolved", "description": "done"}))
        .await;
    assert_eq!(created.status, 200);
    let id = created.body["id"].as_str().unwrap().to_string();
    let dup = api.post(path, json!({"name": "resolved"})).await;
    assert_eq!(dup.code(), "duplicate.name");
    assert_eq!(
        dup.body["message"],
        "A wrapup code with this name already exists."
    );
    let replaced = api
        .put(&format!("{path}/{id}"), json!({"name": "Resolved OK"}))
        .await;
    assert_eq!(replaced.status, 200);
    assert!(replaced.body.get("description").is_none());
    api.post(path, json!({"name": "Escalated"})).await;
    let collision = api
        .put(&format!("{path}/{id}"), json!({"name": "Escalated"}))
        .await;
    assert_eq!(collision.code(), "duplicate.name");
    let sorted = api.get(&format!("{path}?sortOrder=descending")).await;
    assert_eq!(sorted.body["entities"][0]["name"], "Resolved OK");
    assert_eq!(api.delete(&format!("{path}/{id}")).await.status, 204);
    assert_eq!(api.get(&format!("{path}/{id}")).await.status, 404);
}

#[tokio::test]
async fn bodies_must_be_json() {
    let api = Api::start(Sim::builder()).await;
    let r = api
        .request(reqwest::Method::POST, QUEUES)
        .header("content-type", "text/plain")
        .body("{\"name\": \"Q\"}")
        .send()
        .await
        .unwrap();
    let r = crate::support::read(r).await;
    crate::support::conform(&reqwest::Method::POST, QUEUES, &r);
    assert_eq!((r.status, r.code()), (415, "unsupported.media.type"));
    let empty = api
        .request(reqwest::Method::POST, QUEUES)
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), 400);
}
