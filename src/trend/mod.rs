//! `mlscan trend`: how a repository's complexity and explainability grew
//! over its git history.
//!
//! With a cache, the contents the revisions need and the cache lacks are
//! analysed first, path by path, so that each Python version's unchanged
//! statements come from the analysis of the one before
//! (`collect/prefetch.rs`, `parse/python/memo.rs`). Then for each sampled
//! revision (with a cache, on every thread at once: a contiguous segment
//! per two threads, sampled from both ends until they meet; the lines
//! changed between samples are counted meanwhile): its
//! snapshot from the cache, or else its files under PATH (from the
//! commit's tree, with the excludes and size limits of a working-tree
//! scan), each file's facts (from the previous revision, the cache by blob
//! id, or an analysis of the blob on the worker threads), the scan's full
//! assessed report ([`crate::scan::build_report`], its graphs and check
//! families in turn on the sampler's thread), and from it the
//! revision's [`Values`], stored as its snapshot. Only the values are
//! kept, the facts of each thread's last revision, and the prefetch's
//! plan (a key and a path per content to analyse, a count of files per
//! revision), so memory does not grow with the number of revisions; each
//! distinct blob is analysed once per tool version, across revisions and
//! runs. Facts are written before the snapshots, in batches of their own
//! transactions: a killed run leaves a cache the next run resumes from.
//!
//! Decisions:
//! - The configuration (roles, components, rules, weights, excludes) is
//!   the working tree's (or `--config`), applied to every revision: the
//!   series then measure the code, not changes of configuration, and a
//!   rerun is reproducible. A snapshot's key holds a hash of that
//!   configuration, the rule selection, the excludes and limits, the
//!   layout of [`Values`] and the build's sources.
//! - Complexity added per 1,000 lines added: the change of the complexity
//!   index from the first sample to the last, over the lines added by
//!   every first-parent commit after the first sample up to the last (not
//!   only the sampled ones), in the files a scan reads.
//! - A working-tree scan also skips files its `.gitignore` rules match and
//!   folders holding a virtualenv or cache marker; tracked files in a
//!   commit are taken unless an exclude names them.
//!
//! Test hook: `MLSCAN_TREND_PAUSE_MS=N` sleeps N ms after each revision,
//! so a test can interrupt a run midway.

mod activity;
mod collect;
mod derive;
mod point;
mod validate;

#[cfg(test)]
mod tests;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use serde::Serialize;

pub use activity::{Activity, ActivityOptions, ComponentActivity};
pub use collect::{Counts, LinesChanged};
pub use derive::{Derived, Fall, Growth};
use point::VALUES_VERSION;
pub use point::{ComponentValues, Point, Values};
pub use validate::Validation;

use crate::cache::{Cache, Fingerprint};
use crate::check::Settings;
use crate::facts::CcRules;
use crate::history::{self, Repo, Revision};
use crate::report::{SCHEMA_VERSION, Tool};
use crate::scan::ScanOptions;
use crate::scan::{self, join_workers, spawn_worker};
use crate::walk::Excludes;
use collect::{Collector, Setup};

/// Cyclomatic complexity above which a function counts as over the
/// threshold when rule MLS001 is not selected (its default `max`).
const DEFAULT_CC_THRESHOLD: u32 = 10;

/// Where the cache lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheDir {
    /// `.mlscan` at the root of the repository's work tree (in the git
    /// dir of a bare repository).
    InRepository,
    At(PathBuf),
    /// No cache: every revision is analysed.
    Off,
}

/// What to trend and how.
pub struct TrendOptions {
    /// `root` is PATH, a folder of the work tree; `checks` is replaced by
    /// the rules of `select` and `ignore`; `cache` is not read (see `cache`).
    pub scan: ScanOptions,
    /// Rule selection, as `mlscan scan --select/--ignore`.
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub revisions: history::Options,
    pub cache: CacheDir,
    /// Churn, hotspots, coupling and ownership at the newest sample.
    pub activity: Option<ActivityOptions>,
    /// `--validate`: the window after a sample in which bug fixes are
    /// counted (days), and the bug-fix message pattern.
    pub validate: Option<(u32, String)>,
}

