//! Python modules and the resolution of their imports; the rules are in
//! the parent module's documentation.

use foldhash::{HashSet, HashSetExt};

use super::externals::{Category, Table};
use super::{Builder, EdgeKind, Location, ModuleKind, Node};
use crate::facts::{Import, Language};
use crate::report::FileReport;

/// A file's claim to a module name. Lower `rank` wins a shared name:
/// package, module, stub, namespace folder.
struct Claim<'f> {
    name: String,
    rank: u8,
    kind: ModuleKind,
    path: String,
    component: &'f str,
}

/// A Python file and how its imports resolve.
struct Importer<'f> {
    file: &'f FileReport,
    node: usize,
    /// The package relative imports start from, as name parts (`None` for
    /// importers named by path).
    package: Option<Vec<&'f str>>,
    /// Dotted name of the nearest folder below the root that is not a
    /// regular package (the `sys.path[0]` fallback).
    project: Option<String>,
    stub: bool,
}

/// Adds the Python modules of `files` and their import edges to `g`.
pub(super) fn add(files: &[FileReport], g: &mut Builder) {
    let mut python: Vec<&FileReport> = files
        .iter()
        .filter(|f| matches!(f.facts.language, Language::Python | Language::Notebook))
        .collect();
    python.sort_by(|a, b| a.path.cmp(&b.path));
    let packages: HashSet<&str> = python
        .iter()
        .filter_map(|f| f.path.strip_suffix("__init__.py"))
        .map(|dir| dir.strip_suffix('/').unwrap_or(dir))
        .collect();
    let src_root = !packages.contains("src") && python.iter().any(|f| f.path.starts_with("src/"));
    let names = Names {
        packages: &packages,
        src_root,
    };

    let places: Vec<(&FileReport, Place)> = python.iter().map(|&f| (f, names.place(f))).collect();
    let mut claims = Vec::new();
    let mut folders = HashSet::new();
    for (file, place) in &places {
        // Each folder above the file is a prefix of its path.
        let mut end = place.prefix.len();
        for (i, dir) in place.dirs.iter().enumerate() {
            end += dir.len() + usize::from(i > 0);
            let folder = file.path.get(..end).unwrap_or_default();
            if !packages.contains(folder) && folders.insert(folder) {
                claims.push(Claim {
                    name: place.dirs[..=i].join("."),
                    rank: 3,
                    kind: ModuleKind::Namespace,
                    path: folder.to_owned(),
                    component: &file.component,
                });
            }
        }
        if let Some((name, kind)) = place.module.clone() {
            let rank = match kind {
                ModuleKind::Package => 0,
                ModuleKind::Module => 1,
                _ => 2,
            };
            claims.push(Claim {
                name,
                rank,
                kind,
                path: file.path.clone(),
                component: &file.component,
            });
        }
    }
    claims.sort_by(|a, b| (&a.name, a.rank, &a.path).cmp(&(&b.name, b.rank, &b.path)));

    for (i, claim) in claims.iter().enumerate() {
        if i == 0 || claims[i - 1].name != claim.name {
            g.add(Node {
                name: claim.name.clone(),
                kind: claim.kind,
                language: Language::Python,
                path: claim.path.clone(),
                component: claim.component.to_owned(),
            });
        }
    }
    let mut importers = Vec::with_capacity(python.len());
    for (file, place) in &places {
        let (node, module) = match &place.module {
            Some((name, kind)) if g.find(name).is_some_and(|i| g.nodes[i].path == file.path) => {
                (g.find(name), Some(*kind))
            }
            // A stub beside its module says nothing the module does not.
            Some((_, ModuleKind::Stub)) => continue,
            _ => (None, None),
        };
        let node = node.unwrap_or_else(|| {
            g.add(Node {
                name: file.path.clone(),
                kind: ModuleKind::Importer,
                language: file.facts.language,
                path: file.path.clone(),
                component: file.component.clone(),
            })
        });
        // A package's relative imports start from itself, a module's from
        // its parent: both are the file's folders.
        let package = module.map(|_| place.dirs.clone());
        importers.push(Importer {
            file,
            node,
            package,
            project: names.project(place),
            stub: module == Some(ModuleKind::Stub),
        });
    }
    for importer in &importers {
        for import in &importer.file.facts.imports {
            resolve(importer, import, src_root, g);
        }
    }
}

/// How files are named: the package folders and whether `src/` is a root.
struct Names<'a> {
    packages: &'a HashSet<&'a str>,
    src_root: bool,
}

/// A Python file's folders from its root, and its module name if it has one.
struct Place<'f> {
    /// The path of its import root, with a trailing `/` (empty for the
    /// scan root).
    prefix: &'f str,
    dirs: Vec<&'f str>,
    module: Option<(String, ModuleKind)>,
}

