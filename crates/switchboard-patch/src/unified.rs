//! The patch as text: a unified diff per changed file, as `git apply` and `patch -p1` read it.

use similar::TextDiff;

use crate::PatchedFile;

/// Lines of context around each change, as `git diff` gives.
const CONTEXT: usize = 3;

/// The unified diff of `files`: `--- a/<path>`, `+++ b/<path>`, then the hunks.
pub(crate) fn diff(files: &[PatchedFile]) -> String {
    let mut out = String::new();
    for file in files {
        let text = TextDiff::from_lines(&file.before, &file.after)
            .unified_diff()
            .context_radius(CONTEXT)
            .header(
                &quoted(&format!("a/{}", file.path)),
                &quoted(&format!("b/{}", file.path)),
            )
            .to_string();
        out.push_str(&text);
    }
    out
}

/// A path as git writes it in a diff header: as it is, or C-quoted when it holds a quote,
/// a backslash, a control character or a tab (which would end the name).
fn quoted(path: &str) -> String {
    if !path
        .chars()
        .any(|c| c == '"' || c == '\\' || c.is_control())
    {
        return path.to_string();
    }
    let mut out = String::from("\"");
    for c in path.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\{:03o}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
