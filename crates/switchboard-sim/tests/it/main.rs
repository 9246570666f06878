//! The simulator over real HTTP on 127.0.0.1. Every response any test receives is checked
//! against the spec (see `support::Api::call`), so these tests double as a conformance suite.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod audit;
mod auth;
mod conformance;
mod faults;
mod fixture;
mod head;
mod lookup_org;
mod lookups;
mod member_groups;
mod members;
mod mutations;
mod notifications;
mod nulls;
mod paging;
mod query_lists;
mod queue_settings;
mod queues;
mod rate_limit;
mod routing_settings;
mod setting_lookups;
mod skill_groups;
mod skills;
mod state;
mod support;
mod users;
mod utilization_labels;
mod wrapup_codes;
