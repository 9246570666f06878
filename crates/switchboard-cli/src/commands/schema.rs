//! `switchboard schema`: the manifest's JSON schema on stdout.

use std::io::Write;

use super::Outcome;
use crate::cli::SchemaArgs;

/// Prints the schema of a whole manifest, or with `--fragment` of one file of a split one.
pub fn run(args: &SchemaArgs) -> anyhow::Result<Outcome> {
    let text = if args.fragment {
        switchboard_manifest::fragment_schema_text()
    } else {
        switchboard_manifest::json_schema_text()
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(Outcome::Success)
}
