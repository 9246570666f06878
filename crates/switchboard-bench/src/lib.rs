//! `switchboard bench`: proof that plan, apply, drift and export stay at the API-request
//! floor on large orgs, with the vendor provider's per-object reads side by side.
//!
//! The parent ([`run`]) generates an org in the in-process simulator, with per-request
//! latency and the real per-token rate limit, and runs each job ([`job`]) in a process of
//! its own (so each job's peak memory is its own). Requests are counted at the simulator;
//! floors come from the simulator's state ([`census`], [`floor`]), never from switchboard.

pub mod census;
pub mod floor;
pub mod job;
pub mod measure;
pub mod report;
mod run;
pub mod vendor;

use serde::{Deserialize, Serialize};

pub use report::Report;
pub use run::{BenchError, Options, run};

/// The generated org's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Size {
    /// 50 queues, 500 users.
    Small,
    /// 1,000 queues, 5,000 users, 300 skills, 200 wrap-up codes, 25,000 memberships.
    Large,
}

impl Size {
    /// `small` or `large`.
    pub fn name(self) -> &'static str {
        match self {
            Size::Small => "small",
            Size::Large => "large",
        }
    }

    /// What the simulator generates: with member groups and an in-queue call flow on about
    /// 30 % of the queues, so that every read looks up groups, teams, skill groups and flows
    /// by name; and 5 % of the agents with capacity settings of their own (blended agents;
    /// the others on the org default), which the exported manifest then manages: one
    /// utilization read each, as the API has no bulk read.
    pub fn spec(self) -> switchboard_sim::GeneratorSpec {
        let spec = match self {
            Size::Small => switchboard_sim::GeneratorSpec::small(),
            Size::Large => switchboard_sim::GeneratorSpec::large(),
        };
        switchboard_sim::GeneratorSpec {
            member_group_percent: 30,
            capacity_percent: 5,
            queue_settings_percent: 30,
            ..spec
        }
    }
}
