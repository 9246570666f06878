//! One module per command; each resolves its settings, then calls the libraries.

pub mod demo;
pub mod sim;
