//! The watch loop: a full check at start and every `interval`; between them, every change
//! event (from the notification channels or the webhook receiver) joins a batch, and once
//! the batch has been quiet-started for `debounce` a targeted check compares only the
//! objects it names. Every check is a JSON line on the output; drift is also logged, posted
//! to the notifier, and with `--remediate` re-applied to the drifted objects alone.
//!
//! The JSON lines (documented in `docs/watch.md`) each carry a `record`:
//! - `started`: topics subscribed, channels, the receiver's address;
//! - `check`: one per check, `trigger` (`start`, `interval`, `event`), what was compared,
//!   whether it is in sync, and for an event the time from the first event to the result;
//! - `drift`: a check that found drift, with the drift report (`docs/drift.md`'s format);
//! - `remediation`: what `--remediate` applied;
//! - `error`: a check that could not be made (the loop goes on);
//! - `stopped`: a graceful stop.

use std::io::Write;
use std::time::Duration;

use chrono::{SecondsFormat, Utc};
use serde_json::{Value, json};
use switchboard_drift::render::DriftDocument;
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::channels::{NotificationSource, SourceError, SourceOptions};
use crate::check::{CheckError, Checked, Checker};
use crate::event::ChangeEvent;
use crate::health::Health;
use crate::notify::Notifier;
use crate::receiver::{Receiver, ReceiverConfig, ReceiverError};
use crate::remediate::remediate;

/// How long a graceful stop waits for notifications still being posted.
const NOTIFY_DRAIN: Duration = Duration::from_secs(10);

/// What watch mode does besides checking.
#[derive(Debug)]
pub struct WatchConfig {
    /// How often a full check runs.
    pub interval: Duration,
    /// How long events are gathered into one targeted check.
    pub debounce: Duration,
    /// Subscribe to the notification channels of the managed objects.
    pub notifications: bool,
    /// The webhook receiver, if any (it also serves `/healthz`).
    pub receiver: Option<ReceiverConfig>,
    /// Where drift is posted, if anywhere.
    pub notifier: Option<Notifier>,
    /// With `--remediate`: the audit log remediation writes to.
    pub remediate: Option<std::path::PathBuf>,
}

