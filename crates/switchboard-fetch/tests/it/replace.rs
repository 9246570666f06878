//! A replaced skill's holders are read even when the manifest names none of them.

use switchboard_fetch::fetch;
use switchboard_manifest::load_str;
use switchboard_sim::{Fixture, Sim};

const ORG: &str = include_str!("../../../../examples/sim-org.yaml");

#[tokio::test]
async fn every_holder_of_a_replaced_skill_is_read() {
    let sim = Sim::builder()
        .fixture(Fixture::from_yaml(ORG).unwrap())
        .start()
        .await
        .unwrap();
    let client = super::floor::client(&sim);
    let manifest = load_str(
        "manifest.yaml",
        "version: 1\norg: { name: Switchboard Demo Org, region: mypurecloud.ie }\nskills:\n  - name: Billing Support\n    renamedFrom: [Billing]\n",
    )
    .manifest
    .unwrap();
    let live = fetch(&client, &manifest).await.unwrap();
    let billing = &live.skills["Billing"].id;
    let holders: Vec<&str> = live
        .users
        .iter()
        .filter(|(_, u)| u.skills.contains_key(billing))
        .map(|(email, _)| email.as_str())
        .collect();
    assert_eq!(
        holders,
        [
            "ana.silva@example.com",
            "bo.berg@example.com",
            "chen.okafor@example.com",
            "hugo.haddad@example.com"
        ],
        "the fixture's four Billing agents, the inactive one included"
    );
    assert!(
        live.users
            .keys()
            .all(|email| holders.contains(&email.as_str())),
        "only holders are kept: {:?}",
        live.users.keys()
    );
    sim.shutdown().await;
}
