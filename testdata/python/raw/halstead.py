def f(a, b=1 + 2):
    if a and b and not a:
        return a + b * 2
    x = a
    x += 1
    return a < b <= 2


@dec(1 - 2)
def g(x: int = 3 * 4) -> int:
    return x + 1


def g(y):
    return y.x + True


z = "x" - (x)
