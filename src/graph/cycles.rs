//! Import cycles: strongly connected components of more than one module,
//! a shortest cycle through each, and a suggested edge to cut.

use foldhash::{HashMap, HashMapExt};
use std::cmp::Reverse;
use std::collections::BTreeSet;

use serde::Serialize;

use super::algo;
use super::{EdgeKind, Location, Node, RawEdge};

/// Cycles with and without `type_checking` imports.
#[derive(Debug, Clone, Serialize)]
pub struct Cycles {
    /// Without `type_checking` edges: what can fail at import time.
    pub runtime: Vec<Cycle>,
    /// With every edge.
    pub all: Vec<Cycle>,
}

/// One strongly connected component of the module graph.
///
/// The suggested cut is chosen with the Eades–Lin–Smyth greedy ordering of
/// the component (as in grimp's `nominate_cycle_breakers`), with module
/// pairs weighted by their number of import statements: edges pointing
/// backwards in that order form an approximate minimum feedback arc set.
/// The cut is the backward edge of the short cycle with the fewest
/// statements (then the first by name): cheap to remove, and part of a
/// set whose removal breaks every cycle of the component.
#[derive(Debug, Clone, Serialize)]
pub struct Cycle {
    /// The component's modules, sorted.
    pub modules: Vec<String>,
    /// A shortest cycle through the first module: each module imports the
    /// next, and the last imports the first.
    pub cycle: Vec<String>,
    /// Module pairs pointing backwards in the Eades–Lin–Smyth order.
    pub feedback_edges: u32,
    pub cut: Cut,
}

impl Cycle {
    /// A Rust module and its own submodules only (`pub use child::X` in
    /// the parent, `use super::…` in a child): idiomatic in Rust, so the
    /// coupling rule and the scores leave it out.
    pub fn is_rust_parent_child(&self) -> bool {
        let Some(parent) = self.modules.iter().min_by_key(|m| m.len()) else {
            return false;
        };
        self.modules.iter().any(|m| m.contains("::"))
            && self.modules.iter().all(|m| {
                m == parent
                    || m.strip_prefix(parent.as_str())
                        .is_some_and(|rest| rest.starts_with("::"))
            })
    }
}

/// The suggested import to remove, at its first statement.
#[derive(Debug, Clone, Serialize)]
pub struct Cut {
    pub from: String,
    pub to: String,
    /// Import statements from `from` to `to` (in this view).
    pub statements: u32,
    #[serde(flatten)]
    pub at: Location,
}

/// Both views of the cycles of a graph whose `edges` are sorted.
pub(super) fn find(nodes: &[Node], edges: &[RawEdge]) -> Cycles {
    Cycles {
        runtime: find_in(nodes, edges, false),
        all: find_in(nodes, edges, true),
    }
}

/// Statements and first location per (from, to) pair.
type Pairs<'e> = HashMap<(usize, usize), (u32, &'e Location)>;

fn find_in(nodes: &[Node], edges: &[RawEdge], with_typing: bool) -> Vec<Cycle> {
    let n = nodes.len();
    let mut adjacency = vec![Vec::new(); n];
    let mut pairs: Pairs = HashMap::new();
    for e in edges
        .iter()
        .filter(|e| with_typing || e.kind != EdgeKind::TypeChecking)
    {
        let pair = pairs.entry((e.from, e.to)).or_insert_with(|| {
            adjacency[e.from].push(e.to);
            (0, &e.at)
        });
        pair.0 += 1;
    }
    let mut inside = vec![false; n];
    let mut cycles = Vec::new();
    for component in algo::strongly_connected(&adjacency) {
        if component.len() < 2 {
            continue;
        }
        for &v in &component {
            inside[v] = true;
        }
        if let Some(cycle) = describe(nodes, &adjacency, &pairs, &component, &inside) {
            cycles.push(cycle);
        }
        for &v in &component {
            inside[v] = false;
        }
    }
    cycles
}

