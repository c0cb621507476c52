def normalise(x):
    return x / 2
