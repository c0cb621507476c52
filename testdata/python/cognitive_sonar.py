"""Cognitive complexity: the examples of G. Ann Campbell's white paper
"Cognitive Complexity" (SonarSource) translated to Python, and the probe
cases of the research notes. Each function states its expected value after
`expect:` (in its docstring, or on its `def` line when a docstring would
change the shape being tested)."""


def sum_of_primes(max_value):
    """expect: cognitive=7. White paper sumOfPrimes; the loop `else` plays
    the part of the labeled `continue OUT`."""
    total = 0
    for i in range(1, max_value + 1):  # +1
        for j in range(2, i):  # +2 (nesting 1)
            if i % j == 0:  # +3 (nesting 2)
                break
        else:  # +1
            total += i
    return total


def get_words(number):
    """expect: cognitive=1. White paper getWords: a switch counts once."""
    match number:  # +1
        case 1:
            return "one"
        case 2:
            return "a couple"
        case 3:
            return "a few"
        case _:
            return "lots"


def my_method(condition1, condition2):
    """expect: cognitive=9. White paper nesting example."""
    try:
        if condition1:  # +1
            for i in range(10):  # +2 (nesting 1)
                while condition2:  # +3 (nesting 2)
                    condition2 = i
    except (ValueError, TypeError):  # +1
        if condition2:  # +2 (nesting 1)
            pass


def my_method2(condition1):
    """expect: cognitive=2. White paper: a lambda raises the nesting."""
    r = lambda: 1 if condition1 else 0  # noqa: E731  # +2 (nesting 1)
    return r


def overridden_symbol_from(class_type, name, can_override, check_parameters, unknown):
    """expect: cognitive=19. White paper overriddenSymbolFrom."""
    if class_type.is_unknown():  # +1
        return unknown
    unknown_found = False
    symbols = class_type.symbol.members.lookup(name)
    for override_symbol in symbols:  # +1
        if override_symbol.is_method and not override_symbol.is_static:  # +2, +1
            method_symbol = override_symbol
            if can_override(method_symbol):  # +3 (nesting 2)
                overriding = check_parameters(method_symbol, class_type)
                if overriding is None:  # +4 (nesting 3)
                    if not unknown_found:  # +5 (nesting 4)
                        unknown_found = True
                elif overriding:  # +1
                    return method_symbol
    if unknown_found:  # +1
        return unknown
    return None


def boolean_sequences(a, b, c, d, e, f):
    """expect: cognitive=4. White paper: `a && b && c || d || e && f`."""
    if a and b and c or d or e and f:  # +1, +3 sequences
        return 1
    return 0


def fibonacci(n):
    """expect: cognitive=2. Direct recursion adds 1, once."""
    if n < 2:  # +1
        return n
    return fibonacci(n - 1) + fibonacci(n - 2)  # +1


def decorator(func):  # expect: cognitive=1 (decorator: the def is not nested)
    def wrapper(*args):  # expect: cognitive=1
        if args:  # +1
            return func(*args)
        return None

    return wrapper


def not_a_decorator(func):
    """expect: cognitive=2. The docstring makes it more than a wrapper."""

    def helper(*args):
        """expect: cognitive=1"""
        if args:  # +1, +2 in the parent
            return func(*args)
        return None

    return helper


def probe_if_nested_elif(a, b):
    """expect: cognitive=4"""
    if a:  # +1
        if b:  # +2
            pass
    elif b:  # +1
        pass


def probe_if_nested_else(a, b):
    """expect: cognitive=4"""
    if a:  # +1
        if b:  # +2
            pass
    else:  # +1
        pass


async def probe_async_for(xs):
    """expect: cognitive=3"""
    async for x in xs:  # +1
        if x:  # +2
            pass


def probe_ternary_in_and(a, b, c):
    """expect: cognitive=2"""
    return (a if b else c) and b  # +1 ternary, +1 and


def probe_try_ifs(a, b):
    """expect: cognitive=4"""
    try:
        if a:  # +1
            pass
    except ValueError:  # +1
        if b:  # +2
            pass


def probe_three_nested_ifs(a, b, c):
    """expect: cognitive=6"""
    if a:  # +1
        if b:  # +2
            if c:  # +3
                pass


def probe_if_elif_elif_else(a):
    """expect: cognitive=4"""
    if a == 1:  # +1
        pass
    elif a == 2:  # +1
        pass
    elif a == 3:  # +1
        pass
    else:  # +1
        pass


def probe_try_two_except_else_finally(f):
    """expect: cognitive=2. `try … else` and `finally` add nothing."""
    try:
        f()
    except ValueError:  # +1
        pass
    except TypeError:  # +1
        pass
    else:
        pass
    finally:
        pass


def probe_comprehension_ifs(ys, z):
    """expect: cognitive=3. As complexipy: `for` +1, each `if` +1."""
    return [x for x in ys if x if z]


def probe_match_three_cases(v):
    """expect: cognitive=1"""
    match v:  # +1
        case 1:
            pass
        case 2:
            pass
        case _:
            pass


def probe_for_else(xs):
    """expect: cognitive=2. Loop `else` +1 (complexipy: 0)."""
    for x in xs:  # +1
        pass
    else:  # +1
        pass
