//! The whole read: org-wide listings at once, then the managed queues' members and codes,
//! then the named users.

use std::collections::{BTreeMap, BTreeSet};

use futures::{StreamExt, TryStreamExt};
use switchboard_client::Client;
use switchboard_client::models::{AuthzDivision, Queue, QueueFilter, QueueMember};
use switchboard_manifest::live::{
    LiveDivision, LiveMember, LiveObject, LiveOrg, LiveQueue, LiveWrapupCode,
};
use switchboard_manifest::{Live, Manifest};

use crate::scope::FetchScope;
use crate::users::read_users;
use crate::{FetchError, Progress, Reading, Silent};

/// Reads what `manifest` manages from the org behind `client`.
pub async fn fetch(client: &Client, manifest: &Manifest) -> Result<Live, FetchError> {
    fetch_with_progress(client, manifest, &Silent).await
}

/// [`fetch`], reporting each finished step to `progress`.
pub async fn fetch_with_progress(
    client: &Client,
    manifest: &Manifest,
    progress: &dyn Progress,
) -> Result<Live, FetchError> {
    let mut scope = FetchScope::of(manifest);
    let OrgWide {
        mut live,
        queues,
        users_in_org,
    } = read_org_wide(client, progress).await?;
    let skill_ids: BTreeMap<String, String> = live
        .skills
        .iter()
        .map(|(name, skill)| (name.clone(), skill.id.clone()))
        .collect();
    scope.resolve_skills(manifest, &skill_ids);
    scope.resolve_queues(manifest, |name| queues.contains_key(name));

    progress.planned((scope.member_queues.len() + scope.code_queues.len()) as u64 + 1);
    let members = read_members(client, &queues, &scope.member_queues, progress).await?;
    let codes = read_queue_codes(client, &queues, &scope.code_queues, progress).await?;
    add_queues(&mut live, queues, &members, &codes);

    let (users, unknown) = read_users(client, &scope, users_in_org).await?;
    progress.finished("users");
    live.users = users;
    live.unknown_users = unknown;
    Ok(live)
}

/// The org-wide listings, read at once: the org, divisions, skills, languages and wrap-up
/// codes in a [`Live`] without queues or users, and the queues as listed, by name.
pub(crate) struct OrgWide {
    /// Everything but queues and users.
    pub live: Live,
    /// Every queue, as the listing returned it.
    pub queues: BTreeMap<String, Queue>,
    /// The org's user count, when the divisions listing reports it.
    pub users_in_org: Option<u64>,
}

/// Reads the organization, divisions (with object counts), skills, languages, wrap-up codes
/// and queues concurrently: one request per page of each (six steps for `progress`).
pub(crate) async fn read_org_wide(
    client: &Client,
    progress: &dyn Progress,
) -> Result<OrgWide, FetchError> {
    progress.planned(6);
    let (org, divisions, skills, languages, codes, queues) = futures::try_join!(
        async {
            client
                .organization()
                .await
                .reading(|| "the organization".into())
                .inspect(|_| progress.finished("the organization"))
        },
        async {
            client
                .list_divisions_with_counts()
                .await
                .reading(|| "divisions".into())
                .inspect(|_| progress.finished("divisions"))
        },
        async {
            client
                .list_skills()
                .await
                .reading(|| "routing skills".into())
                .inspect(|_| progress.finished("routing skills"))
        },
        async {
            client
                .list_languages()
                .await
                .reading(|| "routing languages".into())
                .inspect(|_| progress.finished("routing languages"))
        },
        async {
            client
                .list_wrapup_codes()
                .await
                .reading(|| "wrap-up codes".into())
                .inspect(|_| progress.finished("wrap-up codes"))
        },
        async {
            client
                .list_queues(&QueueFilter::default())
                .await
                .reading(|| "queues".into())
                .inspect(|_| progress.finished("queues"))
        },
    )?;
    let users_in_org = user_count(&divisions);
    let live = Live {
        org: LiveOrg {
            id: org.id.unwrap_or_default(),
            name: org.name.unwrap_or_default(),
        },
        divisions: divisions
            .into_iter()
            .filter_map(|d| {
                Some((
                    d.name,
                    LiveDivision {
                        id: d.id?,
                        home: d.home_division.unwrap_or(false),
                    },
                ))
            })
            .collect(),
        skills: skills
            .into_iter()
            .filter(|s| s.is_live())
            .filter_map(|s| {
                let division_id = s.division.and_then(|d| d.id);
                Some((
                    s.name,
                    LiveObject {
                        id: s.id?,
                        division_id,
                    },
                ))
            })
            .collect(),
        languages: languages
            .into_iter()
            .filter(|l| l.is_live())
            .filter_map(|l| {
                Some((
                    l.name,
                    LiveObject {
                        id: l.id?,
                        division_id: None,
                    },
                ))
            })
            .collect(),
        wrapup_codes: codes
            .into_iter()
            .filter_map(|c| {
                let division_id = c.division.and_then(|d| d.id);
                Some((
                    c.name,
                    LiveWrapupCode {
                        id: c.id?,
                        description: c.description,
                        division_id,
                    },
                ))
            })
            .collect(),
        ..Live::default()
    };
    let queues = queues.into_iter().map(|q| (q.name.clone(), q)).collect();
    Ok(OrgWide {
        live,
        queues,
        users_in_org,
    })
}

