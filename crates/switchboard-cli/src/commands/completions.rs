//! `switchboard completions`: a completion script for bash, zsh or fish, generated from the
//! same clap definitions the binary parses with, on stdout.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::{Shell, generate};

use super::Outcome;
use crate::cli::{Cli, CompletionShell, CompletionsArgs};

/// Writes the script for `args.shell` to stdout.
pub fn run(args: &CompletionsArgs) -> anyhow::Result<Outcome> {
    let shell = match args.shell {
        CompletionShell::Bash => Shell::Bash,
        CompletionShell::Zsh => Shell::Zsh,
        CompletionShell::Fish => Shell::Fish,
    };
    let mut script = Vec::new();
    generate(shell, &mut Cli::command(), "switchboard", &mut script);
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(&script)?;
    stdout.flush()?;
    Ok(Outcome::Success)
}
