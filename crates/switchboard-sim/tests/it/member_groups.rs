//! A queue's member groups: checked on create and replace, answered with names, and the queue's
//! members following them (`memberBy: group`) as groups, teams and skill groups change.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use switchboard_sim::{GeneratorSpec, Sim};

use crate::lookup_org::{id_named, start};
use crate::support::Api;

/// Name → (ring, memberBy) of every member of a queue, through every page.
async fn roster(api: &Api, queue: &str) -> BTreeMap<String, (u64, String)> {
    let mut out = BTreeMap::new();
    for page in 1.. {
        let r = api
            .get(&format!(
                "/api/v2/routing/queues/{queue}/members?pageSize=2&pageNumber={page}"
            ))
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        for m in r.body["entities"].as_array().unwrap() {
            out.insert(
                m["name"].as_str().unwrap().to_string(),
                (
                    m["ringNumber"].as_u64().unwrap(),
                    m["memberBy"].as_str().unwrap().to_string(),
                ),
            );
        }
        if r.body.get("nextUri").is_none() {
            break;
        }
    }
    out
}

fn row(entries: &[(&str, u64, &str)]) -> BTreeMap<String, (u64, String)> {
    entries
        .iter()
        .map(|(n, r, b)| (n.to_string(), (*r, b.to_string())))
        .collect()
}

async fn ids(api: &Api, path: &str, name: &str) -> String {
    id_named(&api.get(path).await.body, name)
}

/// Every count of a queue agrees with its members listing.
async fn counts_agree(api: &Api, queue: &str) {
    let q = api.get(&format!("/api/v2/routing/queues/{queue}")).await;
    let members = roster(api, queue).await;
    let users = members.values().filter(|(_, by)| by == "user").count();
    assert_eq!(q.body["memberCount"], members.len());
    assert_eq!(q.body["userMemberCount"], users);
    let v1 = api
        .get(&format!(
            "/api/v2/routing/queues/{queue}/users?pageSize=100"
        ))
        .await;
    assert_eq!(
        v1.body["total"],
        members.len(),
        "the deprecated /users listing too"
    );
}

#[tokio::test]
async fn seeded_member_groups_are_answered_with_names_and_bring_their_users() {
    let api = start().await;
    let billing = api.queue_id("Billing EN").await;
    let q = api.get(&format!("/api/v2/routing/queues/{billing}")).await;
    let own = &q.body["memberGroups"][0];
    assert_eq!(own["name"], "Billing Agents");
    assert_eq!(own["type"], "GROUP");
    assert!(
        own["selfUri"]
            .as_str()
            .unwrap()
            .starts_with("/api/v2/groups/")
    );
    let ring = &q.body["bullseye"]["rings"][1]["memberGroups"][0];
    assert_eq!(
        (&ring["name"], &ring["type"]),
        (&json!("Team Beta"), &json!("TEAM"))
    );
    // Ana is a direct member (ring 2) and in Billing Agents: she stays direct.
    assert_eq!(
        roster(&api, &billing).await,
        row(&[
            ("Ana Silva", 2, "user"),
            ("Bo Berg", 1, "group"),
            ("Chen Okafor", 2, "group"),
            ("Dara Novak", 2, "group"),
        ])
    );
    counts_agree(&api, &billing).await;
    let by_group = api
        .get(&format!(
            "/api/v2/routing/queues/{billing}/members?memberBy=group"
        ))
        .await;
    assert_eq!(by_group.body["entities"].as_array().unwrap().len(), 3);
    let sales = api.queue_id("Sales EN").await;
    assert_eq!(
        roster(&api, &sales).await,
        row(&[("Ana Silva", 1, "group"), ("Chen Okafor", 1, "group")])
    );
}

