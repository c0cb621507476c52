//! Lineage material ([`CodeLineage`](crate::facts::CodeLineage)), fed by the
//! analyzer's one walk. The API tables are data: `rules/lineage.toml`.
//!
//! - **Names** resolve through a file-wide alias table built from every
//!   import, wherever it sits (in a function too); the last binding wins.
//!   `import a.b` binds `a`; `from .m import n as x` binds `x` to `.m.n`.
//!   Calls and decorators are therefore resolved when the walk ends, from
//!   the nodes it kept; everything else is recorded as it is met.
//! - **Calls**: the callee path is the name, attribute chain or method
//!   chain with calls and subscripts elided (`spark.read.format("csv").load(p)`
//!   → `spark.read.format.load`), its root resolved. A callee rooted at an
//!   imported name (or a bare name) is matched against the function
//!   patterns (exclusions first); any other method call against the method
//!   list, by its last segment (on a bare `self`/`cls`, only against
//!   `self_methods`: `self.next`, not a layer called `self.drop`). Every
//!   matching call is a fact, also when it is an argument of another one
//!   (then it appears twice: as a fact and as a `Value::Call`). Calls inside
//!   decorators, signatures and class bases are not facts.
//! - **Decorators**: every decorator of a def or class, resolved; those of
//!   `decorators.bare` (`pytest.**`) without their arguments.
//! - **Values** keep at most 64 items per list, dict or argument list, 4
//!   levels, 256 values per fact and 256 characters per string (escapes as
//!   written); `*x` is `Opaque("splat")`, `**x` a keyword argument named
//!   `**`; other opaque reasons: `f-string`, `lambda`, `comprehension`,
//!   `expression`, `depth`, `size`.
//! - **Columns**: string subscripts and `.loc[rows, cols]` of a frame,
//!   writes when the subscript is an assignment target; plus the column
//!   calls and writer methods of the rules. A name is a frame on evidence
//!   (`[frames]` of the rules), in its function (a module-level name, or a
//!   dotted one like `self.df`, in the whole file): assigned a reader's or
//!   constructor's result (`pd.read_parquet(p)`, `spark.read.csv(p)`), a
//!   frame method's result on a frame (`df.merge(o)`) or a subscript of a
//!   frame (`df[cols]`), or any call's result when named like a frame
//!   parameter; a parameter named `df`, `*_df`, `data`, `X_*`, …
//!   or annotated `pd.DataFrame`; the receiver of a frame-only method
//!   (`x.to_parquet(p)`, `x.drop(…)`); indexed with `.loc`; written from
//!   its own columns by arithmetic (`x["c"] = x["a"] * x["b"]`). Never an imported module, a config root, `self`,
//!   a name of `not_frames` or one assigned a dict earlier in the file.
//!   Columns look like names: not empty, not punctuation only, not dunder.
//! - **Config reads**: the longest chain of attributes, string subscripts
//!   and `.get("key")` calls on a config root (`params["a"].get("b")` →
//!   `params.a.b`); a method called on a chain ends it (`cfg.model.keys()`
//!   → `cfg.model`); an assignment target (`cfg.x = 1`) is not a read.
//! - **Config reads** are listed once per (function, key): the first
//!   occurrence. **Columns** once per (function, frame, column, write),
//!   except that a statement (function and line) that writes and reads
//!   columns keeps all of its own, so that a later `df["b"] = df["a"]`
//!   still derives `b` from `a`.
//! - **Flows**: expression statements made of `>>`/`<<` only, one fact per
//!   operator, at the operator's line; operands are dotted names, list or
//!   tuple items, or their text shortened.
//! - **Main guard**: `if __name__ == "__main__":` as a module statement.
//! - At most [`MAX_FACTS`] facts of each kind per file; a problem says so.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

use serde::Deserialize;
use tree_sitter::Node;

use super::dynamic::shorten;
use super::kinds::{K, Kinds};
use super::{Walker, line_of};
use crate::facts::{
    CallArgs, CallFact, ColumnFact, ConfigRead, DecoratorFact, FlowFact, Problem, Value,
};
use crate::graph::category;

const RULES: &str = include_str!("../../../rules/lineage.toml");

/// Deepest nesting of a [`Value`].
const MAX_DEPTH: u32 = 4;
/// Most items of a list, dict or argument list.
const MAX_ITEMS: usize = 64;
/// Most values in one fact.
const MAX_VALUES: u32 = 256;
/// Longest string value, in characters.
const MAX_STR: usize = 256;
/// Longest name, attribute or method chain followed.
const MAX_CHAIN: usize = 32;
/// Longest `a >> b >> …` statement followed.
const MAX_FLOW: usize = 256;
/// Most facts of each kind per file.
const MAX_FACTS: usize = 10_000;

