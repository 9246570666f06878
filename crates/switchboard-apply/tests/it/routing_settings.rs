//! The org's routing settings: each part read only when the manifest sets a field of it,
//! written read-modify-write (settings, transcription) or by a PATCH of the changed fields
//! (contact center), never over an edit made after the plan. Every step ends converged.

use switchboard_client::Client;
use switchboard_client::models::TranscriptionSettings;
use switchboard_plan::Policy;
use switchboard_sim::Fixture;

use crate::harness::{apply_and_converge, client, manifest, plan, start};

const ORG: &str = r"
org: { name: Settings Org, id: 0d0c0b0a-3333-4333-8333-444455556666 }
divisions:
  - { name: Home, home: true }
";

const HEAD: &str = r"
version: 1
org: { name: Settings Org, region: mypurecloud.com }
";

/// Transcription on for queues and flows, threshold 40, content search on: set in the org
/// before the plan, as an admin would.
async fn transcribing(client: &Client) {
    let settings = TranscriptionSettings {
        transcription: Some("EnabledQueueFlow".into()),
        transcription_confidence_threshold: Some(40),
        content_search_enabled: Some(true),
        ..TranscriptionSettings::default()
    };
    client.set_transcription_settings(&settings).await.unwrap();
}

#[tokio::test]
async fn the_settings_are_set_part_by_part_and_converge() {
    let sim = start(Fixture::from_yaml(ORG).unwrap()).await;
    let client = client(&sim);
    transcribing(&client).await;
    let wanted = manifest(&format!(
        "{HEAD}
routingSettings:
  resetAgentScoreOnPresenceChange: true
  contactCenter:
    removeSkillsFromBlindTransfer: true
  transcription:
    transcriptionConfidenceThreshold: 60
    piiRedactionEnabled: true
"
    ));
    let (planned, live) = plan(&client, &wanted, &Policy::default()).await;
    let changes: Vec<String> = planned
        .changes
        .iter()
        .map(|c| c.address.to_string())
        .collect();
    assert_eq!(changes, [r#"routing_settings["org"]"#]);
    let attributes: Vec<(&str, String, String)> = planned.changes[0]
        .attributes
        .iter()
        .map(|a| {
            let text = |v: &Option<serde_json::Value>| {
                v.as_ref().map_or_else(|| "-".into(), ToString::to_string)
            };
            (a.path.as_str(), text(&a.before), text(&a.after))
        })
        .collect();
    // A part's fields in name order.
    assert_eq!(
        attributes,
        [
            (
                "resetAgentScoreOnPresenceChange",
                "false".into(),
                "true".into()
            ),
            (
                "contactCenter.removeSkillsFromBlindTransfer",
                "false".into(),
                "true".into()
            ),
            (
                "transcription.piiRedactionEnabled",
                "false".into(),
                "true".into()
            ),
            (
                "transcription.transcriptionConfidenceThreshold",
                "40".into(),
                "60".into()
            ),
        ]
    );
    apply_and_converge(&client, &wanted, &planned, &live).await;
    assert_eq!(
        client
            .routing_settings()
            .await
            .unwrap()
            .reset_agent_score_on_presence_change,
        Some(true)
    );
    assert_eq!(
        client
            .contact_center_settings()
            .await
            .unwrap()
            .remove_skills_from_blind_transfer,
        Some(true)
    );
    let transcription = client.transcription_settings().await.unwrap();
    assert_eq!(transcription.transcription_confidence_threshold, Some(60));
    assert_eq!(transcription.pii_redaction_enabled, Some(true));
    assert_eq!(
        transcription.transcription.as_deref(),
        Some("EnabledQueueFlow"),
        "required by the PUT, not in the manifest: written back as read"
    );
    assert_eq!(
        transcription.content_search_enabled,
        Some(true),
        "not in the manifest: kept as read"
    );
    // Nothing is reset: the settings DELETE is never sent.
    assert!(
        sim.journal()
            .iter()
            .all(|e| !(e.method == "DELETE" && e.path.starts_with("/api/v2/routing/settings"))),
    );
}

#[tokio::test]
async fn only_the_parts_the_manifest_sets_are_read() {
    let sim = start(Fixture::from_yaml(ORG).unwrap()).await;
    let client = client(&sim);
    let wanted = manifest(&format!(
        "{HEAD}
routingSettings:
  contactCenter: {{ removeSkillsFromBlindTransfer: false }}
  transcription: {{}}
"
    ));
    let (planned, _) = plan(&client, &wanted, &Policy::default()).await;
    assert!(planned.changes.is_empty(), "the new org's default is false");
    let read: Vec<String> = sim
        .journal()
        .iter()
        .filter(|e| e.path.starts_with("/api/v2/routing/settings"))
        .map(|e| format!("{} {}", e.method, e.path))
        .collect();
    assert_eq!(read, ["GET /api/v2/routing/settings/contactcenter"]);
}

#[tokio::test]
async fn settings_edited_after_the_plan_are_not_written_over() {
    let sim = start(Fixture::from_yaml(ORG).unwrap()).await;
    let client = client(&sim);
    let wanted = manifest(&format!(
        "{HEAD}
routingSettings:
  transcription: {{ transcriptionConfidenceThreshold: 60 }}
"
    ));
    let (planned, live) = plan(&client, &wanted, &Policy::default()).await;
    assert_eq!(planned.changes.len(), 1);
    // Someone turns transcription on in the admin UI after the plan was made.
    transcribing(&client).await;
    let report = switchboard_apply::run(&client, &planned, &live).await;
    assert!(!report.succeeded());
    let failed = format!("{:?}", report.steps[0].status);
    assert!(failed.contains("differ from the plan's"), "{failed}");
    assert_eq!(
        client
            .transcription_settings()
            .await
            .unwrap()
            .transcription_confidence_threshold,
        Some(40),
        "the edit is not overwritten with the plan's read"
    );
}
