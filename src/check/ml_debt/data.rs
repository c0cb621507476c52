//! Data debt over the lineage graph: unused features (MLS206), undeclared
//! consumers (MLS207) and pipeline jungles (MLS209).

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::collections::{BTreeMap, BTreeSet};

use crate::lineage::{EdgeKind, LineageEdge, LineageNode, NodeKind};

use super::super::{Active, At, Context, Sink};
use super::{adjacency, closure, is_test, listing, reach};

/// The detail of a Feast `FeatureView` and `FeatureService` feature node.
const FEATURE_VIEW: &str = "feast FeatureView";
const FEATURE_SERVICE: &str = "feast FeatureService";
/// Longest chain of scripts followed (it bounds the recursion).
const MAX_CHAIN: usize = 64;

/// `declared`: the files of [`super::declared_files`].
pub(super) fn check<'a>(cx: &Context<'a>, declared: BTreeSet<&'a str>, out: &mut Sink) {
    let (unused, consumers, jungle) = (cx.rule("MLS206"), cx.rule("MLS207"), cx.rule("MLS209"));
    if unused.is_none() && consumers.is_none() && jungle.is_none() {
        return;
    }
    let g = Graph::new(cx, declared);
    if let Some(rule) = unused {
        unused_features(cx, &g, rule, out);
    }
    if let Some(rule) = consumers {
        undeclared_consumers(cx, &g, rule, out);
    }
    if let Some(rule) = jungle {
        jungles(cx, &g, rule, out);
    }
}

/// The lineage graph with its edges by node.
struct Graph<'a> {
    nodes: HashMap<&'a str, &'a LineageNode>,
    out: HashMap<&'a str, Vec<&'a LineageEdge>>,
    into: HashMap<&'a str, Vec<&'a LineageEdge>>,
    /// Files whose code a declared pipeline runs (see `declared_files`).
    declared: BTreeSet<&'a str>,
}

impl<'a> Graph<'a> {
    fn new(cx: &Context<'a>, declared: BTreeSet<&'a str>) -> Self {
        let mut g = Graph {
            nodes: cx
                .lineage
                .nodes
                .iter()
                .map(|n| (n.id.as_str(), n))
                .collect(),
            out: HashMap::new(),
            into: HashMap::new(),
            declared,
        };
        for e in &cx.lineage.edges {
            g.out.entry(e.from.as_str()).or_default().push(e);
            g.into.entry(e.to.as_str()).or_default().push(e);
        }
        g
    }

    fn kind(&self, id: &str) -> Option<NodeKind> {
        self.nodes.get(id).map(|n| n.kind)
    }

    fn out(&self, id: &str) -> &[&'a LineageEdge] {
        self.out.get(id).map_or(&[], Vec::as_slice)
    }

    fn into(&self, id: &str) -> &[&'a LineageEdge] {
        self.into.get(id).map_or(&[], Vec::as_slice)
    }

    /// The scanned, non-test code file of a transform or model node that
    /// no declared pipeline runs.
    fn undeclared_code(&self, cx: &Context<'a>, id: &str) -> Option<&'a str> {
        let node = self.nodes.get(id)?;
        let file = cx.file(&node.path)?;
        (matches!(node.kind, NodeKind::Transform | NodeKind::Model)
            && !file.facts.language.is_config()
            && !is_test(file)
            && !self.declared.contains(file.path.as_str()))
        .then_some(file.path.as_str())
    }
}

/// The first place of a set of edges, by path and line.
fn first<'e>(edges: impl Iterator<Item = &'e &'e LineageEdge>) -> Option<&'e LineageEdge> {
    edges
        .min_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)))
        .copied()
}

/// MLS206: features that code writes (or Feast fields) that nothing
/// consumes, when every model of the repository trains on named features
/// (so that a feature outside them is evidently unused).
fn unused_features(cx: &Context, g: &Graph, rule: &Active, out: &mut Sink) {
    let models: Vec<&LineageNode> = cx
        .lineage
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Model && n.detail.as_deref() != Some("external"))
        .collect();
    let named = |model: &&LineageNode| {
        let inputs: Vec<NodeKind> = g
            .into(&model.id)
            .iter()
            .filter(|e| e.kind == EdgeKind::TrainsOn)
            .filter_map(|e| g.kind(&e.from))
            .collect();
        inputs.len() >= 2 && inputs.iter().all(|k| *k == NodeKind::Feature)
    };
    if models.is_empty() || !models.iter().all(named) {
        return;
    }
    let read: HashSet<&str> = read_columns(cx);
    let services = cx
        .lineage
        .nodes
        .iter()
        .any(|n| n.detail.as_deref() == Some(FEATURE_SERVICE));
    for node in cx
        .lineage
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Feature)
    {
        let id = node.id.as_str();
        if !g.out(id).is_empty()
            || g.into(id).iter().any(|e| e.kind == EdgeKind::Configures)
            || read.contains(node.name.as_str())
        {
            continue;
        }
        let writes = g.into(id).iter().filter(|e| {
            e.kind == EdgeKind::Writes && cx.file(&e.path).is_some_and(|f| !is_test(f))
        });
        let (at, how) = if let Some(write) = first(writes) {
            (write, "is written")
        } else if let Some(view) = services.then(|| feast_view(g, id)).flatten() {
            (view, "is a field of a Feast view")
        } else {
            continue;
        };
        let message = format!(
            "`{}` {how} at {}:{} but nothing reads it: no model trains on it, no feature \
             derives from it, no transform, stage or feature service uses it",
            node.name, at.path, at.line
        );
        out.report(rule, At::new(&at.path, at.line, None), &node.name, message);
    }
}

