//! Renderers: the scan report as a text control panel or as JSON.

mod json;
mod text;

pub use json::write_json;
pub use text::write_text;
