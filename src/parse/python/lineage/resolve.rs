//! The end of a chunk's walk: its calls and decorators resolved through
//! the file's alias table, read through a [`Lookup`] that remembers every
//! name it was asked for.

use foldhash::HashMap;
use std::cell::RefCell;

use tree_sitter::Node;

use super::rules::{Hit, Rules, column_like};
use super::{Aliases, CallSite, MAX_CHAIN, MAX_DEPTH, MAX_ITEMS, MAX_VALUES, Shape, children};
use super::{join, path};
use crate::facts::{CallArgs, CallFact, ColumnFact, DecoratorFact, Value};
use crate::graph::category;
use crate::parse::python::dynamic::shorten;
use crate::parse::python::{Walker, line_of};

/// The names a chunk's facts resolved through the file's imports, each
/// with the answer it got, sorted by name: the facts hold wherever the
/// same names resolve the same way.
pub(in crate::parse::python) type Reads = Vec<(String, Option<String>)>;

/// A file's alias table as one chunk reads it.
pub(in crate::parse::python) struct Lookup<'a> {
    table: &'a Aliases,
    reads: RefCell<HashMap<String, Option<String>>>,
}

impl<'a> Lookup<'a> {
    pub(in crate::parse::python) fn new(table: &'a Aliases) -> Self {
        Lookup {
            table,
            reads: RefCell::default(),
        }
    }

    fn get(&self, name: &str) -> Option<&'a str> {
        let answer = self.table.get(name);
        let mut reads = self.reads.borrow_mut();
        if !reads.contains_key(name) {
            reads.insert(name.to_owned(), answer.map(str::to_owned));
        }
        answer
    }

    pub(in crate::parse::python) fn into_reads(self) -> Reads {
        let mut reads: Reads = self.reads.into_inner().into_iter().collect();
        reads.sort_unstable();
        reads
    }
}

/// Whether `table` answers every read as it was answered.
pub(in crate::parse::python) fn still_holds(reads: &Reads, table: &Aliases) -> bool {
    reads
        .iter()
        .all(|(name, answer)| table.get(name) == answer.as_deref())
}

/// A name resolved through `aliases`: `pd.DataFrame` → `pandas.DataFrame`.
pub(super) fn resolved(segs: &[&str], alias: impl Fn(&str) -> Option<String>) -> String {
    match segs.split_first() {
        Some((root, rest)) => match alias(root) {
            Some(target) if rest.is_empty() => target,
            Some(target) => format!("{target}.{}", join(rest)),
            None => join(segs),
        },
        None => String::new(),
    }
}

/// The ML, data or feature framework a callee as written is imported from
/// (`torch` for `torch.tensor`, `pandas` for `pd.read_csv(p).head`).
fn framework_of<'a>(text: &str, aliases: &Lookup<'a>) -> Option<&'a str> {
    let root = text
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .next()
        .unwrap_or("");
    aliases
        .get(root)
        .and_then(|target| target.split('.').next())
        .filter(|top| category(top).is_framework())
}

