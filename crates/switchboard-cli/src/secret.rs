//! Where secrets come from: an environment variable, a file named by `<VARIABLE>_FILE`, or
//! stdin (`--client-secret-stdin`) — never a flag's value, which ends up in shell history
//! and process lists. Secret flags are refused by a scan of the raw arguments before clap
//! parses them, so clap neither prints their values nor suggests them.
//!
//! Architecture Invariant: no message here quotes a secret; errors name where a secret
//! was looked for (a variable, a path, stdin), never what was found.

use std::ffi::OsString;
use std::io::BufRead;
use std::path::Path;
use std::sync::OnceLock;

use anyhow::{Context, bail};
use secrecy::SecretString;
use switchboard_client::secret_from_file;

use crate::cli::{Cli, Command};

/// The flag that reads the org's client secret from stdin.
pub const CLIENT_SECRET_STDIN: &str = "--client-secret-stdin";

/// Where the org's client secret can come from.
const CLIENT_SECRET_HINT: &str = "hint: set GENESYS_CLIENT_SECRET, point GENESYS_CLIENT_SECRET_FILE at a file holding it, or pipe it in with --client-secret-stdin";
/// Where the simulator's extra client's secret can come from.
const SIM_CLIENT_SECRET_HINT: &str =
    "hint: set SWITCHBOARD_SIM_CLIENT_SECRET, or pass --client-secret-file FILE";
/// Where the webhook receiver's secret can come from.
const WEBHOOK_SECRET_HINT: &str = "hint: set SWITCHBOARD_WEBHOOK_SECRET, or point SWITCHBOARD_WEBHOOK_SECRET_FILE at a file holding it";
/// Where the plan files' sealing key can come from.
const PLAN_KEY_HINT: &str =
    "hint: set SWITCHBOARD_PLAN_KEY, or point SWITCHBOARD_PLAN_KEY_FILE at a file holding it";
/// The variable holding the key that seals plan files (its `_FILE` twin names a file).
pub const PLAN_KEY: &str = "SWITCHBOARD_PLAN_KEY";
/// Where the `--notify` signing secret can come from.
const NOTIFY_SECRET_HINT: &str = "hint: set SWITCHBOARD_NOTIFY_SECRET, or point SWITCHBOARD_NOTIFY_SECRET_FILE at a file holding it";

/// The org's client secret read from stdin at start-up, when `--client-secret-stdin` asks.
static CLIENT_SECRET_FROM_STDIN: OnceLock<SecretString> = OnceLock::new();

/// Refuses a secret given as a flag (`--client-secret VALUE`, `--client-secret=VALUE`,
/// `--webhook-secret`, `--notify-secret`) anywhere before `--`, without showing the value.
/// `args` are the raw arguments, the program name first.
pub fn refuse_secret_flags(args: impl IntoIterator<Item = OsString>) -> anyhow::Result<()> {
    let mut command: Option<String> = None;
    let mut log_level_value = false;
    for arg in args.into_iter().skip(1) {
        let Some(arg) = arg.to_str() else {
            log_level_value = false;
            continue;
        };
        if arg == "--" {
            break;
        }
        let flag = arg.split_once('=').map_or(arg, |(flag, _)| flag);
        if let Some(hint) = refused_flag_hint(flag, command.as_deref()) {
            return Err(anyhow::anyhow!(
                "refusing a secret on the command line ({flag}): flags end up in shell history and process lists\n{hint}"
            ));
        }
        // The subcommand picks the hint: the first word that is not an option or the
        // value of the one global option that takes a value.
        if log_level_value {
            log_level_value = false;
        } else if arg == "--log-level" {
            log_level_value = true;
        } else if command.is_none() && !arg.starts_with('-') {
            command = Some(arg.to_string());
        }
    }
    Ok(())
}

