//! radon's Halstead volume and Maintainability Index.
//!
//! [`volume`] reproduces radon 6.0.1's `HalsteadVisitor` on the tree-sitter
//! tree:
//! - operators are the operator *types* of binary, unary, boolean and
//!   comparison operators and augmented assignments (`+=` is `+`); one
//!   `a and b and c` is one operator with three operands, as in Python's AST;
//! - operands are the operator's operand expressions, keyed like radon by
//!   (enclosing function name, value): a name or attribute by its last
//!   name, a constant by its value (`True == 1`, `"x"` is the name `x`),
//!   anything else (a call, a subscript, a nested operation) is new each time;
//! - a function's decorators, parameters and annotations are not visited,
//!   and code in a function is keyed by that function's bare name (two
//!   methods called `__init__` share their operands).
//!
//! Differences: string constants are keyed by their spelling between the
//! quotes, so `'\x41'` and `"A"`, or `"a" "b"` and `"ab"`, differ here;
//! numeric `case` patterns (`case -1:`) hold no operator here; class
//! decorators and bases are visited as radon does.

use std::hash::{BuildHasher, Hash, Hasher};

/// Operator types, one bit each in a mask.
const OPERATORS: [&str; 29] = [
    "+", "-", "*", "@", "/", "%", "**", "<<", ">>", "|", "^", "&", "//", // binary
    "u-", "u+", "~", "not", "and", "or", // unary and boolean
    "<", "<=", ">", ">=", "==", "!=", "in", "not in", "is", "is not", // comparisons
];

/// The bit of an operator token, 0 for an unknown one.
fn operator_bit(token: &str) -> u32 {
    let token = if token == "<>" { "!=" } else { token };
    OPERATORS
        .iter()
        .position(|&op| op == token)
        .map_or(0, |i| 1 << i)
}

