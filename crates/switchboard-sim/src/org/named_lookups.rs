//! Canned-response libraries, telephony edge groups and sites: seeded lookups a queue names
//! (`cannedResponseLibraries.libraryIds`, `mediaSettings.callback.edgeGroup` and `.site`)
//! that the API subset cannot change. Each is known by id and name only.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{OrgState, iso};

/// A library, an edge group or a site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct NamedLookup {
    pub id: String,
    pub name: String,
    pub date_created: DateTime<Utc>,
}

impl OrgState {
    /// The `Library` JSON.
    // unverified: the listing's `version` and `dateCreated` values are the simulator's.
    pub(crate) fn render_library(&self, l: &NamedLookup) -> Value {
        json!({
            "id": l.id,
            "name": l.name,
            "version": 1,
            "dateCreated": iso(l.date_created),
            "selfUri": format!("/api/v2/responsemanagement/libraries/{}", l.id),
        })
    }

    /// The `EdgeGroup` JSON. The description requires `edgeTrunkBaseAssignment` and
    /// `phoneTrunkBases`; the simulator has no trunks, so they are empty.
    // unverified: a cloud org's edge group trunk assignments are not documented.
    pub(crate) fn render_edge_group(&self, g: &NamedLookup) -> Value {
        json!({
            "id": g.id,
            "name": g.name,
            "division": self.division_ref(&self.home_division_id()),
            "version": 1,
            "dateCreated": iso(g.date_created),
            "state": "active",
            "managed": false,
            "hybrid": false,
            "edgeTrunkBaseAssignment": {},
            "phoneTrunkBases": [],
            "selfUri": format!("/api/v2/telephony/providers/edges/edgegroups/{}", g.id),
        })
    }

    /// The `Site` JSON. The description requires `location`; the simulator has no locations,
    /// so it is a reference derived from the site's id.
    // unverified: the location a site names is the simulator's invention.
    pub(crate) fn render_site(&self, s: &NamedLookup) -> Value {
        json!({
            "id": s.id,
            "name": s.name,
            "division": self.division_ref(&self.home_division_id()),
            "version": 1,
            "dateCreated": iso(s.date_created),
            "state": "active",
            "managed": false,
            "mediaModel": "Cloud",
            "location": {
                "id": s.id,
                "name": s.name,
                "selfUri": format!("/api/v2/locations/{}", s.id),
            },
            "selfUri": format!("/api/v2/telephony/providers/edges/sites/{}", s.id),
        })
    }
}
