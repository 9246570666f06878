use std::collections::BTreeMap;
use std::time::Duration;

use switchboard_client::models::QueueFilter;
use switchboard_client::{Client, ClientConfig, Credentials, Hosts, RateBudget};
use switchboard_fetch::fetch;
use switchboard_manifest::Manifest;
use switchboard_manifest::model::{
    Agent, Member, Members, Mode, OrgGuard, Proficiencies, Proficiency, Queue, QueueWrapupCodes,
};
use switchboard_sim::{
    DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, GeneratorSpec, JournalEntry, RunningSim, Sim,
};

pub(crate) fn client(sim: &RunningSim) -> Client {
    let hosts = Hosts::from_urls(&sim.base_url(), &sim.base_url()).unwrap();
    let mut config = ClientConfig::new(hosts, Credentials::new(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET));
    config.rate_budget = RateBudget {
        requests: 100_000.try_into().unwrap(),
        window: Duration::from_secs(1),
    };
    Client::new(config).unwrap()
}

pub(crate) fn pages(items: usize, size: usize) -> usize {
    items.div_ceil(size)
}

/// The org as the generator made it, read once to write a manifest that manages all of it.
pub(crate) struct Org {
    pub queues: Vec<switchboard_client::models::Queue>,
    pub members: BTreeMap<String, Vec<String>>,
    pub codes: BTreeMap<String, Vec<String>>,
    pub emails: Vec<String>,
    pub skills_listed: usize,
    skill_names: Vec<String>,
    pub languages_listed: usize,
    pub wrapup_codes: usize,
    pub divisions: usize,
    users_in_org: usize,
}

