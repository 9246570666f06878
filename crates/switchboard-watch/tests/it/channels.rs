//! The notification source against the in-process simulator: changes arrive, topics spread
//! over channels, dropped sockets reconnect, channels are renewed and replaced.

use std::time::Duration;

use serde_json::json;
use switchboard_client::api::notifications::CREATE_CHANNEL;
use switchboard_sim::RunningSim;
use switchboard_watch::{
    ChangeEvent, NotificationSource, SourceOptions, audit_topic, queue_users_topic,
};
use tokio::sync::mpsc;

use crate::support::{change_about, client, eventually, queue_id, sim, soon};

fn topics_of(queue: &str) -> Vec<String> {
    vec![audit_topic("Queue", queue), queue_users_topic(queue)]
}

/// Fast reconnects, for tests.
fn options() -> SourceOptions {
    SourceOptions {
        reconnect_min: Duration::from_millis(50),
        reconnect_max: Duration::from_millis(500),
        ..SourceOptions::default()
    }
}

async fn start(
    sim: &RunningSim,
    topics: Vec<String>,
) -> (NotificationSource, mpsc::Receiver<ChangeEvent>) {
    let (tx, rx) = mpsc::channel(64);
    let source = NotificationSource::start(client(sim), topics, tx, options())
        .await
        .unwrap();
    (source, rx)
}

fn channels_created(sim: &RunningSim) -> usize {
    sim.journal()
        .iter()
        .filter(|e| e.method == "POST" && e.path == CREATE_CHANNEL.template)
        .count()
}

fn edit_description(sim: &RunningSim, queue_name: &str, text: &str) {
    sim.admin()
        .set_queue_field(queue_name, "/description", json!(text))
        .unwrap();
}

#[tokio::test]
async fn an_out_of_band_edit_arrives_as_a_change() {
    let sim = sim().start().await.unwrap();
    let sales = queue_id(&sim, "Sales EN");
    let (source, mut rx) = start(&sim, topics_of(&sales)).await;

    edit_description(&sim, "Sales EN", "changed in the admin UI");
    let change = change_about(&mut rx, &sales).await;
    assert_eq!(change.entity_type, "Queue");
    assert_eq!(change.action.as_deref(), Some("Update"));
    assert_eq!(change.actor.as_deref(), Some("Dana Admin"));
    assert!(change.event_time.is_some());

    sim.admin()
        .add_member("Sales EN", "ana.silva@example.com", 1)
        .unwrap();
    let mut topics = Vec::new();
    while topics.len() < 2 {
        topics.push(change_about(&mut rx, &sales).await.topic);
    }
    topics.sort();
    assert_eq!(topics, {
        let mut t = topics_of(&sales);
        t.sort();
        t
    });
    let stats = source.stats();
    assert_eq!((stats.channels_created, stats.connects), (1, 1));
    assert!(stats.events >= 3, "{stats:?}");
    source.shutdown().await;
    // Every sender is gone once the source has stopped.
    assert!(soon("the channel closes", rx.recv()).await.is_none());
}

#[tokio::test]
async fn topics_beyond_a_thousand_take_a_second_channel() {
    let sim = sim().start().await.unwrap();
    let billing = queue_id(&sim, "Billing EN");
    let mut topics: Vec<String> = (0..1_499)
        .map(|i| audit_topic("Queue", &format!("00000000-0000-0000-0000-{i:012}")))
        .collect();
    topics.push(audit_topic("Queue", &billing));
    let (source, mut rx) = start(&sim, topics.clone()).await;

    assert_eq!(channels_created(&sim), 2);
    assert_eq!(source.channel_ids().await.len(), 2);
    let subscriptions = sim
        .journal()
        .into_iter()
        .filter(|e| e.method == "PUT" && e.path.ends_with("/subscriptions"))
        .count();
    assert_eq!(subscriptions, 2);
    edit_description(&sim, "Billing EN", "seen on either channel");
    change_about(&mut rx, &billing).await;

    // Fewer topics: one channel is enough, and the other is closed.
    source.set_topics(topics_of(&billing)).await.unwrap();
    assert_eq!(source.channel_ids().await.len(), 1);
    edit_description(&sim, "Billing EN", "still seen");
    change_about(&mut rx, &billing).await;

    // More again: a channel is added.
    source.set_topics(topics).await.unwrap();
    assert_eq!(source.channel_ids().await.len(), 2);
    assert_eq!(channels_created(&sim), 3);
    source.shutdown().await;
}

