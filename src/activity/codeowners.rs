//! GitHub's CODEOWNERS: where the file is, its rules, who owns what.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::history::{FileAt, ObjectId, Repo};
use crate::report::FileReport;

/// Where GitHub looks for the file, in order; the first found wins.
const LOCATIONS: [&str; 3] = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];

/// GitHub does not load a larger file.
const MAX_BYTES: u64 = 3 << 20;

/// A parsed CODEOWNERS file, with GitHub's rules:
///
/// - one rule per line: a pattern, then owners (`@user`, `@org/team`,
///   `user@example.com`); blank lines and `#` comments (also after a rule)
///   are skipped;
/// - patterns are gitignore-like, case-sensitive, relative to the
///   repository root: a pattern without a `/` but at its end matches at any
///   depth (`*.js`, `apps/`), one with a `/` elsewhere is anchored
///   (`/docs/`, `docs/*`); `*` and `?` do not cross `/`, `**` spans
///   folders (`**/logs`, `a/**/b`, `a/**`); a pattern naming a folder owns
///   everything below it, except a final lone `*`, which matches direct
///   children only (`/docs/*`); a trailing `/` matches folders only;
/// - **the last matching rule wins**; a rule without owners makes its
///   files unowned;
/// - GitHub does not support `!` negation, `[ ]` ranges or escapes (only
///   `\ ` for a space is read): such lines, and lines with a malformed
///   owner, are skipped with a problem naming the line.
#[derive(Debug, Clone)]
pub struct CodeOwners {
    /// Where the file was found, relative to the repository root.
    pub source: String,
    /// Lines skipped, or why the file could not be read (line 0).
    pub problems: Vec<OwnersProblem>,
    rules: Vec<Rule>,
}

/// A CODEOWNERS line that was skipped, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct OwnersProblem {
    /// 1-based; 0 for the whole file.
    pub line: u32,
    pub message: String,
}

/// One valid line.
#[derive(Debug, Clone)]
struct Rule {
    line: u32,
    /// The pattern, normalised (see [`compile`]).
    segments: Vec<Segment>,
    owners: Vec<String>,
}

/// One `/`-separated piece of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// `**`: any number of folders.
    AnyDirs,
    /// One path segment, with `*` and `?` wildcards.
    Glob(Vec<char>),
}

/// Owners per file and per component of the scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeOwnersReport {
    pub source: String,
    pub problems: Vec<OwnersProblem>,
    /// By path.
    pub files: Vec<FileOwners>,
    /// By name.
    pub components: Vec<ComponentOwners>,
}

/// A file's owners (empty: unowned).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileOwners {
    pub path: String,
    pub component: String,
    /// Sorted.
    pub owners: Vec<String>,
    /// Line of the rule that decided, if any matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<u32>,
}

/// A component's owners.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComponentOwners {
    pub name: String,
    /// Every owner of any of its files, sorted.
    pub owners: Vec<String>,
    /// Files with at least one owner.
    pub owned: u32,
    pub unowned: u32,
    /// Its owned files do not all have the same owners.
    pub overlap: bool,
}

