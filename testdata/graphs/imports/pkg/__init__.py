from .util import VALUE
