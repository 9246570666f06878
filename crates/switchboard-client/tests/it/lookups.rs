//! The look-ups of what a queue references (flows, prompts, scripts, groups, teams, skill
//! groups) and the two pagings they bring: cursors and searches. Against the raw server,
//! which answers each request with what a test's route makes of it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde_json::{Value, json};
use switchboard_client::api::{self, prompts};
use switchboard_client::models::{
    Queue, SearchRequest, SkillGroup, SkillGroupCondition, SkillGroupMemberDivisions,
    SkillGroupRoutingCondition, SkillGroupWithMemberDivisions,
};
use switchboard_client::{ApiRequest, Error};
use switchboard_openapi::{Spec, ValidationMode};

use crate::raw_server::{Answer, RawServer, Received};

/// The most any call here may take.
const BOUND: Duration = Duration::from_secs(20);

async fn bounded<T>(call: impl Future<Output = T>) -> T {
    tokio::time::timeout(BOUND, call)
        .await
        .expect("hang: the call did not return in time")
}

fn ok(body: Value) -> Answer {
    Answer::json(200, body.to_string())
}

fn team(id: &str) -> Value {
    json!({"id": id, "name": format!("Team {id}"), "memberCount": 3})
}

/// A server whose teams listing answers by `after` cursor: `pages[cursor]`.
async fn teams_server(pages: Vec<(Option<&'static str>, Value)>) -> RawServer {
    let server = RawServer::start(Answer::json(404, "{}")).await;
    route_teams(&server, pages);
    server
}

/// Has `server`'s teams listing answer by `after` cursor: `pages[cursor]`.
fn route_teams(server: &RawServer, pages: Vec<(Option<&'static str>, Value)>) {
    server.route(move |request| {
        let after = request.query_values("after").pop();
        pages
            .iter()
            .find(|(cursor, _)| cursor.map(str::to_string) == after)
            .map_or(Answer::json(404, "{}"), |(_, page)| ok(page.clone()))
    });
}

fn listing_error(error: &Error) -> String {
    assert!(matches!(error, Error::Listing(_)), "{error:?}");
    error.to_string()
}

#[tokio::test]
async fn teams_are_read_through_their_cursors_to_the_end() {
    let server = teams_server(vec![
        (
            None,
            json!({"entities": [team("t1"), team("t2")], "nextUri": "/api/v2/teams?pageSize=100&after=c%2B1",
                   "selfUri": "/api/v2/teams?pageSize=100"}),
        ),
        (
            Some("c+1"),
            json!({"entities": [team("t3")], "nextUri": "/api/v2/teams?after=c2&pageSize=100",
                   "previousUri": "/api/v2/teams?before=c0"}),
        ),
        (Some("c2"), json!({"entities": []})),
    ])
    .await;
    // The same host, written out in full, is followed too.
    let routed = RawServer::start(Answer::json(404, "{}")).await;
    let page_two = format!("{}/api/v2/teams?after=c2&pageSize=100", routed.url());
    route_teams(
        &routed,
        vec![
            (
                None,
                json!({"entities": [team("t1")], "nextUri": "/api/v2/teams?after=c%2B1"}),
            ),
            (
                Some("c+1"),
                json!({"entities": [team("t2")], "nextUri": page_two}),
            ),
            (Some("c2"), json!({"entities": [team("t3")]})),
        ],
    );
    for server in [server, routed] {
        let teams = bounded(server.client().list_teams()).await.unwrap();
        let ids: Vec<_> = teams.iter().filter_map(|t| t.id.as_deref()).collect();
        assert_eq!(ids, ["t1", "t2", "t3"]);
        let requests = server.requests();
        assert_eq!(requests.len(), 3);
        for (request, after) in requests.iter().zip([None, Some("c+1"), Some("c2")]) {
            assert_eq!(
                (request.method.as_str(), request.path.as_str()),
                ("GET", "/api/v2/teams")
            );
            assert_eq!(request.query_values("pageSize"), ["100"]);
            assert_eq!(
                request.query_values("after").first().map(String::as_str),
                after
            );
        }
    }
}

#[tokio::test]
async fn a_cursor_listing_that_repeats_a_cursor_or_an_entity_is_refused() {
    let repeated_cursor = teams_server(vec![
        (
            None,
            json!({"entities": [team("t1")], "nextUri": "/api/v2/teams?after=c1"}),
        ),
        (
            Some("c1"),
            json!({"entities": [team("t2")], "nextUri": "/api/v2/teams?after=c1"}),
        ),
    ])
    .await;
    let error = bounded(repeated_cursor.client().list_teams())
        .await
        .unwrap_err();
    assert!(
        listing_error(&error).contains("gives the cursor c1 again"),
        "{error}"
    );
    assert_eq!(repeated_cursor.api_requests(), 2);

    let repeated_entity = teams_server(vec![
        (
            None,
            json!({"entities": [team("t1")], "nextUri": "/api/v2/teams?after=c1"}),
        ),
        (Some("c1"), json!({"entities": [team("t2"), team("t1")]})),
    ])
    .await;
    let error = bounded(repeated_entity.client().list_teams())
        .await
        .unwrap_err();
    assert!(
        listing_error(&error).contains("page 2 repeats t1"),
        "{error}"
    );

    for entry in [
        json!({"name": "No id"}),
        json!({"id": "", "name": "Empty id"}),
    ] {
        let server = teams_server(vec![(None, json!({"entities": [team("t1"), entry]}))]).await;
        let error = bounded(server.client().list_teams()).await.unwrap_err();
        assert!(listing_error(&error).contains("without an id"), "{error}");
    }

    // Without `entities`, a page is malformed, never empty.
    let server = teams_server(vec![(None, json!({"selfUri": "/api/v2/teams"}))]).await;
    let error = bounded(server.client().list_teams()).await.unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
}

#[tokio::test]
async fn a_next_uri_to_another_host_or_path_is_never_followed() {
    for (next, why) in [
        (
            "https://evil.example.com/api/v2/teams?after=c1",
            "another host",
        ),
        ("//evil.example.com/api/v2/teams?after=c1", "another host"),
        ("/api/v2/users?after=c1", "another path"),
        ("/api/v2/teams/../users?after=c1", "another path"),
        ("/api/v2/teams?pageSize=100", "no `after`"),
    ] {
        let server = teams_server(vec![(
            None,
            json!({"entities": [team("t1")], "nextUri": next}),
        )])
        .await;
        let error = bounded(server.client().list_teams()).await.unwrap_err();
        assert!(listing_error(&error).contains(why), "{next}: {error}");
        assert_eq!(server.api_requests(), 1, "{next}: nothing more was asked");
    }
}

#[tokio::test]
async fn a_cursor_listing_that_never_ends_is_refused_at_its_bound() {
    // Every page full of new skill groups, with a new cursor: the listing would go on.
    let server = RawServer::start(Answer::json(404, "{}")).await;
    let counter = Arc::new(AtomicU64::new(0));
    server.route(move |_| {
        let page = counter.fetch_add(1, Ordering::SeqCst);
        let entities: Vec<Value> = (0..100)
            .map(|i| json!({"id": format!("sg-{page}-{i}"), "name": "n"}))
            .collect();
        ok(json!({"entities": entities,
                  "nextUri": format!("/api/v2/routing/skillgroups?after=p{page}")}))
    });
    let error = bounded(server.client().list_skill_groups())
        .await
        .unwrap_err();
    assert!(
        listing_error(&error).contains("more than 10000 entries"),
        "{error}"
    );
    assert_eq!(server.api_requests(), 101);

    // Empty pages, each with a new cursor: refused at ⌈10,000 / 100⌉ + 1 pages.
    let server = RawServer::start(Answer::json(404, "{}")).await;
    let counter = Arc::new(AtomicU64::new(0));
    server.route(move |_| {
        let page = counter.fetch_add(1, Ordering::SeqCst);
        ok(json!({"entities": [], "nextUri": format!("/api/v2/teams?after=p{page}")}))
    });
    let error = bounded(server.client().list_teams()).await.unwrap_err();
    assert!(
        listing_error(&error).contains("did not end after 101 pages"),
        "{error}"
    );
    assert_eq!(server.api_requests(), 101);
}

#[tokio::test]
async fn a_skill_groups_members_are_read_by_cursor_with_their_names() {
    let server = RawServer::start(Answer::json(404, "{}")).await;
    server.route(|request| {
        let path = "/api/v2/routing/skillgroups/sg%201/members";
        if request.path != path {
            return Answer::json(404, "{}");
        }
        match request.query_values("after").pop().as_deref() {
            None => ok(json!({"entities": [{"id": "u1", "name": "Ann"}],
                              "nextUri": format!("{path}?after=x&expand=entities")})),
            Some("x") => ok(json!({"entities": [{"id": "u2", "name": "Bo"}]})),
            Some(_) => Answer::json(404, "{}"),
        }
    });
    let members = bounded(server.client().list_skill_group_members("sg 1"))
        .await
        .unwrap();
    let names: Vec<_> = members.iter().filter_map(|m| m.name.as_deref()).collect();
    assert_eq!(names, ["Ann", "Bo"]);
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.query_values("expand") == ["entities"])
    );
}

