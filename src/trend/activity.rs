//! Who changed what, and how knowledge is spread, at the newest sample:
//! churn, hotspots and change coupling over the last `window_days`,
//! ownership (bus factor, knowledge loss) over the last `ownership_days`,
//! CODEOWNERS of the newest sample, and the explainability of each component
//! once its knowledge signal joins the score (docs/SCORING.md). Computed
//! from `crate::activity` over the first-parent commits before the newest
//! sample, and kept in the cache beside that sample's values.

use foldhash::HashSet;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::activity::{
    CodeOwners, CoupledPair, CouplingOptions, Hotspot, OwnersProblem, Window, churn, coupling,
    hotspots, ownership,
};
use crate::component::Components;
use crate::config::ProjectConfig;
use crate::history::{CommitChanges, Repo, Revision};
use crate::report::ScanReport;
use crate::score::{Knowledge, Scores, Scoring};

const DAY: i64 = 86_400;
/// Files listed as hotspots, and coupled pairs listed.
const TOP: usize = 20;

/// The windows of the activity section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActivityOptions {
    /// Churn, hotspots and coupling (default 90 days).
    pub window_days: u32,
    /// Ownership and knowledge (default 365 days: longer than
    /// `inactive_after_days`, so knowledge loss can show).
    pub ownership_days: u32,
    /// An author without a commit for this long is inactive (180).
    pub inactive_after_days: u32,
}

impl Default for ActivityOptions {
    fn default() -> Self {
        ActivityOptions {
            window_days: 90,
            ownership_days: 365,
            inactive_after_days: crate::activity::DEFAULT_INACTIVE_DAYS,
        }
    }
}

impl ActivityOptions {
    /// The start of the longest window ending at `tip` (unix seconds):
    /// commits after it count.
    pub fn since(&self, tip: &Revision) -> i64 {
        tip.time - i64::from(self.ownership_days.max(self.window_days)) * DAY
    }

    /// What a cached activity depends on besides the commit.
    pub fn key(&self) -> String {
        format!(
            "activity v1 {} {} {}",
            self.window_days, self.ownership_days, self.inactive_after_days
        )
    }
}

/// The activity section of a trend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    pub window_days: u32,
    pub ownership_days: u32,
    pub inactive_after_days: u32,
    /// Date of the newest sample, where the windows end.
    pub until: String,
    /// Commits in the churn window, and in the ownership window.
    pub commits: u32,
    pub ownership_commits: u32,
    /// The repository's explainability with the knowledge signal.
    pub explainability_with_knowledge: f64,
    /// By name.
    pub components: Vec<ComponentActivity>,
    /// Files by revisions × cognitive complexity, best first.
    pub hotspots: Vec<Hotspot>,
    pub coupling_options: CouplingOptions,
    /// Commits left out of coupling for touching too many files.
    pub coupling_ignored_commits: u32,
    /// Strongest first.
    pub coupling: Vec<CoupledPair>,
    /// Where CODEOWNERS was found (absent: no CODEOWNERS).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub codeowners: Option<String>,
    pub codeowners_problems: Vec<OwnersProblem>,
}

/// One component's activity, ownership and owners.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentActivity {
    pub name: String,
    /// In the churn window.
    pub commits: u32,
    pub added: u64,
    pub removed: u64,
    /// Revisions × cognitive complexity (0: no change or no complexity).
    pub hotspot: u64,
    /// In the ownership window (absent: no commit there).
    pub authors: u32,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub main_author: Option<String>,
    pub main_share: f64,
    pub bus_factor: u32,
    pub fragmentation: f64,
    /// The main author is inactive: knowledge loss.
    pub at_risk: bool,
    /// The knowledge difficulty (0..1) fed into the score.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub knowledge: Option<f64>,
    pub explainability: f64,
    pub explainability_with_knowledge: f64,
    /// CODEOWNERS owners of its files, files without an owner, and whether
    /// its owned files have different owners.
    pub owners: Vec<String>,
    pub unowned_files: u32,
    pub owners_overlap: bool,
}

