//! Analysing a trend's new contents before its revisions, path by path:
//! each path's versions go in history order to one worker, whose analyzer
//! remembers the statements of the versions before and analyses only the
//! new ones (same facts; `parse/python/memo.rs`). The facts stream into the
//! cache, where the per-revision loop finds them; memory holds one
//! analyzer's memo per worker, not one file per version.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use super::{Collector, content_id};
use crate::cache::{Cache, FactsKey};
use crate::facts::FileFacts;
use crate::history::{BlobReader, BlobSource, LineCounts, LineDiff, ObjectId, Revision};
use crate::parse::Analyzer;
use crate::scan::{self, ScanOptions, join_workers, spawn_worker};
use crate::walk::Candidate;

/// Facts stored per cache transaction.
const BATCH: usize = 256;

/// One content to analyse: its key, blob and (first) file.
struct Version {
    key: FactsKey,
    blob: ObjectId,
    file: Candidate,
}

impl Collector<'_> {
    /// Analyses the contents `revisions` need that the cache lacks (the
    /// revisions with a snapshot need none), and stores their facts.
    /// Without an open cache this does nothing: each revision then
    /// analyses its own new contents.
    ///
    /// With `count_lines` (the revisions are consecutive commits), the
    /// lines each version of a path changes from the one before are
    /// counted on the way, for [`Self::lines_changed`].
    pub fn prefetch(&mut self, revisions: &[Revision], count_lines: bool) -> Result<(), String> {
        if !self.has_cache() {
            return Ok(());
        }
        let paths = self.plan(revisions)?;
        let total = paths.iter().map(Vec::len).sum();
        if total == 0 || !self.has_cache() {
            return Ok(());
        }
        let progress = scan::progress_bar(
            self.setup.options.progress,
            total,
            "analysing",
            "new file versions",
        );
        let (cache, known_lines) = (&mut self.cache, &mut self.known_lines);
        let mut batch: Vec<(FactsKey, FileFacts)> = Vec::with_capacity(BATCH);
        let mut stored = 0;
        let stop = AtomicBool::new(false);
        let mut take = |done: Analysed| {
            progress.inc(1);
            batch.extend(done.facts);
            known_lines.extend(done.lines);
            if batch.len() == BATCH {
                stored += store(cache, &mut batch);
            }
            // A cache that failed a write is off: what it would get is lost.
            if cache.as_ref().is_some_and(|c| !c.is_enabled()) {
                stop.store(true, Ordering::Relaxed);
            }
        };
        let options = (self.setup.options, count_lines);
        let result = analyse_paths(&self.source, options, &paths, &stop, &mut take);
        // The revisions read these facts from the cache.
        crate::parse::python::forget();
        stored += store(cache, &mut batch);
        progress.finish_and_clear();
        self.counts.blobs_analysed += stored;
        result
    }

    /// The versions to analyse, grouped by path (each in history order),
    /// the paths with the most bytes first.
    fn plan(&mut self, revisions: &[Revision]) -> Result<Vec<Vec<Version>>, String> {
        let mut seen: HashSet<FactsKey> = HashSet::new();
        let mut slot_of_path: HashMap<String, usize> = HashMap::new();
        let mut paths: Vec<Vec<Version>> = Vec::new();
        for revision in revisions {
            if self.snapshot(&revision.id.to_string()).is_some() {
                continue;
            }
            let (walked, blobs) = self.listing(revision.id)?;
            self.listed.insert(revision.id, blobs.len());
            let mut new = Vec::new();
            for (file, blob) in walked.files.into_iter().zip(blobs) {
                let key = scan::facts_key(&file, content_id(blob)?);
                if seen.insert(key.clone()) {
                    new.push(Version { key, blob, file });
                }
            }
            let keys: Vec<FactsKey> = new.iter().map(|v| v.key.clone()).collect();
            let cached = match &mut self.cache {
                Some(cache) => cache.contains_many(&keys),
                None => vec![false; keys.len()],
            };
            for (version, cached) in new.into_iter().zip(cached) {
                if cached {
                    continue;
                }
                let slot = *slot_of_path
                    .entry(version.file.rel.clone())
                    .or_insert_with(|| {
                        paths.push(Vec::new());
                        paths.len() - 1
                    });
                paths[slot].push(version);
            }
        }
        paths.sort_by_cached_key(|versions| {
            std::cmp::Reverse(versions.iter().map(|v| v.file.bytes).sum::<u64>())
        });
        Ok(paths)
    }
}

