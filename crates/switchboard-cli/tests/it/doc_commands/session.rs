//! One Markdown file's runnable commands, run in order in one bash process.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::markdown::{Block, DocCommand, Treatment, commands, first_command, switchboard_uses};

/// How long `switchboard watch` runs before it is interrupted (as Ctrl-C would).
const WATCH_SECONDS: u32 = 3;

/// A guard against a hung session (a command that never ends), not a performance limit.
const SESSION_LIMIT: Duration = Duration::from_secs(300);

/// The one command the harness does not run: the CI's own test run.
pub const EXEMPT: &str = "cargo test --workspace";

/// The port the documentation gives the simulator (`switchboard sim`'s default).
const DOCUMENTED_PORT: &str = "8089";

/// `cargo run --release -- ` as the binary under test, on PATH, and the documented simulator
/// port as a free one of this test process: a simulator someone left running on 8089 (the
/// README starts one) must not make the test fail, nor the test talk to it.
pub fn as_installed(text: &str) -> String {
    let text = text.replace("cargo run --release -- ", "switchboard ");
    let port = test_port().to_string();
    let text = text.replace(DOCUMENTED_PORT, &port);
    // A simulator started without `--port` would take the documented one: give it ours.
    let words = first_command(&text);
    if words.len() >= 2
        && words[0] == "switchboard"
        && words[1] == "sim"
        && !words
            .iter()
            .any(|w| w == "--port" || w.starts_with("--port="))
    {
        return text.replacen(
            "switchboard sim",
            &format!("switchboard sim --port {port}"),
            1,
        );
    }
    text
}

/// A port that was free when this test process first asked (the OS picks it).
fn test_port() -> u16 {
    static PORT: std::sync::OnceLock<u16> = std::sync::OnceLock::new();
    *PORT.get_or_init(|| {
        std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map(|address| address.port())
            .expect("a free port on 127.0.0.1")
    })
}

/// What a command is, for the harness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// `cargo test --workspace`: not run.
    Exempt,
    /// Any other `cargo` command: refused, it would build or test inside the test.
    Cargo,
    /// `switchboard sim ...`: started in the background; its port is waited for.
    Sim { port: u16 },
    /// `switchboard watch ...`: interrupted after a few seconds; must still be running.
    Watch,
    /// Another `switchboard` command: exit 0 or 2.
    Switchboard,
    /// Anything else: exit 0.
    Other,
}

pub fn kind(text: &str) -> Kind {
    let words = first_command(&as_installed(text));
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["cargo", "test", "--workspace"] => Kind::Exempt,
        ["cargo", ..] => Kind::Cargo,
        ["switchboard", "sim", rest @ ..] => {
            let mut port = test_port();
            for (index, word) in rest.iter().enumerate() {
                if let Some(value) = word.strip_prefix("--port=") {
                    port = value.parse().expect("a --port number");
                } else if *word == "--port" {
                    port = rest[index + 1].parse().expect("a --port number");
                }
            }
            Kind::Sim { port }
        }
        ["switchboard", "watch", ..] => Kind::Watch,
        ["switchboard", ..] => Kind::Switchboard,
        _ => Kind::Other,
    }
}

/// A command that failed, with everything needed to see why.
#[derive(Debug)]
pub struct Failure {
    pub file: String,
    pub line: usize,
    pub command: String,
    pub reason: String,
    pub stdout: String,
    pub stderr: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{}:{}: {}", self.file, self.line, self.reason)?;
        writeln!(
            f,
            "  command: {}",
            self.command.replace('\n', "\n           ")
        )?;
        writeln!(f, "  stdout:\n{}", indent(&self.stdout))?;
        write!(f, "  stderr:\n{}", indent(&self.stderr))
    }
}

fn indent(text: &str) -> String {
    const LIMIT: usize = 4000;
    let text = if text.len() > LIMIT {
        let mut cut = text.len() - LIMIT;
        while !text.is_char_boundary(cut) {
            cut += 1;
        }
        format!("[... {cut} bytes left out]\n{}", &text[cut..])
    } else {
        text.to_string()
    };
    text.lines().map(|line| format!("    | {line}\n")).collect()
}

/// Copies the directory `from` to `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The environment of a session or a CI job: the test's own, without any Genesys
/// credentials or switchboard settings, with `bin` first on PATH.
pub fn clean_env(bin: &Path) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = std::env::vars()
        .filter(|(key, _)| !key.starts_with("GENESYS_") && !key.starts_with("SWITCHBOARD_"))
        .filter(|(key, _)| key != "PATH")
        .collect();
    let path = std::env::var("PATH").unwrap_or_default();
    env.push(("PATH".into(), format!("{}:{path}", bin.display())));
    env
}

fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

const PRELUDE: &str = r#"
__sb_pids=()
__sb_cleanup() {
  local pid
  for pid in "${__sb_pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${__sb_pids[@]}"; do wait "$pid" 2>/dev/null; done
}
trap __sb_cleanup EXIT
__sb_set_status() { return "$1"; }
__sb_fail() { printf '%s\n%s\n' "$1" "$2" > "$__sb_meta/failed"; exit 1; }
__sb_port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
__sb_watch() { timeout --foreground -s INT -k 10 "$__sb_watch_seconds" switchboard "$@"; }
__sb_last=0
"#;

/// The bash script of a session.
fn script(meta: &Path, commands: &[(DocCommand, Kind)]) -> String {
    let mut script = format!(
        "__sb_meta={}\n__sb_watch_seconds={WATCH_SECONDS}\n{PRELUDE}",
        quote(&meta.display().to_string())
    );
    for (index, (command, kind)) in commands.iter().enumerate() {
        let text = as_installed(&command.text);
        let out = format!("\"$__sb_meta/{index}.out\" 2> \"$__sb_meta/{index}.err\"");
        writeln!(script, "\n# {index}: line {}", command.line).unwrap();
        writeln!(script, "echo {index} > \"$__sb_meta/current\"").unwrap();
        match kind {
            Kind::Exempt => continue,
            Kind::Cargo => unreachable!("refused before the session starts"),
            Kind::Sim { port } => {
                writeln!(
                    script,
                    "if __sb_port_open {port}; then __sb_fail {index} {}; fi",
                    quote(&format!("port {port} answers before the simulator started: something else listens there"))
                )
                .unwrap();
                writeln!(
                    script,
                    "{{ eval {}; }} > {out}",
                    quote(&format!("{{ {text}\n}} &"))
                )
                .unwrap();
                writeln!(script, "__sb_pids+=(\"$!\")").unwrap();
                writeln!(
                    script,
                    "until __sb_port_open {port}; do\n  kill -0 \"$!\" 2>/dev/null || __sb_fail {index} {}\n  sleep 0.1\ndone\n__sb_last=0",
                    quote("the simulator exited before its port answered")
                )
                .unwrap();
            }
            Kind::Watch | Kind::Switchboard | Kind::Other => {
                let text = if *kind == Kind::Watch {
                    text.replacen("switchboard watch", "__sb_watch watch", 1)
                } else {
                    text
                };
                writeln!(script, "__sb_set_status \"$__sb_last\"").unwrap();
                writeln!(script, "{{ eval {}; }} > {out}", quote(&text)).unwrap();
                writeln!(script, "__sb_last=$?\nset +e").unwrap();
                let check = match kind {
                    Kind::Watch => format!(
                        "[ \"$__sb_last\" = 124 ] || __sb_fail {index} \"exit $__sb_last: switchboard watch must still run after {WATCH_SECONDS} s\"\n\
                         ! grep -qi error \"$__sb_meta/{index}.err\" || __sb_fail {index} 'switchboard watch printed an error on stderr'\n__sb_last=0"
                    ),
                    Kind::Switchboard => format!(
                        "case \"$__sb_last\" in 0|2) ;; *) __sb_fail {index} \"exit $__sb_last: a switchboard command must exit 0 or 2\";; esac"
                    ),
                    _ => format!(
                        "[ \"$__sb_last\" = 0 ] || __sb_fail {index} \"exit $__sb_last: a command must exit 0\""
                    ),
                };
                writeln!(script, "{check}").unwrap();
            }
        }
    }
    script.push_str("\n: > \"$__sb_meta/done\"\n");
    script
}