/// A group search server: each search's values match groups named after them, `per_page`
/// at a time; `reply` may alter each answer.
async fn groups_search_server(per_page: usize, reply: fn(&Received, Value) -> Value) -> RawServer {
    let server = RawServer::start(Answer::json(404, "{}")).await;
    server.route(move |request| {
        let body = request.json();
        let values: Vec<String> = body["query"][0]["values"]
            .as_array()
            .map(|v| {
                v.iter()
                    .filter_map(Value::as_str)
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        let number = body["pageNumber"].as_u64().unwrap_or(1) as usize;
        let size = body["pageSize"].as_u64().unwrap_or(25) as usize;
        let hits: Vec<Value> = values
            .iter()
            .map(|name| {
                json!({"id": format!("g-{name}"), "name": name, "type": "official",
                               "rulesVisible": true, "visibility": "public"})
            })
            .collect();
        let per_page = per_page.min(size);
        let page: Vec<Value> = hits
            .iter()
            .skip((number - 1) * per_page)
            .take(per_page)
            .cloned()
            .collect();
        let answer = json!({
            "total": hits.len(), "pageCount": hits.len().div_ceil(per_page).max(1),
            "pageSize": per_page, "pageNumber": number, "types": ["groups"], "results": page
        });
        ok(reply(request, answer))
    });
    server
}

fn names(count: usize) -> Vec<String> {
    (0..count).map(|i| format!("Group {i:03}")).collect()
}

#[tokio::test]
async fn groups_are_found_by_one_search_per_hundred_names_read_to_its_last_page() {
    let server = groups_search_server(100, |_, answer| answer).await;
    let mut wanted = names(150);
    wanted.push("Group 000".into());
    let groups = bounded(server.client().find_groups_by_name(&wanted))
        .await
        .unwrap();
    assert_eq!(groups.len(), 150, "each name once");
    let requests = server.requests();
    let asked: Vec<(usize, u64)> = requests
        .iter()
        .map(|r| {
            let body = r.json();
            (
                body["query"][0]["values"].as_array().unwrap().len(),
                body["pageNumber"].as_u64().unwrap(),
            )
        })
        .collect();
    // 100 names: a full page of 100 and pageCount 1 ends it; then the other 50.
    assert_eq!(asked, [(100, 1), (50, 1)]);
    let body = requests[0].json();
    assert_eq!(
        body["query"][0],
        json!({"type": "EXACT", "fields": ["name"], "values": wanted[..100]})
    );
    assert_eq!(
        (body["pageSize"].clone(), requests[0].method.as_str()),
        (json!(100), "POST")
    );
    conforms(&requests);
}

#[tokio::test]
async fn a_search_is_read_page_by_page_while_its_pages_are_full() {
    let server = RawServer::start(Answer::json(404, "{}")).await;
    server.route(|request| {
        let number = request.json()["pageNumber"].as_u64().unwrap_or(0);
        let results: Vec<Value> = match number {
            1 => (0..100).map(|i| team(&format!("a{i}"))).collect(),
            2 => (0..7).map(|i| team(&format!("b{i}"))).collect(),
            _ => return Answer::json(404, "{}"),
        };
        ok(
            json!({"total": 107, "pageCount": 2, "pageSize": 100, "pageNumber": number,
                  "types": ["teams"], "results": results}),
        )
    });
    let teams = bounded(server.client().find_teams_by_name(&["a".into()]))
        .await
        .unwrap();
    assert_eq!(teams.len(), 107);
    assert_eq!(server.api_requests(), 2);
    conforms(&server.requests());
}

#[tokio::test]
async fn a_search_served_in_smaller_pages_is_read_whole_and_a_short_middle_page_refused() {
    // The server caps pages at 50 where 100 are asked, and says so.
    let server = RawServer::start(Answer::json(404, "{}")).await;
    server.route(|request| {
        let number = request.json()["pageNumber"].as_u64().unwrap_or(0);
        let count = match number {
            1 | 2 => 50,
            3 => 20,
            _ => return Answer::json(404, "{}"),
        };
        let results: Vec<Value> = (0..count)
            .map(|i| team(&format!("p{number}-{i}")))
            .collect();
        ok(
            json!({"total": 120, "pageCount": 3, "pageSize": 50, "pageNumber": number,
                  "types": ["teams"], "results": results}),
        )
    });
    let teams = bounded(server.client().find_teams_by_name(&["p".into()]))
        .await
        .unwrap();
    assert_eq!((teams.len(), server.api_requests()), (120, 3));

    // A page short of its size that pageCount says is not the last.
    let server = RawServer::start(Answer::json(404, "{}")).await;
    server.route(|request| {
        let number = request.json()["pageNumber"].as_u64().unwrap_or(0);
        let results: Vec<Value> = (0..10).map(|i| team(&format!("p{number}-{i}"))).collect();
        ok(
            json!({"total": 300, "pageCount": 3, "pageSize": 100, "pageNumber": number,
                  "types": ["teams"], "results": results}),
        )
    });
    let error = bounded(server.client().find_teams_by_name(&["p".into()]))
        .await
        .unwrap_err();
    assert!(
        listing_error(&error).contains("holds 10 results of 100, yet its pageCount 3"),
        "{error}"
    );
}

#[tokio::test]
async fn a_search_answer_without_results_is_empty_only_when_it_says_total_0() {
    let server = groups_search_server(100, |_, _| {
        json!({"total": 0, "pageCount": 0, "pageSize": 100, "pageNumber": 1, "types": ["groups"]})
    })
    .await;
    let found = bounded(server.client().find_groups_by_name(&names(3)))
        .await
        .unwrap();
    assert!(found.is_empty());

    let server = groups_search_server(100, |_, _| json!({"pageCount": 1, "pageNumber": 1})).await;
    let error = bounded(server.client().find_groups_by_name(&names(3)))
        .await
        .unwrap_err();
    assert!(
        listing_error(&error).contains("without `results` and without `total: 0`"),
        "{error}"
    );
}

#[tokio::test]
async fn a_search_that_repeats_a_result_or_never_ends_is_refused() {
    let server = RawServer::start(Answer::json(404, "{}")).await;
    server.route(|request| {
        let number = request.json()["pageNumber"].as_u64().unwrap_or(0);
        let results: Vec<Value> = (0..100).map(|i| team(&format!("t{i}"))).collect();
        ok(
            json!({"total": 100_000, "pageCount": 1000, "pageSize": 100, "pageNumber": number,
                  "types": ["teams"], "results": results}),
        )
    });
    let error = bounded(server.client().find_teams_by_name(&["t".into()]))
        .await
        .unwrap_err();
    assert!(
        listing_error(&error).contains("page 2 of a search repeats t0"),
        "{error}"
    );

    let server = RawServer::start(Answer::json(404, "{}")).await;
    server.route(|request| {
        let number = request.json()["pageNumber"].as_u64().unwrap_or(0);
        let results: Vec<Value> = (0..100).map(|i| team(&format!("p{number}-{i}"))).collect();
        ok(
            json!({"total": 100_000, "pageCount": 1000, "pageSize": 100, "pageNumber": number,
                  "types": ["teams"], "results": results}),
        )
    });
    let error = bounded(server.client().find_teams_by_name(&["t".into()]))
        .await
        .unwrap_err();
    assert!(
        listing_error(&error).contains("did not end after 10 pages"),
        "{error}"
    );
    assert_eq!(server.api_requests(), 10);
}

#[tokio::test]
async fn prompt_names_are_sent_in_batches_that_keep_the_url_short() {
    let server = RawServer::start(Answer::json(404, "{}")).await;
    server.route(|request| {
        let prompts: Vec<Value> = request
            .query_values("name")
            .iter()
            .map(|name| json!({"id": format!("p-{name}"), "name": name}))
            .collect();
        ok(
            json!({"entities": prompts, "pageSize": 100, "pageNumber": 1,
                  "total": prompts.len(), "pageCount": 1}),
        )
    });
    let mut wanted: Vec<String> = (0..120).map(|i| format!("Hold music {i}")).collect();
    wanted.extend((0..30).map(|i| format!("{i:é>200}")));
    wanted.push("Hold music 7".into());
    let prompts = bounded(server.client().find_prompts(&wanted))
        .await
        .unwrap();
    assert_eq!(prompts.len(), 150, "each name once");
    let requests = server.requests();
    let batches: Vec<usize> = requests
        .iter()
        .map(|r| r.query_values("name").len())
        .collect();
    assert_eq!(batches.iter().sum::<usize>(), 150);
    assert!(
        batches.iter().all(|n| *n <= prompts::MAX_NAMES_PER_REQUEST),
        "{batches:?}"
    );
    for request in &requests {
        assert!(request.query.len() < 7 * 1024, "{}", request.query.len());
        assert_eq!(request.query_values("includeResources"), ["false"]);
        assert_eq!(request.query_values("pageSize"), ["100"]);
    }
    // 120 short names in 50s, then long ones by bytes: 200 `é`s are 1,200 bytes encoded,
    // so at most five go in one request.
    assert_eq!(batches[..2], [50, 50]);
    assert!(batches[3..].iter().all(|n| *n <= 5), "{batches:?}");
    conforms(&requests);

    assert!(
        bounded(server.client().find_prompts(&[]))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        server.requests().len(),
        requests.len(),
        "no names, no request"
    );
}

#[tokio::test]
async fn flows_of_several_types_are_one_listing_filtered_by_lowercase_types() {
    let server = RawServer::start(Answer::json(404, "{}")).await;
    server.route(|request| {
        let number: u64 = request
            .query_values("pageNumber")
            .pop()
            .and_then(|n| n.parse().ok())
            .unwrap_or(1);
        let flows: Vec<Value> = (0..if number == 1 { 500 } else { 20 })
            .map(|i| {
                json!({"id": format!("f{number}-{i}"), "name": format!("Flow {i}"),
                            "type": if i % 2 == 0 { "INQUEUECALL" } else { "INQUEUEEMAIL" }})
            })
            .collect();
        ok(
            json!({"entities": flows, "pageSize": 500, "pageNumber": number,
                  "total": 520, "pageCount": 2}),
        )
    });
    let flows = bounded(
        server
            .client()
            .list_flows(&["INQUEUECALL", api::flows::IN_QUEUE_EMAIL]),
    )
    .await
    .unwrap();
    assert_eq!(flows.len(), 520);
    assert_eq!(flows[0].kind.as_deref(), Some("INQUEUECALL"));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].query_values("type"),
        ["inqueuecall", "inqueueemail"]
    );
    assert_eq!(requests[0].query_values("pageSize"), ["500"]);
    conforms(&requests);
}

