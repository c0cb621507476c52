//! Graphs as Graphviz DOT and Mermaid flowcharts. Both renderers take a
//! [`GraphView`]: nodes with a label and a kind, edges with a kind, in the
//! order given (callers sort them, so output is stable).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

/// A renderable graph.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GraphView {
    pub name: String,
    pub nodes: Vec<ViewNode>,
    pub edges: Vec<ViewEdge>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewNode {
    pub id: String,
    pub label: String,
    /// Picks the shape: a lineage node kind, or `module`/`external`.
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewEdge {
    pub from: String,
    pub to: String,
    /// Shown on the edge; empty for none.
    pub label: String,
}

/// Graphviz shapes per node kind.
fn dot_shape(kind: &str) -> &'static str {
    match kind {
        "data_source" | "dataset" => "cylinder",
        "feature" => "ellipse",
        "model" => "box3d",
        "stage" => "component",
        "config" => "note",
        "opaque" => "diamond",
        "external" => "plaintext",
        _ => "box",
    }
}

/// Mermaid node brackets per node kind.
fn mermaid_brackets(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "data_source" | "dataset" => ("[(", ")]"),
        "feature" => ("([", "])"),
        "model" => ("{{", "}}"),
        "stage" => ("[[", "]]"),
        "config" => (">", "]"),
        "opaque" => ("{", "}"),
        _ => ("[", "]"),
    }
}

/// Writes graphs as one DOT document per graph.
pub fn write_dot(graphs: &[GraphView], out: &mut dyn Write) -> io::Result<()> {
    for graph in graphs {
        let mut text = String::new();
        let _ = writeln!(text, "digraph {} {{", dot_string(&graph.name));
        text.push_str("  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n");
        text.push_str("  edge [fontname=\"Helvetica\", fontsize=9];\n");
        for node in &graph.nodes {
            let _ = writeln!(
                text,
                "  {} [label={}, shape={}];",
                dot_string(&node.id),
                dot_string(&node.label),
                dot_shape(&node.kind)
            );
        }
        for edge in &graph.edges {
            let _ = write!(
                text,
                "  {} -> {}",
                dot_string(&edge.from),
                dot_string(&edge.to)
            );
            if !edge.label.is_empty() {
                let _ = write!(text, " [label={}]", dot_string(&edge.label));
            }
            text.push_str(";\n");
        }
        text.push_str("}\n");
        out.write_all(text.as_bytes())?;
    }
    Ok(())
}

/// Writes graphs as Mermaid flowcharts (one per graph, separated by a
/// blank line). Node ids are replaced by `n0`, `n1`, … since Mermaid ids
/// cannot hold arbitrary characters.
pub fn write_mermaid(graphs: &[GraphView], out: &mut dyn Write) -> io::Result<()> {
    for (i, graph) in graphs.iter().enumerate() {
        let mut text = String::new();
        if i > 0 {
            text.push('\n');
        }
        let _ = writeln!(text, "%% {}", graph.name);
        text.push_str("flowchart LR\n");
        let ids: BTreeMap<&str, String> = graph
            .nodes
            .iter()
            .enumerate()
            .map(|(n, node)| (node.id.as_str(), format!("n{n}")))
            .collect();
        for node in &graph.nodes {
            let (open, close) = mermaid_brackets(&node.kind);
            let _ = writeln!(
                text,
                "  {}{open}\"{}\"{close}",
                ids[node.id.as_str()],
                mermaid_label(&node.label)
            );
        }
        for edge in &graph.edges {
            let (Some(from), Some(to)) = (ids.get(edge.from.as_str()), ids.get(edge.to.as_str()))
            else {
                continue;
            };
            if edge.label.is_empty() {
                let _ = writeln!(text, "  {from} --> {to}");
            } else {
                let _ = writeln!(
                    text,
                    "  {from} -->|\"{}\"| {to}",
                    mermaid_label(&edge.label)
                );
            }
        }
        out.write_all(text.as_bytes())?;
    }
    Ok(())
}

/// A quoted DOT string with `"` and `\` escaped.
fn dot_string(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                quoted.push('\\');
                quoted.push(c);
            }
            '\n' => quoted.push_str("\\n"),
            _ => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// Mermaid labels cannot hold `"`; entity codes stand in.
fn mermaid_label(text: &str) -> String {
    text.replace('"', "#quot;").replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> GraphView {
        let node = |id: &str, label: &str, kind: &str| ViewNode {
            id: id.into(),
            label: label.into(),
            kind: kind.into(),
        };
        GraphView {
            name: "lineage".into(),
            nodes: vec![
                node("dataset:data/a \"x\".csv", "a \"x\".csv", "dataset"),
                node("stage:dvc.yaml#train", "train", "stage"),
            ],
            edges: vec![ViewEdge {
                from: "dataset:data/a \"x\".csv".into(),
                to: "stage:dvc.yaml#train".into(),
                label: "reads".into(),
            }],
        }
    }

    #[test]
    fn dot_escapes_and_shapes() {
        let mut out = Vec::new();
        write_dot(&[view()], &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "digraph \"lineage\" {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n  \
             edge [fontname=\"Helvetica\", fontsize=9];\n  \
             \"dataset:data/a \\\"x\\\".csv\" [label=\"a \\\"x\\\".csv\", shape=cylinder];\n  \
             \"stage:dvc.yaml#train\" [label=\"train\", shape=component];\n  \
             \"dataset:data/a \\\"x\\\".csv\" -> \"stage:dvc.yaml#train\" [label=\"reads\"];\n}\n"
        );
    }

    #[test]
    fn mermaid_uses_safe_ids() {
        let mut out = Vec::new();
        write_mermaid(&[view()], &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "%% lineage\nflowchart LR\n  n0[(\"a #quot;x#quot;.csv\")]\n  n1[[\"train\"]]\n  n0 -->|\"reads\"| n1\n"
        );
    }
}
