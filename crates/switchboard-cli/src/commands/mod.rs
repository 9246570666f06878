//! One module per command; each resolves its settings, then calls the libraries.

pub mod apply;
pub mod bench;
pub mod completions;
pub mod config;
pub mod demo;
pub mod drift;
pub mod export;
pub mod org;
pub mod plan;
pub mod schema;
pub mod sim;
pub mod since;
pub mod validate;
pub mod watch;

/// How a command that ran to the end turned out (errors it could not finish with are
/// `Err`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Success,
    /// Exit 1: the command ran, and what it checked failed (it has said why).
    Failure,
    /// Exit 2: there are changes (`plan --detailed-exitcode`) or drift.
    Changes,
}
