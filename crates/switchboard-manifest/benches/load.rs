//! How long loading and validating a manifest takes: `cargo bench -p switchboard-manifest`.
//!
//! The target (issue 3): the contact-center example (about 40 queues, 60 agents, several
//! files) loads and validates in under 50 ms.

use std::path::Path;

use switchboard_manifest::{LoadOptions, load};

fn main() {
    divan::main();
}

fn example(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

/// Read, parse, merge, schema-check and rule-check the contact-center example.
#[divan::bench]
fn contact_center(bencher: divan::Bencher) {
    let path = example("contact-center");
    let options = LoadOptions::default();
    bencher.bench(|| {
        let loaded = load(divan::black_box(&path), &options);
        assert!(!loaded.has_errors(), "the example is valid");
        loaded
    });
}

/// The quickstart example, for scale.
#[divan::bench]
fn quickstart(bencher: divan::Bencher) {
    let path = example("quickstart");
    let options = LoadOptions::default();
    bencher.bench(|| load(divan::black_box(&path), &options));
}

/// The schema check alone builds its validator once; this is the cost of the first use.
#[divan::bench]
fn schema_text() -> String {
    switchboard_manifest::json_schema_text()
}
