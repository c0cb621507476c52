//! The import graph of the fixture repositories in `testdata/graphs` and
//! `testdata/mlrepo`, against hand-computed answers.

use std::path::Path;

use mlscan::graph::{self, ImportGraph};
use mlscan::report::FileReport;
use mlscan::scan::{ScanOptions, scan};
use mlscan::walk::WalkOptions;

fn files(root: &Path) -> Vec<FileReport> {
    let project = mlscan::config::load(root, None).unwrap().config;
    let options = ScanOptions {
        root: root.to_path_buf(),
        walk: WalkOptions {
            threads: 2,
            excludes: Vec::new(),
            default_excludes: true,
            follow_links: false,
            max_code_bytes: 1 << 20,
            max_config_bytes: 1 << 20,
        },
        analysis: Default::default(),
        project,
        checks: None,
        cache: None,
        knowledge: Default::default(),
        progress: false,
    };
    scan(&options).unwrap().files
}

fn fixture(name: &str) -> ImportGraph {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(name);
    graph::build(&files(&root))
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value).unwrap().to_string()
}

/// `from -> to @path:line kind` (with `#cell` for notebooks).
fn edges(g: &ImportGraph) -> Vec<String> {
    g.edges
        .iter()
        .map(|e| {
            let cell = e.cell.map(|c| format!("#{c}")).unwrap_or_default();
            format!(
                "{} -> {} @{}{cell}:{} {}",
                e.from,
                e.to,
                e.path,
                e.line,
                json(&e.kind).trim_matches('"')
            )
        })
        .collect()
}

/// `name kind path component in/out`.
fn modules(g: &ImportGraph) -> Vec<String> {
    g.modules
        .iter()
        .map(|m| {
            format!(
                "{} {} {} {} {}/{}",
                m.name,
                json(&m.kind).trim_matches('"'),
                m.path,
                m.component,
                m.fan_in,
                m.fan_out
            )
        })
        .collect()
}

/// `name distribution category modules @path:line`.
fn externals(g: &ImportGraph) -> Vec<String> {
    g.externals
        .iter()
        .map(|x| {
            format!(
                "{} {} {} {} @{}:{}",
                x.name,
                x.distribution,
                json(&x.category).trim_matches('"'),
                x.modules,
                x.first.path,
                x.first.line
            )
        })
        .collect()
}

fn unresolved(g: &ImportGraph) -> Vec<String> {
    g.unresolved
        .iter()
        .map(|u| format!("{} {} @{}:{}", u.from, u.import, u.at.path, u.at.line))
        .collect()
}

/// `modules | cycle | cut from -> to @path:line (statements) | feedback`.
fn cycles(list: &[graph::Cycle]) -> Vec<String> {
    list.iter()
        .map(|c| {
            format!(
                "{} | {} | {} -> {} @{}:{} ({}) | {}",
                c.modules.join(" "),
                c.cycle.join(" "),
                c.cut.from,
                c.cut.to,
                c.cut.at.path,
                c.cut.at.line,
                c.cut.statements,
                c.feedback_edges
            )
        })
        .collect()
}

#[test]
fn runtime_and_type_checking_cycles() {
    let g = fixture("graphs/cycle");
    assert_eq!(
        modules(&g),
        [
            "app package app/__init__.py app 0/0",
            "app.a module app/a.py app 1/1",
            "app.b module app/b.py app 1/1",
            "app.c module app/c.py app 1/1",
            "app.e module app/e.py app 1/1",
            "app.f module app/f.py app 1/1",
        ]
    );
    assert_eq!(
        edges(&g),
        [
            "app.a -> app.b @app/a.py:1 module",
            "app.b -> app.c @app/b.py:1 module",
            "app.b -> app.c @app/b.py:3 module",
            "app.c -> app.a @app/c.py:1 module",
            "app.e -> app.f @app/e.py:1 module",
            "app.f -> app.e @app/f.py:4 type_checking",
        ]
    );
    assert_eq!(g.module_pairs, 5);
    // Eades–Lin–Smyth puts b (out 2 − in 1) first, so a → b (1 statement)
    // points backwards, not b → c (2 statements).
    let abc = "app.a app.b app.c | app.a app.b app.c | app.a -> app.b @app/a.py:1 (1) | 1";
    assert_eq!(cycles(&g.cycles.runtime), [abc]);
    assert_eq!(
        cycles(&g.cycles.all),
        [
            abc,
            "app.e app.f | app.e app.f | app.f -> app.e @app/f.py:4 (1) | 1"
        ]
    );
    assert_eq!(externals(&g), ["typing typing stdlib 1 @app/f.py:1"]);
    assert!(g.unresolved.is_empty());
    assert_eq!(json(&g.modules[1].instability), "0.5");
}