pub(crate) async fn read_org(client: &Client) -> Org {
    let queues = client.list_queues(&QueueFilter::default()).await.unwrap();
    let mut members = BTreeMap::new();
    let mut codes = BTreeMap::new();
    for queue in &queues {
        let id = queue.id.as_deref().unwrap();
        let listed = client.list_queue_members(id).await.unwrap();
        members.insert(
            queue.name.clone(),
            listed
                .iter()
                .filter_map(|m| m.user.as_ref()?.email.clone())
                .collect(),
        );
        let listed = client.list_queue_wrapup_codes(id).await.unwrap();
        codes.insert(
            queue.name.clone(),
            listed.into_iter().map(|c| c.name).collect(),
        );
    }
    let users = client
        .list_users(&switchboard_client::api::users::UserFilter {
            state: Some("any".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let skills = client.list_skills().await.unwrap();
    Org {
        emails: users.iter().filter_map(|u| u.email.clone()).collect(),
        users_in_org: users.len(),
        skills_listed: skills.len(),
        skill_names: skills
            .iter()
            .filter(|s| s.is_live())
            .map(|s| s.name.clone())
            .collect(),
        languages_listed: client.list_languages().await.unwrap().len(),
        wrapup_codes: client.list_wrapup_codes().await.unwrap().len(),
        divisions: client.list_divisions().await.unwrap().len(),
        queues,
        members,
        codes,
    }
}

/// A manifest that manages every queue's members and codes, and every user's skills.
pub(crate) fn manifest_for(org: &Org, org_name: &str) -> Manifest {
    Manifest {
        version: 1,
        org: OrgGuard {
            name: Some(org_name.into()),
            id: None,
            region: "mypurecloud.ie".into(),
        },
        queues: org
            .queues
            .iter()
            .map(|q| Queue {
                name: q.name.clone(),
                members: Some(Members {
                    mode: Mode::Authoritative,
                    users: org.members[&q.name]
                        .iter()
                        .map(|email| Member {
                            user: email.clone(),
                            ..Member::default()
                        })
                        .collect(),
                }),
                wrapup_codes: Some(QueueWrapupCodes {
                    mode: Mode::Authoritative,
                    codes: org.codes[&q.name].clone(),
                }),
                ..Queue::default()
            })
            .collect(),
        agents: org
            .emails
            .iter()
            .map(|email| Agent {
                user: email.clone(),
                skills: Some(Proficiencies {
                    mode: Mode::Authoritative,
                    proficiency: [(org.skill_names[0].clone(), Proficiency(3.0))]
                        .into_iter()
                        .collect(),
                }),
                languages: None,
                capacity: None,
            })
            .collect(),
        ..Manifest::default()
    }
}

/// A generated org of `queues` queues, `users` users and `memberships` memberships, a client
/// of it, the org as read, and a manifest that manages all of it.
pub(crate) async fn generated(
    queues: usize,
    users: usize,
    memberships: usize,
) -> (RunningSim, Client, Org, Manifest) {
    let spec = GeneratorSpec {
        queues,
        users,
        memberships,
        ..GeneratorSpec::small()
    };
    let sim = Sim::builder().generate(spec).start().await.unwrap();
    let client = client(&sim);
    let org = read_org(&client).await;
    let manifest = manifest_for(&org, "Generated");
    (sim, client, org, manifest)
}

pub(crate) fn api_requests(journal: &[JournalEntry]) -> Vec<&JournalEntry> {
    journal
        .iter()
        .filter(|e| e.path.starts_with("/api/"))
        .collect()
}

#[tokio::test]
async fn a_50_queue_400_user_org_is_read_at_the_request_floor() {
    let (sim, client, org, manifest) = generated(50, 400, 2_000).await;
    assert_eq!(org.queues.len(), 50);
    assert_eq!(org.users_in_org, 400);

    sim.clear_journal();
    let live = fetch(&client, &manifest).await.unwrap();
    let journal = sim.journal();
    let requests = api_requests(&journal);

    // The floor: one request per page of each collection, ⌈members/100⌉ and at least one
    // page of wrap-up codes per managed queue, and the cheaper way to read 400 users.
    let members: usize = org
        .queues
        .iter()
        .map(|q| pages(q.member_count.unwrap() as usize, 100))
        .sum();
    let codes: usize = org
        .queues
        .iter()
        .map(|q| pages(org.codes[&q.name].len(), 100).max(1))
        .sum();
    let users = pages(org.users_in_org, 500).min(pages(org.emails.len(), 100));
    let floor = 1
        + pages(org.divisions, 100)
        + pages(org.skills_listed, 500)
        + pages(org.languages_listed, 100)
        + pages(org.wrapup_codes, 100)
        + pages(org.queues.len(), 500)
        + members
        + codes
        + users;
    let listing: Vec<String> = requests
        .iter()
        .map(|e| format!("{} {}?{}", e.method, e.path, e.query))
        .collect();
    eprintln!(
        "fetch of 50 queues and 400 users: {} requests, floor {floor}",
        requests.len()
    );
    assert_eq!(
        requests.len(),
        floor,
        "requests made:\n{}",
        listing.join("\n")
    );
    assert!(
        requests
            .iter()
            .all(|e| e.method == "GET" || e.path == "/api/v2/users/search"),
        "fetch never writes"
    );
    assert!(
        requests.iter().all(|e| e.status == 200),
        "no request failed or was refused"
    );

    // And what it read is complete.
    assert_eq!(live.queues.len(), 50);
    for queue in &org.queues {
        let read = &live.queues[&queue.name];
        assert_eq!(
            read.members.as_ref().unwrap().len() as i64,
            queue.member_count.unwrap(),
            "{}",
            queue.name
        );
        assert_eq!(
            read.wrapup_code_ids.as_ref().unwrap().len(),
            org.codes[&queue.name].len()
        );
    }
    assert_eq!(live.users.len(), 400);
    assert!(live.unknown_users.is_empty());
    assert!(
        live.users.values().all(|u| !u.skills.is_empty()),
        "skills came with the users"
    );
}

#[tokio::test]
async fn nothing_is_read_for_ignored_or_unmanaged_queues_and_few_users_are_searched() {
    let (sim, client, org, mut manifest) = generated(6, 40, 120).await;
    manifest.agents.truncate(3);
    manifest.agents.push(Agent {
        user: "nobody@example.com".into(),
        ..manifest.agents[0].clone()
    });
    // Queue 0: members ignored, codes managed. Queue 1: both ignored. Queues 2-5: not in the manifest.
    manifest.queues.truncate(2);
    manifest.queues[0].members.as_mut().unwrap().mode = Mode::Ignore;
    manifest.queues[0].members.as_mut().unwrap().users.clear();
    manifest.queues[1].members = None;
    manifest.queues[1].wrapup_codes = None;

    sim.clear_journal();
    let live = fetch(&client, &manifest).await.unwrap();
    let journal = sim.journal();
    let requests = api_requests(&journal);
    let per_queue: Vec<&&JournalEntry> = requests
        .iter()
        .filter(|e| e.path.starts_with("/api/v2/routing/queues/"))
        .collect();
    let first = org
        .queues
        .iter()
        .find(|q| q.name == manifest.queues[0].name)
        .unwrap()
        .id
        .clone()
        .unwrap();
    assert_eq!(
        per_queue.len(),
        1,
        "only queue 0's wrap-up codes: {per_queue:?}"
    );
    assert_eq!(
        per_queue[0].path,
        format!("/api/v2/routing/queues/{first}/wrapupcodes")
    );
    // Four emails: one search request, not a listing of all 40 users.
    let user_reads: Vec<&&JournalEntry> = requests
        .iter()
        .filter(|e| e.path.starts_with("/api/v2/users"))
        .collect();
    assert_eq!(user_reads.len(), 1);
    assert_eq!(user_reads[0].path, "/api/v2/users/search");
    assert_eq!(live.users.len(), 3);
    assert_eq!(
        live.unknown_users.iter().collect::<Vec<_>>(),
        vec!["nobody@example.com"]
    );
    assert!(live.queues.values().all(|q| q.members.is_none()));
}
