//! Function and class scopes: qualified names, signatures, docstrings and
//! end lines when a def or class is entered; the final metrics, and what
//! the enclosing function and the module total inherit, when it is left.

use std::ops::Range;

use tree_sitter::Node;

use super::kinds::K;
use super::{Entry, SCOPE, Walker, line_of};
use crate::facts::{CcRules, Class, Function, FunctionKind, Lines};

/// The kind of an open scope (the module is the empty scope stack).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Scope {
    Function,
    Class,
}

/// Where a function's radon complexity goes in the module total.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum TotalSlot {
    Module,
    TopClass,
    None,
}

/// An open function.
pub(super) struct FnFrame {
    /// Index in `facts.functions`.
    pub(super) idx: usize,
    pub(super) radon: u32,
    pub(super) mccabe: u32,
    pub(super) cognitive: u32,
    /// Cognitive increments that carry a nesting charge (see `close_function`).
    pub(super) nesting_increments: u32,
    /// Cognitive nesting level of the body.
    pub(super) base_nest: u32,
    pub(super) base_depth: u32,
    pub(super) max_depth: u32,
    /// Byte range of the function's name, for the recursion check.
    pub(super) name: Range<usize>,
    pub(super) method: bool,
    pub(super) recursive: bool,
    /// Start byte of the def statement if this function is a plain wrapper
    /// (its body is that def plus `return name`): the decorator exception.
    pub(super) wrapped_def: Option<usize>,
    pub(super) total_slot: TotalSlot,
    /// `in_try` outside the function: a try around a def does not guard
    /// the imports its body runs later.
    pub(super) saved_in_try: u32,
}

/// An open class.
pub(super) struct ClassFrame {
    pub(super) idx: usize,
    /// radon decisions in the class body outside methods.
    pub(super) decisions: u32,
    /// Sum of the radon complexity of its methods.
    pub(super) methods: u32,
    pub(super) top_level: bool,
}

/// The counts of a cut function's body statement, walked inside the
/// function's `def` line (`assemble.rs` adds them up).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct BodyCounts {
    pub radon: u32,
    pub mccabe: u32,
    /// Cognitive complexity without the recursion increment.
    pub cognitive: u32,
    pub recursive: bool,
    pub max_depth: u32,
}

/// What a def or class body holds, from one pass over its statements.
#[derive(Default)]
struct BodyInfo {
    has_docstring: bool,
    end_line: u32,
    /// Start byte of the only def statement when the other statements are
    /// all `return name`.
    wrapped_def: Option<usize>,
}

/// Declared parameters and how many are annotated.
#[derive(Default)]
struct Signature {
    params: u32,
    annotated: u32,
}

impl<'t> Walker<'t> {
    /// `prefix.name` where the prefix is the enclosing function or class.
    fn qualify(&self, name: &str) -> String {
        let prefix = match self.scopes.last() {
            Some(Scope::Function) => self
                .fns
                .last()
                .and_then(|f| self.facts.functions.get(f.idx))
                .map(|f| f.name.as_str()),
            Some(Scope::Class) => self
                .classes
                .last()
                .and_then(|c| self.facts.classes.get(c.idx))
                .map(|c| c.name.as_str()),
            None => None,
        };
        match prefix {
            Some(p) => format!("{p}.{name}"),
            None => name.to_owned(),
        }
    }

