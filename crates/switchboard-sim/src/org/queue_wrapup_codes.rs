//! A queue's wrap-up codes: add up to 100 per call, remove one at a time.

use chrono::Utc;

use super::{OpResult, OrgState};
use crate::api_error::ApiError;
use crate::audit::{Actor, PropertyChange};

/// The most codes one add call takes ("Add up to 100 wrap-up codes to a queue").
pub(crate) const MAX_QUEUE_WRAPUP_CODES: usize = 100;

impl OrgState {
    /// POST /routing/queues/{id}/wrapupcodes; codes already on the queue are kept as they are.
    pub(crate) fn add_queue_wrapup_codes(
        &mut self,
        actor: &Actor,
        queue_id: &str,
        code_ids: &[String],
    ) -> OpResult<()> {
        if code_ids.len() > MAX_QUEUE_WRAPUP_CODES {
            // unverified: the code for more than 100 entries is not documented.
            return Err(ApiError::bad_request(format!(
                "Only {MAX_QUEUE_WRAPUP_CODES} wrap-up codes can be added in one request."
            )));
        }
        if !self.queues.contains_key(queue_id) {
            return Err(ApiError::not_found_id(queue_id));
        }
        for id in code_ids {
            if !self.wrapup_codes.contains_key(id) {
                // unverified: unknown ids in the body give 400 invalid.value here.
                return Err(ApiError::invalid_value(
                    "id",
                    format!("Wrap-up code [{id}] does not exist."),
                )
                .entity(id, None));
            }
        }
        let mut added = Vec::new();
        if let Some(queue) = self.queues.get_mut(queue_id) {
            for id in code_ids {
                if queue.wrapup_codes.insert(id.clone()) {
                    added.push(id.clone());
                }
            }
            if !added.is_empty() {
                queue.date_modified = Utc::now();
            }
        }
        let name = self
            .queues
            .get(queue_id)
            .map(|q| q.name.clone())
            .unwrap_or_default();
        for id in added {
            self.record_queue_wrapup_code(actor, queue_id, &name, &id, Change::Added);
        }
        Ok(())
    }

    /// DELETE /routing/queues/{id}/wrapupcodes/{codeId}.
    pub(crate) fn remove_queue_wrapup_code(
        &mut self,
        actor: &Actor,
        queue_id: &str,
        code_id: &str,
    ) -> OpResult<()> {
        let Some(queue) = self.queues.get_mut(queue_id) else {
            return Err(ApiError::not_found_id(queue_id));
        };
        if !queue.wrapup_codes.remove(code_id) {
            return Err(ApiError::not_found_id(code_id));
        }
        queue.date_modified = Utc::now();
        let name = queue.name.clone();
        self.record_queue_wrapup_code(actor, queue_id, &name, code_id, Change::Removed);
        Ok(())
    }

    /// Audits one code added to or removed from a queue, the code given as `name (id)`.
    fn record_queue_wrapup_code(
        &mut self,
        actor: &Actor,
        queue_id: &str,
        queue_name: &str,
        code_id: &str,
        change: Change,
    ) {
        let code_name = self
            .wrapup_codes
            .get(code_id)
            .map(|c| c.name.clone())
            .unwrap_or_default();
        let code = [format!("{code_name} ({code_id})")];
        let (action, property) = match change {
            Change::Added => ("WrapupCodeAdd", PropertyChange::new("wrapupCode", [], code)),
            Change::Removed => (
                "WrapupCodeRemove",
                PropertyChange::new("wrapupCode", code, []),
            ),
        };
        self.record(actor, "Queue", queue_id, queue_name, action, vec![property]);
    }
}

/// Whether a code joined or left a queue.
enum Change {
    Added,
    Removed,
}
