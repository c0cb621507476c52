import torch.nn as nn
from transformers.utils import auto_docstring


def build_features(df):
    """Adds the ratio and total of `a` and `b`, dropping incomplete rows."""
    df = df.copy()
    df["ratio"] = df.a / df.b
    df["total"] = df.a + df.b
    df = df.dropna()
    return df


def short(x):
    return x + 1


def _private(df):
    df = df.copy()
    df["ratio"] = df.a / df.b
    df["total"] = df.a + df.b
    df = df.dropna()
    return df


class Head(nn.Module):
    """A linear head with a ReLU."""

    def __init__(self, width):
        super().__init__()
        self.width = width
        self.layer = nn.Linear(width, 1)
        self.act = nn.ReLU()

    def forward(self, x):
        y = self.layer(x)
        y = self.act(y)
        y = y * 2
        return y


@auto_docstring
class Encoder(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.width = width
        self.layer = nn.Linear(width, width)
        self.act = nn.ReLU()


def outer(df):
    """Builds a helper."""

    def inner(x):
        x = x + 1
        x = x * 2
        x = x - 3
        return x

    return inner(df)
