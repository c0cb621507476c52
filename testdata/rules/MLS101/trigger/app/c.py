import os
from app.a import run


def finish():
    return os.getpid()
