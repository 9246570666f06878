//! A targeted read, for `drift --since` and `watch`: the org-wide listings as always, then
//! members, wrap-up codes and users only for the objects known to have changed.
//!
//! The listings (the organization, divisions, skills, languages, wrap-up codes and queues)
//! are read whole because they are what names every reference: a queue's skills, codes and
//! division are ids in the API and names in the manifest, an object renamed or deleted out
//! of band is only recognised by comparing names, and an object created out of band is only
//! seen in a listing. They cost one request per page (100 to 500 objects). What grows with
//! the org — a page of members and of wrap-up codes per queue, and the users — is read only
//! for the changed queues and users, so the read costs O(changes), not O(org).

use std::collections::{BTreeMap, BTreeSet};

use switchboard_client::Client;
use switchboard_client::api::users::UserFilter;
use switchboard_manifest::Manifest;
use switchboard_manifest::model::{CapacityMode, Mode};
use switchboard_manifest::names::NameIndex;

use crate::labels::read_utilization_labels;
use crate::scope::FetchScope;
use crate::skill_groups::read_references_and_skill_groups;
use crate::snapshot::{OrgWide, read_org_wide, read_scoped};
use crate::{FetchError, Live, Progress, Reading};

/// The objects known to have changed, by id, from the audit trail or a notification.
///
/// Skills, languages and wrap-up codes need nothing beyond their listings, so only queues,
/// users and skill groups (whose conditions only a read by id gives) change what is read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changed {
    /// Queue ids: their members and wrap-up codes are read when the manifest manages them.
    pub queues: BTreeSet<String>,
    /// User ids: their skills and languages are read when the manifest names them as agents.
    pub users: BTreeSet<String>,
    /// Skill group ids: their definitions (and member divisions) are read when the manifest
    /// declares them.
    pub skill_groups: BTreeSet<String>,
}

impl Changed {
    /// Whether nothing is known to have changed.
    pub fn is_empty(&self) -> bool {
        self.queues.is_empty() && self.users.is_empty() && self.skill_groups.is_empty()
    }
}

/// Reads the org-wide listings, and the members, codes and users of what `changed` names
/// that `manifest` manages.
///
/// Requests: one per page of each listing (the skill groups' when the manifest manages
/// them, with each changed skill group it declares read by id); for each changed queue the manifest manages,
/// ⌈members/100⌉ member pages and one wrap-up code page per 100 codes; one user listing
/// request per 100 changed users; one user search per 100 emails among the changed queues'
/// members and the changed agents; one utilization read per changed agent whose capacity
/// the manifest manages. The org's utilization is not read: `Changed` cannot name it (the
/// audit entity type of its changes is not in API-FACTS §6), so nothing would compare it; nor
/// are the routing settings, for the same reason. The holders of a skill being renamed are not read: a
/// rename in git is a plan, not drift.
pub async fn fetch_changed(
    client: &Client,
    manifest: &Manifest,
    changed: &Changed,
    progress: &dyn Progress,
) -> Result<Live, FetchError> {
    // The changed users' emails do not depend on the listings: both are read at once.
    let (
        OrgWide {
            mut live, queues, ..
        },
        agents,
        (references, skill_groups),
        utilization_labels,
    ) = futures::try_join!(
        read_org_wide(client, progress),
        changed_agents(client, manifest, &changed.users),
        read_references_and_skill_groups(client, manifest, Some(&changed.skill_groups)),
        read_utilization_labels(client, manifest),
    )?;
    live.utilization_labels = utilization_labels;
    live.references = references;
    live.skill_groups = skill_groups;
    let changed_queue_names: BTreeSet<&str> = queues
        .iter()
        .filter(|(_, q)| q.id.as_ref().is_some_and(|id| changed.queues.contains(id)))
        .map(|(name, _)| name.as_str())
        .collect();
    let mut scope = FetchScope::of(manifest);
    let queue_names = NameIndex::new(queues.keys().map(String::as_str));
    scope.resolve_queues(manifest, &queue_names, |name| {
        changed_queue_names.contains(name)
    });
    scope.users = member_emails(manifest, &scope.member_queues, &scope.queue_names);
    scope.user_assignments = !agents.is_empty();
    // Only the changed agents' capacity is read again.
    scope.capacity_users.retain(|email| agents.contains(email));
    scope.users.extend(agents);

    // Without an org user count, the users are found by searching their emails.
    read_scoped(client, live, queues, &scope, None, progress).await
}

/// The lower-case emails of the managed members of the manifest queues found under the
/// live names `member_queues`.
fn member_emails(
    manifest: &Manifest,
    member_queues: &BTreeSet<String>,
    queue_names: &BTreeMap<String, Vec<String>>,
) -> BTreeSet<String> {
    manifest
        .queues
        .iter()
        .filter(|queue| {
            queue_names
                .get(&queue.name)
                .is_some_and(|names| names.iter().any(|n| member_queues.contains(n)))
        })
        .filter_map(|queue| queue.members.as_ref().filter(|m| m.mode != Mode::Ignore))
        .flat_map(|members| members.users.iter().map(|m| m.user.to_lowercase()))
        .collect()
}

/// The lower-case emails of the changed users that the manifest names as agents managing
/// skills, languages or capacity.
async fn changed_agents(
    client: &Client,
    manifest: &Manifest,
    user_ids: &BTreeSet<String>,
) -> Result<BTreeSet<String>, FetchError> {
    let managed: BTreeSet<String> = manifest
        .agents
        .iter()
        .filter(|agent| {
            [&agent.skills, &agent.languages]
                .iter()
                .any(|set| set.as_ref().is_some_and(|s| s.mode != Mode::Ignore))
                || agent
                    .capacity
                    .as_ref()
                    .is_some_and(|c| c.mode != CapacityMode::Ignore)
        })
        .map(|agent| agent.user.to_lowercase())
        .collect();
    if user_ids.is_empty() || managed.is_empty() {
        return Ok(BTreeSet::new());
    }
    let filter = UserFilter {
        state: Some("any".into()),
        expand: Vec::new(),
        ids: user_ids.iter().cloned().collect(),
    };
    let users = client
        .list_users(&filter)
        .await
        .reading(|| "the changed users".into())?;
    Ok(users
        .into_iter()
        .filter_map(|u| u.email.map(|e| e.to_lowercase()))
        .filter(|email| managed.contains(email))
        .collect())
}