    /// The decorators of `node` if it is the definition of the last
    /// `decorated_definition` entered.
    pub(super) fn decorators_of(&self, node: Node<'t>) -> Option<Node<'t>> {
        self.decorated
            .filter(|d| self.parent_kind() == K::Decorated && d.end_byte() == node.end_byte())
    }

    pub(super) fn open_function(&mut self, node: Node<'t>, e: &mut Entry) {
        let k = self.k;
        let name = node
            .child_by_field_id(k.f_name)
            .map_or(0..0, |n| n.byte_range());
        let in_class = self.scopes.last() == Some(&Scope::Class);
        let in_function = self.scopes.last() == Some(&Scope::Function);
        let decorated = self.decorators_of(node);
        let is_static = decorated.is_some_and(|d| self.has_decorator(d, "staticmethod"));
        let signature = self.signature(node, in_class && !is_static);
        let mut body = self.body_info(node);
        if self.cut_body && self.fns.is_empty() {
            // The cut function is no plain wrapper (its cut checked).
            body.wrapped_def = None;
        }
        let statement_start = decorated.unwrap_or(node).start_byte();
        let wrapped = in_function
            && self
                .fns
                .last()
                .is_some_and(|p| p.wrapped_def == Some(statement_start));
        let total_slot = match self.scopes.last() {
            None => TotalSlot::Module,
            Some(Scope::Class) if self.classes.last().is_some_and(|c| c.top_level) => {
                TotalSlot::TopClass
            }
            _ => TotalSlot::None,
        };
        let function = Function {
            name: self.qualify(self.src.get(name.clone()).unwrap_or("")),
            kind: if in_class {
                FunctionKind::Method
            } else if in_function {
                FunctionKind::Nested
            } else {
                FunctionKind::Function
            },
            line: line_of(node.start_position()),
            end_line: body.end_line,
            cell: None,
            cyclomatic: 1,
            cognitive: 0,
            nesting: 0,
            lines: Lines::default(),
            params: signature.params,
            annotated_params: signature.annotated,
            returns_annotated: node.child_by_field_id(k.f_return_type).is_some(),
            has_docstring: body.has_docstring,
            is_async: node.child(0).is_some_and(|c| c.kind_id() == k.async_kw),
        };
        // The body is one level deeper, except in a plain wrapper.
        if !wrapped {
            self.raise_nest(e);
        }
        self.fns.push(FnFrame {
            idx: self.facts.functions.len(),
            radon: 1,
            mccabe: 1,
            cognitive: 0,
            nesting_increments: 0,
            base_nest: self.nest,
            base_depth: self.depth,
            max_depth: 0,
            name,
            method: in_class,
            recursive: false,
            wrapped_def: body.wrapped_def,
            total_slot,
            saved_in_try: self.in_try,
        });
        self.facts.functions.push(function);
        self.scopes.push(Scope::Function);
        self.in_try = 0;
        e.undo |= SCOPE;
    }

    pub(super) fn close_function(&mut self) {
        self.scopes.pop();
        let Some(f) = self.fns.pop() else {
            return;
        };
        self.in_try = f.saved_in_try;
        let cognitive = f.cognitive.saturating_add(u32::from(f.recursive));
        if let Some(out) = self.facts.functions.get_mut(f.idx) {
            out.cyclomatic = match self.rules {
                CcRules::Radon => f.radon,
                CcRules::Mccabe => f.mccabe,
            };
            out.cognitive = cognitive;
            out.nesting = f.max_depth;
        }
        if self.cut_body && self.fns.is_empty() {
            // The cut function's own: its total adds up over its statements.
            self.body_counts = Some(BodyCounts {
                radon: f.radon,
                mccabe: f.mccabe,
                cognitive: f.cognitive,
                recursive: f.recursive,
                max_depth: f.max_depth,
            });
            self.blocks_total += f.radon - 1;
            return;
        }
        match f.total_slot {
            TotalSlot::Module => self.blocks_total += f.radon - 1,
            TotalSlot::TopClass => {
                if let Some(c) = self.classes.last_mut() {
                    c.methods += f.radon;
                }
            }
            TotalSlot::None => {}
        }
        // A nested function also counts in its parent (mccabe, cognitive).
        // Its increments were charged relative to its own body; the parent
        // pays the extra levels between the two bodies.
        if let Some(p) = self.fns.last_mut() {
            p.mccabe += f.mccabe;
            let extra = f.base_nest.saturating_sub(p.base_nest);
            // Quadratic in the nesting depth: saturate on hostile input.
            let charge = f.nesting_increments.saturating_mul(extra);
            p.cognitive = p.cognitive.saturating_add(cognitive.saturating_add(charge));
            p.nesting_increments += f.nesting_increments;
        }
    }

    pub(super) fn open_class(&mut self, node: Node<'t>, e: &mut Entry) {
        let k = self.k;
        let name = node
            .child_by_field_id(k.f_name)
            .map_or("", |n| self.text(n));
        let bases = node
            .child_by_field_id(k.f_superclasses)
            .map(|list| self.bases(list))
            .unwrap_or_default();
        let body = self.body_info(node);
        let class = Class {
            name: self.qualify(name),
            line: line_of(node.start_position()),
            end_line: body.end_line,
            cell: None,
            bases,
            has_docstring: body.has_docstring,
        };
        self.classes.push(ClassFrame {
            idx: self.facts.classes.len(),
            decisions: 0,
            methods: 0,
            top_level: self.scopes.is_empty(),
        });
        self.facts.classes.push(class);
        self.scopes.push(Scope::Class);
        e.undo |= SCOPE;
    }

    pub(super) fn close_class(&mut self) {
        self.scopes.pop();
        if let Some(c) = self.classes.pop()
            && c.top_level
        {
            // radon: real_complexity − 1 = class-body decisions + methods.
            self.blocks_total += c.decisions + c.methods;
        }
    }

    // ----- definitions -------------------------------------------------

    fn has_decorator(&mut self, decorated: Node<'t>, name: &str) -> bool {
        let k = self.k;
        self.scratch.reset(decorated);
        let mut found = false;
        if self.scratch.goto_first_child() {
            loop {
                let d = self.scratch.node();
                if self.k.of(d.kind_id()) == K::Decorator
                    && d.named_child(0)
                        .is_some_and(|x| x.kind_id() == k.identifier && self.text(x) == name)
                {
                    found = true;
                    break;
                }
                if !self.scratch.goto_next_sibling() {
                    break;
                }
            }
        }
        found
    }

    /// Counts declared parameters; `skip_receiver` drops a method's first
    /// (`self`/`cls`) parameter.
    fn signature(&mut self, def: Node<'t>, skip_receiver: bool) -> Signature {
        let k = self.k;
        let mut sig = Signature::default();
        let Some(params) = def.child_by_field_id(k.f_parameters) else {
            return sig;
        };
        self.scratch.reset(params);
        if !self.scratch.goto_first_child() {
            return sig;
        }
        let mut first = true;
        loop {
            let p = self.scratch.node();
            let id = p.kind_id();
            let annotated = id == k.typed_parameter || id == k.typed_default_parameter;
            let splat = id == k.list_splat_pattern
                || id == k.dictionary_splat_pattern
                || (id == k.typed_parameter
                    && p.child(0).is_some_and(|c| {
                        c.kind_id() == k.list_splat_pattern
                            || c.kind_id() == k.dictionary_splat_pattern
                    }));
            let counted = splat
                || annotated
                || id == k.identifier
                || id == k.default_parameter
                || id == k.tuple_pattern;
            if counted {
                self.lineage_param(p, self.facts.functions.len());
                let receiver = first && skip_receiver && !splat;
                first = false;
                if !receiver {
                    sig.params += 1;
                    sig.annotated += u32::from(annotated);
                }
            }
            if !self.scratch.goto_next_sibling() {
                break;
            }
        }
        sig
    }

    /// The base-class expressions of a class, keyword arguments excluded.
    fn bases(&mut self, list: Node<'t>) -> Vec<String> {
        let k = self.k;
        let mut bases = Vec::new();
        self.scratch.reset(list);
        if self.scratch.goto_first_child() {
            loop {
                let n = self.scratch.node();
                if n.is_named() && n.kind_id() != k.keyword_argument && n.kind_id() != k.comment {
                    bases.push(self.text(n).to_owned());
                }
                if !self.scratch.goto_next_sibling() {
                    break;
                }
            }
        }
        bases
    }

    /// Docstring, last line and wrapper shape of a def or class body.
    fn body_info(&mut self, def: Node<'t>) -> BodyInfo {
        let k = self.k;
        let mut info = BodyInfo {
            end_line: line_of(def.end_position()),
            ..BodyInfo::default()
        };
        let Some(body) = def.child_by_field_id(k.f_body) else {
            return info;
        };
        self.scratch.reset(body);
        if !self.scratch.goto_first_child() {
            return info;
        }
        let mut first = true;
        let mut last = None;
        let mut defs = 0;
        let mut others_are_returns = true;
        loop {
            let s = self.scratch.node();
            if s.is_named() && s.kind_id() != k.comment {
                if first {
                    info.has_docstring = self.is_docstring(s);
                    first = false;
                }
                last = Some(s);
                if self.is_function_statement(s) {
                    defs += 1;
                    info.wrapped_def = Some(s.start_byte());
                } else if !self.is_return_of_name(s) {
                    others_are_returns = false;
                }
            }
            if !self.scratch.goto_next_sibling() {
                break;
            }
        }
        if defs != 1 || !others_are_returns {
            info.wrapped_def = None;
        }
        if let Some(last) = last {
            info.end_line = self.last_code_line(last);
        }
        info
    }

    /// The line of the last token of `node` that is not a comment (a block
    /// also holds the comments that follow its last statement).
    fn last_code_line(&mut self, node: Node<'t>) -> u32 {
        self.scratch.reset(node);
        'down: while self.scratch.goto_last_child() {
            loop {
                let c = self.scratch.node();
                if c.kind_id() != self.k.comment && c.end_byte() > c.start_byte() {
                    continue 'down;
                }
                if !self.scratch.goto_previous_sibling() {
                    self.scratch.goto_parent();
                    break 'down;
                }
            }
        }
        line_of(self.scratch.node().end_position())
    }

