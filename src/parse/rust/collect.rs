//! The syn visitor that turns a parsed file into functions, uses and mods.
//! The counting rules are documented in the parent module.

use std::fmt::Write as _;

use proc_macro2::{Ident, Span};
use syn::visit::{self, Visit};
use syn::{
    Attribute, BinOp, Block, Expr, ExprClosure, ExprIf, ExprMatch, FnArg, ImplItemFn, ItemFn, Pat,
    ReturnType, Signature, TraitItemFn, Type, UseTree,
};

use super::{LineTable, line_of};
use crate::facts::{FileFacts, Function, FunctionKind, Problem, RustMod, RustUse};

/// Deepest expression nesting the visitor descends into; deeper parts of
/// the tree are skipped (and reported), so the visitor's own recursion is
/// bounded whatever the parser accepted.
const MAX_EXPR_DEPTH: u32 = 1024;

/// A function, method or closure being visited.
struct Frame<'ast> {
    /// Its slot in `functions`.
    index: usize,
    /// Its name, for recursion (`None` for closures).
    ident: Option<&'ast Ident>,
    /// Takes `self`: `self.name(…)` is a recursive call.
    has_self: bool,
    recursive: bool,
    cyclomatic: u32,
    cognitive: u32,
    /// Cognitive nesting level (inherited by nested functions and closures).
    level: u32,
    /// Control-structure depth within this body, and its maximum.
    depth: u32,
    max_depth: u32,
    /// Logical lines counted before the body.
    lloc_before: u32,
}

/// A naming scope: a module, type, trait, function, closure or item.
struct Scope {
    /// Length of `Collector::path` before the scope was entered.
    restore: usize,
    /// Closures numbered so far directly in this scope.
    closures: u32,
}

/// The logical operator whose operand is being visited, for Sonar's
/// "sequences of like operators".
#[derive(Clone, Copy, PartialEq, Eq)]
enum Logic {
    And,
    Or,
}

/// What a function-like definition contributes before its body is visited.
struct Definition<'ast> {
    kind: FunctionKind,
    /// The name's last part (`f`, `{closure#2}`).
    name: String,
    ident: Option<&'ast Ident>,
    has_self: bool,
    line: u32,
    end_line: u32,
    params: u32,
    annotated_params: u32,
    returns_annotated: bool,
    has_docstring: bool,
    is_async: bool,
}

pub(super) struct Collector<'ast, 'l> {
    lines: &'l LineTable,
    functions: Vec<Function>,
    uses: Vec<RustUse>,
    mods: Vec<RustMod>,
    /// Items and statements seen so far (logical lines).
    lloc: u32,
    frames: Vec<Frame<'ast>>,
    scopes: Vec<Scope>,
    /// `::`-joined name of the current scope.
    path: String,
    /// `::`-joined inline modules around the current item.
    mod_scope: String,
    logic_parent: Option<Logic>,
    expr_depth: u32,
    /// Line of the function where `MAX_EXPR_DEPTH` cut the walk.
    truncated: Option<u32>,
}

impl<'ast, 'l> Collector<'ast, 'l> {
    pub(super) fn new(lines: &'l LineTable) -> Self {
        Collector {
            lines,
            functions: Vec::new(),
            uses: Vec::new(),
            mods: Vec::new(),
            lloc: 0,
            frames: Vec::new(),
            scopes: vec![Scope {
                restore: 0,
                closures: 0,
            }],
            path: String::new(),
            mod_scope: String::new(),
            logic_parent: None,
            expr_depth: 0,
            truncated: None,
        }
    }

    /// Moves the results into `facts`.
    pub(super) fn finish(self, facts: &mut FileFacts) {
        facts.lines.lloc = self.lloc;
        facts.metrics.cyclomatic_total = self.functions.iter().map(|f| f.cyclomatic).sum();
        if let Some(line) = self.truncated {
            let message = format!(
                "expressions nested deeper than {MAX_EXPR_DEPTH}: the inner part was not analysed"
            );
            facts.problems.push(Problem::new(line, message));
        }
        facts.functions = self.functions;
        facts.uses = self.uses;
        facts.mods = self.mods;
    }