/// An operand's identity, as radon's set of `(context, value)` sees it.
#[derive(PartialEq, Eq, Hash)]
enum Key<'a> {
    /// A name, an attribute's last name or a string without escapes.
    Text(&'a str),
    /// A string with escapes, by its spelling.
    Escaped(&'a str),
    Bytes(&'a str),
    /// Implicitly concatenated strings, by a hash of their parts.
    Concat(u64),
    Int(i64),
    Float(u64),
    Complex(u64),
    /// An integer literal too large for `Int`, by its spelling.
    Big(&'a str),
    None,
    Ellipsis,
}

/// Node kinds and fields the walk needs, looked up once per file.
struct Ids {
    function_definition: u16,
    import_statement: u16,
    import_from_statement: u16,
    decorated_definition: u16,
    decorator: u16,
    binary_operator: u16,
    unary_operator: u16,
    not_operator: u16,
    boolean_operator: u16,
    augmented_assignment: u16,
    comparison_operator: u16,
    parenthesized_expression: u16,
    type_: u16,
    union_type: u16,
    member_type: u16,
    identifier: u16,
    attribute: u16,
    string: u16,
    string_start: u16,
    concatenated_string: u16,
    integer: u16,
    float: u16,
    true_: u16,
    false_: u16,
    none: u16,
    ellipsis: u16,
    f_name: u16,
    f_parameters: u16,
    f_return_type: u16,
    f_type_parameters: u16,
    f_definition: u16,
    f_left: u16,
    f_right: u16,
    f_operator: u16,
    f_operators: u16,
    f_argument: u16,
    f_attribute: u16,
}

impl Ids {
    /// The process-wide table for tree-sitter-python.
    fn get() -> &'static Ids {
        static IDS: std::sync::OnceLock<Ids> = std::sync::OnceLock::new();
        IDS.get_or_init(|| Ids::build(&tree_sitter_python::LANGUAGE.into()))
    }

    fn build(lang: &tree_sitter::Language) -> Ids {
        let k = |name: &str| lang.id_for_node_kind(name, true);
        let f = |name: &str| lang.field_id_for_name(name).map_or(0, |id| id.get());
        Ids {
            function_definition: k("function_definition"),
            import_statement: k("import_statement"),
            import_from_statement: k("import_from_statement"),
            decorated_definition: k("decorated_definition"),
            decorator: k("decorator"),
            binary_operator: k("binary_operator"),
            unary_operator: k("unary_operator"),
            not_operator: k("not_operator"),
            boolean_operator: k("boolean_operator"),
            augmented_assignment: k("augmented_assignment"),
            comparison_operator: k("comparison_operator"),
            parenthesized_expression: k("parenthesized_expression"),
            type_: k("type"),
            union_type: k("union_type"),
            member_type: k("member_type"),
            identifier: k("identifier"),
            attribute: k("attribute"),
            string: k("string"),
            string_start: k("string_start"),
            concatenated_string: k("concatenated_string"),
            integer: k("integer"),
            float: k("float"),
            true_: k("true"),
            false_: k("false"),
            none: k("none"),
            ellipsis: k("ellipsis"),
            f_name: f("name"),
            f_parameters: f("parameters"),
            f_return_type: f("return_type"),
            f_type_parameters: f("type_parameters"),
            f_definition: f("definition"),
            f_left: f("left"),
            f_right: f("right"),
            f_operator: f("operator"),
            f_operators: f("operators"),
            f_argument: f("argument"),
            f_attribute: f("attribute"),
        }
    }
}

/// What the walk knows about the parent of the current node.
struct Frame<'a> {
    kind: u16,
    /// Name of the innermost function whose body holds the node.
    ctx: Option<&'a str>,
    /// The parent is a decorated function: its decorators are not visited.
    skip_decorators: bool,
}

/// Running Halstead counts of one module, fed node by node.
///
/// [`volume`] drives it with its own walk; an analyzer that already walks
/// the tree can call [`Halstead::count`] on each node instead.
pub struct Halstead<'t, 'a> {
    ids: &'static Ids,
    source: &'a str,
    /// Scratch cursors for children lists (reset, never reallocated): one
    /// for an operator's children, one for an operand's.
    aux: tree_sitter::TreeCursor<'t>,
    inner: tree_sitter::TreeCursor<'t>,
    counts: Counts,
    /// `(context, operand)` pairs seen, by a hash of each.
    operands_seen: std::collections::HashSet<u64, foldhash::fast::FixedState>,
    /// A boolean operator already counted as part of its parent's chain.
    merged: Option<usize>,
}

/// Halstead counts of a piece of code, which add up: the counts of a file
/// are the sum of its chunks' (the distinct operands by a 64-bit hash of
/// each, so two operands count as one only if their hashes collide).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// One bit per operator type seen.
    pub operators_seen: u32,
    /// The distinct `(context, operand)` pairs seen, by hash, sorted.
    pub operands_seen: Vec<u64>,
    /// Operands that are distinct objects for radon (calls, subscripts…).
    pub unique_operands: u64,
    pub operators: u64,
    pub operands: u64,
}

impl Counts {
    /// The counts of all of `parts`.
    pub fn sum<'c>(parts: impl IntoIterator<Item = &'c Counts>) -> Counts {
        let mut total = Counts::default();
        for part in parts {
            total.operators_seen |= part.operators_seen;
            total.operands_seen.extend_from_slice(&part.operands_seen);
            total.unique_operands += part.unique_operands;
            total.operators += part.operators;
            total.operands += part.operands;
        }
        total.operands_seen.sort_unstable();
        total.operands_seen.dedup();
        total
    }

    /// radon's volume `N · log2(η)`.
    pub fn volume(&self) -> f64 {
        let distinct = f64::from(self.operators_seen.count_ones())
            + self.operands_seen.len() as f64
            + self.unique_operands as f64;
        let length = (self.operators + self.operands) as f64;
        if distinct == 0.0 {
            0.0
        } else {
            // radon's math.log(h, 2), to the last bit.
            length * (distinct.ln() / 2f64.ln())
        }
    }
}

