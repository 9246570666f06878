//! The capacity guard: for each queue the plan changes and the forecast covers, the
//! projected saturation per media type before and after the plan — forecast peak load ÷
//! (Σ active members' maximum capacity × `distribution.utilizationTarget`) — and a refusal
//! of the member change that pushes a queue above `capacity.maxSaturation`, or deeper
//! above it. `--force` turns the refusal into a warning.

use std::collections::{BTreeMap, BTreeSet};

use switchboard_manifest::live::LiveCapacity;
use switchboard_manifest::model::Queue;
use switchboard_manifest::{Live, Manifest};
use switchboard_plan::{
    CapacityReport, Change, ORGANIZATION_LEVEL, Plan, QueueSaturation, Refusal, RefusalReason,
    ResourceKind, Saturation, Warning,
};

use crate::Outcome;
use crate::forecast::{Forecast, ForecastRow};
use crate::projection::{LiveState, Member, Membership, Projection};

/// Whether the guard projects this queue: the forecast covers it, and the plan changes it or
/// the capacity of one of its members.
pub(crate) fn checks(
    projection: &Projection<'_>,
    queue: &Queue,
    membership: &Membership,
    forecast: &Forecast,
) -> bool {
    forecast.covers(&queue.name) && changes(projection, queue, membership)
}

fn changes(projection: &Projection<'_>, queue: &Queue, membership: &Membership) -> bool {
    projection.changes_queue(&queue.name)
        || projection.changes_capacity_of(membership.everyone().into_iter())
}

/// The capacity report, and what the guard refuses or warns about.
pub(crate) fn evaluate(
    projection: &Projection<'_>,
    manifest: &Manifest,
    live: &Live,
    forecast: &Forecast,
    force: bool,
) -> (CapacityReport, Outcome) {
    let max_saturation = manifest.capacity.unwrap_or_default().max_saturation();
    let mut notes = BTreeSet::new();
    let mut queues = Vec::new();
    let mut outcome = Outcome::default();
    let mut memberships: BTreeMap<&str, Membership> = BTreeMap::new();
    for row in &forecast.rows {
        let Some(queue) = manifest.queues.iter().find(|q| q.name == row.queue) else {
            notes.insert(note(row, "no such queue in the manifest"));
            continue;
        };
        let membership = memberships
            .entry(queue.name.as_str())
            .or_insert_with(|| projection.membership(queue));
        if !changes(projection, queue, membership) {
            notes.insert(note(
                row,
                "the plan changes neither this queue nor its members' capacity",
            ));
            continue;
        }
        if membership.state == LiveState::Unread {
            notes.insert(note(row, "the queue's members were not read"));
            continue;
        }
        outcome
            .warnings
            .extend(membership.uncounted_warnings(&queue.name));
        let line = project(projection, live, queue, membership, row, max_saturation);
        if line.over {
            judge(
                projection,
                live.capacity.as_ref(),
                membership,
                &line,
                max_saturation,
                force,
                &mut outcome,
            );
        }
        queues.push(line);
    }
    if live.capacity.is_none() && !queues.is_empty() {
        notes.insert("agents' capacity was not read: every member counts as 0".to_string());
    }
    queues.sort_by(|a, b| (&a.queue, &a.media_type).cmp(&(&b.queue, &b.media_type)));
    let report = CapacityReport::On {
        max_saturation,
        forecast: forecast.source.clone(),
        queues,
        notes: notes.into_iter().collect(),
    };
    (report, outcome)
}

fn note(row: &ForecastRow, why: &str) -> String {
    format!(
        "forecast row for queue {:?} ({}): {why}",
        row.queue, row.media_type
    )
}

/// One queue and media type, before and after.
fn project(
    projection: &Projection<'_>,
    live: &Live,
    queue: &Queue,
    membership: &Membership,
    row: &ForecastRow,
    max_saturation: f64,
) -> QueueSaturation {
    let target = queue
        .distribution
        .and_then(|d| d.utilization_target)
        .unwrap_or(1.0);
    let at = |members: &BTreeMap<String, Member>, planned: &Planned<'_>| {
        saturation(
            projection,
            live.capacity.as_ref(),
            members,
            row,
            target,
            planned,
        )
    };
    let before = (membership.state != LiveState::Absent)
        .then(|| at(&membership.before, &Planned::default()));
    let after = at(&membership.after, &planned_capacities(projection.plan()));
    let over =
        after.ratio() > max_saturation && before.as_ref().is_none_or(|b| after.ratio() > b.ratio());
    QueueSaturation {
        queue: queue.name.clone(),
        media_type: row.media_type.clone(),
        load: row.peak_concurrent,
        utilization_target: target,
        before,
        after,
        over,
    }
}

/// The plan's runnable changes of agents' capacity, by user id.
type Planned<'a> = BTreeMap<&'a str, &'a Change>;

fn planned_capacities(plan: &Plan) -> Planned<'_> {
    plan.runnable()
        .filter(|c| c.address.kind == ResourceKind::AgentCapacity)
        .filter_map(|c| Some((c.id.as_deref()?, c)))
        .collect()
}

