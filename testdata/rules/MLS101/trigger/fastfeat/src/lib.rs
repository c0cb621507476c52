mod window;
mod stats;
pub use window::Window;
