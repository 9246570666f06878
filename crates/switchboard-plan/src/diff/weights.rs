//! Member weights realised as bullseye rings: the API has no per-member weight (API-FACTS
//! §5, `QueueMember`), so a weight becomes the ring the member sits in.
//!
//! The rule, with R the queue's ring count and w_max the largest weight on the queue: a
//! member of weight w sits in ring `1 + floor((1 − w / w_max) × R)`, clamped to 1..R. The
//! heaviest members are in ring 1, and a higher weight is never in an outer ring. Only the
//! ratios matter, so normalising the weights does not move anyone. Example, R = 3: weights
//! 0.5, 0.3 and 0.2 have shares 1, 0.6 and 0.4 of the largest, and sit in rings 1, 2 and 2.

use switchboard_manifest::model::Queue;

/// The ring of every listed member of `queue`, in order: its `ring`, its realised weight,
/// or ring 1. `live_rings` is the live queue's ring count, used when the manifest does not
/// set the bullseye.
pub(crate) fn member_rings(queue: &Queue, live_rings: Option<usize>) -> Vec<u8> {
    let Some(members) = &queue.members else {
        return Vec::new();
    };
    let rings = queue
        .bullseye
        .as_ref()
        .map(|b| b.rings.len())
        .or(live_rings)
        .unwrap_or(1)
        .clamp(1, 6);
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
            (None, Some(weight)) => realised_ring(weight, heaviest, rings),
            (None, None) => 1,
        })
        .collect()
}

fn realised_ring(weight: f64, heaviest: f64, rings: usize) -> u8 {
    if heaviest <= 0.0 || !weight.is_finite() {
        return u8::try_from(rings).unwrap_or(6);
    }
    let share = (weight / heaviest).clamp(0.0, 1.0);
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let outward = ((1.0 - share) * rings as f64).floor() as usize;
    u8::try_from((1 + outward).clamp(1, rings)).unwrap_or(6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worked_example_holds_and_heavier_is_never_outer() {
        assert_eq!(realised_ring(0.5, 0.5, 3), 1);
        assert_eq!(realised_ring(0.3, 0.5, 3), 2);
        assert_eq!(realised_ring(0.2, 0.5, 3), 2);
        assert_eq!(realised_ring(0.0, 0.5, 3), 3);
        for rings in 2..=6 {
            let mut last = 1;
            for step in (0..=100).rev() {
                let ring = realised_ring(f64::from(step) / 100.0, 1.0, rings);
                assert!(ring >= last && usize::from(ring) <= rings);
                last = ring;
            }
        }
    }
}
