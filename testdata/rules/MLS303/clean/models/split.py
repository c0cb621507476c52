import torch.nn as nn


def split(data: list, ratio: float) -> tuple[list, list]:
    n = int(len(data) * ratio)
    return data[:n], data[n:]


def _helper(x):
    return x


class Head(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.width = width

    def forward(self, x):
        return x

    def score(self, x: int) -> float:
        def inner(y):
            return y

        return float(inner(x))
