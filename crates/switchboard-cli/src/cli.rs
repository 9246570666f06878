//! Every command-line flag, in one place.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// GitOps for Genesys Cloud routing: plan and apply skills, languages, wrap-up codes, skill
/// groups, queues and their members from YAML in git.
#[derive(Debug, Parser)]
#[command(
    name = "switchboard",
    version = env!("SWITCHBOARD_LONG_VERSION"),
    propagate_version = true
)]
pub struct Cli {
    /// Log filter for stderr, e.g. `info`, `debug`, `switchboard_client=trace`
    /// (`--quiet` and `--verbose` override it).
    #[arg(long, global = true, env = "SWITCHBOARD_LOG", value_name = "FILTER")]
    pub log_level: Option<String>,

    /// Only errors on stderr: no warnings, notes or progress bar. Data on stdout is
    /// unchanged.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// More detail on stderr: `-v` what is being done, `-vv` every request, `-vvv`
    /// everything.
    #[arg(long, short, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// How logs are written on stderr: `text` for people, `json` (one object per line)
    /// for log collectors.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Lines for people.
    Text,
    /// One JSON object per line.
    Json,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Walk through switchboard against a built-in simulator (no credentials needed).
    #[command(after_help = DEMO_EXAMPLES)]
    Demo(DemoArgs),
    /// Run the Genesys Cloud API simulator on this machine.
    #[command(after_help = SIM_EXAMPLES)]
    Sim(Box<SimArgs>),
    /// Check a manifest offline: structure, references, ranges, naming rules. No credentials,
    /// no API calls.
    #[command(after_help = VALIDATE_EXAMPLES)]
    Validate(ValidateArgs),
    /// Print the manifest's JSON schema (for editors and other tools).
    #[command(after_help = SCHEMA_EXAMPLES)]
    Schema(SchemaArgs),
    /// Compare the manifest with the live org and show what apply would change.
    #[command(after_help = PLAN_EXAMPLES)]
    Plan(PlanArgs),
    /// Apply a saved plan, or plan a manifest and apply it after confirmation; then verify
    /// that a new plan is empty.
    #[command(after_help = APPLY_EXAMPLES)]
    Apply(ApplyArgs),
    /// Report what changed in the org outside git, who changed it, and how much of the org
    /// the manifest covers; exit 2 on drift.
    Drift(crate::commands::drift::DriftArgs),
    /// Write the live org as a manifest directory (skills, languages, wrap-up codes, skill
    /// groups, queues, agents) that plans to no changes.
    Export(crate::commands::export::ExportArgs),
    /// Watch the org for drift: react to change events, check periodically, report drift
    /// as JSON lines, optionally notify and remediate.
    Watch(crate::commands::watch::WatchArgs),
    /// Measure requests, time and memory of every command on a large generated org,
    /// against the request floor and the vendor provider's per-object reads.
    Bench(crate::commands::bench::BenchArgs),
    /// Print a shell completion script for bash, zsh or fish.
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions(CompletionsArgs),
    /// Show the settings a command would connect with (region, concurrency, token pool,
    /// request timeout, audit log) and where each comes from; never a secret.
    Config(crate::commands::config::ConfigArgs),
}

const DEMO_EXAMPLES: &str = "\
Examples:
  switchboard demo      # validate, plan, apply, drift and export on a built-in simulator";

const SIM_EXAMPLES: &str = "\
Examples:
  switchboard sim --port 8089 --seed examples/sim-org.yaml
  switchboard sim --config examples/sim-faults.yaml --journal requests.jsonl
  switchboard sim --generate small --state org.json     # keeps the org between runs";

const VALIDATE_EXAMPLES: &str = "\
Examples:
  switchboard validate examples/contact-center
  switchboard validate examples/multi-environment --env prod --format json

Exit codes: 0 valid (warnings allowed), 1 an error finding.";

const SCHEMA_EXAMPLES: &str = "\
Examples:
  switchboard schema > manifest.schema.json
  switchboard schema --fragment > manifest-fragment.schema.json";

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  switchboard completions bash > ~/.local/share/bash-completion/completions/switchboard
  switchboard completions zsh > \"${fpath[1]}/_switchboard\"
  switchboard completions fish > ~/.config/fish/completions/switchboard.fish";

/// `switchboard completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: CompletionShell,
}

/// The shells `switchboard completions` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompletionShell {
    /// Bash.
    Bash,
    /// Zsh.
    Zsh,
    /// Fish.
    Fish,
}