#[test]
fn namespace_packages_and_orphan_folders() {
    let g = fixture("graphs/namespace");
    assert_eq!(
        modules(&g),
        [
            "ns namespace ns ns 0/0",
            "ns.alpha package ns/alpha/__init__.py ns 2/1",
            "ns.alpha.orphan namespace ns/alpha/orphan ns 0/0",
            "ns.alpha.orphan.helper module ns/alpha/orphan/helper.py ns 0/2",
            "ns.beta namespace ns/beta ns 2/0",
            "ns.beta.tools module ns/beta/tools.py ns 1/2",
        ]
    );
    assert_eq!(
        edges(&g),
        [
            "ns.alpha -> ns.beta.tools @ns/alpha/__init__.py:1 module",
            "ns.alpha.orphan.helper -> ns.alpha @ns/alpha/orphan/helper.py:1 module",
            "ns.alpha.orphan.helper -> ns.beta @ns/alpha/orphan/helper.py:2 module",
            "ns.beta.tools -> ns.alpha @ns/beta/tools.py:1 module",
            "ns.beta.tools -> ns.beta @ns/beta/tools.py:2 module",
        ]
    );
    assert_eq!(
        unresolved(&g),
        [
            "ns.alpha.orphan.helper .... @ns/alpha/orphan/helper.py:3",
            "ns.beta.tools ns.beta.missing.deeper @ns/beta/tools.py:3",
        ]
    );
    assert!(g.externals.is_empty());
    assert_eq!(
        cycles(&g.cycles.runtime),
        [
            "ns.alpha ns.beta.tools | ns.alpha ns.beta.tools | ns.beta.tools -> ns.alpha @ns/beta/tools.py:1 (1) | 1"
        ]
    );
}

#[test]
fn src_layout_relative_levels_and_fallbacks() {
    let g = fixture("graphs/src_layout");
    assert_eq!(
        edges(&g),
        [
            // `import core.missing` lands on the parent; `src.core` is `core`.
            "app.main -> core @src/app/main.py:2 module",
            "app.main -> core.io @src/app/main.py:3 module",
            "app.main -> core.sub.leaf @src/app/main.py:1 module",
            "core -> core.io @src/core/__init__.py:1 module",
            "core.io -> core.formats @src/core/io.py:1 module",
            "core.sub -> core.io @src/core/sub/__init__.py:1 module",
            "core.sub.deep.x -> core.formats @src/core/sub/deep/x.py:1 module",
            "core.sub.deep.x -> core.sub.leaf @src/core/sub/deep/x.py:2 module",
            "core.sub.leaf -> core.io @src/core/sub/leaf.py:1 module",
            "core.sub.leaf -> core.sub.deep.x @src/core/sub/leaf.py:2 module",
            "scripts.train -> app.main @scripts/train.py:2 module",
            // The script's own folder comes first on `sys.path`.
            "scripts.train -> scripts.helpers @scripts/train.py:1 module",
        ]
    );
    assert_eq!(
        modules(&g)[..3],
        [
            "app package src/app/__init__.py app 0/0",
            "app.main module src/app/main.py app 1/3",
            "core package src/core/__init__.py core 1/1",
        ]
    );
    assert_eq!(g.modules.len(), 12);
    assert_eq!(unresolved(&g), ["app.main .... @src/app/main.py:4"]);
    assert_eq!(
        externals(&g),
        [
            "numpy numpy data 1 @src/app/main.py:5",
            "os os stdlib 1 @scripts/helpers.py:1",
        ]
    );
    let components: Vec<String> = g
        .components
        .iter()
        .map(|c| format!("{} {} {}/{}", c.name, c.modules, c.fan_in, c.fan_out))
        .collect();
    assert_eq!(
        components,
        ["app 2 1/2", "core 3 2/0", "core/sub 4 1/1", "scripts 3 0/1"]
    );
    let links: Vec<String> = g
        .component_edges
        .iter()
        .map(|e| format!("{} -> {} {} {}", e.from, e.to, e.weight, e.statements))
        .collect();
    assert_eq!(
        links,
        [
            "app -> core 2 2",
            "app -> core/sub 1 1",
            "core/sub -> core 3 3",
            "scripts -> app 1 1"
        ]
    );
    assert_eq!(json(&g.components[0].instability), "0.6666666666666666");
}

