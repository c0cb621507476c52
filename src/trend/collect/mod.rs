//! The per-revision loop. A revision's values come from its snapshot, or
//! else from its files' facts through the scan's report; each file's facts
//! come from the revision before (kept in memory, one revision's worth),
//! from the cache (filled ahead by [`Collector::prefetch`]), or from
//! analysing its blob, once per distinct blob. Also the lines changed
//! between two samples, each commit's counts cached.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use crate::cache::{Cache, ContentId, FactsKey, SnapshotKey};
use crate::facts::FileFacts;
use crate::history::{BlobSource, CommitChanges, KnownCounts, ObjectId, Options, Repo, Revision};
use crate::parse::Analyzer;
use crate::report::{Diagnostic, ScanReport};
use crate::scan::{self, Outcome, Parts, ScanOptions};
use crate::walk::{self, Excludes};

mod prefetch;

use super::point::Values;

/// What a run did, for `--stats` (never part of the output: a warm and a
/// cold run give the same trend).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Revisions sampled.
    pub revisions: u64,
    /// Of which served whole from their snapshot.
    pub from_snapshots: u64,
    /// Files listed in the revisions that were not served from snapshots
    /// (one per file and revision).
    pub file_versions: u64,
    /// Distinct contents among them: blob ids, and for a config the kind
    /// its file name implies (the same bytes read as `dvc.yaml` and as
    /// `params.yaml` are two analyses).
    pub distinct_blobs: u64,
    /// Blobs analysed in this run whose facts were used (a prefetched
    /// analysis the cache lost is counted when analysed again).
    pub blobs_analysed: u64,
}

/// What the collectors of a trend share.
pub struct Setup<'a> {
    pub options: &'a ScanOptions,
    pub excludes: &'a Excludes,
    /// What snapshots depend on besides commit and prefix.
    pub snapshot_options: String,
    /// Cyclomatic complexity above which a function is counted.
    pub threshold: u32,
}

/// Computes the values of revisions one by one, in history order.
pub struct Collector<'r> {
    repo: &'r Repo,
    setup: &'r Setup<'r>,
    cache: Option<Cache>,
    source: BlobSource,
    /// The facts of the last revision analysed, by key.
    previous: HashMap<FactsKey, FileFacts>,
    /// The scanned files (path, blob) of the last revision analysed, and
    /// its values: a commit that changes none of them has the same values.
    last: Option<(Vec<(String, ObjectId)>, Values)>,
    blobs: HashSet<FactsKey>,
    counts: Counts,
    /// The commit whose report is kept when it is built ([`Self::keep_report`]),
    /// and that report.
    keep: Option<(ObjectId, Option<ScanReport>)>,
    /// Cache warnings of absorbed collectors.
    warnings: Vec<String>,
    /// Commits diffed by [`Self::lines_changed`] and kept for the activity.
    changes: Vec<CommitChanges>,
    /// Lines changed between versions the prefetch read one after the other.
    known_lines: KnownCounts,
    /// Threads for the contents a revision analyses itself.
    threads: usize,
    /// Files listed at each revision the prefetch planned.
    listed: HashMap<ObjectId, usize>,
}

/// What a collector found, to add to another's ([`Collector::absorb`]).
pub struct Found {
    counts: Counts,
    blobs: HashSet<FactsKey>,
    kept: Option<(ObjectId, ScanReport)>,
    warnings: Vec<String>,
}

/// Facts of one distinct content, and whether they may be cached.
type Fresh = Result<(FileFacts, bool), Diagnostic>;