    fn is_function_statement(&self, s: Node) -> bool {
        let k = self.k;
        s.kind_id() == k.function_definition
            || (s.kind_id() == k.decorated_definition
                && s.child_by_field_id(k.f_definition)
                    .is_some_and(|d| d.kind_id() == k.function_definition))
    }

    /// `return name` (the shape SonarSource allows next to a wrapped def).
    fn is_return_of_name(&self, s: Node) -> bool {
        let k = self.k;
        s.kind_id() == k.return_statement
            && s.named_child_count() == 1
            && s.named_child(0)
                .is_some_and(|v| v.kind_id() == k.identifier)
    }

    /// A statement that is a lone plain string literal.
    fn is_docstring(&self, s: Node) -> bool {
        let k = self.k;
        if s.kind_id() != k.expression_statement || s.named_child_count() != 1 {
            return false;
        }
        let Some(value) = s.named_child(0) else {
            return false;
        };
        let first = if value.kind_id() == k.concatenated_string {
            value.named_child(0)
        } else {
            Some(value)
        };
        first.is_some_and(|f| {
            f.kind_id() == k.string
                && f.child(0).is_some_and(|start| {
                    !self
                        .text(start)
                        .bytes()
                        .any(|b| matches!(b, b'f' | b'F' | b'b' | b'B'))
                })
        })
    }
}