#[tokio::test]
async fn queue_setting_lookups_page_by_100_and_send_their_filters() {
    let server = RawServer::start(Answer::json(404, "{}")).await;
    server.route(|request| {
        let number: u64 = request
            .query_values("pageNumber")
            .pop()
            .and_then(|n| n.parse().ok())
            .unwrap_or(1);
        let routes: Vec<Value> = (0..if number == 1 { 100 } else { 3 })
            .map(|i| json!({"id": format!("r{number}-{i}"), "pattern": format!("p{i}")}))
            .collect();
        ok(
            json!({"entities": routes, "pageSize": 100, "pageNumber": number,
                  "total": 103, "pageCount": 2}),
        )
    });
    let client = server.client();
    let routes = bounded(client.list_email_routes("support.example.com"))
        .await
        .unwrap();
    assert_eq!(routes.len(), 103);
    assert_eq!(routes[0].pattern, "p0");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].path,
        "/api/v2/routing/email/domains/support.example.com/routes"
    );
    assert_eq!(requests[1].query_values("pageNumber"), ["2"]);
    assert_eq!(requests[0].query_values("pageSize"), ["100"]);
    conforms(&requests);

    // A domain name can never change the path's shape.
    server.route(|_| {
        ok(json!({"entities": [], "pageSize": 100, "pageNumber": 1, "total": 0, "pageCount": 0}))
    });
    bounded(client.list_email_routes("a/b?c")).await.unwrap();
    let last = server.requests().pop().unwrap();
    assert_eq!(last.path, "/api/v2/routing/email/domains/a%2Fb%3Fc/routes");

    bounded(client.list_message_recipients(api::message_recipients::WHATSAPP))
        .await
        .unwrap();
    let last = server.requests().pop().unwrap();
    assert_eq!(last.query_values("messengerType"), ["whatsapp"]);
    conforms(&[last]);
}