// ----- rules -------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    calls: CallRules,
    columns: ColumnRules,
    frames: FrameRules,
    config: ConfigRules,
    decorators: DecoratorRules,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DecoratorRules {
    /// Decorators listed without their arguments.
    bare: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CallRules {
    /// Groups of function patterns (the group names are for readers).
    functions: BTreeMap<String, Vec<String>>,
    /// Patterns that no function pattern may match.
    exclude: Vec<String>,
    methods: Vec<String>,
    self_methods: Vec<String>,
    chain_after: Vec<String>,
    chain_methods: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnRules {
    functions: Vec<String>,
    keyword_writers: Vec<String>,
    first_argument_writers: Vec<String>,
    not_frames: Vec<String>,
    not_frame_suffixes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrameRules {
    readers: Vec<String>,
    reader_methods: Vec<String>,
    methods: Vec<String>,
    uses: Vec<String>,
    parameters: Vec<String>,
    types: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigRules {
    roots: Vec<String>,
}

/// One segment pattern: `[A-Z]` flag, then `prefix*suffix` or a literal.
#[derive(Debug)]
struct SegGlob {
    upper: bool,
    prefix: String,
    suffix: Option<String>,
}

impl SegGlob {
    fn parse(s: &str) -> Result<SegGlob, String> {
        let (upper, rest) = match s.strip_prefix("[A-Z]") {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (prefix, suffix) = match rest.split_once('*') {
            Some((p, s)) if !s.contains('*') => (p, Some(s.to_owned())),
            Some(_) => return Err(format!("more than one `*` in `{s}`")),
            None => (rest, None),
        };
        Ok(SegGlob {
            upper,
            prefix: prefix.to_owned(),
            suffix,
        })
    }

    fn matches(&self, s: &str) -> bool {
        let rest = if self.upper {
            let mut chars = s.chars();
            match chars.next() {
                Some(c) if c.is_ascii_uppercase() => chars.as_str(),
                _ => return false,
            }
        } else {
            s
        };
        match &self.suffix {
            None => rest == self.prefix,
            Some(suffix) => {
                rest.len() >= self.prefix.len() + suffix.len()
                    && rest.starts_with(&self.prefix)
                    && rest.ends_with(suffix.as_str())
            }
        }
    }
}

#[derive(Debug)]
enum Seg {
    /// `**`: any number of segments.
    Many,
    One(SegGlob),
}

/// A dotted callee pattern and what a match is (`None`: excluded).
#[derive(Debug)]
struct Pattern {
    segs: Vec<Seg>,
    hit: Option<Hit>,
}

/// Whether `subject` matches `pattern`, `**` backtracking iteratively.
fn matches_segments(pattern: &[Seg], subject: &[&str]) -> bool {
    let (mut p, mut s) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while s < subject.len() {
        match pattern.get(p) {
            Some(Seg::Many) => {
                star = Some((p, s));
                p += 1;
                continue;
            }
            Some(Seg::One(g)) if subject.get(s).is_some_and(|x| g.matches(x)) => {
                p += 1;
                s += 1;
                continue;
            }
            _ => {}
        }
        match star {
            Some((sp, ss)) => {
                p = sp + 1;
                s = ss + 1;
                star = Some((sp, ss + 1));
            }
            None => return false,
        }
    }
    pattern
        .get(p..)
        .is_some_and(|rest| rest.iter().all(|x| matches!(x, Seg::Many)))
}

/// The compiled tables.
#[derive(Default)]
struct Rules {
    /// Function and column-function patterns by their first segment.
    functions: HashMap<String, Vec<Pattern>>,
    methods: HashSet<String>,
    method_globs: Vec<SegGlob>,
    self_methods: HashSet<String>,
    chain_after: HashSet<String>,
    chain_methods: HashSet<String>,
    keyword_writers: HashSet<String>,
    first_argument_writers: HashSet<String>,
    not_frames: HashSet<String>,
    not_frame_suffixes: Vec<String>,
    /// Callee patterns whose result is a frame (`Hit::Call` for all).
    frame_readers: Vec<Pattern>,
    frame_reader_methods: HashSet<String>,
    frame_methods: HashSet<String>,
    frame_uses: HashSet<String>,
    frame_params: Vec<SegGlob>,
    frame_types: HashSet<String>,
    /// Config roots of one segment (`cfg`) and of two (`self` → `cfg`):
    /// a dozen, scanned (cheaper than hashing on every attribute).
    roots: Vec<String>,
    roots2: Vec<(String, Vec<String>)>,
}

impl Rules {
    fn get() -> &'static Rules {
        static RULES_TABLE: OnceLock<Rules> = OnceLock::new();
        RULES_TABLE.get_or_init(|| Rules::parse(RULES).unwrap_or_default())
    }

    fn parse(text: &str) -> Result<Rules, String> {
        let file: RuleFile =
            toml::from_str(text).map_err(|e| format!("rules/lineage.toml: {e}"))?;
        let mut rules = Rules::default();
        // Exclusions first: the first matching pattern decides.
        let excluded = file.calls.exclude.iter().map(|p| (p, None));
        let patterns = file.calls.functions.values().flatten();
        let patterns = patterns.map(|p| (p, Some(Hit::Call)));
        let columns = file
            .columns
            .functions
            .iter()
            .map(|p| (p, Some(Hit::Column)));
        let bare = file.decorators.bare.iter().map(|p| (p, Some(Hit::Bare)));
        for (text, hit) in excluded.chain(patterns).chain(columns).chain(bare) {
            let (first, segs) = compile(text)?;
            rules
                .functions
                .entry(first)
                .or_default()
                .push(Pattern { segs, hit });
        }
        for text in &file.frames.readers {
            let (_, segs) = compile(text)?;
            rules.frame_readers.push(Pattern {
                segs,
                hit: Some(Hit::Call),
            });
        }
        rules.frame_reader_methods = file.frames.reader_methods.into_iter().collect();
        rules.frame_methods = file.frames.methods.into_iter().collect();
        rules.frame_uses = file.frames.uses.into_iter().collect();
        rules.frame_params = (file.frames.parameters.iter())
            .map(|p| SegGlob::parse(p))
            .collect::<Result<_, _>>()?;
        rules.frame_types = file.frames.types.into_iter().collect();
        for m in file.calls.methods {
            if m.contains('*') {
                rules.method_globs.push(SegGlob::parse(&m)?);
            } else {
                rules.methods.insert(m);
            }
        }
        rules.self_methods = file.calls.self_methods.into_iter().collect();
        rules.chain_after = file.calls.chain_after.into_iter().collect();
        rules.chain_methods = file.calls.chain_methods.into_iter().collect();
        rules.keyword_writers = file.columns.keyword_writers.into_iter().collect();
        rules.first_argument_writers = file.columns.first_argument_writers.into_iter().collect();
        rules.not_frames = file.columns.not_frames.into_iter().collect();
        rules.not_frame_suffixes = file.columns.not_frame_suffixes;
        for root in file.config.roots {
            match root.split_once('.') {
                Some((a, b)) => match rules.roots2.iter_mut().find(|(r, _)| r == a) {
                    Some((_, seconds)) => seconds.push(b.to_owned()),
                    None => rules.roots2.push((a.to_owned(), vec![b.to_owned()])),
                },
                None => rules.roots.push(root),
            }
        }
        Ok(rules)
    }

    /// What a resolved function callee is, if it matters.
    fn function(&self, segs: &[&str]) -> Option<Hit> {
        let first = segs.first()?;
        self.functions
            .get(*first)?
            .iter()
            .find(|p| matches_segments(&p.segs, segs))?
            .hit
    }

    fn method(&self, segs: &[&str]) -> bool {
        let Some((last, before)) = segs.split_last() else {
            return false;
        };
        self.methods.contains(*last)
            || self.method_globs.iter().any(|g| g.matches(last))
            || (self.chain_methods.contains(*last)
                && before.iter().any(|s| self.chain_after.contains(*s)))
    }

    /// Whether a callee written `text` can match, from its first and last
    /// names alone (never false for a callee that matches).
    fn may_match(&self, text: &str, aliases: &Aliases) -> bool {
        let is_name = |c: char| c.is_alphanumeric() || c == '_';
        let root = text.split(|c| !is_name(c)).next().unwrap_or("");
        let last = text.rsplit(|c| !is_name(c)).next().unwrap_or("");
        let plain = root.len() == text.len();
        let (first, last) = match aliases.get(root) {
            Some(target) if plain => (target.split('.').next(), target.rsplit('.').next()),
            Some(target) => (target.split('.').next(), Some(last)),
            None => (plain.then_some(root), Some(last)),
        };
        let last = last.unwrap_or("");
        let function = first
            .and_then(|f| self.functions.get(f))
            .is_some_and(|patterns| {
                patterns.iter().any(|p| match p.segs.last() {
                    Some(Seg::One(g)) => g.matches(last),
                    _ => true,
                })
            });
        function
            || self.methods.contains(last)
            || self.self_methods.contains(last)
            || self.chain_methods.contains(last)
            || self.method_globs.iter().any(|g| g.matches(last))
    }

    /// `segs` (root first) starts with a config root and goes further.
    fn config_root(&self, segs: &[&str]) -> bool {
        match segs {
            [root, _, ..] if self.is_root(root) => true,
            [a, b, _, ..] => self.seconds(a).is_some_and(|r| r.iter().any(|x| x == b)),
            _ => false,
        }
    }

    fn is_root(&self, name: &str) -> bool {
        self.roots.iter().any(|r| r == name)
    }

    /// The second segments of the two-segment roots starting with `first`.
    fn seconds(&self, first: &str) -> Option<&[String]> {
        self.roots2
            .iter()
            .find(|(r, _)| r == first)
            .map(|(_, s)| s.as_slice())
    }

    /// Whether an expression written `text` can start a config key, from
    /// its first one or two names (a cheap test before the tree is read).
    fn may_be_root(&self, text: &str) -> bool {
        fn name(t: &str) -> (&str, &str) {
            // Bytes: any non-ASCII byte may belong to a name.
            let end = t
                .bytes()
                .position(|b| !(b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80))
                .unwrap_or(t.len());
            (t.get(..end).unwrap_or(""), t.get(end..).unwrap_or(""))
        }
        let (first, rest) = name(text);
        if self.is_root(first) {
            return true;
        }
        let Some(seconds) = self.seconds(first) else {
            return false;
        };
        match rest.strip_prefix('.') {
            Some(rest) => seconds.iter().any(|s| s == name(rest).0),
            // `self .cfg`, `self[...]`: let the tree decide.
            None => true,
        }
    }

    /// Whether a resolved callee returns a frame.
    fn frame_reader(&self, segs: &[&str]) -> bool {
        self.frame_readers
            .iter()
            .any(|p| matches_segments(&p.segs, segs))
    }

    /// Whether a parameter annotation names a frame type: any name in it
    /// whose last segment is in `types` (`Optional[pd.DataFrame]`).
    fn frame_type(&self, annotation: &str) -> bool {
        annotation
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .any(|name| {
                self.frame_types
                    .contains(name.rsplit('.').next().unwrap_or(""))
            })
    }

    fn frame_param(&self, name: &str) -> bool {
        self.frame_params.iter().any(|g| g.matches(name))
    }

    fn not_frame(&self, name: &str, last: &str) -> bool {
        self.not_frames.contains(name)
            || self.not_frames.contains(last)
            || self
                .not_frame_suffixes
                .iter()
                .any(|s| last.ends_with(s.as_str()))
    }
}

/// A dotted pattern's first segment (a literal) and its segments.
fn compile(text: &str) -> Result<(String, Vec<Seg>), String> {
    let segs = text
        .split('.')
        .map(|s| {
            if s == "**" {
                Ok(Seg::Many)
            } else {
                SegGlob::parse(s).map(Seg::One)
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    match segs.first() {
        Some(Seg::One(g)) if !g.upper && g.suffix.is_none() => Ok((g.prefix.clone(), segs)),
        _ => Err(format!("`{text}`: the first segment must be a literal")),
    }
}

/// Whether a column key looks like a column name: not empty, not
/// punctuation only (`()`), not a dunder (`__default__`).
fn column_like(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
        && !(s.len() > 4 && s.starts_with("__") && s.ends_with("__"))
}

/// What a callee pattern makes of a call or decorator.
#[derive(Debug, Clone, Copy)]
enum Hit {
    /// A call fact.
    Call,
    /// Column reads (`pl.col("x")`).
    Column,
    /// A decorator listed without arguments (no call fact).
    Bare,
}

// ----- state -------------------------------------------------------------

/// Local names bound by imports, resolved to what they import.
#[derive(Debug, Clone, Default)]
pub struct Aliases(HashMap<String, String>);

impl Aliases {
    pub(super) fn bind(&mut self, local: String, target: String) {
        self.0.insert(local, target);
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }
}

/// A call kept for resolution when the walk ends (small: there is one per
/// call of the file).
struct CallSite<'t> {
    call: Node<'t>,
    /// The callee as written: most sites are rejected from it alone, without
    /// reading the tree again when the walk is over.
    text: &'t str,
    /// Index of the enclosing function in `facts.functions`.
    function: Option<u32>,
    /// Index in `Lineage::holders` of the assignment or `with … as` holding
    /// the call as its value.
    holder: Option<u32>,
}

struct DecoratorSite<'t> {
    decorator: Node<'t>,
    target: String,
}

/// Per-file lineage state of the walk.
pub(super) struct Lineage<'t> {
    pub(super) aliases: Aliases,
    calls: Vec<CallSite<'t>>,
    holders: Vec<Node<'t>>,
    decorators: Vec<DecoratorSite<'t>>,
    /// Column facts with their start byte, sorted when the walk ends.
    columns: Vec<(usize, ColumnFact)>,
    /// The call the next call site may be (node id), and its holder.
    holder: Option<(usize, Node<'t>)>,
    /// Ids of the subscripts and attributes the current assignment writes.
    targets: Vec<usize>,
    /// Ids of chain nodes already read as part of a longer config key, in
    /// reverse walk order.
    inner: Vec<usize>,
    /// Names assigned a dict: not frames.
    dict_names: HashSet<&'t str>,
    /// Subscript columns with their start byte and function index, kept
    /// when the walk ends if their frame is one.
    subscripts: Vec<(usize, Option<u32>, ColumnFact)>,
    /// Frames known by evidence: (function index, name); dotted and
    /// module-level names under `None`.
    frames: HashSet<(Option<u32>, String)>,
    /// Assignments that may make a frame, in source order: (function
    /// index, target, value).
    derived: Vec<(Option<u32>, Node<'t>, Node<'t>)>,
    /// Scratch buffers.
    segs: Vec<&'t str>,
    ids: Vec<usize>,
}

impl<'t> Lineage<'t> {
    pub(super) fn new(aliases: Aliases) -> Self {
        Lineage {
            aliases,
            calls: Vec::new(),
            holders: Vec::new(),
            decorators: Vec::new(),
            columns: Vec::new(),
            holder: None,
            targets: Vec::new(),
            inner: Vec::new(),
            dict_names: HashSet::new(),
            subscripts: Vec::new(),
            frames: HashSet::new(),
            derived: Vec::new(),
            segs: Vec::new(),
            ids: Vec::new(),
        }
    }
}

/// What [`path`] went through.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// A name or attribute chain: `a`, `a.b.c`.
    Dotted,
    /// Calls or subscripts were elided: `df.groupby("a").sum`.
    Chain,
    /// A chain whose root name is itself called: `f(x).m`.
    CalledRoot,
}

/// The path of a name, attribute chain or method chain, root first, into
/// `out`; `None` when the root is not a name.
fn path<'t>(src: &'t str, k: &Kinds, node: Node<'t>, out: &mut Vec<&'t str>) -> Option<Shape> {
    out.clear();
    let mut shape = Shape::Dotted;
    let mut n = node;
    for _ in 0..MAX_CHAIN {
        let id = n.kind_id();
        if id == k.identifier {
            out.push(src.get(n.byte_range())?);
            out.reverse();
            return Some(shape);
        }
        n = if id == k.attribute {
            out.push(src.get(n.child_by_field_id(k.f_attribute)?.byte_range())?);
            shape = shape.min_chain();
            n.child_by_field_id(k.f_object)?
        } else if id == k.call {
            shape = Shape::CalledRoot;
            n.child_by_field_id(k.f_function)?
        } else if id == k.subscript || id == k.parenthesized_expression {
            shape = Shape::Chain;
            let inner = n.child_by_field_id(k.f_value).or_else(|| n.named_child(0));
            inner?
        } else {
            return None;
        };
    }
    None
}

impl Shape {
    /// After an attribute step: still dotted, or a chain.
    fn min_chain(self) -> Shape {
        match self {
            Shape::Dotted => Shape::Dotted,
            _ => Shape::Chain,
        }
    }
}

/// Up to `limit` named children, comments left out.
fn children<'t>(k: &Kinds, node: Node<'t>, limit: usize) -> impl Iterator<Item = Node<'t>> {
    let comment = k.comment;
    let count = u32::try_from(node.named_child_count().min(limit)).unwrap_or(0);
    (0..count)
        .filter_map(move |i| node.named_child(i))
        .filter(move |c| c.kind_id() != comment)
}

/// The ML, data or feature framework a callee as written is imported from
/// (`torch` for `torch.tensor`, `pandas` for `pd.read_csv(p).head`).
fn framework_of<'a>(text: &str, aliases: &'a Aliases) -> Option<&'a str> {
    let root = text
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .next()
        .unwrap_or("");
    aliases
        .get(root)
        .and_then(|target| target.split('.').next())
        .filter(|top| category(top).is_framework())
}

