//! Dynamic indirection a static reader cannot follow: computed `getattr`,
//! `import_module`, `__import__`, `eval`/`exec`, Hydra `instantiate`/`call`
//! and `_target_`, registry decorators.

use tree_sitter::Node;

use super::kinds::Kinds;
use crate::facts::DynamicKind;

/// Longest `detail` kept, in characters.
const DETAIL_CHARS: usize = 80;

/// What a call is.
pub(super) enum CallFinding {
    Dynamic(DynamicKind),
    /// `instantiate(...)`/`call(...)`: dynamic only if the file imports hydra.
    Hydra,
}

fn text<'s>(src: &'s str, node: Node) -> &'s str {
    src.get(node.byte_range()).unwrap_or("")
}

/// Classifies a call by its callee.
pub(super) fn classify_call(src: &str, k: &Kinds, call: Node, callee: Node) -> Option<CallFinding> {
    use CallFinding::{Dynamic, Hydra};
    if callee.kind_id() == k.identifier {
        return match text(src, callee) {
            "getattr" if !second_argument_is_literal(k, call) => {
                Some(Dynamic(DynamicKind::Getattr))
            }
            "import_module" => Some(Dynamic(DynamicKind::ImportModule)),
            "__import__" => Some(Dynamic(DynamicKind::DunderImport)),
            "eval" => Some(Dynamic(DynamicKind::Eval)),
            "exec" => Some(Dynamic(DynamicKind::Exec)),
            "instantiate" | "call" => Some(Hydra),
            _ => None,
        };
    }
    if callee.kind_id() != k.attribute {
        return None;
    }
    let attribute = callee.child_by_field_id(k.f_attribute)?;
    let object = text(src, callee.child_by_field_id(k.f_object)?);
    match text(src, attribute) {
        "import_module" if object == "importlib" => Some(Dynamic(DynamicKind::ImportModule)),
        "instantiate" | "call" if object == "hydra" || object.starts_with("hydra.") => Some(Hydra),
        _ => None,
    }
}

/// A string literal without interpolation (implicit concatenation allowed).
fn is_plain_string(k: &Kinds, node: Node) -> bool {
    let parts_plain = |n: Node| {
        (0..n.child_count()).all(|i| n.child(i).is_none_or(|c| c.kind_id() != k.interpolation))
    };
    if node.kind_id() == k.string {
        parts_plain(node)
    } else if node.kind_id() == k.concatenated_string {
        (0..node.child_count()).all(|i| {
            node.child(i)
                .is_none_or(|s| s.kind_id() != k.string || parts_plain(s))
        })
    } else {
        false
    }
}

/// `getattr(obj, "name")`: the second positional argument is a literal.
fn second_argument_is_literal(k: &Kinds, call: Node) -> bool {
    let Some(args) = call.child_by_field_id(k.f_arguments) else {
        return false;
    };
    let mut positional = (0..args.child_count())
        .filter_map(|i| args.child(i))
        .filter(|a| a.is_named() && a.kind_id() != k.comment && a.kind_id() != k.keyword_argument);
    positional.nth(1).is_some_and(|a| is_plain_string(k, a))
}

/// A decorator whose final name starts with `register`: `@register_model`,
/// `@MODELS.register_module()`, `@registry.register("x")`.
pub(super) fn is_registry_decorator(src: &str, k: &Kinds, decorator: Node) -> bool {
    let Some(mut expr) = decorator.named_child(0) else {
        return false;
    };
    if let Some(callee) = expr.child_by_field_id(k.f_function) {
        expr = callee;
    }
    let name = if expr.kind_id() == k.attribute {
        expr.child_by_field_id(k.f_attribute)
    } else {
        Some(expr).filter(|e| e.kind_id() == k.identifier)
    };
    name.is_some_and(|n| text(src, n).starts_with("register"))
}

/// A `"_target_": …` dictionary entry or a `_target_=…` keyword argument.
pub(super) fn is_hydra_target(src: &str, k: &Kinds, node: Node) -> bool {
    if node.kind_id() == k.keyword_argument {
        return node
            .child_by_field_id(k.f_name)
            .is_some_and(|n| text(src, n) == "_target_");
    }
    node.child_by_field_id(k.f_key)
        .is_some_and(|key| matches!(text(src, key), "\"_target_\"" | "'_target_'"))
}

/// The text on one line, whitespace runs collapsed, at most
/// [`DETAIL_CHARS`] characters (the last one `…` when cut).
pub(super) fn shorten(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(DETAIL_CHARS * 4));
    let mut chars = 0;
    for word in text.split_whitespace() {
        if chars > 0 {
            out.push(' ');
            chars += 1;
        }
        out.push_str(word);
        chars += word.chars().count();
        if chars > DETAIL_CHARS {
            break;
        }
    }
    if chars > DETAIL_CHARS {
        let cut = out
            .char_indices()
            .nth(DETAIL_CHARS - 1)
            .map_or(out.len(), |(i, _)| i);
        out.truncate(cut);
        out.push('…');
    }
    out
}
