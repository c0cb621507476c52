//! What one revision contributes to a trend: the series values read off
//! its report ([`Values`], also the snapshot stored in the cache), with
//! the commit they belong to ([`Point`]).

use foldhash::HashMap;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::graph::Category;
use crate::history::Revision;
use crate::lineage::NodeKind;
use crate::report::ScanReport;
use crate::role::Role;
use crate::ruleset::Family;
use crate::score::Score;

/// The layout of [`Values`] in snapshots: bump it on any change of the
/// fields or of their meaning, so older snapshots are not read.
pub const VALUES_VERSION: u32 = 1;

/// One sampled revision: the commit and its values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// Commit id (hex).
    pub commit: String,
    /// Committer date, strict ISO 8601 in the committer's zone.
    pub date: String,
    /// Committer time, unix seconds.
    pub time: i64,
    /// Author name (after `.mailmap`).
    pub author: String,
    /// The message's first line.
    pub summary: String,
    #[serde(flatten)]
    pub values: Values,
}

impl Point {
    pub fn new(revision: &Revision, values: Values) -> Point {
        Point {
            commit: revision.id.to_string(),
            date: revision.date.clone(),
            time: revision.time,
            author: revision.author.clone(),
            summary: revision.summary.clone(),
            values,
        }
    }
}

/// The repository-level series values of one revision, and its
/// components'. Maps hold every key (zeros included), in enum order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Values {
    pub files: u32,
    pub complexity_index: f64,
    pub explainability: f64,
    pub functions: u32,
    pub cyclomatic_total: u64,
    pub cyclomatic_mean: f64,
    /// Functions whose cyclomatic complexity is above the threshold
    /// (`options.cc_threshold`).
    pub functions_over_threshold: u32,
    /// Source lines, all files.
    pub sloc: u64,
    pub sloc_by_role: BTreeMap<Role, u64>,
    /// Lineage `feature` nodes.
    pub features: u32,
    /// Lineage nodes (opaque points included) and edges.
    pub lineage_nodes: u32,
    pub lineage_edges: u32,
    /// External dependencies (distinct top-level imports) by category.
    pub externals: BTreeMap<Category, u32>,
    /// Import cycles that can fail at import time.
    pub runtime_cycles: u32,
    /// Lineage points a static reader cannot follow.
    pub opaque: u32,
    pub findings: BTreeMap<Family, u32>,
    /// Files that do not parse (the scan goes on without their broken part).
    pub syntax_error_files: u32,
    /// Problems met (diagnostics of the scan).
    pub diagnostics: u32,
    /// By name.
    pub components: Vec<ComponentValues>,
}

/// The series values of one component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentValues {
    pub name: String,
    pub complexity_index: f64,
    pub explainability: f64,
    pub cyclomatic_total: u64,
    pub sloc: u64,
}

impl Values {
    /// The values of an assessed report; `threshold` is the cyclomatic
    /// complexity above which a function counts as over it.
    pub fn of(report: &ScanReport, threshold: u32) -> Values {
        let totals = &report.summary.totals;
        let nodes = |kind| {
            report
                .lineage
                .nodes
                .iter()
                .filter(|n| n.kind == kind)
                .count()
        };
        let mut externals: BTreeMap<Category, u32> =
            Category::ALL.iter().map(|&c| (c, 0)).collect();
        for external in &report.imports.externals {
            *externals.entry(external.category).or_default() += 1;
        }
        let mut findings: BTreeMap<Family, u32> = Family::ALL.iter().map(|&f| (f, 0)).collect();
        for finding in &report.findings {
            *findings.entry(finding.family).or_default() += 1;
        }
        let scores = report.scores.as_ref();
        let component_scores: HashMap<&str, &Score> = scores
            .map(|s| s.components.iter().map(|c| (c.name.as_str(), c)).collect())
            .unwrap_or_default();
        let components = report
            .summary
            .components
            .iter()
            .map(|component| {
                let score = component_scores.get(component.name.as_str());
                ComponentValues {
                    name: component.name.clone(),
                    complexity_index: score.map_or(0.0, |s| s.complexity_index),
                    explainability: score.map_or(100.0, |s| s.explainability),
                    cyclomatic_total: u64::from(component.totals.cyclomatic_total),
                    sloc: u64::from(component.totals.lines.sloc),
                }
            })
            .collect();
        Values {
            files: totals.files,
            complexity_index: scores.map_or(0.0, |s| s.repo.complexity_index),
            explainability: scores.map_or(100.0, |s| s.repo.explainability),
            functions: totals.functions,
            cyclomatic_total: u64::from(totals.cyclomatic_total),
            cyclomatic_mean: totals.cyclomatic_mean,
            functions_over_threshold: count(
                report
                    .files
                    .iter()
                    .flat_map(|f| &f.facts.functions)
                    .filter(|f| f.cyclomatic > threshold)
                    .count(),
            ),
            sloc: u64::from(totals.lines.sloc),
            sloc_by_role: Role::ALL
                .iter()
                .map(|role| {
                    let sloc = report.summary.by_role.get(role).map_or(0, |t| t.lines.sloc);
                    (*role, u64::from(sloc))
                })
                .collect(),
            features: count(nodes(NodeKind::Feature)),
            lineage_nodes: count(report.lineage.nodes.len()),
            lineage_edges: count(report.lineage.edges.len()),
            externals,
            runtime_cycles: count(report.imports.cycles.runtime.len()),
            opaque: count(nodes(NodeKind::Opaque)),
            findings,
            syntax_error_files: totals.files_with_syntax_errors,
            diagnostics: count(report.diagnostics.len()),
            components,
        }
    }

    /// Every repository-level series as (name, value), in a fixed order:
    /// the rows of the text table, the columns of the CSV, the growth of
    /// the JSON. Map entries are named `map.key` (`sloc.model`).
    pub fn scalars(&self) -> Vec<(String, f64)> {
        let mut out: Vec<(String, f64)> = Vec::new();
        let mut add = |name: &str, value: f64| out.push((name.to_owned(), value));
        add("complexity_index", self.complexity_index);
        add("explainability", self.explainability);
        add("files", f64::from(self.files));
        add("functions", f64::from(self.functions));
        add("cyclomatic_total", self.cyclomatic_total as f64);
        add("cyclomatic_mean", self.cyclomatic_mean);
        add(
            "functions_over_threshold",
            f64::from(self.functions_over_threshold),
        );
        add("sloc", self.sloc as f64);
        for (role, sloc) in &self.sloc_by_role {
            add(&format!("sloc.{}", role.as_str()), *sloc as f64);
        }
        add("features", f64::from(self.features));
        add("lineage_nodes", f64::from(self.lineage_nodes));
        add("lineage_edges", f64::from(self.lineage_edges));
        for (category, n) in &self.externals {
            add(&format!("externals.{}", category.as_str()), f64::from(*n));
        }
        add("runtime_cycles", f64::from(self.runtime_cycles));
        add("opaque", f64::from(self.opaque));
        for (family, n) in &self.findings {
            add(&format!("findings.{}", family.as_str()), f64::from(*n));
        }
        add("syntax_error_files", f64::from(self.syntax_error_files));
        add("diagnostics", f64::from(self.diagnostics));
        out
    }

    /// The snapshot bytes (MessagePack with field names).
    pub fn encode(&self) -> Result<Vec<u8>, String> {
        rmp_serde::to_vec_named(self).map_err(|e| format!("cannot encode a trend snapshot: {e}"))
    }

    /// Values from snapshot bytes; `None` when they do not decode.
    pub fn decode(bytes: &[u8]) -> Option<Values> {
        rmp_serde::from_slice(bytes).ok()
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
