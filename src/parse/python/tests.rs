use super::ModuleAnalyzer;
use crate::facts::{AnalysisOptions, CcRules, DynamicKind, FileFacts, Function, FunctionKind};

const CONSTRUCTS: &str = include_str!("../../../testdata/python/cc_constructs.py");
const SONAR: &str = include_str!("../../../testdata/python/cognitive_sonar.py");

fn facts_with(source: &str, cc_rules: CcRules) -> FileFacts {
    ModuleAnalyzer::new(AnalysisOptions { cc_rules })
        .expect("tree-sitter-python loads")
        .analyze(source)
}

fn analyzed(source: &str) -> FileFacts {
    facts_with(source, CcRules::Radon)
}

fn function<'f>(facts: &'f FileFacts, name: &str) -> &'f Function {
    facts
        .functions
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no function {name}"))
}

/// The first `expect: key=N …` at or after the `def` line of a function.
fn expected(source: &str, line: u32, key: &str) -> Option<u32> {
    let text = source
        .lines()
        .skip(line as usize - 1)
        .find_map(|l| l.split_once("expect:").map(|(_, rest)| rest))?;
    text.split(|c: char| c.is_whitespace() || matches!(c, '.' | ',' | '"'))
        .filter_map(|word| word.split_once('='))
        .find(|(k, _)| *k == key)
        .and_then(|(_, v)| v.parse().ok())
}

#[test]
fn constructs_fixture_radon_mccabe_cognitive() {
    let radon = facts_with(CONSTRUCTS, CcRules::Radon);
    let mccabe = facts_with(CONSTRUCTS, CcRules::Mccabe);
    assert_eq!(radon.functions.len(), 31);
    for (r, m) in radon.functions.iter().zip(&mccabe.functions) {
        let want = |key| {
            expected(CONSTRUCTS, r.line, key).unwrap_or_else(|| panic!("{key} of {}", r.name))
        };
        assert_eq!(r.cyclomatic, want("radon"), "radon CC of {}", r.name);
        assert_eq!(m.cyclomatic, want("mccabe"), "mccabe CC of {}", r.name);
        assert_eq!(r.cognitive, want("cognitive"), "cognitive of {}", r.name);
        assert_eq!(m.cognitive, r.cognitive, "{}", r.name);
    }
    // `radon.visitors.ComplexityVisitor.from_code(src).total_complexity`.
    assert_eq!(radon.metrics.cyclomatic_total, 62);
    assert_eq!(mccabe.metrics.cyclomatic_total, 62);
}

#[test]
fn sonar_fixture_cognitive() {
    let facts = analyzed(SONAR);
    assert_eq!(facts.functions.len(), 22);
    for f in &facts.functions {
        let want = expected(SONAR, f.line, "cognitive").unwrap_or_else(|| panic!("{}", f.name));
        assert_eq!(f.cognitive, want, "cognitive of {}", f.name);
    }
}

fn cognitive(source: &str) -> u32 {
    analyzed(source).functions[0].cognitive
}

#[test]
fn cognitive_small_cases() {
    assert_eq!(cognitive("def f(a, b):\n    return a or b and a or b\n"), 3);
    assert_eq!(cognitive("def f(a, b):\n    return a and (b and a)\n"), 2);
    assert_eq!(
        cognitive("def f(a, b):\n    return a and not (a and b)\n"),
        2
    );
    // The nesting inside a nested def counts for the parent.
    let nested =
        "def f(a):\n    if a:\n        def g():\n            if a:\n                pass\n";
    assert_eq!(cognitive(nested), 4);
    assert_eq!(analyzed(nested).functions[1].cognitive, 1);
    // A method calling itself through `self` is recursive; a function of the
    // same name is not the method.
    let method = "class A:\n    def f(self):\n        return self.f() + f()\n";
    assert_eq!(analyzed(method).functions[0].cognitive, 1);
    assert_eq!(cognitive("def f():\n    return g(f)\n"), 0);
    // Comprehension clauses nest what they contain.
    assert_eq!(
        cognitive("def f(xs):\n    return [a if a else 0 for a in xs]\n"),
        3
    );
}

