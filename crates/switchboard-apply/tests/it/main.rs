//! The apply engine: the queue body it writes, and plans applied against the simulator over
//! real HTTP.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod apply;
mod capacity;
mod harness;
mod labels;
mod queue_body;
mod references;
mod routing_settings;
mod scenarios;
mod skill_groups;
mod wrapup_divisions;
