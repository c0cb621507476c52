//! The `scan` pipeline: walk → analyse every file in parallel → classify →
//! summarise. Output order never depends on thread scheduling.

use foldhash::HashMap;
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::{Scope, ScopedJoinHandle};

use indicatif::{ProgressBar, ProgressStyle};

use crate::cache::{Cache, ContentId, FactsKey, FileStat, Fingerprint};
use crate::check::{self, Settings};
use crate::component::Components;
use crate::config::ProjectConfig;
use crate::facts::{AnalysisOptions, FileFacts, Problem};
use crate::gate::Gate;
use crate::graph;
use crate::lineage;
use crate::parse::{self, Analyzer};
use crate::report::{Diagnostic, FileReport, ReportOptions, SCHEMA_VERSION, ScanReport, Tool};
use crate::role::Classifier;
use crate::score::{Knowledge, Scores, Scoring};
use crate::summary::{self, FileTotals};
use crate::walk::{self, Candidate, Walk, WalkOptions};

/// Worker threads get a large stack: parsers bound their recursion, and
/// this is the margin on top.
const WORKER_STACK_BYTES: usize = 64 * 1024 * 1024;

pub struct ScanOptions {
    pub root: PathBuf,
    pub walk: WalkOptions,
    pub analysis: AnalysisOptions,
    pub project: ProjectConfig,
    /// The rules to check; `None` skips findings, scores and the gate.
    pub checks: Option<Settings>,
    /// The facts cache folder; `None` analyses every file.
    pub cache: Option<PathBuf>,
    /// Knowledge spread per component, from git history (empty without).
    pub knowledge: BTreeMap<String, Knowledge>,
    pub progress: bool,
}

/// How the files of a scan got their facts, and what the cache said: for
/// `--stats` and the timing line, never part of the report (a warm and a
/// cold scan give the same report).
#[derive(Debug, Clone, Default)]
pub struct ScanStats {
    /// Files parsed in this run.
    pub analysed: usize,
    /// Files whose facts came from the cache.
    pub cached: usize,
    /// Problems with the cache (it was then skipped or rebuilt).
    pub cache_warnings: Vec<String>,
}

/// Runs a scan. `Err` is for failures of the whole scan (a missing root, a
/// bad glob); problems with single files become diagnostics.
pub fn scan(options: &ScanOptions) -> Result<ScanReport, String> {
    scan_with_stats(options).map(|(report, _)| report)
}

/// [`scan`], with how the facts were obtained.
pub fn scan_with_stats(options: &ScanOptions) -> Result<(ScanReport, ScanStats), String> {
    let walked = walk::walk(&options.root, &options.walk)?;
    let (outcomes, stats) = analyze_all(&walked.files, options)?;
    crate::parse::python::forget();
    Ok((
        build_report(options, walked, outcomes, Parts::SideBySide)?,
        stats,
    ))
}

/// The report of walked files from their facts (or why they have none),
/// in the walk's order: roles, components, summaries, both graphs and,
/// with `options.checks`, the assessment. Also used for the revisions of
/// `mlscan trend`, whose files come from git trees.
pub fn build_report(
    options: &ScanOptions,
    walked: Walk,
    outcomes: Vec<Outcome>,
    parts: Parts,
) -> Result<ScanReport, String> {
    let classifier = Classifier::new(
        &options.project.roles,
        walked.files.iter().map(|c| c.rel.as_str()),
    )?;
    let components = Components::new(
        &options.project.components,
        walked.files.iter().map(|c| c.rel.as_str()),
    )?;
    let mut diagnostics = walked.diagnostics;
    let mut files = Vec::with_capacity(outcomes.len());
    for (candidate, outcome) in walked.files.iter().zip(outcomes) {
        let facts = match outcome {
            Ok(facts) => facts,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                continue;
            }
        };
        diagnostics.extend(
            facts
                .problems
                .iter()
                .map(|p| Diagnostic::warning(&candidate.rel, p)),
        );
        let role = classifier.classify(&candidate.rel, &facts);
        files.push(FileReport {
            path: candidate.rel.clone(),
            role: role.role,
            role_reason: role.reason,
            component: components.component_of(&candidate.rel),
            bytes: candidate.bytes,
            totals: FileTotals::of(&facts.functions),
            facts,
        });
    }
    diagnostics.sort();
    // The two graphs are independent.
    let (imports, lineage) = match parts {
        Parts::InTurn => (graph::build(&files), lineage::link(&files)),
        Parts::SideBySide => std::thread::scope(|scope| {
            let lineage = scope.spawn(|| lineage::link(&files));
            let imports = graph::build(&files);
            lineage.join().map(|lineage| (imports, lineage))
        })
        .map_err(|_| "the lineage linker failed".to_owned())?,
    };
    let mut report = ScanReport {
        schema_version: SCHEMA_VERSION,
        tool: Tool::CURRENT,
        root: options.root.display().to_string(),
        options: ReportOptions {
            cc_rules: options.analysis.cc_rules,
        },
        summary: summary::summarize(&files, walked.skipped_large_configs),
        imports,
        lineage,
        files,
        findings: Vec::new(),
        scores: None,
        gate: None,
        diagnostics,
    };
    if let Some(settings) = &options.checks {
        assess(
            &mut report,
            settings,
            &options.project,
            &options.knowledge,
            parts,
        )?;
    }
    Ok(report)
}

