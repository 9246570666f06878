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
//! In debug builds every answer to an `/api/v2` request is checked against the vendor's
//! description before it leaves (an embedded cut of it: the simulator runs without the
//! description itself); an answer that departs from it becomes a 500 that names the departure.
//!
//! # Not simulated
//!
//! These operations of the vendor's description are answered 404 `not.found`, with a message
//! that says the simulator does not simulate them (a test keeps this list whole):
//! - `POST /api/v2/authorization/divisions`, `PUT /api/v2/authorization/divisions/{divisionId}`,
//!   `DELETE /api/v2/authorization/divisions/{divisionId}`: divisions are seeded; switchboard
//!   moves objects between them but never creates, renames or deletes one.
//! - `POST /api/v2/users`, `PATCH /api/v2/users/{userId}`, `DELETE /api/v2/users/{userId}`:
//!   users are seeded; switchboard never creates, changes or deletes one.
//! - `GET /api/v2/users/search` (switchboard searches with `POST`),
//!   `GET /api/v2/users/{userId}/queues` (membership is read from the queues' side),
//!   `GET /api/v2/routing/queues/divisionviews`, `GET /api/v2/routing/queues/divisionviews/all`
//!   (queues are listed with `GET /api/v2/routing/queues`), `GET /api/v2/flows/divisionviews`
//!   (flows with `GET /api/v2/flows`), `GET /api/v2/languages`, `POST /api/v2/languages`
//!   (deprecated for `/api/v2/routing/languages`): switchboard uses another operation.
//! - `PUT /api/v2/organizations/me`: organization settings are not routing configuration.
//! - `GET /api/v2/organizations/limits/namespaces/{namespaceName}`,
//!   `GET /api/v2/organizations/limits/namespaces/{namespaceName}/defaults`: switchboard holds to
//!   the documented limits; `GET /api/v2/notifications/availabletopics`: the simulator accepts
//!   the topics it can publish; `GET /api/v2/routing/queues/{queueId}/mediatypes/{mediaType}/estimatedwaittime`:
//!   a live statistic, and the simulator has no conversations.
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
mod cursor;
mod error;
mod faults;
mod fixture;
mod gateway;
mod generator;
mod ids;
mod journal;
mod listing;
mod mutation;
mod not_simulated;
mod oauth;
mod org;
mod queue_rules;
mod rate_limit;
mod request;
mod request_definitions;
// Called in debug builds only (see the module).
#[cfg_attr(not(debug_assertions), allow(dead_code))]
mod response_check;
mod routes;
mod running;
mod search;
mod served_spec;
mod server;
mod streaming;

pub use admin::{Admin, AdminError, OutOfBandEdit};
pub use builder::{Sim, SimBuilder};
pub use config::{ClientCredentials, JournalConfig, RateLimit, SimConfig};
pub use error::SimError;
pub use faults::{FaultAction, FaultRule, Faults, Latency, ScheduledEdit};
pub use fixture::{
    Fixture, FixtureClient, FixtureDivision, FixtureEmailDomain, FixtureEmailRoute, FixtureFlow,
    FixtureGroup, FixtureGroupType, FixtureLanguage, FixtureMember, FixtureMemberGroup,
    FixtureMessageRecipient, FixtureNamed, FixtureOrg, FixturePrompt, FixtureQueue, FixtureScript,
    FixtureSkill, FixtureSkillGroup, FixtureSmsPhoneNumber, FixtureTeam, FixtureUser,
    FixtureWrapupCode,
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