#[tokio::test]
async fn a_put_adds_and_removes_group_members() {
    let api = start().await;
    let plain = api.queue_id("Plain").await;
    let sales_agents = {
        let r = api
            .post(
                "/api/v2/groups/search",
                json!({"query": [{"type": "EXACT", "fields": ["name"], "value": "Sales Agents"}]}),
            )
            .await;
        r.body["results"][0]["id"].as_str().unwrap().to_string()
    };
    let experts = ids(&api, "/api/v2/routing/skillgroups", "Billing Experts").await;
    let path = format!("/api/v2/routing/queues/{plain}");
    let put = |groups: Value| api.put(&path, json!({"name": "Plain", "memberGroups": groups}));
    let r =
        put(json!([{"id": sales_agents, "type": "GROUP"}, {"id": experts, "type": "SKILLGROUP"}]))
            .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["memberGroups"][1]["name"], "Billing Experts");
    assert_eq!(
        roster(&api, &plain).await,
        row(&[("Ana Silva", 1, "group"), ("Chen Okafor", 1, "group")]),
        "Eli, in Sales Agents, is deleted"
    );
    counts_agree(&api, &plain).await;
    // What a GET answered (names, selfUris) can be PUT back as it is.
    let read = api.get(&format!("/api/v2/routing/queues/{plain}")).await;
    let again = put(read.body["memberGroups"].clone()).await;
    assert_eq!(again.status, 200, "{}", again.body);
    let r = put(json!([{"id": sales_agents, "type": "GROUP"}])).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        roster(&api, &plain).await,
        row(&[("Chen Okafor", 1, "group")])
    );
    let r = put(json!([])).await;
    assert_eq!(r.status, 200);
    assert!(roster(&api, &plain).await.is_empty());
    counts_agree(&api, &plain).await;
}

#[tokio::test]
async fn unknown_member_groups_are_refused_by_name() {
    let api = start().await;
    let team = ids(&api, "/api/v2/teams", "Team Alpha").await;
    let create = |groups: Value, rings: Value| {
        api.post(
            "/api/v2/routing/queues",
            json!({"name": "New", "memberGroups": groups, "bullseye": {"rings": rings}}),
        )
    };
    let wrong_type = create(json!([{"id": team, "type": "GROUP"}]), json!([])).await;
    assert_eq!(
        (wrong_type.status, wrong_type.code()),
        (400, "invalid.value")
    );
    let message = wrong_type.body["message"].as_str().unwrap();
    assert!(
        message.contains(&team) && message.contains("GROUP"),
        "{message}"
    );
    assert_eq!(wrong_type.body["entityId"], team.as_str());
    let in_ring = create(
        json!([]),
        json!([{}, {"memberGroups": [{"id": "nope", "type": "SKILLGROUP"}]}]),
    )
    .await;
    assert_eq!(in_ring.status, 400);
    assert!(
        in_ring.body["message"]
            .as_str()
            .unwrap()
            .contains("bullseye.rings[1].memberGroups[0]")
    );
    let untyped = create(json!([{"id": team}]), json!([])).await;
    assert_eq!(untyped.code(), "required.field.missing");
    let bad_enum = create(json!([{"id": team, "type": "USER"}]), json!([])).await;
    assert_eq!(bad_enum.code(), "invalid.value");
    assert_eq!(
        api.get("/api/v2/routing/queues?name=New").await.body["total"],
        0,
        "nothing was created"
    );
    let ok = create(json!([{"id": team, "type": "TEAM"}]), json!([])).await;
    assert_eq!(ok.status, 200);
    assert_eq!(ok.body["memberCount"], 1);
}

