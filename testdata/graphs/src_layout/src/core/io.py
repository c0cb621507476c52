from . import formats


def load(path):
    return formats.CSV, path