/// radon's module-level Halstead volume `N · log2(η)` of a parsed module.
pub fn volume(tree: &tree_sitter::Tree, source: &str) -> f64 {
    let mut c = Halstead::new(tree, source);
    let mut stack: Vec<Frame> = Vec::new();
    let mut cursor = tree.walk();
    'walk: loop {
        let node = cursor.node();
        let kind = node.kind_id();
        let ctx = stack.last().and_then(|f| f.ctx);
        let ids = &c.ids;
        let skip = match stack.last() {
            Some(p) if p.kind == ids.function_definition => cursor.field_id().is_some_and(|f| {
                let f = f.get();
                f == ids.f_parameters || f == ids.f_return_type || f == ids.f_type_parameters
            }),
            Some(p) => p.skip_decorators && kind == ids.decorator,
            None => false,
        };
        // Nothing below a plain string or an import is an operator.
        let leaf = kind == ids.string && !c.is_f_string(node)
            || kind == ids.import_statement
            || kind == ids.import_from_statement;
        if !skip {
            c.count(node, ctx);
            if !leaf && cursor.goto_first_child() {
                let ids = &c.ids;
                stack.push(Frame {
                    kind,
                    ctx: if kind == ids.function_definition {
                        node.child_by_field_id(ids.f_name)
                            .and_then(|n| source.get(n.byte_range()))
                    } else {
                        ctx
                    },
                    skip_decorators: kind == ids.decorated_definition
                        && node
                            .child_by_field_id(ids.f_definition)
                            .is_some_and(|d| d.kind_id() == ids.function_definition),
                });
                continue;
            }
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
            stack.pop();
        }
    }
    c.counts().volume()
}

impl<'t, 'a> Halstead<'t, 'a> {
    /// Empty counts for `tree`, parsed from `source`.
    pub fn new(tree: &'t tree_sitter::Tree, source: &'a str) -> Self {
        Halstead {
            ids: Ids::get(),
            source,
            aux: tree.walk(),
            inner: tree.walk(),
            counts: Counts::default(),
            operands_seen: std::collections::HashSet::with_hasher(
                foldhash::fast::FixedState::with_seed(0),
            ),
            merged: None,
        }
    }

    /// What was counted.
    pub fn counts(self) -> Counts {
        let mut counts = self.counts;
        counts.operands_seen = self.operands_seen.into_iter().collect();
        counts.operands_seen.sort_unstable();
        counts
    }

    /// Whether a `string` node has an `f` (or `t`) prefix.
    fn is_f_string(&self, node: tree_sitter::Node) -> bool {
        let head = self
            .source
            .as_bytes()
            .get(node.start_byte()..)
            .unwrap_or_default();
        head.iter()
            .take_while(|&&b| b != b'"' && b != b'\'')
            .any(|b| matches!(b, b'f' | b'F' | b't' | b'T'))
    }

