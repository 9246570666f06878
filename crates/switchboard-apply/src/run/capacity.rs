//! Writing an agent's capacity (routing utilization, API-FACTS §8): the API replaces it whole
//! (`PUT /api/v2/routing/users/{userId}/utilization`), so the write is read-modify-write:
//! read it, check it is as the plan saw it, set the plan's fields, keep the rest (other media
//! types, label utilizations) as read. Back to the org default is a `DELETE`.

use switchboard_client::api::utilization;
use switchboard_client::models::Utilization;
use switchboard_plan::live::LiveUtilization;
use switchboard_plan::{Change, ResourceKind, fingerprint, updated_capacity};

use super::{Cx, Problem, Status};

impl Cx<'_> {
    /// A utilization label's id by name: one the org has, or one this run created.
    fn label_id(&self, name: &str) -> Option<String> {
        self.ids.named(ResourceKind::UtilizationLabel, name)
    }

    /// The org's utilization, as an agent's capacity is written: read, checked, the planned
    /// fields set, `PUT` whole (other media types and label utilizations as read).
    pub(super) async fn org_utilization(&self, change: &Change) -> Result<Status, Problem> {
        let current: LiveUtilization = self.client.execute(utilization::get_org()).await?;
        if let Some(recorded) = &change.fingerprint
            && fingerprint::of_capacity(Some(&current)) != *recorded
        {
            return Err(Problem::Invalid(
                "the org's utilization read just before its write differs from the plan's (edited since); it is not written: make the plan again".into(),
            ));
        }
        let Some(body) =
            updated_capacity(&current, &change.attributes, &|name| self.label_id(name))
                .map_err(Problem::Invalid)?
        else {
            return Err(Problem::Invalid(
                "the org's utilization has no default to return to".into(),
            ));
        };
        let request: Utilization = serde_json::to_value(&body)
            .and_then(serde_json::from_value)
            .map_err(|e| Problem::Invalid(format!("utilization body: {e}")))?;
        self.client.set_org_utilization(&request).await?;
        Ok(Status::Applied)
    }

    pub(super) async fn agent_capacity(&self, change: &Change) -> Result<Status, Problem> {
        let user = self.user(change)?;
        let email = change.address.name.as_str();
        let current: LiveUtilization = self.client.execute(utilization::get_user(&user)).await?;
        // The precondition, just before the write: the capacity is as the plan saw it, so the
        // fields the plan does not show are written back as the reviewer saw them.
        if let Some(recorded) = &change.fingerprint
            && fingerprint::of_capacity(Some(&current)) != *recorded
        {
            return Err(Problem::Invalid(format!(
                "the capacity of agent {email} read just before its write differs from the plan's (edited since); it is not written: make the plan again"
            )));
        }
        match updated_capacity(&current, &change.attributes, &|name| self.label_id(name))
            .map_err(Problem::Invalid)?
        {
            None => self.client.reset_user_utilization(&user).await?,
            Some(body) => {
                let request: Utilization = serde_json::to_value(&body)
                    .and_then(serde_json::from_value)
                    .map_err(|e| Problem::Invalid(format!("utilization body: {e}")))?;
                self.client.set_user_utilization(&user, &request).await?;
            }
        }
        Ok(Status::Applied)
    }
}