#[tokio::test]
async fn new_topics_replace_the_old_ones() {
    let sim = sim().start().await.unwrap();
    let sales = queue_id(&sim, "Sales EN");
    let billing = queue_id(&sim, "Billing EN");
    let (source, mut rx) = start(&sim, topics_of(&sales)).await;
    source.set_topics(topics_of(&billing)).await.unwrap();
    edit_description(&sim, "Sales EN", "no longer watched");
    edit_description(&sim, "Billing EN", "watched now");
    // The first change to arrive is Billing's: Sales's was not subscribed any more.
    let first = soon("a change", rx.recv()).await.unwrap();
    assert_eq!(first.entity_id, billing);
    assert_eq!(channels_created(&sim), 1);
    source.shutdown().await;
}

#[tokio::test]
async fn a_dropped_socket_reconnects_and_changes_keep_arriving() {
    let sim = sim().start().await.unwrap();
    let sales = queue_id(&sim, "Sales EN");
    let (source, mut rx) = start(&sim, topics_of(&sales)).await;
    let channel = source.channel_ids().await;
    let mut gaps = source.gaps();

    sim.drop_sockets();
    eventually("a reconnect", || source.stats().reconnects >= 1).await;
    soon("a gap is reported", gaps.changed()).await.unwrap();
    // The channel was still valid, so the same one is read again.
    assert_eq!(source.channel_ids().await, channel);
    assert_eq!(channels_created(&sim), 1);

    edit_description(&sim, "Sales EN", "after the drop");
    change_about(&mut rx, &sales).await;
    source.shutdown().await;
}

#[tokio::test]
async fn a_channel_that_is_gone_is_replaced() {
    let sim = sim().start().await.unwrap();
    let sales = queue_id(&sim, "Sales EN");
    let (source, mut rx) = start(&sim, topics_of(&sales)).await;
    let first = source.channel_ids().await;

    // Twenty more channels of the same client: the oldest, the source's, is dropped.
    let other = client(&sim);
    for _ in 0..20 {
        other.create_channel().await.unwrap();
    }
    // The next change closes the socket of the dropped channel; the source makes a new one.
    edit_description(&sim, "Sales EN", "closes the old socket");
    eventually("a reconnect", || source.stats().reconnects >= 1).await;
    assert_ne!(source.channel_ids().await, first);
    edit_description(&sim, "Sales EN", "on the new channel");
    change_about(&mut rx, &sales).await;
    assert!(source.stats().gaps >= 1);
    source.shutdown().await;
}

#[tokio::test]
async fn channels_are_renewed_before_they_expire() {
    let sim = sim()
        .channel_lifetime(Duration::from_secs(3))
        .start()
        .await
        .unwrap();
    let sales = queue_id(&sim, "Sales EN");
    let (source, mut rx) = start(&sim, topics_of(&sales)).await;
    let first = source.channel_ids().await;

    // A 3 s channel is renewed at half its life; wait past the first one's expiry.
    eventually("two renewals", || source.stats().renewals >= 2).await;
    assert_ne!(source.channel_ids().await, first);
    edit_description(&sim, "Sales EN", "after renewals");
    change_about(&mut rx, &sales).await;
    let stats = source.stats();
    assert!(stats.channels_created >= 3, "{stats:?}");
    source.shutdown().await;
}
