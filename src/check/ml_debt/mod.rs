//! ML technical-debt rules (MLS2xx): static signals of the debts named by
//! Sculley et al. (2015). Configuration debt (`config`: MLS201, MLS203,
//! MLS204; `duplicates`: MLS205), dead and glue code (`code`: MLS202,
//! MLS208), data dependencies and pipeline jungles over the lineage graph
//! (`data`: MLS206, MLS207, MLS209). The rules err on the side of silence: each needs positive
//! evidence that what it cannot see (dynamic reads, whole-frame use,
//! runners outside the repo) does not explain what it reports.

mod code;
mod config;
mod data;
mod duplicates;
mod keys;

use foldhash::{HashMap, HashMapExt};
use std::collections::{BTreeSet, VecDeque};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::lineage::EdgeKind;
use crate::report::FileReport;
use crate::role::Role;

use super::{Active, Context, Sink};

pub(super) fn check(cx: &Context, out: &mut Sink) {
    config::check(cx, out);
    duplicates::check(cx, out);
    // Found once for the rules that read it.
    let read = ["MLS202", "MLS206", "MLS207", "MLS209"]
        .iter()
        .any(|id| cx.rule(id).is_some());
    let declared = if read {
        declared_files(cx)
    } else {
        BTreeSet::new()
    };
    code::check(cx, &declared, out);
    data::check(cx, declared, out);
}

/// Test files are no evidence of debt: they build configs, frames and
/// fixtures of their own.
fn is_test(file: &FileReport) -> bool {
    file.role == Role::Test
}

/// The code files that declare pipeline stages or that a stage runs
/// (through `runs` edges, the module of a script running its functions),
/// and every module those import, however indirectly: code whose execution
/// a pipeline declares.
fn declared_files<'a>(cx: &Context<'a>) -> BTreeSet<&'a str> {
    let lineage = cx.lineage;
    let path_of: HashMap<&str, &str> = lineage
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), n.path.as_str()))
        .collect();
    let starts = lineage
        .nodes
        .iter()
        .filter(|n| n.is_pipeline_stage())
        .map(|n| n.id.as_str());
    let runs = lineage
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::Runs)
        .map(|e| (e.from.as_str(), e.to.as_str()));
    // Code run by a stage, and the code files declaring stages (a DAG file,
    // a Kedro pipeline: what they import runs in the pipeline).
    let run: BTreeSet<&str> = closure(starts, runs)
        .into_iter()
        .filter_map(|id| cx.file(path_of.get(id)?))
        .filter(|f| !f.facts.language.is_config())
        .map(|f| f.path.as_str())
        .collect();
    let imports = cx.imports;
    let module_of: HashMap<&str, &str> = imports
        .modules
        .iter()
        .map(|m| (m.path.as_str(), m.name.as_str()))
        .collect();
    let path_of_module: HashMap<&str, &str> = imports
        .modules
        .iter()
        .map(|m| (m.name.as_str(), m.path.as_str()))
        .collect();
    let starts = run.iter().filter_map(|p| module_of.get(p).copied());
    let edges = imports
        .edges
        .iter()
        .map(|e| (e.from.as_str(), e.to.as_str()));
    let imported = closure(starts, edges)
        .into_iter()
        .filter_map(|m| path_of_module.get(m).copied());
    run.iter().copied().chain(imported).collect()
}

/// Successors by node.
type Adjacency<'a> = HashMap<&'a str, Vec<&'a str>>;

fn adjacency<'a>(edges: impl Iterator<Item = (&'a str, &'a str)>) -> Adjacency<'a> {
    let mut next: Adjacency = HashMap::new();
    for (from, to) in edges {
        next.entry(from).or_default().push(to);
    }
    next
}

/// `starts` and every node reachable from them.
fn reach<'a>(starts: impl Iterator<Item = &'a str>, next: &Adjacency<'a>) -> BTreeSet<&'a str> {
    let mut seen: BTreeSet<&str> = starts.collect();
    let mut queue: VecDeque<&str> = seen.iter().copied().collect();
    while let Some(node) = queue.pop_front() {
        for &to in next.get(node).map_or(&[][..], Vec::as_slice) {
            if seen.insert(to) {
                queue.push_back(to);
            }
        }
    }
    seen
}

/// `starts` and every node reachable from them over `edges`.
fn closure<'a>(
    starts: impl Iterator<Item = &'a str>,
    edges: impl Iterator<Item = (&'a str, &'a str)>,
) -> BTreeSet<&'a str> {
    reach(starts, &adjacency(edges))
}

/// A rule's list of globs as a case-insensitive set, with the patterns
/// kept (invalid ones left out), by the set's indices.
fn glob_param<'a>(rule: &'a Active, name: &str) -> (GlobSet, Vec<&'a str>) {
    let mut builder = GlobSetBuilder::new();
    let mut patterns = Vec::new();
    for pattern in rule.strings(name) {
        if let Ok(glob) = GlobBuilder::new(pattern).case_insensitive(true).build() {
            builder.add(glob);
            patterns.push(pattern);
        }
    }
    (
        builder.build().unwrap_or_else(|_| GlobSet::empty()),
        patterns,
    )
}

/// `a`, `b`, `c` and 2 more.
fn listing<T: std::fmt::Display>(items: &[T], max: usize) -> String {
    let shown: Vec<String> = items.iter().take(max).map(|i| format!("`{i}`")).collect();
    match items.len().saturating_sub(max) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}
