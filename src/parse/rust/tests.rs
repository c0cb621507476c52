use super::analyze;
use super::scan::{MAX_CHAIN, MAX_NESTING};
use crate::facts::{FileFacts, FunctionKind, Language, Lines, RustMod, RustUse};

fn fixture() -> FileFacts {
    let src = std::fs::read_to_string("testdata/rust/metrics.rs").expect("fixture");
    analyze(&src)
}

/// Every function of `testdata/rust/metrics.rs`, with the numbers its doc
/// comment states: (name, kind, line, end_line, cyclomatic, cognitive,
/// nesting).
#[test]
fn fixture_functions() {
    use FunctionKind::{Closure, Function, Method, Nested};
    let expected = [
        ("straight", Function, 13, 15, 1, 0, 0),
        ("classify", Function, 18, 28, 4, 4, 1),
        ("if_let", Function, 31, 38, 3, 3, 2),
        ("guards", Function, 41, 48, 6, 1, 1),
        ("sum_of_primes", Function, 52, 63, 4, 7, 3),
        ("get_words", Function, 66, 73, 4, 1, 1),
        ("loops", Function, 77, 87, 4, 8, 3),
        ("question", Function, 90, 95, 4, 0, 0),
        ("logic", Function, 99, 104, 7, 5, 1),
        ("with_closures", Function, 107, 117, 2, 1, 1),
        ("with_closures::{closure#1}", Closure, 108, 111, 2, 3, 1),
        ("with_closures::{closure#2}", Closure, 116, 116, 2, 1, 0),
        ("with_closures::{closure#3}", Closure, 116, 116, 1, 0, 0),
        ("outer", Function, 120, 130, 2, 1, 1),
        ("outer::inner", Nested, 122, 124, 2, 3, 1),
        ("let_else", Function, 133, 138, 2, 1, 1),
        ("factorial", Function, 141, 143, 2, 3, 1),
        ("fetch", Function, 146, 148, 1, 0, 0),
        ("Shape::describe", Method, 155, 157, 2, 2, 1),
        ("Square::area", Method, 164, 166, 1, 0, 0),
        ("Square::shrink", Method, 171, 179, 3, 4, 2),
        ("inline::make", Function, 186, 188, 1, 0, 0),
        ("nested_else", Function, 192, 202, 3, 5, 2),
        ("closure_in_closure", Function, 206, 210, 1, 0, 0),
        (
            "closure_in_closure::{closure#1}",
            Closure,
            208,
            208,
            1,
            0,
            0,
        ),
        (
            "closure_in_closure::{closure#1}::{closure#1}",
            Closure,
            208,
            208,
            2,
            1,
            0,
        ),
        ("mixed_operators", Function, 214, 216, 7, 5, 1),
        ("negated", Function, 219, 221, 3, 2, 0),
    ];
    let facts = fixture();
    assert_eq!(facts.language, Language::Rust);
    assert!(facts.problems.is_empty(), "{:?}", facts.problems);
    let actual: Vec<_> = facts
        .functions
        .iter()
        .map(|f| {
            (
                f.name.as_str(),
                f.kind,
                f.line,
                f.end_line,
                f.cyclomatic,
                f.cognitive,
                f.nesting,
            )
        })
        .collect();
    assert_eq!(actual, expected);
    let total: u32 = expected.iter().map(|e| e.4).sum();
    assert_eq!(facts.metrics.cyclomatic_total, total);
}

