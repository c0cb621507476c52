from .. import VERSION
from ... import beta
from .... import beyond
