from training._preprocess import normalise
from training.features import _scale, scale


def predict(x):
    return scale(_scale(normalise(x)))