#[test]
fn fixture_signatures() {
    let facts = fixture();
    let get = |name: &str| {
        facts
            .functions
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    let straight = get("straight");
    assert_eq!((straight.params, straight.annotated_params), (2, 2));
    assert!(straight.returns_annotated && straight.has_docstring && !straight.is_async);
    // `self` is not a parameter.
    let shrink = get("Square::shrink");
    assert_eq!((shrink.params, shrink.annotated_params), (1, 1));
    assert!(!shrink.returns_annotated);
    assert!(get("fetch").is_async);
    // Closures: parameters need not be typed.
    let typed = get("with_closures::{closure#1}");
    assert_eq!((typed.params, typed.annotated_params), (1, 1));
    assert!(typed.returns_annotated && !typed.has_docstring);
    let untyped = get("with_closures::{closure#2}");
    assert_eq!((untyped.params, untyped.annotated_params), (1, 0));
    assert!(!untyped.returns_annotated);
}

#[test]
fn fixture_uses_and_mods() {
    let facts = fixture();
    let uses: Vec<_> = facts
        .uses
        .iter()
        .map(|u| (u.path.as_str(), u.line))
        .collect();
    assert_eq!(
        uses,
        [
            ("std::collections::HashMap", 5),
            ("std::collections::hash_map::Entry", 5),
            ("std::fmt", 6),
            ("std::fmt::Write", 6),
            ("crate::model::*", 7),
            ("::serde::Deserialize", 8),
            ("super::Square", 183),
        ]
    );
    assert_eq!(
        facts.mods,
        [
            RustMod {
                name: "config".into(),
                line: 10,
                inline: false,
                scope: String::new(),
            },
            RustMod {
                name: "inline".into(),
                line: 182,
                inline: true,
                scope: String::new(),
            },
        ]
    );
    let scopes: Vec<&str> = facts.uses.iter().map(|u| u.scope.as_str()).collect();
    assert_eq!(scopes, ["", "", "", "", "", "", "inline"]);
}

#[test]
fn nested_modules_and_impls_prefix_names() {
    let src = "\
mod a {
    mod b;
    pub mod c {
        use self::d::{e as f, g::{self, *}};
        pub fn h() {}
        impl<'x> Trait for &'x mut Vec<u8> {
            fn m(&self) {}
        }
    }
}
static F: fn() = || {};
fn outer() {
    struct Local;
    impl Local {
        fn method(self) -> u8 { if true { 1 } else { 2 } }
    }
    macro_rules! hidden { () => { fn invisible() {} } }
}
";
    let facts = analyze(src);
    let names: Vec<_> = facts
        .functions
        .iter()
        .map(|f| (f.name.as_str(), f.kind, f.cognitive))
        .collect();
    assert_eq!(
        names,
        [
            ("a::c::h", FunctionKind::Function, 0),
            ("a::c::Vec::m", FunctionKind::Method, 0),
            ("F::{closure#1}", FunctionKind::Closure, 0),
            ("outer", FunctionKind::Function, 0),
            // Items inside a function inherit its nesting: if +2, else +1.
            ("outer::Local::method", FunctionKind::Method, 3),
        ]
    );
    let uses: Vec<_> = facts.uses.iter().map(|u| u.path.as_str()).collect();
    assert_eq!(uses, ["self::d::e", "self::d::g", "self::d::g::*"]);
    let mods: Vec<_> = facts
        .mods
        .iter()
        .map(|m| (m.name.as_str(), m.line, m.inline))
        .collect();
    assert_eq!(mods, [("a", 1, true), ("b", 2, false), ("c", 3, true)]);
}

#[test]
fn file_lines() {
    let src = "\
//! Crate doc.

/// Item doc
/// on two lines.
fn f() {
    let s = \"a
b\"; // trailing

    /* block
       comment */
    s.len();
}
";
    let facts = analyze(src);
    assert_eq!(
        facts.lines,
        Lines {
            loc: 12,
            lloc: 3,
            sloc: 5,
            comments: 6,
            multi: 3,
            blank: 2,
            single_comments: 5,
        }
    );
    let f = &facts.functions[0];
    assert_eq!((f.line, f.end_line), (5, 12));
    assert_eq!(
        f.lines,
        Lines {
            loc: 8,
            lloc: 3,
            sloc: 5,
            comments: 3,
            multi: 0,
            blank: 1,
            single_comments: 2,
        }
    );
}

#[test]
fn empty_and_comment_only_files() {
    let empty = analyze("");
    assert_eq!(empty.lines, Lines::default());
    assert!(empty.functions.is_empty() && empty.problems.is_empty() && !empty.syntax_errors);

    let comments = analyze("// one\n/* two\nthree */\n\n/// four\n");
    assert_eq!(comments.lines.loc, 5);
    assert_eq!(comments.lines.single_comments, 4);
    assert_eq!(comments.lines.blank, 1);
    assert_eq!(comments.lines.sloc, 0);
    // A dangling doc comment is a syntax error, reported, not a crash.
    assert!(comments.syntax_errors);
    assert_eq!(comments.problems.len(), 1);
}

#[test]
fn syntax_error_keeps_the_other_items() {
    // Edition-2015 anonymous trait parameters, which syn rejects.
    let src = "\
use std::hash::Hasher;
trait Old {
    fn hash(&mut self, u64);
}
fn after(x: u8) -> bool { x > 1 && x < 9 }
";
    let facts = analyze(src);
    assert!(facts.syntax_errors);
    assert_eq!(facts.problems.len(), 1);
    assert_eq!(facts.problems[0].line, 3);
    assert_eq!(facts.functions.len(), 1);
    assert_eq!(facts.functions[0].name, "after");
    assert_eq!(facts.functions[0].cyclomatic, 2);
    assert_eq!(
        facts.uses,
        [RustUse {
            path: "std::hash::Hasher".into(),
            line: 1,
            scope: String::new(),
        }]
    );
    assert_eq!(facts.lines.loc, 5);
}

#[test]
fn doc_attributes() {
    let facts = analyze(
        "#[doc = \"Text.\"]\nfn a() {}\n#[doc(hidden)]\nfn b() {}\n/** Block. */\nfn c() {}\n",
    );
    let docs: Vec<_> = facts.functions.iter().map(|f| f.has_docstring).collect();
    assert_eq!(docs, [true, false, true]);
}

