//! The client against the simulator, over real HTTP on loopback.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod auth;
mod concurrency;
mod decode_fuzz;
mod harness;
mod lookups;
mod malformed;
mod paging;
mod rate_limit;
mod raw_server;
mod retry;
mod secrets;
mod server_numbers;
mod token_answers;
mod user_skills;
