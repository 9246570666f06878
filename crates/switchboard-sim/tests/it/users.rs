//! Users, their routing skills and languages, and utilization.

use serde_json::{Value, json};
use switchboard_sim::{GeneratorSpec, Sim};

use crate::support::{Api, example_fixture};

async fn skill_id(api: &Api, name: &str) -> String {
    api.get(&format!("/api/v2/routing/skills?name={name}"))
        .await
        .body["entities"][0]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn names(listing: &Value) -> Vec<(String, f64)> {
    listing["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_string(),
                s["proficiency"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn bulk_put_replaces_and_patch_adds() {
    let api = Api::start(Sim::builder().fixture(example_fixture())).await;
    let ana = api.user_id("ana.silva@example.com").await;
    let path = format!("/api/v2/users/{ana}/routingskills");
    assert_eq!(
        names(&api.get(&path).await.body),
        [("Billing".to_string(), 5.0), ("Disputes".to_string(), 3.0)]
    );
    let vip = skill_id(&api, "VIP").await;
    let sales = skill_id(&api, "Sales").await;

    let patched = api
        .patch(
            &format!("{path}/bulk"),
            json!([{"id": vip, "proficiency": 2.5}]),
        )
        .await;
    assert_eq!(patched.status, 200);
    assert_eq!(names(&patched.body).len(), 3, "PATCH adds");

    let put = api
        .put(
            &format!("{path}/bulk"),
            json!([{"id": sales, "proficiency": 4}]),
        )
        .await;
    assert_eq!(put.status, 200);
    assert_eq!(
        names(&put.body),
        [("Sales".to_string(), 4.0)],
        "PUT replaces everything"
    );

    let one = api
        .put(&format!("{path}/{sales}"), json!({"proficiency": 1.5}))
        .await;
    assert_eq!(
        (one.status, one.body["proficiency"].as_f64()),
        (200, Some(1.5))
    );
    assert_eq!(
        one.body["skillUri"],
        format!("/api/v2/routing/skills/{sales}")
    );
    let posted = api.post(&path, json!({"id": vip, "proficiency": 0})).await;
    assert_eq!(posted.status, 200);
    assert_eq!(api.delete(&format!("{path}/{vip}")).await.status, 204);
    assert_eq!(api.delete(&format!("{path}/{vip}")).await.status, 404);

    let out_of_range = api
        .post(&path, json!({"id": vip, "proficiency": 5.5}))
        .await;
    assert_eq!(
        (out_of_range.status, out_of_range.code()),
        (400, "invalid.value")
    );
    let missing = api.post(&path, json!({"id": vip})).await;
    assert_eq!(missing.code(), "required.field.missing");
    let unknown = api
        .post(&path, json!({"id": "nope", "proficiency": 1}))
        .await;
    assert_eq!(unknown.status, 400);
    api.delete(&format!("/api/v2/routing/skills/{vip}")).await;
    let deleted = api.post(&path, json!({"id": vip, "proficiency": 1})).await;
    assert_eq!(deleted.status, 400, "a deleted skill cannot be assigned");
}

#[tokio::test]
async fn bulk_patch_takes_at_most_50() {
    let api = Api::start(Sim::builder().generate(GeneratorSpec {
        skills: 51,
        users: 1,
        queues: 0,
        memberships: 0,
        skills_per_user: 0,
        ..GeneratorSpec::small()
    }))
    .await;
    let user = api.get("/api/v2/users").await.body["entities"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let skills = api.get("/api/v2/routing/skills?pageSize=100").await;
    let all: Vec<Value> = skills.body["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| json!({"id": s["id"], "proficiency": 3}))
        .collect();
    let path = format!("/api/v2/users/{user}/routingskills/bulk");
    assert_eq!(
        api.patch(&path, Value::Array(all.clone())).await.status,
        400
    );
    assert_eq!(
        api.patch(&path, Value::Array(all[..50].to_vec()))
            .await
            .status,
        200
    );
    let put = api.put(&path, Value::Array(all)).await;
    assert_eq!(put.status, 200, "PUT bulk has no documented maximum");
    assert_eq!(put.body["total"], 51);
}

#[tokio::test]
async fn languages_round_to_whole_proficiencies() {
    let api = Api::start(Sim::builder().fixture(example_fixture())).await;
    let bo = api.user_id("bo.berg@example.com").await;
    let spanish =
        api.get("/api/v2/routing/languages?name=Spanish").await.body["entities"][0]["id"].clone();
    let path = format!("/api/v2/users/{bo}/routinglanguages");
    let r = api
        .patch(
            &format!("{path}/bulk"),
            json!([{"id": spanish, "proficiency": 3.6}]),
        )
        .await;
    assert_eq!(r.status, 200);
    let got = api.get(&path).await;
    let es = got.body["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "Spanish")
        .unwrap()
        .clone();
    assert_eq!(es["proficiency"].as_f64(), Some(4.0));
    let sid = spanish.as_str().unwrap();
    assert_eq!(
        api.patch(&format!("{path}/{sid}"), json!({"proficiency": 2}))
            .await
            .status,
        200
    );
    assert_eq!(api.delete(&format!("{path}/{sid}")).await.status, 204);
    let many: Vec<Value> = (0..51)
        .map(|_| json!({"id": spanish, "proficiency": 1}))
        .collect();
    let r = api.patch(&format!("{path}/bulk"), Value::Array(many)).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.body["message"],
        "Max 50 routing languages in request body"
    );
    assert_eq!(
        api.put(&format!("{path}/bulk"), json!([])).await.status,
        404,
        "no PUT bulk for languages"
    );
}

#[tokio::test]
async fn user_listing_expand_and_search() {
    let api = Api::start(Sim::builder().fixture(example_fixture())).await;
    let active = api.get("/api/v2/users").await;
    assert_eq!(
        active.body["total"], 7,
        "inactive users are not listed by default"
    );
    let any = api
        .get("/api/v2/users?state=any&expand=skills&expand=languages")
        .await;
    assert_eq!(any.body["total"], 8);
    let ana = &any.body["entities"][0];
    assert_eq!(ana["name"], "Ana Silva");
    assert_eq!(ana["skills"].as_array().unwrap().len(), 2);
    assert_eq!(ana["languages"].as_array().unwrap().len(), 2);
    assert!(active.body["entities"][0].get("skills").is_none());

    let ids: Vec<String> = (0..101).map(|i| format!("id={i}")).collect();
    let r = api.get(&format!("/api/v2/users?{}", ids.join("&"))).await;
    assert_eq!((r.status, r.code()), (400, "max.user.ids"));
    assert_eq!(
        r.body["message"],
        "Only 100 users can be requested at a time."
    );

    let found = api
        .post(
            "/api/v2/users/search",
            json!({"query": [{"type": "EXACT", "fields": ["email"], "values": ["ana.silva@example.com", "BO.BERG@example.com", "nobody@example.com"]}],
                   "expand": ["skills"], "pageSize": 25}),
        )
        .await;
    assert_eq!(found.status, 200);
    assert_eq!(found.body["total"], 2);
    assert_eq!(found.body["types"], json!(["users"]));
    assert!(found.body["results"][0]["skills"].is_array());
    let term = api
        .post("/api/v2/users/search", json!({"query": [{"type": "TERM", "fields": ["email"], "value": "hugo.haddad@example.com"}]}))
        .await;
    assert_eq!(term.body["results"][0]["state"], "inactive");
    let bad = api
        .post(
            "/api/v2/users/search",
            json!({"query": [{"fields": ["email"], "value": "x"}]}),
        )
        .await;
    assert_eq!(bad.code(), "required.field.missing", "type is required");
    let one = api
        .get(&format!("/api/v2/users/{}", ana["id"].as_str().unwrap()))
        .await;
    assert_eq!(one.body["email"], "ana.silva@example.com");
    assert_eq!(api.get("/api/v2/users/nope").await.status, 404);
}

#[tokio::test]
async fn utilization() {
    let api = Api::start(Sim::builder().fixture(example_fixture())).await;
    let org = api.get("/api/v2/routing/utilization").await;
    assert_eq!(org.body["utilization"]["call"]["maximumCapacity"], 1);
    let put = api
        .put("/api/v2/routing/utilization", json!({"utilization": {"chat": {"maximumCapacity": 6, "interruptableMediaTypes": ["call"]}}}))
        .await;
    assert_eq!(put.status, 200);
    assert_eq!(put.body["utilization"]["chat"]["maximumCapacity"], 6);
    let too_much = api
        .put(
            "/api/v2/routing/utilization",
            json!({"utilization": {"chat": {"maximumCapacity": 26}}}),
        )
        .await;
    assert_eq!(too_much.code(), "invalid.value");
    let eli = api.user_id("eli.tanaka@example.com").await;
    let own = api
        .get(&format!("/api/v2/routing/users/{eli}/utilization"))
        .await;
    assert_eq!(own.body["level"], "Agent");
    let bo = api.user_id("bo.berg@example.com").await;
    let inherited = api
        .get(&format!("/api/v2/routing/users/{bo}/utilization"))
        .await;
    assert_eq!(inherited.body["level"], "Organization");
    assert_eq!(inherited.body["utilization"]["chat"]["maximumCapacity"], 6);
    assert_eq!(
        api.delete(&format!("/api/v2/routing/users/{eli}/utilization"))
            .await
            .status,
        204
    );
    let after = api
        .get(&format!("/api/v2/routing/users/{eli}/utilization"))
        .await;
    assert_eq!(after.body["level"], "Organization");
    assert_eq!(api.delete("/api/v2/routing/utilization").await.status, 204);
    let reset = api.get("/api/v2/routing/utilization").await;
    assert_eq!(reset.body, org.body);
}

#[tokio::test]
async fn utilization_never_answers_null() {
    let api = Api::start(Sim::builder().fixture(example_fixture())).await;
    let eli = api.user_id("eli.tanaka@example.com").await;
    let nulls = json!({
        "utilization": {
            "call": {"maximumCapacity": null, "interruptableMediaTypes": null, "includeNonAcd": null},
            "chat": null,
            "email": {"maximumCapacity": 2, "interruptableMediaTypes": [null, "call"]}
        },
        "labelUtilizations": null,
        "maxInboundCalls": null
    });
    for path in [
        "/api/v2/routing/utilization".to_owned(),
        format!("/api/v2/routing/users/{eli}/utilization"),
    ] {
        // `support::conform` refuses any `null` in an answer.
        let put = api.put(&path, nulls.clone()).await;
        assert_eq!(put.status, 200, "{path}: {}", put.body);
        assert!(put.body.get("maxInboundCalls").is_none(), "{path}");
        assert_eq!(put.body["utilization"]["call"]["maximumCapacity"], 1);
        assert_eq!(
            put.body["utilization"]["email"]["interruptableMediaTypes"],
            json!(["call"])
        );
        let got = api.get(&path).await;
        assert_eq!(got.body["utilization"], put.body["utilization"], "{path}");
        let set = api.put(&path, json!({"maxInboundCalls": 3})).await;
        assert_eq!(set.body["maxInboundCalls"], 3, "{path}");
    }
}

#[tokio::test]
async fn a_share_of_generated_users_has_capacity_of_its_own() {
    let api = Api::start(Sim::builder().generate(GeneratorSpec {
        users: 200,
        queues: 0,
        memberships: 0,
        capacity_percent: 5,
        ..GeneratorSpec::small()
    }))
    .await;
    let users = api.get("/api/v2/users?pageSize=500").await;
    let mut own = 0;
    for user in users.body["entities"].as_array().unwrap() {
        let id = user["id"].as_str().unwrap();
        let read = api
            .get(&format!("/api/v2/routing/users/{id}/utilization"))
            .await;
        assert_eq!(read.status, 200);
        if read.body["level"] == "Agent" {
            own += 1;
            assert_eq!(read.body["maxInboundCalls"], 1);
            assert_eq!(read.body["utilization"]["call"]["maximumCapacity"], 1);
        } else {
            assert_eq!(read.body["level"], "Organization");
        }
    }
    assert_eq!(own, 10, "5 % of 200, spread evenly");
}