impl CodeOwners {
    /// Parses `text`, the content of the file at `source`.
    pub fn parse(source: &str, text: &str) -> CodeOwners {
        let mut rules = Vec::new();
        let mut problems = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
            match parse_line(number, line) {
                Ok(Some(rule)) => rules.push(rule),
                Ok(None) => {}
                Err(message) => problems.push(OwnersProblem {
                    line: number,
                    message,
                }),
            }
        }
        CodeOwners {
            source: source.to_string(),
            problems,
            rules,
        }
    }

    /// Finds and parses the CODEOWNERS of `commit`, as GitHub does
    /// (`.github/`, the root, then `docs/`; the first found wins). None
    /// when there is none; a file that cannot be read or is 3 MB or more
    /// gives no rules and a problem.
    pub fn at(repo: &Repo, commit: ObjectId) -> Option<CodeOwners> {
        let unreadable = |source: &str, message: String| CodeOwners {
            source: source.to_string(),
            problems: vec![OwnersProblem { line: 0, message }],
            rules: Vec::new(),
        };
        LOCATIONS
            .into_iter()
            .find_map(|source| match repo.file_at(commit, source, MAX_BYTES) {
                Ok(FileAt::Absent) => None,
                Ok(FileAt::TooLarge(size)) => Some(unreadable(
                    source,
                    format!("{size} bytes: GitHub ignores a CODEOWNERS file of 3 MB or more"),
                )),
                Ok(FileAt::Bytes(bytes)) => {
                    Some(CodeOwners::parse(source, &String::from_utf8_lossy(&bytes)))
                }
                Err(err) => Some(unreadable(source, err.to_string())),
            })
    }

    /// The last rule matching `path` (relative to the repository root):
    /// its line and owners (empty: explicitly unowned). None: no rule.
    pub fn owners_of(&self, path: &str) -> Option<(u32, &[String])> {
        let path: Vec<Vec<char>> = path.split('/').map(|s| s.chars().collect()).collect();
        self.rules
            .iter()
            .rev()
            .find(|rule| matches(&rule.segments, &path))
            .map(|rule| (rule.line, rule.owners.as_slice()))
    }

    /// Owners of the scanned `files` and their components; `prefix` is the
    /// scan root's path in the repository ("" at its root).
    pub fn report(&self, prefix: &str, files: &[FileReport]) -> CodeOwnersReport {
        let mut owned_files: Vec<FileOwners> = files
            .iter()
            .map(|file| {
                let full = if prefix.is_empty() {
                    file.path.clone()
                } else {
                    format!("{prefix}/{}", file.path)
                };
                let found = self.owners_of(&full);
                let owners: BTreeSet<&String> =
                    found.map(|(_, o)| o.iter().collect()).unwrap_or_default();
                FileOwners {
                    path: file.path.clone(),
                    component: file.component.clone(),
                    owners: owners.into_iter().cloned().collect(),
                    rule: found.map(|(line, _)| line),
                }
            })
            .collect();
        owned_files.sort_by(|a, b| a.path.cmp(&b.path));

        #[derive(Default)]
        struct Tally<'a> {
            owners: BTreeSet<&'a str>,
            sets: BTreeSet<&'a [String]>,
            owned: u32,
            unowned: u32,
        }
        let mut tallies: BTreeMap<&str, Tally> = BTreeMap::new();
        for file in &owned_files {
            let tally = tallies.entry(&file.component).or_default();
            if file.owners.is_empty() {
                tally.unowned += 1;
            } else {
                tally.owned += 1;
                tally.owners.extend(file.owners.iter().map(String::as_str));
                tally.sets.insert(&file.owners);
            }
        }
        let components = tallies
            .into_iter()
            .map(|(name, tally)| ComponentOwners {
                name: name.to_string(),
                owners: tally.owners.into_iter().map(str::to_string).collect(),
                owned: tally.owned,
                unowned: tally.unowned,
                overlap: tally.sets.len() > 1,
            })
            .collect();
        CodeOwnersReport {
            source: self.source.clone(),
            problems: self.problems.clone(),
            files: owned_files,
            components,
        }
    }
}

/// The rule on line `number`; None for blank and comment lines.
fn parse_line(number: u32, line: &str) -> Result<Option<Rule>, String> {
    let mut tokens: Vec<String> = Vec::new();
    let mut token = String::new();
    let mut chars = line.trim().chars();
    while let Some(c) = chars.next() {
        match c {
            '#' => break,
            '\\' => match chars.next() {
                Some(c @ (' ' | '\t')) => token.push(c),
                Some(c) => return Err(format!("escape `\\{c}` is not supported")),
                None => return Err("a line cannot end with `\\`".to_string()),
            },
            c if c.is_whitespace() => {
                if !token.is_empty() {
                    tokens.push(std::mem::take(&mut token));
                }
            }
            c => token.push(c),
        }
    }
    if !token.is_empty() {
        tokens.push(token);
    }
    let mut tokens = tokens.into_iter();
    let Some(pattern) = tokens.next() else {
        return Ok(None);
    };
    if pattern.starts_with('!') {
        return Err(format!("`{pattern}`: negation (`!`) is not supported"));
    }
    if pattern.contains(['[', ']']) {
        return Err(format!("`{pattern}`: ranges (`[ ]`) are not supported"));
    }
    if pattern.contains("***") {
        return Err(format!("`{pattern}`: `***` is not a pattern"));
    }
    let owners: Vec<String> = tokens.collect();
    if let Some(bad) = owners.iter().find(|o| !valid_owner(o)) {
        return Err(format!(
            "`{bad}` is not an owner (@user, @org/team or an email)"
        ));
    }
    Ok(Some(Rule {
        line: number,
        segments: compile(&pattern),
        owners,
    }))
}