    fn text(&self, node: tree_sitter::Node) -> &'a str {
        self.source.get(node.byte_range()).unwrap_or_default()
    }

    fn operator(&mut self, token: &str) {
        self.counts.operators += 1;
        self.counts.operators_seen |= operator_bit(token);
    }

    fn operand(&mut self, node: Option<tree_sitter::Node<'t>>, ctx: Option<&'a str>) {
        let Some(node) = node else { return };
        self.counts.operands += 1;
        match self.key(node) {
            Some(key) => {
                let hash = self.operands_seen.hasher().hash_one((ctx, key));
                self.operands_seen.insert(hash);
            }
            None => self.counts.unique_operands += 1,
        }
    }

    /// Counts the operator `node` is, if any, with its operands. Call it on
    /// every node in pre-order (a parent before its children), with the
    /// name of the innermost function whose body holds the node, except on
    /// the decorators, parameters and annotations of functions, which radon
    /// does not visit.
    pub fn count(&mut self, node: tree_sitter::Node<'t>, ctx: Option<&'a str>) {
        let kind = node.kind_id();
        let ids = &self.ids;
        let (f_left, f_right, f_op, f_arg) =
            (ids.f_left, ids.f_right, ids.f_operator, ids.f_argument);
        let op = |n: tree_sitter::Node<'t>| n.child_by_field_id(f_op).map_or("", |o| o.kind());
        if kind == ids.binary_operator {
            self.operator(op(node));
            self.operand(node.child_by_field_id(f_left), ctx);
            self.operand(node.child_by_field_id(f_right), ctx);
        } else if kind == ids.augmented_assignment {
            let token = op(node);
            self.operator(token.strip_suffix('=').unwrap_or(token));
            self.operand(node.child_by_field_id(f_left), ctx);
            self.operand(node.child_by_field_id(f_right), ctx);
        } else if kind == ids.unary_operator {
            self.operator(match op(node) {
                "-" => "u-",
                "+" => "u+",
                other => other,
            });
            self.operand(node.child_by_field_id(f_arg), ctx);
        } else if kind == ids.not_operator {
            self.operator("not");
            self.operand(node.child_by_field_id(f_arg), ctx);
        } else if kind == ids.boolean_operator {
            self.boolean(node, ctx);
        } else if kind == ids.comparison_operator || kind == ids.union_type {
            // Flat lists: `a < b <= c` (operators in field `operators`) and
            // `list[int] | None` in annotations.
            let union = kind == ids.union_type;
            self.aux.reset(node);
            let mut more = self.aux.goto_first_child();
            while more {
                let child = self.aux.node();
                if union && child.kind() == "|" {
                    self.operator("|");
                } else if self.aux.field_id().map(|f| f.get()) == Some(self.ids.f_operators) {
                    self.operator(child.kind());
                } else if child.is_named() && !child.is_extra() {
                    self.operand(Some(child), ctx);
                }
                more = self.aux.goto_next_sibling();
            }
        }
    }

    /// `a and b and c` is one operator with three operands in Python's AST,
    /// but a left-leaning chain of binary nodes in tree-sitter's.
    fn boolean(&mut self, node: tree_sitter::Node<'t>, ctx: Option<&'a str>) {
        let (f_left, f_right, f_op, kind) = (
            self.ids.f_left,
            self.ids.f_right,
            self.ids.f_operator,
            self.ids.boolean_operator,
        );
        let op = node.child_by_field_id(f_op).map(|o| o.kind_id());
        let same = |n: &tree_sitter::Node| {
            n.kind_id() == kind && n.child_by_field_id(f_op).map(|o| o.kind_id()) == op
        };
        let left = node.child_by_field_id(f_left);
        let counted = self.merged == Some(node.id());
        self.merged = left.filter(&same).map(|l| l.id());
        if counted {
            return;
        }
        self.operator(node.child_by_field_id(f_op).map_or("", |o| o.kind()));
        let mut link = node;
        loop {
            self.operand(link.child_by_field_id(f_right), ctx);
            match link.child_by_field_id(f_left) {
                Some(l) if same(&l) => link = l,
                l => {
                    self.operand(l, ctx);
                    break;
                }
            }
        }
    }

    /// radon's operand identity, `None` for an expression that is a new
    /// object each time. Parentheses are not part of Python's AST.
    fn key(&mut self, node: tree_sitter::Node<'t>) -> Option<Key<'a>> {
        let mut node = node;
        while node.kind_id() == self.ids.parenthesized_expression
            || node.kind_id() == self.ids.type_
        {
            self.inner.reset(node);
            let mut more = self.inner.goto_first_child();
            while more && (!self.inner.node().is_named() || self.inner.node().is_extra()) {
                more = self.inner.goto_next_sibling();
            }
            if !more {
                return None;
            }
            node = self.inner.node();
        }
        let ids = &self.ids;
        let kind = node.kind_id();
        if kind == ids.identifier {
            Some(Key::Text(self.text(node)))
        } else if kind == ids.attribute {
            node.child_by_field_id(ids.f_attribute)
                .map(|a| Key::Text(self.text(a)))
        } else if kind == ids.member_type {
            // `a.B` in an annotation: an attribute, named by its last part.
            let last = self
                .text(node)
                .rsplit('.')
                .next()
                .unwrap_or_default()
                .trim();
            Some(Key::Text(last))
        } else if kind == ids.true_ {
            Some(Key::Int(1))
        } else if kind == ids.false_ {
            Some(Key::Int(0))
        } else if kind == ids.none {
            Some(Key::None)
        } else if kind == ids.ellipsis {
            Some(Key::Ellipsis)
        } else if kind == ids.integer || kind == ids.float {
            Some(number_key(self.text(node)))
        } else if kind == ids.string {
            self.string_key(node)
        } else if kind == ids.concatenated_string {
            // By the parts' values, not the spacing between them.
            let mut hasher = std::hash::DefaultHasher::new();
            self.inner.reset(node);
            let mut more = self.inner.goto_first_child();
            while more {
                let part = self.inner.node();
                if part.kind_id() == ids.string {
                    self.string_key(part)?.hash(&mut hasher);
                }
                more = self.inner.goto_next_sibling();
            }
            Some(Key::Concat(hasher.finish()))
        } else {
            None
        }
    }

    /// A string literal's key; `None` for f-strings (`JoinedStr` nodes).
    fn string_key(&self, node: tree_sitter::Node) -> Option<Key<'a>> {
        let start = node
            .child(0)
            .filter(|s| s.kind_id() == self.ids.string_start)?;
        let opening = self.text(start);
        let quote_at = opening.find(['"', '\''])?;
        let (prefix, quote) = opening.split_at(quote_at);
        if prefix.contains(['f', 'F', 't', 'T']) {
            return None;
        }
        let end = node.end_byte().checked_sub(quote.len())?;
        if end < start.end_byte() || self.source.get(end..node.end_byte()) != Some(quote) {
            return None;
        }
        let content = self.source.get(start.end_byte()..end)?;
        Some(if prefix.contains(['b', 'B']) {
            Key::Bytes(content)
        } else if prefix.contains(['r', 'R']) || !content.contains('\\') {
            Key::Text(content)
        } else {
            Key::Escaped(content)
        })
    }
}

