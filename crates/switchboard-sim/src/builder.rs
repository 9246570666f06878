//! Configuring and starting a simulator.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::config::{ClientCredentials, JournalConfig, RateLimit, SimConfig};
use crate::context::{Settings, SimContext};
use crate::error::SimError;
use crate::faults::Faults;
use crate::fixture::{Fixture, fixture_clients, seed};
use crate::generator::{GeneratorSpec, generate};
use crate::journal::Journal;
use crate::org::OrgState;
use crate::running::RunningSim;
use crate::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET};

/// The simulator; [`Sim::builder`] configures and starts one.
#[derive(Debug)]
pub struct Sim;

impl Sim {
    /// A builder with the defaults: `127.0.0.1:0`, the demo client, 24 h tokens, 300
    /// requests per 60 s per token, no faults, an empty org with a Home division.
    pub fn builder() -> SimBuilder {
        SimBuilder::default()
    }
}

/// Configures a simulator; every setter is chainable.
#[derive(Debug, Clone, Default)]
pub struct SimBuilder {
    config: SimConfig,
    fixture: Option<Fixture>,
}

impl SimBuilder {
    /// The address to listen on (default `127.0.0.1:0`, an ephemeral port).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.config.bind = addr;
        self
    }

    /// Seeds the org from a fixture.
    pub fn fixture(mut self, fixture: Fixture) -> Self {
        self.fixture = Some(fixture);
        self
    }

    /// Seeds the org from a fixture file (YAML or JSON).
    pub fn fixture_file(self, path: impl Into<PathBuf>) -> Result<Self, SimError> {
        let fixture = Fixture::from_file(path.into())?;
        Ok(self.fixture(fixture))
    }

    /// Adds a large generated org part (after the fixture).
    pub fn generate(mut self, spec: GeneratorSpec) -> Self {
        self.config.generate = Some(spec);
        self
    }

    /// Accepts another OAuth client.
    pub fn client(mut self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.config.clients.push(ClientCredentials {
            id: id.into(),
            secret: secret.into(),
        });
        self
    }

    /// Refuses the demo client.
    pub fn without_demo_client(mut self) -> Self {
        self.config.demo_client = false;
        self
    }

    /// How long tokens live (default 24 h).
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.config.token_lifetime = lifetime;
        self
    }

    /// How long notification channels live (default 24 h); their sockets close at expiry.
    pub fn channel_lifetime(mut self, lifetime: Duration) -> Self {
        self.config.channel_lifetime = lifetime;
        self
    }

    /// The per-token request budget (default 300 per 60 s; `per_window: 0` disables it).
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.config.rate_limit = limit;
        self
    }

    /// Fault injection (change it later with [`RunningSim::set_faults`]).
    pub fn faults(mut self, faults: Faults) -> Self {
        self.config.faults = faults;
        self
    }

    /// Where the journal is also written, and whether response bodies are recorded.
    pub fn journal(mut self, journal: JournalConfig) -> Self {
        self.config.journal = journal;
        self
    }

    /// A state file: loaded on start when it exists, written by
    /// [`RunningSim::save_state`] and on shutdown.
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.config.state_file = Some(path.into());
        self
    }

    /// Everything at once; a fixture given with [`SimBuilder::fixture`] is kept.
    pub fn config(mut self, config: SimConfig) -> Self {
        self.config = config;
        self
    }

    /// Builds the org, binds the address and starts serving.
    pub async fn start(self) -> Result<RunningSim, SimError> {
        let SimBuilder { config, fixture } = self;
        let fixture = match (fixture, &config.fixture) {
            (Some(f), _) => Some(f),
            (None, Some(path)) => Some(Fixture::from_file(path)?),
            (None, None) => None,
        };
        let saved = config.state_file.as_ref().filter(|p| p.exists());
        let (org, fixture_clients) = match (saved, &fixture) {
            // A saved state wins; the fixture still names the accepted clients.
            (Some(path), _) => (
                load_state(path)?,
                fixture.as_ref().map(fixture_clients).unwrap_or_default(),
            ),
            (None, Some(f)) => seed(f)?,
            (None, None) => (
                OrgState::new(crate::DEFAULT_ORG_ID, crate::DEFAULT_ORG_NAME),
                Vec::new(),
            ),
        };
        let mut org = org;
        if saved.is_none()
            && let Some(spec) = &config.generate
        {
            generate(&mut org, spec);
        }
        let mut clients = std::collections::BTreeMap::new();
        if config.demo_client {
            clients.insert(DEMO_CLIENT_ID.to_string(), DEMO_CLIENT_SECRET.to_string());
        }
        for c in config.clients.iter().chain(&fixture_clients) {
            clients.insert(c.id.clone(), c.secret.clone());
        }
        let journal = Journal::new(
            config.journal.file.as_deref(),
            config.journal.response_bodies,
        )?;
        let listener = TcpListener::bind(config.bind)
            .await
            .map_err(|source| SimError::Bind {
                addr: config.bind,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| SimError::Bind {
            addr: config.bind,
            source,
        })?;
        let settings = Settings {
            clients,
            token_lifetime: config.token_lifetime,
            channel_lifetime: config.channel_lifetime,
            rate_limit: config.rate_limit,
            state_file: config.state_file.clone(),
        };
        let (stop, stopped) = watch::channel(false);
        let ctx = Arc::new(SimContext::new(
            org,
            config.faults,
            journal,
            settings,
            addr,
            stopped.clone(),
        ));
        let app = crate::routes::router(ctx.clone()).layer(axum::middleware::from_fn_with_state(
            ctx.clone(),
            crate::gateway::gateway,
        ));
        let task = tokio::spawn(crate::server::serve(listener, app, stopped));
        Ok(RunningSim::new(ctx, stop, task))
    }
}

fn load_state(path: &std::path::Path) -> Result<OrgState, SimError> {
    let text = std::fs::read_to_string(path).map_err(|source| SimError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|e| SimError::Parse {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}
