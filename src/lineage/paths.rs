//! Artifact paths, shell commands and SQL, read without running anything.

/// The folder of a relative path (`""` at the root).
pub(super) fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// A path as written in a file of folder `base`, relative to the repo root:
/// `./` and `x/..` folded, no trailing slash. URLs and absolute paths are
/// kept as written. `Err` holds the reason for a templated path.
pub(super) fn normalize(base: &str, raw: &str) -> Result<String, String> {
    let raw = raw.trim();
    if raw.contains("${") || raw.contains('{') {
        return Err(format!("templated path `{raw}`"));
    }
    if raw.is_empty() {
        return Err("empty path".to_string());
    }
    if raw.contains("://") || raw.starts_with('/') {
        return Ok(raw.trim_end_matches('/').to_string());
    }
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in raw.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    Ok(parts.join("/"))
}

/// What a shell command runs with Python.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Script<'a> {
    /// `python path/to/x.py`, or a bare `x.py`.
    File(&'a str),
    /// `python -m pkg.mod`.
    Module(&'a str),
}

/// The Python scripts and modules of a command: each part between `&&`,
/// `||`, `;` and `|` that runs `python…` (also under `uv run`, `poetry
/// run`) or starts with a `.py` file.
pub(super) fn scripts(cmd: &str) -> Vec<Script<'_>> {
    let mut out = Vec::new();
    for part in cmd.split(['&', '|', ';', '\n']) {
        let words: Vec<&str> = part.split_whitespace().collect();
        let python = words
            .iter()
            .position(|w| {
                let w = w.rsplit('/').next().unwrap_or(w);
                w.starts_with("python") && w[6..].chars().all(|c| c.is_ascii_digit() || c == '.')
            })
            .map(|i| i + 1);
        let start = match python {
            Some(start) => start,
            None if words.first().is_some_and(|w| w.ends_with(".py")) => 0,
            None => continue,
        };
        let mut rest = words[start..].iter();
        while let Some(word) = rest.next() {
            if *word == "-m" {
                out.extend(rest.next().map(|m| Script::Module(m)));
                break;
            }
            if word.starts_with('-') {
                continue;
            }
            if word.ends_with(".py") {
                out.push(Script::File(word));
            }
            break;
        }
    }
    out
}

/// Table names of a simple SQL query: the names after `FROM` and `JOIN`.
/// `None` when the query is not simple (a subquery, a placeholder, a
/// name that is not a plain identifier).
pub(super) fn sql_tables(sql: &str) -> Option<Vec<String>> {
    if sql.contains('(') || sql.contains('{') || sql.contains('%') {
        return None;
    }
    let words: Vec<&str> = sql.split_whitespace().collect();
    let mut tables = Vec::new();
    for pair in words.windows(2) {
        let keyword = pair[0].to_ascii_lowercase();
        if keyword == "from" || keyword == "join" {
            let name = pair[1].trim_end_matches(';');
            // `FROM a, b` lists several tables: not simple.
            let plain = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '"' | '`'));
            if !plain {
                return None;
            }
            tables.push(name.replace(['"', '`'], ""));
        }
    }
    if tables.is_empty() {
        return None;
    }
    tables.sort();
    tables.dedup();
    Some(tables)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_folded_relative_to_the_base() {
        assert_eq!(
            normalize("sub", "./data//raw.csv/").unwrap(),
            "sub/data/raw.csv"
        );
        assert_eq!(normalize("a/b", "../c").unwrap(), "a/c");
        assert_eq!(normalize("", "../c").unwrap(), "../c");
        assert_eq!(normalize("x", "s3://b/k/").unwrap(), "s3://b/k");
        assert!(normalize("", "data/${item}.csv").is_err());
    }

    #[test]
    fn commands_name_their_scripts() {
        assert_eq!(
            scripts("python src/prep.py data/raw && python3.11 -u -m shop.train --lr 1"),
            vec![Script::File("src/prep.py"), Script::Module("shop.train")]
        );
        assert_eq!(
            scripts("uv run python train.py"),
            vec![Script::File("train.py")]
        );
        assert_eq!(scripts("make all; echo done"), vec![]);
    }

    #[test]
    fn simple_sql_gives_its_tables() {
        assert_eq!(
            sql_tables("SELECT * FROM sales.orders o JOIN users u ON o.u = u.id").unwrap(),
            vec!["sales.orders", "users"]
        );
        assert_eq!(sql_tables("select a from (select 1)"), None);
        assert_eq!(sql_tables("select * from a, b"), None);
    }
}
