//! Member routing weights, realised as bullseye rings.
//!
//! Genesys Cloud has no per-member weight or score (API-FACTS §2 and §5: a `QueueMember`
//! has `ringNumber` and `joined`, nothing else). Operators still think in weights, so a
//! manifest may give each member a weight in [0, 1]; switchboard turns the weights into the
//! real primitive, the ring a member sits in, and says how faithfully it could.
//!
//! **The rule.** With R the queue's ring count (2 to 6) and w_max the largest weight of the
//! queue, a member of weight w sits in ring
//!
//! ```text
//! ring(w) = clamp(1 + floor((1 − w / w_max) × R), 1, R)
//! ```
//!
//! so the ring's *tier* holds the weights whose share of the largest lies in
//! ((R − r) / R, (R − r + 1) / R]. The heaviest members are in ring 1, a higher weight is
//! never in an outer ring, and only the ratios between weights matter: normalising them
//! moves nobody, and neither does the order members are listed in.
//!
//! **Balance accuracy.** A ring r carries the tier value v(r) = (R − r + 1) / R, the top of
//! its tier. The requested share of member i is p_i = w_i / Σw, the realised share is
//! q_i = v(r_i) / Σv, and
//!
//! ```text
//! balance accuracy = 1 − ½ Σ |p_i − q_i|
//! ```
//!
//! (one minus the total variation distance of the two distributions). It is 1 (100 %) when
//! every weight's share of the largest is exactly its ring's tier value, and falls towards 0
//! as the rings flatten the requested differences.
//!
//! **Worked example**, R = 3, weights 0.5, 0.3, 0.2: shares of the largest 1, 0.6, 0.4;
//! (1 − share) × 3 = 0, 1.2, 1.8; rings 1, 2, 2. Tier values 1, ⅔, ⅔, so the realised
//! shares are 3/7, 2/7, 2/7 (0.429, 0.286, 0.286) against the requested 0.5, 0.3, 0.2:
//! ½ (0.071 + 0.014 + 0.086) = 0.086, a balance accuracy of 91.4 %.

/// Weights that add up to at most 1 + this still count as adding up to at most 1, so that
/// 0.1 + 0.2 + 0.7 is 1.
pub const SUM_TOLERANCE: f64 = 1e-9;

/// Guards the ring boundaries against binary rounding: 1 − 0.3 / 0.45 should be exactly ⅓.
const BOUNDARY_EPSILON: f64 = 1e-9;

/// The weights rescaled proportionally to add up to 1 (`distribution.normalize`). Weights
/// that add up to 0 are returned as they are: there is nothing to scale.
pub fn normalise(weights: &[f64]) -> Vec<f64> {
    let total: f64 = weights.iter().map(|w| clean(*w)).sum();
    if total <= 0.0 {
        return weights.iter().map(|w| clean(*w)).collect();
    }
    weights.iter().map(|w| clean(*w) / total).collect()
}

/// The ring (1 to `rings`) that realises `weight` on a queue whose largest weight is
/// `heaviest`. `rings` is clamped to 1..6, the API's range. A queue whose weights are all 0
/// puts everyone in ring 1: nobody is heavier than anyone else.
pub fn ring_of(weight: f64, heaviest: f64, rings: usize) -> u8 {
    let rings = rings.clamp(1, 6);
    let heaviest = clean(heaviest);
    let share = if heaviest > 0.0 {
        (clean(weight) / heaviest).clamp(0.0, 1.0)
    } else {
        1.0
    };
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let outward = ((1.0 - share) * rings as f64 + BOUNDARY_EPSILON).floor() as usize;
    // `rings` ≤ 6, so the ring always fits.
    u8::try_from((1 + outward).clamp(1, rings)).unwrap_or(6)
}

/// The ring of each weight, in the same order.
pub fn rings_of(weights: &[f64], rings: usize) -> Vec<u8> {
    let heaviest = weights.iter().map(|w| clean(*w)).fold(0.0, f64::max);
    weights
        .iter()
        .map(|w| ring_of(*w, heaviest, rings))
        .collect()
}

/// The tier value of `ring` on a queue of `rings` rings: (R − r + 1) / R.
pub fn tier_value(ring: u8, rings: usize) -> f64 {
    let rings = rings.clamp(1, 6);
    let ring = usize::from(ring).clamp(1, rings);
    #[allow(clippy::cast_precision_loss)]
    let value = (rings - ring + 1) as f64 / rings as f64;
    value
}

