//! Reading the users a manifest names, by whichever real path costs fewer requests: a user
//! search by email (100 emails per request) or the user listing (500 users per page).

use std::collections::{BTreeMap, BTreeSet};

use switchboard_client::api::users::{PAGE_SIZE, SEARCH_PAGE_SIZE, UserFilter};
use switchboard_client::models::User;
use switchboard_client::{Client, api};
use switchboard_manifest::live::LiveUser;

use crate::scope::FetchScope;
use crate::{FetchError, Reading, malformed};

/// Emails per search request.
const EMAILS_PER_SEARCH: u64 = SEARCH_PAGE_SIZE.unsigned_abs();

/// The users in `scope` (and, when a skill is replaced, every user the listing shows holding
/// it, so the replace can move every assignment), and the emails no user has.
pub(crate) async fn read_users(
    client: &Client,
    scope: &FetchScope,
    users_in_org: Option<u64>,
) -> Result<(BTreeMap<String, LiveUser>, BTreeSet<String>), FetchError> {
    let replacing = !scope.replaced_skill_ids.is_empty();
    if scope.users.is_empty() && !replacing {
        return Ok((BTreeMap::new(), BTreeSet::new()));
    }
    let expand: Vec<&str> = if scope.user_assignments || replacing {
        vec!["skills", "languages"]
    } else {
        Vec::new()
    };
    let by_search = (scope.users.len() as u64).div_ceil(EMAILS_PER_SEARCH);
    let by_listing = users_in_org.map(|count| count.div_ceil(u64::from(PAGE_SIZE)).max(1));
    // A replaced skill's holders can be anyone: only the listing finds them all.
    let found = if replacing || by_listing.is_some_and(|listing| listing < by_search) {
        let filter = UserFilter {
            state: Some("any".into()),
            expand: expand.iter().map(|e| e.to_string()).collect(),
            ids: Vec::new(),
        };
        client
            .list_users(&filter)
            .await
            .reading(|| "users".into())?
    } else {
        let emails: Vec<String> = scope.users.iter().cloned().collect();
        client
            .find_users_by_email(&emails, &expand)
            .await
            .reading(|| "users by email".into())?
    };
    let with_assignments = scope.user_assignments || replacing;
    let found = if replacing {
        holders_complete(client, found, &scope.replaced_skill_ids).await?
    } else {
        found
    };
    let users = by_email(found, |email, user| {
        scope.users.contains(email)
            || user
                .skills
                .iter()
                .flatten()
                .filter_map(|s| s.id.as_ref())
                .any(|id| scope.replaced_skill_ids.contains(id))
    });
    let live = live_users(client, users, with_assignments).await?;
    let unknown = scope
        .users
        .iter()
        .filter(|email| !live.contains_key(*email))
        .cloned()
        .collect();
    Ok((live, unknown))
}

/// The listed users with every one's skills known ([`Client::with_every_skill`]), so
/// that every holder of a replaced skill is found — only in a plan that replaces a skill;
/// a holder the answer gives no email is an error, since the plan could not move them
/// (switchboard knows users by email) and the replace would delete the skill they hold.
async fn holders_complete(
    client: &Client,
    found: Vec<User>,
    replaced: &BTreeSet<String>,
) -> Result<Vec<User>, FetchError> {
    let found = client
        .with_every_skill(found)
        .await
        .reading(|| "the skills of the users".into())?;
    for user in &found {
        let holds = user
            .skills
            .iter()
            .flatten()
            .any(|s| s.id.as_ref().is_some_and(|skill| replaced.contains(skill)));
        if holds && user.email.as_deref().is_none_or(|e| e.trim().is_empty()) {
            return Err(malformed(
                "users",
                api::users::LIST,
                format!(
                    "user {} holds a skill being replaced but the answer gives no email, so the replace could not move it",
                    user.id.as_deref().unwrap_or_default()
                ),
            ));
        }
    }
    Ok(found)
}

/// One user per lower-case email among those `keep` accepts: the same email on several
/// users, an active one wins over an inactive or deleted one. Users without an email are
/// left out (switchboard knows users by email).
pub(crate) fn by_email(
    found: Vec<User>,
    keep: impl Fn(&str, &User) -> bool,
) -> BTreeMap<String, User> {
    let mut users: BTreeMap<String, (u8, User)> = BTreeMap::new();
    for user in found {
        let Some(email) = user.email.as_ref().map(|e| e.to_lowercase()) else {
            continue;
        };
        if !keep(&email, &user) {
            continue;
        }
        let rank = match user.state.as_deref() {
            Some("active") => 0,
            Some("inactive") => 1,
            _ => 2,
        };
        if users.get(&email).is_none_or(|(best, _)| rank < *best) {
            users.insert(email, (rank, user));
        }
    }
    users
        .into_iter()
        .map(|(email, (_, user))| (email, user))
        .collect()
}

