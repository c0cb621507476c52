//! The `scan` pipeline: walk → analyse every file in parallel → classify →
//! summarise. Output order never depends on thread scheduling.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use indicatif::{ProgressBar, ProgressStyle};

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
use crate::score::{Scores, Scoring};
use crate::summary::{self, FileTotals};
use crate::walk::{self, Candidate, WalkOptions};

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
    pub progress: bool,
}

/// Runs a scan. `Err` is for failures of the whole scan (a missing root, a
/// bad glob); problems with single files become diagnostics.
pub fn scan(options: &ScanOptions) -> Result<ScanReport, String> {
    let walked = walk::walk(&options.root, &options.walk)?;
    let classifier = Classifier::new(
        &options.project.roles,
        walked.files.iter().map(|c| c.rel.as_str()),
    )?;
    let components = Components::new(
        &options.project.components,
        walked.files.iter().map(|c| c.rel.as_str()),
    )?;
    let outcomes = analyze_all(&walked.files, options)?;

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
    // The two graphs are independent: build them side by side.
    let (imports, lineage) = std::thread::scope(|scope| {
        let lineage = scope.spawn(|| lineage::link(&files));
        let imports = graph::build(&files);
        (imports, lineage.join())
    });
    let lineage = lineage.map_err(|_| "the lineage linker failed".to_owned())?;
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
        assess(&mut report, settings, &options.project)?;
    }
    Ok(report)
}

/// Adds findings, scores and the gate to a report.
pub fn assess(
    report: &mut ScanReport,
    settings: &Settings,
    project: &ProjectConfig,
) -> Result<(), String> {
    let (files, imports, lineage) = (&report.files, &report.imports, &report.lineage);
    let cx = check::Context::new(files, imports, lineage, settings);
    let findings = check::run(&cx)?;
    let scores = Scores::compute(files, imports, lineage, &Scoring::with(&project.scoring));
    let gate = Gate::evaluate(&findings, &scores, settings.fail_on, project)?;
    report.findings = findings;
    report.scores = Some(scores);
    report.gate = Some(gate);
    Ok(())
}

/// Reads and analyses every candidate; the result is in candidate order.
/// `Err(diagnostic)` per file means it could not be read.
fn analyze_all(
    files: &[Candidate],
    options: &ScanOptions,
) -> Result<Vec<Result<FileFacts, Diagnostic>>, String> {
    let threads = options.walk.threads.clamp(1, files.len().max(1));
    // Largest files first, so no thread is left with a big file at the end.
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(files[i].bytes));
    let next = AtomicUsize::new(0);
    let progress = progress_bar(options.progress, files.len());

    let per_thread = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                std::thread::Builder::new()
                    .stack_size(WORKER_STACK_BYTES)
                    .spawn_scoped(scope, || -> Result<Vec<_>, String> {
                        let mut analyzer = Analyzer::new(options.analysis)?;
                        let mut done = Vec::new();
                        while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                            done.push((
                                i,
                                analyze_one(&mut analyzer, &files[i], options.analysis)?,
                            ));
                            progress.inc(1);
                        }
                        Ok(done)
                    })
                    .map_err(|e| format!("cannot start a worker thread: {e}"))
            })
            .collect::<Result<_, _>>()?;
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|_| Err("a worker thread failed".to_owned()))
            })
            .collect::<Result<Vec<_>, String>>()
    })?;
    progress.finish_and_clear();

    let mut results: Vec<Option<Result<FileFacts, Diagnostic>>> =
        files.iter().map(|_| None).collect();
    for (i, outcome) in per_thread.into_iter().flatten() {
        results[i] = Some(outcome);
    }
    Ok(results
        .into_iter()
        .zip(files)
        .map(|(r, file)| r.unwrap_or_else(|| Err(Diagnostic::error(&file.rel, "not analysed"))))
        .collect())
}

/// Reads and analyses one file. A panic inside a parser is caught and
/// reported as a problem with that file, and the analyzer is rebuilt.
fn analyze_one(
    analyzer: &mut Analyzer,
    file: &Candidate,
    options: AnalysisOptions,
) -> Result<Result<FileFacts, Diagnostic>, String> {
    let bytes = match std::fs::read(&file.path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            let problem = Problem::new(
                0,
                "broken symbolic link, or removed during the scan; skipped",
            );
            return Ok(Err(Diagnostic::warning(&file.rel, &problem)));
        }
        Err(err) => {
            return Ok(Err(Diagnostic::error(
                &file.rel,
                format!("cannot read: {err}"),
            )));
        }
    };
    let name = file
        .path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    match catch_unwind(AssertUnwindSafe(|| {
        analyzer.analyze(file.language, &name, &bytes)
    })) {
        Ok(facts) => Ok(Ok(facts)),
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
            Ok(Ok(parse::unreadable(file.language, problem)))
        }
    }
}

fn progress_bar(enabled: bool, len: usize) -> ProgressBar {
    if !enabled {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} scanning {pos}/{len} files {wide_bar} {eta}")
    {
        bar.set_style(style);
    }
    bar
}