impl<'t> Walker<'t> {
    /// Resolves the kept calls and decorators: call and decorator facts,
    /// the calls' column facts and the frames their receivers show.
    pub(in crate::parse::python) fn resolve_lineage(&mut self, aliases: &Lookup) {
        let rules = Rules::get();
        let sites = std::mem::take(&mut self.lineage.calls);
        let mut frameworks: Vec<(&str, u32)> = Vec::new();
        for site in &sites {
            if let Some(top) = framework_of(site.text, aliases) {
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
            if !rules.may_match(site.text, |name| aliases.get(name)) {
                continue;
            }
            let Some(callee) = site.call.child_by_field_id(self.k.f_function) else {
                continue;
            };
            let Some(shape) = path(self.src, self.k, callee, &mut segs) else {
                continue;
            };
            let dotted = shape == Shape::Dotted;
            let alias = segs.first().and_then(|r| aliases.get(r));
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
                Some(Hit::Call) => self.call_fact(&site, receiver, &segs, aliases),
                Some(Hit::Column) => self.column_call(&site, aliases),
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
                self.call_args(expr, 0, &mut budget, aliases)
            } else {
                CallArgs {
                    callee: self.callee_name(expr, aliases),
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
            let function = site.function.filter(|_| !receiver.contains('.'));
            self.lineage
                .unsettled
                .frames
                .push((function, receiver.to_owned()));
        }
    }

    /// The resolved callee path, or the callee as written.
    fn callee_name(&self, callee: Node<'t>, aliases: &Lookup) -> String {
        let mut segs = Vec::new();
        match path(self.src, self.k, callee, &mut segs) {
            Some(_) => resolved(&segs, |root| aliases.get(root).map(str::to_owned)),
            None => shorten(self.text(callee)),
        }
    }

    fn value(&self, node: Node<'t>, depth: u32, budget: &mut u32, aliases: &Lookup) -> Value {
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
                return Value::Name(resolved(&segs, |root| aliases.get(root).map(str::to_owned)));
            }
        }
        let nested = depth < MAX_DEPTH;
        if id == k.list || id == k.tuple || id == k.set {
            if !nested {
                return Value::Opaque("depth".to_owned());
            }
            let items = children(k, node, MAX_ITEMS)
                .map(|c| self.value(c, depth + 1, budget, aliases))
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
                        self.value(key, depth + 1, budget, aliases),
                        self.value(value, depth + 1, budget, aliases),
                    ))
                })
                .collect();
            return Value::Dict(pairs);
        }
        if id == k.call {
            if !nested {
                return Value::Opaque("depth".to_owned());
            }
            return Value::Call(Box::new(self.call_args(node, depth + 1, budget, aliases)));
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

    fn call_args(
        &self,
        call: Node<'t>,
        depth: u32,
        budget: &mut u32,
        aliases: &Lookup,
    ) -> CallArgs {
        let k = self.k;
        let callee = call
            .child_by_field_id(k.f_function)
            .map(|c| self.callee_name(c, aliases))
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
                        self.value(v, depth, budget, aliases)
                    });
                out.kwargs.push((name.to_owned(), value));
            } else if id == k.dictionary_splat {
                let value = a
                    .named_child(0)
                    .map_or(Value::Opaque("splat".to_owned()), |v| {
                        self.value(v, depth, budget, aliases)
                    });
                out.kwargs.push(("**".to_owned(), value));
            } else if id == k.list_splat {
                out.args.push(Value::Opaque("splat".to_owned()));
            } else {
                out.args.push(self.value(a, depth, budget, aliases));
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

    fn site_function(&self, site: &CallSite<'t>) -> Option<String> {
        self.function_name(site.function.and_then(|i| usize::try_from(i).ok()))
    }

    fn call_fact(
        &mut self,
        site: &CallSite<'t>,
        receiver: Option<String>,
        segs: &[&str],
        aliases: &Lookup,
    ) {
        let mut budget = MAX_VALUES;
        let call = self.call_args(site.call, 0, &mut budget, aliases);
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
                let (frame, column) = (frame.to_owned(), column.to_owned());
                self.column_at(site, frame, column, true, (function.clone(), line));
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
    fn column_call(&mut self, site: &CallSite<'t>, aliases: &Lookup) {
        let mut budget = MAX_VALUES;
        let call = self.call_args(site.call, 0, &mut budget, aliases);
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
            self.column_at(site, String::new(), column, false, (function.clone(), line));
        }
    }

    /// A column of `frame` read or written at a call `site`, in a function
    /// (if any) at a line; settled with the file (`settle.rs`).
    fn column_at(
        &mut self,
        site: &CallSite<'t>,
        frame: String,
        column: String,
        write: bool,
        (function, line): (Option<String>, u32),
    ) {
        let fact = ColumnFact {
            frame,
            column,
            write,
            function,
            line,
            cell: None,
        };
        self.lineage
            .unsettled
            .columns
            .push((site.call.start_byte(), fact));
    }
}
