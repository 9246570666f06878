//! Seeding: the example fixture, located errors, the fixture schema, generated orgs.

use switchboard_sim::{Fixture, GeneratorSpec, Sim, SimError};

use crate::support::{Api, example_fixture, temp_path};

const SCHEMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../schemas/sim-fixture.schema.json"
);

/// `schemas/sim-fixture.schema.json` is generated from the `Fixture` type; this fails when
/// it is stale. Regenerate with `SWITCHBOARD_BLESS=1 cargo test -p switchboard-sim`.
#[test]
fn the_committed_fixture_schema_is_fresh() {
    let want = format!(
        "{}\n",
        serde_json::to_string_pretty(&Fixture::json_schema()).unwrap()
    );
    if std::env::var_os("SWITCHBOARD_BLESS").is_some() {
        std::fs::write(SCHEMA, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(SCHEMA).unwrap_or_default();
    assert!(
        have == want,
        "{SCHEMA} is stale; regenerate it with `SWITCHBOARD_BLESS=1 cargo test -p switchboard-sim`"
    );
}

#[tokio::test]
async fn the_example_fixture_seeds_a_realistic_org() {
    let api = Api::start(Sim::builder().fixture(example_fixture())).await;
    assert_eq!(
        api.get("/api/v2/authorization/divisions").await.body["total"],
        3
    );
    assert_eq!(api.get("/api/v2/routing/skills").await.body["total"], 6);
    assert_eq!(api.get("/api/v2/routing/languages").await.body["total"], 2);
    assert_eq!(
        api.get("/api/v2/routing/wrapupcodes").await.body["total"],
        5
    );
    assert_eq!(api.get("/api/v2/users?state=any").await.body["total"], 8);
    assert_eq!(api.get("/api/v2/routing/queues").await.body["total"], 4);
    let snapshot = api.sim.snapshot();
    assert!(
        snapshot["audit"].as_array().unwrap().is_empty(),
        "seeding is not audited"
    );
}

#[tokio::test]
async fn fixture_errors_are_located() {
    let path = temp_path("bad-fixture.yaml");
    std::fs::write(&path, "queues:\n  - name: Q\n    memberz: []\n").unwrap();
    let error = Sim::builder().fixture_file(&path).unwrap_err();
    let text = error.to_string();
    assert!(matches!(error, SimError::Parse { .. }), "{text}");
    assert!(
        text.contains("memberz") && text.contains("line 3"),
        "{text}"
    );
    let _ = std::fs::remove_file(&path);

    let mut f = example_fixture();
    f.queues[0].members[0].user = "nobody@example.com".into();
    let error = Sim::builder().fixture(f).start().await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "fixture: queue \"Billing EN\": member \"nobody@example.com\" is not a user"
    );
}

#[tokio::test]
async fn generation_is_deterministic() {
    let ids = |sim: &switchboard_sim::RunningSim| {
        let s = sim.snapshot();
        let mut ids: Vec<String> = ["queues", "users", "skills", "wrapupCodes"]
            .iter()
            .flat_map(|k| {
                s[*k]
                    .as_object()
                    .unwrap()
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
            })
            .collect();
        ids.sort();
        ids
    };
    let a = Sim::builder()
        .generate(GeneratorSpec::small())
        .start()
        .await
        .unwrap();
    let b = Sim::builder()
        .generate(GeneratorSpec::small())
        .start()
        .await
        .unwrap();
    let c = Sim::builder()
        .generate(GeneratorSpec::small().with_seed(2))
        .start()
        .await
        .unwrap();
    assert_eq!(ids(&a), ids(&b));
    assert_ne!(ids(&a), ids(&c));
    let members = |sim: &switchboard_sim::RunningSim| {
        sim.snapshot()["queues"]
            .as_object()
            .unwrap()
            .values()
            .map(|q| q["members"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(members(&a), members(&b));
    let api = Api::start(Sim::builder().generate(GeneratorSpec::small())).await;
    let q = api.get("/api/v2/routing/queues?pageSize=1").await;
    assert_eq!(q.body["total"], 50);
    assert_eq!(q.body["entities"][0]["name"], "Accounts DE 0031");
}