#[tokio::test]
async fn a_lookup_entity_without_an_id_is_an_error() {
    let server = RawServer::start(ok(json!({
        "entities": [{"id": "l1", "name": "A"}, {"name": "B"}],
        "pageSize": 100, "pageNumber": 1, "total": 2, "pageCount": 1
    })))
    .await;
    let client = server.client();
    let libraries = bounded(client.list_canned_response_libraries()).await;
    assert!(libraries.is_err(), "{libraries:?}");
    let sites = bounded(client.list_sites()).await;
    assert!(sites.is_err(), "{sites:?}");
}

#[tokio::test]
async fn a_refusal_names_the_permission_or_the_scope_it_needs() {
    let server = RawServer::start(Answer::json(
        403,
        r#"{"message":"Missing permission","code":"missing.permissions","status":403}"#,
    ))
    .await;
    let client = server.client();
    let conditions = vec![condition("Billing")];
    let group = SkillGroupWithMemberDivisions {
        group: SkillGroup {
            name: "Billing experts".into(),
            skill_conditions: conditions,
            ..Default::default()
        },
        ..Default::default()
    };
    let refusals = [
        (
            bounded(client.find_prompts(&["Hold".into()]))
                .await
                .map(drop),
            "architect:userPrompt:view",
        ),
        (
            bounded(client.list_flows(&[])).await.map(drop),
            "architect:flow:view",
        ),
        (
            bounded(client.list_scripts()).await.map(drop),
            "scripter:script:view",
        ),
        (
            bounded(client.list_teams()).await.map(drop),
            "groups:team:view",
        ),
        (
            bounded(client.create_skill_group(&group)).await.map(drop),
            "routing:skillGroup:add",
        ),
        (
            bounded(client.delete_skill_group("sg")).await,
            "routing:skillGroup:delete",
        ),
        (
            bounded(client.find_groups_by_name(&["Ops".into()]))
                .await
                .map(drop),
            "OAuth scopes: groups",
        ),
    ];
    for (result, named) in refusals {
        let error = result.unwrap_err();
        assert_eq!(error.status(), Some(403));
        assert!(error.to_string().contains(named), "{named}: {error}");
    }
}

