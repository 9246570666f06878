//! The task that keeps one channel's socket alive and forwards what arrives on it.
//!
//! - A dropped socket (close, error, or silence past two ping intervals) is reconnected at
//!   once, then with capped exponential backoff and jitter. When the channel has expired or
//!   the server refuses its socket with a 4xx, a new channel is created and subscribed
//!   instead. Each drop counts as a gap: changes made meanwhile were not seen.
//! - Before the channel expires, a new one is created, subscribed and connected while the
//!   old socket still delivers; then the old one is closed (and read to its end for a short
//!   while). So renewal leaves no gap; a change may arrive twice.
//! - New topics replace the channel's (PUT); a channel gone meanwhile is recreated with them.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};
use futures::StreamExt;
use futures::future::OptionFuture;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use tokio_util::sync::CancellationToken;

use super::connection::{self, Live, Socket};
use super::{Shared, SourceError};
use crate::event::parse_notification;

/// What the source asks of a worker.
pub(crate) enum Command {
    /// Replace the channel's topics; answered once they are subscribed (or, for a channel
    /// that is gone, once they will be on its successor).
    SetTopics(Vec<String>, oneshot::Sender<Result<(), SourceError>>),
}

/// The source's handle on one worker.
#[derive(Debug)]
pub(crate) struct Worker {
    commands: mpsc::Sender<Command>,
    cancel: CancellationToken,
    task: JoinHandle<()>,
    channel_id: Arc<Mutex<String>>,
}

impl Worker {
    /// Opens a channel for `topics` and starts the task that keeps it.
    pub async fn start(
        shared: Arc<Shared>,
        topics: Vec<String>,
        cancel: CancellationToken,
    ) -> Result<Worker, SourceError> {
        let live = connection::open(&shared, &topics).await?;
        let channel_id = Arc::new(Mutex::new(live.channel.id.clone()));
        let (commands, inbox) = mpsc::channel(4);
        let state = State {
            shared,
            topics,
            inbox,
            cancel: cancel.clone(),
            channel_id: channel_id.clone(),
        };
        let task = tokio::spawn(state.run(live));
        Ok(Worker {
            commands,
            cancel,
            task,
            channel_id,
        })
    }

    /// The id of the channel it reads now.
    pub fn channel_id(&self) -> String {
        self.channel_id
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Replaces its topics.
    pub async fn set_topics(&self, topics: Vec<String>) -> Result<(), SourceError> {
        let (reply, answer) = oneshot::channel();
        self.commands
            .send(Command::SetTopics(topics, reply))
            .await
            .map_err(|_| SourceError::Stopped)?;
        answer.await.map_err(|_| SourceError::Stopped)?
    }

    /// Closes its socket and waits for the task to end.
    pub async fn stop(self) {
        self.cancel.cancel();
        let _ = self.task.await;
    }
}

type Renewal = Pin<Box<dyn Future<Output = Result<Live, SourceError>> + Send>>;

/// What to do after one event of the loop.
enum Next {
    Continue,
    Reconnect(String),
    Stop,
}

struct State {
    shared: Arc<Shared>,
    topics: Vec<String>,
    inbox: mpsc::Receiver<Command>,
    cancel: CancellationToken,
    channel_id: Arc<Mutex<String>>,
}

impl State {
    async fn run(mut self, mut live: Live) {
        let period = self.shared.options.ping_interval;
        let mut pings = tokio::time::interval_at(Instant::now() + period, period);
        pings.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut last_seen = Instant::now();
        let mut renewal: Option<(Renewal, Vec<String>)> = None;
        loop {
            let renewal_due = live.channel.renew_at;
            let next = tokio::select! {
                biased;
                _ = self.cancel.cancelled() => Next::Stop,
                command = self.inbox.recv() => match command {
                    Some(Command::SetTopics(topics, reply)) => self.set_topics(&live, topics, reply).await,
                    None => Next::Stop,
                },
                Some(done) = OptionFuture::from(renewal.as_mut().map(|(r, _)| r)), if renewal.is_some() => {
                    let subscribed = renewal.take().map(|(_, topics)| topics).unwrap_or_default();
                    match done {
                        Ok(fresh) => {
                            live = self.swap(live, fresh, &subscribed).await;
                            Next::Continue
                        }
                        Err(error) => {
                            tracing::warn!(channel = %live.channel.id, %error, "notification channel renewal failed; retrying");
                            live.channel.renew_at = Instant::now() + self.shared.options.reconnect_max;
                            Next::Continue
                        }
                    }
                }
                _ = tokio::time::sleep_until(renewal_due), if renewal.is_none() => {
                    let shared = self.shared.clone();
                    let topics = self.topics.clone();
                    let subscribed = topics.clone();
                    renewal = Some((Box::pin(async move { renew(shared, topics).await }), subscribed));
                    Next::Continue
                }
                message = live.socket.next() => {
                    last_seen = Instant::now();
                    match message {
                        Some(Ok(Message::Text(text))) => if forward(&self.shared, &text).await {
                            Next::Continue
                        } else {
                            // Nobody listens any more: the watch loop has ended.
                            Next::Stop
                        },
                        Some(Ok(Message::Close(_))) => Next::Reconnect("the server closed the socket".into()),
                        Some(Ok(_)) => Next::Continue,
                        Some(Err(error)) => Next::Reconnect(error.to_string()),
                        None => Next::Reconnect("the socket ended".into()),
                    }
                }
                _ = pings.tick() => {
                    if last_seen.elapsed() > 2 * period {
                        Next::Reconnect("no answer to pings".into())
                    } else if connection::ping(&mut live.socket).await {
                        Next::Continue
                    } else {
                        Next::Reconnect("a ping could not be sent".into())
                    }
                }
            };
            match next {
                Next::Continue => {}
                Next::Stop => {
                    connection::close(&mut live.socket).await;
                    return;
                }
                Next::Reconnect(reason) => {
                    // A renewal under way would subscribe the old topics; the recovery
                    // below makes a channel of its own when one is needed.
                    renewal = None;
                    match self.recover(live, &reason).await {
                        Some(recovered) => {
                            live = recovered;
                            last_seen = Instant::now();
                            pings.reset();
                        }
                        None => return,
                    }
                }
            }
        }
    }

