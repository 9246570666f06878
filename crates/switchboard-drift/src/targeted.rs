//! A targeted comparison, shared by `drift --since` and `watch`: read the listings and only
//! the changed objects (`switchboard_fetch::fetch_changed`), then compare only them
//! (`Plans::targeted`). Attribution is left to the caller.

use switchboard_client::Client;
use switchboard_fetch::{Changed, FetchError, Progress, fetch_changed};
use switchboard_manifest::{Live, Manifest};
use switchboard_plan::{PlanError, Target};

use crate::classify::{Plans, classify};
use crate::model::{ObjectKind, Report};
use crate::recent::{ChangedEntity, ids, targets};

/// Why a comparison could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    /// The org could not be read.
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// No plan could be made (the org guard, an unknown division).
    #[error(transparent)]
    Plan(#[from] PlanError),
}

/// What a targeted comparison found.
#[derive(Debug, Clone)]
pub struct Targeted {
    /// The drift of the compared objects (not yet attributed).
    pub report: Report,
    /// What was read.
    pub live: Live,
    /// The objects compared.
    pub compared: Vec<Target>,
}

/// Reads and compares only `entities`: each under its live name and the names the changes
/// gave it.
pub async fn compare_changed(
    client: &Client,
    manifest: &Manifest,
    entities: &[ChangedEntity],
    progress: &dyn Progress,
) -> Result<Targeted, CompareError> {
    let changed = Changed {
        queues: ids(entities, ObjectKind::Queue),
        users: ids(entities, ObjectKind::Agent),
        skill_groups: ids(entities, ObjectKind::SkillGroup),
    };
    let live = fetch_changed(client, manifest, &changed, progress).await?;
    let compared = targets(entities, &live);
    let report = classify(&Plans::targeted(manifest, &live, compared.clone())?, &live);
    Ok(Targeted {
        report,
        live,
        compared,
    })
}
