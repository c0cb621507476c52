//! Reading YAML, TOML and JSON into a [`Node`] tree that keeps the line of
//! every mapping key, under fixed resource limits.
//!
//! Key lines come from the parsers themselves: serde-saphyr's [`Spanned`]
//! (YAML), the spans of toml's `DeTable` (TOML), and for JSON a reader that
//! counts the newlines serde_json has consumed when it hands over a key
//! (serde_json reads an unbuffered reader byte by byte, and a key cannot span
//! lines).
//!
//! [`Spanned`]: serde_saphyr::Spanned

use foldhash::{HashMap, HashMapExt};
use std::cell::{Cell, RefCell};
use std::fmt;
use std::io::Read;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::facts::Problem;

/// Deepest nesting of mappings and sequences read (serde-saphyr's default).
pub const MAX_DEPTH: u32 = 64;
/// Most nodes (mappings, sequences, scalars) read from one document.
pub const MAX_NODES: usize = 250_000;
/// Most YAML documents read from one file.
const MAX_DOCUMENTS: usize = 1_024;
/// Most YAML events replayed by aliases in one file (serde-saphyr's default
/// is 1,000,000): an alias bomb stops after this much work.
const MAX_REPLAYED_EVENTS: usize = 100_000;
/// Most duplicate-key problems reported per document.
const MAX_DUPLICATE_PROBLEMS: usize = 20;
/// Starts the placeholder of a YAML key read as a boolean, until
/// [`restore_bool_keys`] puts back the key as written.
const BOOL_KEY: &str = "\u{0}bool:";
/// Marks errors raised by our own limits (as opposed to syntax errors).
const LIMIT_MARK: &str = "mlscan limit: ";

/// A configuration value.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    /// A number: as written in TOML, as Rust prints the parsed value in
    /// YAML and JSON.
    Number(String),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in file order (TOML: sorted by key), duplicates removed.
    Map(Vec<Entry>),
}

/// One mapping entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    /// 1-based line of the key (0 when unknown).
    pub line: u32,
    pub value: Node,
}

impl Node {
    /// The value under `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// The entry of `key` in a mapping.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match self {
            Node::Map(entries) => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    /// Mapping entries (empty for other nodes).
    pub fn entries(&self) -> &[Entry] {
        match self {
            Node::Map(entries) => entries,
            _ => &[],
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The text of a scalar (`null`, `true`, `1.5`, a string).
    pub fn scalar_text(&self) -> Option<String> {
        match self {
            Node::Null => Some("null".to_string()),
            Node::Bool(b) => Some(b.to_string()),
            Node::Number(n) => Some(n.clone()),
            Node::Str(s) => Some(s.clone()),
            Node::Seq(_) | Node::Map(_) => None,
        }
    }
}

/// A parsed file: its documents, or why it could not be read.
pub struct Parsed {
    pub documents: Vec<Node>,
    /// Problems that did not stop parsing (duplicate keys).
    pub problems: Vec<Problem>,
    pub failure: Option<Failure>,
}

/// Why a file could not be read.
pub struct Failure {
    pub line: u32,
    pub message: String,
    /// Invalid syntax (true) versus a resource limit (false).
    pub syntax: bool,
}

/// Byte offsets of line starts, for offset → line lookups.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(source: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 1-based line of byte `offset`.
    pub fn line(&self, offset: usize) -> u32 {
        u32::try_from(self.starts.partition_point(|&s| s <= offset)).unwrap_or(u32::MAX)
    }
}

/// How key lines are found.
#[derive(Clone, Copy)]
enum KeyLines<'a> {
    Yaml,
    /// Newlines consumed so far by serde_json.
    Json(&'a Cell<u32>),
}

/// State shared by the seeds of one document.
struct Ctx<'a> {
    lines: KeyLines<'a>,
    nodes: Cell<usize>,
    problems: RefCell<Vec<Problem>>,
}

impl<'a> Ctx<'a> {
    fn new(lines: KeyLines<'a>) -> Self {
        Ctx {
            lines,
            nodes: Cell::new(0),
            problems: RefCell::new(Vec::new()),
        }
    }

    fn count_node<E: de::Error>(&self) -> Result<(), E> {
        let n = self.nodes.get() + 1;
        self.nodes.set(n);
        if n > MAX_NODES {
            return Err(E::custom(format!(
                "{LIMIT_MARK}more than {MAX_NODES} nodes"
            )));
        }
        Ok(())
    }
}

/// Deserializes one node at `depth` (the root is at 0).
#[derive(Clone, Copy)]
struct NodeSeed<'c, 'a> {
    ctx: &'c Ctx<'a>,
    depth: u32,
}

