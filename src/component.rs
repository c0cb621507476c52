//! Grouping files into components: the units that scores and trends are
//! reported for. By default a component is a top-level folder, or, inside a
//! top-level Python package, one of its subpackages (`sklearn/linear_model`);
//! a leading `src/` is skipped. Projects override this per glob.

use std::collections::{BTreeMap, HashSet};

use globset::{Glob, GlobSet, GlobSetBuilder};

/// The component of files directly in the scan root.
pub const ROOT_COMPONENT: &str = "(root)";

pub struct Components {
    overrides: Vec<(String, GlobSet)>,
    /// Directories (relative POSIX) that hold an `__init__.py`.
    packages: HashSet<String>,
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
            .map(|(name, globs)| {
                let mut set = GlobSetBuilder::new();
                for glob in globs {
                    set.add(Glob::new(glob).map_err(|e| format!("invalid glob {glob:?}: {e}"))?);
                }
                Ok((name.clone(), set.build().map_err(|e| e.to_string())?))
            })
            .collect::<Result<_, String>>()?;
        let packages = files
            .into_iter()
            .filter_map(|rel| rel.strip_suffix("/__init__.py"))
            .map(str::to_owned)
            .collect();
        Ok(Components {
            overrides,
            packages,
        })
    }

    pub fn component_of(&self, rel: &str) -> String {
        if let Some((name, _)) = self.overrides.iter().find(|(_, set)| set.is_match(rel)) {
            return name.clone();
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
        ];
        let c = Components::new(&BTreeMap::new(), files).unwrap();
        assert_eq!(c.component_of("setup.py"), "(root)");
        assert_eq!(c.component_of("src/shop/models/net.py"), "shop/models");
        assert_eq!(c.component_of("src/shop/cli.py"), "shop");
        assert_eq!(c.component_of("notebooks/eda.ipynb"), "notebooks");
        assert_eq!(c.component_of("scripts/tools/x.py"), "scripts");
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
