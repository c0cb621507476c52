//! Churn per file and component, and hotspots (revisions × complexity).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::Window;
use crate::report::FileReport;

/// Churn per file and per component, sorted by path and name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Churn {
    pub files: Vec<FileChurn>,
    pub components: Vec<ComponentChurn>,
}

/// What changed a file or component in the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Commits touching it (a component: distinct commits touching any file).
    pub commits: u32,
    pub added: u64,
    pub removed: u64,
    /// Distinct authors.
    pub authors: u32,
    /// The newest commit touching it: unix seconds and ISO 8601 date.
    pub last_change: i64,
    pub last_date: String,
}

/// One file's churn, under its newest path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileChurn {
    pub path: String,
    pub component: String,
    /// Earlier paths followed through exact renames, sorted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub renamed_from: Vec<String>,
    #[serde(flatten)]
    pub counts: Counts,
}

/// One component's churn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComponentChurn {
    pub name: String,
    /// Files changed in the window.
    pub files: u32,
    #[serde(flatten)]
    pub counts: Counts,
}

/// Accumulates [`Counts`] commit by commit (oldest first).
#[derive(Default)]
struct Tally<'w> {
    commits: u32,
    added: u64,
    removed: u64,
    authors: BTreeSet<usize>,
    last: Option<(i64, &'w str)>,
}

impl<'w> Tally<'w> {
    fn commit(&mut self, author: usize, time: i64, date: &'w str) {
        self.commits += 1;
        self.authors.insert(author);
        if self.last.is_none_or(|(t, _)| time >= t) {
            self.last = Some((time, date));
        }
    }

    fn counts(&self) -> Counts {
        let (last_change, last_date) = self.last.unwrap_or_default();
        Counts {
            commits: self.commits,
            added: self.added,
            removed: self.removed,
            authors: u32::try_from(self.authors.len()).unwrap_or(u32::MAX),
            last_change,
            last_date: last_date.to_string(),
        }
    }
}

/// Churn of every file changed in the window and of its component.
pub fn churn(window: &Window) -> Churn {
    let mut files: Vec<Tally> = window.paths.iter().map(|_| Tally::default()).collect();
    let mut components: BTreeMap<&str, (Tally, BTreeSet<usize>)> = BTreeMap::new();
    for commit in &window.commits {
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        for touch in &commit.files {
            let (Some(file), Some(component)) =
                (files.get_mut(touch.path), window.components.get(touch.path))
            else {
                continue;
            };
            file.commit(commit.author, commit.time, &commit.date);
            file.added += touch.added;
            file.removed += touch.removed;
            let (tally, paths) = components.entry(component).or_default();
            if seen.insert(component) {
                tally.commit(commit.author, commit.time, &commit.date);
            }
            tally.added += touch.added;
            tally.removed += touch.removed;
            paths.insert(touch.path);
        }
    }
    let files = window
        .paths
        .iter()
        .zip(&window.components)
        .zip(&window.renamed_from)
        .zip(&files)
        .map(|(((path, component), renamed_from), tally)| FileChurn {
            path: path.clone(),
            component: component.clone(),
            renamed_from: renamed_from.clone(),
            counts: tally.counts(),
        })
        .collect();
    let components = components
        .into_iter()
        .map(|(name, (tally, paths))| ComponentChurn {
            name: name.to_string(),
            files: u32::try_from(paths.len()).unwrap_or(u32::MAX),
            counts: tally.counts(),
        })
        .collect();
    Churn { files, components }
}

/// The top hotspots among files and among components.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hotspots {
    pub files: Vec<Hotspot>,
    pub components: Vec<Hotspot>,
}

/// A file or component with the numbers behind its rank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Hotspot {
    /// File path or component name.
    pub name: String,
    /// Commits touching it in the window.
    pub revisions: u32,
    /// Total cognitive complexity in the current scan.
    pub cognitive: u32,
    /// `revisions × cognitive`.
    pub score: u64,
}

/// The `top` files and components by `revisions × cognitive complexity`
/// (ties: more revisions, then name), joining `churn` with the current
/// scan's `files` by path (both relative to the scan root). Files no longer
/// in the scan and scores of 0 are left out.
pub fn hotspots(churn: &Churn, files: &[FileReport], top: usize) -> Hotspots {
    let cognitive: BTreeMap<&str, u32> = files
        .iter()
        .map(|f| (f.path.as_str(), f.totals.cognitive))
        .collect();
    let mut per_component: BTreeMap<&str, u32> = BTreeMap::new();
    for file in files {
        let total = per_component.entry(&file.component).or_default();
        *total = total.saturating_add(file.totals.cognitive);
    }
    let file_spots = churn.files.iter().filter_map(|f| {
        let complexity = cognitive.get(f.path.as_str())?;
        Some(hotspot(&f.path, f.counts.commits, *complexity))
    });
    let component_spots = churn.components.iter().filter_map(|c| {
        let complexity = per_component.get(c.name.as_str())?;
        Some(hotspot(&c.name, c.counts.commits, *complexity))
    });
    Hotspots {
        files: ranked(file_spots, top),
        components: ranked(component_spots, top),
    }
}

fn hotspot(name: &str, revisions: u32, cognitive: u32) -> Hotspot {
    Hotspot {
        name: name.to_string(),
        revisions,
        cognitive,
        score: u64::from(revisions) * u64::from(cognitive),
    }
}

/// Non-zero scores, best first, at most `top`.
fn ranked(spots: impl Iterator<Item = Hotspot>, top: usize) -> Vec<Hotspot> {
    let mut spots: Vec<Hotspot> = spots.filter(|s| s.score > 0).collect();
    spots.sort_by(|a, b| {
        (b.score, b.revisions)
            .cmp(&(a.score, a.revisions))
            .then_with(|| a.name.cmp(&b.name))
    });
    spots.truncate(top);
    spots
}
