//! Drift: classification and coverage over plans made in code, attribution against the
//! simulator, and the renderers.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod attribution;
mod classify;

use switchboard_drift::Plans;
use switchboard_manifest::{Live, Manifest, load_str};

/// A manifest from YAML, validated as a user's would be.
pub fn manifest(yaml: &str) -> Manifest {
    let loaded = load_str("manifest.yaml", yaml);
    assert!(!loaded.has_errors(), "{}", loaded.findings_text());
    loaded.manifest.unwrap()
}

/// The three plans drift reads, made as `switchboard drift` makes them.
pub fn plans(manifest: &Manifest, live: &Live) -> Plans {
    Plans::of(manifest, live).unwrap()
}
