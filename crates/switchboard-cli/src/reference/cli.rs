//! The CLI reference (`docs/cli.md`), generated from the clap definitions.
//!
//! Everything comes from [`Cli::command()`](crate::cli::Cli): the about texts, usages,
//! arguments and options (read through clap's `Arg` API, not from the rendered `--help`), and
//! each command's `after_help` (examples, exit codes). `super::tests` fails when the committed
//! page differs; `SWITCHBOARD_BLESS=1` rewrites it.

use std::fmt::Write as _;

use clap::builder::PossibleValue;
use clap::{Arg, ArgAction, Command, CommandFactory};

use super::{cell, escape, paragraphs, slug};
use crate::cli::Cli;

/// The reference page, as `docs/cli.md` holds it.
pub fn cli_markdown() -> String {
    let mut cli = Cli::command();
    cli.build();
    let mut out = String::new();
    out.push_str("# Command-line reference\n\n");
    out.push_str(
        "<!-- Generated from the CLI's clap definitions by crates/switchboard-cli/src/reference.rs;\n     do not edit. Regenerate: SWITCHBOARD_BLESS=1 cargo test -p switchboard-cli --bin switchboard reference -->\n\n",
    );
    if let Some(about) = cli.get_long_about().or_else(|| cli.get_about()) {
        let _ = writeln!(out, "{}\n", prose(&about.to_string()));
    }
    out.push_str(
        "This page lists every command and option of `switchboard`, generated from the \
         definitions the CLI parses its arguments with: `switchboard --help` and \
         `switchboard <command> --help` print the same information. The [global \
         options](#global-options) work with every command.\n\n",
    );
    let commands = commands(&cli);

    out.push_str("## Contents\n\n");
    out.push_str("- [Usage](#usage)\n- [Global options](#global-options)\n- Commands\n");
    for (path, _) in &commands {
        let _ = writeln!(
            out,
            "{}- [`{}`](#{})",
            "  ".repeat(path.len().saturating_sub(1)),
            path.join(" "),
            slug(&path.join(" ")),
        );
    }
    out.push_str("- [Exit codes](#exit-codes)\n\n");

    out.push_str("## Usage\n\n");
    let _ = writeln!(out, "```text\n{}\n```\n", usage(&cli));
    if cli.get_subcommands().any(|c| !c.is_hide_set()) {
        out.push_str("| Command | Description |\n|---|---|\n");
        for command in cli.get_subcommands().filter(|c| visible_command(c)) {
            let name = format!("switchboard {}", command.get_name());
            let _ = writeln!(
                out,
                "| [`{name}`](#{}) | {} |",
                slug(&name),
                cell_text(
                    &command
                        .get_about()
                        .map(|a| a.to_string())
                        .unwrap_or_default()
                )
            );
        }
        out.push('\n');
    }

    out.push_str("## Global options\n\n");
    out.push_str("These work before or after the command's name.\n\n");
    let globals: Vec<&Arg> = cli
        .get_arguments()
        .filter(|a| !a.is_hide_set() && !a.is_positional())
        .collect();
    options_table(&mut out, &globals);

    for (path, command) in &commands {
        render_command(&mut out, path, command);
    }

    render_exit_codes(&mut out, &commands);
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// Every visible command under `root`, depth first, with its path of names.
fn commands(root: &Command) -> Vec<(Vec<String>, Command)> {
    fn walk(command: &Command, path: &[String], out: &mut Vec<(Vec<String>, Command)>) {
        for sub in command.get_subcommands().filter(|c| visible_command(c)) {
            let mut path = path.to_vec();
            path.push(sub.get_name().to_string());
            out.push((path.clone(), sub.clone()));
            walk(sub, &path, out);
        }
    }
    let mut out = Vec::new();
    walk(root, &[root.get_name().to_string()], &mut out);
    out
}

/// Not hidden, and not clap's own `help` command.
fn visible_command(command: &Command) -> bool {
    !command.is_hide_set() && command.get_name() != "help"
}

fn render_command(out: &mut String, path: &[String], command: &Command) {
    let name = path.join(" ");
    let _ = writeln!(out, "## `{name}`\n");
    if let Some(about) = command.get_long_about().or_else(|| command.get_about()) {
        let _ = writeln!(out, "{}\n", prose(&about.to_string()));
    }
    let aliases: Vec<String> = command
        .get_visible_aliases()
        .map(|a| format!("`{a}`"))
        .collect();
    if !aliases.is_empty() {
        let _ = writeln!(out, "Aliases: {}.\n", aliases.join(", "));
    }
    let _ = writeln!(out, "```text\n{}\n```\n", usage(command));

    let positionals: Vec<&Arg> = command
        .get_positionals()
        .filter(|a| !a.is_hide_set())
        .collect();
    if !positionals.is_empty() {
        out.push_str("**Arguments**\n\n");
        out.push_str("| Argument | Required | Default | Description |\n|---|---|---|---|\n");
        for arg in positionals {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} |",
                value_names(arg).join(" "),
                if arg.is_required_set() { "yes" } else { "" },
                default(arg),
                description(arg)
            );
        }
        out.push('\n');
    }

    // Global options are inherited by every command; they are listed once, above.
    let options: Vec<&Arg> = command
        .get_arguments()
        .filter(|a| !a.is_hide_set() && !a.is_positional() && !a.is_global_set() && !is_builtin(a))
        .collect();
    if !options.is_empty() {
        out.push_str("**Options**\n\n");
        options_table(out, &options);
    }

    if command.get_subcommands().any(visible_command) {
        out.push_str("**Commands**\n\n");
        for sub in command.get_subcommands().filter(|c| visible_command(c)) {
            let sub_name = format!("{name} {}", sub.get_name());
            let about = sub
                .get_about()
                .map(|a| format!(": {}", first_sentence(&a.to_string())))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "- [`{sub_name}`](#{}){}",
                slug(&sub_name),
                escape(&about)
            );
        }
        out.push('\n');
    }

    let after = command
        .get_after_long_help()
        .or_else(|| command.get_after_help())
        .map(|h| h.to_string());
    if let Some(after) = after.filter(|a| !a.trim().is_empty()) {
        out.push_str("**Examples and notes**\n\n");
        let _ = writeln!(out, "```text\n{}\n```\n", after.trim_end());
    }
}

