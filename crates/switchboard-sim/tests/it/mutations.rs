//! `mutate` faults: successful JSON answers altered on purpose. Mutated answers need not
//! match the API description, so these tests read them without the spec check.

use reqwest::Method;
use serde_json::{Value, json};
use switchboard_sim::{FaultRule, Faults, GeneratorSpec, JournalConfig, Mutation, Sim};

use crate::support::{Api, Resp, example_fixture, read};

const QUEUES: &str = "/api/v2/routing/queues";
const SKILLS: &str = "/api/v2/routing/skills";
const SEARCH: &str = "/api/v2/users/search";

/// The example org with these fault rules.
async fn api_with(rules: Vec<FaultRule>) -> Api {
    let faults = rules.into_iter().fold(Faults::none(), Faults::rule);
    Api::start(Sim::builder().fixture(example_fixture()).faults(faults)).await
}

/// A GET whose answer is not checked against the spec.
async fn raw_get(api: &Api, path: &str) -> Resp {
    read(api.request(Method::GET, path).send().await.unwrap()).await
}

/// A POST whose answer is not checked against the spec.
async fn raw_post(api: &Api, path: &str, body: Value) -> Resp {
    read(
        api.request(Method::POST, path)
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

/// The search for every active user, `pageSize` 2.
fn search_page(page: u64) -> Value {
    json!({
        "pageSize": 2,
        "pageNumber": page,
        "expand": ["skills"],
        "query": [{"type": "EXACT", "fields": ["state"], "values": ["active"]}],
    })
}

#[tokio::test]
async fn remove_drops_a_field_from_every_listed_queue_only() {
    let api = api_with(vec![
        FaultRule::mutate(Mutation::remove("entities/*/division")).path_suffix("/queues"),
    ])
    .await;
    let listing = raw_get(&api, QUEUES).await;
    assert_eq!(listing.status, 200);
    let entities = listing.body["entities"].as_array().unwrap();
    assert_eq!(entities.len(), 4);
    assert!(entities.iter().all(|q| q.get("division").is_none()));
    assert!(entities.iter().all(|q| q.get("name").is_some()));
    let one = api
        .get(&format!("{QUEUES}/{}", entities[0]["id"].as_str().unwrap()))
        .await;
    assert!(
        one.body.get("division").is_some(),
        "the suffix spares GET by id"
    );
}

#[tokio::test]
async fn set_creates_and_overwrites_fields_of_the_skills_listing() {
    let next = "/api/v2/routing/skills?pageSize=25&pageNumber=2";
    let api = api_with(vec![
        FaultRule::mutate(Mutation::set("pageCount", 1_000_000))
            .path_prefix(SKILLS)
            .times(1),
        FaultRule::mutate(Mutation::set("nextUri", next))
            .path_prefix(SKILLS)
            .times(1),
        FaultRule::mutate(Mutation::set("entities/*/memberCount", 0)).path_suffix("/queues"),
    ])
    .await;
    let r = raw_get(&api, SKILLS).await;
    assert_eq!(r.body["pageCount"], 1_000_000);
    assert_eq!(r.body["total"], 6, "the rest is as answered");
    let length: usize = r.header("content-length").unwrap().parse().unwrap();
    assert_eq!(length, r.body.to_string().len(), "Content-Length is fixed");
    let r = raw_get(&api, SKILLS).await;
    assert_eq!(
        (r.body["nextUri"].as_str(), &r.body["pageCount"]),
        (Some(next), &json!(1))
    );
    let queues = raw_get(&api, QUEUES).await;
    let counts: Vec<&Value> = queues.body["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| &q["memberCount"])
        .collect();
    assert_eq!(counts, [&json!(0); 4]);
}

#[tokio::test]
async fn truncate_ends_a_members_page_early() {
    let api = api_with(vec![
        FaultRule::mutate(Mutation::truncate("entities", 1))
            .path_prefix(format!("{QUEUES}/"))
            .path_suffix("/members"),
    ])
    .await;
    let billing = api.queue_id("Billing EN").await;
    let r = raw_get(&api, &format!("{QUEUES}/{billing}/members?pageSize=2")).await;
    assert_eq!(r.body["entities"].as_array().unwrap().len(), 1);
    assert!(
        r.body.get("nextUri").is_none(),
        "the page claims to be the last"
    );
    assert_eq!(r.body["pageSize"], 2);
    let listing = api.get(QUEUES).await;
    assert_eq!(
        listing.body["entities"].as_array().unwrap().len(),
        4,
        "the suffix spares the queue listing"
    );
}

#[tokio::test]
async fn truncate_and_remove_reach_into_search_results() {
    let api = api_with(vec![
        FaultRule::mutate(Mutation::truncate("results/*/skills", 1))
            .path_prefix(SEARCH)
            .times(1),
        FaultRule::mutate(Mutation::remove("results/*/skills")).path_prefix(SEARCH),
    ])
    .await;
    let query = json!({
        "expand": ["skills"],
        "query": [{"type": "EXACT", "fields": ["email"], "value": "ana.silva@example.com"}],
    });
    let r = raw_post(&api, SEARCH, query.clone()).await;
    assert_eq!(r.body["results"][0]["skills"].as_array().unwrap().len(), 1);
    assert!(r.body.get("nextUri").is_none());
    let r = raw_post(&api, SEARCH, query).await;
    assert!(r.body["results"][0].get("skills").is_none());
    assert_eq!(r.body["results"][0]["email"], "ana.silva@example.com");
}

#[tokio::test]
async fn omit_is_deterministic_per_seed() {
    let run = |seed| async move {
        let spec = GeneratorSpec {
            queues: 60,
            users: 10,
            memberships: 0,
            ..GeneratorSpec::small()
        };
        let api =
            Api::start(Sim::builder().generate(spec).faults(
                Faults::none().seed(seed).rule(
                    FaultRule::mutate(Mutation::omit("entities", 0.5)).path_suffix("/queues"),
                ),
            ))
            .await;
        let r = raw_get(&api, &format!("{QUEUES}?pageSize=100")).await;
        assert_eq!(r.body["total"], 60, "the envelope still counts every queue");
        ids(&r.body["entities"])
    };
    let a = run(5).await;
    assert_eq!(a, run(5).await);
    assert_ne!(a, run(6).await);
    assert!(!a.is_empty() && a.len() < 60, "{} kept", a.len());
}

#[tokio::test]
async fn answers_other_than_2xx_json_pass_unchanged() {
    let api = api_with(vec![
        FaultRule::mutate(Mutation::set("code", "mutated")).method("GET"),
        FaultRule::mutate(Mutation::set("code", "mutated")).method("DELETE"),
    ])
    .await;
    let missing = api
        .get(&format!("{QUEUES}/00000000-0000-0000-0000-000000000000"))
        .await;
    assert_eq!((missing.status, missing.code()), (404, "not.found"));
    let bad = api.get(&format!("{SKILLS}?pageSize=501")).await;
    assert_eq!((bad.status, bad.code()), (400, "invalid.value"));
    let unauthenticated = read(api.http.get(api.url(QUEUES)).send().await.unwrap()).await;
    assert_eq!(unauthenticated.status, 401);
    assert_ne!(unauthenticated.code(), "mutated");
    let id = api.create_queue(json!({"name": "Short-lived"})).await;
    let deleted = raw_get(&api, &format!("{QUEUES}/{id}")).await;
    assert_eq!(deleted.body["code"], "mutated", "2xx JSON is altered");
    let r = api
        .request(Method::DELETE, &format!("{QUEUES}/{id}"))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    assert!(
        r.bytes().await.unwrap().is_empty(),
        "an empty answer stays empty"
    );
}

#[tokio::test]
async fn the_journal_holds_the_mutated_body() {
    let api = Api::start(
        Sim::builder()
            .fixture(example_fixture())
            .journal(JournalConfig {
                file: None,
                response_bodies: true,
            })
            .faults(
                Faults::none()
                    .rule(FaultRule::mutate(Mutation::truncate("entities", 2)).path_prefix(SKILLS)),
            ),
    )
    .await;
    let r = raw_get(&api, SKILLS).await;
    let entry = api
        .sim
        .journal()
        .into_iter()
        .rfind(|e| e.path == SKILLS)
        .unwrap();
    assert_eq!(entry.response_body, Some(r.body));
    let journaled = entry.response_body.unwrap();
    assert_eq!(journaled["entities"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn repeat_page_answers_page_one_with_a_next_link() {
    let api = api_with(vec![
        FaultRule::mutate(Mutation::RepeatPage)
            .path_prefix(SKILLS)
            .skip(1),
    ])
    .await;
    let first = api.get(&format!("{SKILLS}?pageSize=2")).await;
    let r = raw_get(
        &api,
        &format!("{SKILLS}?pageSize=2&pageNumber=6&sortOrder=asc"),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["entities"], first.body["entities"]);
    assert_eq!(r.body["pageNumber"], 1);
    assert_eq!(
        r.body["nextUri"],
        "/api/v2/routing/skills?pageSize=2&pageNumber=7&sortOrder=asc"
    );
    let last = api.sim.journal().pop().unwrap();
    assert_eq!(
        last.query, "pageSize=2&pageNumber=6&sortOrder=asc",
        "the journal keeps what was asked"
    );
    let bad = raw_get(&api, &format!("{SKILLS}?pageNumber=0")).await;
    assert_eq!(bad.status, 400, "an invalid page is still refused");
}

#[tokio::test]
async fn repeat_page_loops_a_members_listing() {
    let api = api_with(vec![
        FaultRule::mutate(Mutation::RepeatPage).path_suffix("/members"),
    ])
    .await;
    let billing = api.queue_id("Billing EN").await;
    let path = format!("{QUEUES}/{billing}/members");
    let first = raw_get(&api, &format!("{path}?pageSize=1")).await;
    let mut next = first.body["nextUri"].as_str().unwrap().to_string();
    for page in 2..=9 {
        assert!(next.contains(&format!("pageNumber={page}")), "{next}");
        let r = raw_get(&api, &next).await;
        assert_eq!(r.body["entities"], first.body["entities"], "page {page}");
        next = r.body["nextUri"].as_str().unwrap().to_string();
    }
}

#[tokio::test]
async fn repeat_page_serves_search_page_one_for_every_page() {
    let api = api_with(vec![
        FaultRule::mutate(Mutation::RepeatPage)
            .path_prefix(SEARCH)
            .skip(1),
    ])
    .await;
    let first = api.post(SEARCH, search_page(1)).await;
    assert_eq!(first.body["pageCount"], 4, "seven active users, two a page");
    for page in [3, 7] {
        let r = raw_post(&api, SEARCH, search_page(page)).await;
        assert_eq!(r.status, 200);
        assert_eq!(ids(&r.body["results"]), ids(&first.body["results"]));
        assert_eq!(r.body["pageNumber"], page);
        assert!(r.body["pageCount"].as_u64().unwrap() > page);
    }
    let last = api.sim.journal().pop().unwrap();
    assert_eq!(
        last.request_body.unwrap()["pageNumber"],
        7,
        "the journal keeps what was asked"
    );
}
