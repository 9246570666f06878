//! The reference pages generated from the code, and the tests that keep them fresh:
//! `docs/cli.md` from the clap definitions ([`cli`]) and `docs/manifest.md` from the
//! manifest's JSON schema ([`manifest`]). A stale page fails its test; running the tests with
//! `SWITCHBOARD_BLESS=1` writes the pages again:
//!
//! ```text
//! SWITCHBOARD_BLESS=1 cargo test -p switchboard-cli --bin switchboard reference
//! ```

mod cli;
mod manifest;

/// A doc comment's or help text's paragraphs, each on one line.
fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

/// Text made safe for one table cell: `|` escaped, on one line.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// `<` outside code spans as `&lt;`, so `environments/<env>.yaml` is not taken for HTML.
fn escape_html(text: &str) -> String {
    escape_outside_code(text, false)
}

/// [`escape_html`], and `*` escaped too (help texts use it literally, as in `*.yaml`).
fn escape(text: &str) -> String {
    escape_outside_code(text, true)
}

fn escape_outside_code(text: &str, star: bool) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for c in text.chars() {
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            '<' if !in_code => out.push_str("&lt;"),
            '*' if star && !in_code => out.push_str("\\*"),
            _ => out.push(c),
        }
    }
    out
}

/// GitHub's heading anchor: lower case, punctuation dropped, spaces as `-`.
fn slug(heading: &str) -> String {
    heading
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use std::collections::BTreeSet;

    /// Fails when `docs/<page>` is not `expected`, saying where and how to regenerate it;
    /// writes it instead under `SWITCHBOARD_BLESS=1`.
    fn assert_fresh(page: &str, expected: &str, source: &str) {
        let path = format!("{}/../../docs/{page}", env!("CARGO_MANIFEST_DIR"));
        if std::env::var_os("SWITCHBOARD_BLESS").is_some_and(|v| v == "1") {
            std::fs::write(&path, expected).unwrap();
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != expected {
            let line = committed
                .lines()
                .zip(expected.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| committed.lines().count().min(expected.lines().count()))
                + 1;
            panic!(
                "docs/{page} is stale (first difference at line {line}): it is generated from \
                 {source}. Regenerate it with\n\n    \
                 SWITCHBOARD_BLESS=1 cargo test -p switchboard-cli --bin switchboard reference\n"
            );
        }
    }

    /// Checks that no two headings of `page` (outside code blocks) share an anchor and that
    /// every `](#anchor)` link has its heading; returns the anchors.
    pub(super) fn assert_links_resolve(page: &str) -> BTreeSet<String> {
        let mut in_code = false;
        let mut headings = Vec::new();
        for line in page.lines() {
            if line.starts_with("```") {
                in_code = !in_code;
            } else if !in_code && line.starts_with('#') {
                headings.push(super::slug(line.trim_start_matches('#').trim()));
            }
        }
        let anchors: BTreeSet<String> = headings.iter().cloned().collect();
        assert_eq!(
            anchors.len(),
            headings.len(),
            "two headings share an anchor"
        );
        for link in page.split("](#").skip(1) {
            let anchor = &link[..link.find(')').unwrap()];
            assert!(anchors.contains(anchor), "no heading for #{anchor}");
        }
        anchors
    }

    #[test]
    fn the_cli_reference_is_fresh() {
        assert_fresh(
            "cli.md",
            &super::cli::cli_markdown(),
            "the CLI's clap definitions",
        );
    }

    #[test]
    fn the_manifest_reference_is_fresh() {
        assert_fresh(
            "manifest.md",
            &super::manifest::manifest_markdown(),
            "the manifest's JSON schema",
        );
    }
}
