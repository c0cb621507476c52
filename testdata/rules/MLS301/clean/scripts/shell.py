import sys


def run():
    return eval(sys.argv[1])