/// A number literal's key, with Python's equality (`1 == 1.0 == 0x1`).
fn number_key(text: &str) -> Key<'_> {
    let body = text.trim_end_matches(['l', 'L']);
    if let Some(imag) = body.strip_suffix(['j', 'J']) {
        return match parse_float(imag) {
            // 0j == 0
            Some(v) if v.abs() == 0.0 => Key::Int(0),
            Some(v) => Key::Complex(v.to_bits()),
            None => Key::Big(text),
        };
    }
    let radix = match body.get(..2) {
        Some("0x" | "0X") => 16,
        Some("0o" | "0O") => 8,
        Some("0b" | "0B") => 2,
        _ => 10,
    };
    if radix != 10 || !body.contains(['.', 'e', 'E']) {
        let digits = if radix == 10 {
            body
        } else {
            body.get(2..).unwrap_or_default()
        };
        let mut value: i64 = 0;
        for c in digits.chars().filter(|&c| c != '_') {
            let Some(v) = c.to_digit(radix).and_then(|d| {
                value
                    .checked_mul(i64::from(radix))?
                    .checked_add(i64::from(d))
            }) else {
                return Key::Big(text);
            };
            value = v;
        }
        return Key::Int(value);
    }
    match parse_float(body) {
        Some(v) if v.fract() == 0.0 && v.abs() < 9.2e18 => Key::Int(v as i64),
        Some(v) => Key::Float(v.to_bits()),
        None => Key::Big(text),
    }
}

/// Parses a float literal, dropping `_` separators without allocating.
fn parse_float(text: &str) -> Option<f64> {
    let mut buf = [0u8; 64];
    let mut len = 0;
    for &b in text.as_bytes().iter().filter(|&&b| b != b'_') {
        *buf.get_mut(len)? = b;
        len += 1;
    }
    std::str::from_utf8(buf.get(..len)?).ok()?.parse().ok()
}