#[test]
fn lexer_errors_are_problems() {
    let facts = analyze("fn f() {\n    \"unterminated }\n");
    assert!(facts.syntax_errors);
    assert_eq!(facts.problems.len(), 1);
    assert_eq!(facts.problems[0].line, 2);
    assert_eq!(facts.lines.loc, 2);
    let facts = analyze("fn f() { ) }");
    assert!(facts.syntax_errors);
}

#[test]
fn replacement_characters_and_odd_bytes() {
    // What a lossy UTF-8 decode of a binary file looks like.
    let bytes: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    let text = String::from_utf8_lossy(&bytes);
    let facts = analyze(&text);
    assert!(facts.syntax_errors);
    let facts = analyze("\u{feff}#!/usr/bin/env run\nfn main() { let c = '\u{fffd}'; }\n");
    assert!(!facts.syntax_errors, "{:?}", facts.problems);
    assert_eq!(facts.functions[0].line, 2);
}

#[test]
fn macro_bodies_are_opaque() {
    let src = "macro_rules! m { ($x:expr) => { fn hidden() { if $x {} } }; }\nm!(true);\n";
    let facts = analyze(src);
    assert!(facts.functions.is_empty());
    assert!(!facts.syntax_errors);
    // Deep nesting inside a macro call does not count against the guard.
    let deep = format!("fn f() {{ m!({}{}); }}", "(".repeat(1000), ")".repeat(1000));
    assert_eq!(analyze(&deep).functions.len(), 1);
}

/// Files syn could not parse without overflowing the stack are refused by
/// the linear pre-check, with the line where the limit was passed.
#[test]
fn pathological_depth_is_refused() {
    let n = 100_000;
    let cases = [
        format!("fn f() {{ {}1{} }}", "(".repeat(n), ")".repeat(n)),
        format!("fn f() {{ {}{} }}", "{".repeat(n), "}".repeat(n)),
        format!("fn f() {{ {}x }}", "!".repeat(n)),
        format!("fn f() {{ {}x }}", "|| ".repeat(n)),
        format!("type T = {}u8{};", "V<".repeat(n), ">".repeat(n)),
        format!("type T = {}u8;", "&".repeat(n)),
        format!("use {}b;", "a::".repeat(n)),
        format!("{}{}", "mod a {".repeat(n), "}".repeat(n)),
        format!("fn f() {{ {}1 }}", "1 + ".repeat(n)),
        format!("fn f() {{ x{} }}", ".m()".repeat(n)),
        format!("fn f() {{ if a {{}}{} }}", " else if a {}".repeat(n)),
        format!("fn f() {{ {}x }}", "return ".repeat(n)),
        format!("fn f() {{ {}b }}", "a = ".repeat(n)),
    ];
    for src in &cases {
        let facts = analyze(src);
        assert!(facts.syntax_errors, "{}", &src[..40]);
        assert_eq!(facts.problems.len(), 1);
        assert_eq!(facts.problems[0].line, 1);
        assert!(facts.problems[0].message.contains("nested too deeply"));
        assert!(facts.functions.is_empty());
    }
}

/// Inputs just inside the limits parse; they need a large stack in debug
/// builds (see `scan`), so this runs on its own thread.
#[test]
fn inputs_inside_the_limits_are_analysed() {
    let run = || {
        let nesting = MAX_NESTING as usize / 2 - 2;
        let parens = format!(
            "fn f() {{ {}1{} }}",
            "(".repeat(nesting),
            ")".repeat(nesting)
        );
        assert!(!analyze(&parens).syntax_errors);
        let chain = format!("fn f() {{ {}1 }}", "a && ".repeat(1000));
        let facts = analyze(&chain);
        assert!(!facts.syntax_errors);
        assert_eq!(facts.functions[0].cyclomatic, 1001);
        assert_eq!(facts.functions[0].cognitive, 1);
        let ladder = format!(
            "fn f() {{ if a {{}}{} }}",
            " else if a {}".repeat(MAX_CHAIN as usize - 10)
        );
        assert_eq!(analyze(&ladder).functions[0].cyclomatic, MAX_CHAIN - 8);
    };
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(run)
        .expect("thread")
        .join()
        .expect("no panic");
}

#[test]
fn deep_expressions_are_cut_not_overflowed() {
    // Left-deep chains below the guard's limit but past the visitor's.
    let src = format!("fn f() {{ x{} }}", "?".repeat(3000));
    let facts = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || analyze(&src))
        .expect("thread")
        .join()
        .expect("no panic");
    assert_eq!(facts.functions.len(), 1);
    assert_eq!(facts.problems.len(), 1);
    assert!(facts.problems[0].message.contains("not analysed"));
}

#[test]
fn output_is_deterministic() {
    let src = std::fs::read_to_string("testdata/rust/metrics.rs").expect("fixture");
    assert_eq!(analyze(&src), analyze(&src));
}
