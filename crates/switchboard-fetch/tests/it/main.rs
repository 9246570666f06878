//! The live snapshot against the simulator: what it reads, and that it reads it at the
//! request floor.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod changed;
mod everything;
mod floor;
mod read_faults;
mod replace;