fn condition(skill: &str) -> SkillGroupCondition {
    SkillGroupCondition {
        routing_skill_conditions: vec![SkillGroupRoutingCondition {
            routing_skill: skill.into(),
            comparator: "GreaterThanOrEqualTo".into(),
            proficiency: 3,
            ..Default::default()
        }],
        language_skill_conditions: vec![],
        operation: "And".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_skill_group_create_is_never_retried_when_it_may_have_happened() {
    let server = RawServer::start(Answer::json(503, "{}")).await;
    let group = SkillGroupWithMemberDivisions {
        group: SkillGroup {
            name: "Billing experts".into(),
            skill_conditions: vec![condition("Billing")],
            ..Default::default()
        },
        member_divisions: Some(vec!["d1".into()]),
    };
    let error = bounded(server.client().create_skill_group(&group))
        .await
        .unwrap_err();
    assert!(error.is_outcome_unknown(), "{error}");
    assert_eq!(server.api_requests(), 1);

    // An update and a change of member divisions are repeated: they are idempotent.
    let update = SkillGroup {
        name: "Billing experts".into(),
        skill_conditions: vec![condition("Billing")],
        ..Default::default()
    };
    let error = bounded(server.client().update_skill_group("sg", &update))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::RetriesExhausted { .. }), "{error}");
    let change = SkillGroupMemberDivisions {
        add_division_ids: Some(vec!["d2".into()]),
        remove_division_ids: None,
    };
    let error = bounded(
        server
            .client()
            .change_skill_group_member_divisions("sg", &change),
    )
    .await
    .unwrap_err();
    assert!(matches!(error, Error::RetriesExhausted { .. }), "{error}");
    assert_eq!(server.api_requests(), 7);
    conforms(&server.requests());
}

// ---------------------------------------------------------------------------------------
// Against the vendor's description.

/// The description, raw and compiled; `None` (after a notice) when it is absent.
fn description() -> Option<(Value, Spec)> {
    let Some(path) = Spec::locate() else {
        eprintln!(
            "\n=== SKIPPED: the description checks of the look-ups: openapi.json was not found \
             (set SWITCHBOARD_OPENAPI) ===\n"
        );
        return None;
    };
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let spec = Spec::from_value(&doc).unwrap();
    Some((doc, spec))
}

/// Each request's operation, query and body fit the description.
fn conforms(requests: &[Received]) {
    let Some((_, spec)) = description() else {
        return;
    };
    for request in requests {
        let what = format!("{} {}?{}", request.method, request.path, request.query);
        assert!(
            spec.operation(&request.method, &request.path).is_some(),
            "{what}"
        );
        spec.validate_query(&request.method, &request.path, &request.query)
            .unwrap_or_else(|v| panic!("{what}: {v:?}"));
        let body = if request.body.is_empty() {
            Value::Null
        } else {
            request.json()
        };
        spec.validate_request_body(&request.method, &request.path, &body)
            .unwrap_or_else(|v| panic!("{what}: {v:?}"));
    }
}