/// `a.b.c`.
fn join(segs: &[&str]) -> String {
    segs.join(".")
}

impl<'t> Walker<'t> {
    fn function_idx(&self) -> Option<usize> {
        self.fns.last().map(|f| f.idx)
    }

    fn function_name(&self, idx: Option<usize>) -> Option<String> {
        idx.and_then(|i| self.facts.functions.get(i))
            .map(|f| f.name.clone())
    }

    /// Pops `id` if it is the next inner chain node.
    fn is_inner(&mut self, id: usize) -> bool {
        if self.lineage.inner.last() == Some(&id) {
            self.lineage.inner.pop();
            return true;
        }
        false
    }

    // ----- walk hooks ----------------------------------------------------

    /// A call: a site to resolve later; a config `get` or the config key a
    /// method is called on.
    pub(super) fn lineage_call(&mut self, call: Node<'t>, callee: Node<'t>) {
        let k = self.k;
        if self.mute == 0 {
            let holder = match self.lineage.holder {
                Some((id, h)) if id == call.id() => {
                    self.lineage.holder = None;
                    self.lineage.holders.push(h);
                    u32::try_from(self.lineage.holders.len() - 1).ok()
                }
                _ => None,
            };
            let function = self.function_idx().and_then(|i| u32::try_from(i).ok());
            self.lineage.calls.push(CallSite {
                call,
                text: self.text(callee),
                function,
                holder,
            });
        }
        if self.is_inner(call.id()) || callee.kind_id() != k.attribute {
            return;
        }
        let text = self.text(callee);
        // An attribute's text ends with its name.
        if text.ends_with("get") && self.get_key(call).is_some() {
            self.config_read(call, false);
        } else {
            // The method name is never part of the key.
            if Rules::get().may_be_root(text)
                && let Some(object) = callee.child_by_field_id(k.f_object)
            {
                self.config_read(object, true);
            }
            self.lineage.inner.push(callee.id());
        }
    }

