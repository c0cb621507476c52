from typing import TYPE_CHECKING

from pkg import util, VALUE
from pkg.util import VALUE as V

try:
    import pkg.fast
except ImportError:
    fast = None


def load():
    import pkg.lazy

    try:
        from pkg import native
    except ImportError:
        native = None
    return native


if TYPE_CHECKING:
    import pkg.lazy
else:
    from pkg import user
