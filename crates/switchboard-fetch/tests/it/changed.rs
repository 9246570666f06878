//! The targeted read: the listings, and members, codes and users only of what changed.

use std::collections::BTreeSet;

use switchboard_fetch::{Changed, Silent, fetch, fetch_changed};

use crate::floor::{api_requests, generated, pages};

#[tokio::test]
async fn only_the_changed_queues_and_users_are_read_beyond_the_listings() {
    let (sim, client, org, manifest) = generated(50, 400, 2_000).await;
    let full = fetch(&client, &manifest).await.unwrap();

    // Two queues with members and one agent changed.
    let changed_queues: Vec<&switchboard_client::models::Queue> = org
        .queues
        .iter()
        .filter(|q| q.member_count.unwrap_or(0) > 0)
        .take(2)
        .collect();
    let agent = full.users.values().next().unwrap().clone();
    let changed = Changed {
        queues: changed_queues
            .iter()
            .map(|q| q.id.clone().unwrap())
            .collect(),
        users: [agent.id.clone()].into_iter().collect(),
        skill_groups: Default::default(),
    };

    sim.clear_journal();
    let live = fetch_changed(&client, &manifest, &changed, &Silent)
        .await
        .unwrap();
    let journal = sim.journal();
    let requests = api_requests(&journal);

    let listings = 1
        + pages(org.divisions, 100)
        + pages(org.skills_listed, 500)
        + pages(org.languages_listed, 100)
        + pages(org.wrapup_codes, 100)
        + pages(org.queues.len(), 500);
    let members: usize = changed_queues
        .iter()
        .map(|q| pages(q.member_count.unwrap() as usize, 100))
        .sum();
    let codes = changed_queues.len();
    // One listing of the changed user by id, one search for the members' and agent's emails.
    let expected = listings + members + codes + 1 + 1;
    let listing: Vec<String> = requests
        .iter()
        .map(|e| format!("{} {}?{}", e.method, e.path, e.query))
        .collect();
    eprintln!(
        "targeted read of 2 queues and 1 user in a 50-queue, 400-user org: {} requests (a full read: 107)",
        requests.len()
    );
    assert_eq!(
        requests.len(),
        expected,
        "requests made:\n{}",
        listing.join("\n")
    );

    // Every listing is complete, and the changed objects are read as a full read reads them.
    assert_eq!(live.queues.len(), full.queues.len());
    assert_eq!(live.skills, full.skills);
    assert_eq!(live.wrapup_codes, full.wrapup_codes);
    let changed_names: BTreeSet<&str> = changed_queues.iter().map(|q| q.name.as_str()).collect();
    for (name, queue) in &live.queues {
        if changed_names.contains(name.as_str()) {
            assert_eq!(queue.members, full.queues[name].members, "{name}");
            assert_eq!(
                queue.wrapup_code_ids, full.queues[name].wrapup_code_ids,
                "{name}"
            );
        } else {
            assert!(
                queue.members.is_none() && queue.wrapup_code_ids.is_none(),
                "{name}"
            );
        }
    }
    let email = full
        .users
        .iter()
        .find(|(_, u)| u.id == agent.id)
        .map(|(e, _)| e.clone())
        .unwrap();
    assert_eq!(live.users[&email], agent, "the changed agent, with skills");
    for (email, user) in &live.users {
        assert_eq!(user, &full.users[email]);
    }
}

#[tokio::test]
async fn nothing_changed_reads_only_the_listings() {
    let (sim, client, _, manifest) = generated(5, 20, 40).await;
    sim.clear_journal();
    let live = fetch_changed(&client, &manifest, &Changed::default(), &Silent)
        .await
        .unwrap();
    let journal = sim.journal();
    assert_eq!(
        api_requests(&journal).len(),
        6,
        "the six listings, one page each"
    );
    assert!(live.users.is_empty());
}
