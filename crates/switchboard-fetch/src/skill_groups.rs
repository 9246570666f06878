//! Skill groups, when the manifest manages them (declares one, or prunes them) and for
//! export (API-FACTS-LOOKUPS L2.1): the cursor listing gives every skill group's id, name,
//! division and description but not its conditions, so each one the manifest declares is
//! then read by id (`GET /api/v2/routing/skillgroups/{id}`), and its member divisions
//! (`GET …/{id}/members/divisions`) where the manifest sets them. Nothing is read for a
//! manifest that names no skill group to manage.

use std::collections::{BTreeMap, BTreeSet};

use futures::{StreamExt, TryStreamExt};
use switchboard_client::{Client, api};
use switchboard_manifest::Manifest;
use switchboard_manifest::live::{LiveReferent, LiveSkillGroup};
use switchboard_manifest::names::{NameIndex, find_declared};
use switchboard_manifest::references::{ReferenceKind, names_by_kind};

use crate::references::{Found, read_named};
use crate::snapshot::{by_name, required_id};
use crate::{FetchError, Reading, malformed};

/// Which skill groups are read whole (by id), and whose member divisions.
#[derive(Debug, Clone, Default)]
pub(crate) struct Detail {
    /// Live names whose definition is read.
    pub bodies: BTreeSet<String>,
    /// Live names whose member divisions are read.
    pub member_divisions: BTreeSet<String>,
}

/// Whether `manifest` manages skill groups: it declares one, or prunes them.
pub(crate) fn managed(manifest: &Manifest) -> bool {
    !manifest.skill_groups.is_empty() || manifest.prune.is_some_and(|p| p.skill_groups)
}

/// The lookups of what `manifest` refers to, and the skill groups it manages, at once. A
/// skill group a queue names is found in the skill group listing when that is read anyway,
/// so it is not listed twice. With `only` (skill group ids), only those of the declared
/// skill groups are read by id: a targeted read compares nothing else.
pub(crate) async fn read_references_and_skill_groups(
    client: &Client,
    manifest: &Manifest,
    only: Option<&BTreeSet<String>>,
) -> Result<(Found, BTreeMap<String, LiveSkillGroup>), FetchError> {
    let mut names = names_by_kind(manifest);
    let managed = managed(manifest);
    let named_skill_groups = if managed {
        names.remove(&ReferenceKind::SkillGroup).is_some()
    } else {
        false
    };
    let (mut found, groups) = futures::try_join!(read_named(client, names), async {
        if managed {
            read_skill_groups(client, |listed| {
                let mut detail = detail_for(manifest, &listed.keys().cloned().collect());
                if let Some(only) = only {
                    let wanted =
                        |name: &String| listed.get(name).is_some_and(|id| only.contains(id));
                    detail.bodies.retain(wanted);
                    detail.member_divisions.retain(wanted);
                }
                detail
            })
            .await
        } else {
            Ok(BTreeMap::new())
        }
    })?;
    if named_skill_groups {
        found.insert(ReferenceKind::SkillGroup, referents(&groups));
    }
    Ok((found, groups))
}

/// Every skill group as a referent (id and name).
pub(crate) fn referents(groups: &BTreeMap<String, LiveSkillGroup>) -> Vec<LiveReferent> {
    groups
        .iter()
        .map(|(name, group)| LiveReferent::new(group.id.clone(), name.clone()))
        .collect()
}

/// What to read of the listed skill groups (live names) for `manifest`: the definition of
/// each it declares (found by the name rule, under its name or a former one), and the member
/// divisions of each that sets them.
fn detail_for(manifest: &Manifest, listed: &BTreeSet<String>) -> Detail {
    let index = NameIndex::new(listed.iter().map(String::as_str));
    let mut detail = Detail::default();
    for group in &manifest.skill_groups {
        // An ambiguous name reads nothing here: the plan refuses it.
        let mut found: Vec<&str> = Vec::new();
        if let Ok(Some(name)) = find_declared(&index, &group.name, &[]) {
            found.push(name);
        }
        for old in &group.renamed_from {
            if let Ok(Some(name)) = find_declared(&index, old, &[]) {
                found.push(name);
            }
        }
        for name in found {
            detail.bodies.insert(name.to_string());
            if group.member_divisions.is_some() {
                detail.member_divisions.insert(name.to_string());
            }
        }
    }
    detail
}

