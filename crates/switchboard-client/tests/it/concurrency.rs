use switchboard_client::models::QueueFilter;
use switchboard_sim::{Faults, Latency};

use crate::harness::{client_with, sim};

#[tokio::test]
async fn no_more_requests_are_in_flight_than_the_bound() {
    let slow = Faults::none().latency(Latency {
        fixed_ms: 100,
        ..Latency::default()
    });
    let sim = sim().faults(slow).start().await.unwrap();
    let client = client_with(&sim, |config| {
        config.max_concurrency = 3.try_into().unwrap()
    });
    let queues = client.list_queues(&QueueFilter::default()).await.unwrap();
    let id = queues[0].id.clone().unwrap();
    let calls = (0..12).map(|_| client.get_queue(&id));
    for result in futures::future::join_all(calls).await {
        result.unwrap();
    }
    // Twelve 100 ms requests were ready at once: the bound was reached and held.
    assert_eq!(client.stats().peak_in_flight, 3);
}
