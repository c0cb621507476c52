def ok(a):
    if a:
        return 1
    return 2


def broken(x)
    return x +


def after(b):
    return b or 3
