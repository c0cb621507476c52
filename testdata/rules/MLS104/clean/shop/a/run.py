from shop._config import LEVEL

print(LEVEL)
