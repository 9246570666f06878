//! Watch mode's building blocks over real sockets on loopback: the receiver and the notifier
//! against local HTTP, the notification source against the in-process simulator.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod channels;
mod notifier;
mod receiver;
mod secrets;
mod support;
