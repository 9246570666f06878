//! The commit the binary is built from, for `switchboard --version`.
//!
//! Sets `SWITCHBOARD_LONG_VERSION` to `<version> (<commit> <date>)` or `<version> (<commit>)`.
//! The commit comes from git when this crate is a tracked file of a git checkout, else from
//! `SWITCHBOARD_COMMIT` (set by builds without `.git`, such as a container build context),
//! else it is `unknown`. Nothing here fails the build: a crates tarball or a copy without
//! git still builds.
//!
//! There is no "dirty" marker: the script reruns only when `HEAD` or its ref moves, not on
//! every edited file, so such a marker would go stale.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=SWITCHBOARD_COMMIT");
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let build = from_git(&manifest_dir)
        .or_else(from_env)
        .unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=SWITCHBOARD_LONG_VERSION={version} ({build})");
}

/// `<commit> <date>` from the checkout holding this crate.
fn from_git(crate_dir: &Path) -> Option<String> {
    let git_dir = git(crate_dir, &["rev-parse", "--absolute-git-dir"])?;
    // Watched even when the answer below is "no": the first commit must rerun this script.
    watch_head(crate_dir, PathBuf::from(git_dir));
    // Only a checkout that tracks this very crate: a crates tarball unpacked under some
    // other repository (a home directory kept in git) must not report that repository.
    git(crate_dir, &["ls-files", "--error-unmatch", "Cargo.toml"])?;
    git(
        crate_dir,
        &["log", "-1", "--abbrev=12", "--format=%h %cs", "HEAD"],
    )
}

/// Reruns this script when `HEAD` moves: a checkout, a commit, a fetch of the ref.
fn watch_head(crate_dir: &Path, git_dir: PathBuf) {
    // In a linked worktree, HEAD is the worktree's own and refs are the common ones.
    let common = git(crate_dir, &["rev-parse", "--git-common-dir"])
        .map(|dir| crate_dir.join(dir))
        .unwrap_or_else(|| git_dir.clone());
    let mut watched = vec![git_dir.join("HEAD"), common.join("packed-refs")];
    if let Some(reference) = git(crate_dir, &["symbolic-ref", "-q", "HEAD"]) {
        let loose = common.join(&reference);
        // A ref that is only packed today is written loose by the next commit: watch the
        // directory it will appear in.
        if loose.exists() {
            watched.push(loose);
        } else {
            watched.extend(loose.parent().map(Path::to_path_buf));
        }
    }
    for path in watched.iter().filter(|path| path.exists()) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
}

/// `SWITCHBOARD_COMMIT`, if it is a commit id (7 to 40 hex digits), shortened to 12.
fn from_env() -> Option<String> {
    let value = std::env::var("SWITCHBOARD_COMMIT").ok()?;
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if (7..=40).contains(&value.len()) && value.chars().all(|c| c.is_ascii_hexdigit()) {
        return Some(value[..value.len().min(12)].to_ascii_lowercase());
    }
    println!(
        "cargo:warning=SWITCHBOARD_COMMIT={value:?} is not a commit id; the version says `unknown`"
    );
    None
}

/// The trimmed stdout of a git command that succeeded, if it printed anything.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    let text = text.trim();
    (output.status.success() && !text.is_empty()).then(|| text.to_string())
}
