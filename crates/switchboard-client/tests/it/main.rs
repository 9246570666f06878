//! The client against the simulator, over real HTTP on loopback.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod auth;
mod concurrency;
mod harness;
mod malformed;
mod paging;
mod rate_limit;
mod retry;
mod secrets;
