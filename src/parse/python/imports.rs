//! `import` and `from … import` statements.

use tree_sitter::{Node, TreeCursor};

use super::kinds::Kinds;
use crate::facts::Import;

/// Where an import statement sits.
#[derive(Clone, Copy)]
pub(super) struct Site {
    pub line: u32,
    pub in_function: bool,
    pub type_checking: bool,
    pub in_try: bool,
}

/// A dotted name as written, without any whitespace inside it.
fn dotted(src: &str, node: Node) -> String {
    let text = src.get(node.byte_range()).unwrap_or("");
    if text.contains(char::is_whitespace) {
        text.split_whitespace().collect()
    } else {
        text.to_owned()
    }
}

/// The imported name of a `name` child and its alias: `a.b`, or `a.b`
/// and `c` of `a.b as c`.
fn imported_name(src: &str, k: &Kinds, node: Node) -> Option<(String, Option<String>)> {
    if node.kind_id() == k.aliased_import {
        let alias = node.child_by_field_id(k.f_alias).map(|a| dotted(src, a));
        node.child_by_field_id(k.f_name)
            .map(|n| (dotted(src, n), alias))
    } else if node.kind_id() == k.dotted_name {
        Some((dotted(src, node), None))
    } else {
        None
    }
}

/// Appends the imports of an `import`, `from … import` or
/// `from __future__ import` statement to `out`, and the names they bind to
/// `bound` as (local name, target) (`import a.b` binds `a`; `from .m import
/// n as x` binds `x` to `.m.n`). `plain` is true for `import a.b`, false for `from a import b`.
#[allow(clippy::too_many_arguments)]
pub(super) fn collect<'t>(
    src: &str,
    plain: bool,
    k: &Kinds,
    statement: Node<'t>,
    cursor: &mut TreeCursor<'t>,
    site: Site,
    out: &mut Vec<Import>,
    bound: &mut Vec<(String, String)>,
) {
    let import = |module: String, names: Vec<String>, level: u32| Import {
        module,
        names,
        level,
        line: site.line,
        cell: None,
        in_function: site.in_function,
        type_checking: site.type_checking,
        in_try: site.in_try,
    };
    let (module, level) = match statement.child_by_field_id(k.f_module_name) {
        Some(m) if m.kind_id() == k.relative_import => {
            let mut level = 0;
            let mut module = String::new();
            for i in 0..m.child_count() {
                let Some(c) = m.child(i) else { continue };
                if c.kind_id() == k.import_prefix {
                    level = c.child_count();
                } else if c.kind_id() == k.dotted_name {
                    module = dotted(src, c);
                }
            }
            (module, level)
        }
        Some(m) => (dotted(src, m), 0),
        None => ("__future__".to_owned(), 0),
    };
    let mut names = Vec::new();
    cursor.reset(statement);
    if cursor.goto_first_child() {
        loop {
            let node = cursor.node();
            if cursor.field_id().map(u16::from) == Some(k.f_name) {
                if let Some((name, alias)) = imported_name(src, k, node) {
                    if plain {
                        match alias {
                            Some(alias) => bound.push((alias, name.clone())),
                            None => {
                                let root = name.split('.').next().unwrap_or("").to_owned();
                                bound.push((root.clone(), root));
                            }
                        }
                        // `import a, b.c` imports modules.
                        out.push(import(name, Vec::new(), 0));
                    } else {
                        if level > 0 || module != "__future__" {
                            let dots = ".".repeat(usize::try_from(level).unwrap_or(0));
                            let sep = if module.is_empty() { "" } else { "." };
                            let target = format!("{dots}{module}{sep}{name}");
                            bound.push((alias.unwrap_or_else(|| name.clone()), target));
                        }
                        names.push(name);
                    }
                }
            } else if node.kind_id() == k.wildcard_import {
                names.push("*".to_owned());
            }
            if !cursor.goto_next_sibling() {
                break;
            }
        }
    }
    if !plain {
        out.push(import(module, names, level));
    }
}

/// `TYPE_CHECKING` or `typing.TYPE_CHECKING` (any `x.TYPE_CHECKING`).
pub(super) fn is_type_checking(src: &str, k: &Kinds, condition: Node) -> bool {
    let name = if condition.kind_id() == k.attribute {
        condition.child_by_field_id(k.f_attribute)
    } else if condition.kind_id() == k.identifier {
        Some(condition)
    } else {
        None
    };
    name.is_some_and(|n| src.get(n.byte_range()) == Some("TYPE_CHECKING"))
}
