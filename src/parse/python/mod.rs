//! Python analysis with tree-sitter-python.
//!
//! One iterative walk over the syntax tree (a [`TreeCursor`], no recursion,
//! so any nesting depth is safe) fills the functions with their cyclomatic
//! complexity (`cyclomatic.rs`), cognitive complexity (`cognitive.rs`),
//! nesting depth and signature (`defs.rs`), the classes, the imports
//! (`imports.rs`), the dynamic-indirection points (`dynamic.rs`), the
//! lineage material (`lineage.rs`) and the syntax problems, plus radon's module `total_complexity`. Line counts,
//! Halstead volume and the Maintainability Index are not computed here.
//!
//! Each node entered pushes an `Entry` recording what it changed (nesting
//! level, muting, scopes); leaving the node undoes it.

mod assemble;
mod chunk;
mod cognitive;
mod cyclomatic;
mod defs;
mod dynamic;
pub mod halstead;
mod imports;
mod kinds;
mod lineage;
#[cfg(test)]
mod lineage_tests;
mod memo;
pub mod raw;
mod segment;
#[cfg(test)]
mod tests;

use tree_sitter::{Node, Parser, Point, Tree, TreeCursor};

use crate::facts::{
    AnalysisOptions, CcRules, DynamicKind, DynamicPoint, FileFacts, Language, Problem,
};
use chunk::Chunk;
use defs::{ClassFrame, FnFrame, Scope};
use dynamic::CallFinding;
use kinds::{K, Kinds};
pub use lineage::Aliases;
use lineage::{Binding, Lookup};
pub use memo::{forget, python_bytes};

/// At most this many syntax problems are listed per file.
const MAX_SYNTAX_PROBLEMS: usize = 5;

/// A parser set to tree-sitter-python.
pub fn new_parser() -> Result<Parser, String> {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .map_err(|e| format!("cannot load tree-sitter-python: {e}"))?;
    Ok(parser)
}

/// One thread's Python analysis: its parser and options. The statements
/// analysed are remembered for every thread (`memo.rs`): one met again is
/// not parsed again, and its facts are the same.
pub struct ModuleAnalyzer {
    parser: Parser,
    options: AnalysisOptions,
}

impl ModuleAnalyzer {
    pub fn new(options: AnalysisOptions) -> Result<Self, String> {
        Ok(ModuleAnalyzer {
            parser: new_parser()?,
            options,
        })
    }

    /// Analyses one Python module (already decoded, BOM stripped).
    pub fn analyze(&mut self, source: &str) -> FileFacts {
        assemble::module(source, self, &Aliases::default()).0
    }

    /// Analyses one notebook cell: names resolve through `aliases` (the
    /// imports of the cells before) as well as the cell's own imports,
    /// which are added to it.
    pub fn analyze_cell(&mut self, source: &str, aliases: &mut Aliases) -> FileFacts {
        let (facts, after) = assemble::module(source, self, aliases);
        *aliases = after;
        facts
    }
}

/// The facts of a module tree-sitter could not parse at all.
fn gave_up() -> FileFacts {
    let mut facts = FileFacts::empty(Language::Python);
    facts.problems.push(Problem::new(0, "the parser gave up"));
    facts
}

/// 1-based line of a position.
fn line_of(p: Point) -> u32 {
    u32::try_from(p.row).map_or(u32::MAX, |r| r.saturating_add(1))
}

/// Undo flags of an [`Entry`]: what entering the node changed.
const NEST: u8 = 1; // cognitive nesting level raised
const DEPTH: u8 = 2; // control-structure depth raised
const MUTE: u8 = 4; // decorators, signatures, bases: no metric counts
const RADON_MUTE: u8 = 8; // inside `assert`: radon does not look
const IN_TRY: u8 = 16; // a try body or an except handler
const TYPE_CHECKING: u8 = 32; // the body of `if TYPE_CHECKING:`
const SCOPE: u8 = 64; // a function or class scope was opened

/// Marks an [`Entry`] collects from its children.
const TRY_STAR: u8 = 1; // try: has `except*` handlers
const TC_IF: u8 = 2; // if: the condition is `TYPE_CHECKING`
const ELSE_OF_TRY: u8 = 4; // else: belongs to a try
const RADON_WILDCARD: u8 = 8; // match: a `case _`/capture case (radon)
const RUFF_LAST_IRREFUTABLE: u8 = 16; // match: last case irrefutable, unguarded (ruff)