    /// An attribute: a config key unless a longer one holds it.
    pub(super) fn lineage_attribute(&mut self, node: Node<'t>) {
        if !self.is_inner(node.id()) && !self.lineage.targets.contains(&node.id()) {
            self.config_read(node, false);
        }
    }

    /// A subscript: a config key, or a column.
    pub(super) fn lineage_subscript(&mut self, node: Node<'t>) {
        if self.is_inner(node.id()) || self.config_read(node, false) {
            return;
        }
        self.column_subscript(node);
    }

    /// An assignment: its targets, the call it holds, dict-valued names.
    pub(super) fn lineage_assignment(&mut self, node: Node<'t>, augmented: bool) {
        let k = self.k;
        self.lineage.targets.clear();
        let mut n = node;
        let mut right = None;
        for _ in 0..MAX_CHAIN {
            if let Some(left) = n.child_by_field_id(k.f_left) {
                self.mark_target(left);
            }
            right = n.child_by_field_id(k.f_right);
            match right {
                Some(r) if r.kind_id() == k.assignment => n = r,
                _ => break,
            }
        }
        if augmented {
            return;
        }
        let Some(value) = right.map(|r| self.unwrap(r)) else {
            return;
        };
        if value.kind_id() == k.binary_operator {
            self.column_arithmetic(node, value);
        }
        if (value.kind_id() == k.call || value.kind_id() == k.subscript)
            && let Some(left) = node.child_by_field_id(k.f_left)
            && (left.kind_id() == k.identifier || left.kind_id() == k.attribute)
        {
            let function = self.function_idx().and_then(|i| u32::try_from(i).ok());
            self.lineage.derived.push((function, left, value));
        }
        if value.kind_id() == k.call {
            if self.lineage.holder.is_none_or(|(id, _)| id != value.id()) {
                self.lineage.holder = Some((value.id(), node));
            }
            let text = self.text(value);
            let dict_call = ["dict(", "defaultdict(", "OrderedDict("]
                .iter()
                .any(|p| text.starts_with(p));
            if !dict_call {
                return;
            }
        } else if value.kind_id() != k.dictionary {
            return;
        }
        if let Some(left) = node.child_by_field_id(k.f_left)
            && left.kind_id() == k.identifier
        {
            let name = self.text(left);
            self.lineage.dict_names.insert(name);
        }
    }

    /// A parameter of the function about to be listed at `function`: a
    /// frame when its name or annotation says so.
    pub(super) fn lineage_param(&mut self, param: Node<'t>, function: usize) {
        let k = self.k;
        let rules = Rules::get();
        let id = param.kind_id();
        let typed = id == k.typed_parameter || id == k.typed_default_parameter;
        let name = if id == k.identifier {
            Some(param)
        } else if id == k.typed_parameter {
            param.named_child(0)
        } else if id == k.default_parameter || id == k.typed_default_parameter {
            param.child_by_field_id(k.f_name)
        } else {
            None
        };
        let Some(name) = name.filter(|n| n.kind_id() == k.identifier) else {
            return;
        };
        let name = self.text(name);
        let frame = rules.frame_param(name)
            || (typed
                && param
                    .child_by_field_name("type")
                    .is_some_and(|t| rules.frame_type(self.text(t))));
        if frame {
            let function = u32::try_from(function).ok();
            self.lineage.frames.insert((function, name.to_owned()));
        }
    }

    /// `x["c"] = x["a"] * x["b"]`: column arithmetic makes `x` a frame.
    fn column_arithmetic(&mut self, node: Node<'t>, value: Node<'t>) {
        let k = self.k;
        let Some(left) = node.child_by_field_id(k.f_left) else {
            return;
        };
        if left.kind_id() != k.subscript
            || self
                .single_key(left)
                .is_none_or(|key| key.kind_id() != k.string)
        {
            return;
        }
        let Some(object) = left.child_by_field_id(k.f_value) else {
            return;
        };
        let name = self.text(object);
        let text = self.text(value);
        let used = text.match_indices(name).any(|(at, _)| {
            text.get(at + name.len()..)
                .is_some_and(|r| r.starts_with('['))
        });
        if object.kind_id() == k.identifier && used {
            let function = self.function_idx().and_then(|i| u32::try_from(i).ok());
            self.lineage.frames.insert((function, name.to_owned()));
        }
    }

    fn mark_target(&mut self, left: Node<'t>) {
        let k = self.k;
        let id = left.kind_id();
        if id == k.subscript || id == k.attribute {
            self.lineage.targets.push(left.id());
        } else if id == k.pattern_list || id == k.tuple_pattern || id == k.list_pattern {
            for c in children(k, left, MAX_ITEMS) {
                if c.kind_id() == k.subscript || c.kind_id() == k.attribute {
                    self.lineage.targets.push(c.id());
                }
            }
        }
    }

    /// `with f(...) as x:` holds the call.
    pub(super) fn lineage_with_item(&mut self, node: Node<'t>) {
        let k = self.k;
        let Some(value) = node.child_by_field_id(k.f_value) else {
            return;
        };
        if value.kind_id() != k.as_pattern {
            return;
        }
        if let Some(call) = value.named_child(0).map(|c| self.unwrap(c))
            && call.kind_id() == k.call
        {
            self.lineage.holder = Some((call.id(), value));
        }
    }

