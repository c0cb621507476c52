//! Change coupling: files that change in the same commits (code-maat's
//! `coupling` analysis).

use foldhash::{HashMap, HashMapExt};

use serde::Serialize;

use super::Window;

/// Thresholds, with code-maat's defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct CouplingOptions {
    /// Least average revisions of the two files (`--min-revs`, 5).
    pub min_revs: u32,
    /// Least shared revisions (`--min-shared-revs`, 5).
    pub min_shared_revs: u32,
    /// Least degree in percent (`--min-coupling`, 30).
    pub min_coupling: u32,
    /// Commits touching more files are ignored (`--max-changeset-size`, 30).
    pub max_changeset_size: usize,
}

impl Default for CouplingOptions {
    fn default() -> Self {
        CouplingOptions {
            min_revs: 5,
            min_shared_revs: 5,
            min_coupling: 30,
            max_changeset_size: 30,
        }
    }
}

/// The coupled pairs and what was left out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coupling {
    pub options: CouplingOptions,
    /// Commits ignored for touching more than `max_changeset_size` files.
    pub ignored_commits: u32,
    /// Best first: degree, then average revisions, descending; then paths.
    pub pairs: Vec<CoupledPair>,
}

/// Two files that change together; `a` sorts before `b`.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct CoupledPair {
    pub a: String,
    pub b: String,
    pub a_component: String,
    pub b_component: String,
    /// Commits touching `a` (resp. `b`), mass edits excluded.
    pub revisions_a: u32,
    pub revisions_b: u32,
    /// Commits touching both.
    pub shared: u32,
    /// `(revisions_a + revisions_b) / 2`.
    pub average_revisions: f64,
    /// `⌊100 × shared / average_revisions⌋`, in percent.
    pub degree: u32,
    /// The two files are in different components.
    pub cross_component: bool,
    /// Neither file imports the other: a hidden dependency.
    pub hidden: bool,
}

/// Pairs of files changed in the same commits, above `options`'
/// thresholds. `linked(from, to)` tells whether file `from` imports file
/// `to` (paths as in the window); it is asked both ways.
pub fn coupling(
    window: &Window,
    options: &CouplingOptions,
    linked: impl Fn(&str, &str) -> bool,
) -> Coupling {
    let mut revisions = vec![0u32; window.paths.len()];
    let mut shared: HashMap<(usize, usize), u32> = HashMap::new();
    let mut ignored_commits = 0;
    for commit in &window.commits {
        if commit.files.len() > options.max_changeset_size {
            ignored_commits += 1;
            continue;
        }
        for (i, a) in commit.files.iter().enumerate() {
            if let Some(revs) = revisions.get_mut(a.path) {
                *revs += 1;
            }
            for b in &commit.files[i + 1..] {
                *shared.entry((a.path, b.path)).or_default() += 1;
            }
        }
    }

    let mut pairs = Vec::new();
    for ((a, b), shared) in shared {
        let (Some(&revs_a), Some(&revs_b)) = (revisions.get(a), revisions.get(b)) else {
            continue;
        };
        let (Some(path_a), Some(path_b)) = (window.paths.get(a), window.paths.get(b)) else {
            continue;
        };
        let (Some(component_a), Some(component_b)) =
            (window.components.get(a), window.components.get(b))
        else {
            continue;
        };
        // Integer forms of `average ≥ min_revs` and `degree ≥ min_coupling`.
        let sum = u64::from(revs_a) + u64::from(revs_b);
        if sum < 2 * u64::from(options.min_revs)
            || shared < options.min_shared_revs
            || 200 * u64::from(shared) < u64::from(options.min_coupling) * sum
        {
            continue;
        }
        pairs.push(CoupledPair {
            a: path_a.clone(),
            b: path_b.clone(),
            a_component: component_a.clone(),
            b_component: component_b.clone(),
            revisions_a: revs_a,
            revisions_b: revs_b,
            shared,
            average_revisions: sum as f64 / 2.0,
            degree: u32::try_from(200 * u64::from(shared) / sum).unwrap_or(u32::MAX),
            cross_component: component_a != component_b,
            hidden: !linked(path_a, path_b) && !linked(path_b, path_a),
        });
    }
    let key = |p: &CoupledPair| {
        (
            p.degree,
            u64::from(p.revisions_a) + u64::from(p.revisions_b),
        )
    };
    pairs.sort_by(|x, y| {
        key(y)
            .cmp(&key(x))
            .then_with(|| (&x.a, &x.b).cmp(&(&y.a, &y.b)))
    });
    Coupling {
        options: options.clone(),
        ignored_commits,
        pairs,
    }
}
