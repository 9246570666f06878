//! Every holder of a skill, even when the users' `skills` expansion fails quietly.

use std::collections::BTreeMap;

use serde_json::json;
use switchboard_client::Client;
use switchboard_client::api::users::UserFilter;
use switchboard_client::models::User;
use switchboard_sim::{FaultRule, Mutation, RunningSim};

use crate::harness::{client, requests_under, sim, sim_with};

fn filter() -> UserFilter {
    UserFilter {
        state: Some("any".into()),
        expand: vec!["skills".into()],
        ids: Vec::new(),
    }
}

/// Each user's skill ids, by id.
fn skills(users: &[User]) -> BTreeMap<String, Vec<String>> {
    users
        .iter()
        .map(|u| {
            let mut ids: Vec<String> = u
                .skills
                .iter()
                .flatten()
                .filter_map(|s| s.id.clone())
                .collect();
            ids.sort();
            (u.id.clone().unwrap(), ids)
        })
        .collect()
}

#[tokio::test]
async fn a_user_whose_skills_expansion_came_back_empty_has_their_skills_read() {
    // The truth, from an org that answers every expansion.
    let (honest, _, users) = listed().await;
    let truth = skills(&users);
    honest.shutdown().await;
    assert!(
        truth.values().any(|s| !s.is_empty()),
        "the fixture has holders"
    );

    // The listing answers every user's expansion as empty, as when it failed.
    let empty = FaultRule::mutate(Mutation::set("entities/*/skills", json!([])))
        .method("GET")
        .path_prefix("/api/v2/users")
        .path_suffix("/api/v2/users");
    let sim = sim_with(empty).await;
    let client = client(&sim);
    let listed = client.list_users(&filter()).await.unwrap();
    assert!(listed.iter().all(|u| u.skills.as_deref() == Some(&[])));
    let complete = client.with_every_skill(listed).await.unwrap();
    assert_eq!(skills(&complete), truth, "every holder is found");
    assert_eq!(
        requests_under(&sim, "GET", "/api/v2/users/").len(),
        truth.len(),
        "one read per user whose expansion was empty"
    );
    sim.shutdown().await;
}

/// The example org, its client, and its users listed with their skills.
async fn listed() -> (RunningSim, Client, Vec<User>) {
    let sim = sim().start().await.unwrap();
    let client = client(&sim);
    let listed = client.list_users(&filter()).await.unwrap();
    (sim, client, listed)
}

#[tokio::test]
async fn a_user_whose_expansion_holds_skills_is_not_read_again() {
    let (sim, client, listed) = listed().await;
    let with_skills = listed
        .iter()
        .filter(|u| u.skills.as_ref().is_some_and(|s| !s.is_empty()))
        .count();
    let complete = client.with_every_skill(listed.clone()).await.unwrap();
    assert_eq!(skills(&complete), skills(&listed));
    assert_eq!(
        requests_under(&sim, "GET", "/api/v2/users/").len(),
        listed.len() - with_skills,
        "only users without skills in the expansion are read on their own"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn a_user_without_an_id_is_an_error_not_a_user_without_skills() {
    let (sim, client, mut listed) = listed().await;
    listed[0].id = None;
    let error = client.with_every_skill(listed).await.unwrap_err();
    assert!(error.to_string().contains("has no id"), "{error}");
    sim.shutdown().await;
}
