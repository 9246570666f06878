//! The routing findings of a plan, for the text and Markdown renderers: how weights are
//! realised as rings (with the balance accuracy), skill-coverage shortfalls, and the
//! capacity guard's saturation before and after (or the one line saying it is off).

use std::fmt::Write as _;

use super::markdown::escape;
use super::paint::{BOLD_RED, BOLD_YELLOW, Paint};
use super::values::clean;
use crate::findings::{
    CapacityReport, CoverageFinding, QueueDistribution, QueueSaturation, Saturation, WeightedMember,
};
use crate::model::Plan;

/// The line a plan shows when no forecast was given and it changes who is in a queue: only
/// then would the guard have had something to judge.
const GUARD_OFF: &str = "Capacity guard: off (no --forecast given).";

/// Whether the plan changes a queue's members, directly or through its member groups: what
/// the capacity guard judges.
fn changes_membership(plan: &Plan) -> bool {
    plan.runnable().any(|c| {
        c.address.kind == crate::model::ResourceKind::QueueMembers
            || (c.address.kind == crate::model::ResourceKind::Queue
                && c.attributes.iter().any(|a| a.path == "memberGroups.groups"))
    })
}

/// The text blocks: weights, coverage, capacity. Each ends with a newline.
pub(crate) fn text_blocks(plan: &Plan, paint: Paint) -> Vec<String> {
    let mut blocks = Vec::new();
    if !plan.distributions.is_empty() {
        let mut block = format!(
            "{}\n",
            paint.bold("Routing weights, realised as bullseye rings:")
        );
        for queue in &plan.distributions {
            let _ = writeln!(block, "  {}", clean(&distribution_heading(queue)));
            for member in &queue.members {
                let _ = writeln!(block, "      {}", clean(&weighted_member(member)));
            }
        }
        blocks.push(block);
    }
    if !plan.coverage.is_empty() {
        let mut block = format!("{}\n", paint.paint(BOLD_YELLOW, "Skill coverage:"));
        for finding in &plan.coverage {
            let _ = writeln!(block, "  - {}", clean(&coverage_sentence(finding)));
        }
        blocks.push(block);
    }
    match &plan.capacity {
        CapacityReport::Off if changes_membership(plan) => blocks.push(format!("{GUARD_OFF}\n")),
        CapacityReport::Off => {}
        CapacityReport::On {
            max_saturation,
            forecast,
            queues,
            notes,
        } => {
            let mut block = format!(
                "{}\n",
                paint.bold(&clean(&format!(
                    "Capacity guard (forecast {forecast}, limit {}):",
                    percent(*max_saturation)
                )))
            );
            if queues.is_empty() {
                block.push_str("  no forecast queue is changed by this plan\n");
            }
            for queue in queues {
                let mut text = clean(&saturation_sentence(queue));
                if queue.over {
                    text = format!("{text}, {}", paint.paint(BOLD_RED, "over the limit"));
                }
                let _ = writeln!(block, "  {text}");
            }
            for note in notes {
                let _ = writeln!(block, "  note: {}", clean(note));
            }
            blocks.push(block);
        }
    }
    blocks
}

/// The Markdown blocks: a table of weighted queues, the coverage list, the capacity table.
pub(crate) fn markdown_blocks(plan: &Plan) -> Vec<String> {
    let mut blocks = Vec::new();
    if !plan.distributions.is_empty() {
        let mut block = String::from(
            "**Routing weights**, realised as bullseye rings\n\n| Queue | Rings | Members: weight → ring | Balance accuracy |\n| --- | ---: | --- | ---: |\n",
        );
        for queue in &plan.distributions {
            let members: Vec<String> = queue
                .members
                .iter()
                .map(|m| escape(&weighted_member_short(m)))
                .collect();
            let _ = writeln!(
                block,
                "| {} | {} | {} | {} |",
                escape(&queue.queue),
                queue.rings,
                members.join("<br>"),
                percent(queue.balance_accuracy)
            );
        }
        blocks.push(block);
    }
    if !plan.coverage.is_empty() {
        let mut block = String::from("**Skill coverage**\n");
        for finding in &plan.coverage {
            let _ = writeln!(block, "- {}", escape(&coverage_sentence(finding)));
        }
        blocks.push(block);
    }
    match &plan.capacity {
        CapacityReport::Off if changes_membership(plan) => blocks.push(format!("{GUARD_OFF}\n")),
        CapacityReport::Off => {}
        CapacityReport::On {
            max_saturation,
            forecast,
            queues,
            notes,
        } => {
            let mut block = format!(
                "**Capacity guard** (forecast {}, limit {})\n\n",
                escape(forecast),
                percent(*max_saturation)
            );
            if queues.is_empty() {
                block.push_str("No forecast queue is changed by this plan.\n");
            } else {
                block.push_str(
                    "| Queue | Media | Peak load | Agents | Saturation before | Saturation after | |\n| --- | --- | ---: | ---: | ---: | ---: | --- |\n",
                );
                for queue in queues {
                    let _ = writeln!(
                        block,
                        "| {} | {} | {} | {} | {} | {} | {} |",
                        escape(&queue.queue),
                        escape(&queue.media_type),
                        number(queue.load),
                        agents(queue),
                        queue.before.as_ref().map_or("new queue".into(), ratio),
                        ratio(&queue.after),
                        if queue.over { "**over the limit**" } else { "" }
                    );
                }
            }
            for note in notes {
                let _ = writeln!(block, "\nNote: {}", escape(note));
            }
            blocks.push(block);
        }
    }
    blocks
}

