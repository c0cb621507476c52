from training._preprocess import normalise
from training.features import _scale

print(_scale(normalise(1)))