    /// Enters a naming scope called `name` (appended to the current path).
    fn push_scope(&mut self, name: impl std::fmt::Display) {
        let restore = self.path.len();
        if !self.path.is_empty() {
            self.path.push_str("::");
        }
        let _ = write!(self.path, "{name}");
        self.scopes.push(Scope {
            restore,
            closures: 0,
        });
    }

    fn pop_scope(&mut self) {
        if let Some(scope) = self.scopes.pop() {
            self.path.truncate(scope.restore);
        }
    }

    fn scoped(&mut self, name: impl std::fmt::Display, f: impl FnOnce(&mut Self)) {
        self.push_scope(name);
        f(self);
        self.pop_scope();
    }

    /// Records a function-like definition and visits its body with `body`.
    fn function(&mut self, def: Definition<'ast>, body: impl FnOnce(&mut Self)) {
        self.push_scope(&def.name);
        let index = self.functions.len();
        let kind = match def.kind {
            FunctionKind::Function if !self.frames.is_empty() => FunctionKind::Nested,
            kind => kind,
        };
        self.functions.push(Function {
            name: self.path.clone(),
            kind,
            line: def.line,
            end_line: def.end_line,
            cell: None,
            cyclomatic: 1,
            cognitive: 0,
            nesting: 0,
            lines: self.lines.span(def.line, def.end_line),
            params: def.params,
            annotated_params: def.annotated_params,
            returns_annotated: def.returns_annotated,
            has_docstring: def.has_docstring,
            is_async: def.is_async,
        });
        let level = self.frames.last().map_or(0, |f| f.level + 1);
        self.frames.push(Frame {
            index,
            ident: def.ident,
            has_self: def.has_self,
            recursive: false,
            cyclomatic: 1,
            cognitive: 0,
            level,
            depth: 0,
            max_depth: 0,
            lloc_before: self.lloc,
        });
        let logic_parent = self.logic_parent.take();
        body(self);
        self.logic_parent = logic_parent;
        if let Some(frame) = self.frames.pop() {
            let f = &mut self.functions[frame.index];
            f.cyclomatic = frame.cyclomatic;
            f.cognitive = frame.cognitive + u32::from(frame.recursive);
            f.nesting = frame.max_depth;
            f.lines.lloc = 1 + self.lloc - frame.lloc_before;
        }
        self.pop_scope();
    }

    fn fn_like(
        &mut self,
        kind: FunctionKind,
        attrs: &[Attribute],
        sig: &'ast Signature,
        block: &'ast Block,
    ) {
        let params = sig
            .inputs
            .iter()
            .filter(|a| matches!(a, FnArg::Typed(_)))
            .count();
        let params = u32::try_from(params).unwrap_or(u32::MAX);
        let def = Definition {
            kind,
            name: sig.ident.to_string(),
            ident: Some(&sig.ident),
            has_self: sig.receiver().is_some(),
            line: line_of(sig.fn_token.span),
            end_line: line_of(block.brace_token.span.close()),
            params,
            annotated_params: params,
            returns_annotated: matches!(sig.output, ReturnType::Type(..)),
            has_docstring: has_doc(attrs),
            is_async: sig.asyncness.is_some(),
        };
        self.function(def, |s| s.visit_block(block));
    }

    fn closure(&mut self, c: &'ast ExprClosure) {
        let number = self.scopes.last_mut().map_or(1, |s| {
            s.closures += 1;
            s.closures
        });
        let line = line_of(c.inputs_begin.span);
        let params = u32::try_from(c.inputs.len()).unwrap_or(u32::MAX);
        let annotated = c
            .inputs
            .iter()
            .filter(|p| matches!(p, Pat::Type(_)))
            .count();
        let def = Definition {
            kind: FunctionKind::Closure,
            name: format!("{{closure#{number}}}"),
            ident: None,
            has_self: false,
            line,
            end_line: end_line(&c.body).unwrap_or(line),
            params,
            annotated_params: u32::try_from(annotated).unwrap_or(u32::MAX),
            returns_annotated: matches!(c.output, ReturnType::Type(..)),
            has_docstring: has_doc(&c.attrs),
            is_async: c.asyncness.is_some(),
        };
        self.function(def, |s| s.visit_expr(&c.body));
    }

