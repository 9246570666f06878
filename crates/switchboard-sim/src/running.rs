//! The handle of a running simulator.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::Value;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::admin::Admin;
use crate::context::SimContext;
use crate::error::SimError;
use crate::faults::Faults;
use crate::journal::JournalEntry;

#[derive(Debug)]
struct Stopper {
    signal: watch::Sender<bool>,
    task: JoinHandle<()>,
}

/// A running simulator; clones share it.
#[derive(Debug, Clone)]
pub struct RunningSim {
    ctx: Arc<SimContext>,
    stopper: Arc<Mutex<Option<Stopper>>>,
}

impl RunningSim {
    pub(crate) fn new(
        ctx: Arc<SimContext>,
        signal: watch::Sender<bool>,
        task: JoinHandle<()>,
    ) -> RunningSim {
        RunningSim {
            ctx,
            stopper: Arc::new(Mutex::new(Some(Stopper { signal, task }))),
        }
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.ctx.addr
    }

    /// `http://127.0.0.1:PORT`: the base of both `/oauth/token` and `/api/v2/...`.
    pub fn base_url(&self) -> String {
        let mut addr = self.ctx.addr;
        if addr.ip().is_unspecified() {
            addr.set_ip(Ipv4Addr::LOCALHOST.into());
        }
        format!("http://{addr}")
    }

    /// Every request journaled so far (since the last [`RunningSim::clear_journal`]).
    pub fn journal(&self) -> Vec<JournalEntry> {
        self.ctx.journal.entries()
    }

    /// How many requests the in-memory journal holds, without copying it (for a test that
    /// watches a run's progress).
    pub fn journal_len(&self) -> usize {
        self.ctx.journal.len()
    }

    /// Empties the in-memory journal (the file, if any, keeps everything).
    pub fn clear_journal(&self) {
        self.ctx.journal.clear();
    }

    /// Replaces the faults; rule counters, the RNG and the request counter of scheduled
    /// edits start afresh.
    pub fn set_faults(&self, faults: Faults) {
        self.ctx.set_faults(faults);
    }

    /// Makes every issued token invalid now.
    pub fn expire_tokens(&self) {
        self.ctx.expire_tokens();
    }

    /// Drops every open notification WebSocket from the server side, without a close frame,
    /// as a network failure would. The channels stay valid: a client can reconnect.
    pub fn drop_sockets(&self) {
        self.ctx.drop_sockets();
    }

    /// Every access token issued since start, so that tests can prove none of them leaks
    /// into logs or errors.
    pub fn issued_tokens(&self) -> Vec<String> {
        self.ctx.tokens().issued()
    }

    /// The admin UI, for out-of-band edits.
    pub fn admin(&self) -> Admin {
        Admin::new(self.ctx.clone())
    }

    /// The whole org state as JSON, for assertions.
    pub fn snapshot(&self) -> Value {
        serde_json::to_value(&*self.ctx.org()).unwrap_or(Value::Null)
    }

    /// The org id.
    pub fn org_id(&self) -> String {
        self.ctx.org().org.id.clone()
    }

    /// Writes the state file (a no-op without one).
    pub fn save_state(&self) -> Result<(), SimError> {
        self.ctx.save_state()
    }

    /// Stops serving (open connections get up to 2 s to finish) and writes the state file.
    pub async fn shutdown(self) {
        let stopper = self
            .stopper
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(stopper) = stopper {
            let _ = stopper.signal.send(true);
            let _ = stopper.task.await;
        }
        if let Err(error) = self.ctx.save_state() {
            tracing::warn!(%error, "cannot save the simulator state");
        }
    }
}
