//! The text control panel: one screen with files by role, lines,
//! functions, the complexity distribution, components with their scores,
//! the graphs, the most complex functions, the findings, the gate and the
//! parse problems.

use std::io::{self, Write};

use console::Style;

use crate::check::Finding;
use crate::lineage::NodeKind;
use crate::report::ScanReport;
use crate::role::Role;
use crate::ruleset::{Family, Level};
use crate::score::Score;
use crate::summary::{Totals, rank, thousands};

/// Components and problems listed before "… and N more".
const MAX_COMPONENTS: usize = 10;
const MAX_PROBLEMS: usize = 8;
/// Rules listed in the findings section.
const MAX_FINDINGS: usize = 12;
const BAR_WIDTH: usize = 30;

struct Styles {
    head: Style,
    dim: Style,
    warn: Style,
}

pub fn write_text(report: &ScanReport, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let s = Styles {
        head: Style::new().bold().force_styling(color),
        dim: Style::new().dim().force_styling(color),
        warn: Style::new().yellow().force_styling(color),
    };
    header(report, &s, out)?;
    roles(report, &s, out)?;
    ranks(&report.summary.totals, &s, out)?;
    components(report, &s, out)?;
    graphs(report, &s, out)?;
    top_functions(report, &s, out)?;
    findings(report, &s, out)?;
    gate(report, &s, out)?;
    problems(report, &s, out)
}

fn header(report: &ScanReport, s: &Styles, out: &mut dyn Write) -> io::Result<()> {
    let t = &report.summary.totals;
    writeln!(
        out,
        "{} {}",
        s.head.apply_to(format!("mlscan {}", report.tool.version)),
        s.dim.apply_to(format!("· {}", report.root))
    )?;
    writeln!(
        out,
        "{} files · {} lines ({} source) · {} functions · {} components · CC rules: {}",
        thousands(t.files),
        thousands(t.lines.loc),
        thousands(t.lines.sloc),
        thousands(t.functions),
        report.summary.components.len(),
        format!("{:?}", report.options.cc_rules).to_lowercase(),
    )?;
    let languages: Vec<String> = t
        .languages
        .iter()
        .map(|(lang, n)| format!("{} {}", lang.as_str(), thousands(*n)))
        .collect();
    if !languages.is_empty() {
        writeln!(out, "{}", s.dim.apply_to(languages.join(" · ")))?;
    }
    Ok(())
}

fn roles(report: &ScanReport, s: &Styles, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        s.head.apply_to(format!(
            "{:<10} {:>6} {:>9} {:>7} {:>8} {:>8} {:>9}",
            "ROLE", "FILES", "LINES", "FUNCS", "CC SUM", "CC MEAN", "COGNITIVE"
        ))
    )?;
    let row = |name: &str, t: &Totals| {
        format!(
            "{:<10} {:>6} {:>9} {:>7} {:>8} {:>8.2} {:>9}",
            name,
            thousands(t.files),
            thousands(t.lines.loc),
            thousands(t.functions),
            thousands(t.cyclomatic_total),
            t.cyclomatic_mean,
            thousands(t.cognitive_total)
        )
    };
    for role in Role::ALL {
        if let Some(t) = report.summary.by_role.get(&role) {
            writeln!(out, "{}", row(role.as_str(), t))?;
        }
    }
    writeln!(
        out,
        "{}",
        s.dim.apply_to(row("total", &report.summary.totals))
    )
}

fn ranks(t: &Totals, s: &Styles, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        s.head.apply_to("CYCLOMATIC COMPLEXITY (rank: functions)")
    )?;
    let most = t
        .ranks
        .pairs()
        .iter()
        .map(|(_, n)| *n)
        .max()
        .unwrap_or(0)
        .max(1);
    for ((letter, n), range) in t
        .ranks
        .pairs()
        .into_iter()
        .zip(["1-5", "6-10", "11-20", "21-30", "31-40", "41+"])
    {
        let width = (n as usize * BAR_WIDTH).div_ceil(most as usize);
        let share = if t.functions == 0 {
            0.0
        } else {
            100.0 * f64::from(n) / f64::from(t.functions)
        };
        let bar = "█".repeat(width);
        let bar = if letter >= 'D' && n > 0 {
            s.warn.apply_to(bar)
        } else {
            Style::new().apply_to(bar)
        };
        writeln!(
            out,
            "  {letter} {range:<6} {:>7} {share:>5.1}%  {bar}",
            thousands(n)
        )?;
    }
    Ok(())
}

