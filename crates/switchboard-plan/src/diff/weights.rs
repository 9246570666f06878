//! Member weights realised as bullseye rings: the API has no per-member weight (API-FACTS
//! §5, `QueueMember`), so a weight becomes the ring the member sits in. The rule and the
//! balance-accuracy figure are `switchboard_weights`'; this module applies them to a
//! manifest queue and reports the result as a [`QueueDistribution`].

use serde_json::Value;
use switchboard_manifest::model::Queue;

use crate::findings::{QueueDistribution, WeightedMember};

/// The ring of every listed member of `queue`, in order: its `ring`, the ring realising its
/// weight, or ring 1. `live_rings` is the live queue's ring count, used when the manifest
/// does not set the bullseye.
pub(crate) fn member_rings(queue: &Queue, live_rings: Option<usize>) -> Vec<u8> {
    let Some(members) = &queue.members else {
        return Vec::new();
    };
    let rings = ring_count(queue, live_rings);
    let heaviest = members
        .users
        .iter()
        .filter_map(|m| m.weight)
        .fold(0.0_f64, f64::max);
    members
        .users
        .iter()
        .map(|member| match (member.ring, member.weight) {
            (Some(ring), _) => ring,
            (None, Some(weight)) => switchboard_weights::ring_of(weight, heaviest, rings),
            (None, None) => 1,
        })
        .collect()
}

/// The queue's distribution over `realised`: the weighted members that are active users,
/// with the ring each is realised in (the email lower-cased). `None` when none is weighted.
pub(crate) fn distribution(
    queue: &Queue,
    live_rings: Option<usize>,
    realised: &[(String, f64, u8)],
) -> Option<QueueDistribution> {
    if realised.is_empty() {
        return None;
    }
    let rings = ring_count(queue, live_rings);
    let normalized = queue.distribution.is_some_and(|d| d.normalize);
    let weights: Vec<f64> = realised.iter().map(|(_, w, _)| *w).collect();
    let assigned: Vec<u8> = realised.iter().map(|(_, _, r)| *r).collect();
    let normalised = switchboard_weights::normalise(&weights);
    let requested = switchboard_weights::requested_shares(&weights);
    let shares = switchboard_weights::realised_shares(&assigned, rings);
    let mut members: Vec<WeightedMember> = realised
        .iter()
        .enumerate()
        .map(|(i, (user, weight, ring))| WeightedMember {
            user: user.clone(),
            weight: *weight,
            normalized_weight: normalized.then(|| round(normalised[i])),
            ring: *ring,
            requested_share: round(requested[i]),
            realised_share: round(shares[i]),
        })
        .collect();
    members.sort_by(|a, b| a.user.cmp(&b.user));
    Some(QueueDistribution {
        queue: queue.name.clone(),
        rings,
        normalized,
        members,
        balance_accuracy: round(switchboard_weights::balance_accuracy(
            &weights, &assigned, rings,
        )),
        overflow: queue
            .conditional_group_routing
            .as_ref()
            .and_then(|rules| serde_json::to_value(rules).ok())
            .filter(|v| !v.is_null() && v != &Value::Object(Default::default())),
    })
}

/// R: the manifest's bullseye ring count, else the live queue's, else 1; at most 6.
fn ring_count(queue: &Queue, live_rings: Option<usize>) -> usize {
    queue
        .bullseye
        .as_ref()
        .map(|b| b.rings.len())
        .or(live_rings)
        .unwrap_or(1)
        .clamp(1, 6)
}

/// Six decimals: enough for a share, and stable in the plan's JSON.
fn round(value: f64) -> f64 {
    (value * 1e6).round() / 1e6
}
