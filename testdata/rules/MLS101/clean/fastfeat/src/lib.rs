mod window;
pub use window::Window;

pub struct Config;