/// `-h`/`--help` and `-V`/`--version`, which every command has.
fn is_builtin(arg: &Arg) -> bool {
    matches!(
        arg.get_action(),
        ArgAction::Help | ArgAction::HelpShort | ArgAction::HelpLong | ArgAction::Version
    )
}

fn options_table(out: &mut String, args: &[&Arg]) {
    out.push_str("| Option | Default | Env | Description |\n|---|---|---|---|\n");
    for arg in args {
        let env = arg
            .get_env()
            .filter(|_| !arg.is_hide_env_set())
            .map(|e| format!("`{}`", e.to_string_lossy()))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| {} | {} | {env} | {} |",
            flag(arg),
            default(arg),
            description(arg)
        );
    }
    out.push('\n');
}

/// `` `-f`, `--format <FORMAT>` ``.
fn flag(arg: &Arg) -> String {
    let value = if arg.get_action().takes_values() {
        let names: Vec<String> = value_names(arg).iter().map(|n| format!(" {n}")).collect();
        names.concat()
    } else {
        String::new()
    };
    let mut forms = Vec::new();
    if let Some(short) = arg.get_short() {
        forms.push(format!("`-{short}`"));
    }
    if let Some(long) = arg.get_long() {
        forms.push(format!("`--{long}{value}`"));
    } else if let Some(last) = forms.pop() {
        forms.push(format!("{}{value}`", last.trim_end_matches('`')));
    }
    for alias in arg.get_visible_aliases().into_iter().flatten() {
        forms.push(format!("`--{alias}`"));
    }
    cell(&forms.join(", "))
}

/// `<NAME>` for each value, `[NAME]` for an optional positional.
fn value_names(arg: &Arg) -> Vec<String> {
    let names: Vec<String> = match arg.get_value_names() {
        Some(names) => names.iter().map(ToString::to_string).collect(),
        None => vec![arg.get_id().to_string().to_uppercase()],
    };
    let optional = arg.is_positional() && !arg.is_required_set();
    let repeated = matches!(arg.get_action(), ArgAction::Append)
        || arg.get_num_args().is_some_and(|n| n.max_values() > 1);
    names
        .into_iter()
        .map(|n| {
            let n = if optional {
                format!("[{n}]")
            } else {
                format!("<{n}>")
            };
            if repeated && arg.is_positional() {
                format!("{n}...")
            } else {
                n
            }
        })
        .collect()
}

fn default(arg: &Arg) -> String {
    // A flag's implicit `false` (or `0` for a count) says nothing.
    if arg.is_hide_default_value_set() || !arg.get_action().takes_values() {
        return String::new();
    }
    let values: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| format!("`{}`", v.to_string_lossy()))
        .collect();
    cell(&values.join(", "))
}

