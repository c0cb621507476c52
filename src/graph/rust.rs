//! Rust crates and modules and the resolution of `use` paths; the rules
//! are in the parent module's documentation.

use foldhash::{HashMap, HashMapExt, HashSet};

use super::{Builder, EdgeKind, Location, ModuleKind, Node};
use crate::facts::{Language, RustUse};
use crate::report::FileReport;

/// A Rust file and where its paths start.
struct Placed<'f> {
    file: &'f FileReport,
    node: usize,
    /// Its crate's name (`None` outside any crate).
    krate: Option<&'f str>,
    /// `None` for importers named by path.
    shape: Option<Shape<'f>>,
}

/// Where a file sits in its crate's module tree.
struct Shape<'f> {
    /// The file's own module path.
    node: Vec<&'f str>,
    /// The module `self::` and `super::` start from (the library's root
    /// for a `src/main.rs` beside a `lib.rs`).
    module: Vec<&'f str>,
    /// The crate root `crate::` starts from.
    root: Vec<&'f str>,
    kind: ModuleKind,
}

/// Adds the Rust modules of `files` and their `use` edges to `g`.
pub(super) fn add(files: &[FileReport], g: &mut Builder) {
    let mut manifests: Vec<(&str, Option<&str>)> = files
        .iter()
        .filter_map(|f| {
            let dir = f.path.strip_suffix("Cargo.toml")?;
            let dir = match dir.strip_suffix('/') {
                Some(dir) => dir,
                None if dir.is_empty() => dir,
                None => return None,
            };
            let package = f.facts.config.as_ref().and_then(|c| c.package.as_deref());
            Some((dir, package))
        })
        .collect();
    manifests.sort_unstable();
    // Crate folder → crate name, and the names other crates `use`.
    let mut crate_of_dir: HashMap<&str, String> = HashMap::new();
    let mut by_name: HashMap<String, String> = HashMap::new();
    for &(dir, package) in &manifests {
        let folder = dir.rsplit('/').next().filter(|f| !f.is_empty());
        let base = package.or(folder).unwrap_or("crate").replace('-', "_");
        let taken = by_name.contains_key(&base) || g.find(&base).is_some();
        let name = if taken {
            format!("{base}[{dir}]")
        } else {
            base.clone()
        };
        by_name.entry(base).or_insert_with(|| name.clone());
        crate_of_dir.insert(dir, name);
    }
    let has_lib: HashSet<&str> = files
        .iter()
        .filter_map(|f| f.path.strip_suffix("src/lib.rs"))
        .map(|dir| dir.strip_suffix('/').unwrap_or(dir))
        .collect();

    let mut rust: Vec<&FileReport> = files
        .iter()
        .filter(|f| f.facts.language == Language::Rust)
        .collect();
    rust.sort_by(|a, b| a.path.cmp(&b.path));
    let mut placed = Vec::with_capacity(rust.len());
    for file in rust {
        let dir = enclosing_crate(&file.path, &crate_of_dir);
        let krate = dir.and_then(|d| crate_of_dir.get(d)).map(String::as_str);
        let shape = dir.zip(krate).and_then(|(d, _)| {
            let rel = file.path.strip_prefix(d)?.trim_start_matches('/');
            module_shape(rel, has_lib.contains(d))
        });
        let named = krate.zip(shape.as_ref()).and_then(|(k, shape)| {
            let name = module_name(k, &shape.node);
            let node = g.find(&name).is_none().then(|| {
                g.add(Node {
                    name,
                    kind: shape.kind,
                    language: Language::Rust,
                    path: file.path.clone(),
                    component: file.component.clone(),
                })
            })?;
            Some(node)
        });
        let node = named.unwrap_or_else(|| {
            g.add(Node {
                name: file.path.clone(),
                kind: ModuleKind::Importer,
                language: Language::Rust,
                path: file.path.clone(),
                component: file.component.clone(),
            })
        });
        placed.push(Placed {
            file,
            node,
            krate,
            shape: named.and(shape),
        });
    }
    for p in &placed {
        add_mods(p, g);
    }
    for p in &placed {
        for u in &p.file.facts.uses {
            resolve(p, u, &by_name, g);
        }
    }
}

/// The innermost crate folder holding `path`.
fn enclosing_crate<'p>(path: &'p str, crates: &HashMap<&str, String>) -> Option<&'p str> {
    let mut dir = path;
    while let Some((parent, _)) = dir.rsplit_once('/') {
        if crates.contains_key(parent) {
            return Some(parent);
        }
        dir = parent;
    }
    crates.contains_key("").then_some("")
}