    /// `a >> b >> c` and `a << b` statements.
    pub(super) fn lineage_flow(&mut self, statement: Node<'t>) {
        let k = self.k;
        let Some(mut expr) = statement.named_child(0) else {
            return;
        };
        let mut steps = Vec::new();
        while expr.kind_id() == k.binary_operator && steps.len() < MAX_FLOW {
            let op = expr.child_by_field_id(k.f_operator);
            let shift = match op.map(|o| self.text(o)) {
                Some(">>") => true,
                Some("<<") => false,
                _ => break,
            };
            let (Some(op), Some(left), Some(right)) = (
                op,
                expr.child_by_field_id(k.f_left),
                expr.child_by_field_id(k.f_right),
            ) else {
                break;
            };
            steps.push((right, shift, line_of(op.start_position())));
            expr = left;
        }
        let mut left = expr;
        for &(right, downstream, line) in steps.iter().rev() {
            let (up, down) = if downstream {
                (left, right)
            } else {
                (right, left)
            };
            let flow = FlowFact {
                upstream: self.flow_names(up),
                downstream: self.flow_names(down),
                line,
                cell: None,
            };
            self.facts.lineage.flows.push(flow);
            left = right;
        }
    }

    fn flow_names(&self, node: Node<'t>) -> Vec<String> {
        let k = self.k;
        let name = |n: Node| {
            let mut segs = Vec::new();
            match path(self.src, k, n, &mut segs) {
                Some(Shape::Dotted) => join(&segs),
                _ => shorten(self.text(n)),
            }
        };
        if node.kind_id() == k.list || node.kind_id() == k.tuple {
            children(k, node, MAX_ITEMS).map(name).collect()
        } else {
            vec![name(node)]
        }
    }

    /// `if __name__ == "__main__":` at module level.
    pub(super) fn lineage_if(&mut self, node: Node<'t>) {
        if self.stack.len() != 1 {
            return;
        }
        let Some(condition) = node.child_by_field_id(self.k.f_condition) else {
            return;
        };
        let text: String = self.text(condition).split_whitespace().collect();
        let text = text.replace('\'', "\"");
        if text == "__name__==\"__main__\"" || text == "\"__main__\"==__name__" {
            self.facts.lineage.main_guard = true;
        }
    }

    /// The decorators of a def or class just opened, named `target`.
    pub(super) fn lineage_decorators(&mut self, node: Node<'t>, target: String) {
        let Some(decorated) = self.decorators_of(node) else {
            return;
        };
        for d in children(self.k, decorated, usize::MAX) {
            if self.k.of(d.kind_id()) == K::Decorator {
                self.lineage.decorators.push(DecoratorSite {
                    decorator: d,
                    target: target.clone(),
                });
            }
        }
    }

    // ----- config keys and columns ---------------------------------------

