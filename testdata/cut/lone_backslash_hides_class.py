x = 1
class A:
    a = 1
    b = 2
\
class B:
    def m(self): pass