/// The shape of the file at `rel` in its crate; `None` for files that are
/// not modules of the crate's library or binaries.
fn module_shape(rel: &str, has_lib: bool) -> Option<Shape<'_>> {
    let rest = rel.strip_prefix("src/")?.strip_suffix(".rs")?;
    let mut parts: Vec<&str> = rest.split('/').collect();
    if !parts.iter().all(|p| is_identifier(p)) {
        return None;
    }
    let (node, module, root, kind) = match parts.as_slice() {
        ["lib"] => (vec![], vec![], vec![], ModuleKind::Crate),
        ["main"] if has_lib => (vec!["main"], vec![], vec![], ModuleKind::Crate),
        ["main"] => (vec![], vec![], vec![], ModuleKind::Crate),
        ["bin", _] | ["bin", _, "main"] => {
            let root = parts[..2].to_vec();
            (root.clone(), root.clone(), root, ModuleKind::Crate)
        }
        _ => {
            if parts.last() == Some(&"mod") {
                parts.pop();
            }
            let root = if parts.first() == Some(&"bin") && parts.len() > 2 {
                parts[..2].to_vec()
            } else {
                vec![]
            };
            (parts.clone(), parts, root, ModuleKind::Module)
        }
    };
    Some(Shape {
        node,
        module,
        root,
        kind,
    })
}

/// Inline modules, and declared modules whose file is not in the scan.
fn add_mods(p: &Placed, g: &mut Builder) {
    let (Some(krate), Some(shape)) = (p.krate, &p.shape) else {
        return;
    };
    for m in &p.file.facts.mods {
        let mut path = shape.module.clone();
        path.extend(m.scope.split("::").filter(|s| !s.is_empty()));
        path.push(&m.name);
        let name = module_name(krate, &path);
        if g.find(&name).is_none() {
            g.add(Node {
                name,
                kind: if m.inline {
                    ModuleKind::Inline
                } else {
                    ModuleKind::Declared
                },
                language: Language::Rust,
                path: p.file.path.clone(),
                component: p.file.component.clone(),
            });
        }
    }
}

/// Resolves one `use` path into an edge, an external or an unresolved
/// entry.
fn resolve(p: &Placed, u: &RustUse, crates: &HashMap<String, String>, g: &mut Builder) {
    let at = Location {
        path: p.file.path.clone(),
        line: u.line,
        cell: None,
    };
    let current = p.shape.as_ref().map(|Shape { module, root, .. }| {
        let mut current = module.clone();
        current.extend(u.scope.split("::").filter(|s| !s.is_empty()));
        (current, root)
    });
    let from = match (&current, p.krate) {
        (Some((path, _)), Some(k)) if !u.scope.is_empty() => {
            rust_module(g, &module_name(k, path)).unwrap_or(p.node)
        }
        _ => p.node,
    };
    let segments: Vec<&str> = u.path.split("::").collect();
    let first = segments.first().copied().unwrap_or_default();
    let start = match (first, &current) {
        ("crate", Some((_, root))) => local(p.krate, root.to_vec(), 1),
        ("self", Some((path, _))) => local(p.krate, path.clone(), 1),
        ("super", Some((path, _))) => {
            let ups = segments.iter().take_while(|&&s| s == "super").count();
            path.len()
                .checked_sub(ups)
                .and_then(|keep| local(p.krate, path[..keep].to_vec(), ups))
        }
        ("crate" | "self" | "super", None) => None,
        // An item in scope (`use Kind::*` after importing an enum), not a
        // crate: crate names are lower case.
        (name, _) if name.starts_with(|c: char| c.is_uppercase()) => return,
        (name, Some((path, _)))
            if p.krate.is_some_and(|k| {
                let mut child = path.clone();
                child.push(name);
                rust_module(g, &module_name(k, &child)).is_some()
            }) =>
        {
            local(p.krate, path.clone(), 0)
        }
        _ => {
            let name = if first.is_empty() {
                segments.get(1).copied().unwrap_or_default()
            } else {
                first
            };
            match crates.get(name) {
                Some(krate) => Some((krate.clone(), Vec::new(), 1 + usize::from(first.is_empty()))),
                None => {
                    if !name.is_empty() {
                        g.externals
                            .push((Language::Rust, name.to_owned(), from, at));
                    }
                    return;
                }
            }
        }
    };
    let target = start.and_then(|(krate, base, skip)| {
        let rest = segments.get(skip..).unwrap_or_default();
        (0..=rest.len()).rev().find_map(|keep| {
            let mut path = base.clone();
            path.extend(&rest[..keep]);
            rust_module(g, &module_name(&krate, &path))
        })
    });
    match target {
        Some(to) => g.edge(from, to, at, EdgeKind::Module),
        None => g.unresolved.push((from, u.path.clone(), at)),
    }
}

/// A start in the importer's own crate.
fn local<'a>(
    krate: Option<&str>,
    base: Vec<&'a str>,
    skip: usize,
) -> Option<(String, Vec<&'a str>, usize)> {
    Some((krate?.to_owned(), base, skip))
}

/// `<crate>` or `<crate>::a::b`.
fn module_name(krate: &str, path: &[&str]) -> String {
    let mut name = krate.to_owned();
    for part in path {
        name.push_str("::");
        name.push_str(part);
    }
    name
}

/// The Rust module called `name`.
fn rust_module(g: &Builder, name: &str) -> Option<usize> {
    g.find(name).filter(|&i| {
        g.nodes[i].language == Language::Rust && g.nodes[i].kind != ModuleKind::Importer
    })
}

/// A Rust identifier (raw identifiers `r#x` included).
fn is_identifier(s: &str) -> bool {
    super::python::is_identifier(s.strip_prefix("r#").unwrap_or(s))
}
