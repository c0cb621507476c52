"""A classification head nobody uses any more."""
import torch.nn as nn


class Head(nn.Module):
    def forward(self, x):
        return x
