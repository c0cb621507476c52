//! Ownership per file and component: authors' shares, bus factor,
//! fragmentation, knowledge loss and the `knowledge` signal.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{Identity, Window, round4};

/// Days without a commit after which an author counts as inactive.
pub const DEFAULT_INACTIVE_DAYS: u32 = 180;

const DAY: i64 = 86_400;

/// Ownership of every file changed in the window and of its component.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ownership {
    pub inactive_after_days: u32,
    /// The newest commit of the window, from which inactivity is measured.
    pub newest: i64,
    pub newest_date: String,
    /// Every author of the window, by identity (email without case).
    pub authors: Vec<AuthorActivity>,
    /// By path.
    pub files: Vec<FileOwnership>,
    /// By name.
    pub components: Vec<ComponentOwnership>,
}

/// An author's activity anywhere in the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthorActivity {
    pub name: String,
    pub email: String,
    pub commits: u32,
    /// The author's newest commit: unix seconds and ISO 8601 date.
    pub last_commit: i64,
    pub last_date: String,
    /// No commit for more than `inactive_after_days` before the newest one.
    pub inactive: bool,
}

/// An author's part in a file or component.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuthorShare {
    pub name: String,
    pub email: String,
    pub commits: u32,
    /// Lines added + removed; a change without counted lines weighs 1.
    pub lines: u64,
    /// `lines` / everyone's lines.
    pub share: f64,
    pub inactive: bool,
}

/// How knowledge of a file or component is spread.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spread {
    /// Main author first (most lines; ties: more commits, then email).
    pub authors: Vec<AuthorShare>,
    pub main_share: f64,
    /// Fewest authors who together made at least half of the lines.
    pub bus_factor: u32,
    /// `1 − Σ shareᵢ²`: 0 for one author, towards 1 for many small ones.
    pub fragmentation: f64,
    /// Knowledge loss: the main author is inactive.
    pub at_risk: bool,
}

/// One file's ownership, under its newest path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileOwnership {
    pub path: String,
    pub component: String,
    #[serde(flatten)]
    pub spread: Spread,
}

/// One component's ownership, over all its files' changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComponentOwnership {
    pub name: String,
    #[serde(flatten)]
    pub spread: Spread,
    /// Knowledge difficulty for the explainability score, 0..1:
    /// `clamp(max(2 × main_share − 1, 2 × inactive_share), 0, 1)`, where
    /// `inactive_share` is the share of lines by inactive authors. 0 when
    /// no one holds more than half and inactive authors hold none; 1 when
    /// one author holds everything or inactive authors hold half or more
    /// (bus factor 1 with an inactive main author).
    pub knowledge: f64,
}

/// Lines and commits per author index.
type Parts = BTreeMap<usize, (u64, u32)>;

/// Ownership over the window; authors are inactive after
/// `inactive_after_days` without a commit (see [`DEFAULT_INACTIVE_DAYS`]).
/// Files and components without a commit in the window are absent: no
/// evidence either way.
pub fn ownership(window: &Window, inactive_after_days: u32) -> Ownership {
    let limit = i64::from(inactive_after_days) * DAY;
    let inactive: Vec<bool> = window
        .authors
        .iter()
        .map(|a| window.newest - a.last > limit)
        .collect();

    let mut files: Vec<Parts> = vec![Parts::new(); window.paths.len()];
    let mut components: BTreeMap<&str, Parts> = BTreeMap::new();
    for commit in &window.commits {
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        for touch in &commit.files {
            let (Some(parts), Some(component)) =
                (files.get_mut(touch.path), window.components.get(touch.path))
            else {
                continue;
            };
            let part = parts.entry(commit.author).or_default();
            part.0 += touch.weight();
            part.1 += 1;
            let part = components
                .entry(component)
                .or_default()
                .entry(commit.author)
                .or_default();
            part.0 += touch.weight();
            if seen.insert(component) {
                part.1 += 1;
            }
        }
    }

    let files = window
        .paths
        .iter()
        .zip(&window.components)
        .zip(&files)
        .map(|((path, component), parts)| FileOwnership {
            path: path.clone(),
            component: component.clone(),
            spread: spread(parts, &window.authors, &inactive).0,
        })
        .collect();
    let components = components
        .into_iter()
        .map(|(name, parts)| {
            let (spread, knowledge) = spread(&parts, &window.authors, &inactive);
            ComponentOwnership {
                name: name.to_string(),
                spread,
                knowledge,
            }
        })
        .collect();

    let mut authors: Vec<(&Identity, bool)> = window.authors.iter().zip(inactive).collect();
    authors.sort_by(|a, b| a.0.key.cmp(&b.0.key));
    let authors = authors
        .into_iter()
        .map(|(a, inactive)| AuthorActivity {
            name: a.name.clone(),
            email: a.email.clone(),
            commits: a.commits,
            last_commit: a.last,
            last_date: a.last_date.clone(),
            inactive,
        })
        .collect();

    Ownership {
        inactive_after_days,
        newest: window.newest,
        newest_date: window.newest_date.clone(),
        authors,
        files,
        components,
    }
}

/// The spread of `parts` and its knowledge difficulty.
fn spread(parts: &Parts, authors: &[Identity], inactive: &[bool]) -> (Spread, f64) {
    let total: u64 = parts.values().map(|&(lines, _)| lines).sum();
    let mut order: Vec<(usize, u64, u32)> = parts
        .iter()
        .map(|(&author, &(lines, commits))| (author, lines, commits))
        .collect();
    let key = |author: usize| authors.get(author).map_or("", |a| a.key.as_str());
    order.sort_by(|a, b| {
        (b.1, b.2)
            .cmp(&(a.1, a.2))
            .then_with(|| key(a.0).cmp(key(b.0)))
    });
    let share = |lines: u64| {
        if total == 0 {
            0.0
        } else {
            lines as f64 / total as f64
        }
    };

    let mut bus_factor = 0;
    let mut covered = 0;
    for &(_, lines, _) in &order {
        if 2 * covered >= total {
            break;
        }
        covered += lines;
        bus_factor += 1;
    }
    let fragmentation = 1.0 - order.iter().map(|&(_, l, _)| share(l).powi(2)).sum::<f64>();
    let is_inactive = |author: usize| inactive.get(author).copied().unwrap_or(false);
    let inactive_share: f64 = order
        .iter()
        .filter(|&&(author, _, _)| is_inactive(author))
        .map(|&(_, lines, _)| share(lines))
        .sum();
    let main = order.first();
    let main_share = main.map_or(0.0, |&(_, lines, _)| share(lines));
    // `+ 0.0` turns the -0.0 of an empty sum into 0.
    let knowledge = (2.0 * main_share - 1.0)
        .max(2.0 * inactive_share)
        .clamp(0.0, 1.0)
        + 0.0;
    let spread = Spread {
        authors: order
            .iter()
            .filter_map(|&(author, lines, commits)| {
                let identity = authors.get(author)?;
                Some(AuthorShare {
                    name: identity.name.clone(),
                    email: identity.email.clone(),
                    commits,
                    lines,
                    share: round4(share(lines)),
                    inactive: is_inactive(author),
                })
            })
            .collect(),
        main_share: round4(main_share),
        bus_factor,
        fragmentation: round4(fragmentation),
        at_risk: main.is_some_and(|&(author, _, _)| is_inactive(author)),
    };
    (spread, round4(knowledge))
}
