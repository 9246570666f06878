//! Watch mode's building blocks: where changes to the org come from, how a forwarded change
//! is authenticated, and where drift reports go.
//!
//! - [`channels`]: the Genesys notifications feed over WebSockets ([`NotificationSource`]).
//! - [`receiver`]: the HTTP receiver of changes forwarded by a relay, and `/healthz`.
//! - [`signature`]: the HMAC-SHA256 scheme both webhooks use.
//! - [`notify`]: drift reports POSTed to a URL, signed and retried.
//! - [`event`]: [`ChangeEvent`], read from either feed.
//! - [`health`]: what `/healthz` reports.
//! - [`shutdown`]: SIGTERM and Ctrl-C as a cancellation.

pub mod channels;
pub mod check;
pub mod event;
pub mod health;
pub mod notify;
pub mod receiver;
pub mod remediate;
pub mod run;
pub mod shutdown;
pub mod signature;

pub use channels::{NotificationSource, SourceError, SourceOptions, SourceStats};
pub use event::{ChangeEvent, audit_topic, parse_notification, queue_users_topic};
pub use health::{Health, HealthReport};
pub use notify::{Notifier, NotifyError, NotifyRetry};
pub use receiver::{Receiver, ReceiverConfig, ReceiverError};
pub use signature::Rejection;
pub use tokio_util::sync::CancellationToken;
