//! Explainability rules (MLS3xx): dynamic indirection, undocumented and
//! unannotated public API in model, feature and pipeline code, and data
//! access the lineage cannot resolve.

use std::cell::OnceCell;

use foldhash::HashSet;

use crate::facts::{DynamicKind, FileFacts, Function, FunctionKind, Language};
use crate::lineage::Opacity;
use crate::report::FileReport;

use super::{Active, At, Context, Sink, in_roles};

pub(super) fn check(cx: &Context, out: &mut Sink) {
    if let Some(rule) = cx.rule("MLS301") {
        dynamic(cx, rule, out);
    }
    if let Some(rule) = cx.rule("MLS302") {
        undocumented(cx, rule, out);
    }
    if let Some(rule) = cx.rule("MLS303") {
        unannotated(cx, rule, out);
    }
    if let Some(rule) = cx.rule("MLS304") {
        opaque(cx, rule, out);
    }
}

/// MLS301: dynamic indirection in files of the rule's roles.
fn dynamic(cx: &Context, rule: &Active, out: &mut Sink) {
    let checked = in_roles(rule);
    for file in cx.files.iter().filter(|f| checked(f)) {
        for point in &file.facts.dynamic {
            let Some(what) = unexplained(point.kind) else {
                continue;
            };
            if point.kind == DynamicKind::Getattr && names_constant(&point.detail) {
                continue;
            }
            let message = format!(
                "{what} `{}`: what it reaches is only known at run time",
                point.detail
            );
            let at = At::new(&file.path, point.line, point.cell);
            out.report(rule, at, &point.detail, message);
        }
    }
}

/// What a dynamic point is, when no reader can follow it. Registry
/// decorators and Hydra (`_target_`, `instantiate`) are declared
/// indirection: the choices are listed in code or configs and the lineage
/// follows them (an `instantiate` it cannot resolve is MLS304's).
fn unexplained(kind: DynamicKind) -> Option<&'static str> {
    match kind {
        DynamicKind::Getattr => Some("getattr with a computed name"),
        DynamicKind::ImportModule | DynamicKind::DunderImport => Some("dynamic import"),
        DynamicKind::Eval => Some("eval"),
        DynamicKind::Exec => Some("exec"),
        DynamicKind::HydraInstantiate
        | DynamicKind::HydraTarget
        | DynamicKind::RegistryDecorator => None,
    }
}

/// Whether a `getattr` call as written takes its name from a constant
/// (`getattr(obj, _FLAG_NAME, False)`): a reader follows it like a literal.
fn names_constant(call: &str) -> bool {
    let Some(args) = call.strip_prefix("getattr(") else {
        return false;
    };
    let mut depth = 0;
    let mut commas = args.char_indices().filter(|&(_, c)| {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            _ => {}
        }
        depth == 0 && c == ','
    });
    let Some((start, _)) = commas.next() else {
        return false;
    };
    let rest = &args[start + 1..];
    let end = rest.find([',', ')']).unwrap_or(rest.len());
    let name = rest[..end].trim();
    name.chars().any(|c| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// MLS302: public functions, methods and classes of at least `min-lines`
/// lines without a docstring (Rust: a `///` comment), unless a decorator
/// writes it (`@auto_docstring`, `@add_start_docstrings`: any decorator
/// whose last name contains `doc`).
fn undocumented(cx: &Context, rule: &Active, out: &mut Sink) {
    let min = rule.int("min-lines");
    let checked = in_roles(rule);
    let hooks = rule.strings("hooks");
    for file in cx.files.iter().filter(|f| checked(f)) {
        // Notebooks are not imported: they have no public API.
        let doc = match file.facts.language {
            Language::Python => "docstring",
            Language::Rust => "doc comment",
            _ => continue,
        };
        let api = Api::of(file, &hooks);
        let documented: HashSet<&str> = file
            .facts
            .lineage
            .decorators
            .iter()
            .filter(|d| {
                let last = d.decorator.callee.rsplit('.').next().unwrap_or_default();
                last.to_ascii_lowercase().contains("doc")
            })
            .map(|d| d.target.as_str())
            .collect();
        for f in &file.facts.functions {
            let lines = f.lines.sloc;
            if !f.has_docstring
                && i64::from(lines) >= min
                && api.function(f)
                && !documented.contains(f.name.as_str())
            {
                let message = format!("`{}` ({lines} source lines) has no {doc}", f.name);
                out.report(rule, At::new(&file.path, f.line, f.cell), &f.name, message);
            }
        }
        for c in &file.facts.classes {
            let lines = c.end_line.saturating_sub(c.line) + 1;
            if !c.has_docstring
                && i64::from(lines) >= min
                && api.name(&c.name)
                && !documented.contains(c.name.as_str())
            {
                let message = format!("class `{}` ({lines} lines) has no {doc}", c.name);
                out.report(rule, At::new(&file.path, c.line, c.cell), &c.name, message);
            }
        }
    }
}

/// MLS303: public Python functions and methods with unannotated
/// parameters or return value.
fn unannotated(cx: &Context, rule: &Active, out: &mut Sink) {
    let checked = in_roles(rule);
    let hooks = rule.strings("hooks");
    for file in cx.files.iter().filter(|f| checked(f)) {
        if file.facts.language != Language::Python {
            continue;
        }
        let api = Api::of(file, &hooks);
        for f in &file.facts.functions {
            let bare = f.params.saturating_sub(f.annotated_params);
            if (bare == 0 && f.returns_annotated) || !api.function(f) {
                continue;
            }
            let mut missing = Vec::new();
            if bare > 0 {
                let s = if f.params == 1 { "" } else { "s" };
                missing.push(format!("{bare} of {} parameter{s}", f.params));
            }
            if !f.returns_annotated {
                missing.push("the return type".to_string());
            }
            if !missing.is_empty() {
                let message = format!("`{}` leaves {} unannotated", f.name, missing.join(" and "));
                out.report(rule, At::new(&file.path, f.line, f.cell), &f.name, message);
            }
        }
    }
}

/// The public API of a file's code: module-level functions, methods and
/// classes whose every name is public (no leading `_`, so no dunder) and
/// that are not local to a function (nested functions, closures, methods
/// of a class defined in a function). A method named in the rule's
/// `hooks` in a class with a base overrides a framework hook (`forward`,
/// `fit`): the base documents and types its contract.
struct Api<'a> {
    facts: &'a FileFacts,
    /// The names of the file's functions (made when first needed, as is
    /// `derived`).
    functions: OnceCell<HashSet<&'a str>>,
    /// Classes with at least one base.
    derived: OnceCell<HashSet<&'a str>>,
    hooks: &'a [&'a str],
}