fn components(report: &ScanReport, s: &Styles, out: &mut dyn Write) -> io::Result<()> {
    let all = &report.summary.components;
    let scores = report.scores.as_ref();
    if let Some(repo) = scores.map(|sc| &sc.repo) {
        writeln!(out)?;
        writeln!(
            out,
            "{} explainability {:.0}/100 · complexity index {}",
            s.head.apply_to("SCORES"),
            repo.explainability,
            thousands(repo.complexity_index.round().clamp(0.0, 1e15) as u64)
        )?;
        for reason in &repo.reasons {
            writeln!(out, "  {}", s.dim.apply_to(reason))?;
        }
    }
    if all.len() < 2 {
        return Ok(());
    }
    let score_of = |name: &str| -> Option<&Score> {
        scores.and_then(|sc| sc.components.iter().find(|c| c.name == name))
    };
    let index = |name: &str| score_of(name).map_or(0.0, |c| c.complexity_index);
    let mut ranked: Vec<_> = all.iter().collect();
    ranked.sort_by(|a, b| {
        index(&b.name)
            .total_cmp(&index(&a.name))
            .then(b.totals.cyclomatic_total.cmp(&a.totals.cyclomatic_total))
            .then(a.name.cmp(&b.name))
    });
    writeln!(out)?;
    let title = format!(
        "COMPONENTS by complexity index ({} of {})",
        ranked.len().min(MAX_COMPONENTS),
        ranked.len()
    );
    writeln!(out, "{}", s.head.apply_to(title))?;
    writeln!(
        out,
        "{}",
        s.dim.apply_to(format!(
            "  {:<24} {:>6} {:>8} {:>6} {:>6} {:>6} {:>5}  {}",
            "NAME", "FILES", "LINES", "FUNCS", "CC MAX", "INDEX", "EXPL", "MAIN REASON"
        ))
    )?;
    for c in ranked.iter().take(MAX_COMPONENTS) {
        let t = &c.totals;
        let score = score_of(&c.name);
        let (ci, explain, reason) = match score {
            Some(sc) => (
                format!("{:.0}", sc.complexity_index),
                format!("{:.0}", sc.explainability),
                sc.reasons.first().cloned().unwrap_or_default(),
            ),
            None => ("-".into(), "-".into(), String::new()),
        };
        let explain = if score.is_some_and(|sc| sc.explainability < 50.0) {
            s.warn.apply_to(format!("{explain:>5}"))
        } else {
            Style::new().apply_to(format!("{explain:>5}"))
        };
        writeln!(
            out,
            "  {:<24} {:>6} {:>8} {:>6} {:>6} {:>6} {explain}  {}",
            shorten(&c.name, 24),
            thousands(t.files),
            thousands(t.lines.loc),
            thousands(t.functions),
            t.cyclomatic_max,
            ci,
            s.dim.apply_to(shorten(&reason, 60))
        )?;
    }
    Ok(())
}

fn graphs(report: &ScanReport, s: &Styles, out: &mut dyn Write) -> io::Result<()> {
    let (imports, lineage) = (&report.imports, &report.lineage);
    let opaque = lineage
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Opaque)
        .count();
    writeln!(out)?;
    writeln!(
        out,
        "{} {} modules · {} import pairs · {} externals · cycles: {} at run time, {} counting TYPE_CHECKING imports",
        s.head.apply_to("IMPORTS"),
        thousands(imports.modules.len() as u32),
        thousands(imports.module_pairs as u32),
        imports.externals.len(),
        imports.cycles.runtime.len(),
        imports.cycles.all.len()
    )?;
    writeln!(
        out,
        "{} {} nodes · {} edges · {} opaque {}",
        s.head.apply_to("LINEAGE"),
        thousands(lineage.nodes.len() as u32),
        thousands(lineage.edges.len() as u32),
        opaque,
        s.dim.apply_to("(details: mlscan map)")
    )
}

fn top_functions(report: &ScanReport, s: &Styles, out: &mut dyn Write) -> io::Result<()> {
    let top = &report.summary.top_functions;
    if top.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "{}", s.head.apply_to("MOST COMPLEX FUNCTIONS"))?;
    writeln!(
        out,
        "{}",
        s.dim.apply_to(format!(
            "  {:>4} {:>4} {:>4} {:>5}  {:<32} LOCATION",
            "CC", "COG", "NEST", "SLOC", "FUNCTION"
        ))
    )?;
    for f in top {
        let location = location(&f.path, f.cell, f.line);
        let cc = format!("{:>4}", f.cyclomatic);
        let cc = if rank(f.cyclomatic) >= 'D' {
            s.warn.apply_to(cc)
        } else {
            Style::new().apply_to(cc)
        };
        writeln!(
            out,
            "  {cc} {:>4} {:>4} {:>5}  {:<32} {location}",
            f.cognitive,
            f.nesting,
            f.sloc,
            shorten(&f.name, 32)
        )?;
    }
    Ok(())
}