/// The users as the snapshot keeps them, with their skills and languages when
/// `with_assignments` (from the expansions; a missing expansion is read on its own).
pub(crate) async fn live_users(
    client: &Client,
    users: BTreeMap<String, User>,
    with_assignments: bool,
) -> Result<BTreeMap<String, LiveUser>, FetchError> {
    let mut live = BTreeMap::new();
    for (email, user) in users {
        let Some(id) = user.id.clone() else { continue };
        // Whether a user is active decides whether the plan acts for them: a user the
        // answer gives no state is refused, never taken as inactive or active.
        let Some(state) = user.state.clone().filter(|s| !s.is_empty()) else {
            return Err(malformed(
                "users",
                api::users::LIST,
                format!(
                    "user {email} came without a state, so whether they are active cannot be known"
                ),
            ));
        };
        let (skills, languages) = if with_assignments {
            assignments(client, &id, &user, &email, true).await?
        } else {
            (BTreeMap::new(), BTreeMap::new())
        };
        live.insert(
            email,
            LiveUser {
                id,
                name: user.name.clone(),
                state,
                skills,
                languages,
                utilization: None,
            },
        );
    }
    Ok(live)
}

type Proficiencies = BTreeMap<String, f64>;

/// A user's skills and, when `with_languages`, languages from the expanded user; the API
/// resolves expansions on a best-effort basis, so a missing one is read on its own. An
/// assignment without an id or a proficiency is an error: a replace would move it with a
/// made-up proficiency, and a removal could not name it.
pub(crate) async fn assignments(
    client: &Client,
    id: &str,
    user: &User,
    email: &str,
    with_languages: bool,
) -> Result<(Proficiencies, Proficiencies), FetchError> {
    let skills = expanded_or_read(
        user.skills.as_ref(),
        || client.list_user_skills(id),
        |s| (&s.id, s.proficiency),
        email,
        "skill",
        api::user_routing::LIST_SKILLS,
    )
    .await?;
    if !with_languages {
        return Ok((skills, BTreeMap::new()));
    }
    let languages = expanded_or_read(
        user.languages.as_ref(),
        || client.list_user_languages(id),
        |l| (&l.id, l.proficiency),
        email,
        "language",
        api::user_routing::LIST_LANGUAGES,
    )
    .await?;
    Ok((skills, languages))
}

/// The assignments of `email` from the expansion, else from their own read (`read`, at
/// `endpoint`), by id with their proficiency (`parts` gives an assignment's both).
async fn expanded_or_read<T, Read>(
    expanded: Option<&Vec<T>>,
    read: impl FnOnce() -> Read,
    parts: impl Fn(&T) -> (&Option<String>, Option<f64>),
    email: &str,
    what: &str,
    endpoint: switchboard_client::Endpoint,
) -> Result<Proficiencies, FetchError>
where
    Read: Future<Output = Result<Vec<T>, switchboard_client::Error>>,
{
    let read_own;
    let assignments = match expanded {
        Some(expanded) => expanded,
        None => {
            read_own = read().await.reading(|| format!("the {what}s of {email}"))?;
            &read_own
        }
    };
    proficiencies(email, what, endpoint, assignments.iter().map(parts))
}

/// Assignments by id, each with its proficiency, or the error naming the one without.
fn proficiencies<'a>(
    email: &str,
    what: &str,
    endpoint: switchboard_client::Endpoint,
    assignments: impl Iterator<Item = (&'a Option<String>, Option<f64>)>,
) -> Result<Proficiencies, FetchError> {
    assignments
        .map(|(id, proficiency)| {
            let id = id.as_ref().filter(|id| !id.is_empty());
            match (id, proficiency) {
                (Some(id), Some(p)) if p.is_finite() => Ok((id.clone(), p)),
                (id, _) => Err(malformed(
                    format!("the {what}s of {email}"),
                    endpoint,
                    format!(
                        "a {what} assignment ({}) has no {}",
                        id.map_or("no id", String::as_str),
                        if id.is_some() { "proficiency" } else { "id" }
                    ),
                )),
            }
        })
        .collect()
}
