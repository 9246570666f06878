//! Reading the whole org, for `switchboard export`: every listing, every (in-scope) queue's
//! members and wrap-up codes, and every user with routing skills and languages. No
//! manifest says what is needed, so everything is; it is still read at the request floor.

use std::collections::BTreeSet;

use switchboard_client::Client;
use switchboard_client::api::users::UserFilter;
use switchboard_manifest::Live;

use crate::capacity::read_capacities;
use crate::references::{names_in_queues, read_named};
use crate::routing_settings::read_parts;
use crate::skill_groups::{read_every_skill_group, referents};
use crate::snapshot::{OrgWide, add_queues, read_members, read_org_wide, read_queue_codes};
use crate::users::{by_email, live_users};
use crate::{FetchError, Progress, Reading, Silent};
use switchboard_manifest::references::ReferenceKind;

/// What [`fetch_everything`] reads beyond the org-wide listings (the org, divisions,
/// skills, languages, wrap-up codes and queues, always read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EverythingScope {
    /// Read the queues' members.
    pub queue_members: bool,
    /// Read the queues' wrap-up codes.
    pub queue_wrapup_codes: bool,
    /// Only the queues of these divisions (by name) have their members and wrap-up codes
    /// read; every queue's when empty.
    pub divisions: BTreeSet<String>,
    /// Read every user (any state), with routing skills and languages.
    pub users: bool,
    /// Read every skill group whole: the listing, then each one's definition and member
    /// divisions (two requests per skill group).
    pub skill_groups: bool,
    /// Read every active user's capacity (utilization): one request per active user, as the
    /// API has no bulk read (API-FACTS §8). Off unless asked for, even in [`Default`]: in a
    /// large org it would be most of the export's requests.
    pub capacity: bool,
    /// Read the org's routing settings, all three parts (three requests). Off unless asked
    /// for, even in [`Default`]: the transcription settings' read needs a permission
    /// (`routing:transcriptionSettings:view`) nothing else export reads does.
    pub routing_settings: bool,
}

impl Default for EverythingScope {
    /// Everything but agents' capacity: every queue's members and codes, and every user.
    fn default() -> Self {
        EverythingScope {
            queue_members: true,
            queue_wrapup_codes: true,
            divisions: BTreeSet::new(),
            users: true,
            skill_groups: true,
            capacity: false,
            routing_settings: false,
        }
    }
}

/// Reads the whole org behind `client`, as `scope` says.
///
/// Requests: one per page of each listing (organization, divisions, skills, languages,
/// wrap-up codes, queues); for each queue in scope ⌈memberCount/100⌉ member pages (none when
/// it reports no members) and ⌈codes/100⌉ wrap-up code pages (at least one: the queue does
/// not say how many it has); and ⌈users/500⌉ pages of the user listing with
/// `expand=skills,languages`; with skill groups, their listing and two requests per skill
/// group; with capacity, one utilization read per active user; with routing settings, three. Queues' members, codes and the users are read concurrently,
/// within the client's concurrency bound.
pub async fn fetch_everything(
    client: &Client,
    scope: &EverythingScope,
) -> Result<Live, FetchError> {
    fetch_everything_with_progress(client, scope, &Silent).await
}

/// [`fetch_everything`], reporting each finished step to `progress`.
pub async fn fetch_everything_with_progress(
    client: &Client,
    scope: &EverythingScope,
    progress: &dyn Progress,
) -> Result<Live, FetchError> {
    let OrgWide {
        mut live, queues, ..
    } = read_org_wide(client, progress).await?;
    let in_scope: BTreeSet<String> = if scope.queue_members || scope.queue_wrapup_codes {
        let division_ids: BTreeSet<&str> = scope
            .divisions
            .iter()
            .filter_map(|name| live.divisions.get(name).map(|d| d.id.as_str()))
            .collect();
        queues
            .iter()
            .filter(|(_, queue)| {
                scope.divisions.is_empty()
                    || queue
                        .division
                        .as_ref()
                        .and_then(|d| d.id.as_deref())
                        .is_some_and(|id| division_ids.contains(id))
            })
            .map(|(name, _)| name.clone())
            .collect()
    } else {
        BTreeSet::new()
    };
    let none = BTreeSet::new();
    let member_queues = if scope.queue_members {
        &in_scope
    } else {
        &none
    };
    let code_queues = if scope.queue_wrapup_codes {
        &in_scope
    } else {
        &none
    };
    progress.planned((member_queues.len() + code_queues.len()) as u64 + u64::from(scope.users));
    // What the queues name is looked up, so that export writes a name only where the name
    // finds that very object.
    let bodies: Vec<serde_json::Value> = queues
        .values()
        .filter_map(|queue| serde_json::to_value(queue).ok())
        .collect();
    // Skill groups read whole are not listed a second time for the queues' references.
    let mut names = names_in_queues(&bodies);
    let named_skill_groups =
        scope.skill_groups && names.remove(&ReferenceKind::SkillGroup).is_some();
    let (members, codes, users, references, skill_groups) = futures::try_join!(
        read_members(client, &queues, member_queues, &none, progress),
        read_queue_codes(client, &queues, code_queues, progress),
        async {
            if !scope.users {
                return Ok(Vec::new());
            }
            let filter = UserFilter {
                state: Some("any".into()),
                expand: vec!["skills".into(), "languages".into()],
                ids: Vec::new(),
            };
            let users = client
                .list_users(&filter)
                .await
                .reading(|| "users".into())?;
            progress.finished("users");
            Ok(users)
        },
        read_named(client, names),
        async {
            if scope.skill_groups {
                read_every_skill_group(client).await
            } else {
                Ok(Default::default())
            }
        },
    )?;
    live.references = references;
    if named_skill_groups {
        live.references
            .insert(ReferenceKind::SkillGroup, referents(&skill_groups));
    }
    live.skill_groups = skill_groups;
    add_queues(&mut live, queues, &members, &codes);
    live.users = live_users(client, by_email(users, |_, _| true), true).await?;
    if scope.capacity {
        let emails: BTreeSet<String> = live.users.keys().cloned().collect();
        read_capacities(client, &mut live.users, &emails).await?;
    }
    if scope.routing_settings {
        live.routing_settings = Some(read_parts(client, |_| true).await?);
    }
    Ok(live)
}
