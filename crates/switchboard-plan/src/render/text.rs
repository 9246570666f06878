//! The plan for a terminal, Terraform style.

use super::paint::{BOLD_RED, BOLD_YELLOW, Paint, REFUSED};
use crate::model::{Plan, Summary};
use crate::render::values::{self, COMMENT, Line, NONE};

/// How [`text`] renders.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextStyle {
    /// ANSI colours (green `+`, yellow `~`, red `-`, bold headers). Without it the output holds
    /// no escape codes at all: user data is escaped too.
    pub color: bool,
}

/// The plan as a terminal shows it: each runnable change with its attribute and element
/// diffs, the warnings, the changes safety policy refused, and on the last line
/// `Plan: X to add, Y to change, Z to destroy.` (or `No changes. The org matches the
/// manifest.`). Deterministic; ends with a newline.
pub fn text(plan: &Plan, style: &TextStyle) -> String {
    let paint = Paint(style.color);
    // Blocks of lines, separated by an empty line.
    let mut blocks: Vec<String> = Vec::new();
    let refused: Vec<_> = plan.refused().collect();
    if plan.is_empty() && refused.is_empty() {
        blocks.extend(warnings(plan, paint));
        blocks.push(line(
            &paint.bold("No changes. The org matches the manifest."),
        ));
        return blocks.join("\n");
    }
    let org = format!("org {:?} ({})", plan.org.name, plan.org.id);
    let intro = if plan.is_empty() {
        format!("No changes will be made to {org}: safety policy refused every change of the plan.")
    } else {
        format!("switchboard will perform the following actions on {org}:")
    };
    let mut intro = line(&paint.bold(&values::clean(&intro)));
    if plan.forced {
        intro.push_str(
            "(--force: the blast-radius thresholds are lifted; protection still holds)\n",
        );
    }
    blocks.push(intro);
    for change in plan.runnable() {
        blocks.push(
            values::change_lines(change)
                .iter()
                .map(|l| line(&text_line(l, paint)))
                .collect(),
        );
    }
    blocks.extend(super::routing::text_blocks(plan, paint));
    blocks.extend(warnings(plan, paint));
    if !refused.is_empty() {
        let mut block = line(&paint.paint(BOLD_RED, "Refused by safety policy (not applied):"));
        for change in refused {
            let Some(refusal) = &change.refused else {
                continue;
            };
            let what = format!(
                "{} {} (refused: {})",
                change.address.kind.describe(&change.address.name),
                values::would(change.action),
                values::describe_reason(refusal.reason)
            );
            let what = Line {
                depth: 0,
                sign: REFUSED,
                text: values::clean(&what),
            };
            let message = Line {
                depth: 1,
                sign: NONE,
                text: values::clean(&refusal.message),
            };
            block.push_str(&line(&text_line(&what, paint)));
            block.push_str(&line(&text_line(&message, paint)));
        }
        blocks.push(block);
    }
    blocks.push(line(&paint.bold(&summary_line(plan.summary()))));
    blocks.join("\n")
}

/// `Plan: 1 to add, 2 to change, 0 to destroy.`
pub(crate) fn summary_line(summary: Summary) -> String {
    format!(
        "Plan: {} to add, {} to change, {} to destroy.",
        summary.add, summary.change, summary.destroy
    )
}

fn line(text: &str) -> String {
    format!("{text}\n")
}

/// The warnings block, if there are warnings.
fn warnings(plan: &Plan, paint: Paint) -> Option<String> {
    if plan.warnings.is_empty() {
        return None;
    }
    let mut block = line(&paint.paint(BOLD_YELLOW, "Warnings:"));
    for warning in &plan.warnings {
        let text = format!("{}: {}", warning.subject, warning.message);
        block.push_str(&line(&format!("  - {}", values::clean(&text))));
    }
    Some(block)
}

/// A line as a terminal shows it, without its newline: the sign right-aligned in three
/// columns and coloured (green `+`, yellow `~`, red `-`), `  + skill "Refunds"`,
/// `-/+ skill "Refunds"`, `      ~ description = …`; the text starts at column 4 + 4 × depth.
pub fn text_line(line: &Line, paint: Paint) -> String {
    let indent = "    ".repeat(line.depth);
    let pad = " ".repeat(3usize.saturating_sub(line.sign.chars().count()));
    if line.sign == COMMENT {
        return format!("{indent}{pad}{}", paint.bold(&format!("# {}", line.text)));
    }
    let sign = paint.sign(line.sign);
    format!("{indent}{pad}{sign} {}", line.text)
}