/// The hint for a refused secret flag; `None` for any other argument.
fn refused_flag_hint(flag: &str, command: Option<&str>) -> Option<&'static str> {
    match flag {
        "--client-secret" if command == Some("sim") => Some(SIM_CLIENT_SECRET_HINT),
        "--client-secret" => Some(CLIENT_SECRET_HINT),
        "--webhook-secret" => Some(WEBHOOK_SECRET_HINT),
        "--notify-secret" => Some(NOTIFY_SECRET_HINT),
        "--plan-key" => Some(PLAN_KEY_HINT),
        _ => None,
    }
}

/// Reads the org's client secret from stdin when `--client-secret-stdin` asks, once,
/// before any command runs (and before apply could read stdin for a confirmation).
pub fn read_stdin_if_asked(cli: &Cli) -> anyhow::Result<()> {
    // Only the commands that connect to an org have the flag (their `ConnectionArgs`).
    let asked = match &cli.command {
        Command::Plan(args) => args.connection.client_secret_stdin,
        Command::Apply(args) => args.connection.client_secret_stdin,
        Command::Drift(args) => args.connection.client_secret_stdin,
        Command::Watch(args) => args.connection.client_secret_stdin,
        Command::Export(args) => args.connection.client_secret_stdin,
        Command::Config(args) => args.connection.client_secret_stdin,
        Command::Sim(_)
        | Command::Demo(_)
        | Command::Validate(_)
        | Command::Schema(_)
        | Command::Bench(_)
        | Command::Completions(_) => false,
    };
    if !asked {
        return Ok(());
    }
    let secret = read_first_line(std::io::stdin().lock())?;
    // `main` calls this once; were it called again, the first secret would stay.
    let _ = CLIENT_SECRET_FROM_STDIN.set(secret);
    Ok(())
}

/// The org's client secret read from stdin, with the flag that asked for it (for the error
/// when another source is set too); `None` without `--client-secret-stdin`.
pub fn client_secret_from_stdin() -> Option<(&'static str, SecretString)> {
    CLIENT_SECRET_FROM_STDIN
        .get()
        .map(|secret| (CLIENT_SECRET_STDIN, secret.clone()))
}

/// The first line of `input`, trimmed; empty is an error.
fn read_first_line(mut input: impl BufRead) -> anyhow::Result<SecretString> {
    let mut line = String::new();
    input.read_line(&mut line).with_context(|| {
        format!("could not read the client secret from stdin ({CLIENT_SECRET_STDIN})")
    })?;
    let secret = line.trim();
    if secret.is_empty() {
        bail!(
            "{CLIENT_SECRET_STDIN} found no secret: the first line of stdin is empty\nhint: pipe the secret in, e.g. `switchboard plan DIR {CLIENT_SECRET_STDIN} < secret.txt`"
        );
    }
    Ok(SecretString::from(secret.to_string()))
}

/// The key that seals plan files (`SWITCHBOARD_PLAN_KEY` or the file
/// `SWITCHBOARD_PLAN_KEY_FILE` names), when one is configured.
pub fn plan_key() -> anyhow::Result<Option<SecretString>> {
    from_env_or_file(PLAN_KEY).context("the plan files' key")
}

/// A secret from the environment variable `name` or from the file named by `{name}_FILE`:
/// `None` when neither is set. Both set, an empty value or file, an unreadable file, or a
/// value that is not UTF-8 are errors.
pub fn from_env_or_file(name: &str) -> anyhow::Result<Option<SecretString>> {
    let file_variable = format!("{name}_FILE");
    let value = variable(name)?;
    let file = std::env::var_os(&file_variable).filter(|path| !path.is_empty());
    match (value, file) {
        (Some(_), Some(_)) => bail!(
            "the secret is given twice, by {name} and by {file_variable}\nhint: keep only one of them"
        ),
        (Some(value), None) => Ok(Some(value)),
        (None, Some(path)) => read_file(Path::new(&path), &file_variable).map(Some),
        (None, None) => Ok(None),
    }
}

