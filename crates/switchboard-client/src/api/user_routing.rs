//! A user's routing skills and languages (API-FACTS §5).

use futures::{StreamExt, TryStreamExt};

use super::{op, users};
use crate::client::Client;
use crate::error::{Error, ListingError};
use crate::models::{
    EntityListing, User, UserRoutingLanguage, UserRoutingLanguagePost, UserRoutingSkill,
    UserRoutingSkillPost,
};
use crate::paging::Page;
use crate::request::{ApiRequest, Endpoint, Method::*};

const ASSIGN_SKILL: &[&str] = &["routing:skill:assign"];
const ASSIGN_LANGUAGE: &[&str] = &["routing:skill:assign", "routing:language:assign"];

/// `GET /api/v2/users/{userId}/routingskills`.
pub const LIST_SKILLS: Endpoint = op(Get, "/api/v2/users/{userId}/routingskills", &[]);
/// `POST /api/v2/users/{userId}/routingskills`: one assignment.
pub const ADD_SKILL: Endpoint = op(Post, "/api/v2/users/{userId}/routingskills", ASSIGN_SKILL);
/// `PUT .../routingskills/bulk`: replaces all assignments.
pub const REPLACE_SKILLS: Endpoint = op(
    Put,
    "/api/v2/users/{userId}/routingskills/bulk",
    ASSIGN_SKILL,
);
/// `PATCH .../routingskills/bulk`: adds or updates.
pub const PATCH_SKILLS: Endpoint = op(
    Patch,
    "/api/v2/users/{userId}/routingskills/bulk",
    ASSIGN_SKILL,
);
/// `PUT .../routingskills/{skillId}`: proficiency of one.
pub const UPDATE_SKILL: Endpoint = op(
    Put,
    "/api/v2/users/{userId}/routingskills/{skillId}",
    ASSIGN_SKILL,
);
/// `DELETE .../routingskills/{skillId}`.
pub const REMOVE_SKILL: Endpoint = op(
    Delete,
    "/api/v2/users/{userId}/routingskills/{skillId}",
    ASSIGN_SKILL,
);

/// `GET /api/v2/users/{userId}/routinglanguages`.
pub const LIST_LANGUAGES: Endpoint = op(Get, "/api/v2/users/{userId}/routinglanguages", &[]);
/// `POST /api/v2/users/{userId}/routinglanguages`.
pub const ADD_LANGUAGE: Endpoint = op(
    Post,
    "/api/v2/users/{userId}/routinglanguages",
    ASSIGN_LANGUAGE,
);
/// `PATCH .../routinglanguages/bulk`: adds or updates (there is no PUT bulk for languages).
pub const PATCH_LANGUAGES: Endpoint = op(
    Patch,
    "/api/v2/users/{userId}/routinglanguages/bulk",
    ASSIGN_LANGUAGE,
);
/// `PATCH .../routinglanguages/{languageId}`.
pub const UPDATE_LANGUAGE: Endpoint = op(
    Patch,
    "/api/v2/users/{userId}/routinglanguages/{languageId}",
    ASSIGN_LANGUAGE,
);
/// `DELETE .../routinglanguages/{languageId}`.
pub const REMOVE_LANGUAGE: Endpoint = op(
    Delete,
    "/api/v2/users/{userId}/routinglanguages/{languageId}",
    ASSIGN_LANGUAGE,
);

/// Page size for a user's skills and languages (the Terraform provider's).
pub const PAGE_SIZE: u32 = 50;
/// Assignments per bulk PATCH: "Bulk API restricts skills adds to 50 per call" (Terraform
/// provider) and "Max 50 routing languages in request body" (API docs).
pub const MAX_PER_PATCH: usize = 50;

/// One page of a user's skills.
pub fn list_skills(user_id: &str, page: Page) -> ApiRequest {
    ApiRequest::new(LIST_SKILLS, &[user_id]).page(page)
}

/// Assigns one skill (repeating it sets the same proficiency again).
pub fn add_skill(user_id: &str, skill: &UserRoutingSkillPost) -> ApiRequest {
    ApiRequest::new(ADD_SKILL, &[user_id])
        .json(skill)
        .idempotent()
}

/// Replaces every skill assignment of a user.
pub fn replace_skills(user_id: &str, skills: &[UserRoutingSkillPost]) -> ApiRequest {
    ApiRequest::new(REPLACE_SKILLS, &[user_id]).json(&skills)
}

/// Adds or updates up to 50 assignments.
pub fn patch_skills(user_id: &str, skills: &[UserRoutingSkillPost]) -> ApiRequest {
    ApiRequest::new(PATCH_SKILLS, &[user_id]).json(&skills)
}

/// Sets one assignment's proficiency.
pub fn update_skill(user_id: &str, skill_id: &str, proficiency: f64) -> ApiRequest {
    let body = UserRoutingSkill {
        id: Some(skill_id.to_string()),
        proficiency: Some(proficiency),
        ..UserRoutingSkill::default()
    };
    ApiRequest::new(UPDATE_SKILL, &[user_id, skill_id]).json(&body)
}

