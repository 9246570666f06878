//! Utilization labels: `/api/v2/routing/utilization/labels` (API-FACTS-LOOKUPS L2.2). A label
//! has only a name; its capacity is set through `labelUtilizations` (org and per agent).

use super::op;
use crate::client::Client;
use crate::error::Error;
use crate::models::{
    CreateUtilizationLabelRequest, UpdateUtilizationLabelRequest, UtilizationLabel,
};
use crate::paging::Page;
use crate::request::{ApiRequest, Endpoint, Method::*};

const VIEW: &[&str] = &["routing:utilization:view"];
const MANAGE: &[&str] = &["routing:utilization:manage"];

/// `GET /api/v2/routing/utilization/labels`: page paging, sorted by name.
pub const LIST: Endpoint = op(Get, "/api/v2/routing/utilization/labels", VIEW);
/// `POST /api/v2/routing/utilization/labels`.
pub const CREATE: Endpoint = op(Post, "/api/v2/routing/utilization/labels", MANAGE);
/// `GET /api/v2/routing/utilization/labels/{labelId}`.
pub const GET: Endpoint = op(Get, "/api/v2/routing/utilization/labels/{labelId}", VIEW);
/// `PUT /api/v2/routing/utilization/labels/{labelId}`: a rename (only the name can change).
pub const RENAME: Endpoint = op(Put, "/api/v2/routing/utilization/labels/{labelId}", MANAGE);
/// `DELETE /api/v2/routing/utilization/labels/{labelId}`. switchboard never sends
/// `forceDelete=true`, which removes the label's usages without warning.
pub const DELETE: Endpoint = op(
    Delete,
    "/api/v2/routing/utilization/labels/{labelId}",
    MANAGE,
);
/// `GET /api/v2/routing/utilization/labels/{labelId}/agents`: who uses it (unpaged).
pub const AGENTS: Endpoint = op(
    Get,
    "/api/v2/routing/utilization/labels/{labelId}/agents",
    VIEW,
);

/// Page size. The description gives a default of 25 and no maximum; 100 is the page size
/// switchboard uses for the routing listings that take it (API-FACTS §2).
pub const PAGE_SIZE: u32 = 100;

/// One page of labels, sorted by name; `name` filters (wildcards `*` allowed).
pub fn list(page: Page, name: Option<&str>) -> ApiRequest {
    let request = ApiRequest::new(LIST, &[])
        .page(page)
        .query("sortOrder", "ascending");
    match name {
        Some(name) => request.query("name", name),
        None => request,
    }
}

/// One label.
pub fn get(label_id: &str) -> ApiRequest {
    ApiRequest::new(GET, &[label_id])
}

/// Creates a label.
pub fn create(label: &CreateUtilizationLabelRequest) -> ApiRequest {
    ApiRequest::new(CREATE, &[]).json(label)
}

/// Renames a label.
pub fn rename(label_id: &str, label: &UpdateUtilizationLabelRequest) -> ApiRequest {
    ApiRequest::new(RENAME, &[label_id]).json(label)
}

/// Deletes a label, refused by the API while it is in use (no `forceDelete`).
pub fn delete(label_id: &str) -> ApiRequest {
    ApiRequest::new(DELETE, &[label_id])
}

/// The agents using a label.
pub fn agents(label_id: &str) -> ApiRequest {
    ApiRequest::new(AGENTS, &[label_id])
}

impl Client {
    /// Every utilization label.
    pub async fn list_utilization_labels(&self) -> Result<Vec<UtilizationLabel>, Error> {
        self.list_all(PAGE_SIZE, |page| list(page, None)).await
    }

    /// One label.
    pub async fn get_utilization_label(&self, label_id: &str) -> Result<UtilizationLabel, Error> {
        self.execute(get(label_id)).await
    }

    /// Creates a label named `name`.
    pub async fn create_utilization_label(&self, name: &str) -> Result<UtilizationLabel, Error> {
        let request = CreateUtilizationLabelRequest { name: name.into() };
        self.execute(create(&request)).await
    }

    /// Renames a label to `name`.
    pub async fn rename_utilization_label(
        &self,
        label_id: &str,
        name: &str,
    ) -> Result<UtilizationLabel, Error> {
        let request = UpdateUtilizationLabelRequest { name: name.into() };
        self.execute(rename(label_id, &request)).await
    }

    /// Deletes a label (never forced: the API refuses a label in use).
    pub async fn delete_utilization_label(&self, label_id: &str) -> Result<(), Error> {
        self.execute_empty(delete(label_id)).await
    }

    /// The agents using a label, as the API lists them (the description types them only as
    /// objects).
    pub async fn utilization_label_agents(
        &self,
        label_id: &str,
    ) -> Result<Vec<serde_json::Value>, Error> {
        self.execute(agents(label_id)).await
    }
}