/// Columns read by name anywhere, except in a statement that writes the
/// same column (`df["x"] = df["x"].fillna(0)` does not consume `x`).
fn read_columns<'a>(cx: &Context<'a>) -> HashSet<&'a str> {
    let mut read = HashSet::new();
    for file in cx.files {
        let columns = &file.facts.lineage.columns;
        let written: HashSet<(Option<&str>, u32, Option<u32>, &str)> = columns
            .iter()
            .filter(|c| c.write)
            .map(|c| (c.function.as_deref(), c.line, c.cell, c.column.as_str()))
            .collect();
        for c in columns.iter().filter(|c| !c.write) {
            let statement = (c.function.as_deref(), c.line, c.cell, c.column.as_str());
            if !written.contains(&statement) {
                read.insert(c.column.as_str());
            }
        }
    }
    read
}

/// The edge deriving a Feast field from its view, when the view itself
/// goes nowhere else (not listed whole by a feature service, not fetched).
fn feast_view<'e>(g: &Graph<'e>, field: &str) -> Option<&'e LineageEdge> {
    let edge = g.into(field).iter().copied().find(|e| {
        e.kind == EdgeKind::Derives
            && g.nodes
                .get(e.from.as_str())
                .is_some_and(|n| n.detail.as_deref() == Some(FEATURE_VIEW))
    })?;
    let fields = format!("{}:", edge.from);
    let view_used = g.out(&edge.from).iter().any(|e| !e.to.starts_with(&fields));
    (!view_used).then_some(edge)
}

/// Datasets a declared pipeline produces: written by a pipeline stage or
/// by code one runs; with the producing stage's name.
fn produced<'a>(cx: &Context<'a>, g: &Graph<'a>) -> BTreeMap<&'a str, &'a str> {
    let runs = adjacency(
        cx.lineage
            .edges
            .iter()
            .filter(|e| e.kind == EdgeKind::Runs)
            .map(|e| (e.from.as_str(), e.to.as_str())),
    );
    let mut produced = BTreeMap::new();
    for stage in cx.lineage.nodes.iter().filter(|n| n.is_pipeline_stage()) {
        for id in reach(std::iter::once(stage.id.as_str()), &runs) {
            for e in g.out(id).iter().filter(|e| e.kind == EdgeKind::Writes) {
                if g.kind(&e.to) == Some(NodeKind::Dataset) {
                    produced.entry(e.to.as_str()).or_insert(stage.id.as_str());
                }
            }
        }
    }
    produced
}

/// MLS207: code that no declared pipeline runs, reading a dataset that a
/// declared pipeline produces.
fn undeclared_consumers(cx: &Context, g: &Graph, rule: &Active, out: &mut Sink) {
    let produced = produced(cx, g);
    let mut seen = HashSet::new();
    let datasets = cx
        .lineage
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Dataset);
    for node in datasets {
        let dataset = node.id.as_str();
        // The dataset, or a folder holding it or a file inside it.
        let Some(stage) = produced.get(dataset).copied().or_else(|| {
            produced
                .iter()
                .find(|(id, _)| nested(id, dataset) || nested(dataset, id))
                .map(|(_, stage)| *stage)
        }) else {
            continue;
        };
        for read in g.out(dataset).iter().filter(|e| e.kind == EdgeKind::Reads) {
            let Some(reader) = g.undeclared_code(cx, &read.to) else {
                continue;
            };
            let name = node.name.as_str();
            if !seen.insert((reader, name)) {
                continue;
            }
            let stage = g.nodes.get(stage).map_or(stage, |n| n.name.as_str());
            let message = format!(
                "`{reader}` reads `{name}`, an output of pipeline stage `{stage}`, but no declared \
                 stage runs `{reader}`: the pipeline does not know this consumer"
            );
            out.report(rule, At::new(&read.path, read.line, None), name, message);
        }
    }
}

