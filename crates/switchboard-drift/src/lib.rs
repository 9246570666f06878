//! Drift: the live org compared with the manifest, each difference classified and attributed.
//!
//! - [`classify`] (pure) reads three plans of one manifest against one live snapshot
//!   ([`Plans`]) and returns a [`Report`]: every object **changed outside git**, **missing**
//!   from the org, or **unmanaged** (in the org and in scope, absent from the manifest), each
//!   with its differences, and the manifest's **coverage** of the org.
//! - [`attribute`] asks the audit trail who last changed each drifted object.
//! - [`recent`] lists what the audit trail shows changed in a window, and
//!   [`compare_changed`] reads and compares only such objects (`drift --since`, `watch`).
//! - [`render`] prints a report as text, Markdown (an issue body) or versioned JSON.
//!
//! The JSON format and the rules are documented for users in `docs/drift.md`.

pub mod attribution;
mod classify;
mod model;
pub mod recent;
pub mod render;
mod targeted;

pub use attribution::{attribute, attribute_at};
pub use classify::{Plans, classify};
pub use model::*;
pub use recent::{ChangedEntity, RecentChanges, recent_changes};
pub use targeted::{CompareError, Targeted, compare_changed};
