use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

/// `Channel`: a notification channel and the WebSocket to read it from.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Channel {
    /// Channel id.
    pub id: Option<String>,
    /// WebSocket URI.
    pub connect_uri: Option<String>,
    /// Expiry (channels live 24 h).
    pub expires: Option<String>,
}

/// `ChannelTopic`: one subscription.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChannelTopic {
    /// Topic name, e.g. `v2.routing.queues.{id}.users`.
    pub id: String,
    /// `Permitted` or `Rejected` (responses only).
    pub state: Option<String>,
    /// Why it was rejected.
    pub rejection_reason: Option<String>,
}

impl ChannelTopic {
    /// A subscription request for `topic`.
    pub fn new(topic: impl Into<String>) -> Self {
        ChannelTopic {
            id: topic.into(),
            ..ChannelTopic::default()
        }
    }
}