    fn frame(&mut self) -> Option<&mut Frame<'ast>> {
        self.frames.last_mut()
    }

    /// Adds to the cyclomatic complexity of the current function.
    fn branch(&mut self, n: u32) {
        if let Some(f) = self.frame() {
            f.cyclomatic += n;
        }
    }

    /// A flat cognitive increment (`else`, a sequence of `&&`, a jump).
    fn flat(&mut self) {
        if let Some(f) = self.frame() {
            f.cognitive += 1;
        }
    }

    /// A control structure: +1 cyclomatic, +1 plus nesting cognitive.
    fn structure(&mut self) {
        self.branch(1);
        self.nesting_increment();
    }

    /// Sonar's structural increment: +1 plus the nesting level.
    fn nesting_increment(&mut self) {
        if let Some(f) = self.frame() {
            f.cognitive += 1 + f.level;
        }
    }

    /// Visits the body of a control structure one level deeper.
    fn nested(&mut self, body: impl FnOnce(&mut Self)) {
        if let Some(f) = self.frame() {
            f.level += 1;
            f.depth += 1;
            f.max_depth = f.max_depth.max(f.depth);
        }
        body(self);
        if let Some(f) = self.frame() {
            f.level -= 1;
            f.depth -= 1;
        }
    }

    /// `if`, its `else if` ladder (walked iteratively) and its `else`.
    fn if_chain(&mut self, first: &'ast ExprIf) {
        self.structure();
        let mut current = first;
        loop {
            self.visit_expr(&current.cond);
            self.nested(|s| s.visit_block(&current.then_branch));
            let Some((_, otherwise)) = &current.else_branch else {
                break;
            };
            self.flat();
            match &**otherwise {
                Expr::If(next) => {
                    self.branch(1);
                    current = next;
                }
                other => {
                    self.nested(|s| s.visit_expr(other));
                    break;
                }
            }
        }
    }

    fn match_expr(&mut self, m: &'ast ExprMatch) {
        let arms = u32::try_from(m.arms.len()).unwrap_or(u32::MAX);
        let guards = m
            .arms
            .iter()
            .filter(|a| matches!(a.pat, Pat::Guard(_)))
            .count();
        self.nesting_increment();
        self.branch(arms.saturating_sub(1) + u32::try_from(guards).unwrap_or(u32::MAX));
        self.visit_expr(&m.expr);
        self.nested(|s| {
            for arm in &m.arms {
                if let Pat::Guard(g) = &arm.pat {
                    s.visit_expr(&g.guard);
                }
                s.visit_expr(&arm.body);
            }
        });
    }

    /// Whether a call to `path` is a call of the current function by name
    /// (`f(…)` or `Self::f(…)`).
    fn is_self_call(&self, func: &Expr) -> bool {
        let (Expr::Path(p), Some(frame)) = (func, self.frames.last()) else {
            return false;
        };
        let Some(ident) = frame.ident else {
            return false;
        };
        let segments = &p.path.segments;
        match segments.len() {
            1 => segments[0].ident == *ident,
            2 => segments[0].ident == "Self" && segments[1].ident == *ident,
            _ => false,
        }
    }

    fn is_self_method_call(&self, receiver: &Expr, method: &Ident) -> bool {
        let Some(frame) = self.frames.last() else {
            return false;
        };
        frame.has_self
            && frame.ident == Some(method)
            && matches!(receiver, Expr::Path(p) if p.path.is_ident("self"))
    }

    fn mark_recursive(&mut self) {
        if let Some(f) = self.frame() {
            f.recursive = true;
        }
    }

    fn use_tree(&mut self, tree: &'ast UseTree, prefix: &mut String, line: u32) {
        let restore = prefix.len();
        let join = |prefix: &mut String, part: &dyn std::fmt::Display| {
            if !prefix.is_empty() && !prefix.ends_with("::") {
                prefix.push_str("::");
            }
            let _ = write!(prefix, "{part}");
        };
        match tree {
            UseTree::Path(p) => {
                join(prefix, &p.ident);
                self.use_tree(&p.tree, prefix, line);
            }
            UseTree::Name(n) => {
                if n.ident != "self" || prefix.is_empty() {
                    join(prefix, &n.ident);
                }
                self.push_use(prefix, line);
            }
            UseTree::Rename(r) => {
                if r.ident != "self" || prefix.is_empty() {
                    join(prefix, &r.ident);
                }
                self.push_use(prefix, line);
            }
            UseTree::Glob(_) => {
                join(prefix, &"*");
                self.push_use(prefix, line);
            }
            UseTree::Group(g) => {
                for tree in &g.items {
                    self.use_tree(tree, prefix, line);
                }
            }
        }
        prefix.truncate(restore);
    }

    fn push_use(&mut self, path: &str, line: u32) {
        self.uses.push(RustUse {
            path: path.trim_end_matches("::").to_string(),
            line,
            scope: self.mod_scope.clone(),
        });
    }
}

