//! Cognitive complexity, SonarSource's definition (G. Ann Campbell, "Cognitive
//! Complexity", and SonarSource's own Python analyzer where the paper has no
//! Python-specific word). The counting happens in the walk
//! (`Walker::structural` / `Walker::flat`); this module holds the rules and
//! the boolean-sequence count.
//!
//! Increments with a nesting charge (+1 + nesting level): `if`, conditional
//! expression, `match` (once for the whole statement), `for`, `while`,
//! `except`, and each `for` clause of a comprehension.
//!
//! Increments without nesting charge (+1): `elif`, `else`, each comprehension
//! `if`, each sequence of like boolean operators (`a and b and c` +1,
//! `a and b or c` +2, `a or b and c or d` +3: the changes of operator in
//! the flattened chain; parentheses and `not` start a new chain), and direct
//! recursion (a call to the function's own name, or `self.name(...)` /
//! `cls.name(...)` in a method), once per function.
//!
//! The nesting level rises inside the bodies of `if`/`elif`/`else`, loops,
//! `except`, `case`, inside conditional expressions (all three parts),
//! comprehensions, lambdas and nested functions. `try`, `finally` and `with`
//! bodies are not nested. A nested function's increments also count for the
//! enclosing function, at the enclosing nesting level + 1; the decorator
//! exception: a function whose body is only a def plus `return name`
//! statements does not charge nesting for that def.
//!
//! Choices where the paper is silent about Python:
//! - **loop `else`**: +1, body nested, like the `else` of an `if`. It is
//!   what replaces the labeled `continue OUT` of the paper's `sumOfPrimes`
//!   (7 in both); SonarPython counts it too (complexipy does not).
//! - **`try … else`**: 0, body not nested (complexipy): it is the normal
//!   path of the `try`, whose alternatives are already charged by `except`.
//!   SonarPython gives +1.
//! - **comprehensions**: like complexipy, `for` clauses +1 + nesting, `if`
//!   clauses +1; SonarPython ignores them although they are loops and
//!   filters in all but syntax.
//! - **`with`**, **walrus** (`:=`), `assert`, `finally`: 0 (the boolean
//!   operators and conditional expressions inside still count).
//! - `case` guards: 0 for the guard itself.
//! - a class inside a function does not reset the nesting level
//!   (SonarPython resets it to 0).

use tree_sitter::Node;

use super::kinds::Kinds;

/// Number of operator changes in the chain of `and`/`or` rooted at `root`
/// (in source order), walked iteratively with `stack` as scratch space.
pub(super) fn operator_sequences<'t>(k: &Kinds, root: Node<'t>, stack: &mut Vec<Node<'t>>) -> u32 {
    let bool_child = |n: Node<'t>, field: u16| {
        n.child_by_field_id(field)
            .filter(|c| c.kind_id() == root.kind_id())
    };
    stack.clear();
    let mut sequences = 0;
    let mut previous = None;
    let mut current = Some(root);
    loop {
        while let Some(n) = current {
            stack.push(n);
            current = bool_child(n, k.f_left);
        }
        let Some(n) = stack.pop() else {
            break;
        };
        let op = n.child_by_field_id(k.f_operator).map(|o| o.kind_id());
        if op != previous {
            sequences += 1;
        }
        previous = op;
        current = bool_child(n, k.f_right);
    }
    sequences
}
