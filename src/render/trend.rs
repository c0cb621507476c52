//! `mlscan trend` as text (one row per series with a sparkline, the
//! explainability falls, a summary line) and as CSV (one row per revision).

use std::io::{self, Write};

use console::Style;

use super::chart::{Chart, Panel, Series};
use crate::summary::thousands;
use crate::trend::{Activity, ComponentActivity, Trend, Validation};

/// Components drawn beside the repository in the chart.
const CHART_COMPONENTS: usize = 5;

/// The widest sparkline; longer series are resampled to it.
const SPARK_WIDTH: usize = 40;
const SPARKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// The trend as a table. Series that are zero in every sample are left out.
pub fn write_trend_text(trend: &Trend, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let head = Style::new().bold().force_styling(color);
    let dim = Style::new().dim().force_styling(color);
    let (Some(first), Some(last)) = (trend.revisions.first(), trend.revisions.last()) else {
        return writeln!(out, "no revisions");
    };
    let place = if trend.prefix.is_empty() {
        trend.root.clone()
    } else {
        format!("{} ({})", trend.root, trend.prefix)
    };
    writeln!(
        out,
        "{} {}",
        head.apply_to(format!("mlscan {} trend", trend.tool.version)),
        dim.apply_to(format!(
            "· {place} · {} · CC rules: {}",
            if trend.options.first_parent {
                "first-parent"
            } else {
                "all commits"
            },
            format!("{:?}", trend.options.cc_rules).to_lowercase()
        ))
    )?;
    writeln!(out)?;
    let per_sample: Vec<Vec<(String, f64)>> =
        trend.revisions.iter().map(|p| p.values.scalars()).collect();
    let rows: Vec<[String; 6]> = trend
        .derived
        .growth
        .iter()
        .enumerate()
        .filter_map(|(i, g)| {
            let values: Vec<f64> = per_sample
                .iter()
                .map(|s| s.get(i).map_or(0.0, |v| v.1))
                .collect();
            values.iter().any(|&v| v != 0.0).then(|| {
                // One precision for the figures of a series (`25,271.00`
                // beside `26,374.30`); the rate per 30 days has its own.
                let cents = [g.first, g.last, g.change].into_iter().any(has_cents);
                let show = |x: f64| fixed(x, cents);
                [
                    g.series.clone(),
                    show(g.first),
                    show(g.last),
                    with_plus(g.change, show(g.change)),
                    g.per_30_days.map(signed).unwrap_or_default(),
                    sparkline(&values),
                ]
            })
        })
        .collect();
    let span = format!("{} → {}", day(&first.date), day(&last.date));
    let titles = [
        "series",
        "first",
        "last",
        "change",
        "per 30 d",
        span.as_str(),
    ];
    let mut widths = titles.map(|t| t.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    // The series left-aligned, numbers right-aligned, the sparkline last.
    let line = |cells: [&str; 6]| {
        let mut text = format!("{:<w$}", cells[0], w = widths[0]);
        for (cell, width) in cells[1..5].iter().zip(&widths[1..5]) {
            text.push_str(&format!("  {cell:>width$}"));
        }
        format!("{text}  {}", cells[5])
    };
    writeln!(out, "{}", head.apply_to(line(titles)))?;
    for row in &rows {
        writeln!(out, "{}", line(row.each_ref().map(String::as_str)))?;
    }
    let derived = &trend.derived;
    if let Some(per_kloc) = derived.complexity_per_kloc_added {
        let index_change = last.values.complexity_index - first.values.complexity_index;
        writeln!(out)?;
        writeln!(
            out,
            "complexity added per 1,000 lines added: {} {}",
            head.apply_to(signed(per_kloc)),
            dim.apply_to(format!(
                "(complexity index {} over {} lines added by {} commits)",
                signed(index_change),
                thousands(derived.lines_added),
                thousands(derived.commits)
            ))
        )?;
    }
    if !derived.explainability_falls.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            head.apply_to("explainability fell most (first → last sample)")
        )?;
        let w = derived
            .explainability_falls
            .iter()
            .map(|f| f.component.chars().count())
            .max()
            .unwrap_or(0);
        for fall in &derived.explainability_falls {
            writeln!(
                out,
                "  {:<w$}  {:>6} → {:>6}  {:>7}",
                fall.component,
                number(fall.first),
                number(fall.last),
                signed(fall.change)
            )?;
        }
    }
    if let Some(activity) = &trend.activity {
        write_activity(activity, &head, &dim, out)?;
    }
    if let Some(validation) = &trend.validation {
        write_validation(validation, &head, &dim, out)?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        dim.apply_to(format!(
            "{} revisions · {span} ({} days) · {} commits, +{} −{} lines · {} files at the last",
            thousands(trend.revisions.len() as u64),
            number(derived.days.round()),
            thousands(derived.commits),
            thousands(derived.lines_added),
            thousands(derived.lines_removed),
            thousands(last.values.files)
        ))
    )
}

