//! A stateful, strict simulator of the Genesys Cloud Platform API v2 subset switchboard uses.
//!
//! The simulator serves `/oauth/token` and `/api/v2/...` on one loopback address over real
//! HTTP. It rejects what the real API rejects (unknown fields, bad ranges, duplicate names,
//! oversized bulk calls), pages like the real API, answers with the real error bodies and
//! headers, and can inject faults (429 bursts, 5xx, dropped connections, slow responses,
//! token expiry, eventual consistency, out-of-band edits, and successful answers altered
//! by a [`Mutation`]). Every change is recorded in an
//! audit trail that the audit query endpoints serve, so drift attribution can be tested.
//!
//! It has its own wire representation and shares no code with `switchboard-client`: a
//! mismatch between the client and the real API must not be hidden by a shared model.
//!
//! ```no_run
//! # async fn demo() -> Result<(), switchboard_sim::SimError> {
//! let sim = switchboard_sim::Sim::builder()
//!     .generate(switchboard_sim::GeneratorSpec::small())
//!     .start()
//!     .await?;
//! println!("serving {}", sim.base_url());
//! sim.shutdown().await;
//! # Ok(())
//! # }
//! ```

mod admin;
mod api_error;
mod audit;
mod builder;
mod config;
mod context;
mod error;
mod faults;
mod fixture;
mod gateway;
mod generator;
mod ids;
mod journal;
mod listing;
mod mutation;
mod oauth;
mod org;
mod queue_rules;
mod rate_limit;
mod request;
mod request_definitions;
mod routes;
mod running;
mod server;
mod streaming;

pub use admin::{Admin, AdminError, OutOfBandEdit};
pub use builder::{Sim, SimBuilder};
pub use config::{ClientCredentials, JournalConfig, RateLimit, SimConfig};
pub use error::SimError;
pub use faults::{FaultAction, FaultRule, Faults, Latency, ScheduledEdit};
pub use fixture::{
    Fixture, FixtureClient, FixtureDivision, FixtureLanguage, FixtureMember, FixtureOrg,
    FixtureQueue, FixtureSkill, FixtureUser, FixtureWrapupCode,
};
pub use generator::GeneratorSpec;
pub use journal::JournalEntry;
pub use mutation::Mutation;
pub use org::{MemberBy, UserState};
pub use running::RunningSim;

/// The OAuth client id the simulator accepts unless told otherwise.
pub const DEMO_CLIENT_ID: &str = "switchboard-demo";
/// The secret of [`DEMO_CLIENT_ID`].
pub const DEMO_CLIENT_SECRET: &str = "switchboard-demo-secret";
/// The organization name used when the fixture names none.
pub const DEFAULT_ORG_NAME: &str = "Switchboard Demo Org";
/// The organization id used when the fixture names none.
pub const DEFAULT_ORG_ID: &str = "5b5e6a2c-7d1f-4c3b-9a8e-0d15c0a1b2c3";
