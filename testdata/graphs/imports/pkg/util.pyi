import pkg.lazy

VALUE: int