/// How a report's independent parts (its two graphs, each family's
/// checks) are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parts {
    /// On threads of their own: one report at a time.
    SideBySide,
    /// One after the other, on the caller's thread: for callers that
    /// already build reports side by side (`trend`'s samplers), where more
    /// threads only cost their start, their allocator heaps and memory.
    InTurn,
}

/// Adds findings, scores and the gate to a report.
pub fn assess(
    report: &mut ScanReport,
    settings: &Settings,
    project: &ProjectConfig,
    knowledge: &BTreeMap<String, Knowledge>,
    parts: Parts,
) -> Result<(), String> {
    let (files, imports, lineage) = (&report.files, &report.imports, &report.lineage);
    let cx = check::Context::new(files, imports, lineage, settings);
    let findings = check::run(&cx, parts)?;
    let scoring = Scoring::with(&project.scoring);
    let scores = Scores::compute(files, imports, lineage, &scoring, knowledge);
    let gate = Gate::evaluate(&findings, &scores, settings.fail_on, project)?;
    report.findings = findings;
    report.scores = Some(scores);
    report.gate = Some(gate);
    Ok(())
}

/// Facts of one file, or why it has none.
pub type Outcome = Result<FileFacts, Diagnostic>;

/// Reads and analyses every candidate, taking what it can from the cache;
/// the result is in candidate order. `Err(diagnostic)` per file means it
/// could not be read.
///
/// With a cache: files whose size and modification time are as when their
/// content was last hashed take their facts by that content id without
/// being read; the others are read and hashed, and only contents never
/// seen before (by this build, with these options) are analysed.
fn analyze_all(
    files: &[Candidate],
    options: &ScanOptions,
) -> Result<(Vec<Outcome>, ScanStats), String> {
    let all: Vec<usize> = (0..files.len()).collect();
    let Some(dir) = &options.cache else {
        let analysed = on_workers(
            &all,
            files,
            options.walk.threads,
            options.progress,
            new_analyzer(options),
            |analyzer, i| {
                Ok(match read_file(&files[i]) {
                    Ok(bytes) => {
                        Ok(analyze_bytes(analyzer, &files[i], &bytes, options.analysis)?.0)
                    }
                    Err(diagnostic) => Err(diagnostic),
                })
            },
        )?;
        let stats = ScanStats {
            analysed: files.len(),
            ..ScanStats::default()
        };
        let mut results: Vec<Option<Outcome>> = files.iter().map(|_| None).collect();
        for (i, outcome) in analysed {
            results[i] = Some(outcome);
        }
        return Ok((complete(files, results), stats));
    };
    let mut cache = Cache::open(dir, Fingerprint::current(options.analysis));
    let stats: Vec<Option<FileStat>> = files.iter().map(file_stat).collect();
    let mut results: Vec<Option<Outcome>> = files.iter().map(|_| None).collect();
    fill_from_index(&mut cache, files, &stats, &mut results);

    let unknown: Vec<usize> = all
        .iter()
        .copied()
        .filter(|&i| results[i].is_none())
        .collect();
    let read = on_workers(
        &unknown,
        files,
        options.walk.threads,
        options.progress,
        || Ok(()),
        |_, i| {
            Ok(read_file(&files[i]).map(|bytes| {
                let id = ContentId::of(&bytes);
                (bytes, id)
            }))
        },
    )?;
    let mut contents = Vec::new();
    for (i, outcome) in read {
        match outcome {
            Ok(content) => contents.push((i, content)),
            Err(diagnostic) => results[i] = Some(Err(diagnostic)),
        }
    }
    // Contents seen before: moved, touched, or another checkout's files.
    let keys: Vec<FactsKey> = contents
        .iter()
        .map(|(i, (_, id))| facts_key(&files[*i], *id))
        .collect();
    for ((i, _), facts) in contents.iter().zip(cache.get_many(&keys)) {
        results[*i] = facts.map(Ok);
    }
    let new: Vec<usize> = contents
        .iter()
        .map(|(i, _)| *i)
        .filter(|&i| results[i].is_none())
        .collect();
    let cached = results.iter().filter(|r| matches!(r, Some(Ok(_)))).count();
    let content_of: HashMap<usize, (&[u8], ContentId)> = contents
        .iter()
        .map(|(i, (bytes, id))| (*i, (bytes.as_slice(), *id)))
        .collect();
    let analysed = on_workers(
        &new,
        files,
        options.walk.threads,
        options.progress,
        new_analyzer(options),
        |analyzer, i| {
            let bytes = content_of.get(&i).map_or(&[][..], |(bytes, _)| bytes);
            analyze_bytes(analyzer, &files[i], bytes, options.analysis)
        },
    )?;
    let mut fresh = Vec::new();
    for (i, (facts, cacheable)) in analysed {
        if let (true, Some((_, id))) = (cacheable, content_of.get(&i)) {
            fresh.push((facts_key(&files[i], *id), facts.clone()));
        }
        results[i] = Some(Ok(facts));
    }
    cache.put_many(fresh.iter().map(|(key, facts)| (key, facts)));
    cache.put_content_ids(
        contents
            .iter()
            .filter_map(|(i, (_, id))| stats[*i].as_ref().map(|stat| (stat, *id))),
    );
    let scan_stats = ScanStats {
        analysed: new.len(),
        cached,
        cache_warnings: cache.take_warnings(),
    };
    Ok((complete(files, results), scan_stats))
}

