//! Typed wire models of the Genesys Cloud API, named and shaped as in the vendor's API
//! description (`openapi.json`). Field names are the wire names in camelCase.
//!
//! Enumerations stay `String`s here: a value the API adds tomorrow must round-trip through a
//! read-modify-write untouched. The manifest layer has the typed enums.
//! Models of objects switchboard writes back whole (queues by PUT, skill groups by PATCH) keep
//! every field they do not model in `extra`, at every nesting level, so a write never drops
//! one.

mod addresses;
mod audit;
mod division;
mod entity_ref;
mod error_body;
mod listing;
mod lookups;
mod member;
mod notification;
mod organization;
mod queue;
mod routing;
mod routing_settings;
mod search;
mod skill_group;
mod token;
mod user;
mod utilization;

pub use addresses::*;
pub use audit::*;
pub use division::*;
pub use entity_ref::*;
pub use error_body::*;
pub use listing::*;
pub use lookups::*;
pub use member::*;
pub use notification::*;
pub use organization::*;
pub use queue::*;
pub use routing::*;
pub use routing_settings::*;
pub use search::*;
pub use skill_group::*;
pub use token::*;
pub use user::*;
pub use utilization::*;

/// Fields a model does not name, kept verbatim.
pub type Extra = serde_json::Map<String, serde_json::Value>;
