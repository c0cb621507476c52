from shop.data import data
from shop.metrics import metrics
from shop.model import model


def test_all():
    assert data() + model() + metrics() == 3