impl<'a> Api<'a> {
    fn of(file: &'a FileReport, hooks: &'a [&'a str]) -> Self {
        Api {
            facts: &file.facts,
            functions: OnceCell::new(),
            derived: OnceCell::new(),
            hooks,
        }
    }

    fn function(&self, f: &Function) -> bool {
        let hook = f.kind == FunctionKind::Method
            && f.name.rsplit_once('.').is_some_and(|(class, method)| {
                self.hooks.contains(&method) && self.derived().contains(class)
            });
        matches!(f.kind, FunctionKind::Function | FunctionKind::Method)
            && !hook
            && self.name(&f.name)
    }

    /// Whether a qualified name (`Class.method`, `Type::method`) of a
    /// function or class is public, not inside a function and not in a
    /// Rust test module (`tests::checks_x`).
    fn name(&self, name: &str) -> bool {
        let mut start = 0;
        for (end, &b) in name.as_bytes().iter().chain(b".").enumerate() {
            if !matches!(b, b'.' | b':') {
                continue;
            }
            let part = name.get(start..end).unwrap_or_default();
            if part.starts_with('_') || part == "tests" {
                return false;
            }
            // A part after a function's name: local to the function.
            if end < name.len()
                && self
                    .functions()
                    .contains(name.get(..end).unwrap_or_default())
            {
                return false;
            }
            start = end + 1;
        }
        true
    }

    fn derived(&self) -> &HashSet<&'a str> {
        self.derived.get_or_init(|| {
            let classes = self.facts.classes.iter();
            classes
                .filter(|c| !c.bases.is_empty())
                .map(|c| c.name.as_str())
                .collect()
        })
    }

    fn functions(&self) -> &HashSet<&'a str> {
        self.functions.get_or_init(|| {
            self.facts
                .functions
                .iter()
                .map(|f| f.name.as_str())
                .collect()
        })
    }
}

/// MLS304: opaque points of the lineage in files of the rule's roles,
/// except dynamic indirection (MLS301's), paths read from a config key
/// (declared) and readers or writers called without a path (mostly not
/// data access: `obj.to_json()`).
fn opaque(cx: &Context, rule: &Active, out: &mut Sink) {
    let checked = in_roles(rule);
    for node in &cx.lineage.nodes {
        if node.opacity() != Some(Opacity::Unresolved) || !cx.file(&node.path).is_some_and(&checked)
        {
            continue;
        }
        let reason = node.detail.as_deref().unwrap_or("unresolved");
        let message = format!("the lineage cannot follow this data access: {reason}");
        out.report(
            rule,
            At::new(&node.path, node.line, node.cell),
            reason,
            message,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn getattr_names_from_constants_are_followed() {
        assert!(names_constant("getattr(Node, _WARNED, False)"));
        assert!(names_constant("getattr(f(a, b), NAME2)"));
        assert!(!names_constant("getattr(zoo, cfg.model_name)"));
        assert!(!names_constant("getattr(self, name)"));
        assert!(!names_constant("getattr(self, f\"{k}_x\")"));
        assert!(!names_constant("getattr(x)"));
        assert!(!names_constant("eval(X)"));
    }

    #[test]
    fn public_names_are_public_at_every_level_and_not_local() {
        let facts = FileFacts::empty(Language::Python);
        let api = Api {
            facts: &facts,
            functions: OnceCell::from(HashSet::from_iter(["fit", "Model.fit"])),
            derived: OnceCell::new(),
            hooks: &[],
        };
        for public in ["train", "Model", "Model.predict", "Type::new", "test_x"] {
            assert!(api.name(public), "{public}");
        }
        for hidden in [
            "_helper",
            "Model._private",
            "_Model.fit",
            "Model.__init__",
            "tests::checks_x",
            "a.tests.b",
            "fit.inner",
            "Model.fit.closure",
        ] {
            assert!(!api.name(hidden), "{hidden}");
        }
    }
}
