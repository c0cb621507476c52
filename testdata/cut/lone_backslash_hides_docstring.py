x = 1
class A:
\
    """Doc."""
    a = 1
    b = 2
