//! Directory groups (`/api/v2/groups`): seeded, with users as members. A queue takes one as a
//! `memberGroups` entry of type `GROUP`, and its members become the queue's.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{OrgState, UserState, iso};

/// A directory group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DirectoryGroup {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// User ids.
    pub members: BTreeSet<String>,
    pub date_modified: DateTime<Utc>,
    pub version: u64,
}

impl OrgState {
    /// How many of these user ids are users that are not deleted.
    pub(crate) fn live_user_count(&self, ids: &BTreeSet<String>) -> usize {
        ids.iter()
            .filter(|id| {
                self.users
                    .get(*id)
                    .is_some_and(|u| u.state != UserState::Deleted)
            })
            .count()
    }

    /// The `Group` JSON. `type`, `rulesVisible` and `visibility` are required by the
    /// description.
    // unverified: the simulator's groups are all `official`, `public` groups with visible
    // rules; the facts give no defaults.
    pub(crate) fn render_directory_group(&self, g: &DirectoryGroup) -> Value {
        let mut v = json!({
            "id": g.id,
            "name": g.name,
            "dateModified": iso(g.date_modified),
            "memberCount": self.live_user_count(&g.members),
            "state": "active",
            "version": g.version,
            "type": "official",
            "rulesVisible": true,
            "visibility": "public",
            "selfUri": format!("/api/v2/groups/{}", g.id),
        });
        if let Some(d) = &g.description {
            v["description"] = json!(d);
        }
        v
    }
}
