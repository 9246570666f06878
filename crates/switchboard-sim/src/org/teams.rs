//! Teams (`/api/v2/teams`): seeded, in a division, with users as members. A queue takes one as
//! a `memberGroups` entry of type `TEAM`, and its members become the queue's.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{OrgState, iso};

/// A team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Team {
    pub id: String,
    pub name: String,
    pub division_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// User ids.
    pub members: BTreeSet<String>,
    pub date_created: DateTime<Utc>,
    pub date_modified: DateTime<Utc>,
}

impl OrgState {
    /// The `Team` JSON. The division is `{id, selfUri}`, and has its name too with
    /// `expand=entities.division`.
    // unverified: what the division holds without the expand is not documented; leaving the
    // name out makes a client that needs it ask for the expand.
    pub(crate) fn render_team(&self, t: &Team, expand_division: bool) -> Value {
        let mut division = self.division_ref(&t.division_id);
        if !expand_division && let Some(d) = division.as_object_mut() {
            d.remove("name");
        }
        let mut v = json!({
            "id": t.id,
            "name": t.name,
            "division": division,
            "dateCreated": iso(t.date_created),
            "dateModified": iso(t.date_modified),
            "memberCount": self.live_user_count(&t.members),
            "selfUri": format!("/api/v2/teams/{}", t.id),
        });
        if let Some(d) = &t.description {
            v["description"] = json!(d);
        }
        v
    }
}
