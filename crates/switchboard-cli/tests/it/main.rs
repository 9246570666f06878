//! The built `switchboard` binary, run as a user would.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod actionlint;
mod apply;
mod bench;
mod capacity;
mod chaos;
mod completions;
mod config;
#[cfg(unix)]
mod crash;
mod demo;
mod deploy;
mod doc_commands;
mod drift;
mod drift_since;
mod export;
mod org;
mod plan;
mod release;
mod secrets;
mod sim;
mod validate;
mod watch;