/// One node on the path from the root to the cursor.
#[derive(Clone, Copy)]
struct Entry {
    kind: K,
    undo: u8,
    mark: u8,
    /// Number of `case` clauses (match only).
    cases: u16,
}

struct Walker<'t> {
    src: &'t str,
    k: &'static Kinds,
    rules: CcRules,
    has_error: bool,
    facts: FileFacts,
    /// A second cursor for looking at a node's children out of walk order.
    scratch: TreeCursor<'t>,
    /// Scratch stack for boolean-operator sequences.
    bool_stack: Vec<Node<'t>>,
    stack: Vec<Entry>,
    scopes: Vec<Scope>,
    fns: Vec<FnFrame>,
    classes: Vec<ClassFrame>,
    /// The last `decorated_definition` entered: the decorators of the def or
    /// class about to be entered.
    decorated: Option<Node<'t>>,
    nest: u32,
    depth: u32,
    mute: u32,
    radon_mute: u32,
    in_try: u32,
    type_checking: u32,
    module_decisions: u32,
    /// radon's functions_complexity + classes_complexity of the module.
    blocks_total: u32,
    syntax_problems: usize,
    hydra_imported: bool,
    hydra_calls: Vec<DynamicPoint>,
    halstead: halstead::Halstead<'t, 't>,
    lineage: lineage::Lineage<'t>,
    /// Sequence number of the node last entered: its place in walk order.
    seq: u32,
    /// The tree is a statement of a cut function's body inside the
    /// function's `def` line: that function's counts go to `body_counts`.
    cut_body: bool,
    body_counts: Option<defs::BodyCounts>,
}

impl<'t> Walker<'t> {
    /// A walker for `tree`, parsed from `src`.
    fn new(src: &'t str, tree: &'t Tree, opts: AnalysisOptions) -> Self {
        let mut facts = FileFacts::empty(Language::Python);
        facts.syntax_errors = tree.root_node().has_error();
        Walker {
            src,
            k: Kinds::get(),
            rules: opts.cc_rules,
            has_error: facts.syntax_errors,
            facts,
            scratch: tree.walk(),
            bool_stack: Vec::new(),
            stack: Vec::with_capacity(64),
            scopes: Vec::new(),
            fns: Vec::new(),
            classes: Vec::new(),
            decorated: None,
            nest: 0,
            depth: 0,
            mute: 0,
            radon_mute: 0,
            in_try: 0,
            type_checking: 0,
            module_decisions: 0,
            blocks_total: 0,
            syntax_problems: 0,
            hydra_imported: false,
            hydra_calls: Vec::new(),
            halstead: halstead::Halstead::new(tree, src),
            lineage: lineage::Lineage::default(),
            seq: 0,
            cut_body: false,
            body_counts: None,
        }
    }

