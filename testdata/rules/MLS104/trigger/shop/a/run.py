from shop._config import LEVEL
from shop.b.tools import _helper

print(LEVEL, _helper())
