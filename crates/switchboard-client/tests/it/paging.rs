use switchboard_client::Client;
use switchboard_client::models::{Queue, QueueFilter};
use switchboard_sim::{GeneratorSpec, RunningSim, Sim};

use crate::harness::{client, requests, requests_under, started_with};

/// A simulator whose one queue has `members` members, a client, and the queue as listed.
async fn one_queue_with(members: usize) -> (RunningSim, Client, Queue) {
    let spec = GeneratorSpec {
        queues: 1,
        users: members,
        memberships: members,
        wrapup_codes_per_queue: 0,
        ..GeneratorSpec::small()
    };
    let sim = Sim::builder().generate(spec).start().await.unwrap();
    let client = client(&sim);
    let queue = client
        .list_queues(&QueueFilter::default())
        .await
        .unwrap()
        .remove(0);
    (sim, client, queue)
}

#[tokio::test]
async fn listing_1234_queues_at_page_size_500_takes_exactly_3_requests() {
    let spec = GeneratorSpec {
        queues: 1234,
        users: 20,
        memberships: 0,
        ..GeneratorSpec::small()
    };
    let sim = Sim::builder().generate(spec).start().await.unwrap();
    let queues = client(&sim)
        .list_queues(&QueueFilter::default())
        .await
        .unwrap();
    assert_eq!(queues.len(), 1234);
    let mut names: Vec<&str> = queues.iter().map(|q| q.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), 1234, "every queue once");
    let pages: Vec<String> = requests(&sim, "GET", "/api/v2/routing/queues")
        .into_iter()
        .map(|e| e.query)
        .collect();
    assert_eq!(pages.len(), 3, "{pages:?}");
    assert!(
        pages.iter().all(|q| q.contains("pageSize=500")),
        "{pages:?}"
    );
}

#[tokio::test]
async fn members_are_paged_without_a_total_and_without_an_extra_empty_page() {
    // One queue with 250 members: pages of 100, 100 and 50.
    let (sim, client, queue) = one_queue_with(250).await;
    let queue_id = queue.id.unwrap();
    let members = client.list_queue_members(&queue_id).await.unwrap();
    assert_eq!(members.len(), 250);
    let pages = requests_under(
        &sim,
        "GET",
        &format!("/api/v2/routing/queues/{queue_id}/members"),
    );
    assert_eq!(pages.len(), 3);
    assert!(pages.iter().all(|e| e.query.contains("pageSize=100")));
}

#[tokio::test]
async fn a_full_last_page_without_next_uri_ends_the_listing() {
    let (sim, client, queue) = one_queue_with(200).await;
    let queue_id = queue.id.unwrap();
    assert_eq!(
        client.list_queue_members(&queue_id).await.unwrap().len(),
        200
    );
    assert_eq!(
        requests_under(
            &sim,
            "GET",
            &format!("/api/v2/routing/queues/{queue_id}/members")
        )
        .len(),
        2
    );
}

#[tokio::test]
async fn members_with_a_known_count_are_read_at_once_and_a_stale_count_still_reads_all() {
    let (sim, client, queue) = one_queue_with(250).await;
    let (queue_id, count) = (queue.id.unwrap(), queue.member_count.unwrap());
    assert_eq!(count, 250);
    let path = format!("/api/v2/routing/queues/{queue_id}/members");

    sim.clear_journal();
    assert_eq!(
        client
            .list_queue_members_counted(&queue_id, 250)
            .await
            .unwrap()
            .len(),
        250
    );
    assert_eq!(requests_under(&sim, "GET", &path).len(), 3);

    sim.clear_journal();
    assert_eq!(
        client
            .list_queue_members_counted(&queue_id, 120)
            .await
            .unwrap()
            .len(),
        250,
        "a stale count"
    );
    assert_eq!(requests_under(&sim, "GET", &path).len(), 3);

    sim.clear_journal();
    assert!(
        client
            .list_queue_members_counted(&queue_id, 0)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        requests_under(&sim, "GET", &path).is_empty(),
        "an empty queue costs nothing"
    );
}

/// The queue of `one_queue_with(250)`, with its members listing altered by `mutation`.
async fn members_read_through(mutation: switchboard_sim::Mutation) -> switchboard_client::Error {
    let spec = GeneratorSpec {
        queues: 1,
        users: 250,
        memberships: 250,
        wrapup_codes_per_queue: 0,
        ..GeneratorSpec::small()
    };
    let rule = switchboard_sim::FaultRule::mutate(mutation)
        .path_prefix("/api/v2/routing/queues/")
        .path_suffix("/members");
    let sim = started_with(Sim::builder().generate(spec), rule).await;
    let client = client(&sim);
    let queue = client
        .list_queues(&QueueFilter::default())
        .await
        .unwrap()
        .remove(0);
    let id = queue.id.unwrap();
    let error = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        client.list_queue_members(&id),
    )
    .await
    .expect("the listing ends")
    .unwrap_err();
    sim.shutdown().await;
    error
}

#[tokio::test]
async fn a_listing_that_repeats_its_pages_is_an_error_not_an_endless_read() {
    let error = members_read_through(switchboard_sim::Mutation::RepeatPage).await;
    let message = error.to_string();
    assert!(
        matches!(error, switchboard_client::Error::Listing(_)),
        "{message}"
    );
    assert!(message.contains("page 2 repeats"), "{message}");
}

#[tokio::test]
async fn a_page_count_the_total_contradicts_is_an_error() {
    let spec = GeneratorSpec {
        queues: 3,
        users: 20,
        memberships: 0,
        ..GeneratorSpec::small()
    };
    for (field, value) in [("pageCount", 1_000_000_i64), ("pageCount", 2), ("total", 7)] {
        let rule = switchboard_sim::FaultRule::mutate(switchboard_sim::Mutation::set(field, value))
            .path_prefix("/api/v2/routing/queues");
        let sim = started_with(Sim::builder().generate(spec), rule).await;
        let error = client(&sim)
            .list_queues(&QueueFilter::default())
            .await
            .unwrap_err();
        assert!(
            matches!(error, switchboard_client::Error::Listing(_)),
            "{field} {value}: {error}"
        );
        assert_eq!(
            requests(&sim, "GET", "/api/v2/routing/queues").len(),
            1,
            "{field} {value}: refused after the first page, nothing more asked"
        );
        sim.shutdown().await;
    }
}