/// A `///` comment or `#[doc = …]` (not `#[doc(hidden)]`).
fn has_doc(attrs: &[Attribute]) -> bool {
    attrs
        .iter()
        .any(|a| matches!(&a.meta, syn::Meta::NameValue(m) if m.path.is_ident("doc")))
}

/// Last line of an expression, found by walking down its right edge to a
/// token with a span. `None` when the edge ends in an unspanned node.
fn end_line(mut e: &Expr) -> Option<u32> {
    let span: Span = loop {
        e = match e {
            Expr::Array(a) => break a.bracket_token.span.close(),
            Expr::Assign(a) => &a.right,
            Expr::Async(a) => break a.block.brace_token.span.close(),
            Expr::Await(a) => break a.await_token.span,
            Expr::Binary(b) => &b.right,
            Expr::Block(b) => break b.block.brace_token.span.close(),
            Expr::Break(b) => match &b.expr {
                Some(x) => x,
                None => break b.break_token.span,
            },
            Expr::Call(c) => break c.paren_token.span.close(),
            Expr::Cast(c) => break c.as_token.span,
            Expr::Closure(c) => &c.body,
            Expr::Const(c) => break c.block.brace_token.span.close(),
            Expr::Continue(c) => break c.continue_token.span,
            Expr::Field(f) => &f.base,
            Expr::ForLoop(f) => break f.body.brace_token.span.close(),
            Expr::Group(g) => &g.expr,
            Expr::If(i) => match &i.else_branch {
                Some((_, x)) => x,
                None => break i.then_branch.brace_token.span.close(),
            },
            Expr::Index(i) => break i.bracket_token.span.close(),
            Expr::Let(l) => &l.expr,
            Expr::Lit(l) => break l.lit.span(),
            Expr::Loop(l) => break l.body.brace_token.span.close(),
            Expr::Macro(m) => break m.mac.delimiter.span().close(),
            Expr::Match(m) => break m.brace_token.span.close(),
            Expr::MethodCall(m) => break m.paren_token.span.close(),
            Expr::Paren(p) => break p.paren_token.span.close(),
            Expr::Path(p) => break p.path.segments.last()?.ident.span(),
            Expr::Range(r) => match &r.end {
                Some(x) => x,
                None => match &r.limits {
                    syn::RangeLimits::HalfOpen(t) => break t.spans[0],
                    syn::RangeLimits::Closed(t) => break t.spans[0],
                },
            },
            Expr::Reference(r) => &r.expr,
            Expr::Return(r) => match &r.expr {
                Some(x) => x,
                None => break r.return_token.span,
            },
            Expr::Struct(s) => break s.brace_token.span.close(),
            Expr::Try(t) => break t.question_token.span,
            Expr::TryBlock(t) => break t.block.brace_token.span.close(),
            Expr::Tuple(t) => break t.paren_token.span.close(),
            Expr::Unary(u) => &u.expr,
            Expr::Unsafe(u) => break u.block.brace_token.span.close(),
            Expr::While(w) => break w.body.brace_token.span.close(),
            _ => return None,
        };
    };
    Some(line_of_end(span))
}