#[test]
fn every_operation_names_the_permissions_and_scopes_the_description_gives() {
    let Some((doc, _)) = description() else {
        return;
    };
    let mut wrong = Vec::new();
    for endpoint in api::ALL_ENDPOINTS {
        let method = endpoint.method.as_str().to_ascii_lowercase();
        let operation = &doc["paths"][endpoint.template][method.as_str()];
        if operation.is_null() {
            wrong.push(format!("{endpoint}: not in the description"));
            continue;
        }
        let listed = |value: &Value| -> Vec<String> {
            let mut names: Vec<String> = value
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect();
            names.sort();
            names
        };
        let permissions = listed(&operation["x-inin-requires-permissions"]["permissions"]);
        let mut ours: Vec<String> = endpoint.permissions.iter().map(|p| p.to_string()).collect();
        ours.sort();
        if ours != permissions {
            wrong.push(format!(
                "{endpoint}: permissions {ours:?}, described {permissions:?}"
            ));
        }
        if !endpoint.scopes.is_empty() {
            let scopes = listed(&operation["security"][0]["PureCloud OAuth"]);
            let mut ours: Vec<String> = endpoint.scopes.iter().map(|s| s.to_string()).collect();
            ours.sort();
            if ours != scopes {
                wrong.push(format!("{endpoint}: scopes {ours:?}, described {scopes:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_lookup_builder_makes_a_request_the_description_accepts() {
    use api::*;
    use switchboard_client::{Cursor, Page};
    let Some((_, spec)) = description() else {
        return;
    };
    let page = Page {
        number: 2,
        size: 100,
    };
    let after = Cursor {
        size: 100,
        after: Some("abc=="),
    };
    let names = vec!["Billing".to_string(), "Sales & Support".to_string()];
    let group = SkillGroup {
        id: Some("sg".into()),
        name: "Billing experts".into(),
        skill_conditions: vec![condition("Billing")],
        member_count: Some(4),
        status: Some("Complete".into()),
        ..Default::default()
    };
    let create = SkillGroupWithMemberDivisions {
        group: SkillGroup {
            name: "Billing experts".into(),
            skill_conditions: vec![condition("Billing")],
            ..Default::default()
        },
        member_divisions: Some(vec!["d1".into()]),
    };
    let change = SkillGroupMemberDivisions {
        add_division_ids: Some(vec!["d1".into()]),
        remove_division_ids: Some(vec!["d2".into()]),
    };
    let requests: Vec<ApiRequest> = vec![
        flows::list(&[flows::IN_QUEUE_CALL, "INBOUNDCALL"], page),
        prompts::list(&names, page),
        scripts::list(page),
        groups::list_by_ids(&names, page),
        groups::get("g"),
        groups::search(&SearchRequest::exact("name", &names, page)),
        teams::list(after),
        teams::list(Cursor {
            size: 100,
            after: None,
        }),
        teams::get("t"),
        teams::search(&SearchRequest::exact("name", &names, page)),
        skill_groups::list(after),
        skill_groups::get("sg"),
        skill_groups::create(&create),
        skill_groups::update("sg", &group),
        skill_groups::delete("sg"),
        skill_groups::list_members("sg", after),
        skill_groups::member_divisions("sg"),
        skill_groups::change_member_divisions("sg", &change),
        libraries::list(page),
        email_domains::list_domains(page),
        email_domains::list_routes("support.example.com", page),
        sms_numbers::list(page),
        message_recipients::list(message_recipients::OPEN, page),
        message_recipients::list(message_recipients::WHATSAPP, page),
        telephony::list_edge_groups(page),
        telephony::list_sites(page),
    ];
    for request in requests {
        let method = request.endpoint.method.as_str();
        let what = request.describe();
        let operation = spec.operation(method, &request.path).expect(&what);
        assert_eq!(operation.template(), request.endpoint.template, "{what}");
        let query: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(request.query.iter().map(|(k, v)| (*k, v.as_str())))
            .finish();
        spec.validate_query(method, &request.path, &query)
            .unwrap_or_else(|v| panic!("{what}?{query}: {v:?}"));
        let body = request.body.clone().unwrap_or(Value::Null);
        spec.validate_request_body(method, &request.path, &body)
            .unwrap_or_else(|v| panic!("{what}: {v:?}\n{body}"));
    }
}

/// Answers shaped as the description defines them: every property, nested ones included.
fn described_answers() -> Vec<(&'static str, &'static str, Value)> {
    let division =
        json!({"id": "d1", "name": "Home", "selfUri": "/api/v2/authorization/divisions/d1"});
    let condition = json!({
        "operation": "Or",
        "routingSkillConditions": [{
            "routingSkill": "Series 6", "comparator": "GreaterThanOrEqualTo", "proficiency": 3,
            "childConditions": [{
                "operation": "Not", "routingSkillConditions": [],
                "languageSkillConditions": [{"languageSkill": "Spanish", "comparator": "EqualTo",
                                             "proficiency": 5, "childConditions": []}]
            }]
        }],
        "languageSkillConditions": [{"languageSkill": "French", "comparator": "LessThan", "proficiency": 2}]
    });
    let skill_group = json!({
        "id": "sg1", "name": "Series 6 or Spanish", "division": division,
        "description": "d", "memberCount": 12, "dateModified": "2026-01-02T03:04:05.000Z",
        "dateCreated": "2026-01-01T00:00:00.000Z", "status": "InProgress",
        "skillConditions": [condition], "selfUri": "/api/v2/routing/skillgroups/sg1"
    });
    let mut with_divisions = skill_group.clone();
    with_divisions["memberDivisions"] = json!(["d1", "d2"]);
    let member_group = |kind: &str| {
        json!({"id": format!("{kind}-1"), "name": "Ops", "division": division, "type": kind,
               "memberCount": 4, "selfUri": "/api/v2/x"})
    };
    vec![
        (
            "GET",
            "/api/v2/flows",
            json!({"entities": [{
                "id": "f1", "name": "Billing in-queue", "division": division, "description": "d",
                "type": "BUSINESSPROCESS", "active": true, "system": false, "deleted": false,
                "lockedClient": {"id": "c"}, "inputSchema": {}, "compatibleFlowTypes": ["x"],
                "virtualAgentEnabled": false, "selfUri": "/api/v2/flows/f1"
            }], "pageSize": 500, "pageNumber": 1, "total": 1, "pageCount": 1,
                   "firstUri": "/f", "lastUri": "/l", "selfUri": "/s"}),
        ),
        (
            "GET",
            "/api/v2/architect/prompts",
            json!({"entities": [{"id": "p1", "name": "Hold", "division": division,
                                 "description": "d", "resources": [], "selfUri": "/p"}],
                   "pageSize": 100, "pageNumber": 1, "total": 1, "pageCount": 1}),
        ),
        (
            "GET",
            "/api/v2/scripts",
            json!({"entities": [{"id": "s1", "name": "Default", "division": division,
                                 "versionId": "v", "createdDate": "2026-01-01T00:00:00Z",
                                 "publishedDate": "2026-01-01T00:00:00Z", "features": {},
                                 "pages": [], "selfUri": "/s"}],
                   "pageSize": 100, "pageNumber": 1, "total": 1, "pageCount": 1,
                   "truncatedDivisions": false}),
        ),
        (
            "GET",
            "/api/v2/groups/g1",
            json!({"id": "g1", "name": "Ops", "description": "d", "memberCount": 4,
                   "state": "active", "version": 2, "type": "official", "images": [],
                   "rulesVisible": true, "visibility": "public", "rolesEnabled": false,
                   "email": "ops@example.com", "selfUri": "/api/v2/groups/g1"}),
        ),
        (
            "GET",
            "/api/v2/teams/t1",
            json!({"id": "t1", "name": "Tigers", "division": division, "description": "d",
                   "dateCreated": "2026-01-01T00:00:00Z", "dateModified": "2026-01-01T00:00:00Z",
                   "memberCount": 9, "selfUri": "/api/v2/teams/t1"}),
        ),
        (
            "GET",
            "/api/v2/routing/skillgroups/sg1",
            skill_group.clone(),
        ),
        ("POST", "/api/v2/routing/skillgroups", with_divisions),
        (
            "GET",
            "/api/v2/routing/skillgroups",
            json!({"entities": [{"id": "sg1", "name": "n", "division": division,
                                 "description": "d", "memberCount": 1,
                                 "dateModified": "2026-01-01T00:00:00Z",
                                 "dateCreated": "2026-01-01T00:00:00Z", "selfUri": "/x"}],
                   "nextUri": null, "selfUri": "/api/v2/routing/skillgroups"}),
        ),
        (
            "GET",
            "/api/v2/routing/skillgroups/sg1/members/divisions",
            json!({"entities": [division]}),
        ),
        (
            "GET",
            "/api/v2/responsemanagement/libraries",
            json!({"entities": [{"id": "l1", "name": "Billing answers", "version": 1,
                                 "dateCreated": "2026-01-01T00:00:00Z", "division": division,
                                 "selfUri": "/api/v2/responsemanagement/libraries/l1"}],
                   "pageSize": 100, "pageNumber": 1, "total": 1, "pageCount": 1}),
        ),
        (
            "GET",
            "/api/v2/routing/email/domains",
            json!({"entities": [{"id": "example.com", "name": "example.com",
                                 "mxRecordStatus": "VALID", "subDomain": false,
                                 "selfUri": "/api/v2/routing/email/domains/example.com"}],
                   "pageSize": 100, "pageNumber": 1, "total": 1, "pageCount": 1}),
        ),
        (
            "GET",
            "/api/v2/routing/email/domains/example.com/routes",
            json!({"entities": [{"id": "r1", "name": "billing", "pattern": "billing",
                                 "fromName": "Billing", "fromEmail": "billing@example.com",
                                 "priority": 5, "skills": [], "autoBcc": [], "status": "Active",
                                 "selfUri": "/r1"}],
                   "pageSize": 100, "pageNumber": 1, "total": 1, "pageCount": 1}),
        ),
        (
            "GET",
            "/api/v2/routing/sms/phonenumbers",
            json!({"entities": [{"id": "n1", "name": "+13175550100", "phoneNumber": "+13175550100",
                                 "phoneNumberType": "local", "phoneNumberStatus": "ACTIVE",
                                 "countryCode": "US", "version": 1, "supportsSms": true,
                                 "selfUri": "/n1"}],
                   "pageSize": 100, "pageNumber": 1, "total": 1, "pageCount": 1}),
        ),
        (
            "GET",
            "/api/v2/routing/message/recipients",
            json!({"entities": [{"id": "m1", "name": "Web chat", "messengerType": "open",
                                 "dateCreated": "2026-01-01T00:00:00Z", "selfUri": "/m1"}],
                   "pageSize": 100, "pageNumber": 1, "total": 1, "pageCount": 1}),
        ),
        (
            "GET",
            "/api/v2/telephony/providers/edges/edgegroups",
            json!({"entities": [{"id": "e1", "name": "Callbacks", "state": "active",
                                 "managed": false, "hybrid": false,
                                 "edgeTrunkBaseAssignment": {}, "phoneTrunkBases": [],
                                 "selfUri": "/e1"}],
                   "pageSize": 100, "pageNumber": 1, "total": 1, "pageCount": 1,
                   "totalNumberOfEntities": 1}),
        ),
        (
            "GET",
            "/api/v2/telephony/providers/edges/sites",
            json!({"entities": [{"id": "s1", "name": "Indianapolis", "state": "active",
                                 "location": {"id": "loc1"}, "mediaModel": "Cloud",
                                 "selfUri": "/s1"}],
                   "pageSize": 100, "pageNumber": 1, "total": 1, "pageCount": 1}),
        ),
        (
            "GET",
            "/api/v2/routing/queues/q1",
            json!({"id": "q1", "name": "Billing",
                   "memberGroups": [member_group("GROUP"), member_group("TEAM")],
                   "bullseye": {"rings": [{"memberGroups": [member_group("SKILLGROUP")]}, {}]}}),
        ),
    ]
}

#[tokio::test]
async fn every_lookup_model_decodes_the_shapes_the_description_defines() {
    let description = description();
    let server = RawServer::start(Answer::json(404, "{}")).await;
    let client = server.client();
    for (method, path, mut answer) in described_answers() {
        if let Some(object) = answer.as_object_mut() {
            object.retain(|_, value| !value.is_null());
        }
        if let Some((_, spec)) = &description {
            spec.validate_response_body_with(method, path, 200, &answer, ValidationMode::Response)
                .unwrap_or_else(|v| panic!("{method} {path}: {v:?}"));
        }
        server.set_api(ok(answer.clone()));
        let decoded = match (method, path) {
            ("GET", "/api/v2/flows") => format!("{:?}", client.list_flows(&[]).await),
            ("GET", "/api/v2/architect/prompts") => {
                format!("{:?}", client.find_prompts(&["Hold".into()]).await)
            }
            ("GET", "/api/v2/scripts") => format!("{:?}", client.list_scripts().await),
            ("GET", "/api/v2/groups/g1") => format!("{:?}", client.get_group("g1").await),
            ("GET", "/api/v2/teams/t1") => format!("{:?}", client.get_team("t1").await),
            ("GET", "/api/v2/routing/skillgroups/sg1") => {
                let group = client.get_skill_group("sg1").await.unwrap();
                assert_eq!(serde_json::to_value(&group).unwrap(), answer, "round trip");
                format!("{group:?}")
            }
            ("POST", "/api/v2/routing/skillgroups") => {
                let request: SkillGroupWithMemberDivisions =
                    serde_json::from_value(answer.clone()).unwrap();
                let created = client.create_skill_group(&request).await.unwrap();
                assert_eq!(created.member_divisions.as_deref().map(<[_]>::len), Some(2));
                format!("{created:?}")
            }
            ("GET", "/api/v2/routing/skillgroups") => {
                format!("{:?}", client.list_skill_groups().await)
            }
            ("GET", "/api/v2/routing/skillgroups/sg1/members/divisions") => {
                format!("{:?}", client.skill_group_member_divisions("sg1").await)
            }
            ("GET", "/api/v2/responsemanagement/libraries") => {
                format!("{:?}", client.list_canned_response_libraries().await)
            }
            ("GET", "/api/v2/routing/email/domains") => {
                format!("{:?}", client.list_email_domains().await)
            }
            ("GET", "/api/v2/routing/email/domains/example.com/routes") => {
                format!("{:?}", client.list_email_routes("example.com").await)
            }
            ("GET", "/api/v2/routing/sms/phonenumbers") => {
                format!("{:?}", client.list_sms_phone_numbers().await)
            }
            ("GET", "/api/v2/routing/message/recipients") => {
                format!("{:?}", client.list_message_recipients("open").await)
            }
            ("GET", "/api/v2/telephony/providers/edges/edgegroups") => {
                format!("{:?}", client.list_edge_groups().await)
            }
            ("GET", "/api/v2/telephony/providers/edges/sites") => {
                format!("{:?}", client.list_sites().await)
            }
            ("GET", "/api/v2/routing/queues/q1") => {
                let queue: Queue = client.get_queue("q1").await.unwrap();
                let groups = queue.member_groups.as_deref().unwrap();
                assert_eq!(groups[1].kind.as_deref(), Some("TEAM"));
                assert_eq!(groups[0].member_count, Some(4));
                assert_eq!(
                    groups[0].division.as_ref().and_then(|d| d.name.as_deref()),
                    Some("Home")
                );
                let rings = queue
                    .bullseye
                    .as_ref()
                    .and_then(|b| b.rings.as_deref())
                    .unwrap();
                let ring_groups = rings[0].member_groups.as_deref().unwrap();
                assert_eq!(ring_groups[0].kind.as_deref(), Some("SKILLGROUP"));
                format!("{queue:?}")
            }
            _ => unreachable!("{method} {path}"),
        };
        assert!(!decoded.starts_with("Err"), "{method} {path}: {decoded}");
    }
}

#[test]
fn member_groups_keep_the_fields_they_do_not_name() {
    let wire = json!({
        "id": "q1", "name": "Billing",
        "memberGroups": [{"id": "g1", "type": "GROUP", "futureField": {"x": 1}}],
        "bullseye": {"rings": [{"memberGroups": [{"id": "t1", "type": "TEAM", "later": 2}]}]}
    });
    let queue: Queue = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(serde_json::to_value(queue.to_request()).unwrap(), wire);
}