impl<'de> DeserializeSeed<'de> for NodeSeed<'_, '_> {
    type Value = Node;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        d.deserialize_any(self)
    }
}

impl NodeSeed<'_, '_> {
    /// The seed for the children of a collection, after the limit checks.
    fn enter<E: de::Error>(self) -> Result<Self, E> {
        if self.depth >= MAX_DEPTH {
            return Err(E::custom(format!(
                "{LIMIT_MARK}nesting deeper than {MAX_DEPTH} levels"
            )));
        }
        Ok(NodeSeed {
            ctx: self.ctx,
            depth: self.depth + 1,
        })
    }
}

impl<'de> Visitor<'de> for NodeSeed<'_, '_> {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any configuration value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        self.ctx.count_node()?;
        Ok(Node::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        self.ctx.count_node()?;
        Ok(Node::Number(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        self.ctx.count_node()?;
        Ok(Node::Number(v.to_string()))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Node, E> {
        self.ctx.count_node()?;
        Ok(Node::Number(v.to_string()))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Node, E> {
        self.ctx.count_node()?;
        Ok(Node::Number(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        self.ctx.count_node()?;
        Ok(Node::Number(v.to_string()))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        self.ctx.count_node()?;
        Ok(Node::Str(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        self.ctx.count_node()?;
        Ok(Node::Str(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        self.ctx.count_node()?;
        Ok(Node::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        self.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        self.ctx.count_node()?;
        let child = self.enter()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(child)? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        self.ctx.count_node()?;
        let child = self.enter()?;
        let mut entries: Vec<Entry> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        while let Some((key, line)) = map.next_key_seed(KeySeed(self.ctx.lines))? {
            let value = map.next_value_seed(child)?;
            match index.get(&key).and_then(|&i| entries.get_mut(i)) {
                Some(previous) => {
                    self.report_duplicate(&key, line, previous.line);
                    previous.line = line;
                    previous.value = value;
                }
                None => {
                    index.insert(key.clone(), entries.len());
                    entries.push(Entry { key, line, value });
                }
            }
        }
        Ok(Node::Map(entries))
    }
}

impl NodeSeed<'_, '_> {
    fn report_duplicate(&self, key: &str, line: u32, first: u32) {
        let mut problems = self.ctx.problems.borrow_mut();
        if problems.len() < MAX_DUPLICATE_PROBLEMS {
            problems.push(Problem::new(
                line,
                format!("duplicate key `{key}` (also at line {first}): the last value is used"),
            ));
        }
    }
}

/// Deserializes a mapping key into its text and line.
struct KeySeed<'a>(KeyLines<'a>);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = (String, u32);

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(String, u32), D::Error> {
        match self.0 {
            KeyLines::Yaml => {
                let key = serde_saphyr::Spanned::<KeyText>::deserialize(d)?;
                let line = u32::try_from(key.referenced.line()).unwrap_or(0);
                if key.value.boolean {
                    // Fixed up by `restore_bool_keys` with the key as written.
                    let span = key.defined.span();
                    let start = span.byte_offset().unwrap_or(u64::MAX);
                    let len = span.byte_len().unwrap_or(0);
                    return Ok((format!("{BOOL_KEY}{start}:{len}:{}", key.value.text), line));
                }
                Ok((key.value.text, line))
            }
            KeyLines::Json(newlines) => {
                let key = KeyText::deserialize(d)?;
                Ok((key.text, newlines.get().saturating_add(1)))
            }
        }
    }
}

/// The text of a mapping key; non-scalar YAML keys read as `<complex>`.
struct KeyText {
    text: String,
    /// Read as a boolean (YAML 1.1 `on`, `yes`, `y`): the text is not as written.
    boolean: bool,
}

impl KeyText {
    fn new(text: String) -> Self {
        KeyText {
            text,
            boolean: false,
        }
    }
}

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = KeyText;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping key")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<KeyText, E> {
        Ok(KeyText {
            text: v.to_string(),
            boolean: true,
        })
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<KeyText, E> {
        Ok(KeyText::new(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<KeyText, E> {
        Ok(KeyText::new(v.to_string()))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<KeyText, E> {
        Ok(KeyText::new(v.to_string()))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<KeyText, E> {
        Ok(KeyText::new(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<KeyText, E> {
        Ok(KeyText::new(v.to_string()))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyText, E> {
        Ok(KeyText::new(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<KeyText, E> {
        Ok(KeyText::new(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<KeyText, E> {
        Ok(KeyText::new("null".to_string()))
    }

    fn visit_none<E: de::Error>(self) -> Result<KeyText, E> {
        self.visit_unit()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<KeyText, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(KeyText::new("<complex>".to_string()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KeyText, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(KeyText::new("<complex>".to_string()))
    }
}

/// One YAML document read with its own context.
struct YamlDoc {
    root: Node,
    problems: Vec<Problem>,
}

impl<'de> Deserialize<'de> for YamlDoc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let ctx = Ctx::new(KeyLines::Yaml);
        let root = NodeSeed {
            ctx: &ctx,
            depth: 0,
        }
        .deserialize(d)?;
        Ok(YamlDoc {
            root,
            problems: ctx.problems.into_inner(),
        })
    }
}

/// serde-saphyr options: the limits of this module, YAML 1.1
/// booleans, merge keys applied, duplicate keys handed to [`NodeSeed`]
/// (which keeps the last value and reports a problem), `.nan`/`.inf`
/// accepted, plain messages.
fn yaml_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH as usize,
            max_nodes: MAX_NODES,
            max_documents: MAX_DOCUMENTS,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: MAX_REPLAYED_EVENTS,
        },
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::PassThrough,
        non_finite_float_policy: serde_saphyr::NonFiniteFloatPolicy::PassThrough,
        with_snippet: false,
    }
}

/// Parses a YAML stream. Empty documents are skipped, as serde-saphyr does.
pub fn parse_yaml(source: &str) -> Parsed {
    match serde_saphyr::from_multiple_with_options::<YamlDoc>(source, yaml_options()) {
        Ok(docs) => {
            let mut problems = Vec::new();
            let mut documents = Vec::with_capacity(docs.len());
            for mut doc in docs {
                restore_bool_keys(&mut doc.root, source);
                problems.extend(doc.problems);
                documents.push(doc.root);
            }
            Parsed {
                documents,
                problems,
                failure: None,
            }
        }
        Err(err) => {
            let line = err
                .location()
                .and_then(|l| u32::try_from(l.line()).ok())
                .unwrap_or(0);
            let syntax = !is_yaml_limit(&err);
            let text = err.to_string();
            fail(line, "YAML", &text, syntax)
        }
    }
}

/// Replaces boolean-key placeholders by the key text in `source`
/// (`on`, not `true`), or by the boolean when the span is unusable.
fn restore_bool_keys(node: &mut Node, source: &str) {
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        match node {
            Node::Map(entries) => {
                for entry in entries.iter_mut() {
                    if let Some(rest) = entry.key.strip_prefix(BOOL_KEY) {
                        entry.key = bool_key_text(rest, source);
                    }
                    stack.push(&mut entry.value);
                }
            }
            Node::Seq(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

/// The key text of a `start:len:bool` placeholder body.
fn bool_key_text(placeholder: &str, source: &str) -> String {
    let mut parts = placeholder.splitn(3, ':');
    let start = parts.next().and_then(|p| p.parse::<usize>().ok());
    let len = parts.next().and_then(|p| p.parse::<usize>().ok());
    let fallback = parts.next().unwrap_or_default();
    start
        .zip(len)
        .and_then(|(s, l)| source.get(s..s.checked_add(l)?))
        .filter(|t| !t.is_empty())
        .unwrap_or(fallback)
        .to_string()
}

/// Whether a serde-saphyr error comes from a budget or alias limit.
fn is_yaml_limit(err: &serde_saphyr::Error) -> bool {
    use serde_saphyr::Error as E;
    let mut err = err;
    while let E::WithSnippet { error, .. } | E::AliasError { error, .. } = err {
        err = error;
    }
    matches!(
        err,
        E::Budget { .. }
            | E::AliasReplayLimitExceeded { .. }
            | E::AliasExpansionLimitExceeded { .. }
            | E::AliasReplayStackDepthExceeded { .. }
            | E::AliasReplayCounterOverflow { .. }
    ) || err.to_string().contains(LIMIT_MARK)
}

/// Parses a TOML document. The toml crate stops at 80 nesting levels
/// itself; its span-keeping `DeTable` gives key lines and keeps dates.
pub fn parse_toml(source: &str) -> Parsed {
    let index = LineIndex::new(source);
    let table = match toml::de::DeTable::parse(source) {
        Ok(table) => table,
        Err(err) => {
            let line = err.span().map_or(0, |s| index.line(s.start));
            let message = err.message().to_string();
            // The crate's own nesting limit reads "cannot recurse further".
            let syntax = !message.contains("recurse");
            return fail(line, "TOML", &message, syntax);
        }
    };
    let mut nodes = 0;
    match toml_table(table.get_ref(), &index, 0, &mut nodes) {
        Ok(root) => Parsed {
            documents: vec![root],
            problems: Vec::new(),
            failure: None,
        },
        Err((line, message)) => fail(line, "TOML", &message, false),
    }
}

/// The line (0 until a key is known) and message of an exceeded limit.
type TomlLimit = (u32, String);

/// A TOML table at `depth` as a node.
fn toml_table(
    table: &toml::de::DeTable<'_>,
    index: &LineIndex,
    depth: u32,
    nodes: &mut usize,
) -> Result<Node, TomlLimit> {
    let depth = toml_enter(depth, nodes)?;
    let mut entries = Vec::with_capacity(table.len());
    for (key, value) in table.iter() {
        let line = index.line(key.span().start);
        let value = toml_value(value.get_ref(), index, depth, nodes)
            .map_err(|(l, message)| (if l == 0 { line } else { l }, message))?;
        entries.push(Entry {
            key: key.get_ref().to_string(),
            line,
            value,
        });
    }
    Ok(Node::Map(entries))
}

/// A TOML value at `depth` as a node (numbers and dates as written).
fn toml_value(
    value: &toml::de::DeValue<'_>,
    index: &LineIndex,
    depth: u32,
    nodes: &mut usize,
) -> Result<Node, TomlLimit> {
    use toml::de::DeValue;
    let node = match value {
        DeValue::Table(table) => return toml_table(table, index, depth, nodes),
        DeValue::Array(array) => {
            let depth = toml_enter(depth, nodes)?;
            let items = array
                .iter()
                .map(|item| toml_value(item.get_ref(), index, depth, nodes))
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(Node::Seq(items));
        }
        DeValue::String(s) => Node::Str(s.to_string()),
        DeValue::Integer(i) => Node::Number(i.to_string()),
        DeValue::Float(f) => Node::Number(f.to_string()),
        DeValue::Boolean(b) => Node::Bool(*b),
        DeValue::Datetime(d) => Node::Str(d.to_string()),
    };
    *nodes += 1;
    Ok(node)
}

/// Counts a TOML collection at `depth` and returns its children's depth.
fn toml_enter(depth: u32, nodes: &mut usize) -> Result<u32, TomlLimit> {
    *nodes += 1;
    if *nodes > MAX_NODES {
        return Err((0, format!("more than {MAX_NODES} nodes")));
    }
    if depth >= MAX_DEPTH {
        return Err((0, format!("nesting deeper than {MAX_DEPTH} levels")));
    }
    Ok(depth + 1)
}

/// A reader over bytes that counts the newlines handed out.
struct CountingReader<'a> {
    rest: &'a [u8],
    newlines: &'a Cell<u32>,
}

impl Read for CountingReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(self.rest.len());
        let (head, tail) = self.rest.split_at(n);
        if let Some(dst) = buf.get_mut(..n) {
            dst.copy_from_slice(head);
        }
        let lines = head.iter().filter(|&&b| b == b'\n').count();
        let lines = u32::try_from(lines).unwrap_or(u32::MAX);
        self.newlines.set(self.newlines.get().saturating_add(lines));
        self.rest = tail;
        Ok(n)
    }
}

/// Parses a JSON document (serde_json also stops at 128 levels itself).
pub fn parse_json(source: &str) -> Parsed {
    let newlines = Cell::new(0);
    let reader = CountingReader {
        rest: source.as_bytes(),
        newlines: &newlines,
    };
    let ctx = Ctx::new(KeyLines::Json(&newlines));
    let mut de = serde_json::Deserializer::from_reader(reader);
    let result = NodeSeed {
        ctx: &ctx,
        depth: 0,
    }
    .deserialize(&mut de)
    .and_then(|root| de.end().map(|()| root));
    match result {
        Ok(root) => Parsed {
            documents: vec![root],
            problems: ctx.problems.into_inner(),
            failure: None,
        },
        Err(err) => {
            let line = u32::try_from(err.line()).unwrap_or(0);
            let text = err.to_string();
            let syntax = !text.contains(LIMIT_MARK);
            fail(line, "JSON", &text, syntax)
        }
    }
}

/// A failed parse, with a message that names the format.
fn fail(line: u32, format: &str, text: &str, syntax: bool) -> Parsed {
    let text = text.replace(LIMIT_MARK, "");
    let message = if syntax {
        format!("invalid {format}: {text}")
    } else {
        format!("{format} not analysed, limit exceeded: {text}")
    };
    Parsed {
        documents: Vec::new(),
        problems: Vec::new(),
        failure: Some(Failure {
            line,
            message,
            syntax,
        }),
    }
}