fn line_of_end(span: Span) -> u32 {
    u32::try_from(span.end().line).unwrap_or(u32::MAX)
}

/// Short name of an `impl`'s self type: the last path segment (`Foo` for
/// `&mut crate::a::Foo<T>`), `[T]` for slices, `dyn Trait`, else `_`.
fn type_name(ty: &Type, out: &mut String, budget: u32) {
    if budget == 0 {
        out.push('_');
        return;
    }
    match ty {
        Type::Path(p) => match p.path.segments.last() {
            Some(s) => {
                let _ = write!(out, "{}", s.ident);
            }
            None => out.push('_'),
        },
        Type::Reference(r) => type_name(&r.elem, out, budget - 1),
        Type::Ptr(p) => type_name(&p.elem, out, budget - 1),
        Type::Paren(p) => type_name(&p.elem, out, budget - 1),
        Type::Group(g) => type_name(&g.elem, out, budget - 1),
        Type::Slice(s) => {
            out.push('[');
            type_name(&s.elem, out, budget - 1);
            out.push(']');
        }
        Type::Array(a) => {
            out.push('[');
            type_name(&a.elem, out, budget - 1);
            out.push(']');
        }
        Type::Tuple(t) => {
            out.push('(');
            for (i, elem) in t.elems.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                type_name(elem, out, budget - 1);
            }
            out.push(')');
        }
        Type::TraitObject(t) => {
            out.push_str("dyn ");
            match t.bounds.iter().find_map(|b| match b {
                syn::TypeParamBound::Trait(t) => t.path.segments.last(),
                _ => None,
            }) {
                Some(s) => {
                    let _ = write!(out, "{}", s.ident);
                }
                None => out.push('_'),
            }
        }
        _ => out.push('_'),
    }
}

impl<'ast> Visit<'ast> for Collector<'ast, '_> {
    fn visit_item(&mut self, i: &'ast syn::Item) {
        self.lloc += 1;
        visit::visit_item(self, i);
    }

    fn visit_impl_item(&mut self, i: &'ast syn::ImplItem) {
        self.lloc += 1;
        visit::visit_impl_item(self, i);
    }

    fn visit_trait_item(&mut self, i: &'ast syn::TraitItem) {
        self.lloc += 1;
        visit::visit_trait_item(self, i);
    }

    fn visit_stmt(&mut self, s: &'ast syn::Stmt) {
        if !matches!(s, syn::Stmt::Item(_)) {
            self.lloc += 1;
        }
        visit::visit_stmt(self, s);
    }

    fn visit_item_fn(&mut self, i: &'ast ItemFn) {
        self.fn_like(FunctionKind::Function, &i.attrs, &i.sig, &i.block);
    }

    fn visit_impl_item_fn(&mut self, i: &'ast ImplItemFn) {
        self.fn_like(FunctionKind::Method, &i.attrs, &i.sig, &i.block);
    }