/// Each member's requested share (weight ÷ Σ weights; equal shares when every weight is 0).
pub fn requested_shares(weights: &[f64]) -> Vec<f64> {
    shares(weights.iter().map(|w| clean(*w)))
}

/// Each member's realised share (its ring's tier value ÷ Σ tier values).
pub fn realised_shares(members_rings: &[u8], rings: usize) -> Vec<f64> {
    shares(members_rings.iter().map(|r| tier_value(*r, rings)))
}

/// 1 − ½ Σ |requested share − realised share|, in [0, 1]. 1 for no members.
pub fn balance_accuracy(weights: &[f64], members_rings: &[u8], rings: usize) -> f64 {
    let requested = requested_shares(weights);
    let realised = realised_shares(members_rings, rings);
    let distance: f64 = requested
        .iter()
        .zip(&realised)
        .map(|(p, q)| (p - q).abs())
        .sum::<f64>()
        / 2.0;
    (1.0 - distance).clamp(0.0, 1.0)
}

/// A weight the rule can use: out-of-range and non-finite values (which validation has
/// already reported) are held to [0, 1].
fn clean(weight: f64) -> f64 {
    if weight.is_finite() {
        weight.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

fn shares(values: impl Iterator<Item = f64> + Clone) -> Vec<f64> {
    let total: f64 = values.clone().sum();
    let count = values.clone().count();
    if total <= 0.0 {
        #[allow(clippy::cast_precision_loss)]
        let equal = 1.0 / count.max(1) as f64;
        return values.map(|_| equal).collect();
    }
    values.map(|v| v / total).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn the_worked_example_of_the_module_documentation_holds() {
        let weights = [0.5, 0.3, 0.2];
        let rings = rings_of(&weights, 3);
        assert_eq!(rings, vec![1, 2, 2]);
        let realised = realised_shares(&rings, 3);
        assert!(close(realised[0], 3.0 / 7.0) && close(realised[1], 2.0 / 7.0));
        let accuracy = balance_accuracy(&weights, &rings, 3);
        assert!(close(
            accuracy,
            1.0 - (1.0 / 14.0 + 1.0 / 70.0 + 3.0 / 35.0) / 2.0
        ));
        assert_eq!(format!("{:.1}", accuracy * 100.0), "91.4");
    }

    #[test]
    fn the_ring_table() {
        // (weight, heaviest, rings, expected ring)
        let table: &[(f64, f64, usize, u8)] = &[
            (1.0, 1.0, 2, 1),
            (0.5, 1.0, 2, 2),
            (0.51, 1.0, 2, 1),
            (0.0, 1.0, 2, 2),
            (0.3, 0.45, 3, 2),  // share ⅔ is the top of ring 2's tier, not ring 1
            (0.15, 0.45, 3, 3), // share ⅓ is the top of ring 3's tier
            (0.2, 0.45, 3, 2),
            (0.25, 0.25, 6, 1),
            (0.0, 0.25, 6, 6),
            (0.0, 0.0, 4, 1), // all weights 0: nobody is heavier, everyone in ring 1
            (2.0, 1.0, 3, 1), // out of range: held to 1
            (f64::NAN, 1.0, 3, 3),
            (0.5, 1.0, 9, 4), // ring counts beyond 6 are held to 6
        ];
        for &(weight, heaviest, rings, expected) in table {
            assert_eq!(
                ring_of(weight, heaviest, rings),
                expected,
                "weight {weight}, heaviest {heaviest}, {rings} rings"
            );
        }
    }

    #[test]
    fn exact_tiers_are_100_percent_and_flattened_weights_are_less() {
        let exact = [0.4, 0.3, 0.2, 0.1];
        let rings = rings_of(&exact, 4);
        assert_eq!(rings, vec![1, 2, 3, 4]);
        assert!(close(balance_accuracy(&exact, &rings, 4), 1.0));
        let flattened = [0.6, 0.4];
        let rings = rings_of(&flattened, 2);
        assert_eq!(rings, vec![1, 1]);
        assert!(close(balance_accuracy(&flattened, &rings, 2), 0.9));
        assert!(close(balance_accuracy(&[], &[], 3), 1.0));
    }

    #[test]
    fn normalising_rescales_to_one_and_keeps_zero_sums() {
        let normalised = normalise(&[0.6, 0.6, 0.3]);
        assert!(close(normalised.iter().sum::<f64>(), 1.0));
        assert!(close(normalised[0], 0.4) && close(normalised[2], 0.2));
        assert_eq!(normalise(&[0.0, 0.0]), vec![0.0, 0.0]);
    }
}
