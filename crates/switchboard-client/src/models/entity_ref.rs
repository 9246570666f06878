use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

/// A reference to another object (`DomainEntityRef`, `Division`, `WritableDivision`,
/// `StarrableDivision`, `SkillsToRemove` all have this shape).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntityRef {
    /// Object id.
    pub id: Option<String>,
    /// Display name.
    pub name: Option<String>,
    /// API path of the object.
    pub self_uri: Option<String>,
}

impl EntityRef {
    /// A reference by id only, as request bodies use.
    pub fn id(id: impl Into<String>) -> Self {
        EntityRef {
            id: Some(id.into()),
            ..EntityRef::default()
        }
    }
}

/// `{ "id": ... }`: `WritableEntity` and `WrapUpCodeReference` in bulk bodies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdRef {
    /// Object id.
    pub id: String,
}

impl IdRef {
    /// Wraps an id.
    pub fn new(id: impl Into<String>) -> Self {
        IdRef { id: id.into() }
    }
}

/// `NamedEntity`: id and name.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedEntity {
    /// Object id.
    pub id: Option<String>,
    /// Display name.
    pub name: Option<String>,
}
