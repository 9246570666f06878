use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::User;

/// `QueueMember`. It has no score or weight field (API-FACTS §2): ring number and joined
/// state are all there is.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueMember {
    /// The user's id.
    pub id: Option<String>,
    /// The user's name.
    pub name: Option<String>,
    /// The user.
    pub user: Option<User>,
    /// Bullseye ring, 1-6.
    pub ring_number: Option<i64>,
    /// Joined to the queue.
    pub joined: Option<bool>,
    /// `user` (direct) or `group` (through a member group).
    pub member_by: Option<String>,
    /// Routing status, when expanded.
    pub routing_status: Option<serde_json::Value>,
    /// API path.
    pub self_uri: Option<String>,
}

impl QueueMember {
    /// A body for the single-member PATCH that changes the ring only.
    pub fn ring_change(ring_number: i64) -> Self {
        QueueMember {
            ring_number: Some(ring_number),
            ..QueueMember::default()
        }
    }

    /// A body item for the bulk join/unjoin PATCH.
    pub fn join_change(user_id: impl Into<String>, joined: bool) -> Self {
        QueueMember {
            id: Some(user_id.into()),
            joined: Some(joined),
            ..QueueMember::default()
        }
    }

    /// True when the user is a member directly rather than through a group.
    pub fn is_direct(&self) -> bool {
        self.member_by.as_deref() != Some("group")
    }
}