#[tokio::test]
async fn direct_and_group_membership_of_one_user() {
    let api = start().await;
    let billing = api.queue_id("Billing EN").await;
    let path = format!("/api/v2/routing/queues/{billing}/members");
    let bo = api.user_id("bo@example.com").await;
    let ana = api.user_id("ana@example.com").await;
    // A group member cannot be removed directly, nor given a ring.
    assert_eq!(api.delete(&format!("{path}/{bo}")).await.status, 400);
    assert_eq!(
        api.post(&format!("{path}?delete=true"), json!([{"id": bo}]))
            .await
            .status,
        400
    );
    assert_eq!(
        api.patch(&format!("{path}/{bo}"), json!({"ringNumber": 3}))
            .await
            .status,
        400
    );
    assert_eq!(
        api.patch(&format!("{path}/{bo}"), json!({"joined": false}))
            .await
            .status,
        204,
        "but can be unjoined"
    );
    // Adding them directly makes them a direct member; removing that leaves the group's.
    assert_eq!(api.post(&path, json!([{"id": bo}])).await.status, 204);
    assert_eq!(
        roster(&api, &billing).await["Bo Berg"],
        (1, "user".to_string())
    );
    assert_eq!(api.delete(&format!("{path}/{bo}")).await.status, 204);
    assert_eq!(
        roster(&api, &billing).await["Bo Berg"],
        (1, "group".to_string())
    );
    // Ana, direct and in a group: removing her direct membership leaves her a group member.
    assert_eq!(api.delete(&format!("{path}/{ana}")).await.status, 204);
    assert_eq!(
        roster(&api, &billing).await["Ana Silva"],
        (1, "group".to_string())
    );
    counts_agree(&api, &billing).await;
}

