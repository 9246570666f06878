//! The Genesys notifications feed (API-FACTS §6): the topics of every managed object, spread
//! over as many channels as they need (at most 1,000 topics per channel), each channel's
//! WebSocket kept connected, renewed before its 24-hour end, and every change forwarded on
//! an `mpsc` channel to the watch loop.
//!
//! Architecture Invariant: a source never has more than [`MAX_CHANNELS`] channels of its
//! own, plus one while a renewal overlaps: an OAuth client may hold 20, and the 21st
//! replaces the oldest. Renewals take turns for that reason.
//!
//! A reconnect means changes may have been missed while the socket was down; the source
//! counts it as a gap ([`NotificationSource::gaps`]), so that the loop can run a full check.

mod connection;
mod worker;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use switchboard_client::Client;
use switchboard_client::api::notifications::MAX_TOPICS;
use tokio::sync::{Mutex, Semaphore, mpsc, watch};
use tokio_util::sync::{CancellationToken, DropGuard};

use crate::event::ChangeEvent;
use worker::Worker;

/// Channels one source uses at most: the 20 an OAuth client may hold, less one for renewal.
pub const MAX_CHANNELS: usize = 19;

/// How the source keeps its channels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceOptions {
    /// How long before a channel's expiry it is replaced (default 1 h); at most half its
    /// life.
    pub renew_margin: Duration,
    /// The first backoff delay of reconnects (default 0.5 s).
    pub reconnect_min: Duration,
    /// The backoff cap of reconnects (default 30 s).
    pub reconnect_max: Duration,
    /// How often a quiet socket is pinged (default 30 s); one silent for two intervals is
    /// taken for dead.
    pub ping_interval: Duration,
    /// How long a socket may take to connect (default 10 s).
    pub connect_timeout: Duration,
}

impl Default for SourceOptions {
    fn default() -> Self {
        SourceOptions {
            renew_margin: Duration::from_secs(60 * 60),
            reconnect_min: Duration::from_millis(500),
            reconnect_max: Duration::from_secs(30),
            ping_interval: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
        }
    }
}

/// What the source has done so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SourceStats {
    /// Channels created (first ones, renewals and replacements).
    pub channels_created: u64,
    /// Sockets connected.
    pub connects: u64,
    /// Sockets restored after a drop.
    pub reconnects: u64,
    /// Channels replaced before expiry.
    pub renewals: u64,
    /// Changes forwarded.
    pub events: u64,
    /// Drops after which changes may have been missed.
    pub gaps: u64,
}

/// Why the source could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// More topics than the channels a client may hold can carry.
    #[error(
        "{topics} notification topics need more than the {MAX_CHANNELS} channels watch mode uses (at most {} topics)\nhint: watch fewer objects, or rely on the periodic full check",
        MAX_CHANNELS * MAX_TOPICS
    )]
    TooManyTopics {
        /// Topics asked for.
        topics: usize,
    },
    /// The notifications API refused or failed.
    #[error(transparent)]
    Api(#[from] switchboard_client::Error),
    /// The API created a channel without an id or a `connectUri`.
    #[error("the notifications API created a channel without an id or connectUri")]
    IncompleteChannel,
    /// A channel's WebSocket could not be connected.
    #[error(
        "cannot connect the notification socket of channel {channel_id}: {detail}\nhint: the WebSocket host must be reachable from here (a proxy may block WebSockets)"
    )]
    Connect {
        /// The channel.
        channel_id: String,
        /// What went wrong.
        detail: String,
    },
    /// The source has stopped.
    #[error("the notification source has stopped")]
    Stopped,
}

#[derive(Debug, Default)]
struct Counters {
    channels_created: AtomicU64,
    connects: AtomicU64,
    reconnects: AtomicU64,
    renewals: AtomicU64,
    events: AtomicU64,
}

impl Counters {
    fn channel_created(&self) {
        self.channels_created.fetch_add(1, Ordering::Relaxed);
    }
    fn connected(&self) {
        self.connects.fetch_add(1, Ordering::Relaxed);
    }
    fn reconnected(&self) {
        self.reconnects.fetch_add(1, Ordering::Relaxed);
    }
    fn renewed(&self) {
        self.renewals.fetch_add(1, Ordering::Relaxed);
    }
    fn event(&self) {
        self.events.fetch_add(1, Ordering::Relaxed);
    }
    fn snapshot(&self, gaps: u64) -> SourceStats {
        SourceStats {
            channels_created: self.channels_created.load(Ordering::Relaxed),
            connects: self.connects.load(Ordering::Relaxed),
            reconnects: self.reconnects.load(Ordering::Relaxed),
            renewals: self.renewals.load(Ordering::Relaxed),
            events: self.events.load(Ordering::Relaxed),
            gaps,
        }
    }
}