/// A trend: the sampled revisions with their values, and what they add up
/// to. Its JSON is documented in docs/SCHEMA.md.
#[derive(Debug, Clone, Serialize)]
pub struct Trend {
    pub schema_version: u32,
    pub tool: Tool,
    /// PATH as given.
    pub root: String,
    /// PATH's folder in the repository ("" at the root).
    pub prefix: String,
    pub options: TrendReportOptions,
    /// In history order.
    pub revisions: Vec<Point>,
    pub derived: Derived,
    /// At the newest sample (absent with `--no-activity`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity: Option<Activity>,
    /// With `--validate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validation: Option<Validation>,
    /// How the run went (not part of the JSON).
    #[serde(skip)]
    pub stats: RunStats,
}

/// Options that change the numbers, recorded so outputs are comparable.
#[derive(Debug, Clone, Serialize)]
pub struct TrendReportOptions {
    pub cc_rules: CcRules,
    /// Functions with a cyclomatic complexity above this are counted in
    /// `functions_over_threshold` (MLS001's `max`).
    pub cc_threshold: u32,
    /// Mainline history only (the default), or every commit.
    pub first_parent: bool,
}

/// The counts of a run and the cache's state, for `--stats`.
#[derive(Debug, Clone, Default)]
pub struct RunStats {
    pub counts: Counts,
    /// Size of the cache on disk; `None` without a cache.
    pub cache_bytes: Option<u64>,
    pub cache_warnings: Vec<String>,
}

/// Runs a trend. `Err` for a folder outside a repository, a shallow
/// clone, a missing revision, an empty selection, a bad configuration.
pub fn run(options: TrendOptions) -> Result<Trend, String> {
    let repo = Repo::discover(&options.scan.root).map_err(|e| e.to_string())?;
    let revisions = repo
        .revisions(&options.revisions)
        .map_err(|e| e.to_string())?;
    if revisions.is_empty() {
        return Err("no commit matches the revision selection".to_owned());
    }
    let mut scan = options.scan;
    let settings = Settings::new(&scan.project, &options.select, &options.ignore, None)?;
    let threshold = settings
        .rule("MLS001")
        .map_or(DEFAULT_CC_THRESHOLD, |rule| {
            u32::try_from(rule.int("max").max(0)).unwrap_or(u32::MAX)
        });
    scan.checks = Some(settings);
    let excludes = Excludes::new(&scan.root, &scan.walk)?;
    let cache_dir = match options.cache {
        CacheDir::Off => None,
        CacheDir::At(dir) => Some(dir),
        CacheDir::InRepository => Some(Cache::default_dir(
            repo.work_tree().unwrap_or_else(|| repo.git_dir()),
        )),
    };
    let fingerprint = Fingerprint::current(scan.analysis);
    let cache = cache_dir.as_ref().map(|dir| Cache::open(dir, fingerprint));
    let setup = Setup {
        options: &scan,
        excludes: &excludes,
        snapshot_options: snapshot_options(&scan, &options.select, &options.ignore),
        threshold,
    };
    let mut collector = Collector::new(&repo, &setup, cache);
    if let Some(tip) = revisions.last() {
        collector.keep_report(tip.id);
    }
    // Consecutive commits: the prefetch's versions of a path are what
    // the commits change, so it counts the lines changed on the way.
    let consecutive = revisions
        .windows(2)
        .all(|pair| pair[1].parents.first() == Some(&pair[0].id));
    collector.prefetch(&revisions, consecutive)?;
    let forks = cache_dir.as_deref().map(|dir| (dir, fingerprint));
    let count_lines = |collector: &mut Collector| match (revisions.first(), revisions.last()) {
        (Some(first), Some(last)) if first.id != last.id => {
            // The activity's windows need these commits' changes again.
            let keep_after = options.activity.map(|a| a.since(last));
            collector.lines_changed(first.id, last.id, keep_after)
        }
        _ => Ok(LinesChanged::default()),
    };
    let (points, lines) = sample(&mut collector, &setup, &revisions, forks, count_lines)?;
    let (activity, validation) = match revisions.last() {
        Some(tip) => at_tip(
            &repo,
            &mut collector,
            &scan,
            (options.activity, &options.validate),
            (&points, options.revisions.first_parent),
            tip,
        )?,
        None => (None, None),
    };
    let (counts, cache) = collector.finish();
    let (cache_bytes, cache_warnings) = match cache {
        Some((bytes, warnings)) => (Some(bytes), warnings),
        None => (None, Vec::new()),
    };
    Ok(Trend {
        schema_version: SCHEMA_VERSION,
        tool: Tool::CURRENT,
        root: scan.root.display().to_string(),
        prefix: repo.prefix().to_owned(),
        options: TrendReportOptions {
            cc_rules: scan.analysis.cc_rules,
            cc_threshold: threshold,
            first_parent: options.revisions.first_parent,
        },
        derived: Derived::of(&points, lines),
        activity,
        validation,
        revisions: points,
        stats: RunStats {
            counts,
            cache_bytes,
            cache_warnings,
        },
    })
}