/// Removes one assignment.
pub fn remove_skill(user_id: &str, skill_id: &str) -> ApiRequest {
    ApiRequest::new(REMOVE_SKILL, &[user_id, skill_id])
}

/// One page of a user's languages.
pub fn list_languages(user_id: &str, page: Page) -> ApiRequest {
    ApiRequest::new(LIST_LANGUAGES, &[user_id]).page(page)
}

/// Assigns one language.
pub fn add_language(user_id: &str, language: &UserRoutingLanguagePost) -> ApiRequest {
    ApiRequest::new(ADD_LANGUAGE, &[user_id])
        .json(language)
        .idempotent()
}

/// Adds or updates up to 50 language assignments.
pub fn patch_languages(user_id: &str, languages: &[UserRoutingLanguagePost]) -> ApiRequest {
    ApiRequest::new(PATCH_LANGUAGES, &[user_id]).json(&languages)
}

/// Sets one language's proficiency.
pub fn update_language(user_id: &str, language_id: &str, proficiency: f64) -> ApiRequest {
    let body = UserRoutingLanguage {
        id: Some(language_id.to_string()),
        proficiency: Some(proficiency),
        ..UserRoutingLanguage::default()
    };
    ApiRequest::new(UPDATE_LANGUAGE, &[user_id, language_id]).json(&body)
}

/// Removes one language.
pub fn remove_language(user_id: &str, language_id: &str) -> ApiRequest {
    ApiRequest::new(REMOVE_LANGUAGE, &[user_id, language_id])
}

impl Client {
    /// Every skill assigned to a user.
    pub async fn list_user_skills(&self, user_id: &str) -> Result<Vec<UserRoutingSkill>, Error> {
        self.list_all(PAGE_SIZE, |page| list_skills(user_id, page))
            .await
    }

    /// `users` with every one's skills known, for a decision that must see every holder of
    /// a skill: the API resolves expansions on a best-effort basis, and a `skills`
    /// expansion that failed cannot be told from a user without skills, so each user whose
    /// expansion is absent or empty has their skills read on their own — one request per
    /// such user, concurrently within the client's bound. A user without an id is an
    /// error: whether they hold a skill cannot be acted on.
    pub async fn with_every_skill(&self, users: Vec<User>) -> Result<Vec<User>, Error> {
        let concurrency = self.config().max_concurrency.get();
        futures::stream::iter(users)
            .map(|mut user| async move {
                let Some(id) = user.id.as_deref() else {
                    return Err(ListingError::new(
                        users::LIST,
                        format!(
                            "a user ({}) has no id, so who holds a skill cannot be known",
                            user.name.as_deref().unwrap_or("no name")
                        ),
                    )
                    .into());
                };
                if user.skills.as_ref().is_none_or(Vec::is_empty) {
                    user.skills = Some(self.list_user_skills(id).await?);
                }
                Ok(user)
            })
            .buffered(concurrency)
            .try_collect()
            .await
    }

    /// Replaces all of a user's skills in one call.
    pub async fn replace_user_skills(
        &self,
        user_id: &str,
        skills: &[UserRoutingSkillPost],
    ) -> Result<Vec<UserRoutingSkill>, Error> {
        let listing: EntityListing<UserRoutingSkill> =
            self.execute(replace_skills(user_id, skills)).await?;
        Ok(listing.entities)
    }

    /// Adds or updates skills, 50 per call; never removes.
    pub async fn patch_user_skills(
        &self,
        user_id: &str,
        skills: &[UserRoutingSkillPost],
    ) -> Result<(), Error> {
        self.send_in_chunks(skills, MAX_PER_PATCH, |body| patch_skills(user_id, body))
            .await
    }

    /// Removes one skill from a user.
    pub async fn remove_user_skill(&self, user_id: &str, skill_id: &str) -> Result<(), Error> {
        self.execute_empty(remove_skill(user_id, skill_id)).await
    }

    /// Every language assigned to a user.
    pub async fn list_user_languages(
        &self,
        user_id: &str,
    ) -> Result<Vec<UserRoutingLanguage>, Error> {
        self.list_all(PAGE_SIZE, |page| list_languages(user_id, page))
            .await
    }

    /// Adds or updates languages, 50 per call; never removes.
    pub async fn patch_user_languages(
        &self,
        user_id: &str,
        languages: &[UserRoutingLanguagePost],
    ) -> Result<(), Error> {
        self.send_in_chunks(languages, MAX_PER_PATCH, |body| {
            patch_languages(user_id, body)
        })
        .await
    }

    /// Removes one language from a user.
    pub async fn remove_user_language(
        &self,
        user_id: &str,
        language_id: &str,
    ) -> Result<(), Error> {
        self.execute_empty(remove_language(user_id, language_id))
            .await
    }
}
