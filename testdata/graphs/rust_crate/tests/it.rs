use geo_core::shapes;
use self::local::X;
