//! Reading the users a manifest names, by whichever real path costs fewer requests: a user
//! search by email (100 emails per request) or the user listing (500 users per page).

use std::collections::{BTreeMap, BTreeSet};

use switchboard_client::Client;
use switchboard_client::api::users::{PAGE_SIZE, SEARCH_PAGE_SIZE, UserFilter};
use switchboard_client::models::User;
use switchboard_manifest::live::LiveUser;

use crate::scope::FetchScope;
use crate::{FetchError, Reading};

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
                state: user.state.clone().unwrap_or_default(),
                skills,
                languages,
            },
        );
    }
    Ok(live)
}

type Proficiencies = BTreeMap<String, f64>;

/// A user's skills and, when `with_languages`, languages from the expanded user; the API
/// resolves expansions on a best-effort basis, so a missing one is read on its own.
pub(crate) async fn assignments(
    client: &Client,
    id: &str,
    user: &User,
    email: &str,
    with_languages: bool,
) -> Result<(Proficiencies, Proficiencies), FetchError> {
    let skills = match &user.skills {
        Some(skills) => skills
            .iter()
            .filter_map(|s| Some((s.id.clone()?, s.proficiency.unwrap_or(0.0))))
            .collect(),
        None => client
            .list_user_skills(id)
            .await
            .reading(|| format!("the skills of {email}"))?
            .into_iter()
            .filter_map(|s| Some((s.id?, s.proficiency.unwrap_or(0.0))))
            .collect(),
    };
    let languages = match &user.languages {
        _ if !with_languages => BTreeMap::new(),
        Some(languages) => languages
            .iter()
            .filter_map(|l| Some((l.id.clone()?, l.proficiency.unwrap_or(0.0))))
            .collect(),
        None => client
            .list_user_languages(id)
            .await
            .reading(|| format!("the languages of {email}"))?
            .into_iter()
            .filter_map(|l| Some((l.id?, l.proficiency.unwrap_or(0.0))))
            .collect(),
    };
    Ok((skills, languages))
}