/// `queue "Billing EN" (3 rings, normalised): balance accuracy 91.4 %`.
fn distribution_heading(queue: &QueueDistribution) -> String {
    format!(
        "queue {:?} ({} rings{}): balance accuracy {}",
        queue.queue,
        queue.rings,
        if queue.normalized { ", normalised" } else { "" },
        percent(queue.balance_accuracy)
    )
}

/// `ana@acme.com: weight 0.6 (normalised 0.4) → ring 1; share 40.0 % requested, 42.9 % realised`.
fn weighted_member(member: &WeightedMember) -> String {
    format!(
        "{}; share {} requested, {} realised",
        weighted_member_short(member),
        percent(member.requested_share),
        percent(member.realised_share)
    )
}

/// `ana@acme.com: weight 0.6 (normalised 0.4) → ring 1`.
fn weighted_member_short(member: &WeightedMember) -> String {
    let normalised = member
        .normalized_weight
        .map(|w| format!(" (normalised {})", number(w)))
        .unwrap_or_default();
    format!(
        "{}: weight {}{normalised} → ring {}",
        member.user,
        number(member.weight),
        member.ring
    )
}

/// `queue "Billing EN": skill "Billing" at proficiency ≥ 3 is held by 2 → 1 members (at
/// least 2 needed); missing bo@acme.com; refused`.
fn coverage_sentence(finding: &CoverageFinding) -> String {
    let mut text = format!(
        "queue {:?}: skill {:?} at proficiency ≥ {} is held by {} → {} active, joined members (at least {} needed)",
        finding.queue,
        finding.skill,
        number(finding.min_proficiency),
        finding.before,
        finding.after,
        finding.min_agents
    );
    if !finding.missing.is_empty() {
        let _ = write!(text, "; missing {}", finding.missing.join(", "));
    }
    text.push_str(if finding.refused {
        "; refused (coverage.enforce)"
    } else {
        "; a warning (coverage.enforce is off)"
    });
    text
}

/// `queue "Billing EN" call: peak 6 concurrent, 4 → 3 agents, saturation 75.0 % → 100.0 %`.
fn saturation_sentence(queue: &QueueSaturation) -> String {
    let before = queue
        .before
        .as_ref()
        .map_or_else(|| "new queue".to_string(), ratio);
    let target = if queue.utilization_target < 1.0 {
        format!(" at {} utilization", percent(queue.utilization_target))
    } else {
        String::new()
    };
    format!(
        "queue {:?} {}: peak {} concurrent, {} agents{target}, saturation {before} → {}",
        queue.queue,
        queue.media_type,
        number(queue.load),
        agents(queue),
        ratio(&queue.after)
    )
}

/// `4 → 3`, or `3` for a new queue.
fn agents(queue: &QueueSaturation) -> String {
    match &queue.before {
        Some(before) => format!("{} → {}", before.agents, queue.after.agents),
        None => queue.after.agents.to_string(),
    }
}

/// `75.0 %`, or `no capacity` when unbounded.
fn ratio(saturation: &Saturation) -> String {
    saturation
        .saturation
        .map_or_else(|| "no capacity".to_string(), percent)
}

/// `91.4 %`.
fn percent(fraction: f64) -> String {
    format!("{:.1} %", fraction * 100.0)
}

/// A number as written: `0.35`, `6`.
fn number(value: f64) -> String {
    let text = format!("{value:.6}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_percentages_read_as_written() {
        assert_eq!(number(0.35), "0.35");
        assert_eq!(number(6.0), "6");
        assert_eq!(percent(0.914_285), "91.4 %");
    }
}
