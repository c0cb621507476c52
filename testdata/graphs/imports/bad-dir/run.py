import pkg.util
import datasets
from datasets import local
