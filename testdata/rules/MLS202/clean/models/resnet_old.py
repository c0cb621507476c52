"""The ResNet before the refactoring."""
import torch.nn as nn


class ResNet(nn.Module):
    def forward(self, x):
        return x * 2
