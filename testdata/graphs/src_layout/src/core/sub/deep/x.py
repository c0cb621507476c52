from ... import formats
from ...sub import leaf