/// What every worker of a source shares.
#[derive(Debug)]
struct Shared {
    client: Client,
    events: mpsc::Sender<ChangeEvent>,
    options: SourceOptions,
    counters: Counters,
    renewals: Semaphore,
    gaps: watch::Sender<u64>,
}

impl Shared {
    /// Records a drop after which changes may have been missed.
    fn gap(&self) {
        self.gaps.send_modify(|n| *n += 1);
    }
}

/// The notifications feed of one watch process. Dropping it stops it too, without waiting.
#[derive(Debug)]
pub struct NotificationSource {
    shared: Arc<Shared>,
    workers: Mutex<Vec<Worker>>,
    cancel: CancellationToken,
    _stop_on_drop: DropGuard,
}

impl NotificationSource {
    /// Creates ⌈topics/1000⌉ channels, subscribes each to its share of `topics`, connects
    /// their sockets, and from then on forwards every change to `events`. Returns once every
    /// socket is connected, so a change made after it returns is seen.
    pub async fn start(
        client: Client,
        topics: Vec<String>,
        events: mpsc::Sender<ChangeEvent>,
        options: SourceOptions,
    ) -> Result<NotificationSource, SourceError> {
        let chunks = chunk(topics)?;
        let cancel = CancellationToken::new();
        let shared = Arc::new(Shared {
            client,
            events,
            options,
            counters: Counters::default(),
            renewals: Semaphore::new(1),
            gaps: watch::channel(0).0,
        });
        let source = NotificationSource {
            shared,
            workers: Mutex::new(Vec::new()),
            _stop_on_drop: cancel.clone().drop_guard(),
            cancel,
        };
        if let Err(error) = source.grow_to(chunks).await {
            source.shutdown().await;
            return Err(error);
        }
        Ok(source)
    }

    /// Changes the topic set: channels are added, resubscribed or closed as needed.
    pub async fn set_topics(&self, topics: Vec<String>) -> Result<(), SourceError> {
        self.grow_to(chunk(topics)?).await
    }

    async fn grow_to(&self, chunks: Vec<Vec<String>>) -> Result<(), SourceError> {
        let mut workers = self.workers.lock().await;
        while workers.len() > chunks.len() {
            if let Some(worker) = workers.pop() {
                worker.stop().await;
            }
        }
        for (worker, topics) in workers.iter().zip(&chunks) {
            worker.set_topics(topics.clone()).await?;
        }
        let have = workers.len();
        for topics in chunks.into_iter().skip(have) {
            let worker =
                Worker::start(self.shared.clone(), topics, self.cancel.child_token()).await?;
            workers.push(worker);
        }
        Ok(())
    }

    /// The ids of the channels read now, one per share of the topics.
    pub async fn channel_ids(&self) -> Vec<String> {
        self.workers
            .lock()
            .await
            .iter()
            .map(Worker::channel_id)
            .collect()
    }

    /// Counters of what it has done.
    pub fn stats(&self) -> SourceStats {
        self.shared.counters.snapshot(*self.shared.gaps.borrow())
    }

    /// The number of gaps so far, changing with each: a watch loop that waits on it runs a
    /// full check after a reconnect.
    pub fn gaps(&self) -> watch::Receiver<u64> {
        self.shared.gaps.subscribe()
    }

    /// Closes every socket and waits for the workers to end.
    pub async fn shutdown(self) {
        self.cancel.cancel();
        let workers = std::mem::take(&mut *self.workers.lock().await);
        for worker in workers {
            worker.stop().await;
        }
        tracing::info!("notification source stopped");
    }
}

/// The topics, sorted and without repeats, in shares of at most [`MAX_TOPICS`].
fn chunk(topics: Vec<String>) -> Result<Vec<Vec<String>>, SourceError> {
    let mut topics = topics;
    topics.sort();
    topics.dedup();
    if topics.len() > MAX_CHANNELS * MAX_TOPICS {
        return Err(SourceError::TooManyTopics {
            topics: topics.len(),
        });
    }
    Ok(topics.chunks(MAX_TOPICS).map(<[String]>::to_vec).collect())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn topics(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("t{i:05}")).collect()
    }

    #[test]
    fn topics_are_shared_out_a_thousand_per_channel() {
        let sizes = |n| {
            chunk(topics(n))
                .unwrap()
                .iter()
                .map(Vec::len)
                .collect::<Vec<_>>()
        };
        assert_eq!(sizes(0), Vec::<usize>::new());
        assert_eq!(sizes(1), [1]);
        assert_eq!(sizes(1000), [1000]);
        assert_eq!(sizes(1500), [1000, 500]);
        let mut doubled = topics(3);
        doubled.extend(topics(3));
        assert_eq!(chunk(doubled).unwrap(), [topics(3)]);
        assert!(matches!(
            chunk(topics(19_001)),
            Err(SourceError::TooManyTopics { topics: 19_001 })
        ));
        assert_eq!(sizes(19_000).len(), 19);
    }
}
