#!/usr/bin/env python
"""Module docstring
spanning three lines.
"""

import os  # trailing comment
# a comment line

x = 1; y = 2
if x: y = 3
d = {"a": 1}
values = [
    1,  # one

    # a comment inside brackets
    2,
]
total = 1 + \
    2
text = """not a
docstring"""


def f(a):
    """One-line docstring."""
    if a:
        return a
    return None