/// The short cycle, the feedback edges and the cut of one component.
fn describe(
    nodes: &[Node],
    adjacency: &[Vec<usize>],
    pairs: &Pairs,
    component: &[usize],
    inside: &[bool],
) -> Option<Cycle> {
    let cycle = algo::shortest_cycle(adjacency, *component.first()?, inside)?;
    let position = eades_lin_smyth(adjacency, pairs, component, inside);
    let backward = |a: usize, b: usize| position[&a] > position[&b];
    let feedback = component
        .iter()
        .flat_map(|&a| adjacency[a].iter().map(move |&b| (a, b)))
        .filter(|&(a, b)| inside[b] && backward(a, b))
        .count();
    let steps: Vec<(usize, usize)> = (0..cycle.len())
        .map(|i| (cycle[i], cycle[(i + 1) % cycle.len()]))
        .collect();
    let statements = |pair: &(usize, usize)| pairs.get(pair).map_or(0, |p| p.0);
    let (from, to) = steps
        .iter()
        .copied()
        .min_by_key(|&pair| (!backward(pair.0, pair.1), statements(&pair), pair))?;
    let (count, at) = pairs.get(&(from, to))?;
    Some(Cycle {
        modules: component.iter().map(|&i| nodes[i].name.clone()).collect(),
        cycle: cycle.iter().map(|&i| nodes[i].name.clone()).collect(),
        feedback_edges: u32::try_from(feedback).unwrap_or(u32::MAX),
        cut: Cut {
            from: nodes[from].name.clone(),
            to: nodes[to].name.clone(),
            statements: *count,
            at: (*at).clone(),
        },
    })
}

/// Position of each node of `component` in the Eades–Lin–Smyth order:
/// sinks go to the end, sources to the front, otherwise the node with the
/// largest (outgoing − incoming) statement weight goes to the front.
fn eades_lin_smyth(
    adjacency: &[Vec<usize>],
    pairs: &Pairs,
    component: &[usize],
    inside: &[bool],
) -> HashMap<usize, usize> {
    let weight = |a: usize, b: usize| i64::from(pairs.get(&(a, b)).map_or(0, |p| p.0));
    let mut incoming: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut out_degree: HashMap<usize, usize> = HashMap::new();
    let mut in_degree: HashMap<usize, usize> = HashMap::new();
    let mut delta: HashMap<usize, i64> = HashMap::new();
    for &a in component {
        for &b in adjacency[a].iter().filter(|&&b| inside[b]) {
            incoming.entry(b).or_default().push(a);
            *out_degree.entry(a).or_default() += 1;
            *in_degree.entry(b).or_default() += 1;
            *delta.entry(a).or_default() += weight(a, b);
            *delta.entry(b).or_default() -= weight(a, b);
        }
    }
    let mut pending: BTreeSet<(Reverse<i64>, usize)> = component
        .iter()
        .map(|&v| (Reverse(delta.get(&v).copied().unwrap_or(0)), v))
        .collect();
    let (mut head, mut tail) = (Vec::new(), Vec::new());
    let (mut sinks, mut sources): (Vec<usize>, Vec<usize>) = (Vec::new(), Vec::new());
    while !pending.is_empty() {
        let live = |v: &usize, delta: &HashMap<usize, i64>, pending: &BTreeSet<_>| {
            pending.contains(&(Reverse(delta.get(v).copied().unwrap_or(0)), *v))
        };
        let v = if let Some(v) = sinks.pop() {
            if !live(&v, &delta, &pending) {
                continue;
            }
            tail.push(v);
            v
        } else if let Some(v) = sources.pop() {
            if !live(&v, &delta, &pending) {
                continue;
            }
            head.push(v);
            v
        } else {
            let Some(&(_, v)) = pending.first() else {
                break;
            };
            head.push(v);
            v
        };
        pending.remove(&(Reverse(delta.get(&v).copied().unwrap_or(0)), v));
        let mut update = |w: usize, change: i64, pending: &mut BTreeSet<_>| {
            let d = delta.entry(w).or_default();
            if pending.remove(&(Reverse(*d), w)) {
                *d += change;
                pending.insert((Reverse(*d), w));
                true
            } else {
                false
            }
        };
        for &w in adjacency[v].iter().filter(|&&w| inside[w]) {
            if update(w, weight(v, w), &mut pending) {
                let d = in_degree.entry(w).or_default();
                *d = d.saturating_sub(1);
                if *d == 0 {
                    sources.push(w);
                }
            }
        }
        for &u in incoming.get(&v).map_or(&[][..], Vec::as_slice) {
            if update(u, -weight(u, v), &mut pending) {
                let d = out_degree.entry(u).or_default();
                *d = d.saturating_sub(1);
                if *d == 0 {
                    sinks.push(u);
                }
            }
        }
    }
    head.into_iter()
        .chain(tail.into_iter().rev())
        .enumerate()
        .map(|(i, v)| (v, i))
        .collect()
}