/// Runs the run-blocks of one Markdown file (`file`, relative to `repo`) in one bash process,
/// in a fresh directory holding copies of `examples/` and `schemas/`. Returns how many
/// commands ran.
pub fn run_file(
    repo: &Path,
    file: &str,
    blocks: &[Block],
    bin: &Path,
) -> Result<usize, Box<Failure>> {
    let commands: Vec<(DocCommand, Kind)> = blocks
        .iter()
        .filter(|block| block.treatment == Treatment::Run)
        .flat_map(commands)
        .map(|command| {
            let kind = kind(&command.text);
            (command, kind)
        })
        .collect();
    // A session that stops at a refused command is not started: its commands before that
    // one (a long benchmark, say) would run for nothing.
    if let Some((command, _)) = commands.iter().find(|(_, kind)| *kind == Kind::Cargo) {
        return Err(Box::new(Failure {
            file: file.to_string(),
            line: command.line,
            command: command.text.clone(),
            reason: format!(
                "a cargo command cannot run inside the test (only `cargo run --release -- ...` \
                 and `{EXEMPT}` are understood); the file's session was not started"
            ),
            stdout: String::new(),
            stderr: String::new(),
        }));
    }
    let root = super::scratch_dir(&format!("session-{}", file.replace('/', "-")));
    let work = root.join("work");
    let meta = root.join("meta");
    std::fs::create_dir_all(&meta).unwrap();
    copy_dir(&repo.join("examples"), &work.join("examples"));
    copy_dir(&repo.join("schemas"), &work.join("schemas"));
    let init = Command::new("git")
        .args(["init", "-q"])
        .current_dir(&work)
        .output()
        .unwrap();
    assert!(init.status.success(), "git init: {init:?}");
    let script_path = meta.join("session.sh");
    std::fs::write(&script_path, script(&meta, &commands)).unwrap();

    let mut child = Command::new("bash")
        .arg(&script_path)
        .current_dir(&work)
        .env_clear()
        .envs(clean_env(bin))
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(meta.join("session.out")).unwrap())
        .stderr(std::fs::File::create(meta.join("session.err")).unwrap())
        .process_group(0)
        .spawn()
        .unwrap();
    let started = Instant::now();
    let timed_out = loop {
        if child.try_wait().unwrap().is_some() {
            break false;
        }
        if started.elapsed() > SESSION_LIMIT {
            break true;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    // Whatever is left of the session (a simulator, a watch), also after a failure.
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", child.id())])
        .stderr(Stdio::null())
        .status();
    let _ = child.wait();

    let read = |name: &str| std::fs::read_to_string(meta.join(name)).unwrap_or_default();
    let current: Option<usize> = read("current").trim().parse().ok();
    let failure = |index: usize, reason: String| -> Box<Failure> {
        let (command, _) = &commands[index];
        Box::new(Failure {
            file: file.to_string(),
            line: command.line,
            command: command.text.clone(),
            reason,
            stdout: read(&format!("{index}.out")),
            stderr: format!("{}{}", read(&format!("{index}.err")), read("session.err")),
        })
    };
    let failed = read("failed");
    let result = if let Some((index, reason)) = failed.split_once('\n') {
        Err(failure(index.parse().unwrap(), reason.trim().to_string()))
    } else if timed_out {
        Err(failure(
            current.unwrap_or(0),
            format!("still running after {} s", SESSION_LIMIT.as_secs()),
        ))
    } else if !meta.join("done").exists() {
        Err(failure(
            current.unwrap_or(0),
            "the session ended here (the command exited the shell)".into(),
        ))
    } else {
        Ok(commands
            .iter()
            .filter(|(_, kind)| *kind != Kind::Exempt)
            .count())
    };
    if result.is_ok() {
        let _ = std::fs::remove_dir_all(&root);
    }
    result
}

/// Checks a `real-org` block without running it: `bash -n`, and every
/// `switchboard SUBCOMMAND --flag` names a subcommand and one of its flags.
pub fn check_real_org(
    file: &str,
    block: &Block,
    help: &mut HashMap<String, Option<String>>,
) -> Vec<Failure> {
    let text = as_installed(&block.lines.join("\n"));
    let mut failures = Vec::new();
    let syntax = Command::new("bash")
        .args(["-n", "-c", &text])
        .output()
        .unwrap();
    if !syntax.status.success() {
        failures.push(Failure {
            file: file.into(),
            line: block.line,
            command: text.clone(),
            reason: "not valid bash (bash -n)".into(),
            stdout: String::new(),
            stderr: String::from_utf8_lossy(&syntax.stderr).into_owned(),
        });
    }
    for command in commands(block) {
        for (subcommand, flags) in switchboard_uses(&as_installed(&command.text)) {
            let text = help.entry(subcommand.clone()).or_insert_with(|| {
                let output = Command::new(env!("CARGO_BIN_EXE_switchboard"))
                    .args([&subcommand, "--help"])
                    .output()
                    .unwrap();
                output
                    .status
                    .success()
                    .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
            });
            let mut fail = |reason: String| {
                failures.push(Failure {
                    file: file.into(),
                    line: command.line,
                    command: command.text.clone(),
                    reason,
                    stdout: String::new(),
                    stderr: String::new(),
                });
            };
            let Some(text) = text else {
                fail(format!("`switchboard {subcommand}` is not a subcommand"));
                continue;
            };
            for flag in flags {
                let known = text
                    .split(|c: char| c.is_whitespace() || c == ',')
                    .any(|word| word == flag);
                if !known {
                    fail(format!(
                        "`switchboard {subcommand} --help` does not list {flag}"
                    ));
                }
            }
        }
    }
    failures
}

/// The directory a test writes in, removed when it passes.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}
