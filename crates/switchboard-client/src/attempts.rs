//! Counting the HTTP attempts a piece of work makes (requests, retries and re-authenticated
//! repeats alike), for callers that account per unit of work, such as apply's audit log.
//! The count follows the future it wraps, so concurrent units count separately.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

tokio::task_local! {
    static ATTEMPTS: Arc<AtomicU32>;
}

/// Runs `work`, and answers its output with the number of HTTP attempts the client made for it.
pub async fn counting_attempts<F: Future>(work: F) -> (F::Output, u32) {
    let counter = Arc::new(AtomicU32::new(0));
    let output = ATTEMPTS.scope(counter.clone(), work).await;
    (output, counter.load(Ordering::Relaxed))
}

/// Counts one attempt for the work being counted, if any.
pub(crate) fn count_attempt() {
    let _ = ATTEMPTS.try_with(|counter| counter.fetch_add(1, Ordering::Relaxed));
}