/// Saturation of one set of members: only active users count, each with the capacity the
/// API applies to them (their own, else the org's default, else none), as `planned`
/// changes it.
fn saturation(
    projection: &Projection<'_>,
    capacity: Option<&LiveCapacity>,
    members: &BTreeMap<String, Member>,
    row: &ForecastRow,
    target: f64,
    planned: &Planned<'_>,
) -> Saturation {
    let active: Vec<&String> = members
        .keys()
        .filter(|id| projection.is_active(id))
        .collect();
    let total: u64 = active
        .iter()
        .map(|id| {
            u64::from(match planned.get(id.as_str()) {
                Some(change) => capacity_after(change, capacity, id, &row.media_type),
                None => capacity_of(capacity, id, &row.media_type),
            })
        })
        .sum();
    // Whole agents' capacities: far below 2^53, so the conversion is exact.
    let denominator = total as f64 * target;
    let ratio = if denominator > 0.0 {
        Some(row.peak_concurrent / denominator)
    } else if row.peak_concurrent > 0.0 {
        None
    } else {
        Some(0.0)
    };
    Saturation {
        agents: active.len(),
        capacity: total,
        saturation: ratio,
    }
}

/// An agent's capacity once the plan's `change` of it is applied: the maximum it sets for
/// the media type, the org default when it returns the agent to it, else as read.
fn capacity_after(
    change: &Change,
    capacity: Option<&LiveCapacity>,
    user: &str,
    media_type: &str,
) -> u32 {
    let after = |path: &str| {
        change
            .attributes
            .iter()
            .find(|a| a.path == path)
            .and_then(|a| a.after.as_ref())
    };
    if after("level").and_then(serde_json::Value::as_str) == Some(ORGANIZATION_LEVEL) {
        return capacity
            .and_then(|c| c.org.get(media_type))
            .copied()
            .unwrap_or(0);
    }
    after(&format!("{media_type}.maximumCapacity"))
        .and_then(serde_json::Value::as_u64)
        .and_then(|max| u32::try_from(max).ok())
        .unwrap_or_else(|| capacity_of(capacity, user, media_type))
}

fn capacity_of(capacity: Option<&LiveCapacity>, user: &str, media_type: &str) -> u32 {
    let Some(capacity) = capacity else { return 0 };
    capacity
        .agents
        .get(user)
        .and_then(|media| media.get(media_type))
        .or_else(|| capacity.org.get(media_type))
        .copied()
        .unwrap_or(0)
}

/// Refuses the queue's member change (or the member group change members leave through),
/// or warns when forced or when there is none to refuse.
fn judge(
    projection: &Projection<'_>,
    capacity: Option<&LiveCapacity>,
    membership: &Membership,
    line: &QueueSaturation,
    max_saturation: f64,
    force: bool,
    outcome: &mut Outcome,
) {
    let facts = facts(line, max_saturation);
    let subject = format!("queue {:?}", line.queue);
    if force {
        outcome.warnings.push(Warning::new(
            subject,
            format!("{facts}; allowed by --force"),
        ));
        return;
    }
    let lost: BTreeSet<&String> = membership
        .before
        .keys()
        .filter(|id| !membership.after.contains_key(*id))
        .collect();
    let mut refusable = membership.refusable(projection, &lost);
    refusable.extend(lowered(
        projection.plan(),
        capacity,
        membership,
        &line.media_type,
    ));
    for index in &refusable {
        outcome.refusals.push((
            *index,
            Refusal {
                reason: RefusalReason::Capacity,
                message: format!(
                    "{facts}; re-run with --force to allow it, or add members or lower the forecast"
                ),
            },
        ));
    }
    if refusable.is_empty() {
        outcome.warnings.push(Warning::new(
            subject,
            format!(
                "{facts}; the plan changes no members or capacity to refuse: add members or lower the forecast"
            ),
        ));
    }
}

/// The indexes of the plan's runnable changes that lower the `media_type` capacity of an
/// agent who is a member after the plan: they push the queue towards saturation as much as a
/// removal does, so they are refused with it.
fn lowered(
    plan: &Plan,
    capacity: Option<&LiveCapacity>,
    membership: &Membership,
    media_type: &str,
) -> Vec<usize> {
    plan.changes
        .iter()
        .enumerate()
        .filter(|(_, c)| c.refused.is_none() && c.address.kind == ResourceKind::AgentCapacity)
        .filter_map(|(index, change)| {
            let user = change.id.as_deref()?;
            let member = membership.after.contains_key(user);
            let lower = capacity_after(change, capacity, user, media_type)
                < capacity_of(capacity, user, media_type);
            (member && lower).then_some(index)
        })
        .collect()
}

/// `call saturation of queue "Billing EN" would go from 80 % to 120 %, over the 95 % limit`.
fn facts(line: &QueueSaturation, max_saturation: f64) -> String {
    let after = level(&line.after);
    let limit = percent(max_saturation);
    match &line.before {
        Some(before) => format!(
            "{} saturation of queue {:?} would go from {} to {after}, over the {limit} limit",
            line.media_type,
            line.queue,
            level(before)
        ),
        None => format!(
            "{} saturation of new queue {:?} would be {after}, over the {limit} limit",
            line.media_type, line.queue
        ),
    }
}

fn level(saturation: &Saturation) -> String {
    saturation
        .saturation
        .map_or_else(|| "unbounded (no capacity)".to_string(), percent)
}

/// `0.95` → `95 %`, `1.2346` → `123.5 %`.
pub(crate) fn percent(ratio: f64) -> String {
    let text = format!("{:.1}", ratio * 100.0);
    format!("{} %", text.strip_suffix(".0").unwrap_or(&text))
}

#[cfg(test)]
mod tests {
    use super::percent;

    #[test]
    fn percentages_drop_a_trailing_zero() {
        for (ratio, text) in [
            (0.95, "95 %"),
            (1.2346, "123.5 %"),
            (0.0, "0 %"),
            (2.0 / 3.0, "66.7 %"),
        ] {
            assert_eq!(percent(ratio), text, "{ratio}");
        }
    }
}