    async fn set_topics(
        &mut self,
        live: &Live,
        topics: Vec<String>,
        reply: oneshot::Sender<Result<(), SourceError>>,
    ) -> Next {
        if topics == self.topics {
            let _ = reply.send(Ok(()));
            return Next::Continue;
        }
        match connection::subscribe(&self.shared, &live.channel.id, &topics).await {
            Ok(()) => {
                self.topics = topics;
                let _ = reply.send(Ok(()));
                Next::Continue
            }
            Err(SourceError::Api(error)) if error.is_not_found() => {
                self.topics = topics;
                let _ = reply.send(Ok(()));
                Next::Reconnect("the channel is gone".into())
            }
            Err(error) => {
                let _ = reply.send(Err(error));
                Next::Continue
            }
        }
    }

    /// Puts a renewed channel in place of the old one.
    async fn swap(&mut self, old: Live, mut fresh: Live, subscribed: &[String]) -> Live {
        if subscribed != self.topics.as_slice() {
            // The topics changed while the new channel was being made.
            if let Err(error) =
                connection::subscribe(&self.shared, &fresh.channel.id, &self.topics).await
            {
                tracing::warn!(channel = %fresh.channel.id, %error, "cannot update the renewed channel's topics");
                fresh.channel.renew_at = Instant::now();
            }
        }
        tracing::info!(old = %old.channel.id, new = %fresh.channel.id, "notification channel renewed");
        self.shared.counters.renewed();
        self.set_channel_id(&fresh.channel.id);
        tokio::spawn(drain(self.shared.clone(), old.socket));
        fresh
    }

    fn set_channel_id(&self, id: &str) {
        *self
            .channel_id
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = id.to_string();
    }

    /// Reconnects after a drop: the same channel while it lives, else a new one; at once,
    /// then with backoff. `None` once cancelled.
    async fn recover(&self, dropped: Live, reason: &str) -> Option<Live> {
        let Live { channel, socket } = dropped;
        drop(socket);
        tracing::info!(channel = %channel.id, %reason, "notification socket dropped; reconnecting");
        self.shared.gap();
        let mut delays = ExponentialBuilder::default()
            .with_min_delay(self.shared.options.reconnect_min)
            .with_max_delay(self.shared.options.reconnect_max)
            .with_factor(2.0)
            .with_jitter()
            .without_max_times()
            .build();
        let mut current = Some(channel);
        loop {
            if self.cancel.is_cancelled() {
                return None;
            }
            match current.take().filter(|c| !c.expired()) {
                Some(channel) => {
                    match connection::connect(&self.shared, &channel.connect_uri).await {
                        Ok(socket) => {
                            tracing::info!(channel = %channel.id, "notification socket reconnected");
                            self.shared.counters.reconnected();
                            return Some(Live { channel, socket });
                        }
                        Err(failure) if failure.gone => {
                            tracing::info!(channel = %channel.id, detail = %failure.detail, "notification channel gone; creating a new one");
                            // Straight to a new channel, without waiting.
                            continue;
                        }
                        Err(failure) => {
                            tracing::info!(channel = %channel.id, detail = %failure.detail, "notification socket reconnect failed");
                            current = Some(channel);
                        }
                    }
                }
                None => match connection::open(&self.shared, &self.topics).await {
                    Ok(live) => {
                        self.shared.counters.reconnected();
                        self.set_channel_id(&live.channel.id);
                        return Some(live);
                    }
                    Err(error) => {
                        tracing::warn!(%error, "cannot create a notification channel; retrying");
                    }
                },
            }
            let wait = delays.next().unwrap_or(self.shared.options.reconnect_max);
            tokio::select! {
                _ = self.cancel.cancelled() => return None,
                _ = tokio::time::sleep(wait) => {}
            }
        }
    }
}

/// Makes the successor of a channel, one renewal at a time across the source, so that the
/// client's channels never exceed the source's plus one.
async fn renew(shared: Arc<Shared>, topics: Vec<String>) -> Result<Live, SourceError> {
    let _turn = shared
        .renewals
        .acquire()
        .await
        .map_err(|_| SourceError::Stopped)?;
    connection::open(&shared, &topics).await
}

/// How long a replaced socket is still read, for changes sent before it learnt of the close.
const DRAIN: Duration = Duration::from_secs(2);

/// Closes a replaced socket, forwarding what it still delivers.
async fn drain(shared: Arc<Shared>, mut socket: Socket) {
    connection::close(&mut socket).await;
    let until = Instant::now() + DRAIN;
    while let Ok(Some(Ok(message))) = tokio::time::timeout_at(until, socket.next()).await {
        if let Message::Text(text) = message
            && !forward(&shared, &text).await
        {
            return;
        }
    }
}

/// Sends on the change a text message holds, if any; `false` once nobody listens.
async fn forward(shared: &Shared, text: &str) -> bool {
    let Ok(message) = serde_json::from_str(text) else {
        tracing::debug!("notification message is not JSON; ignored");
        return true;
    };
    let Some(change) = parse_notification(&message) else {
        return true;
    };
    tracing::debug!(topic = %change.topic, "change notified");
    shared.counters.event();
    shared.events.send(change).await.is_ok()
}
