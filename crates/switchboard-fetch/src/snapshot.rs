//! The whole read: org-wide listings at once, then the managed queues' members and codes,
//! then the named users.

use std::collections::{BTreeMap, BTreeSet};

use futures::{StreamExt, TryStreamExt};
use switchboard_client::models::{AuthzDivision, Queue, QueueFilter, QueueMember};
use switchboard_client::{Client, api};
use switchboard_manifest::live::{
    LiveDivision, LiveMember, LiveObject, LiveOrg, LiveQueue, LiveWrapupCode,
};
use switchboard_manifest::names::NameIndex;
use switchboard_manifest::{Live, Manifest};

use crate::capacity::{read_capacities, read_org_utilization};
use crate::labels::read_utilization_labels;
use crate::routing_settings::read_routing_settings;
use crate::scope::FetchScope;
use crate::skill_groups::read_references_and_skill_groups;
use crate::users::read_users;
use crate::{FetchError, Progress, Reading, Silent, malformed};

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
    let (
        OrgWide {
            mut live,
            queues,
            users_in_org,
        },
        (references, skill_groups),
        org_utilization,
        utilization_labels,
        routing_settings,
    ) = futures::try_join!(
        read_org_wide(client, progress),
        read_references_and_skill_groups(client, manifest, None),
        read_org_utilization(client, manifest),
        read_utilization_labels(client, manifest),
        read_routing_settings(client, manifest),
    )?;
    live.org_utilization = org_utilization;
    live.routing_settings = routing_settings;
    live.utilization_labels = utilization_labels;
    live.references = references;
    live.skill_groups = skill_groups;
    let skill_ids: BTreeMap<String, String> = live
        .skills
        .iter()
        .map(|(name, skill)| (name.clone(), skill.id.clone()))
        .collect();
    scope.resolve_skills(manifest, &skill_ids);
    let queue_names = NameIndex::new(queues.keys().map(String::as_str));
    scope.resolve_queues(manifest, &queue_names, |_| true);

    read_scoped(client, live, queues, &scope, users_in_org, progress).await
}

/// What `scope` calls for beyond the listings: the members and codes of its queues, then its
/// users, into `live` (which gets every listed queue).
pub(crate) async fn read_scoped(
    client: &Client,
    mut live: Live,
    queues: BTreeMap<String, Queue>,
    scope: &FetchScope,
    users_in_org: Option<u64>,
    progress: &dyn Progress,
) -> Result<Live, FetchError> {
    progress.planned((scope.member_queues.len() + scope.code_queues.len()) as u64 + 1);
    let members = read_members(
        client,
        &queues,
        &scope.member_queues,
        &scope.listing_queues,
        progress,
    )
    .await?;
    let codes = read_queue_codes(client, &queues, &scope.code_queues, progress).await?;
    add_queues(&mut live, queues, &members, &codes);
    let (mut users, unknown) = read_users(client, scope, users_in_org).await?;
    read_capacities(client, &mut users, &scope.capacity_users).await?;
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
        divisions: by_name(
            "divisions",
            api::divisions::LIST,
            divisions.into_iter().map(|d| {
                let id = required_id("divisions", api::divisions::LIST, d.id, &d.name)?;
                Ok((
                    d.name,
                    LiveDivision {
                        id,
                        home: d.home_division.unwrap_or(false),
                    },
                ))
            }),
        )?,
        skills: by_name(
            "routing skills",
            api::skills::LIST,
            skills.into_iter().filter(|s| s.is_live()).map(|s| {
                let id = required_id("routing skills", api::skills::LIST, s.id, &s.name)?;
                let division_id = s.division.and_then(|d| d.id);
                Ok((s.name, LiveObject { id, division_id }))
            }),
        )?,
        languages: by_name(
            "routing languages",
            api::languages::LIST,
            languages.into_iter().filter(|l| l.is_live()).map(|l| {
                let id = required_id("routing languages", api::languages::LIST, l.id, &l.name)?;
                Ok((
                    l.name,
                    LiveObject {
                        id,
                        division_id: None,
                    },
                ))
            }),
        )?,
        wrapup_codes: by_name(
            "wrap-up codes",
            api::wrapup_codes::LIST,
            codes.into_iter().map(|c| {
                let id = required_id("wrap-up codes", api::wrapup_codes::LIST, c.id, &c.name)?;
                let division_id = c.division.and_then(|d| d.id);
                Ok((
                    c.name,
                    LiveWrapupCode {
                        id,
                        description: c.description,
                        division_id,
                    },
                ))
            }),
        )?,
        ..Live::default()
    };
    let queues = by_name(
        "queues",
        api::queues::LIST,
        queues.into_iter().map(|q| {
            required_id("queues", api::queues::LIST, q.id.clone(), &q.name)?;
            Ok((q.name.clone(), q))
        }),
    )?;
    Ok(OrgWide {
        live,
        queues,
        users_in_org,
    })
}