/// The help text, then the possible values with theirs, and whether it repeats.
fn description(arg: &Arg) -> String {
    let help = arg
        .get_long_help()
        .or_else(|| arg.get_help())
        .map(|h| h.to_string())
        .unwrap_or_default();
    let mut parts = vec![cell_text(&help)];
    if arg.is_required_set() && !arg.is_positional() {
        parts.push("Required.".into());
    }
    if matches!(arg.get_action(), ArgAction::Append | ArgAction::Count)
        && !help.to_lowercase().contains("repeatable")
    {
        parts.push("Repeatable.".into());
    }
    let values: Vec<PossibleValue> = if arg.is_hide_possible_values_set() {
        Vec::new()
    } else {
        arg.get_possible_values()
            .into_iter()
            .filter(|v| !v.is_hide_set())
            .collect()
    };
    // A plain on/off flag's `true`/`false` are not worth listing.
    if !values.is_empty() && arg.get_action().takes_values() {
        let listed: Vec<String> = values
            .iter()
            .map(|v| match v.get_help() {
                Some(help) => format!("`{}`: {}", v.get_name(), cell_text(&help.to_string())),
                None => format!("`{}`", v.get_name()),
            })
            .collect();
        if values.iter().any(|v| v.get_help().is_some()) {
            parts.push(format!("Possible values:<br>{}", listed.join("<br>")));
        } else {
            parts.push(format!("Possible values: {}.", listed.join(", ")));
        }
    }
    parts.retain(|p| !p.is_empty());
    parts.join("<br>")
}

fn usage(command: &Command) -> String {
    let usage = command.clone().render_usage().to_string();
    usage
        .strip_prefix("Usage: ")
        .unwrap_or(&usage)
        .trim()
        .to_string()
}

/// The "Exit codes:" sentence of each command's after-help.
fn render_exit_codes(out: &mut String, commands: &[(Vec<String>, Command)]) {
    out.push_str("## Exit codes\n\n");
    let rows: Vec<(String, String)> = commands
        .iter()
        .filter_map(|(path, command)| {
            let after = command
                .get_after_long_help()
                .or_else(|| command.get_after_help())?
                .to_string();
            exit_codes(&after).map(|codes| (path.join(" "), codes))
        })
        .collect();
    if !rows.is_empty() {
        out.push_str("As each command's help states them:\n\n");
        out.push_str("| Command | Exit codes |\n|---|---|\n");
        for (name, codes) in rows {
            let _ = writeln!(out, "| [`{name}`](#{}) | {} |", slug(&name), cell(&codes));
        }
        out.push('\n');
    }
    out.push_str(
        "Every other command exits 0 when it succeeds and 1 on an error. A command line that \
         cannot be parsed (an unknown option, a missing or invalid value) exits 1 with a usage \
         message on stderr, before any command runs (not 2, which always means changes or \
         drift); `--help` and `--version` exit 0.\n",
    );
}

/// The text after `Exit codes:` up to the end of its sentence, on one line.
fn exit_codes(help: &str) -> Option<String> {
    let start = help.find("Exit codes:")? + "Exit codes:".len();
    let rest = help[start..].split("\n\n").next().unwrap_or_default();
    let rest = rest.split_whitespace().collect::<Vec<_>>().join(" ");
    let end = rest
        .match_indices(". ")
        .map(|(i, _)| i + 1)
        .next()
        .unwrap_or(rest.len());
    let codes = rest[..end].trim().to_string();
    (!codes.is_empty()).then_some(codes)
}

/// The first sentence of an about text, on one line.
fn first_sentence(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.find(". ") {
        Some(i) => text[..=i].to_string(),
        None => sentence(&text),
    }
}

/// Ends a text with a full stop: clap drops the one a single-paragraph doc comment ends with.
fn sentence(text: &str) -> String {
    let text = text.trim_end();
    if text.ends_with(['.', '!', '?', ':']) || text.is_empty() {
        text.to_string()
    } else {
        format!("{text}.")
    }
}

/// A help text as Markdown paragraphs.
fn prose(text: &str) -> String {
    paragraphs(text)
        .iter()
        .map(|p| escape(&sentence(p)))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// A help text inside a table cell.
fn cell_text(text: &str) -> String {
    paragraphs(text)
        .iter()
        .map(|p| cell(&escape(&sentence(p))))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("<br><br>")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    #[test]
    fn every_link_has_a_heading() {
        super::super::tests::assert_links_resolve(&cli_markdown());
    }

    #[test]
    fn exit_codes_are_cut_at_the_end_of_their_sentence() {
        assert_eq!(
            exit_codes(
                "Examples:\n  x\n\nExit codes: 0 in sync, 1 error, 2 drift.\nAttribution reads"
            )
            .as_deref(),
            Some("0 in sync, 1 error, 2 drift.")
        );
        assert_eq!(
            exit_codes("Exit codes: 0 ok, 1 error (see\nplan.json; again).\n").as_deref(),
            Some("0 ok, 1 error (see plan.json; again).")
        );
        assert_eq!(exit_codes("Examples: none"), None);
    }

    #[test]
    fn cells_never_break_a_table() {
        assert_eq!(cell("a | b\nc"), "a \\| b c");
        assert_eq!(
            escape("`<ENV>` <ENV> *.yaml `*.yml`"),
            "`<ENV>` &lt;ENV> \\*.yaml `*.yml`"
        );
        assert_eq!(slug("switchboard plan"), "switchboard-plan");
    }
}
