//! Peak memory of the worst hostile inputs: a 50 MB file, the "billion laughs" alias bomb
//! and 10,000 levels of nesting must each be refused without allocating more than 100 MB.
//!
//! This is its own test target because it installs a counting global allocator, which
//! would count every other test running in the same binary. `peak_alloc` supplies the
//! allocator because the workspace forbids `unsafe_code`, and a `GlobalAlloc` impl is
//! unsafe. The elapsed times are printed for the record, never asserted (no timed
//! assertions in tests).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::time::Instant;

use peak_alloc::PeakAlloc;
use switchboard_manifest::{LoadOptions, Loaded, load, load_str};

#[global_allocator]
static ALLOCATOR: PeakAlloc = PeakAlloc;

const MIB: usize = 1024 * 1024;

/// The most a single hostile input may allocate on top of what was live before it.
const LIMIT: usize = 100 * MIB;

/// Runs `load`, returning what it found and the peak bytes it allocated above the baseline.
fn measure(label: &str, load: impl FnOnce() -> Loaded) -> Loaded {
    let baseline = ALLOCATOR.current_usage();
    ALLOCATOR.reset_peak_usage();
    let start = Instant::now();
    let loaded = load();
    let elapsed = start.elapsed();
    let peak = ALLOCATOR.peak_usage().saturating_sub(baseline);
    #[allow(clippy::cast_precision_loss)]
    let mib = peak as f64 / MIB as f64;
    eprintln!("{label}: peak {mib:.2} MiB ({peak} bytes) above the baseline, {elapsed:.2?}");
    let first = loaded
        .diagnostics
        .first()
        .map(ToString::to_string)
        .unwrap_or_default();
    eprintln!("  {}", first.replace('\n', "\n  "));
    assert!(loaded.has_errors(), "{label} was accepted");
    assert!(
        peak < LIMIT,
        "{label} allocated {peak} bytes at its peak; the limit is {LIMIT}"
    );
    loaded
}

/// A directory of its own under the system temp dir, removed when dropped (even when an
/// assertion fails), so the 50 MB file never outlives the test.
#[derive(Debug)]
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new() -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("switchboard-hostile-memory-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A syntactically plausible manifest of `bytes` bytes or a little more: a long skill list.
fn write_huge_manifest(path: &std::path::Path, bytes: usize) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let header = b"version: 1\norg: {name: Acme, region: mypurecloud.ie}\nskills:\n";
    out.write_all(header).unwrap();
    let mut written = header.len();
    let mut n = 0_u64;
    while written < bytes {
        let line = format!("  - name: Skill {n:09}\n");
        out.write_all(line.as_bytes()).unwrap();
        written += line.len();
        n += 1;
    }
    out.flush().unwrap();
}

/// The "billion laughs": nine levels of ten aliases, 10^9 strings once expanded.
fn billion_laughs() -> String {
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    let mut text = format!("a: &a [{}]\n", ["\"lol\""; 10].join(", "));
    for pair in names.windows(2) {
        let (previous, name) = (pair[0], pair[1]);
        let aliases = vec![format!("*{previous}"); 10].join(", ");
        text.push_str(&format!("{name}: &{name} [{aliases}]\n"));
    }
    text
}

#[test]
fn hostile_inputs_are_refused_within_100_mb() {
    let dir = TempDir::new();
    let huge = dir.0.join("huge.yaml");
    write_huge_manifest(&huge, 50 * MIB);
    let loaded = measure("50 MB file, load", || load(&huge, &LoadOptions::default()));
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.message.contains("limited to"))
    );
    drop(dir);

    let mut text = String::from("version: 1\nskills:\n");
    for n in 0_u64.. {
        if text.len() > 50 * MIB {
            break;
        }
        text.push_str(&format!("  - name: Skill {n:09}\n"));
    }
    let loaded = measure("50 MB string, load_str", || load_str("huge.yaml", &text));
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.message.contains("limited to"))
    );
    drop(text);

    let bomb = billion_laughs();
    let loaded = measure("billion laughs, load_str", || load_str("bomb.yaml", &bomb));
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.message.contains("alias expansion"))
    );

    for (label, text) in [
        ("10,000 `[`, load_str", "[".repeat(10_000)),
        ("10,000 `{a: `, load_str", "{a: ".repeat(10_000)),
        (
            "10,000 `- `, load_str",
            format!("{}x\n", "- ".repeat(10_000)),
        ),
    ] {
        let loaded = measure(label, || load_str("deep.yaml", &text));
        assert!(
            loaded
                .diagnostics
                .iter()
                .any(|d| d.message.contains("nest"))
        );
    }
}
