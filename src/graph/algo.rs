//! Generic directed-graph algorithms over dense node indices (`0..n`, an
//! adjacency list per node). All are iterative: graphs come from untrusted
//! repositories and can be deep (2,900 modules on transformers).

use foldhash::{HashMap, HashMapExt};
use std::collections::VecDeque;

/// A directed graph over named nodes, for queries by name. Adjacency lists
/// are sorted and free of duplicates, so every traversal is deterministic.
#[derive(Debug, Clone)]
pub struct Digraph<'a> {
    /// Node names; a node's index is its position here.
    pub names: Vec<&'a str>,
    /// Successors of each node.
    pub out: Vec<Vec<usize>>,
    index: HashMap<&'a str, usize>,
}

impl<'a> Digraph<'a> {
    /// A graph of `nodes` (first occurrence wins) and `edges`; an edge
    /// naming an unknown node adds that node at the end.
    pub fn new(
        nodes: impl IntoIterator<Item = &'a str>,
        edges: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Self {
        let mut graph = Digraph {
            names: Vec::new(),
            out: Vec::new(),
            index: HashMap::new(),
        };
        for name in nodes {
            graph.intern(name);
        }
        for (from, to) in edges {
            let (from, to) = (graph.intern(from), graph.intern(to));
            graph.out[from].push(to);
        }
        for list in &mut graph.out {
            list.sort_unstable();
            list.dedup();
        }
        graph
    }

    fn intern(&mut self, name: &'a str) -> usize {
        *self.index.entry(name).or_insert_with(|| {
            self.names.push(name);
            self.out.push(Vec::new());
            self.names.len() - 1
        })
    }

    /// The index of the node called `name`.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    /// The same nodes with every edge turned around (for upstream queries).
    pub fn reversed(&self) -> Digraph<'a> {
        let mut out = vec![Vec::new(); self.out.len()];
        for (from, list) in self.out.iter().enumerate() {
            for &to in list {
                out[to].push(from);
            }
        }
        Digraph {
            names: self.names.clone(),
            out,
            index: self.index.clone(),
        }
    }
}

/// Nodes reachable from `start` in at least one step, each with its
/// distance, by breadth-first search; `max_depth` bounds the distance.
/// Sorted by (distance, node). `start` appears only if a cycle leads back
/// to it; an out-of-range `start` reaches nothing.
pub fn reachable(
    adjacency: &[Vec<usize>],
    start: usize,
    max_depth: Option<u32>,
) -> Vec<(usize, u32)> {
    let mut depth: Vec<Option<u32>> = vec![None; adjacency.len()];
    let mut found = Vec::new();
    let mut queue = VecDeque::from([(start, 0u32)]);
    while let Some((node, d)) = queue.pop_front() {
        if max_depth.is_some_and(|max| d >= max) {
            continue;
        }
        for &next in adjacency.get(node).map_or(&[][..], Vec::as_slice) {
            if let Some(slot @ None) = depth.get_mut(next) {
                *slot = Some(d + 1);
                found.push((next, d + 1));
                queue.push_back((next, d + 1));
            }
        }
    }
    found.sort_unstable_by_key(|&(node, d)| (d, node));
    found
}

