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

use foldhash::HashMap;

use tree_sitter::Node;

use super::dynamic::shorten;
use super::kinds::{K, Kinds};
use super::{Walker, line_of};
use crate::facts::{ColumnFact, ConfigRead, FlowFact};
use rules::{Rules, column_like};

mod resolve;
mod rules;
mod settle;

pub(super) use resolve::{Lookup, Reads, still_holds};
pub(super) use settle::settle;

/// Deepest nesting of a [`Value`](crate::facts::Value).
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

// ----- state -------------------------------------------------------------

/// Local names bound by imports, resolved to what they import: a file's
/// bindings applied in walk order, the last one winning.
#[derive(Debug, Clone, Default)]
pub struct Aliases(HashMap<String, String>);

impl Aliases {
    pub(super) fn bind(&mut self, local: String, target: String) {
        self.0.insert(local, target);
    }

    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }
}

/// A name an import binds, at the walk position of the import statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Binding {
    pub seq: u32,
    pub local: String,
    pub target: String,
}

/// A subscript `name[…]` with string keys: columns if `name` is a frame,
/// unless an import bound its root or a dict was assigned to it earlier in
/// the file.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Subscript {
    pub seq: u32,
    pub byte: usize,
    pub function: Option<u32>,
    /// The name's first segment.
    pub root: String,
    pub name: String,
    /// Indexed with `.loc`, or the parameter of a frame method's lambda:
    /// the name is a frame.
    pub evidence: bool,
    pub columns: Vec<ColumnFact>,
}

/// What an assignment's value is, for [`Derived`].
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Made {
    /// A subscript of the dotted name (`df[cols]`, `df.loc[m]` → `df`).
    Subscript(String),
    /// A call of the callee path, root first.
    Call(Shape, Vec<String>),
    Nothing,
}

/// An assignment that makes its dotted target a frame if its value is one.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Derived {
    pub function: Option<u32>,
    pub target: String,
    /// The value is a call and the target is named like a frame parameter.
    pub named: bool,
    pub value: Made,
}

/// What a chunk's lineage leaves to its file ([`settle`]): which names are
/// frames depends on every chunk, and whether a subscript counts on what
/// the file imported and assigned before it. Positions are the chunk's
/// (walk sequence numbers, bytes, function indices).
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Unsettled {
    pub bindings: Vec<Binding>,
    /// Names assigned a dict, with the assignment's sequence number.
    pub dict_names: Vec<(u32, String)>,
    /// Frames known by evidence: (function index, name); dotted and
    /// module-level names under `None`.
    pub frames: Vec<(Option<u32>, String)>,
    pub subscripts: Vec<Subscript>,
    /// Column facts of calls, with their start byte.
    pub columns: Vec<(usize, ColumnFact)>,
    /// In walk order.
    pub derived: Vec<Derived>,
}

/// A call kept for resolution when the walk ends (small: there is one per
/// call of the chunk).
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

/// Per-chunk lineage state of the walk.
#[derive(Default)]
pub(super) struct Lineage<'t> {
    pub(super) unsettled: Unsettled,
    calls: Vec<CallSite<'t>>,
    holders: Vec<Node<'t>>,
    decorators: Vec<DecoratorSite<'t>>,
    /// The call the next call site may be (node id), and its holder.
    holder: Option<(usize, Node<'t>)>,
    /// Ids of the subscripts and attributes the current assignment writes.
    targets: Vec<usize>,
    /// Ids of chain nodes already read as part of a longer config key, in
    /// reverse walk order.
    inner: Vec<usize>,
    /// Scratch buffers.
    segs: Vec<&'t str>,
    ids: Vec<usize>,
}

/// What [`path`] went through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
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
            self.derived(left, value);
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
            let name = self.text(left).to_owned();
            self.lineage.unsettled.dict_names.push((self.seq, name));
        }
    }

    /// An assignment of a call or subscript `value` to `target`: a frame
    /// if the value is one (decided by the file, [`settle`]).
    fn derived(&mut self, target: Node<'t>, value: Node<'t>) {
        let k = self.k;
        let mut segs = std::mem::take(&mut self.lineage.segs);
        if path(self.src, k, target, &mut segs) == Some(Shape::Dotted) {
            let target = join(&segs);
            let named = value.kind_id() == k.call && Rules::get().frame_param(&target);
            let made = if value.kind_id() == k.subscript {
                self.subscripted(value, &mut segs)
            } else {
                value
                    .child_by_field_id(k.f_function)
                    .and_then(|callee| path(self.src, k, callee, &mut segs))
                    .map_or(Made::Nothing, |shape| {
                        Made::Call(shape, segs.iter().map(|s| (*s).to_owned()).collect())
                    })
            };
            let function = self.function_idx().and_then(|i| u32::try_from(i).ok());
            self.lineage.unsettled.derived.push(Derived {
                function,
                target,
                named,
                value: made,
            });
        }
        self.lineage.segs = segs;
    }

    /// The dotted name a subscript indexes (`df[cols]`, `df.loc[m]` → `df`).
    fn subscripted(&self, subscript: Node<'t>, segs: &mut Vec<&'t str>) -> Made {
        let k = self.k;
        let Some(mut object) = subscript.child_by_field_id(k.f_value) else {
            return Made::Nothing;
        };
        if object.kind_id() == k.attribute
            && object
                .child_by_field_id(k.f_attribute)
                .is_some_and(|a| matches!(self.text(a), "loc" | "iloc"))
            && let Some(inner) = object.child_by_field_id(k.f_object)
        {
            object = inner;
        }
        if path(self.src, k, object, segs) == Some(Shape::Dotted) {
            Made::Subscript(join(segs))
        } else {
            Made::Nothing
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
            self.lineage
                .unsettled
                .frames
                .push((function, name.to_owned()));
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
            self.lineage
                .unsettled
                .frames
                .push((function, name.to_owned()));
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
        let skip =
            !pure || segs.first().is_some_and(|r| rules.is_root(r)) || segs.as_slice() == ["self"];
        let root = segs.first().copied().unwrap_or("");
        let name = if skip { String::new() } else { join(&segs) };
        self.lineage.segs = segs;
        if skip || rules.not_frame(&name, name.rsplit('.').next().unwrap_or("")) {
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
        let evidence = loc || (!name.contains('.') && self.frame_lambda(node, &name));
        let line = line_of(node.start_position());
        let columns = columns
            .into_iter()
            .filter(|c| column_like(c))
            .map(|column| ColumnFact {
                frame: name.clone(),
                column: column.to_owned(),
                write,
                function: function.clone(),
                line,
                cell: None,
            })
            .collect();
        self.lineage.unsettled.subscripts.push(Subscript {
            seq: self.seq,
            byte: node.start_byte(),
            function: idx.and_then(|i| u32::try_from(i).ok()),
            root: root.to_owned(),
            name,
            evidence,
            columns,
        });
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
}