#[test]
fn upstream_and_downstream_queries() {
    let g = fixture("graphs/src_layout");
    let down = g.digraph();
    let up = down.reversed();
    let names = |found: Vec<(usize, u32)>| -> Vec<String> {
        found
            .into_iter()
            .map(|(i, d)| format!("{} {d}", down.names[i]))
            .collect()
    };
    let train = down.index_of("scripts.train").unwrap();
    assert_eq!(
        names(graph::algo::reachable(&down.out, train, Some(1))),
        ["app.main 1", "scripts.helpers 1"]
    );
    assert_eq!(
        names(graph::algo::reachable(&down.out, train, None)),
        [
            "app.main 1",
            "scripts.helpers 1",
            "core 2",
            "core.io 2",
            "core.sub.leaf 2",
            "core.formats 3",
            "core.sub.deep.x 3",
        ]
    );
    let formats = up.index_of("core.formats").unwrap();
    assert_eq!(
        names(graph::algo::reachable(&up.out, formats, None)),
        [
            "core.io 1",
            "core.sub.deep.x 1",
            "app.main 2",
            "core 2",
            "core.sub 2",
            "core.sub.leaf 2",
            "scripts.train 3",
        ]
    );
}

#[test]
fn from_imports_kinds_stubs_and_importers() {
    let g = fixture("graphs/imports");
    assert_eq!(
        modules(&g),
        [
            "datasets namespace datasets datasets 0/0",
            "datasets.local module datasets/local.py datasets 1/0",
            "explore.ipynb importer explore.ipynb (root) 0/2",
            // `bad-dir/` can only be an import root.
            "helper module bad-dir/helper.py bad-dir 1/0",
            "pkg package pkg/__init__.py pkg 1/1",
            "pkg.fast module pkg/fast.py pkg 1/0",
            "pkg.lazy module pkg/lazy.py pkg 1/0",
            "pkg.native stub pkg/native.pyi pkg 1/1",
            "pkg.user module pkg/user.py pkg 1/5",
            "pkg.util module pkg/util.py pkg 5/0",
            "run module bad-dir/run.py bad-dir 0/3",
        ]
    );
    assert_eq!(
        edges(&g),
        [
            "explore.ipynb -> pkg.user @explore.ipynb#2:1 module",
            "explore.ipynb -> pkg.util @explore.ipynb#2:2 module",
            "pkg -> pkg.util @pkg/__init__.py:1 module",
            // A stub's imports are typing-only; `util.pyi` beside `util.py`
            // adds nothing.
            "pkg.native -> pkg.util @pkg/native.pyi:1 type_checking",
            // `from pkg import util, VALUE`: a submodule and a name.
            "pkg.user -> pkg @pkg/user.py:3 module",
            "pkg.user -> pkg.fast @pkg/user.py:7 try",
            "pkg.user -> pkg.lazy @pkg/user.py:13 function",
            "pkg.user -> pkg.lazy @pkg/user.py:23 type_checking",
            // In a `try` inside a function: `function` wins.
            "pkg.user -> pkg.native @pkg/user.py:16 function",
            "pkg.user -> pkg.util @pkg/user.py:3 module",
            "pkg.user -> pkg.util @pkg/user.py:4 module",
            "run -> datasets.local @bad-dir/run.py:3 module",
            "run -> helper @bad-dir/run.py:4 module",
            "run -> pkg.util @bad-dir/run.py:1 module",
        ]
    );
    assert_eq!(
        externals(&g),
        [
            "cv2 opencv-python other 1 @datasets/local.py:2",
            // The `datasets/` folder does not capture `import datasets`.
            "datasets datasets data 1 @bad-dir/run.py:2",
            "sklearn scikit-learn ml_framework 1 @datasets/local.py:1",
            "typing typing stdlib 1 @pkg/user.py:1",
        ]
    );
    assert!(g.unresolved.is_empty());
    assert!(g.cycles.all.is_empty());
}

