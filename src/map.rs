//! `mlscan map`: the import graph and the lineage graph of a scan, whole or
//! cut down to what lies upstream or downstream of a node.
//!
//! Directions read the same on both graphs: **upstream** of a node is what
//! it depends on (the modules it imports; the data, configs and code that
//! feed it), **downstream** is what a change to it reaches (the modules
//! importing it; the datasets, features, models and stages it feeds).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::graph::{ImportGraph, algo};
use crate::lineage::LineageGraph;
use crate::render::{GraphView, ViewEdge, ViewNode};
use crate::report::{Diagnostic, SCHEMA_VERSION, ScanReport, Tool};

/// Which graphs to build and show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum GraphKind {
    Imports,
    Lineage,
    All,
}

impl GraphKind {
    fn imports(self) -> bool {
        self != GraphKind::Lineage
    }

    fn lineage(self) -> bool {
        self != GraphKind::Imports
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Upstream,
    Downstream,
}

/// An `--upstream`/`--downstream` question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// A module name, a file path, or a lineage node's id or name.
    pub node: String,
    pub direction: Direction,
    /// Longest path followed; `None` for no limit.
    pub depth: Option<u32>,
}

/// A node reached by a query, with its distance from the nearest start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reached {
    pub id: String,
    pub distance: u32,
}

/// The answer to a [`Query`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueryResult {
    pub node: String,
    pub direction: Direction,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth: Option<u32>,
    /// The modules and lineage nodes that NODE names.
    pub starts: Vec<String>,
    /// Modules reached, by distance then name.
    pub imports: Vec<Reached>,
    /// Lineage nodes reached, by distance then id.
    pub lineage: Vec<Reached>,
}

/// What `mlscan map` reports.
#[derive(Debug, Clone, Serialize)]
pub struct MapReport {
    pub schema_version: u32,
    pub tool: Tool,
    pub root: String,
    /// With a query, `modules`/`edges` and lineage `nodes`/`edges` keep only
    /// the starts and what they reach; repository-level facts (externals,
    /// components, cycles) stay whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imports: Option<ImportGraph>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lineage: Option<LineageGraph>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<QueryResult>,
    pub diagnostics: Vec<Diagnostic>,
}

impl MapReport {
    /// Takes the graphs of `scan` and answers `query`. `Err` when the
    /// query names nothing.
    pub fn new(scan: ScanReport, kind: GraphKind, query: Option<&Query>) -> Result<Self, String> {
        let mut imports = kind.imports().then_some(scan.imports);
        let mut lineage = kind.lineage().then_some(scan.lineage);
        let query = match query {
            Some(q) => Some(answer(q, imports.as_mut(), lineage.as_mut())?),
            None => None,
        };
        Ok(MapReport {
            schema_version: SCHEMA_VERSION,
            tool: scan.tool,
            root: scan.root,
            imports,
            lineage,
            query,
            diagnostics: scan.diagnostics,
        })
    }

    /// The graphs as renderable views: internal modules and their import
    /// pairs; lineage nodes and edges.
    pub fn views(&self) -> Vec<GraphView> {
        let mut views = Vec::new();
        if let Some(g) = &self.imports {
            let pairs: BTreeSet<(&str, &str)> = g
                .edges
                .iter()
                .map(|e| (e.from.as_str(), e.to.as_str()))
                .collect();
            views.push(GraphView {
                name: "imports".to_owned(),
                nodes: g
                    .modules
                    .iter()
                    .map(|m| ViewNode {
                        id: m.name.clone(),
                        label: m.name.clone(),
                        kind: "module".to_owned(),
                    })
                    .collect(),
                edges: pairs
                    .into_iter()
                    .map(|(from, to)| ViewEdge {
                        from: from.to_owned(),
                        to: to.to_owned(),
                        label: String::new(),
                    })
                    .collect(),
            });
        }
        if let Some(g) = &self.lineage {
            views.push(GraphView {
                name: "lineage".to_owned(),
                nodes: g
                    .nodes
                    .iter()
                    .map(|n| ViewNode {
                        id: n.id.clone(),
                        label: n.name.clone(),
                        kind: n.kind.as_str().to_owned(),
                    })
                    .collect(),
                edges: g
                    .edges
                    .iter()
                    .map(|e| ViewEdge {
                        from: e.from.clone(),
                        to: e.to.clone(),
                        label: e.kind.as_str().to_owned(),
                    })
                    .collect(),
            });
        }
        views
    }
}

