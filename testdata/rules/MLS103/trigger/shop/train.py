from shop.data import data
from shop.metrics import metrics
from shop.model import model

print(data(), model(), metrics())
