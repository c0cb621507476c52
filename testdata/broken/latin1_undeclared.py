name = 'café'

def f():
    return name
