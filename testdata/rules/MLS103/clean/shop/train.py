from shop.data import data
from shop.model import model

print(data(), model())
