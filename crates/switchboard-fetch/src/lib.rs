//! Reading the live org into a [`Live`] snapshot, keyed by name, at the request floor:
//! one request per page of each collection, plus ⌈members/100⌉ and ⌈wrap-up codes/100⌉
//! for each queue whose members or codes the manifest manages; nothing per object, no empty
//! pages, nothing for queues in `ignore` mode or outside the manifest. Pages are read
//! concurrently within the client's bounds. It never writes.

mod capacity;
mod changed;
mod everything;
mod guard;
mod labels;
mod references;
mod routing_settings;
mod scope;
mod skill_groups;
mod snapshot;
mod users;

pub use capacity::read_utilization;
pub use changed::{Changed, fetch_changed};
pub use everything::{EverythingScope, fetch_everything, fetch_everything_with_progress};
pub use guard::{fetch_guard_inputs, fetch_skill_group_members};
pub use scope::FetchScope;
pub use snapshot::{fetch, fetch_with_progress};

/// What a read reports as it goes, for a progress bar. Steps are reads of a whole
/// collection (all its pages), of one queue's members or codes, or of the users.
pub trait Progress: Sync {
    /// `steps` more steps are now known to be needed.
    fn planned(&self, steps: u64);
    /// One step finished; `what` names it, e.g. `the members of queue "Billing EN"`.
    fn finished(&self, what: &str);
}

/// Reports nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {
    fn planned(&self, _steps: u64) {}
    fn finished(&self, _what: &str) {}
}

/// A read that failed, with what was being read. Its message holds the client's error
/// (endpoint, status, hint) whole, so the error is not also its `source()`: a report that
/// prints the chain would say it twice.
#[derive(Debug, thiserror::Error)]
#[error("could not read {what}: {error}")]
pub struct FetchError {
    /// What was being read, e.g. `the members of queue "Billing EN"`.
    pub what: String,
    /// The client's error.
    pub error: switchboard_client::Error,
}

/// Attaches what was being read to a client error.
pub(crate) trait Reading<T> {
    fn reading(self, what: impl FnOnce() -> String) -> Result<T, FetchError>;
}

impl<T> Reading<T> for Result<T, switchboard_client::Error> {
    fn reading(self, what: impl FnOnce() -> String) -> Result<T, FetchError> {
        self.map_err(|error| FetchError {
            what: what(),
            error,
        })
    }
}

/// A read whose answer lacks what switchboard needs to decide safely (an entry without an
/// id, an assignment without a proficiency): refused as a listing that cannot be trusted,
/// never read around.
pub(crate) fn malformed(
    what: impl Into<String>,
    endpoint: switchboard_client::Endpoint,
    detail: impl Into<String>,
) -> FetchError {
    FetchError {
        what: what.into(),
        error: switchboard_client::ListingError::new(endpoint, detail).into(),
    }
}

pub use switchboard_manifest::Live;
