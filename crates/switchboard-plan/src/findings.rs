//! What a plan reports about routing capacity beside its changes: how member weights are
//! realised as rings ([`QueueDistribution`]), the capacity guard's projection
//! ([`CapacityReport`]) and skill-coverage shortfalls ([`CoverageFinding`]). The diff fills
//! in the distributions; `switchboard-guard` fills in capacity and coverage, which need
//! live data beyond the snapshot and a forecast.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One weighted queue whose members the plan changes: each weighted member's requested
/// weight, its share, and the ring that realises it. See `docs/weights.md`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueDistribution {
    /// The queue's name.
    pub queue: String,
    /// R, the queue's bullseye ring count.
    pub rings: usize,
    /// Whether `distribution.normalize` rescaled the weights to sum to 1.
    pub normalized: bool,
    /// The weighted members, by email.
    pub members: Vec<WeightedMember>,
    /// 1 − ½ Σ |requested share − realised share| over the weighted members: 1 when the
    /// rings carry exactly the requested shares.
    pub balance_accuracy: f64,
    /// The queue's overflow rules (`conditionalGroupRouting`) as the manifest sets them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overflow: Option<Value>,
}

/// One weighted member of a [`QueueDistribution`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeightedMember {
    /// The member's email (lower case).
    pub user: String,
    /// The weight as written.
    pub weight: f64,
    /// The weight after `normalize: true`, when the queue normalises.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub normalized_weight: Option<f64>,
    /// The ring that realises it (1 is the innermost).
    pub ring: u8,
    /// Its share of the queue's weight: weight ÷ the sum of weights.
    pub requested_share: f64,
    /// The share its ring implies: the ring's tier value ÷ the sum of tier values.
    pub realised_share: f64,
}

/// The capacity guard's projection, or the fact that it did not run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum CapacityReport {
    /// No `--forecast` was given: nothing was projected.
    #[default]
    Off,
    /// The projection for every forecast queue the plan changes.
    On {
        /// The limit (`capacity.maxSaturation`).
        max_saturation: f64,
        /// The forecast file, as given.
        forecast: String,
        /// One line per queue and media type the plan changes and the forecast covers.
        queues: Vec<QueueSaturation>,
        /// Forecast rows that were not used, and why.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        notes: Vec<String>,
    },
}

impl CapacityReport {
    /// Whether the guard ran.
    pub fn is_on(&self) -> bool {
        matches!(self, CapacityReport::On { .. })
    }
}

/// A queue's projected saturation for one media type, before and after the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueSaturation {
    /// The queue's name.
    pub queue: String,
    /// `call`, `callback`, `chat`, `email` or `message`.
    pub media_type: String,
    /// Forecast concurrent interactions at peak.
    pub load: f64,
    /// `distribution.utilizationTarget` (1 when absent).
    pub utilization_target: f64,
    /// Before the plan; absent when the plan creates the queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Saturation>,
    /// After the plan.
    pub after: Saturation,
    /// Whether the plan pushes the queue above the limit (and so is refused unless forced).
    pub over: bool,
}

/// Saturation at one point: load ÷ (Σ capacity × utilization target).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Saturation {
    /// Members who are active users.
    pub agents: usize,
    /// The sum of their maximum capacity for the media type.
    pub capacity: u64,
    /// The ratio; absent when there is load and no capacity at all (unbounded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saturation: Option<f64>,
}

impl Saturation {
    /// The ratio, with no capacity counting as infinitely saturated.
    pub fn ratio(&self) -> f64 {
        self.saturation.unwrap_or(f64::INFINITY)
    }
}

/// A required skill that the plan leaves short on a queue (`coverage`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoverageFinding {
    /// The queue's name.
    pub queue: String,
    /// The required skill.
    pub skill: String,
    /// `coverage.minProficiency`.
    pub min_proficiency: f64,
    /// `coverage.minAgents`.
    pub min_agents: u32,
    /// Active, joined members holding the skill at the proficiency before the plan.
    pub before: usize,
    /// ... and after it.
    pub after: usize,
    /// Members who count before and not after (by email, or name or id when unknown).
    pub missing: Vec<String>,
    /// Whether the change is refused (`coverage.enforce` and the plan makes it worse);
    /// otherwise it is a warning.
    pub refused: bool,
}