/// Whether the artifact `inner` lies inside the folder `outer` (ids).
fn nested(inner: &str, outer: &str) -> bool {
    inner
        .strip_prefix(outer)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// MLS209: chains of at least `min-scripts` files, each reading a dataset
/// the previous one writes, none run by a declared pipeline (and the
/// datasets touched by no pipeline stage); one finding per connected
/// group, at the first file of its longest chain.
fn jungles(cx: &Context, g: &Graph, rule: &Active, out: &mut Sink) {
    let min = usize::try_from(rule.int("min-scripts")).unwrap_or(0).max(2);
    // file → (next file, dataset, line of the write in file).
    let mut next: BTreeMap<&str, BTreeMap<&str, (&str, u32)>> = BTreeMap::new();
    for node in cx
        .lineage
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Dataset)
    {
        let id = node.id.as_str();
        let staged = g
            .into(id)
            .iter()
            .map(|e| e.from.as_str())
            .chain(g.out(id).iter().map(|e| e.to.as_str()))
            .any(|n| g.nodes.get(n).is_some_and(|n| n.is_pipeline_stage()));
        if staged {
            continue;
        }
        let writers = g.into(id).iter().filter(|e| e.kind == EdgeKind::Writes);
        let readers: BTreeSet<&str> = g
            .out(id)
            .iter()
            .filter(|e| e.kind == EdgeKind::Reads)
            .filter_map(|e| g.undeclared_code(cx, &e.to))
            .collect();
        for write in writers {
            let Some(writer) = g.undeclared_code(cx, &write.from) else {
                continue;
            };
            for &reader in readers.iter().filter(|r| **r != writer) {
                next.entry(writer)
                    .or_default()
                    .entry(reader)
                    .or_insert((node.name.as_str(), write.line));
            }
        }
    }
    let mut reported: HashSet<&str> = HashSet::new();
    let mut memo: HashMap<&str, Vec<&str>> = HashMap::new();
    let heads: Vec<&str> = next.keys().copied().collect();
    let mut chains: Vec<Vec<&str>> = heads
        .iter()
        .map(|&head| longest(&next, head, &mut memo, &mut Vec::new()))
        .filter(|chain| chain.len() >= min)
        .collect();
    // Longest first; then by path: each group is reported once, at the
    // head of its longest chain.
    chains.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    for chain in chains {
        if chain.iter().any(|f| reported.contains(f)) {
            reported.extend(&chain);
            continue;
        }
        reported.extend(component(&next, chain[0]));
        let mut datasets = Vec::new();
        for pair in chain.windows(2) {
            if let Some((dataset, _)) = next.get(pair[0]).and_then(|n| n.get(pair[1])) {
                datasets.push(*dataset);
            }
        }
        let line = next
            .get(chain[0])
            .and_then(|n| n.get(chain[1]))
            .map_or(0, |(_, line)| *line);
        let message = format!(
            "{} scripts chained through files with no declared pipeline: {} (through {})",
            chain.len(),
            chain.join(" → "),
            listing(&datasets, 4)
        );
        out.report(rule, At::new(chain[0], line, None), chain[0], message);
    }
}

/// The longest chain from `file` (itself first), cycles cut where they
/// close, at most [`MAX_CHAIN`] files; memoised per file.
fn longest<'a>(
    next: &BTreeMap<&'a str, BTreeMap<&'a str, (&'a str, u32)>>,
    file: &'a str,
    memo: &mut HashMap<&'a str, Vec<&'a str>>,
    path: &mut Vec<&'a str>,
) -> Vec<&'a str> {
    if let Some(chain) = memo.get(file) {
        return chain.clone();
    }
    path.push(file);
    let mut best: Vec<&str> = Vec::new();
    let tos = match next.get(file) {
        Some(n) if path.len() < MAX_CHAIN => n.keys().copied().collect(),
        _ => Vec::new(),
    };
    for to in tos {
        if path.contains(&to) {
            continue;
        }
        let chain = longest(next, to, memo, path);
        if chain.len() > best.len() {
            best = chain;
        }
    }
    path.pop();
    let mut chain = vec![file];
    chain.extend(best);
    memo.insert(file, chain.clone());
    chain
}

/// The files linked to `file` in either direction.
fn component<'a>(
    next: &BTreeMap<&'a str, BTreeMap<&'a str, (&'a str, u32)>>,
    file: &'a str,
) -> BTreeSet<&'a str> {
    let edges = next
        .iter()
        .flat_map(|(from, tos)| tos.keys().flat_map(move |to| [(*from, *to), (*to, *from)]));
    closure(std::iter::once(file), edges)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_chains_cut_cycles() {
        let mut next: BTreeMap<&str, BTreeMap<&str, (&str, u32)>> = BTreeMap::new();
        for (from, to) in [("a", "b"), ("b", "c"), ("c", "a"), ("b", "d"), ("d", "e")] {
            next.entry(from).or_default().insert(to, ("x", 1));
        }
        let mut memo = HashMap::new();
        assert_eq!(
            longest(&next, "a", &mut memo, &mut Vec::new()),
            ["a", "b", "d", "e"]
        );
        assert_eq!(
            component(&next, "e"),
            BTreeSet::from(["a", "b", "c", "d", "e"])
        );
    }
}
