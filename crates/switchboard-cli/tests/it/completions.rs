//! `switchboard completions`: a script for each shell that knows every command, and that
//! bash parses.

use std::process::Command;

const COMMANDS: [&str; 11] = [
    "demo",
    "sim",
    "validate",
    "schema",
    "plan",
    "apply",
    "drift",
    "export",
    "watch",
    "bench",
    "completions",
];

fn script(shell: &str) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["completions", shell])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(output.stderr.is_empty(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn each_shell_gets_a_script_that_knows_every_command() {
    for shell in ["bash", "zsh", "fish"] {
        let script = script(shell);
        for command in COMMANDS {
            assert!(script.contains(command), "{shell}: no {command}");
        }
        // Flags that carry a secret exist nowhere, so nothing completes them.
        assert!(!script.contains("--client-secret "), "{shell}");
        assert!(script.contains("client-secret-stdin"), "{shell}");
    }
}

#[test]
fn bash_parses_the_bash_script() {
    let path = std::env::temp_dir().join(format!(
        "switchboard-completion-{}.bash",
        std::process::id()
    ));
    std::fs::write(&path, script("bash")).unwrap();
    let checked = Command::new("bash").arg("-n").arg(&path).output().unwrap();
    let _ = std::fs::remove_file(&path);
    assert!(checked.status.success(), "{checked:?}");
}

#[test]
fn an_unknown_shell_is_refused_with_the_choices() {
    let output = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["completions", "powershell"])
        .output()
        .unwrap();
    // 1, not clap's 2: exit 2 means "changes" elsewhere in the CLI.
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("bash") && stderr.contains("zsh") && stderr.contains("fish"),
        "{stderr}"
    );
}