/// Every candidate's outcome (one that got none is an error).
fn complete(files: &[Candidate], results: Vec<Option<Outcome>>) -> Vec<Outcome> {
    results
        .into_iter()
        .zip(files)
        .map(|(r, file)| r.unwrap_or_else(|| Err(Diagnostic::error(&file.rel, "not analysed"))))
        .collect()
}

/// The size and modification time of a file, by absolute path (so two
/// scan roots sharing a cache do not collide).
fn file_stat(file: &Candidate) -> Option<FileStat> {
    let meta = std::fs::metadata(&file.path).ok()?;
    let path = std::path::absolute(&file.path).ok()?;
    FileStat::new(path.to_string_lossy().into_owned(), &meta)
}

/// The cache key of `file` with content `id`.
pub(crate) fn facts_key(file: &Candidate, id: ContentId) -> FactsKey {
    FactsKey::new(id, file.language, &base_name(&file.path))
}

fn base_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Facts of unchanged files (same size and modification time as when
/// their content was last hashed), without reading them.
fn fill_from_index(
    cache: &mut Cache,
    files: &[Candidate],
    stats: &[Option<FileStat>],
    results: &mut [Option<Outcome>],
) {
    let known: Vec<usize> = (0..files.len()).filter(|&i| stats[i].is_some()).collect();
    let stat_list: Vec<FileStat> = known.iter().filter_map(|&i| stats[i].clone()).collect();
    let ids = cache.content_ids(&stat_list);
    let (indices, keys): (Vec<usize>, Vec<FactsKey>) = known
        .iter()
        .zip(ids)
        .filter_map(|(&i, id)| id.map(|id| (i, facts_key(&files[i], id))))
        .unzip();
    for (i, facts) in indices.into_iter().zip(cache.get_many(&keys)) {
        results[i] = facts.map(Ok);
    }
}

/// A worker's analyzer, made on the worker.
fn new_analyzer(options: &ScanOptions) -> impl Fn() -> Result<Analyzer, String> + Sync {
    let analysis = options.analysis;
    move || Analyzer::new(analysis)
}

/// Runs `work` on every index of `items` on up to `threads` worker threads
/// (each with its own state from `init`, such as an analyzer, and a large
/// stack), largest files first so no thread is left with a big file at
/// the end; results in no particular order.
pub(crate) fn on_workers<S, T: Send>(
    items: &[usize],
    files: &[Candidate],
    threads: usize,
    progress: bool,
    init: impl Fn() -> Result<S, String> + Sync,
    work: impl Fn(&mut S, usize) -> Result<T, String> + Sync,
) -> Result<Vec<(usize, T)>, String> {
    let threads = threads.clamp(1, items.len().max(1));
    let mut order = items.to_vec();
    order.sort_by_key(|&i| std::cmp::Reverse(files[i].bytes));
    let next = AtomicUsize::new(0);
    let progress = progress_bar(
        progress && items.len() > 1,
        order.len(),
        "scanning",
        "files",
    );
    let per_thread = std::thread::scope(|scope| {
        let workers = (0..threads)
            .map(|_| {
                spawn_worker(scope, || {
                    let mut state = init()?;
                    let mut done = Vec::new();
                    while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                        done.push((i, work(&mut state, i)?));
                        progress.inc(1);
                    }
                    Ok(done)
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        join_workers(workers)
    })?;
    progress.finish_and_clear();
    Ok(per_thread.into_iter().flatten().collect())
}

/// Starts a scoped worker thread, with the workers' large stack.
pub(crate) fn spawn_worker<'scope, T: Send + 'scope>(
    scope: &'scope Scope<'scope, '_>,
    job: impl FnOnce() -> Result<T, String> + Send + 'scope,
) -> Result<ScopedJoinHandle<'scope, Result<T, String>>, String> {
    std::thread::Builder::new()
        .stack_size(WORKER_STACK_BYTES)
        .spawn_scoped(scope, job)
        .map_err(|e| format!("cannot start a worker thread: {e}"))
}

/// The workers' results, in order: the first error, or a panic, fails all.
pub(crate) fn join_workers<T>(
    workers: Vec<ScopedJoinHandle<'_, Result<T, String>>>,
) -> Result<Vec<T>, String> {
    workers
        .into_iter()
        .map(|w| {
            w.join()
                .unwrap_or_else(|_| Err("a worker thread failed".to_owned()))
        })
        .collect()
}

/// The bytes of a file, or why it cannot be read.
fn read_file(file: &Candidate) -> Result<Vec<u8>, Diagnostic> {
    std::fs::read(&file.path).map_err(|err| {
        if err.kind() == std::io::ErrorKind::NotFound {
            let problem = Problem::new(
                0,
                "broken symbolic link, or removed during the scan; skipped",
            );
            Diagnostic::warning(&file.rel, &problem)
        } else {
            Diagnostic::error(&file.rel, format!("cannot read: {err}"))
        }
    })
}

/// Analyses one file's content, and whether its facts may be cached.
pub(crate) fn analyze_bytes(
    analyzer: &mut Analyzer,
    file: &Candidate,
    bytes: &[u8],
    options: AnalysisOptions,
) -> Result<(FileFacts, bool), String> {
    let name = base_name(&file.path);
    guarded(analyzer, file, options, |analyzer| {
        analyzer.analyze(file.language, &name, bytes)
    })
}

/// Runs one analysis. A panic inside a parser is caught and reported as a
/// problem with that file (facts not to be cached), and the analyzer is
/// rebuilt.
fn guarded(
    analyzer: &mut Analyzer,
    file: &Candidate,
    options: AnalysisOptions,
    analyse: impl FnOnce(&mut Analyzer) -> FileFacts,
) -> Result<(FileFacts, bool), String> {
    match catch_unwind(AssertUnwindSafe(|| analyse(analyzer))) {
        Ok(facts) => Ok((facts, true)),
        Err(payload) => {
            *analyzer = Analyzer::new(options)?;
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let problem = Problem::new(
                0,
                format!("internal error while analysing ({what}); please report this file"),
            );
            Ok((parse::unreadable(file.language, problem), false))
        }
    }
}

/// A progress bar on standard error, "{spinner} `what` {pos}/{len}
/// `items` {bar} {eta}", or a hidden one.
pub(crate) fn progress_bar(enabled: bool, len: usize, what: &str, items: &str) -> ProgressBar {
    if !enabled {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    let template = format!("{{spinner}} {what} {{pos}}/{{len}} {items} {{wide_bar}} {{eta}}");
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar
}
