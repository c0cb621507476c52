//! Inline suppression comments (`# mlscan: ignore[MLS001]`), found by a
//! plain text search: a directive counts when a comment marker (`#` or
//! `//`) comes before it on its line. Strings that look like comments are
//! not told apart; the cost is a suppression nobody wrote by accident.

use crate::facts::Suppression;

const DIRECTIVE: &str = "mlscan:";

/// Every suppression directive in `source`, in line order.
pub fn find(source: &str) -> Vec<Suppression> {
    if !source.contains(DIRECTIVE) {
        return Vec::new();
    }
    source
        .lines()
        .enumerate()
        .filter_map(|(i, line)| parse_line(line, u32::try_from(i + 1).unwrap_or(u32::MAX)))
        .collect()
}

fn parse_line(line: &str, number: u32) -> Option<Suppression> {
    let at = line.find(DIRECTIVE)?;
    let before = &line[..at];
    if !(before.contains('#') || before.contains("//")) {
        return None;
    }
    let rest = line[at + DIRECTIVE.len()..].trim_start();
    let (whole_file, rest) = if let Some(rest) = rest.strip_prefix("ignore-file") {
        (true, rest)
    } else {
        (false, rest.strip_prefix("ignore")?)
    };
    let rules = match rest.strip_prefix('[') {
        Some(list) => {
            let list = &list[..list.find(']')?];
            list.split(',')
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_owned)
                .collect()
        }
        // `ignore` followed by something else (`ignored`) is not a directive.
        None if rest.starts_with(|c: char| c.is_alphanumeric() || c == '-' || c == '_') => {
            return None;
        }
        None => Vec::new(),
    };
    Some(Suppression {
        line: number,
        cell: None,
        rules,
        whole_file,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(line: &str) -> Option<Suppression> {
        let found = find(line);
        assert!(found.len() <= 1);
        found.into_iter().next()
    }

    #[test]
    fn reads_rule_lists_bare_directives_and_file_directives() {
        let s = one("def f():  # mlscan: ignore[MLS001, long-file]").unwrap();
        assert_eq!((s.line, s.whole_file), (1, false));
        assert_eq!(s.rules, vec!["MLS001", "long-file"]);
        let s = one("fn f() {} // mlscan: ignore").unwrap();
        assert!(s.rules.is_empty() && !s.whole_file);
        let s = one("# mlscan: ignore-file[MLS302]").unwrap();
        assert!(s.whole_file);
        assert_eq!(s.rules, vec!["MLS302"]);
    }

    #[test]
    fn ignores_text_outside_comments_and_lookalikes() {
        assert_eq!(one("x = 'mlscan: ignore[MLS001]'"), None);
        assert_eq!(one("# mlscan: ignored by design"), None);
        assert_eq!(one("# mlscan: ignore[MLS001"), None);
        assert_eq!(one("# mlscan: check this"), None);
        let found = find("a = 1\n\nb = 2  # mlscan: ignore[MLS001]\n");
        assert_eq!(found[0].line, 3);
    }
}
