//! Does the explainability score predict trouble? The bug-fix commits
//! that touch each component after a revision, and the rank correlation of
//! the components' scores at that revision with those counts.
//!
//! - A **bug fix** is a commit whose summary line matches the pattern
//!   (default [`DEFAULT_BUG_FIX_PATTERN`]: `fix`, `bug`, `hotfix`,
//!   `regression`, `crash`… as words). It counts once per component whose
//!   files it touches.
//! - **Spearman's ρ** is Pearson's correlation of the ranks (ties get
//!   their average rank). A score that predicts trouble has ρ < 0 for
//!   explainability (less explainable, more fixes) and ρ > 0 for the
//!   complexity index. Counts are also taken per 1,000 source lines, so
//!   that size alone does not make the correlation.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::history::CommitChanges;

/// Words of a bug-fix commit message, case-insensitive.
pub const DEFAULT_BUG_FIX_PATTERN: &str =
    r"(?i)\b(fix(e[sd])?|bugs?|bugfix|hotfix|regression|crash(es)?|broken|patch(es)?)\b";

/// Distinct bug-fix commits touching each component.
pub fn bug_fixes(
    changes: &[CommitChanges],
    component_of: impl Fn(&str) -> String,
    pattern: &regex::Regex,
) -> BTreeMap<String, u32> {
    let mut counts = BTreeMap::new();
    for commit in changes
        .iter()
        .filter(|c| pattern.is_match(&c.revision.summary))
    {
        let touched: BTreeSet<String> =
            commit.files.iter().map(|f| component_of(&f.path)).collect();
        for component in touched {
            *counts.entry(component).or_insert(0) += 1;
        }
    }
    counts
}

/// Spearman's rank correlation of the pairs; `None` with fewer than three
/// pairs or when either side is constant.
pub fn spearman(pairs: &[(f64, f64)]) -> Option<f64> {
    if pairs.len() < 3 {
        return None;
    }
    let xs = ranks(&pairs.iter().map(|p| p.0).collect::<Vec<_>>());
    let ys = ranks(&pairs.iter().map(|p| p.1).collect::<Vec<_>>());
    pearson(&xs, &ys)
}

/// Ranks from 1, ties sharing their average rank.
fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Ranks start+1 ..= end share their mean.
        let rank = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        start = end;
    }
    ranks
}

fn pearson(xs: &[f64], ys: &[f64]) -> Option<f64> {
    let n = xs.len() as f64;
    let (mx, my) = (xs.iter().sum::<f64>() / n, ys.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in xs.iter().zip(ys) {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

/// One component's score at the revision and its trouble after it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComponentTrouble {
    pub name: String,
    pub explainability: f64,
    pub complexity_index: f64,
    pub sloc: u64,
    pub bug_fixes: u32,
}

/// The correlations over the components that have code.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Correlations {
    /// Components compared.
    pub components: usize,
    /// ρ(explainability, bug fixes), and per 1,000 lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explainability_vs_fixes: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explainability_vs_fix_density: Option<f64>,
    /// ρ(complexity index, bug fixes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub complexity_vs_fixes: Option<f64>,
}

/// Spearman's ρ of the scores against the counts, over components with
/// source lines.
pub fn correlations(components: &[ComponentTrouble]) -> Correlations {
    let with_code: Vec<&ComponentTrouble> = components.iter().filter(|c| c.sloc > 0).collect();
    let pairs = |f: &dyn Fn(&ComponentTrouble) -> (f64, f64)| -> Vec<(f64, f64)> {
        with_code.iter().map(|c| f(c)).collect()
    };
    let round = |r: Option<f64>| r.map(|r| (r * 1000.0).round() / 1000.0);
    Correlations {
        components: with_code.len(),
        explainability_vs_fixes: round(spearman(&pairs(&|c| {
            (c.explainability, f64::from(c.bug_fixes))
        }))),
        explainability_vs_fix_density: round(spearman(&pairs(&|c| {
            (
                c.explainability,
                1000.0 * f64::from(c.bug_fixes) / c.sloc as f64,
            )
        }))),
        complexity_vs_fixes: round(spearman(&pairs(&|c| {
            (c.complexity_index, f64::from(c.bug_fixes))
        }))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_share_ties_and_spearman_matches_hand_values() {
        assert_eq!(ranks(&[10.0, 30.0, 20.0, 20.0]), vec![1.0, 4.0, 2.5, 2.5]);
        // Perfectly monotone, and reversed.
        let up = [(1.0, 2.0), (2.0, 5.0), (3.0, 9.0)];
        assert_eq!(spearman(&up), Some(1.0));
        let down = [(1.0, 9.0), (2.0, 5.0), (3.0, 2.0), (4.0, 1.0)];
        assert_eq!(spearman(&down), Some(-1.0));
        // x ranks 1..5, y ranks 2,1,4,3,5: Σd² = 4 → ρ = 1 − 6·4/(5·24) = 0.8.
        let mixed = [
            (1.0, 20.0),
            (2.0, 10.0),
            (3.0, 40.0),
            (4.0, 30.0),
            (5.0, 50.0),
        ];
        assert!((spearman(&mixed).unwrap() - 0.8).abs() < 1e-12);
        assert_eq!(spearman(&[(1.0, 1.0), (2.0, 1.0), (3.0, 1.0)]), None);
        assert_eq!(spearman(&[(1.0, 1.0), (2.0, 2.0)]), None);
    }

    #[test]
    fn the_default_pattern_finds_fix_words_not_prefixes() {
        let re = regex::Regex::new(DEFAULT_BUG_FIX_PATTERN).unwrap();
        for yes in [
            "Fix crash in loader",
            "fixes #12",
            "BUG: nan loss",
            "hotfix",
            "Regression in v2",
            "patch tokenizer",
        ] {
            assert!(re.is_match(yes), "{yes}");
        }
        for no in [
            "Add prefix option",
            "Debugging notes",
            "fixture update",
            "Bump version",
        ] {
            assert!(!re.is_match(no), "{no}");
        }
    }

    #[test]
    fn correlations_use_components_with_code() {
        let c = |name: &str, explainability, bug_fixes, sloc| ComponentTrouble {
            name: name.into(),
            explainability,
            complexity_index: 100.0 - explainability,
            sloc,
            bug_fixes,
        };
        let all = [
            c("a", 90.0, 0, 1000),
            c("b", 70.0, 2, 1000),
            c("c", 50.0, 5, 2000),
            c("d", 30.0, 9, 1000),
            c("docs", 100.0, 7, 0),
        ];
        let r = correlations(&all);
        assert_eq!(r.components, 4);
        assert_eq!(r.explainability_vs_fixes, Some(-1.0));
        assert_eq!(r.complexity_vs_fixes, Some(1.0));
        // Densities 0, 2, 2.5, 9 per kloc: still monotone.
        assert_eq!(r.explainability_vs_fix_density, Some(-1.0));
    }
}