/// Answers `query` and cuts both graphs down to the starts and what they
/// reach.
fn answer(
    query: &Query,
    imports: Option<&mut ImportGraph>,
    lineage: Option<&mut LineageGraph>,
) -> Result<QueryResult, String> {
    let mut starts = Vec::new();
    let mut reached_imports = Vec::new();
    let mut reached_lineage = Vec::new();
    let mut candidates = Vec::new();
    if let Some(g) = imports {
        let named: Vec<String> = g
            .modules
            .iter()
            .filter(|m| m.name == query.node || m.path == query.node)
            .map(|m| m.name.clone())
            .collect();
        candidates.extend(g.modules.iter().map(|m| m.name.clone()));
        // Import edges point from importer to imported: upstream follows them.
        let forward = query.direction == Direction::Upstream;
        let edges: Vec<(String, String)> = g
            .edges
            .iter()
            .map(|e| (e.from.clone(), e.to.clone()))
            .collect();
        reached_imports = reach(
            &named,
            g.modules.iter().map(|m| m.name.as_str()),
            &edges,
            forward,
            query.depth,
        );
        let keep = kept(&named, &reached_imports);
        g.modules.retain(|m| keep.contains(m.name.as_str()));
        g.edges
            .retain(|e| keep.contains(e.from.as_str()) && keep.contains(e.to.as_str()));
        g.module_pairs = g
            .edges
            .iter()
            .map(|e| (&e.from, &e.to))
            .collect::<BTreeSet<_>>()
            .len();
        starts.extend(named);
    }
    if let Some(g) = lineage {
        let named: Vec<String> = g
            .nodes
            .iter()
            .filter(|n| n.id == query.node || n.name == query.node || n.path == query.node)
            .map(|n| n.id.clone())
            .collect();
        candidates.extend(g.nodes.iter().map(|n| n.name.clone()));
        // Lineage edges follow the data: downstream follows them.
        let forward = query.direction == Direction::Downstream;
        let edges: Vec<(String, String)> = g
            .edges
            .iter()
            .map(|e| (e.from.clone(), e.to.clone()))
            .collect();
        reached_lineage = reach(
            &named,
            g.nodes.iter().map(|n| n.id.as_str()),
            &edges,
            forward,
            query.depth,
        );
        let keep = kept(&named, &reached_lineage);
        g.nodes.retain(|n| keep.contains(n.id.as_str()));
        g.edges
            .retain(|e| keep.contains(e.from.as_str()) && keep.contains(e.to.as_str()));
        starts.extend(named);
    }
    if starts.is_empty() {
        return Err(not_found(&query.node, candidates));
    }
    Ok(QueryResult {
        node: query.node.clone(),
        direction: query.direction,
        depth: query.depth,
        starts,
        imports: reached_imports,
        lineage: reached_lineage,
    })
}

/// Nodes reachable from any of `starts` (not counting the starts
/// themselves), each at its shortest distance.
fn reach<'a>(
    starts: &[String],
    nodes: impl Iterator<Item = &'a str>,
    edges: &'a [(String, String)],
    forward: bool,
    depth: Option<u32>,
) -> Vec<Reached> {
    let digraph = algo::Digraph::new(nodes, edges.iter().map(|(f, t)| (f.as_str(), t.as_str())));
    let digraph = if forward { digraph } else { digraph.reversed() };
    let mut best: BTreeMap<&str, u32> = BTreeMap::new();
    for start in starts {
        let Some(i) = digraph.index_of(start) else {
            continue;
        };
        for (node, distance) in algo::reachable(&digraph.out, i, depth) {
            let name = digraph.names[node];
            if starts.iter().any(|s| s == name) {
                continue;
            }
            let slot = best.entry(name).or_insert(distance);
            *slot = (*slot).min(distance);
        }
    }
    let mut reached: Vec<Reached> = best
        .into_iter()
        .map(|(id, distance)| Reached {
            id: id.to_owned(),
            distance,
        })
        .collect();
    reached.sort_by(|a, b| (a.distance, &a.id).cmp(&(b.distance, &b.id)));
    reached
}

fn kept<'a>(starts: &'a [String], reached: &'a [Reached]) -> BTreeSet<&'a str> {
    starts
        .iter()
        .map(String::as_str)
        .chain(reached.iter().map(|r| r.id.as_str()))
        .collect()
}

/// The error for a query naming nothing, with a few names that contain it.
fn not_found(node: &str, candidates: Vec<String>) -> String {
    let needle = node.to_lowercase();
    let similar: BTreeSet<String> = candidates
        .into_iter()
        .filter(|c| c.to_lowercase().contains(&needle))
        .collect();
    let mut message = format!("no module, file or lineage node is named {node:?}");
    if !similar.is_empty() {
        let shown: Vec<String> = similar.into_iter().take(5).collect();
        message.push_str(&format!("; similar: {}", shown.join(", ")));
    }
    message
}