    fn text(&self, node: Node) -> &'t str {
        self.src.get(node.byte_range()).unwrap_or("")
    }

    /// Pre-order walk; `exit` runs when the cursor leaves a node.
    fn run(&mut self, tree: &'t Tree) {
        let mut cursor = tree.walk();
        'walk: loop {
            let node = cursor.node();
            let entry = self.enter(node);
            if cursor.goto_first_child() {
                self.stack.push(entry);
                continue;
            }
            self.exit(entry);
            loop {
                if cursor.goto_next_sibling() {
                    continue 'walk;
                }
                if !cursor.goto_parent() {
                    break 'walk;
                }
                if let Some(entry) = self.stack.pop() {
                    self.exit(entry);
                }
            }
        }
    }

    fn parent(&self) -> Option<&Entry> {
        self.stack.last()
    }

    fn parent_kind(&self) -> K {
        self.parent().map_or(K::Other, |e| e.kind)
    }

    fn enter(&mut self, node: Node<'t>) -> Entry {
        self.seq = self.seq.wrapping_add(1);
        let kind = self.k.of(node.kind_id());
        let mut e = Entry {
            kind,
            undo: 0,
            mark: 0,
            cases: 0,
        };
        if self.has_error && node.has_error() {
            self.syntax_problem(node);
        }
        if self.mute == 0 {
            let function = self.fns.last().and_then(|f| self.src.get(f.name.clone()));
            self.halstead.count(node, function);
        }
        match kind {
            K::Other | K::Error => {}
            K::Decorated => self.decorated = Some(node),
            K::FunctionDef => {
                self.open_function(node, &mut e);
                let target = self.facts.functions.last().map(|f| f.name.clone());
                self.lineage_decorators(node, target.unwrap_or_default());
            }
            K::ClassDef => {
                self.open_class(node, &mut e);
                let target = self.facts.classes.last().map(|c| c.name.clone());
                self.lineage_decorators(node, target.unwrap_or_default());
            }
            K::Decorator => {
                e.undo |= MUTE;
                if dynamic::is_registry_decorator(self.src, self.k, node) {
                    self.push_dynamic(DynamicKind::RegistryDecorator, node);
                }
            }
            K::Parameters => e.undo |= MUTE,
            K::Type | K::TypeParameter if self.parent_kind() == K::FunctionDef => e.undo |= MUTE,
            K::ArgumentList | K::TypeParameter if self.parent_kind() == K::ClassDef => {
                e.undo |= MUTE
            }
            K::Type | K::TypeParameter | K::ArgumentList => {}
            K::Block => self.enter_block(&mut e),
            K::If => {
                self.lineage_if(node);
                self.decision(1, 1);
                self.structural(self.nest);
                self.raise_depth(&mut e);
                if node
                    .child_by_field_id(self.k.f_condition)
                    .is_some_and(|c| imports::is_type_checking(self.src, self.k, c))
                {
                    e.mark |= TC_IF;
                }
            }
            K::Elif => {
                self.decision(1, 1);
                self.flat(1);
            }
            K::Else => self.enter_else(&mut e),
            K::For | K::While => {
                self.decision(1, 1);
                self.structural(self.nest);
                self.raise_depth(&mut e);
            }
            K::Try | K::With => self.raise_depth(&mut e),
            K::Except => {
                if cyclomatic::except_is_star(self.k, node) {
                    if let Some(t) = self.stack.last_mut() {
                        t.mark |= TRY_STAR;
                    }
                    self.decision(0, 1);
                } else {
                    self.decision(1, 1);
                }
                self.structural(self.nest);
                e.undo |= IN_TRY;
                self.in_try += 1;
            }
            K::Match => {
                self.structural(self.nest);
                self.raise_depth(&mut e);
            }
            K::Case => self.enter_case(node),
            K::IfClause => {
                // A `case` guard adds nothing; a comprehension filter does.
                if self.parent_kind() != K::Case {
                    self.decision(1, 0);
                    self.flat(1);
                }
            }
            K::ForIn => {
                self.decision(1, 0);
                // The comprehension raised the level for its insides.
                self.structural(self.nest.saturating_sub(1));
            }
            K::Comprehension | K::Lambda => self.raise_nest(&mut e),
            K::Ternary => {
                self.decision(1, 0);
                self.structural(self.nest);
                self.raise_nest(&mut e);
            }
            K::BoolOp => {
                self.decision(1, 0);
                if self.parent_kind() != K::BoolOp {
                    let n = cognitive::operator_sequences(self.k, node, &mut self.bool_stack);
                    self.flat(n);
                }
            }
            K::Assert => {
                // radon counts the statement and does not look inside.
                self.decision(1, 0);
                e.undo |= RADON_MUTE;
                self.radon_mute += 1;
            }
            K::Call => self.enter_call(node),
            K::Attribute => self.lineage_attribute(node),
            K::Subscript => self.lineage_subscript(node),
            K::Assignment => self.lineage_assignment(node, false),
            K::AugmentedAssignment => self.lineage_assignment(node, true),
            K::WithItem => self.lineage_with_item(node),
            K::ExpressionStatement => self.lineage_flow(node),
            K::Import | K::ImportFrom => self.enter_import(node, kind == K::Import),
            K::Pair | K::KeywordArgument => {
                if dynamic::is_hydra_target(self.src, self.k, node) {
                    self.push_dynamic(DynamicKind::HydraTarget, node);
                }
            }
        }
        if e.undo & MUTE != 0 {
            self.mute += 1;
        }
        e
    }

    fn exit(&mut self, e: Entry) {
        if e.kind == K::Match {
            let cases = u32::from(e.cases);
            self.decision(
                cases.saturating_sub(u32::from(e.mark & RADON_WILDCARD != 0)),
                cases.saturating_sub(u32::from(e.mark & RUFF_LAST_IRREFUTABLE != 0)),
            );
        }
        if e.undo == 0 {
            return;
        }
        if e.undo & SCOPE != 0 {
            match e.kind {
                K::FunctionDef => self.close_function(),
                _ => self.close_class(),
            }
        }
        let dec = |flag: u8, counter: &mut u32| {
            if e.undo & flag != 0 {
                *counter = counter.saturating_sub(1);
            }
        };
        dec(NEST, &mut self.nest);
        dec(DEPTH, &mut self.depth);
        dec(MUTE, &mut self.mute);
        dec(RADON_MUTE, &mut self.radon_mute);
        dec(IN_TRY, &mut self.in_try);
        dec(TYPE_CHECKING, &mut self.type_checking);
    }

    // ----- metric increments -------------------------------------------

    /// Adds `radon` and `mccabe` decision points to the current scope.
    fn decision(&mut self, radon: u32, mccabe: u32) {
        if self.mute > 0 {
            return;
        }
        if self.radon_mute == 0 {
            match self.scopes.last() {
                None => self.module_decisions += radon,
                Some(Scope::Function) => {
                    if let Some(f) = self.fns.last_mut() {
                        f.radon += radon;
                    }
                }
                Some(Scope::Class) => {
                    if let Some(c) = self.classes.last_mut() {
                        c.decisions += radon;
                    }
                }
            }
        }
        // mccabe charges class bodies to the enclosing function.
        if let Some(f) = self.fns.last_mut() {
            f.mccabe += mccabe;
        }
    }

    /// A cognitive increment with a nesting charge, at nesting `level`.
    fn structural(&mut self, level: u32) {
        if self.mute > 0 {
            return;
        }
        if let Some(f) = self.fns.last_mut() {
            let charge = 1 + level.saturating_sub(f.base_nest);
            f.cognitive = f.cognitive.saturating_add(charge);
            f.nesting_increments += 1;
        }
    }

    /// A cognitive increment without nesting charge.
    fn flat(&mut self, n: u32) {
        if self.mute > 0 {
            return;
        }
        if let Some(f) = self.fns.last_mut() {
            f.cognitive = f.cognitive.saturating_add(n);
        }
    }

    fn raise_nest(&mut self, e: &mut Entry) {
        e.undo |= NEST;
        self.nest += 1;
    }

    fn raise_depth(&mut self, e: &mut Entry) {
        e.undo |= DEPTH;
        self.depth += 1;
        if let Some(f) = self.fns.last_mut() {
            f.max_depth = f.max_depth.max(self.depth.saturating_sub(f.base_depth));
        }
    }

    // ----- statements --------------------------------------------------

    fn enter_block(&mut self, e: &mut Entry) {
        let Some(parent) = self.parent().copied() else {
            return;
        };
        match parent.kind {
            K::If | K::Elif | K::For | K::While | K::Except | K::Case => {
                self.raise_nest(e);
                if parent.mark & TC_IF != 0 {
                    e.undo |= TYPE_CHECKING;
                    self.type_checking += 1;
                }
            }
            K::Else if parent.mark & ELSE_OF_TRY == 0 => self.raise_nest(e),
            K::Try => {
                e.undo |= IN_TRY;
                self.in_try += 1;
            }
            _ => {}
        }
    }

    fn enter_else(&mut self, e: &mut Entry) {
        let Some(parent) = self.parent().copied() else {
            return;
        };
        match parent.kind {
            K::If => self.flat(1),
            K::For | K::While => {
                self.decision(1, 0);
                self.flat(1);
            }
            K::Try => {
                e.mark |= ELSE_OF_TRY;
                // radon 6 ignores `try` statements with `except*` handlers.
                self.decision(u32::from(parent.mark & TRY_STAR == 0), 1);
            }
            _ => {}
        }
    }

    fn enter_case(&mut self, node: Node<'t>) {
        let radon_wildcard = cyclomatic::radon_wildcard_case(self.k, node);
        let ruff_irrefutable = cyclomatic::ruff_irrefutable_case(self.k, node);
        // The case's parent is the match body; its grandparent the match.
        let Some(m) = self
            .stack
            .iter_mut()
            .rev()
            .take(2)
            .find(|e| e.kind == K::Match)
        else {
            return;
        };
        m.cases = m.cases.saturating_add(1);
        if radon_wildcard {
            m.mark |= RADON_WILDCARD;
        }
        if ruff_irrefutable {
            m.mark |= RUFF_LAST_IRREFUTABLE;
        } else {
            m.mark &= !RUFF_LAST_IRREFUTABLE;
        }
    }

    fn enter_call(&mut self, node: Node<'t>) {
        let Some(callee) = node.child_by_field_id(self.k.f_function) else {
            return;
        };
        if self.mute == 0 {
            self.check_recursion(callee);
        }
        match dynamic::classify_call(self.src, self.k, node, callee) {
            Some(CallFinding::Dynamic(kind)) => self.push_dynamic(kind, node),
            Some(CallFinding::Hydra) => {
                let point = self.dynamic_point(DynamicKind::HydraInstantiate, node);
                self.hydra_calls.push(point);
            }
            None => {}
        }
        self.lineage_call(node, callee);
    }

    /// Direct recursion: `name(...)`, or `self.name(...)`/`cls.name(...)` in
    /// a method.
    fn check_recursion(&mut self, callee: Node<'t>) {
        let Some(f) = self.fns.last() else {
            return;
        };
        if f.recursive {
            return;
        }
        let name = self.src.get(f.name.clone()).unwrap_or("");
        let k = self.k;
        let hit = if callee.kind_id() == k.identifier {
            self.text(callee) == name
        } else if f.method && callee.kind_id() == k.attribute {
            let object = callee.child_by_field_id(k.f_object);
            let attr = callee.child_by_field_id(k.f_attribute);
            object.is_some_and(|o| matches!(self.text(o), "self" | "cls"))
                && attr.is_some_and(|a| self.text(a) == name)
        } else {
            false
        };
        if hit && let Some(f) = self.fns.last_mut() {
            f.recursive = true;
        }
    }

    fn enter_import(&mut self, node: Node<'t>, plain: bool) {
        let at = imports::Site {
            line: line_of(node.start_position()),
            in_function: !self.fns.is_empty(),
            type_checking: self.type_checking > 0,
            in_try: self.in_try > 0,
        };
        let first = self.facts.imports.len();
        let mut bound = Vec::new();
        imports::collect(
            self.src,
            plain,
            self.k,
            node,
            &mut self.scratch,
            at,
            &mut self.facts.imports,
            &mut bound,
        );
        let seq = self.seq;
        self.lineage
            .unsettled
            .bindings
            .extend(
                bound
                    .into_iter()
                    .map(|(local, target)| Binding { seq, local, target }),
            );
        if let Some(new) = self.facts.imports.get(first..) {
            self.hydra_imported |= new
                .iter()
                .any(|i| i.module == "hydra" || i.module.starts_with("hydra."));
        }
    }

    fn dynamic_point(&self, kind: DynamicKind, node: Node) -> DynamicPoint {
        DynamicPoint {
            kind,
            line: line_of(node.start_position()),
            cell: None,
            detail: dynamic::shorten(self.text(node)),
        }
    }

    fn push_dynamic(&mut self, kind: DynamicKind, node: Node) {
        let point = self.dynamic_point(kind, node);
        self.facts.dynamic.push(point);
    }

    fn syntax_problem(&mut self, node: Node) {
        let message = if node.is_missing() {
            format!("missing \"{}\"", node.kind())
        } else if node.is_error() {
            "syntax error".to_owned()
        } else {
            return;
        };
        self.syntax_problems += 1;
        if self.syntax_problems <= MAX_SYNTAX_PROBLEMS {
            let line = line_of(node.start_position());
            self.facts.problems.push(Problem::new(line, message));
        }
    }

    /// The names the walk's imports bound, in walk order.
    fn bindings(&self) -> &[Binding] {
        &self.lineage.unsettled.bindings
    }

    /// The chunk the walk saw, its calls and decorators resolved through
    /// its file's alias table.
    fn into_chunk(mut self, aliases: &Aliases) -> Chunk {
        let lookup = Lookup::new(aliases);
        self.resolve_lineage(&lookup);
        Chunk {
            placed: chunk::Placed {
                facts: self.facts,
                hydra: self.hydra_calls,
                unsettled: self.lineage.unsettled,
            },
            imports_hydra: self.hydra_imported,
            module_decisions: self.module_decisions,
            blocks_total: self.blocks_total,
            halstead: self.halstead.counts(),
            reads: lookup.into_reads(),
            wrapper_class: None,
            wrapper_function: None,
            body_counts: self.body_counts,
        }
    }
}
