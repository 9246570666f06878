//! Listing envelopes, page sizes and page links.

use serde_json::json;
use switchboard_sim::{GeneratorSpec, Sim};

use crate::support::Api;

fn spec(queues: usize) -> GeneratorSpec {
    GeneratorSpec {
        seed: 42,
        queues,
        users: 50,
        skills: 5,
        languages: 2,
        wrapup_codes: 5,
        memberships: 0,
        wrapup_codes_per_queue: 1,
        skills_per_user: 1,
        member_group_percent: 0,
        queue_settings_percent: 0,
        lookups_for_queues: None,
        capacity_percent: 0,
    }
}

#[tokio::test]
async fn queues_page_500_500_234() {
    let api = Api::start(Sim::builder().generate(spec(1_234))).await;
    let mut seen = std::collections::BTreeSet::new();
    let mut sizes = Vec::new();
    for page in 1..=3 {
        let r = api
            .get(&format!(
                "/api/v2/routing/queues?pageSize=500&pageNumber={page}"
            ))
            .await;
        assert_eq!(r.status, 200);
        assert_eq!(r.body["total"], 1234);
        assert_eq!(r.body["pageCount"], 3);
        assert_eq!(r.body["pageNumber"], page);
        assert_eq!(r.body["pageSize"], 500);
        assert_eq!(r.body.get("nextUri").is_some(), page < 3, "page {page}");
        assert_eq!(r.body.get("previousUri").is_some(), page > 1, "page {page}");
        assert_eq!(
            r.body["lastUri"],
            "/api/v2/routing/queues?pageSize=500&pageNumber=3"
        );
        if page < 3 {
            assert_eq!(
                r.body["nextUri"],
                format!(
                    "/api/v2/routing/queues?pageSize=500&pageNumber={}",
                    page + 1
                )
            );
        }
        let entities = r.body["entities"].as_array().unwrap();
        sizes.push(entities.len());
        for q in entities {
            assert!(
                seen.insert(q["id"].as_str().unwrap().to_string()),
                "no queue twice"
            );
        }
    }
    assert_eq!(sizes, [500, 500, 234]);
    let past = api
        .get("/api/v2/routing/queues?pageSize=500&pageNumber=4")
        .await;
    assert_eq!(past.body["entities"], json!([]));
    assert!(past.body.get("nextUri").is_none());
    let too_big = api.get("/api/v2/routing/queues?pageSize=501").await;
    assert_eq!((too_big.status, too_big.code()), (400, "invalid.value"));
    let default = api.get("/api/v2/routing/queues").await;
    assert_eq!(default.body["pageSize"], 25);
    assert_eq!(default.body["pageCount"], 50);
}

#[tokio::test]
async fn members_page_without_totals() {
    let mut s = spec(1);
    s.memberships = 7;
    let api = Api::start(Sim::builder().generate(s)).await;
    let q = api.get("/api/v2/routing/queues").await.body["entities"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/api/v2/routing/queues/{q}/members");
    let mut names = Vec::new();
    for page in 1..=3 {
        let r = api
            .get(&format!("{path}?pageSize=3&pageNumber={page}"))
            .await;
        assert_eq!(r.status, 200);
        for absent in ["total", "pageCount", "lastUri"] {
            assert!(r.body.get(absent).is_none(), "{absent} on page {page}");
        }
        assert_eq!(r.body.get("nextUri").is_some(), page < 3, "page {page}");
        for m in r.body["entities"].as_array().unwrap() {
            names.push(m["name"].as_str().unwrap().to_string());
            assert_eq!(m["id"], m["user"]["id"]);
            assert!(m["memberBy"] == "user");
        }
    }
    assert_eq!(names.len(), 7);
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, sorted, "members are sorted by name");
    let r = api.get(&format!("{path}?pageSize=101")).await;
    assert_eq!(r.status, 400);
    let deprecated = api
        .get(&format!("/api/v2/routing/queues/{q}/users?pageSize=3"))
        .await;
    assert_eq!(deprecated.body["total"], 7, "the V1 listing has totals");
}

#[tokio::test]
async fn other_listings_page_the_same_way() {
    let api = Api::start(Sim::builder().generate(spec(3))).await;
    let users = api.get("/api/v2/users?pageSize=20&pageNumber=3").await;
    assert_eq!(users.body["total"], 50);
    assert_eq!(users.body["entities"].as_array().unwrap().len(), 10);
    assert!(users.body.get("nextUri").is_none());
    let skills = api.get("/api/v2/routing/skills?pageSize=2").await;
    assert_eq!(skills.body["pageCount"], 3);
    let codes = api.get("/api/v2/routing/wrapupcodes?pageSize=5").await;
    assert_eq!(codes.body["total"], 5);
    let languages = api.get("/api/v2/routing/languages").await;
    assert_eq!(languages.body["total"], 2);
    let bad = api.get("/api/v2/routing/skills?pageNumber=0").await;
    assert_eq!(bad.status, 400);
}