/// The members of the queues `names`: ⌈memberCount/100⌉ pages each, all at once, the queues
/// concurrently within the client's bound.
///
/// A queue that reports no members costs no request, unless its manifest queue lists users
/// (`listing`, live names): a stale `memberCount: 0` must not make its members look absent
/// where the plan would add them. The count is also checked against the queue's own
/// `userMemberCount` and `joinedMemberCount`, which cannot exceed it; an absent or negative
/// count is read from the listing itself.
pub(crate) async fn read_members(
    client: &Client,
    queues: &BTreeMap<String, Queue>,
    names: &BTreeSet<String>,
    listing: &BTreeSet<String>,
    progress: &dyn Progress,
) -> Result<BTreeMap<String, Vec<LiveMember>>, FetchError> {
    let concurrency = client.config().max_concurrency.get();
    futures::stream::iter(names.iter())
        .filter_map(|name| async {
            queues
                .get(name)
                .and_then(|q| Some((name.clone(), q.id.clone()?, expected_members(q))))
        })
        .map(|(name, id, expected)| async move {
            let read = match expected {
                Some(0) if !listing.contains(&name) => Ok(Vec::new()),
                Some(expected) if expected > 0 => {
                    client.list_queue_members_counted(&id, expected).await
                }
                _ => client.list_queue_members(&id).await,
            };
            let what = || format!("the members of queue {name:?}");
            let members = read
                .reading(what)?
                .iter()
                .map(|member| {
                    live_member(member).ok_or_else(|| {
                        malformed(
                            what(),
                            api::members::LIST,
                            "a member has no id (neither its own nor its user's)",
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            progress.finished(&format!("the members of queue {name:?}"));
            Ok::<_, FetchError>((name, members))
        })
        .buffer_unordered(concurrency)
        .try_collect()
        .await
}

/// The wrap-up codes of the queues `names`, id → the name the queue's own listing gives
/// (present when a code is not yet in the org-wide listing): one request per page of each
/// (at least one: the queue body does not say how many it has), concurrently within the
/// client's bound.
pub(crate) async fn read_queue_codes(
    client: &Client,
    queues: &BTreeMap<String, Queue>,
    names: &BTreeSet<String>,
    progress: &dyn Progress,
) -> Result<BTreeMap<String, BTreeMap<String, String>>, FetchError> {
    let concurrency = client.config().max_concurrency.get();
    futures::stream::iter(names.iter())
        .filter_map(|name| async {
            queues
                .get(name)
                .and_then(|q| Some((name.clone(), q.id.clone()?)))
        })
        .map(|(name, id)| async move {
            let what = || format!("the wrap-up codes of queue {name:?}");
            let codes = client
                .list_queue_wrapup_codes(&id)
                .await
                .reading(what)?
                .into_iter()
                .map(|c| {
                    let id = required_id(what(), api::queue_wrapup_codes::LIST, c.id, &c.name)?;
                    Ok((id, c.name))
                })
                .collect::<Result<BTreeMap<_, _>, FetchError>>()?;
            progress.finished(&what());
            Ok::<_, FetchError>((name, codes))
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
    members: &BTreeMap<String, Vec<LiveMember>>,
    codes: &BTreeMap<String, BTreeMap<String, String>>,
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
                members: members.get(&name).cloned(),
                wrapup_code_ids: codes.get(&name).map(|c| c.keys().cloned().collect()),
                wrapup_code_names: codes.get(&name).cloned().unwrap_or_default(),
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
        // Only a member the listing says is a user's own is direct: one whose `memberBy` is
        // absent is treated as a group's, which switchboard never adds, re-rings or removes.
        by_group: member.member_by.as_deref() != Some("user"),
    })
}

/// The most members a queue's counts say it has: `memberCount`, checked against
/// `userMemberCount` and `joinedMemberCount` (parts of it, so never larger); `None` when it
/// is absent or negative (the listing then says).
fn expected_members(queue: &Queue) -> Option<u64> {
    let count = u64::try_from(queue.member_count?).ok()?;
    let parts = [queue.user_member_count, queue.joined_member_count]
        .into_iter()
        .flatten()
        .filter_map(|c| u64::try_from(c).ok());
    Some(parts.fold(count, u64::max))
}

/// The entries of a listing by name. Names are unique in an org (API-FACTS §4: `400
/// duplicate.name` for queues and wrap-up codes, `409 general.conflict` for skills) and
/// switchboard knows objects by name: a listing that gives two entries one name, or an
/// entry a blank one, cannot be trusted, since keying it by name would lose an object that
/// a plan might then create beside, or prune in place of, the one it kept.
pub(crate) fn by_name<V>(
    what: &str,
    endpoint: switchboard_client::Endpoint,
    entries: impl IntoIterator<Item = Result<(String, V), FetchError>>,
) -> Result<BTreeMap<String, V>, FetchError> {
    let mut named = BTreeMap::new();
    for entry in entries {
        let (name, value) = entry?;
        if name.trim().is_empty() {
            return Err(malformed(what, endpoint, "an entry has a blank name"));
        }
        if named.contains_key(&name) {
            return Err(malformed(
                what,
                endpoint,
                format!(
                    "two entries are named {name:?}, and names are unique in an org; if the org really holds both, rename one of them in Genesys Cloud"
                ),
            ));
        }
        named.insert(name, value);
    }
    Ok(named)
}

/// The id of an entry of a listing, or the error naming the entry that has none.
pub(crate) fn required_id(
    what: impl Into<String>,
    endpoint: switchboard_client::Endpoint,
    id: Option<String>,
    name: &str,
) -> Result<String, FetchError> {
    id.filter(|id| !id.is_empty())
        .ok_or_else(|| malformed(what, endpoint, format!("the entry {name:?} has no id")))
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
