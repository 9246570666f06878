//! The lookups of the objects a manifest refers to without managing them (flows, prompts,
//! groups; `switchboard_manifest::references`): one read per kind the manifest names
//! anything of, never one per reference, all at once (API-FACTS-LOOKUPS L1.2):
//! - in-queue flows: one listing of the flows of the types the manifest needs
//!   (`GET /api/v2/flows?type=…`, 500 per page);
//! - user prompts: the manifest's names in `name` (`GET /api/v2/architect/prompts`, many names
//!   per request);
//! - directory groups: one search for the manifest's names (`POST /api/v2/groups/search`,
//!   `EXACT` on `name`), the only name lookup groups have;
//! - teams and skill groups: their whole cursor listings (`GET /api/v2/teams`,
//!   `GET /api/v2/routing/skillgroups`), whose name filters take one prefix only;
//! - scripts: their whole listing (`GET /api/v2/scripts`, every state), whose name filter is
//!   undocumented.
//!
//! The server's name filters are prefixes or undocumented, so nothing is trusted from them:
//! every object returned is kept and the plan compares names by the one name rule. An object
//! without an id is refused, never guessed at.

use std::collections::{BTreeMap, BTreeSet};

use switchboard_client::{Client, Endpoint, api};
use switchboard_manifest::live::LiveReferent;
use switchboard_manifest::references::{ReferenceKind, named_in_queues};

use crate::{FetchError, Reading, malformed};

/// What the lookups found, per kind the manifest names anything of.
pub(crate) type Found = BTreeMap<ReferenceKind, Vec<LiveReferent>>;

/// The names of the objects the queue answers `bodies` name, per kind (what export looks up
/// to write names).
pub(crate) fn names_in_queues<'a>(
    bodies: impl IntoIterator<Item = &'a serde_json::Value>,
) -> BTreeMap<ReferenceKind, BTreeSet<String>> {
    let mut names: BTreeMap<ReferenceKind, BTreeSet<String>> = BTreeMap::new();
    for ((kind, _), name) in named_in_queues(bodies) {
        names.entry(kind).or_default().insert(name);
    }
    names
}

/// Looks up `names`, per kind: one read per kind, all kinds at once.
pub(crate) async fn read_named(
    client: &Client,
    names: BTreeMap<ReferenceKind, BTreeSet<String>>,
) -> Result<Found, FetchError> {
    let wanted: BTreeMap<ReferenceKind, Vec<String>> = names
        .into_iter()
        .map(|(kind, names)| (kind, names.into_iter().collect()))
        .collect();
    let mut found = Found::new();
    if wanted.is_empty() {
        return Ok(found);
    }
    let flow_kinds: Vec<ReferenceKind> = wanted
        .keys()
        .copied()
        .filter(|kind| kind.flow_type().is_some())
        .collect();
    let names = |kind| wanted.get(&kind).cloned().unwrap_or_default();
    let (flows, prompts, groups, teams, skill_groups, scripts) = futures::try_join!(
        read_flows(client, &flow_kinds),
        async {
            let names = names(ReferenceKind::UserPrompt);
            if names.is_empty() {
                return Ok(None);
            }
            let prompts = client
                .find_prompts(&names)
                .await
                .reading(|| "the user prompts the manifest names".into())?;
            let prompts = prompts.into_iter().map(|p| (p.id, p.name));
            referents(api::prompts::LIST, "user prompt", prompts).map(Some)
        },
        async {
            let names = names(ReferenceKind::Group);
            if names.is_empty() {
                return Ok(None);
            }
            let groups = client
                .find_groups_by_name(&names)
                .await
                .reading(|| "the directory groups the manifest names".into())?;
            let groups = groups.into_iter().map(|g| (g.id, g.name));
            referents(api::groups::SEARCH, "directory group", groups).map(Some)
        },
        async {
            if names(ReferenceKind::Team).is_empty() {
                return Ok(None);
            }
            let teams = client.list_teams().await.reading(|| "teams".into())?;
            let teams = teams.into_iter().map(|t| (t.id, t.name));
            referents(api::teams::LIST, "team", teams).map(Some)
        },
        async {
            if names(ReferenceKind::SkillGroup).is_empty() {
                return Ok(None);
            }
            let groups = client
                .list_skill_groups()
                .await
                .reading(|| "skill groups".into())?;
            let groups = groups.into_iter().map(|g| (g.id, g.name));
            referents(api::skill_groups::LIST, "skill group", groups).map(Some)
        },
        async {
            if names(ReferenceKind::Script).is_empty() {
                return Ok(None);
            }
            let scripts = client.list_scripts().await.reading(|| "scripts".into())?;
            // A script without a name is kept, under an empty one: an id can still find it.
            let scripts = scripts
                .into_iter()
                .map(|s| (s.id, s.name.unwrap_or_default()));
            referents(api::scripts::LIST, "script", scripts).map(Some)
        },
    )?;
    found.extend(flows);
    for (kind, objects) in [
        (ReferenceKind::UserPrompt, prompts),
        (ReferenceKind::Group, groups),
        (ReferenceKind::Team, teams),
        (ReferenceKind::SkillGroup, skill_groups),
        (ReferenceKind::Script, scripts),
    ] {
        if let Some(objects) = objects {
            found.insert(kind, objects);
        }
    }
    Ok(found)
}

/// The flows of every type in `kinds`, in one listing, sorted into their kinds by `type` (the
/// answer's UPPERCASE spelling of the query's lowercase type).
async fn read_flows(client: &Client, kinds: &[ReferenceKind]) -> Result<Found, FetchError> {
    let mut found: Found = kinds.iter().map(|kind| (*kind, Vec::new())).collect();
    let types: Vec<&str> = kinds.iter().filter_map(|k| k.flow_type()).collect();
    if types.is_empty() {
        return Ok(found);
    }
    let flows = client
        .list_flows(&types)
        .await
        .reading(|| format!("the flows of type {}", types.join(", ")))?;
    for flow in flows {
        let kind = kinds.iter().copied().find(|kind| {
            kind.flow_type()
                .zip(flow.kind.as_deref())
                .is_some_and(|(want, have)| want.eq_ignore_ascii_case(have))
        });
        let Some(kind) = kind else {
            // A flow of a type not asked for: the filter is the server's, so not trusted.
            continue;
        };
        let Some(id) = flow.id else {
            return Err(malformed(
                "flows",
                api::flows::LIST,
                format!("flow {:?} has no id", flow.name),
            ));
        };
        if let Some(objects) = found.get_mut(&kind) {
            objects.push(LiveReferent {
                id,
                name: flow.name,
            });
        }
    }
    Ok(found)
}

/// `(id, name)` pairs as referents; one without an id is refused.
fn referents(
    endpoint: Endpoint,
    what: &str,
    objects: impl Iterator<Item = (Option<String>, String)>,
) -> Result<Vec<LiveReferent>, FetchError> {
    objects
        .map(|(id, name)| match id {
            Some(id) => Ok(LiveReferent { id, name }),
            None => Err(malformed(
                format!("{what}s"),
                endpoint,
                format!("{what} {name:?} has no id"),
            )),
        })
        .collect()
}