/// The points of `revisions`, in order, and what `beside` computes with
/// `collector`. With a cache and several threads the revisions are cut
/// into contiguous segments (by cost: the files the prefetch listed at
/// each revision), one per two threads, which sample it from both ends
/// until they meet, so they finish together. Each
/// thread has its own collector (its own repository handle and cache
/// connection, from `forks`), which finds the contents prefetched into the
/// cache, and `beside` runs on this thread meanwhile. Otherwise
/// `collector` samples the revisions one after the other, then runs
/// `beside`.
fn sample<T>(
    collector: &mut Collector,
    setup: &Setup,
    revisions: &[Revision],
    forks: Option<(&Path, Fingerprint)>,
    beside: impl FnOnce(&mut Collector) -> Result<T, String>,
) -> Result<(Vec<Point>, T), String> {
    let progress = scan::progress_bar(
        setup.options.progress,
        revisions.len(),
        "trend",
        "revisions",
    );
    let pause = pause_after_revision();
    let point = |collector: &mut Collector, revision: &Revision| {
        let values = collector.values(revision)?;
        progress.inc(1);
        if let Some(pause) = pause {
            std::thread::sleep(pause);
        }
        Ok::<_, String>(Point::new(revision, values))
    };
    let threads = setup.options.walk.threads.min(revisions.len());
    let (points, besides) = match forks {
        Some((dir, fingerprint)) if threads > 1 && collector.has_cache() => {
            let tip = revisions.last().map(|r| r.id);
            let costs: Vec<usize> = revisions.iter().map(|r| collector.cost(r.id)).collect();
            // A segment of two threads' shares for each two threads, and a
            // last one of one share for an odd thread.
            let segments: Vec<Mutex<Range<usize>>> = runs(&costs, threads)
                .chunks(2)
                .filter_map(|two| Some(Mutex::new(two.first()?.start..two.last()?.end)))
                .collect();
            let sizes = collector.known_sizes();
            let (sizes, segments, point) = (&sizes, &segments, &point);
            let sampled = std::thread::scope(|scope| {
                let workers = (0..threads)
                    .filter_map(|t| Some((segments.get(t / 2)?, t % 2 == 1)))
                    .map(|(segment, from_end)| {
                        spawn_worker(scope, move || {
                            let repo =
                                Repo::discover(&setup.options.root).map_err(|e| e.to_string())?;
                            repo.learn_sizes(sizes.clone());
                            let cache = Cache::open_beside(dir, fingerprint);
                            let mut fork =
                                Collector::new(&repo, setup, Some(cache)).analysing_on(1);
                            if let Some(tip) = tip {
                                fork.keep_report(tip);
                            }
                            let mut points = Vec::new();
                            loop {
                                let mut left =
                                    segment.lock().unwrap_or_else(PoisonError::into_inner);
                                let next = if from_end {
                                    left.next_back()
                                } else {
                                    left.next()
                                };
                                drop(left);
                                let Some(i) = next else { break };
                                points.push((i, point(&mut fork, &revisions[i])?));
                            }
                            Ok((points, fork.into_found()))
                        })
                    })
                    .collect::<Result<Vec<_>, String>>()?;
                // This thread's work fills the cores' gaps (the first
                // revisions, which read all their files from the cache).
                let besides = beside(collector);
                join_workers(workers).map(|sampled| (sampled, besides))
            });
            let (sampled, besides) = sampled?;
            let mut points = Vec::with_capacity(revisions.len());
            for (run, found) in sampled {
                points.extend(run);
                collector.absorb(found);
            }
            points.sort_unstable_by_key(|&(i, _)| i);
            (points.into_iter().map(|(_, p)| p).collect(), besides?)
        }
        _ => {
            let points = revisions
                .iter()
                .map(|revision| point(collector, revision))
                .collect::<Result<Vec<_>, String>>()?;
            (points, beside(collector)?)
        }
    };
    progress.finish_and_clear();
    Ok((points, besides))
}