impl<'r> Collector<'r> {
    pub fn new(repo: &'r Repo, setup: &'r Setup<'r>, cache: Option<Cache>) -> Collector<'r> {
        Collector {
            repo,
            setup,
            cache,
            source: repo.blob_source(),
            previous: HashMap::new(),
            last: None,
            blobs: HashSet::new(),
            counts: Counts::default(),
            keep: None,
            warnings: Vec::new(),
            changes: Vec::new(),
            known_lines: KnownCounts::default(),
            threads: setup.options.walk.threads,
            listed: HashMap::new(),
        }
    }

    /// The same collector, analysing on `threads` threads (a run beside
    /// others takes one: the cores are already shared out).
    pub fn analysing_on(mut self, threads: usize) -> Self {
        self.threads = threads;
        self
    }

    /// The blob sizes its repository handle looked up (the prefetch looks
    /// up every listed file's).
    pub fn known_sizes(&self) -> HashMap<ObjectId, u64> {
        self.repo.known_sizes()
    }

    /// Whether facts and values are cached.
    pub fn has_cache(&self) -> bool {
        self.cache.as_ref().is_some_and(Cache::is_enabled)
    }

    /// What this collector found (it may not be used afterwards).
    pub fn into_found(mut self) -> Found {
        Found {
            kept: self
                .keep
                .and_then(|(commit, report)| Some((commit, report?))),
            warnings: self
                .cache
                .as_mut()
                .map(Cache::take_warnings)
                .unwrap_or_default(),
            counts: self.counts,
            blobs: self.blobs,
        }
    }

    /// Adds what another collector of the same trend found.
    pub fn absorb(&mut self, found: Found) {
        let (mine, theirs) = (&mut self.counts, found.counts);
        mine.revisions += theirs.revisions;
        mine.from_snapshots += theirs.from_snapshots;
        mine.file_versions += theirs.file_versions;
        mine.blobs_analysed += theirs.blobs_analysed;
        self.blobs.extend(found.blobs);
        if let Some((commit, report)) = found.kept {
            self.keep = Some((commit, Some(report)));
        }
        self.warnings.extend(found.warnings);
    }

    /// Keeps the report of `commit` when [`Self::values`] builds it, for
    /// [`Self::report_at`] (the newest sample's activity is computed from it).
    pub fn keep_report(&mut self, commit: ObjectId) {
        self.keep = Some((commit, None));
    }

    /// What building `revision`'s values costs, roughly: the files its
    /// report reads (1 when the prefetch did not list it: a snapshot).
    pub fn cost(&self, revision: ObjectId) -> usize {
        self.listed.get(&revision).copied().unwrap_or(1)
    }

    /// The values of `revision`: its snapshot, or its report's (then
    /// stored as its snapshot).
    pub fn values(&mut self, revision: &Revision) -> Result<Values, String> {
        self.counts.revisions += 1;
        let commit = revision.id.to_string();
        if let Some(values) = self.snapshot(&commit) {
            self.counts.from_snapshots += 1;
            return Ok(values);
        }
        let (walked, blobs) = self.listing(revision.id)?;
        self.counts.file_versions += blobs.len() as u64;
        let scanned: Vec<(String, ObjectId)> = walked
            .files
            .iter()
            .map(|f| f.rel.clone())
            .zip(blobs.iter().copied())
            .collect();
        let values = match &self.last {
            Some((files, values)) if *files == scanned => values.clone(),
            _ => {
                let (report, keys) = self.report_of(walked, &blobs)?;
                let values = Values::of(&report, self.setup.threshold);
                match &mut self.keep {
                    Some((commit, kept)) if *commit == revision.id => {
                        *kept = Some(report);
                        self.previous.clear();
                    }
                    // Only the facts of the files in the report are worth keeping.
                    _ => {
                        self.previous = report
                            .files
                            .into_iter()
                            .filter_map(|file| {
                                keys.get(&file.path).map(|key| (key.clone(), file.facts))
                            })
                            .collect();
                    }
                }
                values
            }
        };
        self.last = Some((scanned, values.clone()));
        if let Some(cache) = &mut self.cache {
            let key = SnapshotKey {
                commit: &commit,
                prefix: self.repo.prefix(),
                options: &self.setup.snapshot_options,
            };
            cache.put_snapshot(&key, &values.encode()?);
        }
        Ok(values)
    }

    /// The values stored for `commit`, if any.
    fn snapshot(&mut self, commit: &str) -> Option<Values> {
        let key = SnapshotKey {
            commit,
            prefix: self.repo.prefix(),
            options: &self.setup.snapshot_options,
        };
        let stored = self.cache.as_mut()?.get_snapshot(&key)?;
        Values::decode(&stored)
    }

    /// The assessed report of the files at `commit` (for the activity at
    /// the newest sample): the kept one, or else built again.
    /// Its files are not counted again as file versions.
    pub fn report_at(&mut self, commit: ObjectId) -> Result<ScanReport, String> {
        if let Some((kept_commit, kept)) = &mut self.keep
            && *kept_commit == commit
            && let Some(report) = kept.take()
        {
            return Ok(report);
        }
        let (walked, blobs) = self.listing(commit)?;
        self.report_of(walked, &blobs).map(|(report, _)| report)
    }

    /// Bytes stored for `commit` under `what` (beside its values), when a
    /// cache is open.
    pub fn stored(&mut self, commit: &str, what: &str) -> Option<Vec<u8>> {
        let options = format!("{}\n{what}", self.setup.snapshot_options);
        let key = SnapshotKey {
            commit,
            prefix: self.repo.prefix(),
            options: &options,
        };
        self.cache.as_mut().and_then(|c| c.get_snapshot(&key))
    }

    /// Stores bytes for `commit` under `what`.
    pub fn store(&mut self, commit: &str, what: &str, bytes: &[u8]) {
        let options = format!("{}\n{what}", self.setup.snapshot_options);
        let key = SnapshotKey {
            commit,
            prefix: self.repo.prefix(),
            options: &options,
        };
        if let Some(cache) = &mut self.cache {
            cache.put_snapshot(&key, bytes);
        }
    }

    /// The commits [`Self::lines_changed`] diffed and kept.
    pub fn take_changes(&mut self) -> Vec<CommitChanges> {
        std::mem::take(&mut self.changes)
    }

    /// The counts so far, and the cache's warnings and size.
    pub fn finish(mut self) -> (Counts, Option<(u64, Vec<String>)>) {
        self.counts.distinct_blobs = self.blobs.len() as u64;
        let mut warnings = self.warnings;
        let cache = self.cache.as_mut().map(|c| {
            warnings.extend(c.take_warnings());
            warnings.sort();
            warnings.dedup();
            (c.usage().bytes, warnings)
        });
        (self.counts, cache)
    }

    /// The files a scan reads at `commit` (excludes and size limits
    /// applied), with their blobs.
    fn listing(&self, commit: ObjectId) -> Result<(walk::Walk, Vec<ObjectId>), String> {
        let tree = self.repo.files(commit).map_err(|e| e.to_string())?;
        let blob_of: HashMap<&str, ObjectId> =
            tree.iter().map(|f| (f.path.as_str(), f.blob)).collect();
        let walked = walk::listed(
            tree.iter().map(|f| (f.path.clone(), f.language, f.size)),
            self.setup.excludes,
            &self.setup.options.walk,
        );
        let blobs = walked
            .files
            .iter()
            .map(|file| {
                blob_of
                    .get(file.rel.as_str())
                    .copied()
                    .ok_or_else(|| format!("{}: not in the tree of {commit}", file.rel))
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok((walked, blobs))
    }

    /// The assessed report of listed files, with each file's facts key by
    /// path.
    fn report_of(
        &mut self,
        walked: walk::Walk,
        blobs: &[ObjectId],
    ) -> Result<(ScanReport, HashMap<String, FactsKey>), String> {
        let files = &walked.files;
        let mut keys = Vec::with_capacity(files.len());
        for (file, blob) in files.iter().zip(blobs) {
            let key = scan::facts_key(file, content_id(*blob)?);
            self.blobs.insert(key.clone());
            keys.push(key);
        }
        let outcomes = self.outcomes(files, &keys, blobs)?;
        let by_path: HashMap<String, FactsKey> = files
            .iter()
            .map(|file| file.rel.clone())
            .zip(keys)
            .collect();
        let report = scan::build_report(self.setup.options, walked, outcomes, Parts::InTurn)?;
        Ok((report, by_path))
    }

    /// Each file's facts (or why it has none), in order: every distinct
    /// key's from the previous revision, else the cache, else an analysis
    /// of its first file's blob (then cached).
    fn outcomes(
        &mut self,
        files: &[walk::Candidate],
        keys: &[FactsKey],
        blobs: &[ObjectId],
    ) -> Result<Vec<Outcome>, String> {
        // One slot per distinct key, represented by its first file.
        let mut slot_of_key: HashMap<&FactsKey, usize> = HashMap::new();
        let mut first_file = Vec::new();
        let slots: Vec<usize> = keys
            .iter()
            .enumerate()
            .map(|(i, key)| {
                *slot_of_key.entry(key).or_insert_with(|| {
                    first_file.push(i);
                    first_file.len() - 1
                })
            })
            .collect();
        let mut found: Vec<Option<Outcome>> = first_file
            .iter()
            .map(|&i| self.previous.remove(&keys[i]).map(Ok))
            .collect();
        if let Some(cache) = &mut self.cache {
            let wanted: Vec<usize> = (0..found.len()).filter(|&s| found[s].is_none()).collect();
            let wanted_keys: Vec<FactsKey> = wanted
                .iter()
                .map(|&s| keys[first_file[s]].clone())
                .collect();
            for (s, facts) in wanted.into_iter().zip(cache.get_many(&wanted_keys)) {
                found[s] = facts.map(Ok);
            }
        }
        let missing: Vec<usize> = (0..found.len())
            .filter(|&s| found[s].is_none())
            .map(|s| first_file[s])
            .collect();
        let analysed = self.analyse(&missing, files, blobs)?;
        self.counts.blobs_analysed += analysed.len() as u64;
        if let Some(cache) = &mut self.cache {
            // Facts of a parser panic are not cached: the next run retries.
            cache.put_many(analysed.iter().filter_map(|(i, outcome)| match outcome {
                Ok((facts, true)) => Some((&keys[*i], facts)),
                _ => None,
            }));
        }
        for (i, outcome) in analysed {
            found[slots[i]] = Some(outcome.map(|(facts, _)| facts));
        }

        // Each file's outcome: the slot's own for its last file, copies before.
        let mut uses = vec![0usize; found.len()];
        for &s in &slots {
            uses[s] += 1;
        }
        let mut outcomes = Vec::with_capacity(files.len());
        for (file, &s) in files.iter().zip(&slots) {
            uses[s] -= 1;
            let outcome = if uses[s] == 0 {
                found[s].take()
            } else {
                found[s].clone()
            };
            outcomes
                .push(outcome.unwrap_or_else(|| Err(Diagnostic::error(&file.rel, "not analysed"))));
        }
        Ok(outcomes)
    }

    /// Reads and analyses the blobs of `files[i]` for each `i` in `which`
    /// on the worker threads, each with its own blob reader.
    fn analyse(
        &self,
        which: &[usize],
        files: &[walk::Candidate],
        blobs: &[ObjectId],
    ) -> Result<Vec<(usize, Fresh)>, String> {
        if which.is_empty() {
            return Ok(Vec::new());
        }
        let analysis = self.setup.options.analysis;
        let source = &self.source;
        scan::on_workers(
            which,
            files,
            self.threads,
            false,
            || Ok((Analyzer::new(analysis)?, source.reader())),
            |(analyzer, reader), i| {
                let file = &files[i];
                Ok(match reader.read(blobs[i]) {
                    Ok(bytes) => Ok(scan::analyze_bytes(analyzer, file, bytes, analysis)?),
                    Err(err) => Err(Diagnostic::error(&file.rel, format!("cannot read: {err}"))),
                })
            },
        )
    }
}

/// The cache's content id of a blob (git's SHA-1 blob id).
fn content_id(blob: ObjectId) -> Result<ContentId, String> {
    blob.as_bytes()
        .try_into()
        .map(ContentId)
        .map_err(|_| format!("blob {blob}: only SHA-1 repositories are supported"))
}

/// Lines added and removed between two commits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LinesChanged {
    /// First-parent commits after `from` up to `to`.
    pub commits: u64,
    pub added: u64,
    pub removed: u64,
}

impl Collector<'_> {
    /// The lines added and removed by the first-parent commits after
    /// `from` up to `to` (as `git log --first-parent --numstat from..to`),
    /// in the files a revision's scan reads (prefix, languages, excludes).
    /// Each commit's counts are cached, keyed by commit, prefix and
    /// excludes: only commits never counted are diffed. The changes of the
    /// commits diffed after `keep_after` (unix seconds) are kept, for
    /// [`Self::take_changes`].
    pub fn lines_changed(
        &mut self,
        from: ObjectId,
        to: ObjectId,
        keep_after: Option<i64>,
    ) -> Result<LinesChanged, String> {
        let revisions = self
            .repo
            .revisions(&Options {
                range: Some(format!("{from}..{to}")),
                first_parent: true,
                ..Options::default()
            })
            .map_err(|e| e.to_string())?;
        let walk = &self.setup.options.walk;
        let options = format!(
            "lines {}",
            sha1_smol::Sha1::from(format!("{:?} {}", walk.excludes, walk.default_excludes))
                .digest()
        );
        let prefix = self.repo.prefix();
        let mut lines = LinesChanged {
            commits: revisions.len() as u64,
            ..LinesChanged::default()
        };
        let mut todo = Vec::new();
        for revision in revisions {
            let commit = revision.id.to_string();
            let key = SnapshotKey {
                commit: &commit,
                prefix,
                options: &options,
            };
            let stored = self.cache.as_mut().and_then(|c| c.get_snapshot(&key));
            match stored
                .as_deref()
                .and_then(|v| rmp_serde::from_slice::<(u64, u64)>(v).ok())
            {
                Some((added, removed)) => {
                    lines.added += added;
                    lines.removed += removed;
                }
                None => todo.push(revision),
            }
        }
        // In chunks: the changes of a long range are not all held at once.
        for chunk in todo.chunks(256) {
            let changes = self
                .repo
                .changes(chunk, walk.threads, &self.known_lines)
                .map_err(|e| e.to_string())?;
            let mut counted = Vec::with_capacity(changes.len());
            for commit in changes {
                let (mut added, mut removed) = (0, 0);
                for file in commit
                    .files
                    .iter()
                    .filter(|f| !self.setup.excludes.skips(&f.path))
                {
                    added += u64::from(file.added);
                    removed += u64::from(file.removed);
                }
                lines.added += added;
                lines.removed += removed;
                let value = rmp_serde::to_vec(&(added, removed))
                    .map_err(|e| format!("cannot encode line counts: {e}"))?;
                counted.push((commit.revision.id.to_string(), value));
                if keep_after.is_some_and(|after| commit.revision.time > after) {
                    self.changes.push(commit);
                }
            }
            if let Some(cache) = &mut self.cache {
                cache.put_snapshots(counted.iter().map(|(commit, value)| {
                    let key = SnapshotKey {
                        commit,
                        prefix,
                        options: &options,
                    };
                    (key, value.as_slice())
                }));
            }
        }
        Ok(lines)
    }
}
