//! The graph under construction: nodes deduplicated by id, edges by
//! (from, to, kind), artifacts kept apart until every writer is known.

use std::collections::{BTreeMap, BTreeSet};

use super::{EdgeKind, LineageEdge, LineageGraph, LineageNode, NodeKind};

/// Internal id prefix of an artifact whose kind (`dataset` or
/// `data_source`) is decided in [`Builder::finish`].
const ARTIFACT: &str = "artifact:";

/// Whether an id is an artifact's (before [`Builder::finish`]).
pub(super) fn is_artifact(id: &str) -> bool {
    id.starts_with(ARTIFACT)
}

/// Where something was found.
#[derive(Debug, Clone, Copy)]
pub(super) struct At<'a> {
    pub path: &'a str,
    pub line: u32,
    pub cell: Option<u32>,
}

impl<'a> At<'a> {
    pub fn new(path: &'a str, line: u32, cell: Option<u32>) -> Self {
        At { path, line, cell }
    }
}

#[derive(Default)]
pub(super) struct Builder {
    nodes: BTreeMap<String, LineageNode>,
    /// (from, to, kind) → the smallest (path, line) it was seen at.
    edges: BTreeMap<(String, String, EdgeKind), (String, u32)>,
}

impl Builder {
    /// Adds a node unless its id exists (the first sighting names it; a
    /// later one only fills a missing detail). Returns the id.
    pub fn node(
        &mut self,
        id: String,
        kind: NodeKind,
        name: &str,
        at: At,
        detail: Option<String>,
    ) -> String {
        let node = self.nodes.entry(id.clone()).or_insert_with(|| LineageNode {
            id: id.clone(),
            kind,
            name: name.to_string(),
            path: at.path.to_string(),
            line: at.line,
            cell: at.cell,
            detail: None,
        });
        if node.detail.is_none() {
            node.detail = detail;
        }
        id
    }

    /// An artifact (a file, folder, table or catalog entry) keyed by its
    /// normalised path or name.
    pub fn artifact(&mut self, key: &str, name: &str, at: At, detail: Option<String>) -> String {
        self.node(
            format!("{ARTIFACT}{key}"),
            NodeKind::Dataset,
            name,
            at,
            detail,
        )
    }

    /// What cannot be resolved statically, with the reason.
    pub fn opaque(&mut self, at: At, reason: String) -> String {
        let id = match at.cell {
            Some(cell) => format!("opaque:{}:cell{cell}:{}", at.path, at.line),
            None => format!("opaque:{}:{}", at.path, at.line),
        };
        let name = id["opaque:".len()..].to_string();
        self.node(id, NodeKind::Opaque, &name, at, Some(reason))
    }

    /// Adds an edge; self-loops are ignored.
    pub fn edge(&mut self, from: &str, to: &str, kind: EdgeKind, at: At) {
        if from == to {
            return;
        }
        let loc = (at.path.to_string(), at.line);
        self.edges
            .entry((from.to_string(), to.to_string(), kind))
            .and_modify(|old| *old = old.clone().min(loc.clone()))
            .or_insert(loc);
    }

    /// Adds what `other` holds, as if its nodes and edges had been added
    /// here after this builder's own.
    pub fn absorb(&mut self, other: Builder) {
        for (id, node) in other.nodes {
            match self.nodes.entry(id) {
                std::collections::btree_map::Entry::Occupied(mut kept) => {
                    let kept = kept.get_mut();
                    if kept.detail.is_none() {
                        kept.detail = node.detail;
                    }
                }
                std::collections::btree_map::Entry::Vacant(slot) => {
                    slot.insert(node);
                }
            }
        }
        for (key, loc) in other.edges {
            self.edges
                .entry(key)
                .and_modify(|old| *old = old.clone().min(loc.clone()))
                .or_insert(loc);
        }
    }

