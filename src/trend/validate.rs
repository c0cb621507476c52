//! `mlscan trend --validate`: does the explainability score predict
//! trouble? At the newest sample at least `window_days` before the newest
//! commit, each component's scores; after it, the bug-fix commits touching
//! each component; and Spearman's ρ between the two
//! (`crate::activity::validity`).

use regex::Regex;
use serde::Serialize;

use crate::activity::validity::{ComponentTrouble, Correlations, bug_fixes, correlations};
use crate::component::Components;
use crate::config::ProjectConfig;
use crate::history::{KnownCounts, Options, Repo, Revision};
use crate::report::ScanReport;

use super::Point;

const DAY: i64 = 86_400;

/// The validation of a trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Validation {
    /// The sample whose scores are judged.
    pub commit: String,
    pub date: String,
    /// Days after it in which bug fixes are counted, up to `until`.
    pub window_days: u32,
    pub until: String,
    /// The bug-fix message pattern (a regular expression).
    pub pattern: String,
    /// Commits after the sample, and bug fixes among them.
    pub commits: u32,
    pub bug_fix_commits: u32,
    /// By name.
    pub components: Vec<ComponentTrouble>,
    pub correlations: Correlations,
}

/// Validates the scores of the newest point at least `window_days` before
/// `tip` against the bug fixes that followed it (the commits in
/// `sample..tip`, on the first-parent line when the points were sampled
/// on it).
#[allow(clippy::too_many_arguments)]
pub fn validate(
    repo: &Repo,
    (points, first_parent): (&[Point], bool),
    tip: &Revision,
    tip_report: &ScanReport,
    project: &ProjectConfig,
    window_days: u32,
    pattern: &str,
    threads: usize,
) -> Result<Validation, String> {
    let pattern_re =
        Regex::new(pattern).map_err(|e| format!("invalid bug-fix pattern {pattern:?}: {e}"))?;
    let latest = tip.time - i64::from(window_days) * DAY;
    let at = points
        .iter()
        .rev()
        .find(|p| p.time <= latest)
        .ok_or_else(|| {
            format!(
                "--validate needs a sample at least {window_days} days before the newest commit; sample a longer history (--since, --every)"
            )
        })?;
    // After the sample by ancestry (`T..tip`), not by date: commit dates
    // on a mainline can go backwards.
    let revisions = repo
        .revisions(&Options {
            range: Some(format!("{}..{}", at.commit, tip.id)),
            first_parent,
            ..Options::default()
        })
        .map_err(|e| e.to_string())?;
    let after = repo
        .changes(&revisions, threads, &KnownCounts::default())
        .map_err(|e| e.to_string())?;
    let components = Components::new(
        &project.components,
        tip_report.files.iter().map(|f| f.path.as_str()),
    )?;
    let fixes = bug_fixes(&after, |path| components.component_of(path), &pattern_re);
    let troubles: Vec<ComponentTrouble> = at
        .values
        .components
        .iter()
        .map(|c| ComponentTrouble {
            name: c.name.clone(),
            explainability: c.explainability,
            complexity_index: c.complexity_index,
            sloc: c.sloc,
            bug_fixes: fixes.get(&c.name).copied().unwrap_or(0),
        })
        .collect();
    Ok(Validation {
        commit: at.commit.clone(),
        date: at.date.clone(),
        window_days,
        until: tip.date.clone(),
        pattern: pattern.to_owned(),
        commits: u32::try_from(after.len()).unwrap_or(u32::MAX),
        bug_fix_commits: u32::try_from(
            after
                .iter()
                .filter(|c| pattern_re.is_match(&c.revision.summary))
                .count(),
        )
        .unwrap_or(u32::MAX),
        correlations: correlations(&troubles),
        components: troubles,
    })
}