/// `@user`, `@org/team` or `name@domain.tld`.
fn valid_owner(owner: &str) -> bool {
    let word = |s: &str, extra: &[char]| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || extra.contains(&c))
    };
    if let Some(handle) = owner.strip_prefix('@') {
        return match handle.split_once('/') {
            Some((org, team)) => word(org, &[]) && word(team, &['_', '.']),
            None => word(handle, &['_']),
        };
    }
    let Some((local, domain)) = owner.split_once('@') else {
        return false;
    };
    let Some((host, tld)) = domain.rsplit_once('.') else {
        return false;
    };
    word(local, &['.', '_', '%', '+'])
        && word(host, &['.'])
        && tld.len() >= 2
        && tld.chars().all(|c| c.is_ascii_alphabetic())
}

/// The pattern as segments: a pattern of one segment (a trailing `/`
/// aside) that is not anchored by a leading `/` gets a leading `**`; a
/// trailing `/` becomes a final `**` (everything below).
fn compile(pattern: &str) -> Vec<Segment> {
    let (anchored, body) = match pattern.strip_prefix('/') {
        Some(body) => (true, body),
        None => (false, pattern),
    };
    let mut parts: Vec<&str> = body.split('/').collect();
    let single = parts.len() == 1 || (parts.len() == 2 && parts[1].is_empty());
    if !anchored && single && parts.first() != Some(&"**") {
        parts.insert(0, "**");
    }
    if parts.len() > 1 && parts.last() == Some(&"") {
        parts.pop();
        parts.push("**");
    }
    parts
        .into_iter()
        .map(|part| match part {
            "**" => Segment::AnyDirs,
            glob => Segment::Glob(glob.chars().collect()),
        })
        .collect()
}

/// Whether `segments` match the path (split on `/`). A final `**` needs
/// at least one more path segment; a final glob other than a lone `*` also
/// matches everything below what it matches.
fn matches(segments: &[Segment], path: &[Vec<char>]) -> bool {
    let n = path.len();
    // `next[j]`: the segments after the current one match `path[j..]`.
    let mut next = vec![false; n + 1];
    next[n] = true;
    for (i, segment) in segments.iter().enumerate().rev() {
        let last = i + 1 == segments.len();
        let mut row = vec![false; n + 1];
        for j in (0..=n).rev() {
            let here = path.get(j);
            row[j] = match segment {
                Segment::AnyDirs if last => j < n,
                Segment::AnyDirs => next[j] || (j < n && row[j + 1]),
                Segment::Glob(glob) => match here {
                    None => false,
                    Some(name) if !glob_match(glob, name) => false,
                    Some(_) if !last => next[j + 1],
                    Some(_) => glob.as_slice() != ['*'] || j + 1 == n,
                },
            };
        }
        next = row;
    }
    next[0]
}

/// `*` (any run) and `?` (one character) within one path segment.
fn glob_match(glob: &[char], name: &[char]) -> bool {
    let (mut g, mut s) = (0, 0);
    // The last `*` seen and the name position it was tried at.
    let mut star: Option<(usize, usize)> = None;
    while s < name.len() {
        match glob.get(g) {
            Some('*') => {
                star = Some((g, s));
                g += 1;
            }
            Some(&c) if c == '?' || name.get(s) == Some(&c) => {
                g += 1;
                s += 1;
            }
            _ => match star {
                Some((sg, ss)) => {
                    g = sg + 1;
                    s = ss + 1;
                    star = Some((sg, ss + 1));
                }
                None => return false,
            },
        }
    }
    glob[g.min(glob.len())..].iter().all(|&c| c == '*')
}
