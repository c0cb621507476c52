//! The category and distribution of external imports, from the data table
//! `rules/externals.toml`.

use foldhash::{HashMap, HashMapExt};
use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

const BUILTIN: &str = include_str!("../../rules/externals.toml");

/// What an external dependency is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    MlFramework,
    Data,
    Pipeline,
    Features,
    Tracking,
    Stdlib,
    Other,
}

impl Category {
    pub const ALL: [Category; 7] = [
        Category::MlFramework,
        Category::Data,
        Category::Pipeline,
        Category::Features,
        Category::Tracking,
        Category::Stdlib,
        Category::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::MlFramework => "ml_framework",
            Category::Data => "data",
            Category::Pipeline => "pipeline",
            Category::Features => "features",
            Category::Tracking => "tracking",
            Category::Stdlib => "stdlib",
            Category::Other => "other",
        }
    }

    /// ML, data and feature frameworks: what glue code wraps.
    pub fn is_framework(self) -> bool {
        matches!(
            self,
            Category::MlFramework | Category::Data | Category::Features
        )
    }
}

/// The category of a top-level import name (`torch`, `pandas`, `os`).
pub fn category(name: &str) -> Category {
    Table::builtin().category(name)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    categories: BTreeMap<Category, Vec<String>>,
    distributions: BTreeMap<String, String>,
}

/// Import name → category, and import name → distribution.
#[derive(Debug, Default)]
pub(super) struct Table {
    categories: HashMap<String, Category>,
    distributions: HashMap<String, String>,
}

impl Table {
    /// The built-in table, parsed once. A table that does not parse (a
    /// build defect, caught by the tests) degrades to "everything other".
    pub(super) fn builtin() -> &'static Table {
        static TABLE: OnceLock<Table> = OnceLock::new();
        TABLE.get_or_init(|| Table::parse(BUILTIN).unwrap_or_default())
    }

    fn parse(text: &str) -> Result<Table, String> {
        let file: TableFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut categories = HashMap::new();
        for (category, names) in file.categories {
            for name in names {
                if let Some(old) = categories.insert(name.clone(), category) {
                    return Err(format!("{name} is both {old:?} and {category:?}"));
                }
            }
        }
        Ok(Table {
            categories,
            distributions: file.distributions.into_iter().collect(),
        })
    }

    pub(super) fn category(&self, name: &str) -> Category {
        self.categories
            .get(name)
            .copied()
            .unwrap_or(Category::Other)
    }

    /// The distribution (PyPI project, crate) that provides `name`.
    pub(super) fn distribution<'a>(&'a self, name: &'a str) -> &'a str {
        self.distributions.get(name).map_or(name, String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_parses_and_classifies() {
        let table = Table::parse(BUILTIN).expect("rules/externals.toml is valid");
        assert_eq!(table.category("torch"), Category::MlFramework);
        assert_eq!(table.category("polars"), Category::Data);
        assert_eq!(table.category("airflow"), Category::Pipeline);
        assert_eq!(table.category("feast"), Category::Features);
        assert_eq!(table.category("wandb"), Category::Tracking);
        assert_eq!(table.category("asyncio"), Category::Stdlib);
        assert_eq!(table.category("__future__"), Category::Stdlib);
        assert_eq!(table.category("std"), Category::Stdlib);
        assert_eq!(table.category("requests"), Category::Other);
        assert_eq!(table.distribution("sklearn"), "scikit-learn");
        assert_eq!(table.distribution("cv2"), "opencv-python");
        assert_eq!(table.distribution("requests"), "requests");
        assert_eq!(
            table
                .categories
                .values()
                .filter(|&&c| c == Category::Stdlib)
                .count(),
            309
        );
        assert!(table.distributions.iter().all(|(k, v)| k != v));
    }

    #[test]
    fn a_name_in_two_categories_is_an_error() {
        let text = "[categories]\ndata = [\"x\"]\nother = [\"x\"]\n[distributions]\n";
        assert!(Table::parse(text).unwrap_err().contains("x is both"));
    }
}
