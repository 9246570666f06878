//! switchboard's desired state: the manifest people edit in pull requests.
//!
//! It is pure: it reads manifest files and nothing else, and never touches the network.
//! [`load`] reads a file or a directory (plus an environment overlay), checks it against the
//! JSON schema generated from the [`model`] types and against the semantic [`rules`](crate),
//! and returns the typed [`Manifest`] with every finding located at `file:line:column`.

mod diagnostic;
pub mod edit;
pub mod live;
mod load;
pub mod model;
pub mod names;
pub mod references;
mod rules;
mod schema;
mod tree;
pub mod yaml;

pub use diagnostic::{Diagnostic, Severity};
pub use live::Live;
pub use load::{LoadOptions, Loaded, load, load_str, manifest_files};
pub use model::Manifest;
pub use rules::email_problem;
pub use schema::{fragment_schema, fragment_schema_text, json_schema, json_schema_text};
