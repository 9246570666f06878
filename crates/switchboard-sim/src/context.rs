//! What every request handler shares: the org, the issued tokens, the rate windows, the
//! fault engine, the journal, and the run-time objects (channels, audit queries).

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::config::RateLimit;
use crate::faults::{FaultEngine, Faults};
use crate::journal::Journal;
use crate::oauth::TokenStore;
use crate::org::OrgState;
use crate::rate_limit::RateLimiter;
use crate::routes::audits::AuditQuery;
use crate::routes::notifications::ChannelState;
use crate::streaming::{Event, events_of};

/// Settings fixed at start.
#[derive(Debug)]
pub(crate) struct Settings {
    /// Accepted OAuth clients: id → secret.
    pub clients: BTreeMap<String, String>,
    pub token_lifetime: Duration,
    pub channel_lifetime: Duration,
    pub rate_limit: RateLimit,
    pub state_file: Option<PathBuf>,
}

/// Objects that live only while the simulator runs.
#[derive(Debug, Default)]
pub(crate) struct Runtime {
    pub channels: BTreeMap<String, ChannelState>,
    pub audit_queries: BTreeMap<String, AuditQuery>,
}

/// The simulator's shared state.
#[derive(Debug)]
pub(crate) struct SimContext {
    org: Mutex<OrgState>,
    tokens: Mutex<TokenStore>,
    rate: Mutex<RateLimiter>,
    faults: Mutex<FaultEngine>,
    runtime: Mutex<Runtime>,
    pub journal: Journal,
    pub settings: Settings,
    pub addr: SocketAddr,
    /// Change events for the notification WebSockets.
    pub events: tokio::sync::broadcast::Sender<Event>,
    /// Turns true when the simulator shuts down.
    pub shutdown: tokio::sync::watch::Receiver<bool>,
    /// Bumped to drop every open notification socket (`RunningSim::drop_sockets`).
    pub socket_drops: tokio::sync::watch::Sender<u64>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl SimContext {
    pub(crate) fn new(
        mut org: OrgState,
        faults: Faults,
        journal: Journal,
        settings: Settings,
        addr: SocketAddr,
        shutdown: tokio::sync::watch::Receiver<bool>,
    ) -> SimContext {
        let engine = FaultEngine::new(faults);
        org.eventual_consistency = engine.eventual_consistency();
        SimContext {
            org: Mutex::new(org),
            tokens: Mutex::new(TokenStore::default()),
            rate: Mutex::new(RateLimiter::default()),
            faults: Mutex::new(engine),
            runtime: Mutex::new(Runtime::default()),
            journal,
            settings,
            addr,
            events: tokio::sync::broadcast::channel(1024).0,
            shutdown,
            socket_drops: tokio::sync::watch::channel(0).0,
        }
    }

    /// Publishes the events of the audit records appended since the last call.
    pub(crate) fn publish_pending(&self) {
        let events: Vec<Event> = {
            let mut org = self.org();
            let records = std::mem::take(&mut org.unpublished);
            records.iter().flat_map(|r| events_of(&org, r)).collect()
        };
        for event in events {
            // An error only means no socket is listening.
            let _ = self.events.send(event);
        }
    }

    pub(crate) fn org(&self) -> MutexGuard<'_, OrgState> {
        lock(&self.org)
    }

    pub(crate) fn tokens(&self) -> MutexGuard<'_, TokenStore> {
        lock(&self.tokens)
    }

    pub(crate) fn rate(&self) -> MutexGuard<'_, RateLimiter> {
        lock(&self.rate)
    }

    pub(crate) fn faults(&self) -> MutexGuard<'_, FaultEngine> {
        lock(&self.faults)
    }

    pub(crate) fn runtime(&self) -> MutexGuard<'_, Runtime> {
        lock(&self.runtime)
    }

    /// Replaces the faults; counters and the RNG start afresh.
    pub(crate) fn set_faults(&self, faults: Faults) {
        let engine = FaultEngine::new(faults);
        let delay = engine.eventual_consistency();
        *self.faults() = engine;
        self.org().eventual_consistency = delay;
    }

    /// Drops every open notification socket, as a network failure would.
    pub(crate) fn drop_sockets(&self) {
        self.socket_drops.send_modify(|n| *n += 1);
    }

    /// Invalidates every issued token.
    pub(crate) fn expire_tokens(&self) {
        self.tokens().revoke_all();
        self.rate().clear();
    }

    /// Writes the org state to the state file, if one is set.
    pub(crate) fn save_state(&self) -> Result<(), crate::SimError> {
        let Some(path) = &self.settings.state_file else {
            return Ok(());
        };
        let text = serde_json::to_string_pretty(&*self.org())?;
        std::fs::write(path, text).map_err(|source| crate::SimError::WriteState {
            path: path.clone(),
            source,
        })
    }
}