    fn visit_trait_item_fn(&mut self, i: &'ast TraitItemFn) {
        if let Some(block) = &i.default {
            self.fn_like(FunctionKind::Method, &i.attrs, &i.sig, block);
        }
    }

    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        let mut name = String::new();
        type_name(&i.self_ty, &mut name, 8);
        self.scoped(name, |s| {
            for item in &i.items {
                s.visit_impl_item(item);
            }
        });
    }

    fn visit_item_trait(&mut self, i: &'ast syn::ItemTrait) {
        self.scoped(&i.ident, |s| {
            for item in &i.items {
                s.visit_trait_item(item);
            }
        });
    }

    fn visit_item_mod(&mut self, i: &'ast syn::ItemMod) {
        self.mods.push(RustMod {
            name: i.ident.to_string(),
            line: line_of(i.mod_token.span),
            inline: i.content.is_some(),
            scope: self.mod_scope.clone(),
        });
        if let Some((_, items)) = &i.content {
            let restore = self.mod_scope.len();
            if restore > 0 {
                self.mod_scope.push_str("::");
            }
            self.mod_scope.push_str(&i.ident.to_string());
            self.scoped(&i.ident, |s| {
                for item in items {
                    s.visit_item(item);
                }
            });
            self.mod_scope.truncate(restore);
        }
    }

    fn visit_item_const(&mut self, i: &'ast syn::ItemConst) {
        self.scoped(&i.ident, |s| s.visit_expr(&i.expr));
    }

    fn visit_item_static(&mut self, i: &'ast syn::ItemStatic) {
        self.scoped(&i.ident, |s| s.visit_expr(&i.expr));
    }

    fn visit_item_use(&mut self, i: &'ast syn::ItemUse) {
        let mut prefix = String::new();
        if i.leading_colon.is_some() {
            prefix.push_str("::");
        }
        self.use_tree(&i.tree, &mut prefix, line_of(i.use_token.span));
    }

    fn visit_local(&mut self, l: &'ast syn::Local) {
        let Some(init) = &l.init else { return };
        self.visit_expr(&init.expr);
        if let Some((_, diverge)) = &init.diverge {
            self.structure();
            self.nested(|s| s.visit_expr(diverge));
        }
    }

    fn visit_expr(&mut self, e: &'ast Expr) {
        let logic_parent = self.logic_parent.take();
        if self.expr_depth >= MAX_EXPR_DEPTH {
            let line = self
                .frames
                .last()
                .map_or(0, |f| self.functions[f.index].line);
            self.truncated.get_or_insert(line);
            return;
        }
        self.expr_depth += 1;
        match e {
            Expr::If(i) => self.if_chain(i),
            Expr::Match(m) => self.match_expr(m),
            Expr::ForLoop(f) => {
                self.structure();
                self.visit_expr(&f.expr);
                self.nested(|s| s.visit_block(&f.body));
            }
            Expr::While(w) => {
                self.structure();
                self.visit_expr(&w.cond);
                self.nested(|s| s.visit_block(&w.body));
            }
            Expr::Loop(l) => {
                self.structure();
                self.nested(|s| s.visit_block(&l.body));
            }
            Expr::Binary(b) if matches!(b.op, BinOp::And(_) | BinOp::Or(_)) => {
                let op = if matches!(b.op, BinOp::And(_)) {
                    Logic::And
                } else {
                    Logic::Or
                };
                self.branch(1);
                if logic_parent != Some(op) {
                    self.flat();
                }
                self.logic_parent = Some(op);
                self.visit_expr(&b.left);
                self.logic_parent = Some(op);
                self.visit_expr(&b.right);
            }
            Expr::Paren(p) => {
                // Parentheses do not break a sequence of like operators.
                self.logic_parent = logic_parent;
                self.visit_expr(&p.expr);
            }
            Expr::Try(t) => {
                self.branch(1);
                self.visit_expr(&t.expr);
            }
            Expr::Break(b) => {
                if b.label.is_some() {
                    self.flat();
                }
                if let Some(x) = &b.expr {
                    self.visit_expr(x);
                }
            }
            Expr::Continue(c) => {
                if c.label.is_some() {
                    self.flat();
                }
            }
            Expr::Call(c) => {
                if self.is_self_call(&c.func) {
                    self.mark_recursive();
                }
                visit::visit_expr_call(self, c);
            }
            Expr::MethodCall(m) => {
                if self.is_self_method_call(&m.receiver, &m.method) {
                    self.mark_recursive();
                }
                visit::visit_expr_method_call(self, m);
            }
            Expr::Closure(c) => self.closure(c),
            _ => visit::visit_expr(self, e),
        }
        self.expr_depth -= 1;
    }

    // Types, patterns, attributes, generics and macro bodies hold no
    // decisions worth their cost.
    fn visit_type(&mut self, _: &'ast Type) {}
    fn visit_pat(&mut self, _: &'ast Pat) {}
    fn visit_attribute(&mut self, _: &'ast Attribute) {}
    fn visit_generics(&mut self, _: &'ast syn::Generics) {}
    fn visit_macro(&mut self, _: &'ast syn::Macro) {}
}