/// The credentials paragraph of the `--help` of every command that connects to an org.
macro_rules! credentials_help {
    () => {
        "Credentials: GENESYS_REGION and GENESYS_CLIENT_ID, with the client secret in
GENESYS_CLIENT_SECRET, in the file GENESYS_CLIENT_SECRET_FILE names, or on the first
line of stdin with --client-secret-stdin (never as a flag: flags end up in shell history).
GENESYS_BASE_URL (and GENESYS_LOGIN_URL) point at a simulator instead of a region;
plain http:// is refused except on loopback. SWITCHBOARD_REQUEST_TIMEOUT bounds each
request (default 30s); SWITCHBOARD_TOKEN_POOL (default 1) tokens each get 300 requests
a minute."
    };
}
pub(crate) use credentials_help;

const APPLY_EXAMPLES: &str = concat!(
    "\
Examples:
  switchboard plan manifests/ --out plan.json && switchboard apply plan.json
  switchboard apply manifests/ --env prod            # plans, shows, asks
  switchboard apply manifests/ --auto-approve --audit-log audit/apply.jsonl
  switchboard apply plan.json --format markdown >> \"$GITHUB_STEP_SUMMARY\"

A plan file is refused when it was made for another org, by another format version,
was edited (its checksum, its seal under SWITCHBOARD_PLAN_KEY, or a change its own
manifest does not make), is older than --max-plan-age, or when anything it changes has
changed since, or anything it creates exists now (a stale plan).
Exit codes: 0 applied and verified, 1 error (failed or skipped steps are listed;
running apply again converges).
",
    credentials_help!(),
    "
With --client-secret-stdin, stdin is not a terminal to confirm on: give a plan file
or --auto-approve."
);

const PLAN_EXAMPLES: &str = concat!(
    "\
Examples:
  switchboard plan examples/quickstart
  switchboard plan manifests/ --env prod --format markdown >> \"$GITHUB_STEP_SUMMARY\"
  switchboard plan manifests/ --out plan.json --detailed-exitcode
  switchboard plan manifests/ --target 'queue:Billing EN' --target agent:ana@example.com

Exit codes: 0 no changes (or changes without --detailed-exitcode), 1 error,
2 changes (with --detailed-exitcode).
",
    credentials_help!()
);

/// `switchboard plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// A manifest file, or a directory of YAML files.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Merge `environments/<ENV>.yaml` over the base.
    #[arg(long, value_name = "ENV")]
    pub env: Option<String>,

    /// Output format: `text` for terminals, `json` for tools (the plan file's format),
    /// `markdown` for pull-request comments and CI job summaries.
    #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
    pub format: PlanFormat,

    /// Also write the plan file here, for `switchboard apply FILE`.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Exit 2 when the plan has changes, 0 when it has none.
    #[arg(long)]
    pub detailed_exitcode: bool,

    /// Which changes are planned, and which safety limits hold.
    #[command(flatten)]
    pub policy: PolicyArgs,

    /// Region, concurrency, token pool and request timeout.
    #[command(flatten)]
    pub connection: crate::settings::ConnectionArgs,

    /// `--strict`.
    #[command(flatten)]
    pub strict: crate::settings::StrictArg,
}

/// The plan's knobs, shared by `plan` and `apply`.
#[derive(Debug, Args)]
pub struct PolicyArgs {
    /// Only plan these objects: `skill:NAME`, `language:NAME`, `wrapupCode:NAME`,
    /// `queue:NAME` (with its members and wrap-up codes), `agent:EMAIL` (its skills, languages
    /// and capacity), `utilizationLabel:NAME`, `utilization:org` (the org's utilization) or
    /// `routingSettings:org` (the org's routing settings). Repeatable.
    #[arg(long, value_name = "KIND:NAME")]
    pub target: Vec<switchboard_plan::Target>,

    /// Allow changes over the blast-radius threshold and the capacity guard's limit
    /// (`protect` and `coverage.enforce` still hold).
    #[arg(long)]
    pub force: bool,

    /// The blast-radius threshold: refuse updates, or deletes, of more than this percentage
    /// of a kind once the org has at least 10 of it.
    #[arg(long, value_name = "PERCENT", default_value_t = 30.0, value_parser = percent)]
    pub max_change_percent: f64,

    /// Turn the capacity guard on with this forecast (CSV or YAML: queue, mediaType,
    /// peakConcurrent): a change that projects a queue's saturation above
    /// `capacity.maxSaturation` (default 0.95) is refused unless --force. See docs/weights.md.
    #[arg(long, value_name = "FILE")]
    pub forecast: Option<PathBuf>,
}

