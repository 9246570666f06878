//! Looking up what a queue references: flows, prompts, scripts (page paging), directory groups
//! (page paging and search), teams (cursor paging and search); exact against prefix matches,
//! and 400s on what the API (or the simulator) refuses.

use serde_json::{Value, json};
use switchboard_sim::Sim;

use crate::lookup_org::{ORG_B, id_named, lookup_org, names, start};
use crate::support::Api;

#[tokio::test]
async fn flows_filter_by_type_name_division_and_deleted() {
    let api = start().await;
    let all = api.get("/api/v2/flows?sortBy=name").await;
    assert_eq!(all.status, 200);
    assert_eq!(all.body["total"], 4, "the deleted flow is left out");
    let call = api.get("/api/v2/flows?type=inqueuecall&sortBy=name").await;
    assert_eq!(names(&call.body), ["Billing In-Queue", "Sales In-Queue"]);
    assert!(
        call.body["entities"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["type"] == "INQUEUECALL")
    );
    let two = api
        .get("/api/v2/flows?type=inqueuecall&type=inqueueemail")
        .await;
    assert_eq!(two.body["total"], 3);
    // The name filter is a case-insensitive prefix: a client must compare names itself.
    let billing = api.get("/api/v2/flows?name=billing%20in-").await;
    assert_eq!(billing.body["total"], 2, "one name, two types");
    let deleted = api.get("/api/v2/flows?deleted=true&name=old").await;
    assert_eq!(deleted.body["entities"][0]["deleted"], true);
    let inbound = api.get("/api/v2/flows?type=inboundcall").await;
    assert_eq!(
        inbound.body["entities"][0]["description"],
        "The main number"
    );
    let care = &call.body["entities"][0]["division"];
    assert_eq!(care["name"], "Customer Care");
    let in_care = api
        .get(&format!(
            "/api/v2/flows?divisionId={}",
            care["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(names(&in_care.body), ["Billing In-Queue"]);
    // With ids, every other filter is ignored.
    let sales = id_named(&call.body, "Sales In-Queue");
    let by_id = api
        .get(&format!(
            "/api/v2/flows?id={sales}&type=inboundcall&name=zzz"
        ))
        .await;
    assert_eq!(names(&by_id.body), ["Sales In-Queue"]);
}

#[tokio::test]
async fn flow_type_filters_are_the_lowercase_enum() {
    let api = start().await;
    for bad in ["INQUEUECALL", "inqueue", "businessprocess"] {
        let r = api.get(&format!("/api/v2/flows?type={bad}")).await;
        assert_eq!(r.status, 400, "{bad}");
        assert_eq!(r.code(), "invalid.value");
        assert!(r.body["message"].as_str().unwrap().contains(bad));
    }
    assert_eq!(api.get("/api/v2/flows?sortBy=type").await.status, 400);
    assert_eq!(
        api.get("/api/v2/flows?nameOrDescription=x").await.status,
        400
    );
    assert_eq!(api.get("/api/v2/flows?deleted=maybe").await.status, 400);
}

#[tokio::test]
async fn flows_page_by_page() {
    let api = start().await;
    let first = api.get("/api/v2/flows?pageSize=3&sortBy=name").await;
    assert_eq!(first.body["pageCount"], 2);
    assert_eq!(first.body["entities"].as_array().unwrap().len(), 3);
    assert!(
        first.body["nextUri"]
            .as_str()
            .unwrap()
            .contains("pageNumber=2")
    );
    let second = api
        .get("/api/v2/flows?pageSize=3&pageNumber=2&sortBy=name")
        .await;
    assert_eq!(names(&second.body), ["Sales In-Queue"]);
    assert!(second.body.get("nextUri").is_none());
    assert_eq!(api.get("/api/v2/flows?pageSize=0").await.status, 400);
}

#[tokio::test]
async fn prompts_match_names_exactly_and_by_wildcard() {
    let api = start().await;
    let exact = api
        .get("/api/v2/architect/prompts?name=billing%20whisper")
        .await;
    assert_eq!(names(&exact.body), ["Billing Whisper"]);
    let none = api.get("/api/v2/architect/prompts?name=Billing").await;
    assert_eq!(none.body["total"], 0, "no prefix match without a wildcard");
    let several = api
        .get("/api/v2/architect/prompts?name=Billing%20Hold&name=Sales%20Whisper&sortBy=name")
        .await;
    assert_eq!(names(&several.body), ["Billing Hold", "Sales Whisper"]);
    let wild = api
        .get("/api/v2/architect/prompts?name=*whisper&sortBy=name")
        .await;
    assert_eq!(names(&wild.body), ["Billing Whisper", "Sales Whisper"]);
    let id = id_named(&several.body, "Sales Whisper");
    let one = api.get(&format!("/api/v2/architect/prompts/{id}")).await;
    assert_eq!(one.body["description"], "Played to agents");
    let missing = api.get("/api/v2/architect/prompts/nope").await;
    assert_eq!((missing.status, missing.code()), (404, "not.found"));
}

#[tokio::test]
async fn scripts_contain_the_name_and_published_ones_are_listed_apart() {
    let api = start().await;
    let all = api.get("/api/v2/scripts?name=BILLING").await;
    assert_eq!(names(&all.body), ["Billing Script", "Draft Billing Script"]);
    let published = api.get("/api/v2/scripts/published?name=billing").await;
    assert_eq!(names(&published.body), ["Billing Script"]);
    assert!(published.body["entities"][0]["publishedDate"].is_string());
    let desc = api
        .get("/api/v2/scripts?sortBy=name&sortOrder=descending")
        .await;
    assert_eq!(desc.body["entities"][0]["name"], "Sales Script");
    assert_eq!(api.get("/api/v2/scripts?sortBy=size").await.status, 400);
}

#[tokio::test]
async fn groups_are_found_by_search_only() {
    let api = start().await;
    let all = api.get("/api/v2/groups").await;
    assert_eq!(all.body["total"], 3);
    let sales = id_named(&all.body, "Sales Agents");
    let one = api.get(&format!("/api/v2/groups/{sales}")).await;
    assert_eq!(one.body["memberCount"], 1, "a deleted user is not counted");
    assert_eq!(one.body["type"], "official");
    let by_id = api.get(&format!("/api/v2/groups?id={sales}")).await;
    assert_eq!(names(&by_id.body), ["Sales Agents"]);
    assert_eq!(api.get("/api/v2/groups/nope").await.status, 404);

    let search = |query: Value| api.post("/api/v2/groups/search", json!({ "query": query }));
    let exact =
        search(json!([{"type": "EXACT", "fields": ["name"], "value": "billing agents"}])).await;
    assert_eq!(exact.status, 200);
    assert_eq!(names(&exact.body), ["Billing Agents"], "EXACT is exact");
    assert_eq!(exact.body["types"], json!(["groups"]));
    let prefix =
        search(json!([{"type": "STARTS_WITH", "fields": ["name"], "value": "Billing"}])).await;
    assert_eq!(names(&prefix.body), ["Billing Agents", "Billing Agents EU"]);
    let contains =
        search(json!([{"type": "CONTAINS", "fields": ["name"], "value": "agents e"}])).await;
    assert_eq!(names(&contains.body), ["Billing Agents EU"]);
    for (query, why) in [
        (
            json!([{"type": "REGEX", "fields": ["name"], "value": "B.*"}]),
            "REGEX",
        ),
        (
            json!([{"type": "TERM", "fields": ["name"], "value": "Billing"}]),
            "TERM",
        ),
        (
            json!([{"type": "EXACT", "fields": ["description"], "value": "x"}]),
            "description",
        ),
        (
            json!([{"type": "SOUNDS_LIKE", "fields": ["name"], "value": "x"}]),
            "SOUNDS_LIKE",
        ),
    ] {
        let r = search(query).await;
        assert_eq!(r.status, 400, "{why}");
        assert!(
            r.body["message"].as_str().unwrap().contains(why),
            "{}",
            r.body
        );
    }
    let paged = api
        .post(
            "/api/v2/groups/search",
            json!({"pageSize": 2, "pageNumber": 2, "query": [{"type": "CONTAINS", "fields": ["name"], "value": "agents"}]}),
        )
        .await;
    assert_eq!(
        (
            &paged.body["total"],
            &paged.body["pageCount"],
            &paged.body["pageNumber"]
        ),
        (&json!(3), &json!(2), &json!(2))
    );
    assert_eq!(names(&paged.body), ["Sales Agents"]);
}

#[tokio::test]
async fn teams_page_by_cursor_to_the_end_and_back() {
    let api = start().await;
    let mut uri = "/api/v2/teams?pageSize=1".to_string();
    let mut forward = Vec::new();
    let mut last = Value::Null;
    while !uri.is_empty() {
        let page = api.get(&uri).await;
        assert_eq!(page.status, 200);
        for key in ["total", "pageCount", "pageNumber"] {
            assert!(
                page.body.get(key).is_none(),
                "a cursor listing has no {key}"
            );
        }
        forward.extend(names(&page.body));
        uri = page.body["nextUri"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        last = page.body;
    }
    assert_eq!(forward, ["alpha squad", "Team Alpha", "Team Beta"]);
    let mut backward = Vec::new();
    let mut uri = last["previousUri"].as_str().unwrap().to_string();
    while !uri.is_empty() {
        let page = api.get(&uri).await;
        backward.extend(names(&page.body));
        uri = page.body["previousUri"]
            .as_str()
            .unwrap_or_default()
            .to_string();
    }
    assert_eq!(backward, ["Team Alpha", "alpha squad"]);
    let bad = api.get("/api/v2/teams?after=not-a-cursor").await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn teams_match_a_case_insensitive_prefix_and_search_exactly() {
    let api = start().await;
    let prefix = api.get("/api/v2/teams?name=ALPHA").await;
    assert_eq!(names(&prefix.body), ["alpha squad"]);
    assert!(prefix.body["entities"][0]["division"].get("name").is_none());
    let team = api
        .get("/api/v2/teams?name=team&expand=entities.division")
        .await;
    assert_eq!(names(&team.body), ["Team Alpha", "Team Beta"]);
    assert_eq!(team.body["entities"][1]["division"]["name"], "Sales");
    assert_eq!(team.body["entities"][1]["memberCount"], 2);
    let id = id_named(&team.body, "Team Beta");
    let one = api
        .get(&format!("/api/v2/teams/{id}?expand=entities.division"))
        .await;
    assert_eq!(one.body["name"], "Team Beta");
    assert_eq!(api.get("/api/v2/teams/nope").await.status, 404);

    let exact = api
        .post(
            "/api/v2/teams/search",
            json!({"query": [{"type": "EXACT", "fields": ["name"], "value": "TEAM ALPHA"}]}),
        )
        .await;
    assert_eq!(names(&exact.body), ["Team Alpha"]);
    let starts = api
        .post(
            "/api/v2/teams/search",
            json!({"query": [{"type": "STARTS_WITH", "fields": ["name"], "value": "team"}]}),
        )
        .await;
    assert_eq!(starts.body["total"], 2);
    let contains = api
        .post(
            "/api/v2/teams/search",
            json!({"query": [{"type": "CONTAINS", "fields": ["name"], "value": "a"}]}),
        )
        .await;
    assert_eq!((contains.status, contains.code()), (400, "invalid.value"));
    let no_query = api.post("/api/v2/teams/search", json!({})).await;
    assert_eq!(
        (no_query.status, no_query.code()),
        (400, "required.field.missing")
    );
}

#[tokio::test]
async fn the_same_fixture_in_two_orgs_gives_other_ids_for_the_same_names() {
    let a = start().await;
    let b = Api::start(Sim::builder().fixture(lookup_org(ORG_B))).await;
    let again = start().await;
    for path in [
        "/api/v2/flows?type=inqueuecall",
        "/api/v2/architect/prompts",
        "/api/v2/scripts",
        "/api/v2/groups",
        "/api/v2/teams",
        "/api/v2/routing/skillgroups",
    ] {
        let (x, y) = (a.get(path).await.body, b.get(path).await.body);
        let sorted = |v: &Value| {
            let mut n = names(v);
            n.sort();
            n
        };
        assert_eq!(sorted(&x), sorted(&y), "{path}");
        let ids = |v: &Value| -> Vec<String> {
            v["entities"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].as_str().unwrap().to_string())
                .collect()
        };
        assert!(
            ids(&x).iter().all(|id| !ids(&y).contains(id)),
            "{path}: ids are shared between two orgs"
        );
        // And the same org seeded again gives the same ids.
        let mut same = ids(&again.get(path).await.body);
        let mut first = ids(&x);
        same.sort();
        first.sort();
        assert_eq!(same, first, "{path}");
    }
}

#[tokio::test]
async fn fixture_errors_name_the_object() {
    let cases = [
        (
            "flows: [{name: F, type: inqueue}]\n",
            "fixture: flow \"F\": \"inqueue\" is not a flow type",
        ),
        (
            "flows: [{name: F, type: inqueuecall}, {name: f, type: INQUEUECALL}]\n",
            "fixture: flow \"f\": the name is used twice",
        ),
        (
            "groups: [{name: G, members: [x@example.com]}]\n",
            "fixture: group \"G\": member \"x@example.com\" is not a user",
        ),
        (
            "queues: [{name: Q, memberGroups: [{name: T, type: TEAM}]}]\n",
            "fixture: queue \"Q\": member group \"T\" is not a team",
        ),
        (
            "teams: [{name: T}]\nqueues: [{name: Q, memberGroups: [{name: T, type: TEAM, ring: 2}]}]\n",
            "fixture: queue \"Q\": member group \"T\": ring 2 is not one of the queue's settings.bullseye.rings",
        ),
    ];
    for (yaml, want) in cases {
        let f = switchboard_sim::Fixture::from_yaml(yaml).unwrap();
        let error = Sim::builder().fixture(f).start().await.unwrap_err();
        assert_eq!(error.to_string(), want, "{yaml}");
    }
    let f = switchboard_sim::Fixture::from_yaml(
        "skills: [{name: S}]\nskillGroups: [{name: G, skillConditions: [{routingSkillConditions: [{routingSkill: S, comparator: EqualTo, proficiency: 9}], languageSkillConditions: [], operation: And}]}]\n",
    )
    .unwrap();
    let error = Sim::builder()
        .fixture(f)
        .start()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("fixture: skill group \"G\": Value [9]"),
        "{error}"
    );
}

#[tokio::test]
async fn the_lookup_fixture_round_trips_through_yaml() {
    let f = lookup_org(ORG_B);
    let text = serde_yaml_ng::to_string(&f).unwrap();
    assert_eq!(switchboard_sim::Fixture::from_yaml(&text).unwrap(), f);
    let schema = switchboard_sim::Fixture::json_schema().to_string();
    for key in [
        "flows",
        "prompts",
        "scripts",
        "groups",
        "teams",
        "skillGroups",
        "memberGroups",
    ] {
        assert!(schema.contains(&format!("\"{key}\"")), "{key}");
    }
}
