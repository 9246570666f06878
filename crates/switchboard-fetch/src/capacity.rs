//! Agents' capacity (routing utilization) for the agents whose capacity the manifest manages.
//!
//! Cost: one `GET /api/v2/routing/users/{userId}/utilization` per such agent that is active
//! (the API has no bulk read of agents' utilization, API-FACTS §8), concurrently within the
//! client's bound. Nothing is read for an agent without `capacity`, or with `mode: ignore`,
//! nor for an inactive or unknown user (the plan skips those). The org's utilization: one
//! read, only for a manifest that manages it.

use std::collections::{BTreeMap, BTreeSet};

use futures::{StreamExt, TryStreamExt};
use switchboard_client::Client;
use switchboard_client::api::utilization;
use switchboard_manifest::Manifest;
use switchboard_manifest::live::{LiveUser, LiveUtilization};
use switchboard_manifest::model::CapacityMode;

use crate::{FetchError, Reading};

/// Reads into `users` (by lower-case email) the utilization of each active one among
/// `emails`.
pub(crate) async fn read_capacities(
    client: &Client,
    users: &mut BTreeMap<String, LiveUser>,
    emails: &BTreeSet<String>,
) -> Result<(), FetchError> {
    let wanted: Vec<(String, String)> = emails
        .iter()
        .filter_map(|email| {
            let user = users.get(email).filter(|u| u.state == "active")?;
            Some((email.clone(), user.id.clone()))
        })
        .collect();
    let concurrency = client.config().max_concurrency.get();
    let read: Vec<(String, LiveUtilization)> = futures::stream::iter(wanted)
        .map(|(email, id)| async move {
            let found = read_utilization(client, &id)
                .await
                .reading(|| format!("the capacity (utilization) of agent {email}"))?;
            Ok::<_, FetchError>((email, found))
        })
        .buffer_unordered(concurrency)
        .try_collect()
        .await?;
    for (email, found) in read {
        if let Some(user) = users.get_mut(&email) {
            user.utilization = Some(found);
        }
    }
    Ok(())
}

/// One agent's utilization as the API returns it, decoded straight into the live model
/// (`AgentMaxUtilizationResponse`, whose fields it mirrors).
pub async fn read_utilization(
    client: &Client,
    user_id: &str,
) -> Result<LiveUtilization, switchboard_client::Error> {
    client.execute(utilization::get_user(user_id)).await
}

/// The org's utilization when `manifest` manages it (`utilization`, not `ignore`): one
/// `GET /api/v2/routing/utilization`; else nothing is read.
pub(crate) async fn read_org_utilization(
    client: &Client,
    manifest: &Manifest,
) -> Result<Option<LiveUtilization>, FetchError> {
    let managed = manifest
        .utilization
        .as_ref()
        .is_some_and(|u| u.mode != CapacityMode::Ignore);
    if !managed {
        return Ok(None);
    }
    let read = client
        .execute(utilization::get_org())
        .await
        .reading(|| "the org's utilization".into())?;
    Ok(Some(read))
}
