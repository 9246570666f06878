//! `fetch_everything` (what `switchboard export` reads) at the request floor.

use std::collections::BTreeSet;

use switchboard_client::Client;
use switchboard_client::api::{
    divisions, languages, members, queue_wrapup_codes, queues, skill_groups, skills, users,
    wrapup_codes,
};
use switchboard_client::models::QueueFilter;
use switchboard_fetch::{EverythingScope, fetch_everything};
use switchboard_sim::{GeneratorSpec, JournalEntry, RateLimit, RunningSim, Sim, SimBuilder};

use crate::floor::client;

/// The demo org's fixture: three divisions, group and inactive members.
const SIM_ORG: &str = include_str!("../../../../examples/sim-org.yaml");

/// A simulator without its 300-requests-a-minute limit: a 429 and its retry would count as
/// requests above the floor (and make the test wait).
fn unlimited() -> SimBuilder {
    Sim::builder().rate_limit(RateLimit {
        per_window: 0,
        window: std::time::Duration::from_secs(60),
    })
}

fn pages(items: usize, size: u32) -> usize {
    items.div_ceil(size as usize)
}

/// The floor for reading the org behind `client`: one request per page of each listing
/// (at least one), ⌈memberCount/100⌉ member pages and ⌈codes/100⌉ (at least one) code pages
/// per queue in `divisions` (every queue when empty), ⌈users/500⌉ user pages.
async fn floor(client: &Client, divisions_in_scope: &BTreeSet<String>) -> usize {
    let skill_groups = client.list_skill_groups().await.unwrap().len();
    let listed_divisions = client.list_divisions().await.unwrap();
    let listed_queues = client.list_queues(&QueueFilter::default()).await.unwrap();
    let in_scope: Vec<_> = listed_queues
        .iter()
        .filter(|q| {
            divisions_in_scope.is_empty()
                || q.division
                    .as_ref()
                    .and_then(|d| d.name.as_ref())
                    .is_some_and(|name| divisions_in_scope.contains(name))
        })
        .collect();
    let mut per_queue = 0;
    for queue in &in_scope {
        let id = queue.id.as_deref().unwrap();
        per_queue += pages(queue.member_count.unwrap() as usize, members::PAGE_SIZE);
        let codes = client.list_queue_wrapup_codes(id).await.unwrap().len();
        per_queue += pages(codes, queue_wrapup_codes::PAGE_SIZE).max(1);
    }
    let all_users = client
        .list_users(&users::UserFilter {
            state: Some("any".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .len();
    1 + pages(listed_divisions.len(), divisions::PAGE_SIZE).max(1)
        + pages(client.list_skills().await.unwrap().len(), skills::PAGE_SIZE).max(1)
        + pages(
            client.list_languages().await.unwrap().len(),
            languages::PAGE_SIZE,
        )
        .max(1)
        + pages(
            client.list_wrapup_codes().await.unwrap().len(),
            wrapup_codes::PAGE_SIZE,
        )
        .max(1)
        + pages(listed_queues.len(), queues::PAGE_SIZE).max(1)
        + per_queue
        + pages(all_users, users::PAGE_SIZE).max(1)
        // Every skill group whole: the listing, then each one's definition (the listing has
        // no conditions) and member divisions.
        + pages(skill_groups, skill_groups::PAGE_SIZE).max(1)
        + 2 * skill_groups
}

fn api_requests(sim: &RunningSim) -> Vec<JournalEntry> {
    sim.journal()
        .into_iter()
        .filter(|e| e.path.starts_with("/api/"))
        .collect()
}

/// Reads the org with `scope`, and checks the request count against the floor.
async fn at_the_floor(
    sim: &RunningSim,
    scope: &EverythingScope,
    what: &str,
) -> switchboard_fetch::Live {
    let client = client(sim);
    let floor = floor(&client, &scope.divisions).await;
    sim.clear_journal();
    let live = fetch_everything(&client, scope).await.unwrap();
    let requests = api_requests(sim);
    eprintln!(
        "fetch_everything of {what}: {} requests, floor {floor}",
        requests.len()
    );
    let listing: Vec<String> = requests
        .iter()
        .map(|e| format!("{} {}?{}", e.method, e.path, e.query))
        .collect();
    assert_eq!(
        requests.len(),
        floor,
        "requests made:\n{}",
        listing.join("\n")
    );
    assert!(
        requests
            .iter()
            .all(|e| e.method == "GET" && e.status == 200),
        "reads only, none failed"
    );
    live
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_200_queue_1000_user_org_is_read_whole_at_the_request_floor() {
    let spec = GeneratorSpec {
        queues: 200,
        users: 1_000,
        ..GeneratorSpec::small()
    };
    let sim = unlimited().generate(spec).start().await.unwrap();
    let live = at_the_floor(&sim, &EverythingScope::default(), "200 queues, 1,000 users").await;

    assert_eq!(live.queues.len(), 200);
    assert_eq!(live.users.len(), 1_000);
    let rows: usize = live
        .queues
        .values()
        .map(|q| q.members.as_ref().unwrap().len())
        .sum();
    assert_eq!(rows, spec.memberships);
    assert!(
        live.queues
            .values()
            .all(|q| q.wrapup_code_ids.as_ref().unwrap().len() == spec.wrapup_codes_per_queue)
    );
    assert!(
        live.users
            .values()
            .all(|u| u.skills.len() == spec.skills_per_user && u.languages.len() == 1),
        "skills and languages came with the users"
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_queues_cost_no_member_request_and_full_ones_cost_a_page_per_100() {
    // 5 queues, 3 members: two queues have none. Then 3 queues of 101, 101 and 100 members.
    for (queues, memberships) in [(5, 3), (3, 302)] {
        let spec = GeneratorSpec {
            queues,
            users: 400,
            memberships,
            ..GeneratorSpec::small()
        };
        let sim = unlimited().generate(spec).start().await.unwrap();
        let live = at_the_floor(
            &sim,
            &EverythingScope::default(),
            &format!("{queues} queues, {memberships} members"),
        )
        .await;
        let rows: usize = live
            .queues
            .values()
            .map(|q| q.members.as_ref().unwrap().len())
            .sum();
        assert_eq!(rows, memberships);
        sim.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_division_limits_the_queues_read_and_users_can_be_left_out() {
    let sim = unlimited()
        .fixture(switchboard_sim::Fixture::from_yaml(SIM_ORG).unwrap())
        .start()
        .await
        .unwrap();
    let scope = EverythingScope {
        divisions: ["Sales".to_string()].into(),
        users: false,
        ..EverythingScope::default()
    };
    let client = client(&sim);
    sim.clear_journal();
    let live = fetch_everything(&client, &scope).await.unwrap();
    let requests = api_requests(&sim);
    let read: BTreeSet<&str> = live
        .queues
        .iter()
        .filter(|(_, q)| q.members.is_some() || q.wrapup_code_ids.is_some())
        .map(|(name, _)| name.as_str())
        .collect();
    assert_eq!(read, ["Sales EN"].into());
    assert!(live.users.is_empty());
    assert!(
        requests
            .iter()
            .all(|e| !e.path.starts_with("/api/v2/users"))
    );
    // The listings (skill groups' too), one page of members and one of codes for the one
    // queue, and each skill group's definition and member divisions: a division limits
    // queues, and skill groups are org-wide.
    assert!(!live.skill_groups.is_empty());
    assert_eq!(
        requests.len(),
        7 + 2 + 2 * live.skill_groups.len(),
        "{requests:#?}"
    );
    sim.shutdown().await;
}
