//! Renderers: pure functions of a [`crate::Plan`].

mod markdown;
mod text;
mod values;

pub use markdown::{MARKDOWN_LIMIT, markdown};
pub use text::{TextStyle, text};