impl Names<'_> {
    /// The import root, folders and module name of a Python file.
    fn place<'f>(&self, file: &'f FileReport) -> Place<'f> {
        let path = file.path.as_str();
        let mut root = match path.strip_prefix("src/") {
            Some(_) if self.src_root => "src/".len(),
            _ => 0,
        };
        // A folder whose name is not an identifier can only be a root.
        let folders = path.rsplit_once('/').map_or("", |(dir, _)| dir);
        let mut end = 0;
        for part in folders.split('/').filter(|_| !folders.is_empty()) {
            end += part.len() + 1;
            if end > root && !is_identifier(part) {
                root = end;
            }
        }
        let (prefix, rel) = path.split_at(root.min(path.len()));
        let (dir, base) = rel.rsplit_once('/').unwrap_or(("", rel));
        let dirs: Vec<&str> = if dir.is_empty() {
            Vec::new()
        } else {
            dir.split('/').collect()
        };
        let module = if file.facts.language == Language::Notebook {
            None
        } else {
            match base.split_once('.') {
                Some(("__init__", "py")) if !dirs.is_empty() => {
                    Some((dirs.join("."), ModuleKind::Package))
                }
                Some(("__init__", "pyi")) if !dirs.is_empty() => {
                    Some((dirs.join("."), ModuleKind::Stub))
                }
                Some(("__init__", _)) => None,
                Some((stem, ext @ ("py" | "pyi"))) if !stem.is_empty() => {
                    let mut name = dirs.join(".");
                    if !name.is_empty() {
                        name.push('.');
                    }
                    name.push_str(stem);
                    let kind = if ext == "py" {
                        ModuleKind::Module
                    } else {
                        ModuleKind::Stub
                    };
                    Some((name, kind))
                }
                _ => None,
            }
        };
        Place {
            prefix,
            dirs,
            module,
        }
    }

    /// The nearest folder holding the file that is not a regular package,
    /// unless that is an import root.
    fn project(&self, place: &Place) -> Option<String> {
        (1..=place.dirs.len())
            .rev()
            .map(|i| &place.dirs[..i])
            .find(|dirs| {
                let folder = format!("{}{}", place.prefix, dirs.join("/"));
                !self.packages.contains(folder.as_str())
            })
            .map(|dirs| dirs.join("."))
    }
}

/// Resolves one import statement into edges, an external or an
/// unresolved entry.
fn resolve(importer: &Importer, import: &Import, src_root: bool, g: &mut Builder) {
    let at = || Location {
        path: importer.file.path.clone(),
        line: import.line,
        cell: import.cell,
    };
    let written = || format!("{}{}", ".".repeat(import.level as usize), import.module);
    let base = if import.level == 0 {
        (!import.module.is_empty()).then(|| import.module.clone())
    } else {
        relative_base(importer.package.as_deref(), import)
    };
    let Some(base) = base else {
        g.unresolved.push((importer.node, written(), at()));
        return;
    };
    let top = base.split('.').next().unwrap_or_default();
    // A top-level namespace folder named like a known distribution or
    // standard module is not what `import top` finds (Python imports
    // regular packages first): only its modules count.
    let shadowed = g.find(top).filter(|&i| {
        import.level == 0
            && g.nodes[i].kind == ModuleKind::Namespace
            && Table::builtin().category(top) != Category::Other
    });
    let find = |candidate: &str| {
        find_or_parent(g, candidate, 0)
            .or_else(|| {
                if import.level > 0 {
                    return None;
                }
                let from_src = candidate.strip_prefix("src.").filter(|_| src_root);
                from_src
                    .and_then(|rest| find_or_parent(g, rest, 0))
                    .or_else(|| {
                        let project = importer.project.as_ref()?;
                        find_or_parent(g, &format!("{project}.{candidate}"), project.len())
                    })
            })
            .filter(|&t| Some(t) != shadowed)
    };
    let mut targets: Vec<usize> = if import.names.is_empty() {
        find(&base).into_iter().collect()
    } else {
        let mut candidate = base.clone();
        import
            .names
            .iter()
            .filter_map(|name| {
                candidate.truncate(base.len());
                candidate.push('.');
                candidate.push_str(name);
                find(&candidate)
            })
            .collect()
    };
    targets.sort_unstable();
    targets.dedup();
    if targets.is_empty() {
        let internal = shadowed.is_none() && (g.find(top).is_some() || (src_root && top == "src"));
        if import.level > 0 || internal {
            g.unresolved.push((importer.node, written(), at()));
        } else {
            let top = top.to_owned();
            g.externals
                .push((Language::Python, top, importer.node, at()));
        }
        return;
    }
    let kind = if importer.stub || import.type_checking {
        EdgeKind::TypeChecking
    } else if import.in_function {
        EdgeKind::Function
    } else if import.in_try {
        EdgeKind::Try
    } else {
        EdgeKind::Module
    };
    for target in targets {
        g.edge(importer.node, target, at(), kind);
    }
}

/// The absolute module a relative import starts from: `level - 1`
/// packages above the importer's package, which must stay below the root.
fn relative_base(package: Option<&[&str]>, import: &Import) -> Option<String> {
    let package = package?;
    let up = usize::try_from(import.level).ok()?.checked_sub(1)?;
    let keep = package.len().checked_sub(up).filter(|&k| k > 0)?;
    let mut base = package[..keep].join(".");
    if !import.module.is_empty() {
        base.push('.');
        base.push_str(&import.module);
    }
    Some(base)
}

/// `name` if it is a module, else its immediate parent if that is one and
/// longer than `floor` bytes.
fn find_or_parent(g: &Builder, name: &str, floor: usize) -> Option<usize> {
    g.find(name).or_else(|| {
        let (parent, _) = name.rsplit_once('.')?;
        g.find(parent).filter(|_| parent.len() > floor)
    })
}

/// A Python identifier (ASCII letters, digits and `_`, or any non-ASCII
/// letter; not starting with a digit).
pub(super) fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c == '_' || c.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric())
}