/// Why watch mode stopped before it was asked to.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// The first check failed: nothing to watch from.
    #[error("the first check failed")]
    FirstCheck(#[from] CheckError),
    /// The receiver could not start.
    #[error(transparent)]
    Receiver(#[from] ReceiverError),
    /// The notification channels could not be set up.
    #[error("could not subscribe to the org's notifications: {0}")]
    Source(#[from] SourceError),
    /// The output could not be written.
    #[error("could not write the output: {0}")]
    Output(#[from] std::io::Error),
}

/// Why a check ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trigger {
    Start,
    Interval,
    Event,
    Reconnect,
}

impl Trigger {
    fn key(self) -> &'static str {
        match self {
            Trigger::Start => "start",
            Trigger::Interval => "interval",
            Trigger::Event => "event",
            Trigger::Reconnect => "reconnect",
        }
    }
}

/// Watches until `shutdown` is cancelled, writing JSON lines to `out`.
pub async fn watch(
    mut checker: Checker,
    config: WatchConfig,
    out: &mut (dyn Write + Send),
    shutdown: CancellationToken,
) -> Result<(), WatchError> {
    let health = Health::new();
    let (events_tx, mut events) = mpsc::channel::<ChangeEvent>(4096);
    let mut tasks = JoinSet::new();

    let listen = match config.receiver {
        Some(receiver) => {
            let receiver = Receiver::bind(receiver, events_tx.clone(), health.clone()).await?;
            let addr = receiver.local_addr();
            let stop = shutdown.child_token();
            tasks.spawn(async move {
                if let Err(error) = receiver.serve(stop).await {
                    tracing::error!(%error, "the webhook receiver stopped");
                }
            });
            Some(addr)
        }
        None => None,
    };

    let first = checker.full().await?;
    let topics = checker.topics(&first.live);
    let source = if config.notifications {
        Some(
            NotificationSource::start(
                checker.client().clone(),
                topics.clone(),
                events_tx.clone(),
                SourceOptions::default(),
            )
            .await?,
        )
    } else {
        None
    };
    // After a reconnect, changes may have been missed: a full check covers the gap.
    let mut gaps = source.as_ref().map(NotificationSource::gaps);
    write_line(
        out,
        &json!({
            "record": "started",
            "at": now(),
            "topics": if config.notifications { topics.len() } else { 0 },
            "listen": listen.map(|a| a.to_string()),
            "interval_s": config.interval.as_secs(),
            "debounce_ms": u64::try_from(config.debounce.as_millis()).unwrap_or(u64::MAX),
            "remediate": config.remediate.is_some(),
        }),
    )?;
    let mut notifying = JoinSet::new();
    let mut cx = Context {
        checker: &mut checker,
        out,
        health: &health,
        notifier: config.notifier.as_ref(),
        notifying: &mut notifying,
        remediate: config.remediate.as_deref(),
    };
    cx.report(Trigger::Start, Ok(first), None, 0).await?;

    let mut interval = tokio::time::interval_at(Instant::now() + config.interval, config.interval);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut batch: Vec<ChangeEvent> = Vec::new();
    let mut first_event: Option<Instant> = None;
    loop {
        let deadline = first_event.map(|t| t + config.debounce);
        tokio::select! {
            () = shutdown.cancelled() => break,
            Some(event) = events.recv() => {
                tracing::info!(topic = %event.topic, action = ?event.action, "change event");
                batch.push(event);
                first_event.get_or_insert_with(Instant::now);
            }
            () = sleep_until(deadline), if deadline.is_some() => {
                let started = first_event.take().unwrap_or_else(Instant::now);
                let events: Vec<ChangeEvent> = std::mem::take(&mut batch);
                let checked = cx.checker.targeted(&events).await;
                cx.report(Trigger::Event, checked, Some(started), events.len()).await?;
            }
            _ = interval.tick() => cx.full(Trigger::Interval, source.as_ref()).await?,
            Ok(()) = changed(gaps.as_mut()) => {
                tracing::info!("notification socket restored: checking everything");
                cx.full(Trigger::Reconnect, source.as_ref()).await?;
            }
        }
    }

    if let Some(source) = source {
        source.shutdown().await;
    }
    let _ = tokio::time::timeout(NOTIFY_DRAIN, async {
        while notifying.join_next().await.is_some() {}
    })
    .await;
    while tasks.join_next().await.is_some() {}
    write_line(out, &json!({"record": "stopped", "at": now()}))?;
    Ok(())
}

/// Waits for the next gap, or forever without a source.
async fn changed(gaps: Option<&mut tokio::sync::watch::Receiver<u64>>) -> Result<(), ()> {
    match gaps {
        Some(gaps) => gaps.changed().await.map_err(|_| ()),
        None => std::future::pending().await,
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

/// What reporting a check needs.
struct Context<'a> {
    checker: &'a mut Checker,
    out: &'a mut (dyn Write + Send),
    health: &'a Health,
    notifier: Option<&'a Notifier>,
    notifying: &'a mut JoinSet<()>,
    remediate: Option<&'a std::path::Path>,
}

impl Context<'_> {
    /// A full check, reported; the source, if any, then follows the topics of what the org
    /// now has (objects created by `apply` included).
    async fn full(
        &mut self,
        trigger: Trigger,
        source: Option<&NotificationSource>,
    ) -> Result<(), std::io::Error> {
        let checked = self.checker.full().await;
        if let (Some(source), Ok(checked)) = (source, &checked)
            && let Err(error) = source.set_topics(self.checker.topics(&checked.live)).await
        {
            tracing::error!(%error, "could not update the notification topics");
        }
        self.report(trigger, checked, None, 0).await
    }

    /// Writes a check's lines, posts drift, and remediates when asked.
    async fn report(
        &mut self,
        trigger: Trigger,
        checked: Result<Checked, CheckError>,
        first_event: Option<Instant>,
        events: usize,
    ) -> Result<(), std::io::Error> {
        let checked = match checked {
            Ok(checked) => checked,
            Err(error) => {
                tracing::error!(%error, trigger = trigger.key(), "check failed");
                self.health.checked(Utc::now(), format!("error: {error}"));
                return write_line(
                    self.out,
                    &json!({"record": "error", "at": now(), "trigger": trigger.key(), "message": error.to_string()}),
                );
            }
        };
        let report = &checked.report;
        let summary = report.summary();
        let latency_ms = first_event.map(|t| u64::try_from(t.elapsed().as_millis()).unwrap_or(0));
        let checked_objects: Value = match &checked.compared {
            Some(compared) => json!(compared),
            None => json!("all"),
        };
        let outcome = if report.in_sync() { "in_sync" } else { "drift" };
        self.health.checked(Utc::now(), outcome);
        write_line(
            self.out,
            &json!({
                "record": "check",
                "at": now(),
                "trigger": trigger.key(),
                "events": events,
                "checked": checked_objects,
                "in_sync": report.in_sync(),
                "drifted": summary.drifted,
                "latency_ms": latency_ms,
            }),
        )?;
        if report.in_sync() {
            return Ok(());
        }
        for object in report.objects.iter().filter(|o| o.drift) {
            tracing::warn!(object = %object.describe(), class = object.class.key(), "drift");
        }
        let drift = json!({
            "record": "drift",
            "at": now(),
            "trigger": trigger.key(),
            "report": DriftDocument::of(report),
        });
        write_line(self.out, &drift)?;
        self.post(drift);
        if let Some(audit_log) = self.remediate {
            let outcome = remediate(
                self.checker.client(),
                self.checker.manifest(),
                &checked.live,
                report,
                audit_log,
            )
            .await;
            tracing::info!(
                applied = outcome.applied,
                failed = outcome.failed,
                "remediated"
            );
            let line = json!({"record": "remediation", "at": now(), "remediation": outcome});
            write_line(self.out, &line)?;
            self.post(line);
        }
        Ok(())
    }

    /// Posts `payload` to the notifier in the background, so a slow endpoint never delays
    /// a check.
    fn post(&mut self, payload: Value) {
        let Some(notifier) = self.notifier.cloned() else {
            return;
        };
        self.notifying.spawn(async move {
            if let Err(error) = notifier.send(&payload).await {
                tracing::error!(%error, target = notifier.target(), "could not post drift");
            }
        });
    }
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn write_line(out: &mut (dyn Write + Send), value: &Value) -> Result<(), std::io::Error> {
    let mut line = serde_json::to_string(value).map_err(std::io::Error::other)?;
    line.push('\n');
    out.write_all(line.as_bytes())?;
    out.flush()
}
