from training._preprocess import normalise
from training.features import _scale


def test_normalise():
    assert _scale(normalise(2)) == 2
