//! Skill groups: create, read, PATCH, delete, member divisions, the members computed from the
//! conditions, the cursor listing, and the audit trail.

use serde_json::{Value, json};

use crate::lookup_org::{id_named, names, start};
use crate::support::Api;

const PATH: &str = "/api/v2/routing/skillgroups";

fn condition(skill: &str, comparator: &str, proficiency: i64) -> Value {
    json!({
        "routingSkillConditions": [{"routingSkill": skill, "comparator": comparator, "proficiency": proficiency}],
        "languageSkillConditions": [],
        "operation": "And",
    })
}

/// The names of a skill group's members, through every page of the cursor listing.
async fn member_names(api: &Api, id: &str) -> Vec<String> {
    let mut uri = format!("{PATH}/{id}/members?pageSize=1&expand=entities");
    let mut out = Vec::new();
    while !uri.is_empty() {
        let page = api.get(&uri).await;
        assert_eq!(page.status, 200, "{}", page.body);
        out.extend(names(&page.body));
        uri = page.body["nextUri"]
            .as_str()
            .unwrap_or_default()
            .to_string();
    }
    out
}

async fn skill_group_id(api: &Api, name: &str) -> String {
    let r = api
        .get(&format!("{PATH}?name={}", name.replace(' ', "%20")))
        .await;
    id_named(&r.body, name)
}

#[tokio::test]
async fn create_read_patch_delete() {
    let api = start().await;
    let created = api
        .post(
            PATH,
            json!({"name": "Spanish Billing", "description": "x",
                   "skillConditions": [{
                       "routingSkillConditions": [{"routingSkill": "Billing", "comparator": "GreaterThan", "proficiency": 0}],
                       "languageSkillConditions": [{"languageSkill": "Spanish", "comparator": "GreaterThanOrEqualTo", "proficiency": 3}],
                       "operation": "And"}],
                   "memberDivisions": []}),
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.body);
    assert_eq!(created.body["memberDivisions"], json!([]));
    assert_eq!(created.body["memberCount"], 1);
    let id = created.body["id"].as_str().unwrap().to_string();
    let read = api.get(&format!("{PATH}/{id}")).await;
    assert_eq!(read.body["status"], "Complete");
    assert!(read.body.get("memberDivisions").is_none());
    assert_eq!(
        read.body["skillConditions"],
        created.body["skillConditions"]
    );
    assert_eq!(member_names(&api, &id).await, ["Bo Berg"]);

    let patched = api
        .patch(
            &format!("{PATH}/{id}"),
            json!({"name": "Any Billing", "skillConditions": [condition("Billing", "GreaterThanOrEqualTo", 1)]}),
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.body);
    assert_eq!(patched.body["name"], "Any Billing");
    assert_eq!(
        patched.body["description"], "x",
        "a PATCH without description keeps it"
    );
    assert_eq!(
        member_names(&api, &id).await,
        ["Ana Silva", "Bo Berg", "Chen Okafor"],
        "a deleted user is nobody's member"
    );

    assert_eq!(api.delete(&format!("{PATH}/{id}")).await.status, 204);
    assert_eq!(api.get(&format!("{PATH}/{id}")).await.status, 404);
    assert_eq!(api.delete(&format!("{PATH}/{id}")).await.status, 404);
    assert_eq!(
        api.patch(
            &format!("{PATH}/{id}"),
            json!({"name": "X", "skillConditions": []})
        )
        .await
        .status,
        404
    );
}

#[tokio::test]
async fn bad_bodies_are_refused() {
    let api = start().await;
    let ok =
        |name: &str| json!({"name": name, "skillConditions": [condition("Billing", "EqualTo", 5)]});
    let duplicate = api.post(PATH, ok("billing experts")).await;
    assert_eq!(
        (duplicate.status, duplicate.code()),
        (400, "duplicate.name")
    );
    let cases = [
        (json!({"name": "A"}), "required.field.missing"),
        (json!({"skillConditions": []}), "required.field.missing"),
        (
            json!({"name": "A", "skillConditions": [condition("Billing", "EqualTo", 6)]}),
            "invalid.value",
        ),
        (
            json!({"name": "A", "skillConditions": [condition("Billing", "EqualTo", -1)]}),
            "invalid.value",
        ),
        (
            json!({"name": "A", "skillConditions": [condition("Billing", "Equals", 1)]}),
            "invalid.value",
        ),
        (
            json!({"name": "A", "skillConditions": [condition("Nope", "EqualTo", 1)]}),
            "invalid.value",
        ),
        (
            json!({"name": "A", "skillConditions": [condition("Billing", "EqualTo", 1)], "memberDivisions": ["nope"]}),
            "invalid.value",
        ),
        (
            json!({"name": "A", "skillConditions": [{"routingSkillConditions": [], "operation": "And"}]}),
            "required.field.missing",
        ),
        (
            json!({"name": "A", "skillConditions": [{"routingSkillConditions": [], "languageSkillConditions": [], "operation": "Xor"}]}),
            "invalid.value",
        ),
        (
            json!({"name": "A", "skillConditions": [], "bogus": 1}),
            "bad.request",
        ),
    ];
    for (body, code) in cases {
        let r = api.post(PATH, body.clone()).await;
        assert_eq!((r.status, r.code()), (400, code), "{body}: {}", r.body);
    }
    let id = skill_group_id(&api, "VIP Sales").await;
    let renamed = api
        .patch(
            &format!("{PATH}/{id}"),
            json!({"name": "Billing Experts", "skillConditions": []}),
        )
        .await;
    assert_eq!(renamed.code(), "duplicate.name");
    let partial = api
        .patch(&format!("{PATH}/{id}"), json!({"name": "VIP Sales"}))
        .await;
    assert_eq!(partial.code(), "required.field.missing");
}