/// A secret in the environment variable `name`: `None` when unset; set but empty, or not
/// UTF-8, is an error.
fn variable(name: &str) -> anyhow::Result<Option<SecretString>> {
    match std::env::var(name) {
        Ok(value) if value.is_empty() => bail!("{name} is set but empty"),
        Ok(value) => Ok(Some(SecretString::from(value))),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => bail!("{name} is not valid UTF-8"),
    }
}

/// The secret in the file at `path` (named by `source`, a variable or a flag), trailing
/// whitespace dropped. Errors name the path, never the content.
pub fn read_file(path: &Path, source: &str) -> anyhow::Result<SecretString> {
    Ok(secret_from_file(path, source, |p| {
        std::fs::read_to_string(p)
    })?)
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::*;

    fn refused(line: &str) -> Option<String> {
        let args = std::iter::once("switchboard")
            .chain(line.split_whitespace())
            .map(OsString::from);
        refuse_secret_flags(args)
            .err()
            .map(|error| format!("{error:#}"))
    }

    #[test]
    fn secret_flags_are_refused_without_their_value() {
        for (line, hint) in [
            (
                "plan --client-secret hunter2 dir",
                "GENESYS_CLIENT_SECRET_FILE",
            ),
            ("plan --client-secret=hunter2", "--client-secret-stdin"),
            ("--client-secret hunter2 plan", "GENESYS_CLIENT_SECRET"),
            (
                "--log-level sim apply --client-secret",
                "GENESYS_CLIENT_SECRET",
            ),
            (
                "sim --port 0 --client-secret=hunter2",
                "SWITCHBOARD_SIM_CLIENT_SECRET",
            ),
            (
                "--log-level debug sim --client-secret hunter2",
                "--client-secret-file",
            ),
            (
                "watch --webhook-secret=hunter2",
                "SWITCHBOARD_WEBHOOK_SECRET_FILE",
            ),
            (
                "watch . --notify-secret hunter2",
                "SWITCHBOARD_NOTIFY_SECRET_FILE",
            ),
            ("plan . --plan-key=hunter2", "SWITCHBOARD_PLAN_KEY_FILE"),
        ] {
            let error = refused(line).unwrap_or_else(|| panic!("{line} was accepted"));
            assert!(
                error.starts_with("refusing a secret on the command line")
                    && error.contains("\nhint: ")
                    && error.contains(hint)
                    && !error.contains("hunter2"),
                "{line}: {error}"
            );
        }
        for line in [
            "plan dir --client-secret-stdin",
            "sim --client-secret-file secret.txt",
            "plan -- --client-secret",
            "plan --env client-secret",
        ] {
            assert_eq!(refused(line), None, "{line}");
        }
    }

    #[test]
    fn the_first_line_of_stdin_is_the_secret() {
        let secret = read_first_line(&b"  s3cret \nsecond line\n"[..]).unwrap();
        assert_eq!(secret.expose_secret(), "s3cret");
        for empty in [&b""[..], b"\n", b"   \nlater\n"] {
            let err = read_first_line(empty).unwrap_err().to_string();
            assert!(err.contains("empty") && err.contains("hint:"), "{err}");
        }
    }

    #[test]
    fn a_secret_file_is_trimmed_and_must_not_be_empty() {
        let dir = std::env::temp_dir().join(format!("switchboard-secret-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("secret");
        std::fs::write(&file, "fr0m-file\r\n\n").unwrap();
        assert_eq!(
            read_file(&file, "--client-secret-file")
                .unwrap()
                .expose_secret(),
            "fr0m-file"
        );
        std::fs::write(&file, "\n  \n").unwrap();
        let err = read_file(&file, "--client-secret-file").unwrap_err();
        assert!(format!("{err:#}").contains("is empty"), "{err:#}");
        let missing = dir.join("missing");
        let err = read_file(&missing, "SWITCHBOARD_WEBHOOK_SECRET_FILE").unwrap_err();
        let err = format!("{err:#}");
        assert!(
            err.contains(&missing.display().to_string())
                && err.contains("SWITCHBOARD_WEBHOOK_SECRET_FILE"),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
