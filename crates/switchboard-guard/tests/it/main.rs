//! switchboard-guard from the outside: forecast files, the capacity guard, skill coverage
//! and what they need read, on a small fixture org and hand-built plans (and one plan made
//! by the real diff).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod capacity;
mod coverage;
mod diff;
mod fixture;
mod groups;
mod load;
mod needs;