#[test]
fn cyclomatic_small_cases() {
    let cc = |src: &str, rules| facts_with(src, rules).functions[0].cyclomatic;
    let radon = |src: &str| cc(src, CcRules::Radon);
    let mccabe = |src: &str| cc(src, CcRules::Mccabe);
    // radon: lambda default values are visited, def default values are not.
    assert_eq!(radon("def f():\n    return lambda a=1 if X else 2: a\n"), 2);
    assert_eq!(radon("def f(a=1 if X else 2):\n    return a\n"), 1);
    // radon: only one wildcard is discounted; ruff looks at the last case.
    let two_wildcards = "def f(v):\n    match v:\n        case _ if v:\n            pass\n        case x:\n            pass\n";
    assert_eq!(radon(two_wildcards), 2);
    assert_eq!(mccabe(two_wildcards), 2);
    let or_wildcard = "def f(v):\n    match v:\n        case 1:\n            pass\n        case (2 | _):\n            pass\n";
    assert_eq!(radon(or_wildcard), 3);
    assert_eq!(mccabe(or_wildcard), 2);
    // mccabe: nested defs add 1 plus their complexity, at any depth.
    let nested =
        "def f():\n    def a():\n        def b():\n            pass\n        b()\n    a()\n";
    assert_eq!(mccabe(nested), 3);
    assert_eq!(radon(nested), 1);
    // mccabe: a class body inside a method counts for the method.
    let class = "class C:\n    def handle(self, *args, **options):\n        if args:\n            return\n\n        class Provider:\n            def a(self):\n                pass\n\n            def b(self, data):\n                if not args:\n                    pass\n        return Provider()\n";
    assert_eq!(mccabe(class), 5);
}

#[test]
fn functions_names_kinds_lines_and_signatures() {
    let src = "\
class Outer:
    class Inner:
        def method(self, a, /, b: int = 1, *, c, **kw) -> None:
            '''Doc.'''

    @staticmethod
    @other
    def static(a: int, *args: str):
        pass

    @classmethod
    def make(cls, *args):
        x = 1
        # trailing comment

def func(self):
    async def inner():
        pass

    class Local:
        def method(self):
            pass
    return Local
";
    let facts = analyzed(src);
    let names: Vec<_> = facts.functions.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Outer.Inner.method",
            "Outer.static",
            "Outer.make",
            "func",
            "func.inner",
            "func.Local.method"
        ]
    );
    let kinds: Vec<_> = facts.functions.iter().map(|f| f.kind).collect();
    use FunctionKind::{Function as F, Method as M, Nested as N};
    assert_eq!(kinds, [M, M, M, F, N, M]);
    let method = &facts.functions[0];
    assert_eq!((method.line, method.end_line), (3, 4));
    assert_eq!((method.params, method.annotated_params), (4, 1));
    assert!(method.returns_annotated && method.has_docstring && !method.is_async);
    let static_ = &facts.functions[1];
    assert_eq!((static_.line, static_.end_line), (8, 9));
    assert_eq!((static_.params, static_.annotated_params), (2, 2));
    assert!(!static_.returns_annotated && !static_.has_docstring);
    let make = &facts.functions[2];
    assert_eq!((make.line, make.end_line, make.params), (12, 13, 1));
    // `self` of a plain function is an ordinary parameter.
    assert_eq!(facts.functions[3].params, 1);
    assert!(facts.functions[4].is_async);
    let classes: Vec<_> = facts
        .classes
        .iter()
        .map(|c| (c.name.as_str(), c.line, c.end_line))
        .collect();
    assert_eq!(
        classes,
        [
            ("Outer", 1, 13),
            ("Outer.Inner", 2, 4),
            ("func.Local", 20, 22)
        ]
    );
}

#[test]
fn nesting_depth() {
    let facts = analyzed(CONSTRUCTS);
    let depth = |name| function(&facts, name).nesting;
    assert_eq!(depth("straight"), 0);
    assert_eq!(depth("nested_ifs"), 3);
    assert_eq!(depth("for_else"), 2);
    assert_eq!(depth("try_full"), 1);
    assert_eq!(depth("async_loops"), 3);
    assert_eq!(depth("match_with_default"), 2);
    // Structures of a nested function are its own.
    assert_eq!(depth("outer_with_closure"), 1);
    assert_eq!(depth("outer_with_closure.inner"), 1);
}