#[test]
fn rust_mod_tree_and_use_paths() {
    let g = fixture("graphs/rust_crate");
    assert_eq!(
        modules(&g),
        [
            "geo_core crate src/lib.rs src 2/2",
            "geo_core::bin::tool crate src/bin/tool.rs bin 0/1",
            "geo_core::generated declared src/lib.rs src 1/0",
            "geo_core::main crate src/main.rs src 0/2",
            "geo_core::shapes module src/shapes/mod.rs shapes 3/2",
            "geo_core::shapes::circle module src/shapes/circle.rs shapes 4/3",
            "geo_core::tests inline src/lib.rs src 0/3",
            "geo_core::util module src/util.rs src 5/1",
            "tests/it.rs importer tests/it.rs tests 0/1",
        ]
    );
    assert_eq!(
        edges(&g),
        [
            "geo_core -> geo_core::shapes::circle @src/lib.rs:6 module",
            "geo_core -> geo_core::util @src/lib.rs:9 module",
            "geo_core::bin::tool -> geo_core::util @src/bin/tool.rs:1 module",
            "geo_core::main -> geo_core::shapes::circle @src/main.rs:1 module",
            "geo_core::main -> geo_core::util @src/main.rs:2 module",
            "geo_core::shapes -> geo_core::shapes::circle @src/shapes/mod.rs:3 module",
            "geo_core::shapes -> geo_core::util @src/shapes/mod.rs:4 module",
            // `crate::nothing::Missing`: the longest prefix that is a module.
            "geo_core::shapes::circle -> geo_core @src/shapes/circle.rs:3 module",
            "geo_core::shapes::circle -> geo_core::generated @src/shapes/circle.rs:2 module",
            "geo_core::shapes::circle -> geo_core::util @src/shapes/circle.rs:1 module",
            "geo_core::tests -> geo_core @src/lib.rs:13 module",
            "geo_core::tests -> geo_core::shapes @src/lib.rs:14 module",
            "geo_core::tests -> geo_core::shapes::circle @src/lib.rs:14 module",
            "geo_core::util -> geo_core::shapes @src/util.rs:1 module",
            "tests/it.rs -> geo_core::shapes @tests/it.rs:1 module",
        ]
    );
    assert_eq!(
        externals(&g),
        [
            "core core stdlib 1 @src/bin/tool.rs:2",
            "rayon rayon other 1 @src/util.rs:2",
            "serde serde other 1 @src/lib.rs:7",
            "std std stdlib 1 @src/lib.rs:8",
        ]
    );
    assert_eq!(
        unresolved(&g),
        [
            "geo_core::shapes::circle super::super::super::Beyond @src/shapes/circle.rs:4",
            "tests/it.rs self::local::X @tests/it.rs:2",
        ]
    );
    // ELS order: geo_core, shapes, circle, util; circle → geo_core and
    // util → shapes point backwards.
    assert_eq!(
        cycles(&g.cycles.runtime),
        [
            "geo_core geo_core::shapes geo_core::shapes::circle geo_core::util | geo_core geo_core::shapes::circle | geo_core::shapes::circle -> geo_core @src/shapes/circle.rs:3 (1) | 2"
        ]
    );
}

