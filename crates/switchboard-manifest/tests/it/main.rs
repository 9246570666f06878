//! The manifest crate from the outside: examples, the committed schema, and broken input.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod corpus;
mod coverage;
mod examples;
mod fuzz;
mod hostile;
