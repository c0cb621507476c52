//! Renderers: the scan report as a text control panel or JSON; graphs as
//! DOT or Mermaid.

mod graph;
mod json;
mod map_text;
mod text;

pub use graph::{GraphView, ViewEdge, ViewNode, write_dot, write_mermaid};
pub use json::write_json;
pub use map_text::write_map_text;
pub use text::write_text;
