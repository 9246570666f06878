//! Routing languages: `/api/v2/routing/languages` (not the deprecated `/api/v2/languages`).

use super::op;
use crate::client::Client;
use crate::error::Error;
use crate::models::Language;
use crate::paging::Page;
use crate::request::{ApiRequest, Endpoint, Method::*};

/// `GET /api/v2/routing/languages`.
pub const LIST: Endpoint = op(Get, "/api/v2/routing/languages", &[]);
/// `POST /api/v2/routing/languages`.
pub const CREATE: Endpoint = op(Post, "/api/v2/routing/languages", &["routing:skill:manage"]);
/// `GET /api/v2/routing/languages/{languageId}`.
pub const GET: Endpoint = op(Get, "/api/v2/routing/languages/{languageId}", &[]);
/// `DELETE /api/v2/routing/languages/{languageId}`.
pub const DELETE: Endpoint = op(
    Delete,
    "/api/v2/routing/languages/{languageId}",
    &["routing:skill:manage"],
);

/// Page size (the Terraform provider's).
pub const PAGE_SIZE: u32 = 100;

/// One page of languages.
pub fn list(page: Page) -> ApiRequest {
    ApiRequest::new(LIST, &[]).page(page)
}

/// One language.
pub fn get(language_id: &str) -> ApiRequest {
    ApiRequest::new(GET, &[language_id])
}

/// Creates a language.
pub fn create(name: &str) -> ApiRequest {
    ApiRequest::new(CREATE, &[]).json(&Language {
        name: name.to_string(),
        ..Language::default()
    })
}

/// Deletes a language.
pub fn delete(language_id: &str) -> ApiRequest {
    ApiRequest::new(DELETE, &[language_id])
}

impl Client {
    /// Every routing language, deleted ones included (check [`Language::is_live`]).
    pub async fn list_languages(&self) -> Result<Vec<Language>, Error> {
        self.list_all(PAGE_SIZE, list).await
    }

    /// One language.
    pub async fn get_language(&self, language_id: &str) -> Result<Language, Error> {
        self.execute(get(language_id)).await
    }

    /// Creates a language.
    pub async fn create_language(&self, name: &str) -> Result<Language, Error> {
        self.execute(create(name)).await
    }

    /// Deletes a language.
    pub async fn delete_language(&self, language_id: &str) -> Result<(), Error> {
        self.execute_empty(delete(language_id)).await
    }
}
