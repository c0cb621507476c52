//! Project configuration: `mlscan.toml`, or `[tool.mlscan]` in
//! `pyproject.toml`, found in the scanned directory or given with
//! `--config`. Unknown keys and bad values are errors with file and line,
//! never silently ignored.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::facts::CcRules;
use crate::role::Role;

/// The settings a project can pin. Paths and globs are relative to the
/// scanned directory, in gitignore syntax for `exclude` and glob syntax
/// (`**`, `*`, `?`, `{a,b}`) for `roles` and `components`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ProjectConfig {
    /// Extra paths to skip.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Role overrides: `model = ["src/nets/**"]`.
    #[serde(default)]
    pub roles: BTreeMap<Role, Vec<String>>,
    /// Component overrides: `ingest = ["src/etl/**", "jobs/**"]`.
    #[serde(default)]
    pub components: BTreeMap<String, Vec<String>>,
    /// Python cyclomatic rules (`radon` or `mccabe`).
    pub cc_rules: Option<CcRules>,
    /// Largest code file to analyse, in bytes.
    pub max_file_size: Option<u64>,
}

/// A loaded configuration and where it came from.
#[derive(Debug, Clone, Default)]
pub struct LoadedConfig {
    pub config: ProjectConfig,
    pub source: Option<PathBuf>,
}

#[derive(Deserialize)]
struct Pyproject {
    tool: Option<PyprojectTool>,
}

#[derive(Deserialize)]
struct PyprojectTool {
    mlscan: Option<ProjectConfig>,
}

/// Loads `explicit` if given, else `mlscan.toml` or a `pyproject.toml`
/// with a `[tool.mlscan]` table in `root` (when `root` is a directory).
pub fn load(root: &Path, explicit: Option<&Path>) -> Result<LoadedConfig, String> {
    if let Some(path) = explicit {
        return load_file(path)?
            .ok_or_else(|| format!("{}: no [tool.mlscan] table in this file", path.display()));
    }
    if !root.is_dir() {
        return Ok(LoadedConfig::default());
    }
    for name in ["mlscan.toml", "pyproject.toml"] {
        let path = root.join(name);
        if path.is_file()
            && let Some(loaded) = load_file(&path)?
        {
            return Ok(loaded);
        }
    }
    Ok(LoadedConfig::default())
}

/// Reads one config file; `None` for a pyproject without `[tool.mlscan]`.
fn load_file(path: &Path) -> Result<Option<LoadedConfig>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let is_pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
    let error = |e: toml::de::Error| format!("invalid configuration in {}: {e}", path.display());
    let config = if is_pyproject {
        let pyproject: Pyproject = toml::from_str(&text).map_err(error)?;
        match pyproject.tool.and_then(|t| t.mlscan) {
            Some(config) => config,
            None => return Ok(None),
        }
    } else {
        toml::from_str(&text).map_err(error)?
    };
    Ok(Some(LoadedConfig {
        config,
        source: Some(path.to_path_buf()),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    #[test]
    fn reads_mlscan_toml() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "mlscan.toml",
            "exclude = [\"legacy/\"]\ncc-rules = \"mccabe\"\n[roles]\nmodel = [\"nets/**\"]\n",
        );
        let loaded = load(dir.path(), None).unwrap();
        assert_eq!(loaded.config.exclude, vec!["legacy/"]);
        assert_eq!(loaded.config.cc_rules, Some(CcRules::Mccabe));
        assert_eq!(loaded.config.roles[&Role::Model], vec!["nets/**"]);
    }

    #[test]
    fn reads_tool_mlscan_from_pyproject_and_skips_pyprojects_without_it() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "pyproject.toml", "[project]\nname = \"x\"\n");
        assert_eq!(
            load(dir.path(), None).unwrap().config,
            ProjectConfig::default()
        );
        write(
            dir.path(),
            "pyproject.toml",
            "[project]\nname = \"x\"\n[tool.mlscan.components]\ningest = [\"etl/**\"]\n",
        );
        let loaded = load(dir.path(), None).unwrap();
        assert_eq!(loaded.config.components["ingest"], vec!["etl/**"]);
    }

    #[test]
    fn unknown_keys_are_errors_with_a_line() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "mlscan.toml",
            "exclude = []\n\nexlcude = [\"x\"]\n",
        );
        let err = load(dir.path(), None).unwrap_err();
        assert!(err.contains("mlscan.toml"), "{err}");
        assert!(err.contains("line 3"), "{err}");
        assert!(err.contains("unknown field `exlcude`"), "{err}");
    }

    #[test]
    fn bad_role_names_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "mlscan.toml", "[roles]\nmodels = [\"x/**\"]\n");
        let err = load(dir.path(), None).unwrap_err();
        assert!(err.contains("line 2"), "{err}");
    }
}