fn findings(report: &ScanReport, s: &Styles, out: &mut dyn Write) -> io::Result<()> {
    let all = &report.findings;
    if report.scores.is_none() {
        return Ok(());
    }
    writeln!(out)?;
    if all.is_empty() {
        return writeln!(out, "{}", s.dim.apply_to("No findings."));
    }
    let count = |level: Level| all.iter().filter(|f| f.level == level).count();
    let families: Vec<String> = Family::ALL
        .iter()
        .filter_map(|&family| {
            let n = all.iter().filter(|f| f.family == family).count();
            (n > 0).then(|| format!("{} {n}", family.as_str()))
        })
        .collect();
    writeln!(
        out,
        "{} {} · escalate {} · review {} · local {} {}",
        s.head.apply_to(format!("FINDINGS ({})", all.len())),
        families.join(", "),
        count(Level::Escalate),
        count(Level::Review),
        count(Level::Local),
        s.dim.apply_to("(`mlscan rules explain ID`)")
    )?;
    // One line per rule: highest decision level first, then severity, then
    // count; each with its first finding as an example.
    let mut by_rule: Vec<(&Finding, usize)> = Vec::new();
    for f in all {
        match by_rule.iter_mut().find(|(first, _)| first.rule == f.rule) {
            Some((_, n)) => *n += 1,
            None => by_rule.push((f, 1)),
        }
    }
    by_rule.sort_by(|(a, n), (b, m)| {
        b.level
            .cmp(&a.level)
            .then(b.severity.cmp(&a.severity))
            .then(m.cmp(n))
            .then(a.rule.cmp(b.rule))
    });
    for (f, n) in by_rule.iter().take(MAX_FINDINGS) {
        let location = location(&f.path, f.cell, f.line);
        let level = format!("{:<8}", f.level.as_str());
        let level = if f.level > Level::Local {
            s.warn.apply_to(level)
        } else {
            Style::new().apply_to(level)
        };
        writeln!(
            out,
            "  {level} {} {:<32} {:>6}  {}",
            f.rule,
            shorten(f.name, 32),
            thousands(*n as u32),
            s.dim
                .apply_to(shorten(&format!("{location}  {}", f.message), 90))
        )?;
    }
    if by_rule.len() > MAX_FINDINGS {
        let more = format!(
            "  … and {} more rules (all findings are in --format json, sarif or github)",
            by_rule.len() - MAX_FINDINGS
        );
        writeln!(out, "{}", s.dim.apply_to(more))?;
    }
    Ok(())
}

fn gate(report: &ScanReport, s: &Styles, out: &mut dyn Write) -> io::Result<()> {
    let Some(gate) = &report.gate else {
        return Ok(());
    };
    if gate.fail_on.is_none() && gate.budgets.is_empty() {
        return Ok(());
    }
    if gate.passed {
        return writeln!(
            out,
            "{} passed ({} budgets checked)",
            s.head.apply_to("GATE"),
            gate.budgets.len()
        );
    }
    writeln!(
        out,
        "{} {}",
        s.head.apply_to("GATE"),
        s.warn.apply_to("failed (exit code 1)")
    )?;
    for reason in &gate.reasons {
        writeln!(out, "  {reason}")?;
    }
    Ok(())
}

fn problems(report: &ScanReport, s: &Styles, out: &mut dyn Write) -> io::Result<()> {
    let all = &report.diagnostics;
    writeln!(out)?;
    if all.is_empty() {
        return writeln!(out, "{}", s.dim.apply_to("No parse problems."));
    }
    writeln!(
        out,
        "{}",
        s.head.apply_to(format!("PARSE PROBLEMS ({})", all.len()))
    )?;
    for d in all.iter().take(MAX_PROBLEMS) {
        let location = location(&d.path, d.cell, d.line);
        writeln!(out, "  {}  {}", s.warn.apply_to(location), d.message)?;
    }
    if all.len() > MAX_PROBLEMS {
        let more = format!(
            "  … and {} more (all are in --format json)",
            all.len() - MAX_PROBLEMS
        );
        writeln!(out, "{}", s.dim.apply_to(more))?;
    }
    Ok(())
}

/// `path`, `path cell 3`, `path:12`, `path cell 3:12` (line 0: the whole
/// file or cell).
fn location(path: &str, cell: Option<u32>, line: u32) -> String {
    let mut location = path.to_owned();
    if let Some(cell) = cell {
        location.push_str(&format!(" cell {cell}"));
    }
    if line > 0 {
        location.push_str(&format!(":{line}"));
    }
    location
}

/// Cuts `text` to `width` characters, marking the cut with `…`.
fn shorten(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let kept: String = text.chars().take(width.saturating_sub(1)).collect();
    format!("{kept}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0u32), "0");
        assert_eq!(thousands(999u32), "999");
        assert_eq!(thousands(1000u32), "1,000");
        assert_eq!(thousands(1234567u32), "1,234,567");
    }

    #[test]
    fn shortening_marks_the_cut() {
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("abc", 4), "abc");
    }
}
