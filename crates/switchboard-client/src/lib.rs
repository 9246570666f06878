//! A client for the Genesys Cloud Platform API v2, limited to what switchboard needs and
//! faithful to the real API's rules (see `shared/genesys/API-FACTS.md`):
//!
//! - OAuth client credentials, token cached and renewed before expiry, re-authentication on
//!   401 (at most twice per request, on the token it renewed), concurrent requests sharing
//!   one renewal ([`auth`](crate) internals);
//! - a per-token request budget kept proactively, plus the server's `inin-ratelimit-*`
//!   headers and `Retry-After` ([`RateBudget`]);
//! - one retry policy ([`RetryPolicy`]); creates are never retried blindly;
//! - bounded concurrency, paging at the least number of requests;
//! - typed wire models ([`models`]) and typed errors ([`Error`]) whose messages say what to do;
//! - secrets redacted from every `Debug`, `Display` and log line.
//!
//! Requests are data ([`ApiRequest`]) built by pure functions in [`api`], so they can be
//! checked without a network.

mod attempts;
mod auth;
mod client;
mod config;
mod error;
mod numbers;
mod paging;
mod rate_limit;
mod region;
mod request;
mod retry;

pub mod api;
pub mod models;

pub use attempts::counting_attempts;
pub use client::{Client, ClientStats};
pub use config::{ClientConfig, ConfigError, Credentials, Hosts, RateBudget, secret_from_file};
pub use error::{ApiError, AuthError, DecodeError, Error, ListingError, TransportKind};
pub use paging::{Cursor, Listed, MAX_PAGES, NAMES_PER_SEARCH, Page};
pub use region::{REGIONS, Region, UnknownRegion};
pub use request::{ApiRequest, Endpoint, Method, RequestKind};
pub use retry::RetryPolicy;
