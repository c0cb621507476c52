//! The API tables of `rules/lineage.toml`, compiled once per process.

use foldhash::{HashMap, HashSet};
use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

const RULES: &str = include_str!("../../../../rules/lineage.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    calls: CallRules,
    columns: ColumnRules,
    frames: FrameRules,
    config: ConfigRules,
    decorators: DecoratorRules,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DecoratorRules {
    /// Decorators listed without their arguments.
    bare: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CallRules {
    /// Groups of function patterns (the group names are for readers).
    functions: BTreeMap<String, Vec<String>>,
    /// Patterns that no function pattern may match.
    exclude: Vec<String>,
    methods: Vec<String>,
    self_methods: Vec<String>,
    chain_after: Vec<String>,
    chain_methods: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnRules {
    functions: Vec<String>,
    keyword_writers: Vec<String>,
    first_argument_writers: Vec<String>,
    not_frames: Vec<String>,
    not_frame_suffixes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrameRules {
    readers: Vec<String>,
    reader_methods: Vec<String>,
    methods: Vec<String>,
    uses: Vec<String>,
    parameters: Vec<String>,
    types: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigRules {
    roots: Vec<String>,
}

/// One segment pattern: `[A-Z]` flag, then `prefix*suffix` or a literal.
#[derive(Debug)]
struct SegGlob {
    upper: bool,
    prefix: String,
    suffix: Option<String>,
}

impl SegGlob {
    fn parse(s: &str) -> Result<SegGlob, String> {
        let (upper, rest) = match s.strip_prefix("[A-Z]") {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (prefix, suffix) = match rest.split_once('*') {
            Some((p, s)) if !s.contains('*') => (p, Some(s.to_owned())),
            Some(_) => return Err(format!("more than one `*` in `{s}`")),
            None => (rest, None),
        };
        Ok(SegGlob {
            upper,
            prefix: prefix.to_owned(),
            suffix,
        })
    }

    fn matches(&self, s: &str) -> bool {
        let rest = if self.upper {
            let mut chars = s.chars();
            match chars.next() {
                Some(c) if c.is_ascii_uppercase() => chars.as_str(),
                _ => return false,
            }
        } else {
            s
        };
        match &self.suffix {
            None => rest == self.prefix,
            Some(suffix) => {
                rest.len() >= self.prefix.len() + suffix.len()
                    && rest.starts_with(&self.prefix)
                    && rest.ends_with(suffix.as_str())
            }
        }
    }
}

#[derive(Debug)]
enum Seg {
    /// `**`: any number of segments.
    Many,
    One(SegGlob),
}

/// A dotted callee pattern and what a match is (`None`: excluded).
#[derive(Debug)]
struct Pattern {
    segs: Vec<Seg>,
    hit: Option<Hit>,
}

/// Whether `subject` matches `pattern`, `**` backtracking iteratively.
fn matches_segments(pattern: &[Seg], subject: &[&str]) -> bool {
    let (mut p, mut s) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while s < subject.len() {
        match pattern.get(p) {
            Some(Seg::Many) => {
                star = Some((p, s));
                p += 1;
                continue;
            }
            Some(Seg::One(g)) if subject.get(s).is_some_and(|x| g.matches(x)) => {
                p += 1;
                s += 1;
                continue;
            }
            _ => {}
        }
        match star {
            Some((sp, ss)) => {
                p = sp + 1;
                s = ss + 1;
                star = Some((sp, ss + 1));
            }
            None => return false,
        }
    }
    pattern
        .get(p..)
        .is_some_and(|rest| rest.iter().all(|x| matches!(x, Seg::Many)))
}

/// The compiled tables.
#[derive(Default)]
pub(super) struct Rules {
    /// Function and column-function patterns by their first segment.
    functions: HashMap<String, Vec<Pattern>>,
    methods: HashSet<String>,
    method_globs: Vec<SegGlob>,
    pub(super) self_methods: HashSet<String>,
    pub(super) chain_after: HashSet<String>,
    chain_methods: HashSet<String>,
    pub(super) keyword_writers: HashSet<String>,
    pub(super) first_argument_writers: HashSet<String>,
    not_frames: HashSet<String>,
    not_frame_suffixes: Vec<String>,
    /// Callee patterns whose result is a frame (`Hit::Call` for all).
    frame_readers: Vec<Pattern>,
    pub(super) frame_reader_methods: HashSet<String>,
    pub(super) frame_methods: HashSet<String>,
    pub(super) frame_uses: HashSet<String>,
    frame_params: Vec<SegGlob>,
    frame_types: HashSet<String>,
    /// Config roots of one segment (`cfg`) and of two (`self` → `cfg`):
    /// a dozen, scanned (cheaper than hashing on every attribute).
    roots: Vec<String>,
    roots2: Vec<(String, Vec<String>)>,
}

impl Rules {
    pub(super) fn get() -> &'static Rules {
        static RULES_TABLE: OnceLock<Rules> = OnceLock::new();
        RULES_TABLE.get_or_init(|| Rules::parse(RULES).unwrap_or_default())
    }

    pub(super) fn parse(text: &str) -> Result<Rules, String> {
        let file: RuleFile =
            toml::from_str(text).map_err(|e| format!("rules/lineage.toml: {e}"))?;
        let mut rules = Rules::default();
        // Exclusions first: the first matching pattern decides.
        let excluded = file.calls.exclude.iter().map(|p| (p, None));
        let patterns = file.calls.functions.values().flatten();
        let patterns = patterns.map(|p| (p, Some(Hit::Call)));
        let columns = file
            .columns
            .functions
            .iter()
            .map(|p| (p, Some(Hit::Column)));
        let bare = file.decorators.bare.iter().map(|p| (p, Some(Hit::Bare)));
        for (text, hit) in excluded.chain(patterns).chain(columns).chain(bare) {
            let (first, segs) = compile(text)?;
            rules
                .functions
                .entry(first)
                .or_default()
                .push(Pattern { segs, hit });
        }
        for text in &file.frames.readers {
            let (_, segs) = compile(text)?;
            rules.frame_readers.push(Pattern {
                segs,
                hit: Some(Hit::Call),
            });
        }
        rules.frame_reader_methods = file.frames.reader_methods.into_iter().collect();
        rules.frame_methods = file.frames.methods.into_iter().collect();
        rules.frame_uses = file.frames.uses.into_iter().collect();
        rules.frame_params = (file.frames.parameters.iter())
            .map(|p| SegGlob::parse(p))
            .collect::<Result<_, _>>()?;
        rules.frame_types = file.frames.types.into_iter().collect();
        for m in file.calls.methods {
            if m.contains('*') {
                rules.method_globs.push(SegGlob::parse(&m)?);
            } else {
                rules.methods.insert(m);
            }
        }
        rules.self_methods = file.calls.self_methods.into_iter().collect();
        rules.chain_after = file.calls.chain_after.into_iter().collect();
        rules.chain_methods = file.calls.chain_methods.into_iter().collect();
        rules.keyword_writers = file.columns.keyword_writers.into_iter().collect();
        rules.first_argument_writers = file.columns.first_argument_writers.into_iter().collect();
        rules.not_frames = file.columns.not_frames.into_iter().collect();
        rules.not_frame_suffixes = file.columns.not_frame_suffixes;
        for root in file.config.roots {
            match root.split_once('.') {
                Some((a, b)) => match rules.roots2.iter_mut().find(|(r, _)| r == a) {
                    Some((_, seconds)) => seconds.push(b.to_owned()),
                    None => rules.roots2.push((a.to_owned(), vec![b.to_owned()])),
                },
                None => rules.roots.push(root),
            }
        }
        Ok(rules)
    }

    /// What a resolved function callee is, if it matters.
    pub(super) fn function(&self, segs: &[&str]) -> Option<Hit> {
        let first = segs.first()?;
        self.functions
            .get(*first)?
            .iter()
            .find(|p| matches_segments(&p.segs, segs))?
            .hit
    }

    pub(super) fn method(&self, segs: &[&str]) -> bool {
        let Some((last, before)) = segs.split_last() else {
            return false;
        };
        self.methods.contains(*last)
            || self.method_globs.iter().any(|g| g.matches(last))
            || (self.chain_methods.contains(*last)
                && before.iter().any(|s| self.chain_after.contains(*s)))
    }

    /// Whether a callee written `text` can match, from its first and last
    /// names alone (never false for a callee that matches).
    pub(super) fn may_match<'a>(
        &self,
        text: &str,
        alias: impl Fn(&str) -> Option<&'a str>,
    ) -> bool {
        let is_name = |c: char| c.is_alphanumeric() || c == '_';
        let root = text.split(|c| !is_name(c)).next().unwrap_or("");
        let last = text.rsplit(|c| !is_name(c)).next().unwrap_or("");
        let plain = root.len() == text.len();
        let (first, last) = match alias(root) {
            Some(target) if plain => (target.split('.').next(), target.rsplit('.').next()),
            Some(target) => (target.split('.').next(), Some(last)),
            None => (plain.then_some(root), Some(last)),
        };
        let last = last.unwrap_or("");
        let function = first
            .and_then(|f| self.functions.get(f))
            .is_some_and(|patterns| {
                patterns.iter().any(|p| match p.segs.last() {
                    Some(Seg::One(g)) => g.matches(last),
                    _ => true,
                })
            });
        function
            || self.methods.contains(last)
            || self.self_methods.contains(last)
            || self.chain_methods.contains(last)
            || self.method_globs.iter().any(|g| g.matches(last))
    }

    /// `segs` (root first) starts with a config root and goes further.
    pub(super) fn config_root(&self, segs: &[&str]) -> bool {
        match segs {
            [root, _, ..] if self.is_root(root) => true,
            [a, b, _, ..] => self.seconds(a).is_some_and(|r| r.iter().any(|x| x == b)),
            _ => false,
        }
    }

    pub(super) fn is_root(&self, name: &str) -> bool {
        self.roots.iter().any(|r| r == name)
    }

    /// The second segments of the two-segment roots starting with `first`.
    pub(super) fn seconds(&self, first: &str) -> Option<&[String]> {
        self.roots2
            .iter()
            .find(|(r, _)| r == first)
            .map(|(_, s)| s.as_slice())
    }

    /// Whether an expression written `text` can start a config key, from
    /// its first one or two names (a cheap test before the tree is read).
    pub(super) fn may_be_root(&self, text: &str) -> bool {
        fn name(t: &str) -> (&str, &str) {
            // Bytes: any non-ASCII byte may belong to a name.
            let end = t
                .bytes()
                .position(|b| !(b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80))
                .unwrap_or(t.len());
            (t.get(..end).unwrap_or(""), t.get(end..).unwrap_or(""))
        }
        let (first, rest) = name(text);
        if self.is_root(first) {
            return true;
        }
        let Some(seconds) = self.seconds(first) else {
            return false;
        };
        match rest.strip_prefix('.') {
            Some(rest) => seconds.iter().any(|s| s == name(rest).0),
            // `self .cfg`, `self[...]`: let the tree decide.
            None => true,
        }
    }

    /// Whether a resolved callee returns a frame.
    pub(super) fn frame_reader(&self, segs: &[&str]) -> bool {
        self.frame_readers
            .iter()
            .any(|p| matches_segments(&p.segs, segs))
    }

    /// Whether a parameter annotation names a frame type: any name in it
    /// whose last segment is in `types` (`Optional[pd.DataFrame]`).
    pub(super) fn frame_type(&self, annotation: &str) -> bool {
        annotation
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .any(|name| {
                self.frame_types
                    .contains(name.rsplit('.').next().unwrap_or(""))
            })
    }

    pub(super) fn frame_param(&self, name: &str) -> bool {
        self.frame_params.iter().any(|g| g.matches(name))
    }

    pub(super) fn not_frame(&self, name: &str, last: &str) -> bool {
        self.not_frames.contains(name)
            || self.not_frames.contains(last)
            || self
                .not_frame_suffixes
                .iter()
                .any(|s| last.ends_with(s.as_str()))
    }
}

/// A dotted pattern's first segment (a literal) and its segments.
fn compile(text: &str) -> Result<(String, Vec<Seg>), String> {
    let segs = text
        .split('.')
        .map(|s| {
            if s == "**" {
                Ok(Seg::Many)
            } else {
                SegGlob::parse(s).map(Seg::One)
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    match segs.first() {
        Some(Seg::One(g)) if !g.upper && g.suffix.is_none() => Ok((g.prefix.clone(), segs)),
        _ => Err(format!("`{text}`: the first segment must be a literal")),
    }
}

/// Whether a column key looks like a column name: not empty, not
/// punctuation only (`()`), not a dunder (`__default__`).
pub(super) fn column_like(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
        && !(s.len() > 4 && s.starts_with("__") && s.ends_with("__"))
}

/// What a callee pattern makes of a call or decorator.
#[derive(Debug, Clone, Copy)]
pub(super) enum Hit {
    /// A call fact.
    Call,
    /// Column reads (`pl.col("x")`).
    Column,
    /// A decorator listed without arguments (no call fact).
    Bare,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_parse() {
        let rules = Rules::parse(RULES).expect("rules/lineage.toml parses");
        assert!(rules.functions.contains_key("pandas"));
        assert!(rules.may_be_root("self.cfg.x") && !rules.may_be_root("self.model.x"));
    }

    #[test]
    fn segment_patterns() {
        let rules = Rules::parse(RULES).expect("parses");
        let hit = |s: &str| {
            let segs: Vec<&str> = s.split('.').collect();
            rules.function(&segs).is_some()
        };
        assert!(hit("pandas.read_csv"));
        assert!(!hit("pandas.read_csv.to_parquet"));
        assert!(hit("sklearn.linear_model.LogisticRegression"));
        assert!(hit("sklearn.LogisticRegression"));
        assert!(!hit("sklearn.metrics.accuracy_score"));
        assert!(hit(
            "airflow.providers.cncf.kubernetes.operators.pod.KubernetesPodOperator"
        ));
        assert!(hit("airflow.operators.python.PythonOperator"));
        assert!(!hit("airflow.operators.python.Operator2"));
        assert!(hit("mlflow.sklearn.log_model"));
        assert!(!hit("mlflow.log_model.x"));
        assert!(hit("open"));
        assert!(!hit("sklearn.utils._param_validation.Interval"));
        assert!(!hit("sklearn.linear_model._logistic.LogisticRegression"));
        assert!(!hit("torch.cat"));
    }
}
