//! Figures derived from the samples: each series' growth from the first
//! sample to the last, complexity added per 1,000 lines added, and the
//! components whose explainability fell most.

use foldhash::HashMap;

use serde::Serialize;

use super::collect::LinesChanged;
use super::point::Point;
use crate::summary::round2;

/// Components listed among the largest explainability falls.
const MAX_FALLS: usize = 10;

const DAY: f64 = 86_400.0;
/// The period of growth rates, in days.
const PERIOD_DAYS: f64 = 30.0;

/// What the samples add up to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Derived {
    /// Days from the first sample to the last (committer times).
    pub days: f64,
    /// Every repository-level series, in the order of
    /// [`Values::scalars`](super::point::Values::scalars).
    pub growth: Vec<Growth>,
    /// First-parent commits after the first sample up to the last.
    pub commits: u64,
    /// Lines added and removed by those commits, in the files a scan reads.
    pub lines_added: u64,
    pub lines_removed: u64,
    /// Change of the complexity index per 1,000 lines added; absent when no
    /// line was added.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub complexity_per_kloc_added: Option<f64>,
    /// Components in both the first and the last sample whose
    /// explainability fell, largest fall first (at most 10).
    pub explainability_falls: Vec<Fall>,
}

/// One series from the first sample to the last.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Growth {
    pub series: String,
    pub first: f64,
    pub last: f64,
    pub change: f64,
    /// Change relative to `first`, in percent; absent when `first` is 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent: Option<f64>,
    /// Change per 30 days; absent when the samples span less than 30 days
    /// (a rate over less than one period would be an extrapolation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_30_days: Option<f64>,
}

/// A component's explainability in the first and the last sample.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fall {
    pub component: String,
    pub first: f64,
    pub last: f64,
    pub change: f64,
}

impl Derived {
    /// The figures of `points` (in history order), with the lines changed
    /// between the first and the last.
    pub fn of(points: &[Point], lines: LinesChanged) -> Derived {
        let (Some(first), Some(last)) = (points.first(), points.last()) else {
            return Derived {
                days: 0.0,
                growth: Vec::new(),
                commits: 0,
                lines_added: 0,
                lines_removed: 0,
                complexity_per_kloc_added: None,
                explainability_falls: Vec::new(),
            };
        };
        let seconds = last.time.saturating_sub(first.time).max(0) as f64;
        let days = seconds / DAY;
        let growth = first
            .values
            .scalars()
            .into_iter()
            .zip(last.values.scalars())
            .map(|((series, a), (_, b))| Growth {
                series,
                first: a,
                last: b,
                change: round2(b - a),
                percent: (a != 0.0).then(|| round2(100.0 * (b - a) / a.abs())),
                per_30_days: (days >= PERIOD_DAYS).then(|| round2((b - a) * PERIOD_DAYS / days)),
            })
            .collect();
        let index_change = last.values.complexity_index - first.values.complexity_index;
        Derived {
            days: round2(days),
            growth,
            commits: lines.commits,
            lines_added: lines.added,
            lines_removed: lines.removed,
            complexity_per_kloc_added: (lines.added > 0)
                .then(|| round2(index_change * 1000.0 / lines.added as f64)),
            explainability_falls: falls(first, last),
        }
    }
}

/// Components whose explainability fell from `first` to `last`, largest
/// fall first, then by name.
fn falls(first: &Point, last: &Point) -> Vec<Fall> {
    let before: HashMap<&str, f64> = first
        .values
        .components
        .iter()
        .map(|c| (c.name.as_str(), c.explainability))
        .collect();
    let mut falls: Vec<Fall> = last
        .values
        .components
        .iter()
        .filter_map(|c| {
            let was = *before.get(c.name.as_str())?;
            (c.explainability < was).then(|| Fall {
                component: c.name.clone(),
                first: was,
                last: c.explainability,
                change: round2(c.explainability - was),
            })
        })
        .collect();
    falls.sort_by(|a, b| {
        a.change
            .total_cmp(&b.change)
            .then_with(|| a.component.cmp(&b.component))
    });
    falls.truncate(MAX_FALLS);
    falls
}