/// The members of the queues `names`: ⌈memberCount/100⌉ pages each, all at once (none for
/// a queue that reports no members), the queues concurrently within the client's bound.
pub(crate) async fn read_members(
    client: &Client,
    queues: &BTreeMap<String, Queue>,
    names: &BTreeSet<String>,
    progress: &dyn Progress,
) -> Result<BTreeMap<String, Vec<QueueMember>>, FetchError> {
    let concurrency = client.config().max_concurrency.get();
    futures::stream::iter(names.iter())
        .filter_map(|name| async {
            queues
                .get(name)
                .and_then(|q| Some((name.clone(), q.id.clone()?, q.member_count)))
        })
        .map(|(name, id, count)| async move {
            // A count of 0 costs no request; an absent count reads one page to find out.
            let expected = count.map_or(1, |c| u64::try_from(c).unwrap_or(0));
            let members = client
                .list_queue_members_counted(&id, expected)
                .await
                .reading(|| format!("the members of queue {name:?}"))?;
            progress.finished(&format!("the members of queue {name:?}"));
            Ok::<_, FetchError>((name, members))
        })
        .buffer_unordered(concurrency)
        .try_collect()
        .await
}

/// The wrap-up code ids of the queues `names`: one request per page of each (at least one:
/// the queue body does not say how many it has), concurrently within the client's bound.
pub(crate) async fn read_queue_codes(
    client: &Client,
    queues: &BTreeMap<String, Queue>,
    names: &BTreeSet<String>,
    progress: &dyn Progress,
) -> Result<BTreeMap<String, BTreeSet<String>>, FetchError> {
    let concurrency = client.config().max_concurrency.get();
    futures::stream::iter(names.iter())
        .filter_map(|name| async {
            queues
                .get(name)
                .and_then(|q| Some((name.clone(), q.id.clone()?)))
        })
        .map(|(name, id)| async move {
            let codes = client
                .list_queue_wrapup_codes(&id)
                .await
                .reading(|| format!("the wrap-up codes of queue {name:?}"))?;
            progress.finished(&format!("the wrap-up codes of queue {name:?}"));
            Ok::<_, FetchError>((name, codes.into_iter().filter_map(|c| c.id).collect()))
        })
        .buffer_unordered(concurrency)
        .try_collect()
        .await
}

/// Adds every listed queue to `live`, with the members and codes read for it (`None` for a
/// queue whose members or codes were not read).
pub(crate) fn add_queues(
    live: &mut Live,
    queues: BTreeMap<String, Queue>,
    members: &BTreeMap<String, Vec<QueueMember>>,
    codes: &BTreeMap<String, BTreeSet<String>>,
) {
    for (name, queue) in queues {
        let Some(id) = queue.id.clone() else { continue };
        let body = serde_json::to_value(&queue).unwrap_or_default();
        live.queues.insert(
            name.clone(),
            LiveQueue {
                id,
                division_id: queue.division.as_ref().and_then(|d| d.id.clone()),
                body,
                members: members
                    .get(&name)
                    .map(|m| m.iter().filter_map(live_member).collect()),
                wrapup_code_ids: codes.get(&name).cloned(),
            },
        );
    }
}

fn live_member(member: &QueueMember) -> Option<LiveMember> {
    let user = member.user.as_ref();
    Some(LiveMember {
        user_id: member
            .id
            .clone()
            .or_else(|| user.and_then(|u| u.id.clone()))?,
        name: member
            .name
            .clone()
            .or_else(|| user.and_then(|u| u.name.clone())),
        email: user.and_then(|u| u.email.clone()),
        ring: member.ring_number,
        joined: member.joined,
        by_group: !member.is_direct(),
    })
}

/// The org's user count, when the divisions listing reports object counts. The key is
/// taken as `USER` in any casing (the API description types `objectCounts` only as a map
/// of integers; the object type names are those of the division move endpoint).
fn user_count(divisions: &[AuthzDivision]) -> Option<u64> {
    let counts: Vec<u64> = divisions
        .iter()
        .filter_map(|d| d.object_counts.as_ref())
        .flat_map(|counts| counts.iter())
        .filter(|(kind, _)| kind.eq_ignore_ascii_case("user"))
        .map(|(_, count)| u64::try_from(*count).unwrap_or(0))
        .collect();
    (!counts.is_empty()).then(|| counts.iter().sum())
}
