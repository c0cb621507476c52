use super::Config;

pub struct Window(pub Config);