/// One version analysed: its facts if they may be cached, and the lines it
/// changes from the path's version before it, if counted.
struct Analysed {
    facts: Option<(FactsKey, FileFacts)>,
    lines: Option<((ObjectId, ObjectId), LineCounts)>,
}

/// Analyses each path's versions in order on the worker threads (counting
/// the lines each changes if asked), and hands each version to `done` as
/// it comes. Stops early once `stop` is set; a failing worker sets it.
fn analyse_paths(
    source: &BlobSource,
    (options, count_lines): (&ScanOptions, bool),
    paths: &[Vec<Version>],
    stop: &AtomicBool,
    done: &mut impl FnMut(Analysed),
) -> Result<(), String> {
    let next = AtomicUsize::new(0);
    let threads = options.walk.threads.clamp(1, paths.len().max(1));
    let (sender, receiver) = mpsc::sync_channel(BATCH);
    std::thread::scope(|scope| {
        let workers = (0..threads)
            .map(|_| {
                let sender = sender.clone();
                let next = &next;
                spawn_worker(scope, move || {
                    let mut analyzer = Analyzer::new(options.analysis)?;
                    let mut reader = source.reader();
                    while let Some(versions) = paths.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let analysed = analyse_versions(
                            versions,
                            (
                                &mut analyzer,
                                &mut reader,
                                count_lines.then(LineDiff::default),
                            ),
                            options,
                            &sender,
                            stop,
                        );
                        if analysed.is_err() {
                            stop.store(true, Ordering::Relaxed);
                        }
                        analysed?;
                    }
                    Ok(())
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        drop(sender);
        for facts in receiver {
            done(facts);
        }
        join_workers(workers).map(drop)
    })
}

/// Analyses one path's versions, in history order, and sends what may be
/// cached. A blob that cannot be read, or a parser panic, is left to the
/// per-revision loop, which reports it.
fn analyse_versions(
    versions: &[Version],
    (analyzer, reader, mut lines): (&mut Analyzer, &mut BlobReader, Option<LineDiff>),
    options: &ScanOptions,
    sender: &mpsc::SyncSender<Analysed>,
    stop: &AtomicBool,
) -> Result<(), String> {
    // The version before, to count the lines changed from it.
    let mut before: Option<(ObjectId, Vec<u8>)> = None;
    for version in versions {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let done = match reader.read(version.blob) {
            Ok(bytes) => {
                let counted = lines.as_mut().and_then(|lines| {
                    let (blob, old) = before.take()?;
                    Some(((blob, version.blob), lines.counts(&old, bytes)))
                });
                if lines.is_some() {
                    before = Some((version.blob, bytes.to_vec()));
                }
                let (facts, cacheable) =
                    scan::analyze_bytes(analyzer, &version.file, bytes, options.analysis)?;
                Analysed {
                    facts: cacheable.then(|| (version.key.clone(), facts)),
                    lines: counted,
                }
            }
            Err(_) => {
                before = None;
                Analysed {
                    facts: None,
                    lines: None,
                }
            }
        };
        // A closed channel: the receiver is gone, so stop too.
        if sender.send(done).is_err() {
            break;
        }
    }
    Ok(())
}

/// Writes a batch of facts to the cache, in one transaction, and returns
/// how many were stored.
fn store(cache: &mut Option<Cache>, batch: &mut Vec<(FactsKey, FileFacts)>) -> u64 {
    let stored = match cache {
        Some(cache) if cache.is_enabled() => {
            cache.put_many(batch.iter().map(|(key, facts)| (key, facts)));
            if cache.is_enabled() {
                batch.len() as u64
            } else {
                0
            }
        }
        _ => 0,
    };
    batch.clear();
    stored
}
