pub mod circle;

use self::circle::Circle;
use super::util;