/// Strongly connected components (Tarjan's algorithm with an explicit
/// stack). Each component is sorted; components are sorted by their
/// smallest node. Edges to out-of-range nodes are ignored.
pub fn strongly_connected(adjacency: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = adjacency.len();
    let mut t = Tarjan {
        index: vec![UNSEEN; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        calls: Vec::new(),
        counter: 0,
    };
    let mut components = Vec::new();
    for root in 0..n {
        if t.index[root] != UNSEEN {
            continue;
        }
        t.visit(root);
        while let Some(&mut (v, ref mut next)) = t.calls.last_mut() {
            if let Some(&w) = adjacency[v].get(*next) {
                *next += 1;
                if w >= n {
                    continue;
                }
                if t.index[w] == UNSEEN {
                    t.visit(w);
                } else if t.on_stack[w] {
                    t.low[v] = t.low[v].min(t.index[w]);
                }
                continue;
            }
            t.calls.pop();
            if let Some(&(parent, _)) = t.calls.last() {
                t.low[parent] = t.low[parent].min(t.low[v]);
            }
            if t.low[v] == t.index[v] {
                let mut component = Vec::new();
                while let Some(w) = t.stack.pop() {
                    t.on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                component.sort_unstable();
                components.push(component);
            }
        }
    }
    components.sort_unstable();
    components
}

const UNSEEN: usize = usize::MAX;

/// Tarjan's state: discovery index, low link, the component stack and the
/// explicit call stack of (node, next successor position).
struct Tarjan {
    index: Vec<usize>,
    low: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
    calls: Vec<(usize, usize)>,
    counter: usize,
}

impl Tarjan {
    fn visit(&mut self, v: usize) {
        self.index[v] = self.counter;
        self.low[v] = self.counter;
        self.counter += 1;
        self.on_stack[v] = true;
        self.stack.push(v);
        self.calls.push((v, 0));
    }
}

/// A shortest cycle through `start` using only nodes where `allowed` is
/// true, as the nodes in order from `start` (the edge back to `start` is
/// implied). Breadth-first over sorted adjacency, so the answer is
/// deterministic.
pub fn shortest_cycle(
    adjacency: &[Vec<usize>],
    start: usize,
    allowed: &[bool],
) -> Option<Vec<usize>> {
    let mut parent: Vec<Option<usize>> = vec![None; adjacency.len()];
    let mut queue = VecDeque::from([start]);
    while let Some(node) = queue.pop_front() {
        for &next in adjacency.get(node).map_or(&[][..], Vec::as_slice) {
            if next == start {
                let mut path = vec![node];
                while let Some(&Some(p)) = path.last().and_then(|&l| parent.get(l)) {
                    path.push(p);
                }
                path.reverse();
                return Some(path);
            }
            if allowed.get(next) == Some(&true) && parent[next].is_none() {
                parent[next] = Some(node);
                queue.push_back(next);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 0→1→2→0, 2→3, 3→4, 4→3, 5 alone, 5→0.
    fn sample() -> Vec<Vec<usize>> {
        vec![vec![1], vec![2], vec![0, 3], vec![4], vec![3], vec![0]]
    }

    #[test]
    fn reachable_with_depths_and_limit() {
        let g = sample();
        assert_eq!(
            reachable(&g, 5, None),
            vec![(0, 1), (1, 2), (2, 3), (3, 4), (4, 5)]
        );
        assert_eq!(reachable(&g, 5, Some(2)), vec![(0, 1), (1, 2)]);
        assert_eq!(reachable(&g, 0, Some(0)), vec![]);
        // The start is reported when a cycle leads back to it.
        assert_eq!(reachable(&g, 3, None), vec![(4, 1), (3, 2)]);
        assert_eq!(reachable(&g, 99, None), vec![]);
    }

    #[test]
    fn tarjan_components() {
        assert_eq!(
            strongly_connected(&sample()),
            vec![vec![0, 1, 2], vec![3, 4], vec![5]]
        );
        // A long chain does not recurse: 200,000 nodes in one cycle.
        let n = 200_000;
        let ring: Vec<Vec<usize>> = (0..n).map(|i| vec![(i + 1) % n]).collect();
        assert_eq!(strongly_connected(&ring)[0].len(), n);
    }

    #[test]
    fn shortest_cycles() {
        let g = sample();
        let all = vec![true; g.len()];
        assert_eq!(shortest_cycle(&g, 0, &all), Some(vec![0, 1, 2]));
        assert_eq!(shortest_cycle(&g, 3, &all), Some(vec![3, 4]));
        assert_eq!(shortest_cycle(&g, 5, &all), None);
        // Not through a forbidden node.
        let mut no_one = all.clone();
        no_one[1] = false;
        assert_eq!(shortest_cycle(&g, 0, &no_one), None);
        // The shorter of two cycles: 0→1→0 beats 0→2→3→0.
        let two = vec![vec![1, 2], vec![0], vec![3], vec![0]];
        assert_eq!(shortest_cycle(&two, 0, &[true; 4]), Some(vec![0, 1]));
    }

    #[test]
    fn named_graph_and_reverse() {
        let g = Digraph::new(["a", "b"], [("a", "b"), ("b", "c"), ("a", "b")]);
        assert_eq!(g.names, vec!["a", "b", "c"]);
        assert_eq!(g.out, vec![vec![1], vec![2], vec![]]);
        assert_eq!(g.index_of("c"), Some(2));
        assert_eq!(g.index_of("z"), None);
        let r = g.reversed();
        assert_eq!(r.out, vec![vec![], vec![0], vec![1]]);
        assert_eq!(reachable(&r.out, 2, None), vec![(1, 1), (0, 2)]);
    }
}
