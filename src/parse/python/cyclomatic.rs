//! Cyclomatic complexity rules. The counting itself happens in the walk
//! (`Walker::decision`); this module holds the rules and the helpers for the
//! two constructs that need a closer look, `except*` and `case`.
//!
//! Every function starts at 1.
//!
//! **radon 6.0.1** (`CcRules::Radon`, radon/visitors.py `ComplexityVisitor`):
//! +1 for `if`, `elif`, a conditional expression, `for`/`while` (+1 more for
//! a loop `else`), each `except` (+1 for a `try … else`; radon skips `try`
//! statements whose handlers are `except*`, a `TryStar` node), each
//! `and`/`or` (one per `boolean_operator` node), each comprehension `for`
//! and `if`, `assert` (without looking inside it), and for `match` the
//! number of cases minus one if any case is a bare `_` or capture pattern.
//! Lambdas add nothing but what is inside them counts for the enclosing
//! function. Decorators, parameters (defaults, annotations), return
//! annotations and class bases are not visited. A nested def or class is
//! not part of its parent.
//!
//! **mccabe / ruff 0.17.6 C901** (`CcRules::Mccabe`): statements only. +1 for
//! `if`, `elif`, `for`, `while` (a loop `else` adds nothing), each `except`
//! and a `try … else`, each `case` minus one when the last case is
//! irrefutable and unguarded. A nested def adds 1 plus its own complexity
//! to its parent, and the statements of a class body inside a function
//! count for that function.

use tree_sitter::Node;

use super::kinds::Kinds;

/// `except* E:` (an exception-group handler).
pub(super) fn except_is_star(k: &Kinds, except: Node) -> bool {
    except.child(1).is_some_and(|c| c.kind_id() == k.star)
}

/// The single pattern of a `case` clause, if it has exactly one (`case a, b:`
/// is a sequence pattern).
fn single_pattern<'t>(k: &Kinds, case: Node<'t>) -> Option<Node<'t>> {
    let mut pattern = None;
    for i in 0..case.child_count() {
        let c = case.child(i)?;
        if c.kind_id() == k.comma {
            return None;
        }
        if c.kind_id() == k.case_pattern {
            if pattern.is_some() {
                return None;
            }
            pattern = Some(c);
        }
    }
    pattern
}

/// Removes `case_pattern` wrappers and parentheses: `((x))` → `x`.
fn unwrap_groups<'t>(k: &Kinds, mut p: Node<'t>) -> Node<'t> {
    loop {
        let id = p.kind_id();
        let inner = if id == k.case_pattern && p.child_count() == 1 {
            p.child(0)
        } else if id == k.tuple_pattern && p.child_count() == 3 {
            // `( pattern )` without a comma is a group, not a tuple.
            p.named_child(0).filter(|c| c.kind_id() == k.case_pattern)
        } else {
            None
        };
        match inner {
            Some(i) => p = i,
            None => return p,
        }
    }
}

/// `_` or a capture name (`x`, not the value pattern `a.b`).
fn is_wildcard_or_capture(k: &Kinds, p: Node) -> bool {
    p.kind_id() == k.underscore || (p.kind_id() == k.dotted_name && p.child_count() == 1)
}

/// radon counts a match as its cases minus one when some case's pattern is
/// a `MatchAs` without sub-pattern: `case _`, `case x` (guard or not).
pub(super) fn radon_wildcard_case(k: &Kinds, case: Node) -> bool {
    single_pattern(k, case).is_some_and(|p| is_wildcard_or_capture(k, unwrap_groups(k, p)))
}

/// ruff does not count the last case when it is unguarded and irrefutable:
/// `_`, a capture, `p as x` with `p` irrefutable, or an or-pattern with an
/// irrefutable alternative.
pub(super) fn ruff_irrefutable_case(k: &Kinds, case: Node) -> bool {
    if case.child_by_field_id(k.f_guard).is_some() {
        return false;
    }
    let Some(pattern) = single_pattern(k, case) else {
        return false;
    };
    // A work list instead of recursion: patterns may nest arbitrarily deep.
    let mut todo = vec![pattern];
    while let Some(p) = todo.pop() {
        let p = unwrap_groups(k, p);
        if is_wildcard_or_capture(k, p) {
            return true;
        }
        if p.kind_id() == k.as_pattern {
            todo.extend(p.named_child(0));
        } else if p.kind_id() == k.union_pattern {
            todo.extend((0..p.child_count()).filter_map(|i| p.child(i)));
        }
    }
    false
}
