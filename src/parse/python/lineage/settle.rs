//! The end of a file's lineage: what its chunks left open ([`Unsettled`]),
//! settled in walk order once every chunk is in (which names are frames,
//! which subscripts are columns), then ordered and trimmed.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use super::resolve::resolved;
use super::rules::Rules;
use super::{Aliases, Derived, MAX_FACTS, Made, Shape, Unsettled};
use crate::facts::{ColumnFact, FileFacts, Problem};

/// Frames known by evidence: (function index, name); dotted and
/// module-level names under `None`.
type Frames = HashSet<(Option<u32>, String)>;

/// Settles the lineage of `facts` from its chunks' unsettled parts, in walk
/// order and in the file's positions (bytes, function indices). `before`
/// holds the names bound before the file (a notebook's earlier cells);
/// `aliases` is the file's table.
pub(in crate::parse::python) fn settle(
    facts: &mut FileFacts,
    chunks: Vec<Unsettled>,
    before: &Aliases,
    aliases: &Aliases,
) {
    // A walk position across chunks; 0 is before the file.
    let at = |chunk: usize, seq: u32| ((chunk as u64 + 1) << 32) | u64::from(seq);
    let mut bound: HashMap<&str, u64> = before.0.keys().map(|k| (k.as_str(), 0)).collect();
    let mut dicts: HashMap<&str, u64> = HashMap::new();
    for (i, chunk) in chunks.iter().enumerate() {
        for b in &chunk.bindings {
            bound.entry(&b.local).or_insert(at(i, b.seq));
        }
        for (seq, name) in &chunk.dict_names {
            dicts.entry(name).or_insert(at(i, *seq));
        }
    }
    // A subscript is no column once an import bound its root or a dict was
    // assigned to its name.
    let counts: Vec<Vec<bool>> = chunks
        .iter()
        .enumerate()
        .map(|(i, chunk)| {
            let earlier = |first: Option<&u64>, seq| first.is_some_and(|&f| f < at(i, seq));
            chunk
                .subscripts
                .iter()
                .map(|s| {
                    !earlier(bound.get(s.root.as_str()), s.seq)
                        && !earlier(dicts.get(s.name.as_str()), s.seq)
                })
                .collect()
        })
        .collect();
    drop((bound, dicts));

    let mut frames = Frames::new();
    let mut columns: Vec<(usize, ColumnFact)> = Vec::new();
    let mut subscripts = Vec::new();
    let mut derived: Vec<Derived> = Vec::new();
    for (chunk, counted) in chunks.into_iter().zip(counts) {
        frames.extend(chunk.frames);
        for (s, counted) in chunk.subscripts.into_iter().zip(counted) {
            if counted {
                if s.evidence {
                    frames.insert((s.function, s.name.clone()));
                }
                subscripts.push(s);
            }
        }
        columns.extend(chunk.columns);
        derived.extend(chunk.derived);
    }
    // In walk order, so that a frame derived from a frame is one too.
    for d in derived {
        if d.named || makes_frame(&frames, d.function, &d.value, aliases) {
            let function = d.function.filter(|_| !d.target.contains('.'));
            frames.insert((function, d.target));
        }
    }
    for s in subscripts {
        if is_frame(&frames, s.function, &s.name) {
            columns.extend(s.columns.into_iter().map(|c| (s.byte, c)));
        }
    }
    columns.sort_by_key(|(at, _)| *at);
    facts.lineage.columns = kept_columns(columns);
    let reads = &mut facts.lineage.config_reads;
    let mut seen = HashSet::new();
    let first: Vec<bool> = reads
        .iter()
        .map(|r| seen.insert((r.function.as_deref(), r.key.as_str())))
        .collect();
    let mut first = first.into_iter();
    reads.retain(|_| first.next().unwrap_or(true));
    cap(facts);
}

/// Whether `name` is a frame in `function`.
fn is_frame(frames: &Frames, function: Option<u32>, name: &str) -> bool {
    // Lookups own their key; they are as many as the column candidates.
    let mut key = (function, name.to_owned());
    if name.contains('.') {
        key.0 = None;
    }
    frames.contains(&key) || {
        key.0 = None;
        frames.contains(&key)
    }
}

/// Whether an assigned call or subscript is a frame.
fn makes_frame(frames: &Frames, function: Option<u32>, made: &Made, aliases: &Aliases) -> bool {
    let rules = Rules::get();
    let (shape, segs) = match made {
        Made::Nothing => return false,
        // `df[cols]`, `df.loc[m]`.
        Made::Subscript(name) => return is_frame(frames, function, name),
        Made::Call(shape, segs) => (*shape, segs),
    };
    let Some((last, before)) = segs.split_last() else {
        return false;
    };
    let alias = segs.first().and_then(|r| aliases.get(r));
    if shape == Shape::Dotted && alias.is_some() {
        let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
        let resolved = resolved(&segs, |root| aliases.get(root).map(str::to_owned));
        let resolved: Vec<&str> = resolved.split('.').collect();
        return rules.frame_reader(&resolved);
    }
    if alias.is_some() || shape == Shape::CalledRoot {
        return false;
    }
    if rules.frame_reader_methods.contains(last)
        || before
            .iter()
            .skip(1)
            .any(|s| rules.chain_after.contains(s) && s.starts_with("read"))
    {
        return segs.len() > 1;
    }
    // A frame method on a frame: the receiver is the longest dotted
    // prefix that is one (`self.df.groupby("a").agg(…)`).
    rules.frame_methods.contains(last)
        && (1..segs.len()).any(|n| is_frame(frames, function, &segs[..n].join(".")))
}

/// At most [`MAX_FACTS`] facts of each kind; a problem says what was cut.
fn cap(facts: &mut FileFacts) {
    let l = &mut facts.lineage;
    let counts = [
        ("calls", l.calls.len()),
        ("columns", l.columns.len()),
        ("flows", l.flows.len()),
        ("config reads", l.config_reads.len()),
        ("decorators", l.decorators.len()),
    ];
    l.calls.truncate(MAX_FACTS);
    l.columns.truncate(MAX_FACTS);
    l.flows.truncate(MAX_FACTS);
    l.config_reads.truncate(MAX_FACTS);
    l.decorators.truncate(MAX_FACTS);
    for (what, n) in counts {
        if n > MAX_FACTS {
            let message = format!("lineage: {n} {what}, only the first {MAX_FACTS} listed");
            facts.problems.push(Problem::new(0, message));
        }
    }
}

/// The first occurrence of each (function, frame, column, write), plus
/// every occurrence in a statement (function and line) that both writes
/// and reads columns: what a later derivation needs, and no more.
fn kept_columns(columns: Vec<(usize, ColumnFact)>) -> Vec<ColumnFact> {
    let mut writes = HashSet::new();
    let mut reads = HashSet::new();
    for (_, c) in &columns {
        let statement = (c.function.as_deref(), c.line);
        if c.write {
            writes.insert(statement);
        } else {
            reads.insert(statement);
        }
    }
    let mut firsts = HashSet::new();
    let mut seen = HashSet::new();
    let keep: Vec<bool> = columns
        .iter()
        .map(|(_, c)| {
            let function = c.function.as_deref();
            let fact = (function, c.frame.as_str(), c.column.as_str(), c.write);
            let first = firsts.insert(fact);
            let mixed = writes.contains(&(function, c.line)) && reads.contains(&(function, c.line));
            (first || mixed) && seen.insert((fact, c.line))
        })
        .collect();
    columns
        .into_iter()
        .zip(keep)
        .filter_map(|((_, c), keep)| keep.then_some(c))
        .collect()
}