#[test]
fn classes_bases_and_docstrings() {
    let src = "\
class A(nn.Module, Generic[T], metaclass=ABCMeta):
    \"\"\"Doc.\"\"\"

class B:
    f'not a docstring'
    x = 1

class C(
    Base,  # comment
    *mixins,
): pass
";
    let facts = analyzed(src);
    let a = &facts.classes[0];
    assert_eq!(a.bases, ["nn.Module", "Generic[T]"]);
    assert!(a.has_docstring);
    assert_eq!((a.line, a.end_line), (1, 2));
    assert!(facts.classes[1].bases.is_empty() && !facts.classes[1].has_docstring);
    assert_eq!(facts.classes[2].bases, ["Base", "*mixins"]);
    assert_eq!(facts.classes[2].end_line, 11);
}

#[test]
fn imports() {
    let src = "\
import os, numpy.linalg as la
from . import sibling
from ...pkg.sub import (a as b, c,)
from __future__ import annotations
from typing import TYPE_CHECKING
import typing

if TYPE_CHECKING:
    from torch import Tensor
else:
    import json
if typing.TYPE_CHECKING:
    from x import *

try:
    import yaml
except ImportError:
    import ruamel.yaml as yaml
else:
    import pickle

def f():
    try:
        import lazy
    finally:
        pass
";
    let facts = analyzed(src);
    let got: Vec<_> = facts
        .imports
        .iter()
        .map(|i| {
            (
                i.module.as_str(),
                i.names.join(","),
                i.level,
                i.line,
                i.in_function,
                i.type_checking,
                i.in_try,
            )
        })
        .collect();
    let want = [
        ("os", "", 0, 1, false, false, false),
        ("numpy.linalg", "", 0, 1, false, false, false),
        ("", "sibling", 1, 2, false, false, false),
        ("pkg.sub", "a,c", 3, 3, false, false, false),
        ("__future__", "annotations", 0, 4, false, false, false),
        ("typing", "TYPE_CHECKING", 0, 5, false, false, false),
        ("typing", "", 0, 6, false, false, false),
        ("torch", "Tensor", 0, 9, false, true, false),
        ("json", "", 0, 11, false, false, false),
        ("x", "*", 0, 13, false, true, false),
        ("yaml", "", 0, 16, false, false, true),
        ("ruamel.yaml", "", 0, 18, false, false, true),
        ("pickle", "", 0, 20, false, false, false),
        ("lazy", "", 0, 24, true, false, true),
    ];
    let want: Vec<_> = want
        .iter()
        .map(|&(m, n, l, line, f, t, tr)| (m, n.to_owned(), l, line, f, t, tr))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn dynamic_points() {
    let src = "\
import importlib
getattr(obj, name)
getattr(obj, 'literal')
getattr(obj, f'{x}_y', None)
importlib.import_module(mod)
import_module(mod)
__import__(mod)
eval(code)
exec(code)
instantiate(cfg)
d = {'_target_': 'a.B', 'x': 1}
call(_target_='a.B')

@MODELS.register_module()
class Model: pass

@register_model
def model(): pass

@registry.register
@other.registered(name='xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')
def g(): pass
";
    let facts = analyzed(src);
    let got: Vec<_> = facts.dynamic.iter().map(|d| (d.kind, d.line)).collect();
    use DynamicKind::*;
    assert_eq!(
        got,
        [
            (Getattr, 2),
            (Getattr, 4),
            (ImportModule, 5),
            (ImportModule, 6),
            (DunderImport, 7),
            (Eval, 8),
            (Exec, 9),
            (HydraTarget, 11),
            (HydraTarget, 12),
            (RegistryDecorator, 14),
            (RegistryDecorator, 17),
            (RegistryDecorator, 20),
            (RegistryDecorator, 21),
        ]
    );
    assert_eq!(facts.dynamic[0].detail, "getattr(obj, name)");
    assert_eq!(facts.dynamic[7].detail, "'_target_': 'a.B'");
    let long = &facts.dynamic[12].detail;
    assert_eq!(long.chars().count(), 80);
    assert!(long.starts_with("@other.registered(name='xxx") && long.ends_with('…'));
    // With hydra imported, `instantiate` and `call` are dynamic.
    let hydra = facts_with(
        &format!("from hydra.utils import instantiate\n{src}"),
        CcRules::Radon,
    );
    let hydra_lines: Vec<_> = hydra
        .dynamic
        .iter()
        .filter(|d| d.kind == HydraInstantiate)
        .map(|d| (d.line, d.detail.as_str()))
        .collect();
    assert_eq!(
        hydra_lines,
        [(11, "instantiate(cfg)"), (13, "call(_target_='a.B')")]
    );
    let qualified = analyzed("import hydra\nhydra.utils.instantiate(c)\nobj.call(x)\n");
    assert_eq!(qualified.dynamic.len(), 1);
}

#[test]
fn detail_is_one_short_line() {
    assert_eq!(super::dynamic::shorten("f(\n    a,\n    b)"), "f( a, b)");
    let long = "é".repeat(100);
    let short = super::dynamic::shorten(&long);
    assert_eq!(short.chars().count(), 80);
    assert!(short.ends_with('…'));
}

#[test]
fn syntax_errors_are_reported_and_metrics_kept() {
    let src = "\
def good(a):
    if a:
        return 1

def bad(x)
    return x

def call(:
    pass

print 'py2'
";
    let facts = analyzed(src);
    assert!(facts.syntax_errors);
    assert!(!facts.problems.is_empty() && facts.problems.len() <= 5);
    assert!(facts.problems.iter().all(|p| p.line >= 5));
    let good = function(&facts, "good");
    assert_eq!((good.cyclomatic, good.cognitive), (2, 1));
    let missing = facts_with("def f(:\n    pass\n", CcRules::Radon);
    assert_eq!(missing.problems[0].message, "missing \")\"");
    assert_eq!(missing.problems[0].line, 1);
    let many = analyzed(&"x = (\n".repeat(50));
    assert!(many.syntax_errors && many.problems.len() <= 5);
}

#[test]
fn clean_file_has_no_problems() {
    let facts = analyzed(CONSTRUCTS);
    assert!(!facts.syntax_errors && facts.problems.is_empty());
}

#[test]
fn deep_nesting_does_not_overflow() {
    let n = 100_000;
    let brackets = format!("def f():\n    return {}{}\n", "[".repeat(n), "]".repeat(n));
    let facts = analyzed(&brackets);
    assert_eq!(facts.functions.len(), 1);
    let chain = format!("def f(a):\n    return a{}\n", " and a".repeat(n));
    let facts = facts_with(&chain, CcRules::Radon);
    assert_eq!(facts.functions[0].cyclomatic, 1 + n as u32);
    assert_eq!(facts.functions[0].cognitive, 1);
    let parens = format!("x = {}1 if a else 2{}\n", "(".repeat(n), ")".repeat(n));
    assert_eq!(
        facts_with(&parens, CcRules::Radon).metrics.cyclomatic_total,
        2
    );
    // Cognitive complexity grows with the square of the depth: it saturates.
    let ternaries = format!(
        "def f():\n    return {}0{}\n",
        "(a if b else ".repeat(n),
        ")".repeat(n)
    );
    let deep = &analyzed(&ternaries).functions[0];
    assert_eq!((deep.cyclomatic, deep.cognitive), (1 + n as u32, u32::MAX));
    let nested_defs: String = (0..100)
        .map(|i| format!("{}def f{i}():\n", " ".repeat(i)))
        .collect();
    let nested_defs = format!("{nested_defs}{}return 1\n", " ".repeat(100));
    assert_eq!(analyzed(&nested_defs).functions.len(), 100);
    let lambdas = format!("f = {}0\n", "lambda: ".repeat(n / 10));
    assert!(facts_with(&lambdas, CcRules::Radon).problems.is_empty());
}

#[test]
fn empty_and_odd_inputs() {
    for src in [
        "",
        "\n",
        "\0",
        "def",
        "class",
        "@",
        "match x:\n",
        "(((",
        "'''",
    ] {
        let f = analyzed(src);
        assert_eq!(f.metrics.cyclomatic_total, 1, "{src:?}");
    }
}
