//! Scripts: seeded lookups a queue names (`defaultScripts`). A published script is listed by
//! both `GET /scripts` and `GET /scripts/published`, an unpublished one only by the first.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{OrgState, iso};

/// A script.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Script {
    pub id: String,
    pub name: String,
    pub division_id: String,
    pub published: bool,
    pub date_created: DateTime<Utc>,
    pub date_modified: DateTime<Utc>,
}

impl OrgState {
    /// The `Script` JSON; `published` is true when it is listed as a published script.
    // unverified: the real published listing's `selfUri` is not documented; it names the
    // published script here.
    pub(crate) fn render_script(&self, s: &Script, published: bool) -> Value {
        let self_uri = if published {
            format!("/api/v2/scripts/published/{}", s.id)
        } else {
            format!("/api/v2/scripts/{}", s.id)
        };
        let mut v = json!({
            "id": s.id,
            "name": s.name,
            "division": self.division_ref(&s.division_id),
            "createdDate": iso(s.date_created),
            "modifiedDate": iso(s.date_modified),
            "selfUri": self_uri,
        });
        if s.published {
            v["publishedDate"] = json!(iso(s.date_modified));
        }
        v
    }
}