    /// Derived edges, artifact kinds, then the sorted graph.
    pub fn finish(mut self) -> LineageGraph {
        self.stage_dependencies();
        self.module_runs();
        let written: Vec<String> = self
            .edges
            .keys()
            .filter(|(_, to, kind)| *kind == EdgeKind::Writes && to.starts_with(ARTIFACT))
            .map(|(_, to, _)| to[ARTIFACT.len()..].to_string())
            .collect();
        let rename = |id: &str| -> String {
            match id.strip_prefix(ARTIFACT) {
                Some(key) if written.iter().any(|w| overlaps(w, key)) => format!("dataset:{key}"),
                Some(key) => format!("data_source:{key}"),
                None => id.to_string(),
            }
        };
        let mut nodes: Vec<LineageNode> = self
            .nodes
            .into_values()
            .map(|mut node| {
                if node.id.starts_with(ARTIFACT) {
                    node.id = rename(&node.id);
                    if node.id.starts_with("data_source:") {
                        node.kind = NodeKind::DataSource;
                    }
                }
                node
            })
            .collect();
        nodes.sort_by(|a, b| a.id.cmp(&b.id));
        let mut edges: Vec<LineageEdge> = self
            .edges
            .into_iter()
            .map(|((from, to, kind), (path, line))| LineageEdge {
                from: rename(&from),
                to: rename(&to),
                kind,
                path,
                line,
            })
            .collect();
        edges.sort();
        LineageGraph { nodes, edges }
    }

    /// Stage A `depends_on` stage B when A writes an artifact that B reads
    /// (the same path, or one inside the other's folder), as `dvc dag`.
    fn stage_dependencies(&mut self) {
        let mut writes: Vec<(&str, &str)> = Vec::new();
        let mut reads: Vec<(&str, &str, &(String, u32))> = Vec::new();
        for ((from, to, kind), loc) in &self.edges {
            match kind {
                EdgeKind::Writes if from.starts_with("stage:") => {
                    if let Some(key) = to.strip_prefix(ARTIFACT) {
                        writes.push((from, key));
                    }
                }
                EdgeKind::Reads if to.starts_with("stage:") => {
                    if let Some(key) = from.strip_prefix(ARTIFACT) {
                        reads.push((key, to, loc));
                    }
                }
                _ => {}
            }
        }
        let mut found = BTreeSet::new();
        for (writer, out) in &writes {
            for (dep, reader, loc) in &reads {
                if writer != reader && overlaps(out, dep) {
                    found.insert((writer.to_string(), reader.to_string(), (*loc).clone()));
                }
            }
        }
        for (from, to, (path, line)) in found {
            self.edge(&from, &to, EdgeKind::DependsOn, At::new(&path, line, None));
        }
    }

    /// A module run by a stage runs every function of that file that is
    /// in the graph (`transform:F` → `transform:F#f`).
    fn module_runs(&mut self) {
        let run: BTreeSet<String> = self
            .edges
            .keys()
            .filter(|(from, to, kind)| {
                *kind == EdgeKind::Runs && from.starts_with("stage:") && !to.contains('#')
            })
            .map(|(_, to, _)| to.clone())
            .collect();
        let mut found = Vec::new();
        for module in run.iter().filter(|m| m.starts_with("transform:")) {
            let prefix = format!("{module}#");
            for node in self.nodes.range(prefix.clone()..) {
                if !node.0.starts_with(&prefix) {
                    break;
                }
                if node.1.detail.as_deref() == Some(super::FUNCTION) {
                    found.push((module.clone(), node.1.clone()));
                }
            }
        }
        for (module, node) in found {
            let at = At::new(&node.path, node.line, node.cell);
            self.edge(&module, &node.id, EdgeKind::Runs, at);
        }
    }
}

/// Two artifact keys name the same data: equal, or one is a folder of the
/// other.
fn overlaps(a: &str, b: &str) -> bool {
    let inside = |x: &str, dir: &str| x.strip_prefix(dir).is_some_and(|r| r.starts_with('/'));
    a == b || inside(a, b) || inside(b, a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_overlap_their_files_only() {
        assert!(overlaps("data/features", "data/features/a.parquet"));
        assert!(overlaps("data/x.csv", "data/x.csv"));
        assert!(!overlaps("data/feat", "data/features"));
    }
}