/// The activity ending at `tip`, whose assessed report is `report`; the
/// changes of the commits in `known` are not computed again (on `threads`).
pub fn activity(
    repo: &Repo,
    tip: &Revision,
    report: &ScanReport,
    project: &ProjectConfig,
    options: ActivityOptions,
    (known, threads): (&[CommitChanges], usize),
) -> Result<Activity, String> {
    let changes = repo
        .changes_since(
            Some(&tip.id.to_string()),
            options.since(tip),
            known,
            threads,
        )
        .map_err(|e| e.to_string())?;
    let in_window = |days: u32| -> Vec<CommitChanges> {
        let from = tip.time - i64::from(days) * DAY;
        changes
            .iter()
            .filter(|c| c.revision.time > from)
            .cloned()
            .collect()
    };
    let components = Components::new(
        &project.components,
        report.files.iter().map(|f| f.path.as_str()),
    )?;
    let component_of = |path: &str| components.component_of(path);

    let recent = in_window(options.window_days);
    let window = Window::new(&recent, component_of);
    let churned = churn(&window);
    let hot = hotspots(&churned, &report.files, TOP);
    let imports = import_pairs(report);
    let linked = |a: &str, b: &str| imports.contains(&(a.to_owned(), b.to_owned()));
    let coupled = coupling(&window, &CouplingOptions::default(), linked);

    let long = in_window(options.ownership_days);
    let owned = ownership(
        &Window::new(&long, component_of),
        options.inactive_after_days,
    );
    let knowledge: BTreeMap<String, Knowledge> = owned
        .components
        .iter()
        .map(|c| {
            let detail = format!(
                "bus factor {}; the main author made {:.0}% of the changes{}",
                c.spread.bus_factor,
                100.0 * c.spread.main_share,
                if c.spread.at_risk {
                    " and has been inactive for over ".to_owned()
                        + &options.inactive_after_days.to_string()
                        + " days"
                } else {
                    String::new()
                }
            );
            (
                c.name.clone(),
                Knowledge {
                    difficulty: c.knowledge,
                    detail,
                },
            )
        })
        .collect();
    let scoring = Scoring::with(&project.scoring);
    let with_knowledge = Scores::compute(
        &report.files,
        &report.imports,
        &report.lineage,
        &scoring,
        &knowledge,
    );
    let codeowners =
        CodeOwners::at(repo, tip.id).map(|owners| owners.report(repo.prefix(), &report.files));

    let scores = report.scores.as_ref();
    // Each component's hotspot score (the list keeps only the top files).
    let mut cognitive: BTreeMap<&str, u64> = BTreeMap::new();
    for file in &report.files {
        *cognitive.entry(file.component.as_str()).or_default() += u64::from(file.totals.cognitive);
    }
    let component_rows = with_knowledge
        .components
        .iter()
        .map(|scored| {
            let name = scored.name.as_str();
            let churn = churned.components.iter().find(|c| c.name == name);
            let own = owned.components.iter().find(|c| c.name == name);
            let owners = codeowners
                .as_ref()
                .and_then(|r| r.components.iter().find(|c| c.name == name));
            ComponentActivity {
                name: name.to_owned(),
                commits: churn.map_or(0, |c| c.counts.commits),
                added: churn.map_or(0, |c| c.counts.added),
                removed: churn.map_or(0, |c| c.counts.removed),
                hotspot: u64::from(churn.map_or(0, |c| c.counts.commits))
                    * cognitive.get(name).copied().unwrap_or(0),
                authors: own.map_or(0, |o| {
                    u32::try_from(o.spread.authors.len()).unwrap_or(u32::MAX)
                }),
                main_author: own
                    .and_then(|o| o.spread.authors.first())
                    .map(|a| a.name.clone()),
                main_share: own.map_or(0.0, |o| o.spread.main_share),
                bus_factor: own.map_or(0, |o| o.spread.bus_factor),
                fragmentation: own.map_or(0.0, |o| o.spread.fragmentation),
                at_risk: own.is_some_and(|o| o.spread.at_risk),
                knowledge: own.map(|o| o.knowledge),
                explainability: scores
                    .and_then(|s| s.components.iter().find(|c| c.name == name))
                    .map_or(scored.explainability, |c| c.explainability),
                explainability_with_knowledge: scored.explainability,
                owners: owners.map(|o| o.owners.clone()).unwrap_or_default(),
                unowned_files: owners.map_or(0, |o| o.unowned),
                owners_overlap: owners.is_some_and(|o| o.overlap),
            }
        })
        .collect();
    Ok(Activity {
        window_days: options.window_days,
        ownership_days: options.ownership_days,
        inactive_after_days: options.inactive_after_days,
        until: tip.date.clone(),
        commits: count(recent.len()),
        ownership_commits: count(long.len()),
        explainability_with_knowledge: with_knowledge.repo.explainability,
        components: component_rows,
        hotspots: hot.files,
        coupling_options: coupled.options,
        coupling_ignored_commits: coupled.ignored_commits,
        coupling: coupled.pairs.into_iter().take(TOP).collect(),
        codeowners: codeowners.as_ref().map(|r| r.source.clone()),
        codeowners_problems: codeowners.map(|r| r.problems).unwrap_or_default(),
    })
}

/// (importer path, imported path) of every import between two files.
fn import_pairs(report: &ScanReport) -> HashSet<(String, String)> {
    let path_of: foldhash::HashMap<&str, &str> = report
        .imports
        .modules
        .iter()
        .map(|m| (m.name.as_str(), m.path.as_str()))
        .collect();
    report
        .imports
        .edges
        .iter()
        .filter_map(|e| {
            let to = path_of.get(e.to.as_str())?;
            Some((e.path.clone(), (*to).to_owned()))
        })
        .collect()
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