#[test]
fn example_repo() {
    let g = fixture("mlrepo");
    assert_eq!(
        edges(&g),
        [
            "fastfeat -> fastfeat::window @rust/fastfeat/src/lib.rs:6 module",
            "shop.models -> shop.models.net @src/shop/models/__init__.py:1 module",
            "shop.pipelines.train -> shop.models @src/shop/pipelines/train.py:8 module",
            "tests.test_features -> shop.features.build @tests/test_features.py:3 module",
        ]
    );
    assert_eq!(g.modules.len(), 14);
    assert_eq!(
        externals(&g),
        [
            "hydra hydra other 1 @src/shop/pipelines/train.py:5",
            "importlib importlib stdlib 1 @src/shop/pipelines/train.py:2",
            "pandas pandas data 4 @notebooks/eda.ipynb:2",
            "sys sys stdlib 1 @src/shop/features/build.py:2",
            "torch torch ml_framework 1 @src/shop/models/net.py:2",
            "typing typing stdlib 1 @src/shop/pipelines/train.py:3",
            "std std stdlib 1 @rust/fastfeat/src/lib.rs:4",
        ]
    );
    assert!(g.cycles.all.is_empty() && g.unresolved.is_empty());
}

#[test]
fn nothing_to_import() {
    let g = graph::build(&[]);
    assert_eq!(
        json(&g),
        r#"{"component_edges":[],"components":[],"cycles":{"all":[],"runtime":[]},"edges":[],"externals":[],"module_pairs":0,"modules":[],"unresolved":[]}"#
    );
}

#[test]
fn output_does_not_depend_on_file_order() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/graphs");
    let mut all = files(&root);
    let forward = json(&graph::build(&all));
    all.reverse();
    assert_eq!(json(&graph::build(&all)), forward);
}

#[test]
fn odd_names_and_climbing_imports_do_not_crash() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("__init__.py", "from . import a\nfrom .. import b\n");
    write("a.py", "from . import x\nfrom .......... import y\n");
    write("a/__init__.py", "from .a import z\n");
    write("a..py", "import a\n");
    write(".py", "import a\n");
    write("1bad/x.py", "from . import a\nimport a\n");
    write("ünï/cödé.py", "from . import a\n");
    write("Cargo.toml", "[workspace]\n");
    write(
        "src/lib.rs",
        "use super::x;\nuse crate::a;\nmod a { use super::super::super::z; }\n",
    );
    let g = graph::build(&files(dir.path()));
    assert_eq!(
        modules(&g),
        [
            ".py importer .py (root) 0/1",
            "__init__.py importer __init__.py (root) 0/0",
            // `a/__init__.py` beats `a.py`, which can only import.
            "a package a/__init__.py a 3/0",
            "a..py importer a..py (root) 0/1",
            "a.py importer a.py (root) 0/0",
            "crate crate src/lib.rs src 0/1",
            "crate::a inline src/lib.rs src 1/0",
            "x module 1bad/x.py 1bad 0/1",
            // `from . import a` in `ünï/cödé.py` lands on the folder.
            "ünï namespace ünï ünï 1/0",
            "ünï.cödé module ünï/cödé.py ünï 0/1",
        ]
    );
    assert_eq!(
        unresolved(&g),
        [
            "__init__.py . @__init__.py:1",
            "__init__.py .. @__init__.py:2",
            "a .a @a/__init__.py:1",
            "a.py . @a.py:1",
            "a.py .......... @a.py:2",
            "crate super::x @src/lib.rs:1",
            "crate::a super::super::super::z @src/lib.rs:3",
            "x . @1bad/x.py:1",
        ]
    );
}

#[test]
fn crate_named_like_a_python_package() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("fastfeat/__init__.py", "from fastfeat import _native\n");
    write("rust/Cargo.toml", "[package]\nname = \"fastfeat\"\n");
    write("rust/src/lib.rs", "mod window;\n");
    write("rust/src/window.rs", "use crate::Config;\n");
    let g = graph::build(&files(dir.path()));
    assert_eq!(
        modules(&g),
        [
            "fastfeat package fastfeat/__init__.py fastfeat 0/0",
            "fastfeat[rust] crate rust/src/lib.rs rust 1/0",
            "fastfeat[rust]::window module rust/src/window.rs rust 0/1",
        ]
    );
    assert_eq!(
        edges(&g),
        ["fastfeat[rust]::window -> fastfeat[rust] @rust/src/window.rs:1 module"]
    );
}