/// `costs` cut into at most `runs` contiguous ranges of about the same
/// total cost (a trend's shares of work, one per thread).
fn runs(costs: &[usize], runs: usize) -> Vec<Range<usize>> {
    let total: usize = costs.iter().sum();
    let mut cuts = Vec::with_capacity(runs);
    let (mut start, mut sum) = (0, 0);
    for (i, cost) in costs.iter().enumerate() {
        sum += cost;
        // Cut once this run holds its share of the whole.
        if sum * runs >= total * (cuts.len() + 1) && cuts.len() + 1 < runs {
            cuts.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < costs.len() {
        cuts.push(start..costs.len());
    }
    cuts
}

/// The activity (from the cache when it holds it) and the validation at
/// the newest sample, as asked.
fn at_tip(
    repo: &Repo,
    collector: &mut Collector,
    scan: &ScanOptions,
    (activity, validate): (Option<ActivityOptions>, &Option<(u32, String)>),
    (points, first_parent): (&[Point], bool),
    tip: &history::Revision,
) -> Result<(Option<Activity>, Option<Validation>), String> {
    let commit = tip.id.to_string();
    let threads = scan.walk.threads;
    let stored = activity.and_then(|a| {
        let bytes = collector.stored(&commit, &a.key())?;
        rmp_serde::from_slice::<Activity>(&bytes).ok()
    });
    let needs_report = (activity.is_some() && stored.is_none()) || validate.is_some();
    let report = if needs_report {
        Some(collector.report_at(tip.id)?)
    } else {
        None
    };
    let activity = match (activity, stored, &report) {
        (None, _, _) => None,
        (Some(_), Some(stored), _) => Some(stored),
        (Some(a), None, Some(report)) => {
            let known = collector.take_changes();
            let computed =
                activity::activity(repo, tip, report, &scan.project, a, (&known, threads))?;
            if let Ok(bytes) = rmp_serde::to_vec_named(&computed) {
                collector.store(&commit, &a.key(), &bytes);
            }
            Some(computed)
        }
        (Some(_), None, None) => None,
    };
    let validation = match (validate, &report) {
        (Some((days, pattern)), Some(report)) => Some(validate::validate(
            repo,
            (points, first_parent),
            tip,
            report,
            &scan.project,
            *days,
            pattern,
            threads,
        )?),
        _ => None,
    };
    Ok((activity, validation))
}

/// What a revision's values depend on besides its commit, its prefix and
/// the cache's fingerprint (tool and analysis options), as a hash.
fn snapshot_options(scan: &ScanOptions, select: &[String], ignore: &[String]) -> String {
    let mut project = scan.project.clone();
    project.source = None;
    let text = format!(
        "values {VALUES_VERSION}\nbuild {}\nconfig {project:?}\nselect {select:?}\nignore {ignore:?}\nexcludes {:?} {}\nlimits {} {}\n",
        env!("MLSCAN_REPORT_HASH"),
        scan.walk.excludes,
        scan.walk.default_excludes,
        scan.walk.max_code_bytes,
        scan.walk.max_config_bytes,
    );
    sha1_smol::Sha1::from(text).digest().to_string()
}

/// The pause of the test hook `MLSCAN_TREND_PAUSE_MS`.
fn pause_after_revision() -> Option<Duration> {
    let ms: u64 = std::env::var("MLSCAN_TREND_PAUSE_MS").ok()?.parse().ok()?;
    Some(Duration::from_millis(ms))
}