impl PolicyArgs {
    /// The plan policy these flags ask for.
    pub fn policy(&self) -> switchboard_plan::Policy {
        switchboard_plan::Policy {
            force: self.force,
            max_change_share: self.max_change_percent / 100.0,
            targets: self.target.clone(),
            ..switchboard_plan::Policy::default()
        }
    }
}

/// `switchboard apply`.
#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// A plan file written by `switchboard plan --out` (`.json`), applied exactly as
    /// reviewed; or a manifest file or directory, planned and shown first.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// With a manifest: merge `environments/<ENV>.yaml` over the base.
    #[arg(long, value_name = "ENV")]
    pub env: Option<String>,

    /// Apply without asking. Required without a terminal, unless a plan file is given.
    #[arg(long)]
    pub auto_approve: bool,

    /// Output format: `text` for terminals, `markdown` for pull-request comments and CI job
    /// summaries (the audit log is the record for tools).
    #[arg(long, value_enum, default_value_t = ApplyFormat::Text)]
    pub format: ApplyFormat,

    /// Append the audit records (JSON lines) to this file [env: SWITCHBOARD_AUDIT_LOG;
    /// file: audit_log; default switchboard-audit.jsonl].
    #[arg(long, value_name = "FILE")]
    pub audit_log: Option<PathBuf>,

    /// With a manifest: which changes are planned, and which safety limits hold.
    #[command(flatten)]
    pub policy: PolicyArgs,

    /// Region, concurrency, token pool and request timeout.
    #[command(flatten)]
    pub connection: crate::settings::ConnectionArgs,

    /// `--strict`.
    #[command(flatten)]
    pub strict: crate::settings::StrictArg,

    /// `--max-plan-age`.
    #[command(flatten)]
    pub plan_age: crate::settings::PlanAgeArg,
}

fn percent(raw: &str) -> Result<f64, String> {
    match raw.parse::<f64>() {
        Ok(value) if (0.0..=100.0).contains(&value) => Ok(value),
        _ => Err(format!("{raw:?} is not a percentage from 0 to 100")),
    }
}

/// How a plan is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    /// Terraform style, for people.
    Text,
    /// Versioned JSON (`format_version` 1.0), for tools.
    Json,
    /// GitHub-flavoured Markdown, at most 65,536 characters.
    Markdown,
}

/// How apply reports what it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ApplyFormat {
    /// The plan Terraform style, then a line per step, for people.
    Text,
    /// GitHub-flavoured Markdown: the plan as `plan --format markdown` shows it, then a list
    /// item per step, the counts and the verification.
    Markdown,
}

/// `switchboard validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// A manifest file, or a directory of YAML files (hidden directories and
    /// `environments/` are skipped).
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Merge `environments/<ENV>.yaml` over the base.
    #[arg(long, value_name = "ENV")]
    pub env: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

/// `switchboard schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The schema for one file of a split manifest or an environment overlay, where no
    /// top-level key is required.
    #[arg(long)]
    pub fragment: bool,
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// For people.
    Text,
    /// For tools: stable, versioned JSON.
    Json,
}

/// `switchboard demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {}

/// `switchboard sim`.
#[derive(Debug, Args)]
pub struct SimArgs {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8089)]
    pub port: u16,

    /// Address to listen on. Loopback unless you mean otherwise.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,

    /// A settings file (YAML or JSON: faults, rate limit, clients, ...); flags override it.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Seed the org from a fixture file (YAML or JSON).
    #[arg(long, value_name = "FILE")]
    pub seed: Option<PathBuf>,

    /// Seed the org a manifest is for, before anything was configured: its org (name and
    /// id, so the org guard passes), the divisions and users it names, and the flows,
    /// prompts, scripts, groups and other objects its queues name without managing them,
    /// under the names it gives. Then `plan PATH` shows everything to create.
    #[arg(long, value_name = "PATH", conflicts_with = "seed")]
    pub seed_from: Option<PathBuf>,

    /// With `--seed-from`: the environment overlay to read (`environments/<ENV>.yaml`).
    #[arg(long, value_name = "ENV", requires = "seed_from")]
    pub env: Option<String>,

    /// Add a generated org of a standard size.
    #[arg(long, value_enum)]
    pub generate: Option<GeneratedSize>,

    /// Load the org from this file if it exists, and save it there on exit.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,

    /// Also write the request journal to this JSON-lines file.
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,

    /// Record response bodies in the journal too.
    #[arg(long)]
    pub journal_bodies: bool,

    /// Another OAuth client id the token endpoint accepts (its secret comes from
    /// SWITCHBOARD_SIM_CLIENT_SECRET or `--client-secret-file`).
    #[arg(long, env = "SWITCHBOARD_SIM_CLIENT_ID", value_name = "ID")]
    pub client_id: Option<String>,

    /// A file holding the secret of `--client-id` (trailing whitespace dropped), instead of
    /// SWITCHBOARD_SIM_CLIENT_SECRET. A secret is never taken as a flag's value.
    #[arg(long, value_name = "FILE")]
    pub client_secret_file: Option<PathBuf>,

    /// Refuse the built-in demo client.
    #[arg(long)]
    pub no_demo_client: bool,

    /// Access-token lifetime in seconds.
    #[arg(long, value_name = "SECONDS")]
    pub token_lifetime: Option<u64>,

    /// Requests per minute per token (0 turns rate limiting off).
    #[arg(long, value_name = "N")]
    pub rate_limit: Option<u32>,

    /// Added latency per request, in milliseconds.
    #[arg(long, value_name = "MS")]
    pub latency_ms: Option<u64>,

    /// Random extra latency, up to this many milliseconds.
    #[arg(long, value_name = "MS")]
    pub jitter_ms: Option<u64>,

    /// Share of API requests answered 502, 503 or 504 (0 to 1).
    #[arg(long, value_name = "RATE")]
    pub error_rate: Option<f64>,

    /// Share of API requests whose connection is dropped without an answer (0 to 1).
    #[arg(long, value_name = "RATE")]
    pub drop_rate: Option<f64>,

    /// New objects stay invisible to listings for this many milliseconds.
    #[arg(long, value_name = "MS")]
    pub eventual_consistency_ms: Option<u64>,

    /// Seed of the fault-injection random numbers.
    #[arg(long, value_name = "N")]
    pub fault_seed: Option<u64>,
}

