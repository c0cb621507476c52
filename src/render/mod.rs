//! Renderers: the scan report as a text control panel or JSON; graphs as
//! DOT or Mermaid.

mod graph;
mod json;
mod text;

pub use graph::{GraphView, ViewEdge, ViewNode, write_dot, write_mermaid};
pub use json::write_json;
pub use text::write_text;
