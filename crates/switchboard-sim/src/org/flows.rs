//! Architect flows: seeded lookups a queue names (`queueFlow`, `emailInQueueFlow`, ...).
//!
//! Flow types have two spellings in the API description (API-FACTS-LOOKUPS L1.3 rule 4): the
//! `type` query parameter of `GET /api/v2/flows` is lowercase (`inqueuecall`), `Flow.type` in
//! answers is uppercase (`INQUEUECALL`), and only the answers know `BUSINESSPROCESS`. A flow
//! keeps the uppercase spelling.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::OrgState;

/// The `type` query enum of `getFlows` (openapi.json), in its order.
pub(crate) const FLOW_QUERY_TYPES: [&str; 20] = [
    "bot",
    "commonmodule",
    "digitalbot",
    "emailsend",
    "inboundcall",
    "inboundchat",
    "inboundemail",
    "inboundshortmessage",
    "outboundcall",
    "inqueuecall",
    "inqueueemail",
    "inqueueshortmessage",
    "speech",
    "securecall",
    "surveyinvite",
    "voice",
    "voicemail",
    "voicesurvey",
    "workflow",
    "workitem",
];

/// The `Flow.type` response enum (openapi.json): the query enum uppercased, plus
/// `BUSINESSPROCESS`.
const FLOW_TYPES: [&str; 21] = [
    "BOT",
    "BUSINESSPROCESS",
    "COMMONMODULE",
    "DIGITALBOT",
    "EMAILSEND",
    "INBOUNDCALL",
    "INBOUNDCHAT",
    "INBOUNDEMAIL",
    "INBOUNDSHORTMESSAGE",
    "INQUEUECALL",
    "INQUEUEEMAIL",
    "INQUEUESHORTMESSAGE",
    "OUTBOUNDCALL",
    "SECURECALL",
    "SPEECH",
    "SURVEYINVITE",
    "VOICE",
    "VOICEMAIL",
    "VOICESURVEY",
    "WORKFLOW",
    "WORKITEM",
];

/// The response spelling of a flow type written in either case, if it is one.
pub(crate) fn flow_type(name: &str) -> Option<&'static str> {
    FLOW_TYPES
        .iter()
        .find(|t| t.eq_ignore_ascii_case(name))
        .copied()
}

/// An Architect flow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Flow {
    pub id: String,
    pub name: String,
    /// The response spelling (`INQUEUECALL`).
    pub flow_type: String,
    pub division_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub active: bool,
    pub system: bool,
    pub deleted: bool,
}

impl OrgState {
    /// The `Flow` JSON: the fields a lookup needs, and no versions.
    pub(crate) fn render_flow(&self, f: &Flow) -> Value {
        let mut v = json!({
            "id": f.id,
            "name": f.name,
            "division": self.division_ref(&f.division_id),
            "type": f.flow_type,
            "active": f.active,
            "system": f.system,
            "deleted": f.deleted,
            "selfUri": format!("/api/v2/flows/{}", f.id),
        });
        if let Some(d) = &f.description {
            v["description"] = json!(d);
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_query_type_has_a_response_spelling() {
        for t in FLOW_QUERY_TYPES {
            assert_eq!(flow_type(t), Some(t.to_uppercase()).as_deref());
        }
        assert_eq!(flow_type("businessProcess"), Some("BUSINESSPROCESS"));
        assert_eq!(flow_type("inqueue"), None);
    }
}
