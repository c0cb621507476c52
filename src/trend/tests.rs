//! Derived figures and snapshot values; whole runs on git histories are
//! in `tests/trend.rs`.

use super::*;

const DAY: i64 = 86_400;

fn point(day: i64, index: f64, components: &[(&str, f64)]) -> Point {
    Point {
        commit: format!("{day:040}"),
        date: String::new(),
        time: day * DAY,
        author: String::new(),
        summary: String::new(),
        values: Values {
            complexity_index: index,
            cyclomatic_total: 10,
            components: components
                .iter()
                .map(|&(name, explainability)| ComponentValues {
                    name: name.to_owned(),
                    complexity_index: 0.0,
                    explainability,
                    cyclomatic_total: 0,
                    sloc: 0,
                })
                .collect(),
            ..Values::default()
        },
    }
}

fn growth<'a>(derived: &'a Derived, series: &str) -> &'a Growth {
    derived.growth.iter().find(|g| g.series == series).unwrap()
}

#[test]
fn growth_rates_and_complexity_per_line() {
    let lines = LinesChanged {
        commits: 3,
        added: 4000,
        removed: 10,
    };
    let points = [
        point(0, 100.0, &[]),
        point(5, 90.0, &[]),
        point(60, 150.0, &[]),
    ];
    let derived = Derived::of(&points, lines);
    assert_eq!(derived.days, 60.0);
    let index = growth(&derived, "complexity_index");
    assert_eq!(
        (index.first, index.last, index.change),
        (100.0, 150.0, 50.0)
    );
    assert_eq!(index.percent, Some(50.0));
    assert_eq!(index.per_30_days, Some(25.0));
    // Zero at the start: no percentage.
    assert_eq!(growth(&derived, "functions").percent, None);
    assert_eq!(derived.complexity_per_kloc_added, Some(12.5));
    assert_eq!((derived.commits, derived.lines_removed), (3, 10));

    // Under 30 days, no rate; without lines added, no ratio.
    let short = Derived::of(&points[..2], LinesChanged::default());
    assert_eq!(growth(&short, "complexity_index").per_30_days, None);
    assert_eq!(short.complexity_per_kloc_added, None);
    assert!(Derived::of(&[], lines).growth.is_empty());
}

#[test]
fn explainability_falls_largest_first() {
    let first = point(
        0,
        0.0,
        &[("a", 80.0), ("b", 70.0), ("c", 60.0), ("gone", 90.0)],
    );
    let last = point(
        1,
        0.0,
        &[("a", 70.0), ("b", 60.0), ("c", 65.0), ("new", 10.0)],
    );
    let derived = Derived::of(&[first, last], LinesChanged::default());
    let falls: Vec<(&str, f64)> = derived
        .explainability_falls
        .iter()
        .map(|f| (f.component.as_str(), f.change))
        .collect();
    // Equal falls by name; risen, removed and added components are left out.
    assert_eq!(falls, [("a", -10.0), ("b", -10.0)]);
    assert_eq!(
        (
            derived.explainability_falls[0].first,
            derived.explainability_falls[0].last
        ),
        (80.0, 70.0)
    );
}

/// The values of the example repository's assessed scan.
fn example_values() -> (Values, crate::report::ScanReport) {
    let project = crate::config::ProjectConfig::default();
    let options = ScanOptions {
        root: std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/mlrepo"),
        walk: crate::walk::WalkOptions {
            threads: 2,
            excludes: Vec::new(),
            default_excludes: true,
            follow_links: false,
            max_code_bytes: 1 << 20,
            max_config_bytes: 1 << 20,
        },
        analysis: Default::default(),
        checks: Some(Settings::new(&project, &[], &[], None).unwrap()),
        project,
        cache: None,
        knowledge: Default::default(),
        progress: false,
    };
    let report = crate::scan::scan(&options).unwrap();
    (Values::of(&report, DEFAULT_CC_THRESHOLD), report)
}

#[test]
fn values_of_a_report() {
    let (values, report) = example_values();
    let totals = &report.summary.totals;
    assert_eq!(values.files, totals.files);
    assert_eq!(values.cyclomatic_total, u64::from(totals.cyclomatic_total));
    let scores = report.scores.as_ref().unwrap();
    assert_eq!(values.complexity_index, scores.repo.complexity_index);
    assert_eq!(values.explainability, scores.repo.explainability);
    assert_eq!(values.components.len(), report.summary.components.len());
    let by_family: u32 = values.findings.values().sum();
    assert_eq!(by_family as usize, report.findings.len());
    assert_eq!(values.sloc, values.sloc_by_role.values().sum::<u64>());
    assert!(values.features > 0 && values.lineage_nodes > values.features);

    // Every key of every map is a series, zeros included.
    let names: Vec<String> = values.scalars().into_iter().map(|(n, _)| n).collect();
    assert_eq!(names[..3], ["complexity_index", "explainability", "files"]);
    assert_eq!(names.len(), 33);
    assert!(names.contains(&"externals.tracking".to_owned()));
    assert!(names.contains(&"findings.governance".to_owned()));

    assert_eq!(Values::decode(&values.encode().unwrap()), Some(values));
    assert_eq!(Values::decode(b"not a snapshot"), None);
}

#[test]
fn runs_share_the_cost_out_evenly() {
    // Later revisions hold more files: the first run takes more of them.
    assert_eq!(runs(&[1, 1, 1, 1, 2, 2], 2), vec![0..4, 4..6]);
    assert_eq!(runs(&[3, 3, 3, 3], 2), vec![0..2, 2..4]);
    assert_eq!(runs(&[5, 1, 1, 1, 1, 1], 2), vec![0..1, 1..6]);
    assert_eq!(runs(&[1, 1, 1], 3), vec![0..1, 1..2, 2..3]);
    // Fewer revisions than threads, or none.
    assert_eq!(runs(&[4], 2), vec![0..1]);
    assert_eq!(runs(&[], 2), Vec::<Range<usize>>::new());
}