/// Rows of the activity tables.
const ACTIVITY_ROWS: usize = 10;

/// Components by hotspot score, then the hottest files, the strongest
/// change coupling and the knowledge at risk.
fn write_activity(a: &Activity, head: &Style, dim: &Style, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out)?;
    writeln!(
        out,
        "{} · {}",
        head.apply_to(format!(
            "activity, last {} days ({} commits); ownership over {} days",
            a.window_days, a.commits, a.ownership_days
        )),
        dim.apply_to(format!(
            "explainability with knowledge: {}",
            number(a.explainability_with_knowledge)
        ))
    )?;
    let mut components: Vec<&ComponentActivity> = a.components.iter().collect();
    components.sort_by(|x, y| y.hotspot.cmp(&x.hotspot).then(x.name.cmp(&y.name)));
    writeln!(
        out,
        "{}",
        dim.apply_to(format!(
            "  {:<24} {:>7} {:>8} {:>8} {:>7} {:>4} {:>5} {:>9}  {}",
            "COMPONENT",
            "COMMITS",
            "+LINES",
            "HOTSPOT",
            "AUTHORS",
            "BUS",
            "MAIN",
            "EXPL→KNOW",
            "OWNERS"
        ))
    )?;
    for c in components.iter().take(ACTIVITY_ROWS) {
        let owners = if c.owners.is_empty() {
            "-".to_owned()
        } else {
            c.owners.join(" ")
        };
        let risk = if c.at_risk { " at risk" } else { "" };
        writeln!(
            out,
            "  {:<24} {:>7} {:>8} {:>8} {:>7} {:>4} {:>4.0}% {:>4}→{:<4}  {owners}{risk}",
            c.name.chars().take(24).collect::<String>(),
            c.commits,
            thousands(c.added),
            thousands(c.hotspot),
            c.authors,
            c.bus_factor,
            100.0 * c.main_share,
            number(c.explainability.round()),
            number(c.explainability_with_knowledge.round()),
        )?;
    }
    if !a.hotspots.is_empty() {
        writeln!(
            out,
            "{}",
            head.apply_to("hotspots (revisions × cognitive complexity)")
        )?;
        for h in a.hotspots.iter().take(ACTIVITY_ROWS) {
            writeln!(
                out,
                "  {:>8}  {:>3} × {:<5}  {}",
                thousands(h.score),
                h.revisions,
                h.cognitive,
                h.name
            )?;
        }
    }
    if !a.coupling.is_empty() {
        writeln!(
            out,
            "{}",
            head.apply_to("change coupling (files changed together)")
        )?;
        for p in a.coupling.iter().take(ACTIVITY_ROWS) {
            let mut flags = Vec::new();
            if p.cross_component {
                flags.push("across components");
            }
            if p.hidden {
                flags.push("no import between them");
            }
            writeln!(
                out,
                "  {:>3}%  {:>3} shared  {} ↔ {}  {}",
                p.degree,
                p.shared,
                p.a,
                p.b,
                dim.apply_to(flags.join(", "))
            )?;
        }
    }
    Ok(())
}