#[tokio::test]
async fn queue_members_follow_group_team_and_skill_changes() {
    let api = start().await;
    let billing = api.queue_id("Billing EN").await;
    let sales = api.queue_id("Sales EN").await;
    let admin = api.sim.admin();
    admin
        .add_group_member("Billing Agents", "dara@example.com")
        .unwrap();
    assert_eq!(
        roster(&api, &billing).await["Dara Novak"],
        (1, "group".to_string()),
        "ring 1 beats ring 2"
    );
    admin
        .remove_team_member("Team Beta", "chen@example.com")
        .unwrap();
    assert!(!roster(&api, &billing).await.contains_key("Chen Okafor"));
    admin
        .add_team_member("Team Beta", "chen@example.com")
        .unwrap();
    assert_eq!(
        roster(&api, &billing).await["Chen Okafor"],
        (2, "group".to_string())
    );
    assert!(admin.add_group_member("Nope", "ana@example.com").is_err());

    // Bo's billing skill rises to 4: he joins the Billing Experts, and so Sales EN.
    let bo = api.user_id("bo@example.com").await;
    let billing_skill =
        api.get("/api/v2/routing/skills?name=Billing").await.body["entities"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();
    let put = api
        .put(
            &format!("/api/v2/users/{bo}/routingskills/{billing_skill}"),
            json!({"proficiency": 4}),
        )
        .await;
    assert_eq!(put.status, 200, "{}", put.body);
    assert!(roster(&api, &sales).await.contains_key("Bo Berg"));
    // The skill group now asks for 5: only Ana stays.
    let experts = ids(&api, "/api/v2/routing/skillgroups", "Billing Experts").await;
    let patched = api
        .patch(
            &format!("/api/v2/routing/skillgroups/{experts}"),
            json!({"name": "Billing Experts", "skillConditions": [{
                "routingSkillConditions": [{"routingSkill": "Billing", "comparator": "EqualTo", "proficiency": 5}],
                "languageSkillConditions": [], "operation": "And"}]}),
        )
        .await;
    assert_eq!(patched.status, 200);
    assert_eq!(
        roster(&api, &sales).await,
        row(&[("Ana Silva", 1, "group")])
    );
    counts_agree(&api, &sales).await;
    // A skill group a queue uses cannot be deleted.
    let refused = api
        .delete(&format!("/api/v2/routing/skillgroups/{experts}"))
        .await;
    assert_eq!((refused.status, refused.code()), (409, "general.conflict"));
    assert!(
        refused.body["message"]
            .as_str()
            .unwrap()
            .contains("Sales EN")
    );
    // Group membership changes are queue membership changes in the audit trail.
    let snapshot = api.sim.snapshot();
    assert!(snapshot["audit"].as_array().unwrap().iter().any(|r| {
        r["entityId"] == sales.as_str()
            && r["action"] == "MemberRemove"
            && r["propertyChanges"].to_string().contains("memberBy")
    }));
}

#[tokio::test]
async fn a_generated_org_has_queues_with_member_groups() {
    let spec = GeneratorSpec {
        member_group_percent: 30,
        ..GeneratorSpec::small()
    };
    let api = Api::start(Sim::builder().generate(spec)).await;
    let mut grouped = 0;
    for page in 1..=2 {
        let r = api
            .get(&format!(
                "/api/v2/routing/queues?pageSize=25&pageNumber={page}"
            ))
            .await;
        for q in r.body["entities"].as_array().unwrap() {
            let Some(groups) = q["memberGroups"].as_array() else {
                continue;
            };
            grouped += 1;
            assert!((1..=2).contains(&groups.len()));
            assert!(groups.iter().all(|g| g["name"].is_string()));
            let by_group = api
                .get(&format!(
                    "/api/v2/routing/queues/{}/members?memberBy=group&pageSize=100",
                    q["id"].as_str().unwrap()
                ))
                .await;
            let users = q["userMemberCount"].as_u64().unwrap();
            let all = q["memberCount"].as_u64().unwrap();
            assert!(all >= users);
            assert!(by_group.body["entities"].as_array().unwrap().len() as u64 <= all - users);
        }
    }
    assert!((5..=25).contains(&grouped), "{grouped}");
    let flows = api.get("/api/v2/flows?type=inqueueshortmessage").await;
    assert_eq!(flows.body["total"], 10);
    let experts = api.get("/api/v2/routing/skillgroups").await;
    assert_eq!(experts.body["entities"].as_array().unwrap().len(), 2);
    assert!(
        experts.body["entities"]
            .as_array()
            .unwrap()
            .iter()
            .all(|g| g["memberCount"].as_u64().unwrap() > 0)
    );
    let groups = api.get("/api/v2/groups").await;
    assert_eq!(groups.body["total"], 5);
}

#[tokio::test]
async fn group_membership_and_skill_group_changes_are_notified() {
    use futures::StreamExt;
    use tokio_tungstenite::tungstenite::Message;

    let api = start().await;
    let plain = api.queue_id("Plain").await;
    let experts = ids(&api, "/api/v2/routing/skillgroups", "Billing Experts").await;
    let alpha = ids(&api, "/api/v2/teams", "Team Alpha").await;
    let channel = api.post("/api/v2/notifications/channels", json!({})).await;
    let id = channel.body["id"].as_str().unwrap();
    let users_topic = format!("v2.routing.queues.{plain}.users");
    let audit_topic = format!("v2.audits.entitytype.SkillGroup.entityid.{experts}");
    let subscribed = api
        .put(
            &format!("/api/v2/notifications/channels/{id}/subscriptions"),
            json!([{"id": users_topic}, {"id": audit_topic}]),
        )
        .await;
    assert_eq!(subscribed.status, 200);
    let (mut socket, _) =
        tokio_tungstenite::connect_async(channel.body["connectUri"].as_str().unwrap())
            .await
            .unwrap();
    let put = api
        .put(
            &format!("/api/v2/routing/queues/{plain}"),
            json!({"name": "Plain", "memberGroups": [{"id": alpha, "type": "TEAM"}]}),
        )
        .await;
    assert_eq!(put.status, 200);
    let patched = api
        .patch(
            &format!("/api/v2/routing/skillgroups/{experts}"),
            json!({"name": "Billing Experts", "description": "changed", "skillConditions": []}),
        )
        .await;
    assert_eq!(patched.status, 200);
    let mut messages = Vec::new();
    while messages.len() < 2 {
        let next = tokio::time::timeout(std::time::Duration::from_secs(5), socket.next())
            .await
            .expect("a message in time")
            .unwrap()
            .unwrap();
        if let Message::Text(text) = next {
            messages.push(serde_json::from_str::<Value>(&text).unwrap());
        }
    }
    let ana = api.user_id("ana@example.com").await;
    assert_eq!(messages[0]["topicName"], users_topic.as_str());
    assert_eq!(messages[0]["eventBody"]["id"], ana.as_str());
    assert_eq!(messages[0]["eventBody"]["joined"], true);
    assert_eq!(messages[1]["topicName"], audit_topic.as_str());
    assert_eq!(messages[1]["eventBody"]["action"], "Update");
    assert_eq!(messages[1]["eventBody"]["entityType"], "SkillGroup");
}
