//! Fixture for `src/parse/rust`: one function per construct. Each doc
//! comment states the expected cyclomatic (CC) and cognitive (COG) numbers;
//! the tests assert them. Not compiled: it only has to parse.

use std::collections::{HashMap, hash_map::Entry};
use std::fmt::{self, Write as _};
use crate::model::*;
use ::serde::Deserialize;

mod config;

/// CC 1, COG 0.
pub fn straight(a: u32, b: u32) -> u32 {
    a + b
}

/// CC 4 (if, else if, else if), COG 4 (if +1, else if +1, else if +1, else +1).
fn classify(n: i32) -> &'static str {
    if n < 0 {
        "negative"
    } else if n == 0 {
        "zero"
    } else if n < 10 {
        "small"
    } else {
        "large"
    }
}

/// CC 3 (if let, if), COG 3 (if let +1, nested if +2).
fn if_let(x: Option<u32>) -> u32 {
    if let Some(v) = x {
        if v > 3 {
            return v;
        }
    }
    0
}

/// CC 6 (4 arms - 1 = 3, 2 guards), COG 1 (match once).
fn guards(x: Option<i32>) -> i32 {
    match x {
        Some(v) if v > 0 => 1,
        Some(v) if v < 0 => -1,
        Some(_) => 0,
        None => 9,
    }
}

/// CC 4 (for, for, if), COG 7: sumOfPrimes of the white paper
/// (for +1, for +2, if +3, labelled continue +1).
fn sum_of_primes(max: u32) -> u32 {
    let mut total = 0;
    'out: for i in 1..=max {
        for j in 2..i {
            if i % j == 0 {
                continue 'out;
            }
        }
        total += i;
    }
    total
}

/// CC 4 (match with 4 arms), COG 1: getWords of the white paper.
fn get_words(number: u32) -> &'static str {
    match number {
        1 => "one",
        2 => "a couple",
        3 => "a few",
        _ => "lots",
    }
}

/// CC 4 (while let, loop, if), COG 8 (while let +1, loop +2, if +3, break
/// 'outer +1, unlabelled break 0, continue 0, labelled continue +1).
fn loops(mut it: impl Iterator<Item = u32>) {
    'outer: while let Some(x) = it.next() {
        loop {
            if x > 10 {
                break 'outer;
            }
            break;
        }
        continue 'outer;
    }
}

/// CC 4 (three `?`), COG 0.
fn question(path: &str) -> Result<String, Error> {
    let text = read(path)?;
    let parsed = parse(&text)?.trim().to_string();
    check(&parsed)?;
    Ok(parsed)
}

/// CC 7 (if, 5 operators), COG 5 (if +1; `a && b || c && d` is three
/// sequences, +3; `a && (b && c)` is one, +1).
fn logic(a: bool, b: bool, c: bool, d: bool) -> bool {
    if a && b || c && d {
        return true;
    }
    a && (b && c)
}

/// CC 2 (if), COG 1. Its closures are reported on their own.
fn with_closures(v: &[u32]) -> Vec<u32> {
    let big = |x: &u32| -> bool {
        // {closure#1}: CC 2 (if), COG 3 (if +2 at nesting 1, else +1).
        if *x > 3 { true } else { false }
    };
    if v.is_empty() {
        return Vec::new();
    }
    // {closure#2}: CC 2 (&&), COG 1 (one sequence). {closure#3}: CC 1, COG 0.
    v.iter().filter(|x| big(x) && **x < 100).map(|x| x * 2).collect()
}

/// CC 2 (for), COG 1 (for +1); `inner` is reported on its own.
fn outer(v: &[u32]) -> u32 {
    /// CC 2, COG 3 (if +2 at nesting 1, inherited from `outer`; else +1).
    fn inner(x: u32) -> u32 {
        if x > 1 { x } else { 0 }
    }
    let mut s = 0;
    for x in v {
        s += inner(*x);
    }
    s
}

/// CC 2 (let-else), COG 1.
fn let_else(x: Option<u32>) -> u32 {
    let Some(v) = x else {
        return 0;
    };
    v
}

/// CC 2 (if), COG 3 (if +1, else +1, recursion +1).
fn factorial(n: u64) -> u64 {
    if n == 0 { 1 } else { n * factorial(n - 1) }
}

/// CC 1, COG 0.
async fn fetch(url: &str) -> Vec<u8> {
    get(url).await
}

/// A trait with one default method.
trait Shape {
    fn area(&self) -> f64;

    /// CC 2 (if), COG 2 (if +1, else +1).
    fn describe(&self) -> String {
        if self.area() > 1.0 { "big".into() } else { "small".into() }
    }
}

struct Square(f64);

impl Shape for Square {
    /// CC 1, COG 0.
    fn area(&self) -> f64 {
        self.0 * self.0
    }
}

impl Square {
    /// CC 3 (while, if), COG 4 (while +1, if +2, recursion +1).
    fn shrink(&mut self, by: f64) {
        while self.0 > by {
            if by <= 0.0 {
                return;
            }
            self.0 -= by;
        }
        self.shrink(by / 2.0);
    }
}

mod inline {
    use super::Square;

    /// CC 1, COG 0.
    pub fn make() -> Square {
        Square(1.0)
    }
}

/// CC 3 (if, if), COG 5 (if +1, nested if +2, inner else +1, else +1).
fn nested_else(a: bool, b: bool) -> u32 {
    if a {
        if b {
            1
        } else {
            2
        }
    } else {
        3
    }
}

/// CC 1, COG 0. {closure#1}: CC 1, COG 0. {closure#1}::{closure#1}: CC 2
/// (`||`), COG 1 (one sequence).
fn closure_in_closure(v: Vec<Vec<u32>>) -> usize {
    v.iter()
        .map(|row| row.iter().filter(|x| **x > 0 || **x == 7).count())
        .sum()
}

/// CC 7 (if, 5 operators), COG 5: the white paper's `a && b && c || d || e
/// && f` is three sequences (+3); if +1, else +1.
fn mixed_operators(a: bool, b: bool, c: bool, d: bool, e: bool, f: bool) -> bool {
    if a && b && c || d || e && f { true } else { false }
}

/// CC 3 (2 operators), COG 2: a negation starts a new sequence.
fn negated(a: bool, b: bool, c: bool) -> bool {
    a && !(b && c)
}
