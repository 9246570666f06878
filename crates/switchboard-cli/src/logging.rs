//! Logs go to stderr (stdout is for data), as text or JSON lines, filtered by `--quiet`,
//! `--verbose` or `--log-level` / `SWITCHBOARD_LOG`; text is coloured only on a terminal
//! and never when `NO_COLOR` is set.

use tracing_subscriber::EnvFilter;

use crate::cli::{Cli, LogFormat};

/// The filter the flags ask for: `--quiet` errors only, each `-v` one level more (info,
/// debug, trace), else `--log-level`, else warnings.
fn filter(cli: &Cli) -> EnvFilter {
    let level = match (cli.quiet, cli.verbose) {
        (true, _) => Some("error"),
        (false, 0) => None,
        (false, 1) => Some("info"),
        (false, 2) => Some("debug"),
        (false, _) => Some("trace"),
    };
    level
        .map(EnvFilter::new)
        .or_else(|| {
            cli.log_level
                .as_deref()
                .and_then(|value| EnvFilter::try_new(value).ok())
        })
        .unwrap_or_else(|| EnvFilter::new("warn"))
}

/// Installs the global subscriber and tells the terminal whether to stay quiet.
pub fn init(cli: &Cli) {
    crate::terminal::set_quiet(cli.quiet);
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter(cli))
        .with_writer(std::io::stderr)
        .with_target(false);
    match cli.log_format {
        LogFormat::Json => builder.json().with_ansi(false).init(),
        LogFormat::Text => builder.with_ansi(crate::terminal::colour_stderr()).init(),
    }
}
