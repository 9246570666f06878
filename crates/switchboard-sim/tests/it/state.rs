//! Saving and loading the org state.

use serde_json::json;
use switchboard_sim::Sim;

use crate::support::{Api, example_fixture, temp_path};

#[tokio::test]
async fn state_round_trips_through_the_state_file() {
    let file = temp_path("state.json");
    let api = Api::start(Sim::builder().fixture(example_fixture()).state_file(&file)).await;
    let id = api.create_queue(json!({"name": "Created Over HTTP"})).await;
    api.sim.admin().delete_wrapup_code("No Answer").unwrap();
    let before = api.sim.snapshot();
    api.sim.shutdown().await;
    assert!(file.exists());

    // No fixture this time: everything comes from the state file.
    let again = Api::start(Sim::builder().state_file(&file)).await;
    assert_eq!(again.sim.snapshot(), before);
    let q = again.get(&format!("/api/v2/routing/queues/{id}")).await;
    assert_eq!(q.body["name"], "Created Over HTTP");
    again.sim.admin().create_skill("After Restart").unwrap();
    again.sim.save_state().unwrap();
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert!(
        saved["skills"]
            .as_object()
            .unwrap()
            .values()
            .any(|s| s["name"] == "After Restart")
    );
    let _ = std::fs::remove_file(file);
}
