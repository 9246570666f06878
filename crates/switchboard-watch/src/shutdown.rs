//! SIGTERM (what a container runtime or systemd sends to stop a service) and Ctrl-C, as a
//! cancellation every part of watch mode listens to.

use tokio_util::sync::CancellationToken;

/// Cancels `token` on the first SIGTERM or Ctrl-C (SIGINT); returns at once, the waiting
/// happens in a task of its own.
pub fn cancel_on_signals(token: CancellationToken) {
    tokio::spawn(async move {
        tokio::select! {
            _ = token.cancelled() => {}
            signal = signal_received() => {
                tracing::info!(%signal, "stopping");
                token.cancel();
            }
        }
    });
}

#[cfg(unix)]
async fn signal_received() -> &'static str {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut terminate) => tokio::select! {
            _ = terminate.recv() => "SIGTERM",
            Ok(()) = tokio::signal::ctrl_c() => "SIGINT",
        },
        Err(error) => {
            tracing::warn!(%error, "cannot listen for SIGTERM; only Ctrl-C stops watch");
            ctrl_c().await
        }
    }
}

#[cfg(not(unix))]
async fn signal_received() -> &'static str {
    ctrl_c().await
}

/// Ctrl-C; never, when its handler cannot be installed (rather than at once).
async fn ctrl_c() -> &'static str {
    if let Err(error) = tokio::signal::ctrl_c().await {
        tracing::warn!(%error, "cannot listen for Ctrl-C");
        std::future::pending::<()>().await;
    }
    "SIGINT"
}