/// radon's `mi_compute`: the Maintainability Index, 0–100, from the module's
/// Halstead volume, total cyclomatic complexity, logical lines and comment
/// lines (radon `mi` counts multi-line strings as comments by default: pass
/// `comments + multi` for that) over source lines.
pub fn maintainability_index(
    volume: f64,
    cyclomatic_total: u32,
    lloc: u32,
    comment_lines: u32,
    sloc: u32,
) -> f64 {
    if volume <= 0.0 || lloc == 0 {
        return 100.0;
    }
    let percent = if sloc == 0 {
        0.0
    } else {
        f64::from(comment_lines) / f64::from(sloc) * 100.0
    };
    let raw = 171.0
        - 5.2 * volume.ln()
        - 0.23 * f64::from(cyclomatic_total)
        - 16.2 * f64::from(lloc).ln()
        + 50.0 * (2.46 * percent.to_radians()).sqrt().sin();
    (raw * 100.0 / 171.0).clamp(0.0, 100.0)
}

/// Sets a module's Halstead volume and its Maintainability Index (from the
/// volume, its lines and its total cyclomatic complexity, as radon's `mi`).
pub fn rate(facts: &mut crate::facts::FileFacts, volume: f64) {
    let l = facts.lines;
    facts.metrics.halstead_volume = volume;
    facts.metrics.maintainability = Some(maintainability_index(
        volume,
        facts.metrics.cyclomatic_total,
        l.lloc,
        l.comments + l.multi,
        l.sloc,
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vol(source: &str) -> f64 {
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&tree_sitter_python::LANGUAGE.into())
            .expect("grammar");
        let tree = parser.parse(source, None).expect("tree");
        volume(&tree, source)
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    /// η1 = 7, η2 = 10, N = 29 by hand (`radon hal` agrees): defaults,
    /// annotations and decorators of functions are skipped, the two `g`
    /// share their operands, and `"x"` is the name `x`.
    #[test]
    fn fixture_volume() {
        let source = include_str!("../../../testdata/python/raw/halstead.py");
        assert!(close(vol(source), 29.0 * 17f64.log2()));
    }

    #[test]
    fn operand_identity() {
        // f-strings are new objects each time; equal strings are one operand.
        assert!(close(vol("f\"{a}\" + f\"{a}\"\n"), 3.0 * 3f64.log2()));
        assert!(close(vol("\"a\" + \"a\"\n"), 3.0));
        // 1 == 1.0 == True == 0x1, and 0j == 0, 1_0.0 == 10.
        assert!(close(vol("x = 1 + 1.0; y = True + 0x1\n"), 6.0));
        assert!(close(vol("x = 0j + 0 + 1_0.0 + 10\n"), 9.0 * 5f64.log2()));
        // Implicit concatenations are equal whatever the spacing.
        assert!(close(vol("x = (\"a\"\n     \"b\") + (\"a\" \"b\")\n"), 3.0));
        // `list[int] | None` in an annotation is a `|` on a subscript.
        assert!(close(vol("x: list[int] | None = 1\n"), 3.0 * 3f64.log2()));
    }

    #[test]
    fn boolean_chains_are_flat() {
        // And(a, b, c), Or(And, d): 2 operators, 5 operands, all distinct.
        assert!(close(vol("a and b and c or d\n"), 7.0 * 7f64.log2()));
        // Parentheses keep two `and`s.
        assert!(close(vol("(a and b) and c\n"), 6.0 * 5f64.log2()));
    }

    #[test]
    fn empty_and_deep_input() {
        assert_eq!(vol(""), 0.0);
        assert_eq!(vol("x = f(1)\n"), 0.0);
        // 10 000 nested `+`: η = 1 + (the `1` + 9 999 inner sums).
        let deep = format!("x = {}1\n", "1 + ".repeat(10_000));
        assert!(close(vol(&deep), 30_000.0 * 10_001f64.log2()));
    }

    /// Expected values from radon's `mi_compute`.
    #[test]
    fn maintainability() {
        // 10 comment lines over 40 sloc = 25 %.
        assert!((maintainability_index(100.0, 5, 20, 10, 40) - 82.10051286804625).abs() < 1e-9);
        assert!((maintainability_index(10.0, 1, 1, 0, 0) - 92.8634839277374).abs() < 1e-9);
        assert_eq!(maintainability_index(1e9, 500, 100_000, 0, 1), 0.0);
        assert_eq!(maintainability_index(0.0, 5, 20, 1, 1), 100.0);
        assert_eq!(maintainability_index(50.0, 5, 0, 1, 1), 100.0);
    }
}
