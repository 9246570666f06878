//! Properties of the weight → ring rule that must hold for every queue, not just the
//! examples: monotonic, ratio-preserving normalisation, order-independent.

use proptest::prelude::*;
use switchboard_weights::{balance_accuracy, normalise, ring_of, rings_of};

fn weights() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(0.0..=1.0_f64, 1..40)
}

proptest! {
    #[test]
    fn a_higher_weight_is_never_in_an_outer_ring(
        a in 0.0..=1.0_f64,
        b in 0.0..=1.0_f64,
        heaviest in 0.0..=1.0_f64,
        rings in 2usize..=6,
    ) {
        let heaviest = heaviest.max(a).max(b);
        let (low, high) = if a <= b { (a, b) } else { (b, a) };
        let (ring_low, ring_high) = (ring_of(low, heaviest, rings), ring_of(high, heaviest, rings));
        prop_assert!(ring_high <= ring_low, "{high} in ring {ring_high}, {low} in ring {ring_low}");
        prop_assert!((1..=rings).contains(&usize::from(ring_high)));
        prop_assert!((1..=rings).contains(&usize::from(ring_low)));
    }

    #[test]
    fn the_heaviest_member_is_always_in_ring_1(weights in weights(), rings in 2usize..=6) {
        let assigned = rings_of(&weights, rings);
        let heaviest = weights.iter().copied().fold(0.0, f64::max);
        for (weight, ring) in weights.iter().zip(&assigned) {
            if *weight == heaviest {
                prop_assert_eq!(*ring, 1);
            }
        }
    }

    #[test]
    fn normalisation_preserves_the_ratios_between_weights(weights in weights()) {
        let normalised = normalise(&weights);
        let total: f64 = weights.iter().sum();
        prop_assume!(total > 1e-6);
        prop_assert!((normalised.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        for i in 0..weights.len() {
            for j in 0..weights.len() {
                // w_i / w_j = n_i / n_j, cross-multiplied so zero weights are fine.
                let lhs = weights[i] * normalised[j];
                let rhs = weights[j] * normalised[i];
                prop_assert!((lhs - rhs).abs() < 1e-9, "{} : {} became {} : {}", weights[i], weights[j], normalised[i], normalised[j]);
            }
        }
    }

    #[test]
    fn normalising_moves_nobody_and_keeps_the_accuracy(weights in weights(), rings in 2usize..=6) {
        prop_assume!(weights.iter().sum::<f64>() > 1e-6);
        let normalised = normalise(&weights);
        let before = rings_of(&weights, rings);
        let after = rings_of(&normalised, rings);
        prop_assert_eq!(&before, &after);
        let accuracy = (balance_accuracy(&weights, &before, rings), balance_accuracy(&normalised, &after, rings));
        prop_assert!((accuracy.0 - accuracy.1).abs() < 1e-9);
    }

    #[test]
    fn the_mapping_does_not_depend_on_the_order_of_members(
        weights in weights(),
        rings in 2usize..=6,
        seed in any::<u64>(),
    ) {
        let mut order: Vec<usize> = (0..weights.len()).collect();
        // A deterministic shuffle from the seed (Fisher–Yates with an LCG).
        let mut state = seed;
        for i in (1..order.len()).rev() {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let j = usize::try_from(state >> 33).unwrap_or(0) % (i + 1);
            order.swap(i, j);
        }
        let shuffled: Vec<f64> = order.iter().map(|&i| weights[i]).collect();
        let rings_in_order = rings_of(&weights, rings);
        let rings_shuffled = rings_of(&shuffled, rings);
        for (position, &original) in order.iter().enumerate() {
            prop_assert_eq!(rings_shuffled[position], rings_in_order[original]);
        }
        let accuracy = (balance_accuracy(&weights, &rings_in_order, rings), balance_accuracy(&shuffled, &rings_shuffled, rings));
        prop_assert!((accuracy.0 - accuracy.1).abs() < 1e-9);
    }

    #[test]
    fn balance_accuracy_is_a_fraction(weights in weights(), rings in 2usize..=6) {
        let assigned = rings_of(&weights, rings);
        let accuracy = balance_accuracy(&weights, &assigned, rings);
        prop_assert!((0.0..=1.0).contains(&accuracy));
    }
}
