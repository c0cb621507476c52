//! Grouping files into components: the units that scores and trends are
//! reported for. By default a component is a top-level folder, or, inside a
//! top-level Python package, one of its subpackages (`sklearn/linear_model`);
//! a leading `src/` is skipped; a Rust crate (a folder with `Cargo.toml`)
//! is a component of its own. Projects override this per glob.

use foldhash::{HashSet, HashSetExt};
use std::collections::BTreeMap;

use globset::GlobSet;

use crate::role::glob_set;

/// The component of files directly in the scan root.
pub const ROOT_COMPONENT: &str = "(root)";

pub struct Components {
    overrides: Vec<(String, GlobSet)>,
    /// Directories (relative POSIX) that hold an `__init__.py`.
    packages: HashSet<String>,
    /// Directories below the root that hold a `Cargo.toml`.
    crates: HashSet<String>,
}

impl Components {
    /// `overrides` maps component names to globs (first match in name
    /// order wins); `files` are all scanned relative paths.
    pub fn new<'a>(
        overrides: &BTreeMap<String, Vec<String>>,
        files: impl IntoIterator<Item = &'a str>,
    ) -> Result<Self, String> {
        let overrides = overrides
            .iter()
            .map(|(name, globs)| Ok((name.clone(), glob_set(globs)?)))
            .collect::<Result<_, String>>()?;
        let (mut packages, mut crates) = (HashSet::new(), HashSet::new());
        for rel in files {
            if let Some(dir) = rel.strip_suffix("/__init__.py") {
                packages.insert(dir.to_owned());
            } else if let Some(dir) = rel.strip_suffix("/Cargo.toml") {
                crates.insert(dir.to_owned());
            }
        }
        Ok(Components {
            overrides,
            packages,
            crates,
        })
    }

    pub fn component_of(&self, rel: &str) -> String {
        if let Some((name, _)) = self.overrides.iter().find(|(_, set)| set.is_match(rel)) {
            return name.clone();
        }
        if let Some(krate) = self.enclosing_crate(rel) {
            return krate.to_owned();
        }
        let dirs: Vec<&str> = rel.split('/').collect();
        let dirs = &dirs[..dirs.len() - 1];
        let (skipped, dirs) = match dirs {
            ["src", rest @ ..] if !rest.is_empty() => ("src/", rest),
            _ => ("", dirs),
        };
        match dirs {
            [] => ROOT_COMPONENT.to_owned(),
            [top, sub, ..] if self.packages.contains(&format!("{skipped}{top}")) => {
                format!("{top}/{sub}")
            }
            [top, ..] => (*top).to_owned(),
        }
    }

    /// The innermost crate folder holding `rel`.
    fn enclosing_crate<'a>(&self, rel: &'a str) -> Option<&'a str> {
        let mut dir = rel;
        while let Some((parent, _)) = dir.rsplit_once('/') {
            if self.crates.contains(parent) {
                return Some(parent);
            }
            dir = parent;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_components() {
        let files = [
            "setup.py",
            "src/shop/__init__.py",
            "src/shop/models/net.py",
            "src/shop/cli.py",
            "notebooks/eda.ipynb",
            "scripts/tools/x.py",
            "rust/fastfeat/Cargo.toml",
            "rust/fastfeat/src/window.rs",
        ];
        let c = Components::new(&BTreeMap::new(), files).unwrap();
        assert_eq!(c.component_of("setup.py"), "(root)");
        assert_eq!(c.component_of("src/shop/models/net.py"), "shop/models");
        assert_eq!(c.component_of("src/shop/cli.py"), "shop");
        assert_eq!(c.component_of("notebooks/eda.ipynb"), "notebooks");
        assert_eq!(c.component_of("scripts/tools/x.py"), "scripts");
        assert_eq!(
            c.component_of("rust/fastfeat/src/window.rs"),
            "rust/fastfeat"
        );
        assert_eq!(c.component_of("rust/fastfeat/Cargo.toml"), "rust/fastfeat");
    }

    #[test]
    fn overrides_win() {
        let mut o = BTreeMap::new();
        o.insert("training".to_owned(), vec!["scripts/**".to_owned()]);
        let c = Components::new(&o, ["scripts/a.py"]).unwrap();
        assert_eq!(c.component_of("scripts/a.py"), "training");
        assert!(Components::new(&BTreeMap::from([("x".into(), vec!["[".into()])]), []).is_err());
    }
}
