class A(): pass
    def f(self):
        return 1
    def g(self): pass
x = 1