/// Standard generated org sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GeneratedSize {
    /// 50 queues, 500 users.
    Small,
    /// 1,000 queues, 5,000 users, 25,000 memberships.
    Large,
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::Cli;

    /// The words of a shell command line: whitespace-separated, with '…' and "…" quoting.
    fn words(line: &str) -> Vec<String> {
        let (mut words, mut word, mut quote, mut started) =
            (Vec::new(), String::new(), None, false);
        for c in line.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), c) => word.push(c),
                (None, '\'' | '"') => {
                    quote = Some(c);
                    started = true;
                }
                (None, c) if c.is_whitespace() => {
                    if started || !word.is_empty() {
                        words.push(std::mem::take(&mut word));
                    }
                    started = false;
                }
                (None, c) => word.push(c),
            }
        }
        if started || !word.is_empty() {
            words.push(word);
        }
        words
    }

    /// Every `switchboard …` command in the examples of `help`: comments, redirections and
    /// pipes cut off, `&&` chains split.
    fn examples(help: &str) -> Vec<Vec<String>> {
        let mut commands = Vec::new();
        for line in help.lines().map(str::trim) {
            let line = line.split(" #").next().unwrap_or_default();
            for part in line.split("&&").map(str::trim) {
                let part = part.split(['>', '|']).next().unwrap_or_default();
                let words = words(part);
                if words.first().is_some_and(|w| w == "switchboard") {
                    commands.push(words);
                }
            }
        }
        commands
    }

    #[test]
    fn every_command_has_examples_and_each_one_parses() {
        let mut cli = Cli::command();
        cli.build();
        // clap's own `help` subcommand is not ours to document.
        for command in cli.get_subcommands().filter(|c| c.get_name() != "help") {
            let name = command.get_name();
            let help = command
                .get_after_help()
                .map(|h| h.to_string())
                .unwrap_or_default();
            assert!(
                help.contains("Examples:"),
                "`{name} --help` has no examples"
            );
            let found = examples(&help);
            assert!(!found.is_empty(), "`{name} --help` shows no command");
            assert!(
                found
                    .iter()
                    .any(|w| w.get(1).map(String::as_str) == Some(name)),
                "`{name} --help` shows no `switchboard {name}` example"
            );
            for words in found {
                if let Err(error) = Cli::try_parse_from(&words) {
                    panic!("`{}` does not parse: {error}", words.join(" "));
                }
            }
        }
    }

    #[test]
    fn example_lines_are_split_as_a_shell_would() {
        assert_eq!(
            words("switchboard plan m --target 'queue:Billing EN' --x \"$Y\""),
            [
                "switchboard",
                "plan",
                "m",
                "--target",
                "queue:Billing EN",
                "--x",
                "$Y"
            ]
        );
        let found = examples(
            "  switchboard plan m --out p.json && switchboard apply p.json # c\n  switchboard schema > f",
        );
        assert_eq!(found.len(), 3);
        assert_eq!(found[2], ["switchboard", "schema"]);
    }
}
