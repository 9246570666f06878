//! Attribution against the simulator: edits made "in the admin UI" are attributed to the
//! person who made them; a refused audit query is said once and changes nothing else.

use std::time::Duration;

use switchboard_client::{Client, ClientConfig, Credentials, Hosts, RateBudget};
use switchboard_drift::{
    AttributionStatus, Class, ObjectKind, Report, WhoKind, attribute, classify,
};
use switchboard_fetch::fetch;
use switchboard_sim::{
    DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, FaultAction, FaultRule, Faults, Fixture, RunningSim, Sim,
};

use crate::{manifest, plans};

const ORG: &str = include_str!("../../../../examples/sim-org.yaml");

const MANIFEST: &str = "\
version: 1
org: { name: Switchboard Demo Org, region: mypurecloud.ie }
scope: { divisions: [Customer Care] }
skills: [ { name: Billing } ]
queues:
  - name: Billing EN
    division: Customer Care
    description: Billing questions in English
    bullseye:
      rings: [ { expansionTimeoutSeconds: 15 }, { expansionTimeoutSeconds: 30 }, {} ]
    members:
      mode: additive
      users: [ { user: bo.berg@example.com, ring: 2 } ]
  - { name: Billing ES, division: Customer Care, description: Billing questions in Spanish }
  - { name: Tech Support EN, division: Customer Care }
agents:
  - user: bo.berg@example.com
    skills: { mode: additive, proficiency: { Billing: 3 } }
";

fn client(sim: &RunningSim) -> Client {
    let hosts = Hosts::from_urls(&sim.base_url(), &sim.base_url()).unwrap();
    let mut config = ClientConfig::new(hosts, Credentials::new(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET));
    config.rate_budget = RateBudget {
        requests: 100_000.try_into().unwrap(),
        window: Duration::from_secs(1),
    };
    Client::new(config).unwrap()
}

async fn report(client: &Client) -> Report {
    let manifest = manifest(MANIFEST);
    let live = fetch(client, &manifest).await.unwrap();
    classify(&plans(&manifest, &live), &live)
}

fn audit_requests(sim: &RunningSim) -> usize {
    sim.journal()
        .iter()
        .filter(|e| e.path.starts_with("/api/v2/audits"))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_edits_are_attributed_and_a_refused_audit_query_is_said_once() {
    let sim = Sim::builder()
        .fixture(Fixture::from_yaml(ORG).unwrap())
        .start()
        .await
        .unwrap();
    let client = client(&sim);

    let mut in_sync = report(&client).await;
    assert!(in_sync.in_sync(), "{:#?}", in_sync.objects);
    attribute(&client, &mut in_sync).await;
    assert_eq!(in_sync.attribution.status, AttributionStatus::NotNeeded);
    assert_eq!(audit_requests(&sim), 0, "nothing drifted: no audit query");

    let admin = sim.admin();
    admin
        .set_queue_field(
            "Billing EN",
            "/description",
            serde_json::json!("Edited in the admin UI"),
        )
        .unwrap();
    admin
        .set_member_ring("Billing EN", "bo.berg@example.com", 3)
        .unwrap();
    admin.delete_queue("Billing ES").unwrap();
    admin
        .set_user_skill("bo.berg@example.com", "Billing", 1.0)
        .unwrap();

    let mut drifted = report(&client).await;
    let classes: Vec<(Class, &str)> = drifted
        .objects
        .iter()
        .map(|o| (o.class, o.address.as_str()))
        .collect();
    assert_eq!(
        classes,
        [
            (Class::Changed, "queue[\"Billing EN\"]"),
            (Class::Changed, "agent[\"bo.berg@example.com\"]"),
            (Class::Missing, "queue[\"Billing ES\"]"),
            (Class::Unmanaged, "language[\"English\"]"),
            (Class::Unmanaged, "language[\"Spanish\"]"),
        ],
        "languages have no division: in scope, and unmanaged (not drift: no prune)"
    );
    attribute(&client, &mut drifted).await;
    assert_eq!(
        drifted.attribution.status,
        AttributionStatus::Complete,
        "{:?}",
        drifted.attribution
    );
    assert_eq!(drifted.attribution.message, None);
    assert_eq!(
        audit_requests(&sim),
        3,
        "one query per existing object, one for the deleted queues"
    );

    let queue = &drifted.objects[0];
    let actions: Vec<&str> = queue
        .attribution
        .iter()
        .map(|a| a.action.as_str())
        .collect();
    assert_eq!(actions, ["MemberUpdate", "Update"], "newest first");
    for record in &queue.attribution {
        assert_eq!(record.who, "Dana Admin");
        assert_eq!(record.who_kind, WhoKind::User);
    }
    assert!(
        queue.attribution[1]
            .properties
            .iter()
            .any(|p| p == "description"),
        "{:?}",
        queue.attribution[1]
    );
    let agent = &drifted.objects[1];
    assert_eq!(agent.kind, ObjectKind::Agent);
    assert_eq!(agent.attribution[0].who, "Dana Admin");
    assert_eq!(agent.attribution[0].action, "Assign");
    let deleted = &drifted.objects[2];
    assert_eq!(deleted.attribution.len(), 1, "{:?}", deleted.attribution);
    assert_eq!(deleted.attribution[0].action, "Delete");
    assert_eq!(deleted.attribution[0].who, "Dana Admin");

    // Without the permission: one refused query, a note, and the drift unchanged.
    sim.clear_journal();
    sim.set_faults(
        Faults::none().rule(
            FaultRule::new(FaultAction::Status {
                status: 403,
                retry_after: None,
            })
            .path_prefix("/api/v2/audits"),
        ),
    );
    let mut refused = report(&client).await;
    attribute(&client, &mut refused).await;
    assert_eq!(refused.attribution.status, AttributionStatus::NotPermitted);
    let message = refused.attribution.message.clone().unwrap();
    assert!(
        message.starts_with(
            "attribution unavailable: the OAuth client lacks the audits:audit:view permission"
        ),
        "{message}"
    );
    assert_eq!(
        audit_requests(&sim),
        1,
        "the first refusal stops the queries"
    );
    assert!(refused.objects.iter().all(|o| o.attribution.is_empty()));
    assert_eq!(refused.objects.len(), 5);
    assert_eq!(refused.summary().drifted, 3);

    // Any other failure: said once, with how many queries failed.
    sim.set_faults(
        Faults::none().rule(
            FaultRule::new(FaultAction::Status {
                status: 500,
                retry_after: None,
            })
            .path_prefix("/api/v2/audits"),
        ),
    );
    let mut failed = report(&client).await;
    attribute(&client, &mut failed).await;
    assert_eq!(failed.attribution.status, AttributionStatus::Failed);
    let message = failed.attribution.message.clone().unwrap();
    assert!(
        message.starts_with("attribution incomplete: 3 of 3 audit queries failed"),
        "{message}"
    );
    sim.shutdown().await;
}
