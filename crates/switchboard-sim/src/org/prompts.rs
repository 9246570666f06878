//! Architect user prompts: seeded lookups a queue names (`whisperPrompt`, `onHoldPrompt`).

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::OrgState;

/// A user prompt, without its audio resources.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Prompt {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub division_id: String,
}

impl OrgState {
    /// The `Prompt` JSON.
    // unverified: what `resources` holds for a prompt without uploaded audio is not
    // documented; the simulator's prompts have none, so `resources` is left out.
    pub(crate) fn render_prompt(&self, p: &Prompt) -> Value {
        let mut v = json!({
            "id": p.id,
            "name": p.name,
            "division": self.division_ref(&p.division_id),
            "selfUri": format!("/api/v2/architect/prompts/{}", p.id),
        });
        if let Some(d) = &p.description {
            v["description"] = json!(d);
        }
        v
    }
}
