//! Renderers: pure functions of a [`crate::Plan`]. The lines that show an attribute or an
//! element ([`attribute_lines`], [`element_line`]) and how they are laid out ([`text_line`],
//! [`diff_fence`]) are public, so that a drift report shows its differences exactly as a plan
//! does.

mod markdown;
pub mod paint;
mod routing;
mod text;
mod values;

pub use markdown::{MARKDOWN_LIMIT, code, diff_fence, escape, markdown};
pub use text::{TextStyle, text, text_line};
pub use values::{Line, NONE, attribute_lines, clean, element_line};
