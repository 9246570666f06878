//! The pure diff engine. [`diff`] compares a manifest with a live snapshot under a safety
//! [`Policy`] and returns a [`Plan`]: typed, sorted changes with attribute-level and
//! per-element detail, the refusals of safety policy, warnings, and dependency waves.
//! Renderers (text, JSON, Markdown) and the plan file are pure functions of the plan.
//!
//! Nothing here does I/O, reads a clock or the environment, or is async: the same inputs
//! give byte-identical output.

mod canonical;
mod diff;
pub mod document;
mod findings;
pub mod fingerprint;
mod model;
mod policy;
pub mod render;
mod sorted_json;

pub use diff::{
    AGENT_LEVEL, LiveNames, ORG, ORGANIZATION_LEVEL, PlanError, ReferenceProblem,
    SCALAR_QUEUE_SETTINGS, changed_settings, diff, part_of, queue_settings, rename_condition_names,
    skill_conditions, updated_capacity, updated_settings,
};
pub use findings::*;
pub use model::*;
pub use policy::{Policy, Target, TargetError, TargetKind};
/// The live snapshot a plan is made from (and apply re-reads), and collection modes: part
/// of the plan's vocabulary, defined with the manifest.
pub use switchboard_manifest::{
    Live, live, model::ALL_DIVISIONS, model::Mode, model::SettingsPart, names, references,
};
