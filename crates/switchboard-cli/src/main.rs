//! `switchboard`: GitOps for Genesys Cloud routing.

mod cli;
mod commands;
mod duration;
mod hints;
mod logging;
#[cfg(test)]
mod reference;
mod secret;
mod settings;
mod terminal;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};

/// mimalloc, not the system allocator: a large org's plan allocates millions of small
/// strings and maps, and glibc's malloc made a third of the diff's time (docs/PERFORMANCE.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Before clap parses, so that a secret given as a flag gets its own error and hint,
    // and no clap message (usage, suggestion) can quote it.
    if let Err(error) = secret::refuse_secret_flags(std::env::args_os()) {
        report(&format!("{error:#}"));
        return ExitCode::FAILURE;
    }
    // A command line that does not parse exits 1, not clap's 2: exit 2 means "changes"
    // (`plan --detailed-exitcode`, `drift`), and a typo in a pipeline must not read as drift.
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.exit_code() == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            };
        }
    };
    if let Err(error) = secret::read_stdin_if_asked(&cli) {
        report(&format!("{error:#}"));
        return ExitCode::FAILURE;
    }
    logging::init(&cli);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            report(&format!("could not start the async runtime: {error}"));
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Sim(args) => commands::sim::run(*args).await,
            Command::Demo(args) => commands::demo::run(args).await,
            Command::Validate(args) => commands::validate::run(&args),
            Command::Schema(args) => commands::schema::run(&args),
            Command::Plan(args) => commands::plan::run(&args).await,
            Command::Apply(args) => commands::apply::run(&args).await,
            Command::Drift(args) => commands::drift::run(&args).await,
            Command::Export(args) => commands::export::run(&args).await,
            Command::Watch(args) => commands::watch::run(&args).await,
            Command::Bench(args) => commands::bench::run(&args).await,
            Command::Completions(args) => commands::completions::run(&args),
            Command::Config(args) => commands::config::run(&args),
        }
    });
    match result {
        Ok(commands::Outcome::Success) => ExitCode::SUCCESS,
        Ok(commands::Outcome::Failure) => ExitCode::FAILURE,
        Ok(commands::Outcome::Changes) => ExitCode::from(2),
        Err(error) => {
            report(&with_hint(&error));
            ExitCode::FAILURE
        }
    }
}

/// Prints an error on stderr; if stderr is gone there is nobody to tell, so no panic.
fn report(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "error: {message}");
}

/// The error's message, ending in a `hint:` line: its own, or one for its kind.
fn with_hint(error: &anyhow::Error) -> String {
    let message = format!("{error:#}");
    if message.contains("\nhint: ") {
        return message;
    }
    // A read's error carries the client's error as a field, not as its source.
    let client_error = error.chain().find_map(|cause| {
        cause
            .downcast_ref::<switchboard_client::Error>()
            .or_else(|| {
                cause
                    .downcast_ref::<switchboard_fetch::FetchError>()
                    .map(|fetch| &fetch.error)
            })
    });
    format!("{message}\nhint: {}", hints::for_client_error(client_error))
}
