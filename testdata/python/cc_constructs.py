"""One function per construct. Each docstring states the expected values:
radon 6.0.1 cyclomatic complexity, mccabe (ruff C901) cyclomatic complexity,
and cognitive complexity. Cross-checked with `radon cc -s --show-closures`
and `ruff check --select C901` (max-complexity 0)."""

import functools

FLAG = True


def straight(a):
    """expect: radon=1 mccabe=1 cognitive=0"""
    return a + 1


def if_elif_else(x):
    """expect: radon=3 mccabe=3 cognitive=3"""
    if x > 0:
        return 1
    elif x < 0:
        return -1
    else:
        return 0


def nested_ifs(a, b, c):
    """expect: radon=4 mccabe=4 cognitive=6"""
    if a:
        if b:
            if c:
                return 1
    return 0


def for_else(items):
    """expect: radon=4 mccabe=3 cognitive=4"""
    for item in items:
        if item:
            break
    else:
        return None
    return item


def while_else(n):
    """expect: radon=3 mccabe=2 cognitive=2"""
    while n > 0:
        n -= 1
    else:
        n = -1
    return n


def try_full(f):
    """expect: radon=4 mccabe=4 cognitive=2"""
    try:
        f()
    except ValueError:
        return 1
    except (TypeError, KeyError):
        return 2
    else:
        return 3
    finally:
        print("done")


def try_finally_if(f, x):
    """expect: radon=2 mccabe=2 cognitive=1"""
    try:
        f()
    finally:
        if x:
            print(x)


def except_star(f):
    """expect: radon=1 mccabe=4 cognitive=2"""
    try:
        f()
    except* ValueError:
        pass
    except* TypeError:
        pass
    else:
        pass


def with_if(path, x):
    """expect: radon=2 mccabe=2 cognitive=1"""
    with open(path) as fh:
        if x:
            return fh.read()
    return None


def boolean_chains(a, b, c, d):
    """expect: radon=7 mccabe=2 cognitive=5"""
    if a and b and c:
        return 1
    return a and b or c and d


def mixed_sequence(a, b, c, d):
    """expect: radon=5 mccabe=1 cognitive=4"""
    flag = not (a and b)
    return flag, a or b and c or d


def comprehension_ifs(rows):
    """expect: radon=5 mccabe=1 cognitive=4"""
    return [x for row in rows for x in row if x if x > 1]


def dict_and_generator(pairs):
    """expect: radon=4 mccabe=1 cognitive=3"""
    keys = {k: v for k, v in pairs if v}
    return sum(1 for k in keys)


def conditional_expressions(a, b):
    """expect: radon=4 mccabe=1 cognitive=4"""
    x = 1 if a else 2
    return x, (3 if b else 4) if a else 5


def fstring_ternary(a, b, c):
    """expect: radon=2 mccabe=1 cognitive=1"""
    return f"{a if b else c}"


def walrus(data):
    """expect: radon=2 mccabe=2 cognitive=1"""
    if (n := len(data)) > 10:
        return n
    return 0


def match_with_default(command):
    """expect: radon=4 mccabe=4 cognitive=3"""
    match command:
        case "start":
            if command.strip():
                return 1
        case "stop" if command:
            return 2
        case _:
            return 0


def match_capture(point):
    """expect: radon=3 mccabe=3 cognitive=1"""
    match point:
        case (0, 0):
            return "origin"
        case (x, 0):
            return x
        case other:
            return other


def match_no_default(value):
    """expect: radon=3 mccabe=3 cognitive=1"""
    match value:
        case 1 | 2:
            return "small"
        case [first, *rest]:
            return first, rest


def match_guarded_wildcard(value):
    """expect: radon=2 mccabe=3 cognitive=1"""
    match value:
        case 1:
            return 1
        case _ if value:
            return 2


def lambdas(items):
    """expect: radon=2 mccabe=1 cognitive=2"""
    key = lambda item: item.size if item else 0  # noqa: E731
    return sorted(items, key=key)


def outer_with_closure(xs):
    """expect: radon=2 mccabe=4 cognitive=3"""

    def inner(x):
        """expect: radon=2 mccabe=2 cognitive=1"""
        if x:
            return x
        return 0

    if xs:
        return list(map(inner, xs))
    return []


@functools.lru_cache(maxsize=None if FLAG else 128)
def decorated(x=1 if FLAG else 2, *args: int, y: str = "a" or "b", **kwargs) -> int:
    """expect: radon=1 mccabe=1 cognitive=0"""
    return x


async def async_loops(stream, lock):
    """expect: radon=3 mccabe=3 cognitive=3"""
    async with lock:
        async for item in stream:
            if await item:
                return item
    return None


def asserts(a, b, xs):
    """expect: radon=3 mccabe=1 cognitive=3"""
    assert a and b, "both"
    assert all(x for x in xs if x)
    return a


def class_in_function(flag):
    """expect: radon=2 mccabe=4 cognitive=4"""

    class Local:
        mode = "a" if flag else "b"

        def method(self):
            """expect: radon=2 mccabe=2 cognitive=1"""
            if self.mode:
                return 1
            return 0

    if flag:
        return Local()
    return None


def factorial(n):
    """expect: radon=2 mccabe=2 cognitive=2"""
    if n <= 1:
        return 1
    return n * factorial(n - 1)


class Tree:
    """A class with a recursive method and a static method."""

    kind = "binary" if FLAG else "nary"

    def walk(self, node):
        """expect: radon=2 mccabe=2 cognitive=2"""
        for child in node.children:
            self.walk(child)

    @staticmethod
    def build(a, b=None):
        """expect: radon=2 mccabe=2 cognitive=1"""
        if b is None:
            return [a]
        return [a, b]


if FLAG:
    VALUE = [x for x in range(3) if x]
