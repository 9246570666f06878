//! `docs/manifest.md` is what the schema renders to.

use switchboard_manifest::reference_markdown;

const REFERENCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/manifest.md");

#[test]
fn the_manifest_reference_is_fresh() {
    let expected = reference_markdown();
    if std::env::var_os("SWITCHBOARD_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(REFERENCE, &expected).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(REFERENCE).unwrap_or_default();
    if committed != expected {
        let line = committed
            .lines()
            .zip(expected.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| committed.lines().count().min(expected.lines().count()))
            + 1;
        panic!(
            "docs/manifest.md is stale (first difference at line {line}): it is generated from the \
             manifest schema. Regenerate it with\n\n    \
             SWITCHBOARD_BLESS=1 cargo test -p switchboard-manifest --test it reference\n"
        );
    }
}
