//! The text view of `mlscan map`: the import graph (modules, edges,
//! externals by category, the most depended-on modules, cycles, the
//! component graph) and the lineage graph (nodes and edges by kind, stages,
//! models, opaque points), or the answer to an upstream/downstream query.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

use console::Style;

use crate::graph::{Category, ImportGraph};
use crate::lineage::{LineageGraph, NodeKind};
use crate::map::{Direction, MapReport, QueryResult};

/// Rows shown per list before "… and N more".
const MAX_ROWS: usize = 8;

struct Styles {
    head: Style,
    dim: Style,
    warn: Style,
}

pub fn write_map_text(report: &MapReport, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let s = Styles {
        head: Style::new().bold().force_styling(color),
        dim: Style::new().dim().force_styling(color),
        warn: Style::new().yellow().force_styling(color),
    };
    writeln!(
        out,
        "{} {}",
        s.head
            .apply_to(format!("mlscan {} map", report.tool.version)),
        s.dim.apply_to(format!("· {}", report.root))
    )?;
    if let Some(query) = &report.query {
        return write_query(query, report, &s, out);
    }
    if let Some(g) = &report.imports {
        write_imports(g, &s, out)?;
    }
    if let Some(g) = &report.lineage {
        write_lineage(g, &s, out)?;
    }
    Ok(())
}

fn write_imports(g: &ImportGraph, s: &Styles, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out)?;
    writeln!(
        out,
        "{} {} modules · {} import statements ({} module pairs) · {} externals · cycles: {} at run time, {} counting TYPE_CHECKING imports",
        s.head.apply_to("IMPORTS"),
        g.modules.len(),
        g.edges.len(),
        g.module_pairs,
        g.externals.len(),
        g.cycles.runtime.len(),
        g.cycles.all.len()
    )?;
    for category in Category::ALL {
        let names: Vec<&str> = g
            .externals
            .iter()
            .filter(|e| e.category == category)
            .map(|e| e.name.as_str())
            .collect();
        if !names.is_empty() {
            writeln!(out, "  {:<13} {}", category.as_str(), list(&names))?;
        }
    }
    let mut by_fan_in: Vec<_> = g.modules.iter().filter(|m| m.fan_in > 0).collect();
    by_fan_in.sort_by(|a, b| b.fan_in.cmp(&a.fan_in).then(a.name.cmp(&b.name)));
    if !by_fan_in.is_empty() {
        writeln!(
            out,
            "{}",
            s.dim
                .apply_to("  most imported (fan-in · fan-out · instability)")
        )?;
        for m in by_fan_in.iter().take(MAX_ROWS) {
            writeln!(
                out,
                "    {:>4} · {:>4} · {:.2}  {}",
                m.fan_in, m.fan_out, m.instability, m.name
            )?;
        }
    }
    for (title, cycles) in [
        ("runtime cycle", &g.cycles.runtime),
        ("cycle with TYPE_CHECKING imports", &g.cycles.all),
    ] {
        for c in cycles.iter().take(MAX_ROWS) {
            writeln!(
                out,
                "  {} of {} modules: {} → {}",
                s.warn.apply_to(title),
                c.modules.len(),
                c.cycle.join(" → "),
                c.cycle.first().map_or("", String::as_str)
            )?;
            writeln!(
                out,
                "    cut {} → {} ({}:{}, {} statement{})",
                c.cut.from,
                c.cut.to,
                c.cut.at.path,
                c.cut.at.line,
                c.cut.statements,
                if c.cut.statements == 1 { "" } else { "s" }
            )?;
        }
    }
    if !g.component_edges.is_empty() {
        writeln!(
            out,
            "{}",
            s.dim
                .apply_to("  component graph (imports between components)")
        )?;
        let mut edges: Vec<_> = g.component_edges.iter().collect();
        edges.sort_by(|a, b| {
            b.weight
                .cmp(&a.weight)
                .then((&a.from, &a.to).cmp(&(&b.from, &b.to)))
        });
        for e in edges.iter().take(MAX_ROWS) {
            writeln!(out, "    {} → {} ({})", e.from, e.to, e.weight)?;
        }
        more(edges.len(), s, out)?;
    }
    Ok(())
}

