//! The chaos crate's test binary: the differential checker's runs.

#![allow(clippy::unwrap_used, clippy::panic)]

mod differential;
