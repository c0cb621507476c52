//! Renderers: the scan report as a text control panel or JSON; findings
//! as SARIF or GitHub annotations; graphs as DOT or Mermaid; the rules;
//! trends as a table, CSV or an SVG line chart.

mod chart;
mod github;
mod graph;
mod json;
mod map_text;
mod rules;
mod sarif;
mod text;
mod trend;

pub use chart::{Chart, Panel, Series, write_svg};
pub use github::write_github;
pub use graph::{GraphView, ViewEdge, ViewNode, map_views, write_dot, write_mermaid};
pub use json::write_json;
pub use map_text::write_map_text;
pub use rules::{write_rule_doc, write_rule_list};
pub use sarif::write_sarif;
pub use text::write_text;
pub use trend::{trend_chart, write_trend_csv, write_trend_text};
