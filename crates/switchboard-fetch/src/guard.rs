//! What the capacity guard and the skill-coverage check read beyond the snapshot, and only
//! when they run: the queue members' users with their skills and state (the snapshot holds
//! only the users the manifest names, and their skills only when it manages agents), and
//! the agents' maximum capacity per media type.
//!
//! Cost: one cursor listing (⌈members/100⌉ pages) per skill group whose members the guards
//! need (a skill group a plan adds to or removes from a checked queue;
//! `GET /api/v2/routing/skillgroups/{skillGroupId}/members`, API-FACTS-LOOKUPS L2.1), then
//! ⌈users/100⌉ requests for the users (`GET /api/v2/users?id=…&expand=skills`,
//! 100 ids per request, API-FACTS §2), then, for capacity, one request for the org default
//! (`GET /api/v2/routing/utilization`) and one per active member
//! (`GET /api/v2/routing/users/{userId}/utilization`): the API has no bulk read of agents'
//! utilization (API-FACTS §8).

use std::collections::{BTreeMap, BTreeSet};

use futures::{StreamExt, TryStreamExt};
use switchboard_client::Client;
use switchboard_client::api::users::UserFilter;
use switchboard_client::models::Utilization;
use switchboard_manifest::live::{LiveCapacity, LiveUser};

use crate::users::assignments;
use crate::{FetchError, Live, Reading};

/// Reads into `live.member_users` the users with ids `users` (any state, with their
/// skills), then, when `capacity` is not empty, into `live.capacity` the org's default
/// capacity and that of each active user among `capacity`.
pub async fn fetch_guard_inputs(
    client: &Client,
    live: &mut Live,
    users: &BTreeSet<String>,
    capacity: &BTreeSet<String>,
) -> Result<(), FetchError> {
    if !users.is_empty() {
        let filter = UserFilter {
            state: Some("any".into()),
            expand: vec!["skills".into()],
            ids: users.iter().cloned().collect(),
        };
        let found = client
            .list_users(&filter)
            .await
            .reading(|| "the queue members' users".into())?;
        for user in found {
            let Some(id) = user.id.clone() else { continue };
            let label = user.email.clone().unwrap_or_else(|| id.clone());
            let (skills, _) = assignments(client, &id, &user, &label, false).await?;
            live.member_users.insert(
                id.clone(),
                LiveUser {
                    id,
                    name: user.name.clone(),
                    state: user.state.clone().unwrap_or_default(),
                    skills,
                    languages: BTreeMap::new(),
                    utilization: None,
                },
            );
        }
    }
    if capacity.is_empty() {
        return Ok(());
    }
    let org = client
        .org_utilization()
        .await
        .reading(|| "the org's utilization".into())?;
    let states: BTreeMap<&str, &str> = live
        .users
        .values()
        .chain(live.member_users.values())
        .map(|u| (u.id.as_str(), u.state.as_str()))
        .collect();
    let active: Vec<&String> = capacity
        .iter()
        .filter(|id| states.get(id.as_str()) == Some(&"active"))
        .collect();
    let concurrency = client.config().max_concurrency.get();
    let agents: BTreeMap<String, BTreeMap<String, u32>> = futures::stream::iter(active)
        .map(|id| async move {
            let utilization = client
                .user_utilization(id)
                .await
                .reading(|| format!("the utilization of user {id}"))?;
            Ok::<_, FetchError>((id.clone(), capacities(&utilization)))
        })
        .buffer_unordered(concurrency)
        .try_collect()
        .await?;
    live.capacity = Some(LiveCapacity {
        org: capacities(&org),
        agents,
    });
    Ok(())
}

/// Reads into `live.skill_group_members` the members of the skill groups `ids`, one listing
/// each, concurrently within the client's bound. A member without an id, or a listing that
/// cannot be trusted, is an error (the client's `list_cursor`).
pub async fn fetch_skill_group_members(
    client: &Client,
    live: &mut Live,
    ids: &BTreeSet<String>,
) -> Result<(), FetchError> {
    let concurrency = client.config().max_concurrency.get();
    let read: Vec<(String, BTreeSet<String>)> = futures::stream::iter(ids)
        .map(|id| async move {
            let members = client
                .list_skill_group_members(id)
                .await
                .reading(|| format!("the members of skill group {id}"))?;
            let users = members.into_iter().filter_map(|m| m.id).collect();
            Ok::<_, FetchError>((id.clone(), users))
        })
        .buffer_unordered(concurrency)
        .try_collect()
        .await?;
    live.skill_group_members.extend(read);
    Ok(())
}

/// Maximum capacity per media type (negative or absent values left out).
fn capacities(utilization: &Utilization) -> BTreeMap<String, u32> {
    utilization
        .utilization
        .iter()
        .flatten()
        .filter_map(|(media, settings)| {
            let capacity = u32::try_from(settings.maximum_capacity?).ok()?;
            Some((media.clone(), capacity))
        })
        .collect()
}