fn write_lineage(g: &LineageGraph, s: &Styles, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out)?;
    // Names sorted and each once: nodes in different files can share one.
    let mut kinds: BTreeMap<NodeKind, BTreeSet<&str>> = BTreeMap::new();
    for n in &g.nodes {
        kinds.entry(n.kind).or_default().insert(n.name.as_str());
    }
    let mut edge_kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &g.edges {
        *edge_kinds.entry(e.kind.as_str()).or_default() += 1;
    }
    let edge_summary: Vec<String> = edge_kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
    writeln!(
        out,
        "{} {} nodes · {} edges{}",
        s.head.apply_to("LINEAGE"),
        g.nodes.len(),
        g.edges.len(),
        if edge_summary.is_empty() {
            String::new()
        } else {
            format!(" ({})", edge_summary.join(", "))
        }
    )?;
    for (kind, names) in &kinds {
        if *kind != NodeKind::Opaque {
            writeln!(
                out,
                "  {:<12} {}",
                kind.as_str(),
                list(&names.iter().copied().collect::<Vec<_>>())
            )?;
        }
    }
    let opaque: Vec<_> = g
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Opaque)
        .collect();
    if !opaque.is_empty() {
        writeln!(
            out,
            "  {} ({}): what a static reader cannot follow",
            s.warn.apply_to("opaque"),
            opaque.len()
        )?;
        for n in opaque.iter().take(MAX_ROWS) {
            writeln!(
                out,
                "    {}:{}  {}",
                n.path,
                n.line,
                n.detail.as_deref().unwrap_or(&n.name)
            )?;
        }
        more(opaque.len(), s, out)?;
    }
    Ok(())
}

fn write_query(
    q: &QueryResult,
    report: &MapReport,
    s: &Styles,
    out: &mut dyn Write,
) -> io::Result<()> {
    let (title, meaning) = match q.direction {
        Direction::Upstream => ("UPSTREAM OF", "what it depends on"),
        Direction::Downstream => ("DOWNSTREAM OF", "what a change to it reaches"),
    };
    let depth = q
        .depth
        .map(|d| format!(", depth ≤ {d}"))
        .unwrap_or_default();
    writeln!(out)?;
    writeln!(
        out,
        "{} {} {}",
        s.head.apply_to(title),
        q.node,
        s.dim
            .apply_to(format!("— {meaning}{depth} [{}]", q.starts.join(", ")))
    )?;
    if report.imports.is_some() {
        writeln!(out, "  modules: {}", q.imports.len())?;
        for r in &q.imports {
            writeln!(out, "    {:>2}  {}", r.distance, r.id)?;
        }
    }
    if let Some(g) = &report.lineage {
        writeln!(out, "  lineage nodes: {}", q.lineage.len())?;
        for r in &q.lineage {
            let kind = g
                .nodes
                .iter()
                .find(|n| n.id == r.id)
                .map_or("", |n| n.kind.as_str());
            writeln!(out, "    {:>2}  {:<12} {}", r.distance, kind, r.id)?;
        }
    }
    Ok(())
}

/// `a, b, c` with at most [`MAX_ROWS`] names, then `… (+N)`.
fn list(names: &[&str]) -> String {
    let mut text = names
        .iter()
        .take(MAX_ROWS)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > MAX_ROWS {
        text.push_str(&format!(", … (+{})", names.len() - MAX_ROWS));
    }
    text
}

fn more(total: usize, s: &Styles, out: &mut dyn Write) -> io::Result<()> {
    if total > MAX_ROWS {
        writeln!(
            out,
            "{}",
            s.dim.apply_to(format!(
                "    … and {} more (all are in --format json)",
                total - MAX_ROWS
            ))
        )?;
    }
    Ok(())
}
