def _scale(x):
    return x * 2


def scale(x):
    return _scale(x)
