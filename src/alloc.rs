//! Routes tree-sitter's C allocations to mimalloc, the binary's global
//! allocator (see `main.rs`).

use std::sync::Once;

/// Installs mimalloc as tree-sitter's allocator; runs once, before any
/// parser exists. Library users who keep the system allocator skip it.
pub fn route_tree_sitter_to_mimalloc() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let allocator = tree_sitter::Allocator {
            malloc: libmimalloc_sys::mi_malloc,
            calloc: libmimalloc_sys::mi_calloc,
            realloc: libmimalloc_sys::mi_realloc,
            free: libmimalloc_sys::mi_free,
        };
        // SAFETY: the four functions are one allocator family with malloc's
        // alignment, and this runs once, at start-up, before any
        // tree-sitter object is created.
        unsafe { tree_sitter::set_allocator(Some(allocator)) };
    });
}
