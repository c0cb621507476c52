from core.sub.leaf import run
import core.missing
from src.core import io
from .... import beyond
import numpy as np


def main():
    return run, io, np
