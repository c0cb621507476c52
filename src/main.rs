use mimalloc::MiMalloc;

/// mimalloc serves both Rust and tree-sitter's C allocations (installed in
/// `mlscan::alloc`): parsing allocates and frees a tree per file, and the
/// system allocator spends an eighth of a scan consolidating its heaps.
#[global_allocator]
static GLOBAL: MiMalloc = MiMalloc;

fn main() -> std::process::ExitCode {
    mlscan::alloc::route_tree_sitter_to_mimalloc();
    mlscan::cli::run()
}