    /// The string key of `x.get("key", …)`.
    fn get_key(&self, call: Node<'t>) -> Option<&'t str> {
        let k = self.k;
        let callee = call.child_by_field_id(k.f_function)?;
        let method = callee.child_by_field_id(k.f_attribute)?;
        if self.text(method) != "get" {
            return None;
        }
        let first = call.child_by_field_id(k.f_arguments)?.named_child(0)?;
        self.plain_string(first)
    }

    /// Records the config key `node` reads, if any; `skip_self` also skips
    /// `node` when the walk enters it. The chain's inner nodes are skipped.
    fn config_read(&mut self, node: Node<'t>, skip_self: bool) -> bool {
        let k = self.k;
        // The chain's root is its first token: most chains stop here.
        if !Rules::get().may_be_root(self.text(node)) {
            return false;
        }
        let mut keys = std::mem::take(&mut self.lineage.segs);
        keys.clear();
        let mut ids = std::mem::take(&mut self.lineage.ids);
        ids.clear();
        let mut n = node;
        let mut found = false;
        for _ in 0..MAX_CHAIN {
            let id = n.kind_id();
            if id == k.identifier {
                keys.push(self.text(n));
                found = true;
                break;
            }
            if n != node || skip_self {
                ids.push(n.id());
            }
            let next = if id == k.attribute {
                let Some(attr) = n.child_by_field_id(k.f_attribute) else {
                    break;
                };
                keys.push(self.text(attr));
                n.child_by_field_id(k.f_object)
            } else if id == k.subscript {
                let key = self.single_key(n).and_then(|s| self.plain_string(s));
                let Some(key) = key else {
                    break;
                };
                keys.push(key);
                n.child_by_field_id(k.f_value)
            } else if id == k.call {
                let Some(key) = self.get_key(n) else {
                    break;
                };
                keys.push(key);
                let callee = n.child_by_field_id(k.f_function);
                if let Some(c) = callee {
                    ids.push(c.id());
                }
                callee.and_then(|c| c.child_by_field_id(k.f_object))
            } else {
                break;
            };
            let Some(next) = next else {
                break;
            };
            n = next;
        }
        keys.reverse();
        let hit = found && Rules::get().config_root(&keys);
        if hit {
            let read = ConfigRead {
                key: join(&keys),
                function: self.function_name(self.function_idx()),
                line: line_of(node.start_position()),
                cell: None,
            };
            self.facts.lineage.config_reads.push(read);
            // The walk enters the chain's nodes in descent order.
            ids.reverse();
            std::mem::swap(&mut self.lineage.inner, &mut ids);
        }
        self.lineage.segs = keys;
        self.lineage.ids = ids;
        hit
    }

    /// `df["x"]`, `df[["a", "b"]]`, `df.loc[:, "x"]`: one fact per column.
    fn column_subscript(&mut self, node: Node<'t>) {
        let k = self.k;
        let rules = Rules::get();
        let Some(value) = node.child_by_field_id(k.f_value) else {
            return;
        };
        let loc = value.kind_id() == k.attribute
            && value
                .child_by_field_id(k.f_attribute)
                .is_some_and(|a| self.text(a) == "loc");
        let (frame, key) = if loc {
            // `value[rows, cols]`: the third named child.
            let cols = (node.named_child_count() == 3)
                .then(|| node.named_child(2))
                .flatten();
            (value.child_by_field_id(k.f_object), cols)
        } else {
            (Some(value), self.single_key(node))
        };
        let (Some(frame), Some(key)) = (frame, key) else {
            return;
        };
        if key.kind_id() != k.string && key.kind_id() != k.list {
            return;
        }
        let mut segs = std::mem::take(&mut self.lineage.segs);
        let pure = path(self.src, k, frame, &mut segs).is_some_and(|s| s == Shape::Dotted);
        let skip = !pure
            || segs
                .first()
                .is_some_and(|r| self.lineage.aliases.get(r).is_some())
            || segs.first().is_some_and(|r| rules.is_root(r))
            || segs.as_slice() == ["self"];
        let name = if skip { String::new() } else { join(&segs) };
        self.lineage.segs = segs;
        if skip
            || rules.not_frame(&name, name.rsplit('.').next().unwrap_or(""))
            || self.lineage.dict_names.contains(name.as_str())
        {
            return;
        }
        let columns: Vec<&str> = match self.plain_string(key) {
            Some(s) => vec![s],
            None if key.kind_id() == k.list => children(k, key, MAX_ITEMS)
                .filter_map(|c| self.plain_string(c))
                .collect(),
            None => return,
        };
        let write = self.lineage.targets.contains(&node.id());
        let idx = self.function_idx();
        let function = self.function_name(idx);
        let idx = idx.and_then(|i| u32::try_from(i).ok());
        if loc || (!name.contains('.') && self.frame_lambda(node, &name)) {
            self.lineage.frames.insert((idx, name.clone()));
        }
        let line = line_of(node.start_position());
        for column in columns.into_iter().filter(|c| column_like(c)) {
            let fact = ColumnFact {
                frame: name.clone(),
                column: column.to_owned(),
                write,
                function: function.clone(),
                line,
                cell: None,
            };
            self.lineage.subscripts.push((node.start_byte(), idx, fact));
        }
    }

    /// Whether `name`, used at `node`, is the parameter of a lambda passed
    /// to a frame method: `df.assign(y=lambda d: d["x"])`.
    fn frame_lambda(&self, node: Node<'t>, name: &str) -> bool {
        let k = self.k;
        let rules = Rules::get();
        let mut n = node;
        for _ in 0..MAX_CHAIN {
            let Some(parent) = n.parent() else {
                return false;
            };
            n = parent;
            if k.of(n.kind_id()) != K::Lambda {
                continue;
            }
            let binds = n
                .child_by_field_id(k.f_parameters)
                .is_some_and(|p| children(k, p, MAX_ITEMS).any(|c| self.text(c) == name));
            if !binds {
                continue;
            }
            let mut up = n.parent();
            if up.is_some_and(|u| u.kind_id() == k.keyword_argument) {
                up = up.and_then(|u| u.parent());
            }
            let method = up
                .filter(|u| u.kind_id() == k.argument_list)
                .and_then(|u| u.parent())
                .and_then(|c| c.child_by_field_id(k.f_function))
                .filter(|f| f.kind_id() == k.attribute)
                .and_then(|f| f.child_by_field_id(k.f_attribute))
                .map(|a| self.text(a));
            return method.is_some_and(|m| {
                rules.frame_methods.contains(m) || rules.keyword_writers.contains(m)
            });
        }
        false
    }

    // ----- values --------------------------------------------------------

    /// The key of `x[key]` (not of `x[a, b]`).
    fn single_key(&self, subscript: Node<'t>) -> Option<Node<'t>> {
        // Named children: the value, then the keys.
        (subscript.named_child_count() == 2)
            .then(|| subscript.child_by_field_id(self.k.f_subscript))
            .flatten()
    }

    /// Strips `await` and parentheses.
    fn unwrap(&self, mut node: Node<'t>) -> Node<'t> {
        let k = self.k;
        for _ in 0..MAX_CHAIN {
            if node.kind_id() != k.await_ && node.kind_id() != k.parenthesized_expression {
                break;
            }
            match node.named_child(0) {
                Some(inner) => node = inner,
                None => break,
            }
        }
        node
    }

    /// The content of a string literal without interpolation, as written.
    fn plain_string(&self, node: Node<'t>) -> Option<&'t str> {
        if node.kind_id() != self.k.string {
            return None;
        }
        let start = node
            .child(0)
            .filter(|s| s.kind_id() == self.k.string_start)?;
        let opening = self.text(start);
        if opening
            .bytes()
            .any(|b| matches!(b, b'f' | b'F' | b't' | b'T'))
        {
            return None;
        }
        let quote = opening.trim_start_matches(|c: char| c.is_ascii_alphabetic());
        let end = node.end_byte().checked_sub(quote.len())?;
        let text = self.src.get(start.end_byte()..end)?;
        self.src.get(end..node.end_byte()).filter(|q| *q == quote)?;
        Some(text)
    }

    /// A string value: a literal or an implicit concatenation of literals;
    /// `Err` for f-strings.
    fn string_value(&self, node: Node<'t>) -> Option<Result<String, ()>> {
        let k = self.k;
        let mut out = String::new();
        if node.kind_id() == k.string {
            match self.plain_string(node) {
                Some(s) => out.push_str(s),
                None => return Some(Err(())),
            }
        } else if node.kind_id() == k.concatenated_string {
            for part in children(k, node, usize::MAX).filter(|p| p.kind_id() == k.string) {
                match self.plain_string(part) {
                    Some(s) => out.push_str(s),
                    None => return Some(Err(())),
                }
                if out.len() > MAX_STR * 4 {
                    break;
                }
            }
        } else {
            return None;
        }
        if let Some((cut, _)) = out.char_indices().nth(MAX_STR) {
            out.truncate(cut);
            out.push('…');
        }
        Some(Ok(out))
    }

    /// A name resolved through the imports: `pd.DataFrame` → `pandas.DataFrame`.
    fn resolve(&self, segs: &[&str]) -> String {
        match segs.split_first() {
            Some((root, rest)) => match self.lineage.aliases.get(root) {
                Some(target) if rest.is_empty() => target.to_owned(),
                Some(target) => format!("{target}.{}", join(rest)),
                None => join(segs),
            },
            None => String::new(),
        }
    }

    /// The resolved callee path, or the callee as written.
    fn callee_name(&self, callee: Node<'t>) -> String {
        let mut segs = Vec::new();
        match path(self.src, self.k, callee, &mut segs) {
            Some(_) => self.resolve(&segs),
            None => shorten(self.text(callee)),
        }
    }

    fn value(&self, node: Node<'t>, depth: u32, budget: &mut u32) -> Value {
        let k = self.k;
        if *budget == 0 {
            return Value::Opaque("size".to_owned());
        }
        *budget -= 1;
        let node = self.unwrap(node);
        let id = node.kind_id();
        if let Some(s) = self.string_value(node) {
            return s.map_or_else(|()| Value::Opaque("f-string".to_owned()), Value::Str);
        }
        if [k.integer, k.float, k.true_, k.false_, k.none].contains(&id)
            || (id == k.unary_operator
                && node
                    .child_by_field_id(k.f_argument)
                    .is_some_and(|a| a.kind_id() == k.integer || a.kind_id() == k.float))
        {
            return Value::Const(self.text(node).to_owned());
        }
        if id == k.identifier || id == k.attribute {
            let mut segs = Vec::new();
            if path(self.src, k, node, &mut segs).is_some_and(|s| s == Shape::Dotted) {
                return Value::Name(self.resolve(&segs));
            }
        }
        let nested = depth < MAX_DEPTH;
        if id == k.list || id == k.tuple || id == k.set {
            if !nested {
                return Value::Opaque("depth".to_owned());
            }
            let items = children(k, node, MAX_ITEMS)
                .map(|c| self.value(c, depth + 1, budget))
                .collect();
            return Value::List(items);
        }
        if id == k.dictionary {
            if !nested {
                return Value::Opaque("depth".to_owned());
            }
            let pairs = children(k, node, MAX_ITEMS)
                .filter_map(|p| {
                    let key = p.child_by_field_id(k.f_key)?;
                    let value = p.child_by_field_id(k.f_value)?;
                    Some((
                        self.value(key, depth + 1, budget),
                        self.value(value, depth + 1, budget),
                    ))
                })
                .collect();
            return Value::Dict(pairs);
        }
        if id == k.call {
            if !nested {
                return Value::Opaque("depth".to_owned());
            }
            return Value::Call(Box::new(self.call_args(node, depth + 1, budget)));
        }
        if id == k.subscript
            && let Some(v) = self.subscript_value(node)
        {
            return v;
        }
        let reason = match node.kind() {
            "lambda" => "lambda",
            "list_comprehension"
            | "set_comprehension"
            | "dictionary_comprehension"
            | "generator_expression" => "comprehension",
            "list_splat" | "dictionary_splat" => "splat",
            _ => "expression",
        };
        Value::Opaque(reason.to_owned())
    }

    /// `fv[["a", "b"]]`, `df["x"]`.
    fn subscript_value(&self, node: Node<'t>) -> Option<Value> {
        let k = self.k;
        let mut segs = Vec::new();
        let base = node.child_by_field_id(k.f_value)?;
        (path(self.src, k, base, &mut segs).is_some_and(|s| s == Shape::Dotted)).then_some(())?;
        let key = self.single_key(node)?;
        let keys = if let Some(s) = self.plain_string(key) {
            vec![s.to_owned()]
        } else if key.kind_id() == k.list {
            children(self.k, key, MAX_ITEMS)
                .map(|c| self.plain_string(c).map(str::to_owned))
                .collect::<Option<Vec<_>>>()?
        } else {
            return None;
        };
        Some(Value::Subscript {
            base: join(&segs),
            keys,
        })
    }

    fn call_args(&self, call: Node<'t>, depth: u32, budget: &mut u32) -> CallArgs {
        let k = self.k;
        let callee = call
            .child_by_field_id(k.f_function)
            .map(|c| self.callee_name(c))
            .unwrap_or_default();
        let mut out = CallArgs {
            callee,
            args: Vec::new(),
            kwargs: Vec::new(),
        };
        let Some(arguments) = call.child_by_field_id(k.f_arguments) else {
            return out;
        };
        if arguments.kind_id() != k.argument_list {
            out.args.push(Value::Opaque("comprehension".to_owned()));
            return out;
        }
        for a in children(self.k, arguments, MAX_ITEMS) {
            let id = a.kind_id();
            if id == k.keyword_argument {
                let name = a.child_by_field_id(k.f_name).map_or("", |n| self.text(n));
                let value = a
                    .child_by_field_id(k.f_value)
                    .map_or(Value::Opaque("expression".to_owned()), |v| {
                        self.value(v, depth, budget)
                    });
                out.kwargs.push((name.to_owned(), value));
            } else if id == k.dictionary_splat {
                let value = a
                    .named_child(0)
                    .map_or(Value::Opaque("splat".to_owned()), |v| {
                        self.value(v, depth, budget)
                    });
                out.kwargs.push(("**".to_owned(), value));
            } else if id == k.list_splat {
                out.args.push(Value::Opaque("splat".to_owned()));
            } else {
                out.args.push(self.value(a, depth, budget));
            }
        }
        out
    }

    /// Names a call's result is assigned to.
    fn assigned_to(&self, holder: Option<Node<'t>>) -> Vec<String> {
        let k = self.k;
        let mut out = Vec::new();
        let Some(holder) = holder else {
            return out;
        };
        let mut push = |n: Node<'t>| {
            let mut segs = Vec::new();
            if path(self.src, k, n, &mut segs).is_some_and(|s| s == Shape::Dotted) {
                out.push(join(&segs));
            }
        };
        if holder.kind_id() == k.as_pattern {
            if let Some(alias) = holder.child_by_field_id(k.f_alias) {
                let target = alias.named_child(0).unwrap_or(alias);
                push(target);
            }
            return out;
        }
        let mut n = holder;
        for _ in 0..MAX_CHAIN {
            if let Some(left) = n.child_by_field_id(k.f_left) {
                let id = left.kind_id();
                if id == k.pattern_list || id == k.tuple_pattern || id == k.list_pattern {
                    children(self.k, left, MAX_ITEMS).for_each(&mut push);
                } else {
                    push(left);
                }
            }
            match n.child_by_field_id(k.f_right) {
                Some(r) if r.kind_id() == k.assignment => n = r,
                _ => break,
            }
        }
        out
    }

    // ----- end of the walk -----------------------------------------------

    /// Resolves the kept calls and decorators, orders and trims the facts.
    pub(super) fn finish_lineage(&mut self) {
        let rules = Rules::get();
        let sites = std::mem::take(&mut self.lineage.calls);
        let mut frameworks: Vec<(&str, u32)> = Vec::new();
        for site in &sites {
            if let Some(top) = framework_of(site.text, &self.lineage.aliases) {
                match frameworks.iter_mut().find(|(name, _)| *name == top) {
                    Some((_, n)) => *n += 1,
                    None => frameworks.push((top, 1)),
                }
            }
        }
        let metrics = &mut self.facts.metrics;
        metrics.calls = u32::try_from(sites.len()).unwrap_or(u32::MAX);
        metrics.framework_calls = frameworks
            .into_iter()
            .map(|(name, n)| (name.to_owned(), n))
            .collect();
        let mut segs = Vec::new();
        for site in sites {
            self.frame_use(&site);
            if !rules.may_match(site.text, &self.lineage.aliases) {
                continue;
            }
            let Some(callee) = site.call.child_by_field_id(self.k.f_function) else {
                continue;
            };
            let Some(shape) = path(self.src, self.k, callee, &mut segs) else {
                continue;
            };
            let dotted = shape == Shape::Dotted;
            let alias = segs.first().and_then(|r| self.lineage.aliases.get(r));
            let hit = if dotted && (alias.is_some() || segs.len() == 1) {
                let mut resolved = [""; MAX_CHAIN];
                // A relative target keeps its empty first segments.
                let (head, rest) = match alias {
                    Some(target) => (target.split('.'), segs.get(1..).unwrap_or(&[])),
                    None => ("".split('.'), segs.as_slice()),
                };
                let head = head.take(usize::from(alias.is_some()) * MAX_CHAIN);
                let parts = head.chain(rest.iter().copied());
                let mut n = 0;
                for (slot, part) in resolved.iter_mut().zip(parts) {
                    *slot = part;
                    n += 1;
                }
                rules.function(resolved.get(..n).unwrap_or(&[]))
            } else if let (true, [receiver, method]) = (dotted, segs.as_slice())
                && matches!(*receiver, "self" | "cls")
            {
                rules.self_methods.contains(*method).then_some(Hit::Call)
            } else {
                rules.method(&segs).then_some(Hit::Call)
            };
            let receiver = match (&hit, alias, shape) {
                (Some(Hit::Call), None, Shape::Dotted) if segs.len() > 1 => {
                    Some(join(segs.get(..segs.len() - 1).unwrap_or(&[])))
                }
                (Some(Hit::Call), None, Shape::Chain) => segs.first().map(|r| (*r).to_owned()),
                _ => None,
            };
            match hit {
                Some(Hit::Call) => self.call_fact(&site, receiver, &segs),
                Some(Hit::Column) => self.column_call(&site),
                Some(Hit::Bare) | None => {}
            }
        }
        let decorators = std::mem::take(&mut self.lineage.decorators);
        for d in decorators {
            let mut budget = MAX_VALUES;
            let Some(expr) = d.decorator.named_child(0) else {
                continue;
            };
            let expr = self.unwrap(expr);
            let mut decorator = if expr.kind_id() == self.k.call {
                self.call_args(expr, 0, &mut budget)
            } else {
                CallArgs {
                    callee: self.callee_name(expr),
                    args: Vec::new(),
                    kwargs: Vec::new(),
                }
            };
            let segs: Vec<&str> = decorator.callee.split('.').collect();
            if matches!(rules.function(&segs), Some(Hit::Bare)) {
                decorator.args.clear();
                decorator.kwargs.clear();
            }
            self.facts.lineage.decorators.push(DecoratorFact {
                target: d.target,
                decorator,
                line: line_of(d.decorator.start_position()),
                cell: None,
            });
        }
        self.derive_frames();
        let mut columns = std::mem::take(&mut self.lineage.columns);
        let subscripts = std::mem::take(&mut self.lineage.subscripts);
        for (at, function, fact) in subscripts {
            if self.is_frame(function, &fact.frame) {
                columns.push((at, fact));
            }
        }
        columns.sort_by_key(|(at, _)| *at);
        self.facts.lineage.columns = kept_columns(columns);
        let reads = &mut self.facts.lineage.config_reads;
        let mut seen = HashSet::new();
        let first: Vec<bool> = reads
            .iter()
            .map(|r| seen.insert((r.function.as_deref(), r.key.as_str())))
            .collect();
        let mut first = first.into_iter();
        reads.retain(|_| first.next().unwrap_or(true));
        self.cap_facts();
    }

    /// Whether `name` is a frame in `function`.
    fn is_frame(&self, function: Option<u32>, name: &str) -> bool {
        let frames = &self.lineage.frames;
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

    fn add_frame(&mut self, function: Option<u32>, name: String) {
        let function = function.filter(|_| !name.contains('.'));
        self.lineage.frames.insert((function, name));
    }

    /// `x.to_parquet(p)`: `x` is a frame (a dotted receiver only, read
    /// from the callee's text).
    fn frame_use(&mut self, site: &CallSite<'t>) {
        let Some((receiver, method)) = site.text.rsplit_once('.') else {
            return;
        };
        let dotted = receiver
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b >= 0x80);
        if dotted && !receiver.is_empty() && Rules::get().frame_uses.contains(method) {
            self.add_frame(site.function, receiver.to_owned());
        }
    }

    /// The frames made by assignments, in source order, so that a frame
    /// derived from a frame is one too.
    fn derive_frames(&mut self) {
        let k = self.k;
        let derived = std::mem::take(&mut self.lineage.derived);
        let mut segs = Vec::new();
        for (function, target, value) in derived {
            if path(self.src, k, target, &mut segs) != Some(Shape::Dotted) {
                continue;
            }
            let target = join(&segs);
            let named = value.kind_id() == k.call && Rules::get().frame_param(&target);
            if named || self.makes_frame(function, value, &mut segs) {
                self.add_frame(function, target);
            }
        }
    }

    /// Whether an assigned call or subscript is a frame.
    fn makes_frame(&self, function: Option<u32>, value: Node<'t>, segs: &mut Vec<&'t str>) -> bool {
        let k = self.k;
        let rules = Rules::get();
        if value.kind_id() == k.subscript {
            // `df[cols]`, `df.loc[m]`.
            let Some(mut object) = value.child_by_field_id(k.f_value) else {
                return false;
            };
            if object.kind_id() == k.attribute
                && object
                    .child_by_field_id(k.f_attribute)
                    .is_some_and(|a| matches!(self.text(a), "loc" | "iloc"))
                && let Some(inner) = object.child_by_field_id(k.f_object)
            {
                object = inner;
            }
            return path(self.src, k, object, segs) == Some(Shape::Dotted)
                && self.is_frame(function, &join(segs));
        }
        let Some(callee) = value.child_by_field_id(k.f_function) else {
            return false;
        };
        let Some(shape) = path(self.src, k, callee, segs) else {
            return false;
        };
        let Some((last, before)) = segs.split_last() else {
            return false;
        };
        let alias = segs.first().and_then(|r| self.lineage.aliases.get(r));
        if shape == Shape::Dotted && alias.is_some() {
            let resolved = self.resolve(segs);
            let resolved: Vec<&str> = resolved.split('.').collect();
            return rules.frame_reader(&resolved);
        }
        if alias.is_some() || shape == Shape::CalledRoot {
            return false;
        }
        if rules.frame_reader_methods.contains(*last)
            || before
                .iter()
                .skip(1)
                .any(|s| rules.chain_after.contains(*s) && s.starts_with("read"))
        {
            return segs.len() > 1;
        }
        // A frame method on a frame: the receiver is the longest dotted
        // prefix that is one (`self.df.groupby("a").agg(…)`).
        rules.frame_methods.contains(*last)
            && (1..segs.len()).any(|n| self.is_frame(function, &join(segs.get(..n).unwrap_or(&[]))))
    }

    fn site_function(&self, site: &CallSite<'t>) -> Option<String> {
        self.function_name(site.function.and_then(|i| usize::try_from(i).ok()))
    }

    fn call_fact(&mut self, site: &CallSite<'t>, receiver: Option<String>, segs: &[&str]) {
        let mut budget = MAX_VALUES;
        let call = self.call_args(site.call, 0, &mut budget);
        let method = segs.last().copied().unwrap_or("");
        let rules = Rules::get();
        let line = line_of(site.call.start_position());
        let function = self.site_function(site);
        if let Some(frame) = receiver.as_deref().filter(|_| segs.len() > 1) {
            let mut written: Vec<&str> = Vec::new();
            if rules.keyword_writers.contains(method) {
                written.extend(
                    call.kwargs
                        .iter()
                        .map(|(n, _)| n.as_str())
                        .filter(|n| *n != "**"),
                );
            } else if rules.first_argument_writers.contains(method)
                && let Some(Value::Str(s)) = call.args.first()
            {
                written.push(s);
            }
            for column in written.into_iter().filter(|c| column_like(c)) {
                let fact = ColumnFact {
                    frame: frame.to_owned(),
                    column: column.to_owned(),
                    write: true,
                    function: function.clone(),
                    line,
                    cell: None,
                };
                self.lineage.columns.push((site.call.start_byte(), fact));
            }
        }
        let fact = CallFact {
            call,
            receiver,
            assigned_to: self.assigned_to(
                site.holder
                    .and_then(|i| self.lineage.holders.get(usize::try_from(i).ok()?))
                    .copied(),
            ),
            function,
            line,
            cell: None,
        };
        self.facts.lineage.calls.push(fact);
    }

    /// `pl.col("x")`, `F.col(["a", "b"])`: column reads without a frame.
    fn column_call(&mut self, site: &CallSite<'t>) {
        let mut budget = MAX_VALUES;
        let call = self.call_args(site.call, 0, &mut budget);
        let function = self.site_function(site);
        let line = line_of(site.call.start_position());
        let mut names = Vec::new();
        for arg in &call.args {
            match arg {
                Value::Str(s) => names.push(s.clone()),
                Value::List(items) => names.extend(items.iter().filter_map(|i| match i {
                    Value::Str(s) => Some(s.clone()),
                    _ => None,
                })),
                _ => {}
            }
        }
        for column in names {
            let fact = ColumnFact {
                frame: String::new(),
                column,
                write: false,
                function: function.clone(),
                line,
                cell: None,
            };
            self.lineage.columns.push((site.call.start_byte(), fact));
        }
    }

    fn cap_facts(&mut self) {
        let l = &mut self.facts.lineage;
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
                self.facts.problems.push(Problem::new(0, message));
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_parse() {
        let rules = Rules::parse(RULES).expect("rules/lineage.toml parses");
        assert!(rules.functions.contains_key("pandas"));
        assert!(rules.may_be_root("self.cfg.x") && !rules.may_be_root("self.model.x"));
    }

    #[test]
    fn segment_patterns() {
        let rules = Rules::parse(RULES).expect("parses");
        let hit = |s: &str| {
            let segs: Vec<&str> = s.split('.').collect();
            rules.function(&segs).is_some()
        };
        assert!(hit("pandas.read_csv"));
        assert!(!hit("pandas.read_csv.to_parquet"));
        assert!(hit("sklearn.linear_model.LogisticRegression"));
        assert!(hit("sklearn.LogisticRegression"));
        assert!(!hit("sklearn.metrics.accuracy_score"));
        assert!(hit(
            "airflow.providers.cncf.kubernetes.operators.pod.KubernetesPodOperator"
        ));
        assert!(hit("airflow.operators.python.PythonOperator"));
        assert!(!hit("airflow.operators.python.Operator2"));
        assert!(hit("mlflow.sklearn.log_model"));
        assert!(!hit("mlflow.log_model.x"));
        assert!(hit("open"));
        assert!(!hit("sklearn.utils._param_validation.Interval"));
        assert!(!hit("sklearn.linear_model._logistic.LogisticRegression"));
        assert!(!hit("torch.cat"));
    }
}