#[tokio::test]
async fn members_follow_skills_and_member_divisions() {
    let api = start().await;
    let vip = skill_group_id(&api, "VIP Sales").await;
    // VIP > 3 or Sales > 3, in Sales only.
    assert_eq!(
        member_names(&api, &vip).await,
        ["Chen Okafor", "Dara Novak"]
    );
    let ana = api.user_id("ana@example.com").await;
    let skills = api.get("/api/v2/routing/skills?name=VIP").await;
    let vip_skill = skills.body["entities"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let assigned = api
        .post(
            &format!("/api/v2/users/{ana}/routingskills"),
            json!({"id": vip_skill, "proficiency": 5}),
        )
        .await;
    assert_eq!(assigned.status, 200);
    assert_eq!(
        member_names(&api, &vip).await.len(),
        2,
        "Ana is not in Sales"
    );

    let divisions = api.get("/api/v2/authorization/divisions").await;
    let care = id_named(&divisions.body, "Customer Care");
    let sales = id_named(&divisions.body, "Sales");
    let change = api
        .post(
            &format!("{PATH}/{vip}/members/divisions"),
            json!({"addDivisionIds": [care], "removeDivisionIds": [sales]}),
        )
        .await;
    assert_eq!(change.status, 204);
    assert_eq!(member_names(&api, &vip).await, ["Ana Silva"]);
    let listed = api
        .get(&format!("{PATH}/{vip}/members/divisions?expand=entities"))
        .await;
    assert_eq!(names(&listed.body), ["Customer Care"]);
    let plain = api.get(&format!("{PATH}/{vip}/members/divisions")).await;
    assert!(plain.body["entities"][0].get("name").is_none());
    let bad = api
        .post(
            &format!("{PATH}/{vip}/members/divisions"),
            json!({"addDivisionIds": ["nope"]}),
        )
        .await;
    assert_eq!((bad.status, bad.code()), (400, "invalid.value"));
    let unknown = api
        .post(&format!("{PATH}/nope/members/divisions"), json!({}))
        .await;
    assert_eq!(unknown.status, 404);
    let empty = api
        .request(
            reqwest::Method::POST,
            &format!("{PATH}/{vip}/members/divisions"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), 204, "the body is optional");

    let no_names = api.get(&format!("{PATH}/{vip}/members")).await;
    assert!(no_names.body["entities"][0].get("name").is_none());
    assert!(no_names.body["entities"][0]["selfUri"].is_string());
    let one = api.get(&format!("{PATH}/{vip}")).await;
    assert_eq!(one.body["memberCount"], 1);
}

#[tokio::test]
async fn the_listing_pages_by_cursor_and_filters_by_prefix() {
    let api = start().await;
    for i in 0..4 {
        let r = api
            .post(
                PATH,
                json!({"name": format!("Extra {i}"), "skillConditions": [condition("Sales", "GreaterThan", i)]}),
            )
            .await;
        assert_eq!(r.status, 200);
    }
    let mut uri = format!("{PATH}?pageSize=4");
    let mut seen = Vec::new();
    while !uri.is_empty() {
        let page = api.get(&uri).await;
        assert!(page.body.get("total").is_none());
        for e in page.body["entities"].as_array().unwrap() {
            assert!(e.get("skillConditions").is_none(), "a SkillGroupDefinition");
            assert!(e["memberCount"].is_number());
        }
        seen.extend(names(&page.body));
        uri = page.body["nextUri"]
            .as_str()
            .unwrap_or_default()
            .to_string();
    }
    assert_eq!(
        seen,
        [
            "Billing Experts",
            "Extra 0",
            "Extra 1",
            "Extra 2",
            "Extra 3",
            "VIP Sales"
        ]
    );
    let prefix = api.get(&format!("{PATH}?name=EXTRA")).await;
    assert_eq!(prefix.body["entities"].as_array().unwrap().len(), 4);
    assert_eq!(api.get(&format!("{PATH}?pageSize=501")).await.status, 400);
}

#[tokio::test]
async fn changes_are_audited_as_skill_group_changes() {
    let api = start().await;
    let created = api
        .post(
            PATH,
            json!({"name": "Audited", "skillConditions": [condition("VIP", "EqualTo", 5)]}),
        )
        .await;
    let id = created.body["id"].as_str().unwrap().to_string();
    api.patch(
        &format!("{PATH}/{id}"),
        json!({"name": "Audited", "description": "now described", "skillConditions": [condition("VIP", "EqualTo", 5)]}),
    )
    .await;
    api.delete(&format!("{PATH}/{id}")).await;
    let snapshot = api.sim.snapshot();
    let actions: Vec<(String, String)> = snapshot["audit"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["entityId"] == id.as_str())
        .map(|r| {
            (
                r["entityType"].as_str().unwrap().to_string(),
                r["action"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = ["Create", "Update", "Delete"].map(|a| ("SkillGroup".to_string(), a.to_string()));
    assert_eq!(actions, want);
    let mapping = api.get("/api/v2/audits/query/servicemapping").await;
    assert!(mapping.body.to_string().contains("SkillGroup"));
}
