//! Shared by the bench targets: a full tree walk, the baseline cost every
//! tree-based analysis pays.

/// Visits every node of `tree` in document order with a `TreeCursor`;
/// returns the node count.
pub fn count_nodes(tree: &tree_sitter::Tree) -> u64 {
    let mut cursor = tree.walk();
    let mut nodes = 1u64;
    loop {
        if cursor.goto_first_child() || cursor.goto_next_sibling() {
            nodes += 1;
            continue;
        }
        // Climb until a parent has a next sibling, or the root is reached.
        loop {
            if !cursor.goto_parent() {
                return nodes;
            }
            if cursor.goto_next_sibling() {
                nodes += 1;
                break;
            }
        }
    }
}
