x = 1
class A:
    a = 1
    b = f"{'""""'}"
class B:
    c = '"""'
    def m(self): pass
