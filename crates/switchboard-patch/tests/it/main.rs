//! `switchboard-patch` on hand-built snapshots: every kind of difference adopted in the
//! manifest's own files, and what is left alone.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod adopt;
mod org;
