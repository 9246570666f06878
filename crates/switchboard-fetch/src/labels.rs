//! Utilization labels, only for a manifest that declares one or prunes them: the listing
//! (⌈labels/100⌉ pages, at least one), then, under `prune.utilizationLabels`, who uses each
//! label the manifest does not declare (one `GET …/labels/{labelId}/agents` each, unpaged:
//! the plan deletes none in use).

use std::collections::BTreeMap;

use futures::{StreamExt, TryStreamExt};
use switchboard_client::{Client, api};
use switchboard_manifest::Manifest;
use switchboard_manifest::live::LiveUtilizationLabel;
use switchboard_manifest::model::Kind;
use switchboard_manifest::names::NameIndex;

use crate::{FetchError, Reading, malformed};

/// The org's utilization labels by name, as `manifest` needs them (empty when it neither
/// declares nor prunes labels).
pub(crate) async fn read_utilization_labels(
    client: &Client,
    manifest: &Manifest,
) -> Result<BTreeMap<String, LiveUtilizationLabel>, FetchError> {
    let prune = manifest.prune.unwrap_or_default().utilization_labels;
    if manifest.utilization_labels.is_empty() && !prune {
        return Ok(BTreeMap::new());
    }
    let listed = client
        .list_utilization_labels()
        .await
        .reading(|| "the utilization labels".into())?;
    let mut labels = BTreeMap::new();
    for label in listed {
        let (Some(id), Some(name)) = (label.id, label.name) else {
            return Err(malformed(
                "the utilization labels",
                api::utilization_labels::LIST,
                "a label without an id or a name",
            ));
        };
        labels.insert(name, LiveUtilizationLabel { id, agents: None });
    }
    if !prune {
        return Ok(labels);
    }
    // Declared names and former names (a rename is no delete) are not candidates.
    let declared = NameIndex::new(
        manifest.names(Kind::UtilizationLabels).into_iter().chain(
            manifest
                .utilization_labels
                .iter()
                .flat_map(|l| l.renamed_from.iter().map(String::as_str)),
        ),
    );
    let candidates: Vec<(String, String)> = labels
        .iter()
        .filter(|(name, _)| !declared.contains(name))
        .map(|(name, label)| (name.clone(), label.id.clone()))
        .collect();
    let concurrency = client.config().max_concurrency.get();
    let used: Vec<(String, usize)> = futures::stream::iter(candidates)
        .map(|(name, id)| async move {
            let agents = client
                .utilization_label_agents(&id)
                .await
                .reading(|| format!("the agents using utilization label {name:?}"))?;
            Ok::<_, FetchError>((name, agents.len()))
        })
        .buffer_unordered(concurrency)
        .try_collect()
        .await?;
    for (name, agents) in used {
        if let Some(label) = labels.get_mut(&name) {
            label.agents = Some(agents);
        }
    }
    Ok(labels)
}