/// The correlations of `--validate`, with what they mean.
fn write_validation(
    v: &Validation,
    head: &Style,
    dim: &Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let rho = |r: Option<f64>| r.map_or("n/a".to_owned(), |r| format!("{r:+.2}"));
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        head.apply_to(format!(
            "validation: scores at {} against {} bug fixes among {} commits up to {}",
            v.date.chars().take(10).collect::<String>(),
            v.bug_fix_commits,
            v.commits,
            v.until.chars().take(10).collect::<String>()
        ))
    )?;
    let c = &v.correlations;
    writeln!(
        out,
        "  Spearman ρ over {} components: explainability vs bug fixes {}, vs fixes per 1,000 lines {}; complexity index vs bug fixes {}",
        c.components,
        rho(c.explainability_vs_fixes),
        rho(c.explainability_vs_fix_density),
        rho(c.complexity_vs_fixes)
    )?;
    writeln!(
        out,
        "{}",
        dim.apply_to("  (a score that predicts trouble has ρ < 0 for explainability, > 0 for the complexity index)")
    )
}

/// The trend as CSV: a header, then one row per revision with its commit,
/// date and repository-level series.
pub fn write_trend_csv(trend: &Trend, out: &mut dyn Write) -> io::Result<()> {
    let mut header = vec!["commit".to_owned(), "date".to_owned()];
    if let Some(first) = trend.revisions.first() {
        header.extend(first.values.scalars().into_iter().map(|(name, _)| name));
    }
    writeln!(out, "{}", header.join(","))?;
    for point in &trend.revisions {
        let mut row = vec![point.commit.clone(), point.date.clone()];
        row.extend(
            point
                .values
                .scalars()
                .into_iter()
                .map(|(_, v)| v.to_string()),
        );
        writeln!(out, "{}", row.join(","))?;
    }
    Ok(())
}

/// `values` as a line of block characters from lowest to highest,
/// resampled to at most [`SPARK_WIDTH`] samples.
fn sparkline(values: &[f64]) -> String {
    let n = values.len();
    let picked: Vec<f64> = if n <= SPARK_WIDTH {
        values.to_vec()
    } else {
        (0..SPARK_WIDTH)
            .map(|i| values[i * (n - 1) / (SPARK_WIDTH - 1)])
            .collect()
    };
    let min = picked.iter().copied().fold(f64::INFINITY, f64::min);
    let max = picked.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    picked
        .iter()
        .map(|&v| {
            let level = if max > min {
                ((v - min) / (max - min) * 7.0).round() as usize
            } else {
                0
            };
            SPARKS[level.min(7)]
        })
        .collect()
}

/// An integer with thousands separators, or two decimals.
fn number(x: f64) -> String {
    fixed(x, has_cents(x))
}

/// `x` with thousands separators, and two decimals if `cents`.
fn fixed(x: f64, cents: bool) -> String {
    let hundredths = if cents {
        (x.abs() * 100.0).round() as u64
    } else {
        x.abs().round() as u64 * 100
    };
    let sign = if x < 0.0 && hundredths > 0 { "-" } else { "" };
    let whole = thousands(hundredths / 100);
    if cents {
        format!("{sign}{whole}.{:02}", hundredths % 100)
    } else {
        format!("{sign}{whole}")
    }
}

/// Whether `x` shows hundredths when rounded to two decimals.
fn has_cents(x: f64) -> bool {
    !((x.abs() * 100.0).round() as u64).is_multiple_of(100)
}

/// [`number`] with a `+` on positive values.
fn signed(x: f64) -> String {
    with_plus(x, number(x))
}

/// `shown` (the figure `x`) with a `+` when `x` is positive.
fn with_plus(x: f64, shown: String) -> String {
    if x > 0.0 { format!("+{shown}") } else { shown }
}

