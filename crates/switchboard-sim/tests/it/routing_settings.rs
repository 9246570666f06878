//! The org's routing settings: defaults, strict writes, PATCH keeping what it does not name,
//! DELETE back to the defaults, and audit records of what changed.

use serde_json::json;
use switchboard_sim::Sim;

use crate::support::{Api, example_fixture};

#[tokio::test]
async fn settings_are_replaced_and_reset() {
    let api = Api::start(Sim::builder().fixture(example_fixture())).await;
    let new = api.get("/api/v2/routing/settings").await;
    assert_eq!(new.body, json!({"resetAgentScoreOnPresenceChange": false}));
    let put = api
        .put(
            "/api/v2/routing/settings",
            json!({"resetAgentScoreOnPresenceChange": true}),
        )
        .await;
    assert_eq!(put.status, 200);
    assert_eq!(put.body["resetAgentScoreOnPresenceChange"], true);
    let unknown = api
        .put("/api/v2/routing/settings", json!({"resetAgentScore": true}))
        .await;
    assert_eq!(unknown.status, 400, "{:?}", unknown.body);
    let wrong = api
        .put(
            "/api/v2/routing/settings",
            json!({"resetAgentScoreOnPresenceChange": "yes"}),
        )
        .await;
    assert_eq!(wrong.status, 400);
    assert_eq!(
        api.get("/api/v2/routing/settings").await.body["resetAgentScoreOnPresenceChange"],
        true,
        "refused writes change nothing"
    );
    assert_eq!(api.delete("/api/v2/routing/settings").await.status, 204);
    assert_eq!(api.get("/api/v2/routing/settings").await.body, new.body);
}

#[tokio::test]
async fn the_contact_center_is_patched() {
    let api = Api::start(Sim::builder().fixture(example_fixture())).await;
    let path = "/api/v2/routing/settings/contactcenter";
    assert_eq!(
        api.get(path).await.body["removeSkillsFromBlindTransfer"],
        false
    );
    let patch = api
        .patch(path, json!({"removeSkillsFromBlindTransfer": true}))
        .await;
    assert_eq!(patch.status, 204);
    assert_eq!(
        api.get(path).await.body["removeSkillsFromBlindTransfer"],
        true
    );
    assert_eq!(api.patch(path, json!({})).await.status, 204);
    assert_eq!(
        api.get(path).await.body["removeSkillsFromBlindTransfer"],
        true,
        "a PATCH keeps what it does not name"
    );
    assert_eq!(api.patch(path, json!({"nope": 1})).await.status, 400);
}

#[tokio::test]
async fn transcription_is_validated_strictly() {
    let api = Api::start(Sim::builder().fixture(example_fixture())).await;
    let path = "/api/v2/routing/settings/transcription";
    let new = api.get(path).await;
    assert_eq!(new.body["transcription"], "Disabled");
    let put = api
        .put(
            path,
            json!({"transcription": "EnabledQueueFlow", "transcriptionConfidenceThreshold": 60, "piiRedactionEnabled": true}),
        )
        .await;
    assert_eq!(put.status, 200);
    assert_eq!(put.body["transcriptionConfidenceThreshold"], 60);
    assert_eq!(put.body["piiRedactionEnabled"], true);
    assert_eq!(put.body["contentSearchEnabled"], false);
    let missing = api.put(path, json!({"transcription": "Disabled"})).await;
    assert_eq!(missing.code(), "required.field.missing");
    let bad_enum = api
        .put(
            path,
            json!({"transcription": "Enabled", "transcriptionConfidenceThreshold": 60}),
        )
        .await;
    assert_eq!(bad_enum.status, 400);
    for threshold in [0, 101] {
        let out = api
            .put(
                path,
                json!({"transcription": "Disabled", "transcriptionConfidenceThreshold": threshold}),
            )
            .await;
        assert_eq!(out.code(), "invalid.value", "{threshold}");
    }
    assert_eq!(api.get(path).await.body, put.body);
}

#[tokio::test]
async fn changes_are_audited_against_the_org() {
    let api = Api::start(Sim::builder().fixture(example_fixture())).await;
    let path = "/api/v2/routing/settings/transcription";
    let body = json!({"transcription": "EnabledGlobally", "transcriptionConfidenceThreshold": 50});
    assert_eq!(api.put(path, body.clone()).await.status, 200);
    assert_eq!(api.put(path, body).await.status, 200);
    let r = api
        .post(
            "/api/v2/audits/query/realtime",
            json!({"interval": crate::audit::interval(), "filters": [
                {"property": "EntityType", "value": "RoutingSettings"}]}),
        )
        .await;
    assert_eq!(r.body["total"], 1, "an unchanged write is not recorded");
    let record = &r.body["entities"][0];
    assert_eq!(record["action"], "Update");
    assert_eq!(
        record["propertyChanges"][0]["property"], "transcription.transcription",
        "named as in the manifest"
    );
}