/// Every skill group, whole (definitions and member divisions): what export writes.
pub(crate) async fn read_every_skill_group(
    client: &Client,
) -> Result<BTreeMap<String, LiveSkillGroup>, FetchError> {
    read_skill_groups(client, |listed| Detail {
        bodies: listed.keys().cloned().collect(),
        member_divisions: listed.keys().cloned().collect(),
    })
    .await
}

/// The skill group listing, then what `detail` asks of the listed names, concurrently within
/// the client's bound.
async fn read_skill_groups(
    client: &Client,
    detail: impl FnOnce(&BTreeMap<String, String>) -> Detail,
) -> Result<BTreeMap<String, LiveSkillGroup>, FetchError> {
    let listed = client
        .list_skill_groups()
        .await
        .reading(|| "skill groups".into())?;
    let mut groups = by_name(
        "skill groups",
        api::skill_groups::LIST,
        listed.into_iter().map(|g| {
            let id = required_id("skill groups", api::skill_groups::LIST, g.id, &g.name)?;
            Ok((
                g.name,
                LiveSkillGroup {
                    id,
                    division_id: g.division.and_then(|d| d.id),
                    body: None,
                    member_division_ids: None,
                },
            ))
        }),
    )?;
    let ids: BTreeMap<String, String> = groups
        .iter()
        .map(|(name, g)| (name.clone(), g.id.clone()))
        .collect();
    let detail = detail(&ids);
    let concurrency = client.config().max_concurrency.get();
    let reads: Vec<(String, bool)> = detail
        .bodies
        .iter()
        .map(|name| (name.clone(), true))
        .chain(
            detail
                .member_divisions
                .iter()
                .map(|name| (name.clone(), false)),
        )
        .filter(|(name, _)| groups.contains_key(name))
        .collect();
    let answers: Vec<(String, Answer)> = futures::stream::iter(reads)
        .map(|(name, body)| {
            let id = ids.get(&name).cloned().unwrap_or_default();
            async move {
                if body {
                    let what = || format!("skill group {name:?}");
                    let group = client.get_skill_group(&id).await.reading(what)?;
                    if group.id.as_deref().is_some_and(|got| got != id) {
                        return Err(malformed(
                            what(),
                            api::skill_groups::GET,
                            "the answer is another skill group than the one asked for",
                        ));
                    }
                    let body = serde_json::to_value(&group)
                        .map_err(|e| malformed(what(), api::skill_groups::GET, e.to_string()))?;
                    Ok::<_, FetchError>((name, Answer::Body(body)))
                } else {
                    let what = || format!("the member divisions of skill group {name:?}");
                    let divisions = client
                        .skill_group_member_divisions(&id)
                        .await
                        .reading(what)?;
                    let ids = divisions
                        .into_iter()
                        .map(|d| {
                            d.id.filter(|id| !id.is_empty()).ok_or_else(|| {
                                malformed(
                                    what(),
                                    api::skill_groups::LIST_MEMBER_DIVISIONS,
                                    "a division has no id",
                                )
                            })
                        })
                        .collect::<Result<BTreeSet<String>, _>>()?;
                    Ok((name, Answer::MemberDivisions(ids)))
                }
            }
        })
        .buffer_unordered(concurrency)
        .try_collect()
        .await?;
    for (name, answer) in answers {
        let Some(group) = groups.get_mut(&name) else {
            continue;
        };
        match answer {
            Answer::Body(body) => group.body = Some(body),
            Answer::MemberDivisions(ids) => group.member_division_ids = Some(ids),
        }
    }
    Ok(groups)
}

/// One read of a skill group beyond the listing.
enum Answer {
    Body(serde_json::Value),
    MemberDivisions(BTreeSet<String>),
}