/// The `YYYY-MM-DD` of an ISO 8601 date.
fn day(date: &str) -> &str {
    date.get(..10).unwrap_or(date)
}

/// The trend as a chart: the complexity index and the explainability of
/// the repository and of the components with the largest index at the
/// last sample, one panel each, over the sampled dates.
pub fn trend_chart(trend: &Trend) -> Chart {
    let points = &trend.revisions;
    let mut top: Vec<(&str, f64)> = points
        .last()
        .map(|p| {
            p.values
                .components
                .iter()
                .map(|c| (c.name.as_str(), c.complexity_index))
                .collect()
        })
        .unwrap_or_default();
    top.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    top.truncate(CHART_COMPONENTS);
    let component = |name: &str, value: fn(&crate::trend::ComponentValues) -> f64| Series {
        name: name.to_owned(),
        values: points
            .iter()
            .map(|p| {
                p.values
                    .components
                    .iter()
                    .find(|c| c.name == name)
                    .map(value)
            })
            .collect(),
    };
    let panel = |title: &str,
                 unit: &str,
                 repo: fn(&crate::trend::Values) -> f64,
                 of: fn(&crate::trend::ComponentValues) -> f64| Panel {
        title: title.to_owned(),
        unit: unit.to_owned(),
        series: std::iter::once(Series {
            name: "repository".to_owned(),
            values: points.iter().map(|p| Some(repo(&p.values))).collect(),
        })
        .chain(top.iter().map(|(name, _)| component(name, of)))
        .collect(),
    };
    let place = if trend.prefix.is_empty() {
        trend.root.clone()
    } else {
        format!("{} ({})", trend.root, trend.prefix)
    };
    Chart {
        title: format!("Complexity and explainability of {place}"),
        subtitle: format!(
            "{} revisions, {} → {}; mlscan {}",
            points.len(),
            points
                .first()
                .map_or("", |p| &p.date[..p.date.len().min(10)]),
            points
                .last()
                .map_or("", |p| &p.date[..p.date.len().min(10)]),
            trend.tool.version
        ),
        x_labels: x_labels(points),
        panels: vec![
            panel(
                "Complexity index (higher: more to hold in mind)",
                "points",
                |v| v.complexity_index,
                |c| c.complexity_index,
            ),
            panel(
                "Explainability (higher: easier to explain)",
                "score /100",
                |v| v.explainability,
                |c| c.explainability,
            ),
        ],
    }
}

/// Sample dates (`YYYY-MM-DD`), with the short commit id when two
/// samples share a day.
fn x_labels(points: &[crate::trend::Point]) -> Vec<String> {
    let days: Vec<String> = points
        .iter()
        .map(|p| p.date.chars().take(10).collect())
        .collect();
    let unique = days.iter().collect::<std::collections::BTreeSet<_>>().len() == days.len();
    if unique {
        return days;
    }
    days.into_iter()
        .zip(points)
        .map(|(day, p)| format!("{day} {}", p.commit.get(..7).unwrap_or(&p.commit)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparklines_span_the_range() {
        assert_eq!(sparkline(&[1.0, 2.0, 3.0, 8.0]), "▁▂▃█");
        assert_eq!(sparkline(&[5.0, 5.0]), "▁▁");
        let long: Vec<f64> = (0..100).map(f64::from).collect();
        let line = sparkline(&long);
        assert_eq!(line.chars().count(), SPARK_WIDTH);
        assert!(line.starts_with('▁') && line.ends_with('█'));
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(number(1234.0), "1,234");
        assert_eq!(number(1234.5), "1,234.50");
        assert_eq!(number(-0.25), "-0.25");
        assert_eq!(number(2.999), "3");
        assert_eq!(signed(3.0), "+3");
        assert_eq!(signed(0.0), "0");
        assert_eq!(signed(-1.5), "-1.50");
        assert_eq!(fixed(25271.0, true), "25,271.00");
        assert_eq!(fixed(-0.004, true), "0.00");
        assert_eq!(fixed(1234.5, false), "1,235");
    }
}
