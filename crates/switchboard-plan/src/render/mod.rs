//! Renderers: pure functions of a [`crate::Plan`].

mod markdown;
pub mod paint;
mod routing;
mod text;
mod values;

pub use markdown::{MARKDOWN_LIMIT, escape, markdown};
pub use text::{TextStyle, text};
